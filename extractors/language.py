"""Warn about an article that is not in English: the extractors (spaCy's English pipeline, the
English temporal patterns and event lexicons) read English only, so a Russian or French article
is processed but yields few or no dates and events, and the user should know why.

Two signs, each cheap and explainable: most letters in a script other than Latin (counted per
distinct character, by its Unicode name), or, for Latin text, the function words of another
language (`resources/languages.yaml`) far outnumbering the English ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from extractors.resources import load_yaml

# The part of a text that is looked at: enough to tell a language, cheap for a 300,000-character body.
SAMPLE_CHARS = 20_000
_WORD = re.compile(r"[^\W\d_]+")
# Unicode names of letters begin with their script, in a few scripts with a longer prefix.
_SCRIPT_NAMES = {"CJK": "Chinese (CJK)", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean"}


@dataclass(frozen=True)
class _Lexicon:
    min_words: int
    min_share: float
    over_english: float
    english: frozenset[str]
    languages: dict[str, frozenset[str]]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_yaml("languages.yaml")
    expected = {"min_words", "min_share", "over_english", "english", "languages", "english_examples"}
    if not isinstance(data, dict) or set(data) != expected:
        raise ValueError(f"languages.yaml must have exactly the keys {sorted(expected)}")
    english = frozenset(data["english"])
    languages = {name: frozenset(spec["words"]) for name, spec in data["languages"].items()}
    for name, words in languages.items():
        if words & english:
            raise ValueError(f"languages.yaml: {name} words that are English words too: {sorted(words & english)}")
    lexicon = _Lexicon(int(data["min_words"]), float(data["min_share"]), float(data["over_english"]), english, languages)
    for name, spec in data["languages"].items():
        for example in spec.get("examples") or ():
            if _latin_language(lexicon, example) != name:
                raise ValueError(f"languages.yaml: the {name} example is not recognized: {example[:60]!r}")
    for example in data["english_examples"]:
        if _latin_language(lexicon, example) is not None:
            raise ValueError(f"languages.yaml: an English example is taken for another language: {example[:60]!r}")
    return lexicon


def not_english_warning(body: str) -> str | None:
    """A warning when `body` is mostly in another script or looks like another language, else None."""
    sample = body[:SAMPLE_CHARS]
    script = _main_script(sample)
    if script is not None:
        found = f"text is mostly in {script} script"
    elif (language := _latin_language(_lexicon(), sample)) is not None:
        found = f"text looks like {language}"
    else:
        return None
    return f"{found}, not English: dates and events are found in English text only"


def _main_script(text: str) -> str | None:
    """The script of most letters of `text` when that is not Latin (and there are letters enough)."""
    scripts: Counter[str] = Counter()
    for char, count in Counter(text).items():
        if char.isalpha():
            name = unicodedata.name(char, "UNKNOWN")
            scripts[name.split()[0]] += count
    letters = sum(scripts.values())
    if letters < 40 or scripts["LATIN"] * 2 >= letters:
        return None
    top = max((s for s in scripts if s != "LATIN"), key=scripts.__getitem__)
    return _SCRIPT_NAMES.get(top, top.title())


def _latin_language(lexicon: _Lexicon, text: str) -> str | None:
    words = _WORD.findall(text.lower())
    if len(words) < lexicon.min_words:
        return None
    counts = Counter(words)
    english = sum(counts[w] for w in lexicon.english)
    best, found = max(((name, sum(counts[w] for w in vocabulary)) for name, vocabulary in lexicon.languages.items()),
                      key=lambda pair: pair[1])
    if found >= lexicon.min_share * len(words) and found > lexicon.over_english * english:
        return best
    return None
