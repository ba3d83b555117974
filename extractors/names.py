"""Matching names of participants: one module for extraction (`actors.py`) and merging (`extractors/merge/`).

- `normalize_name(name)`: the comparison key of a name ("Kim Jong-un", "KIM JONG UN" -> "kim jong un");
  `clean_name(text)`: the display form of a mention (no leading determiner or title, no possessive).
- `name_tokens(name, titles)`: the key as word tokens without leading roles ("President Vladimir
  Putin" -> ("vladimir", "putin")); an acronym is one marked token ("UN" -> ("#un",)), so that it
  never matches the end of a person's name ("Kim Jong Un").
- Two ways a shorter name can stand for a longer one, for two situations:
  `extends(longer, shorter)`: inside one article, where a short name is resolved to the one fuller
  name the article uses that starts or ends with it ("Seiler" -> "Sydney Seiler"; ambiguity is
  checked by the caller); `names_match(a, b)`: across articles, where nothing is resolved and only a
  suffix ("Putin" / "Vladimir Putin") or a one-word family name first ("Kim" / "Kim Jong Un") may
  match, since a given name alone ("Vladimir") says little.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

# Leading words that are not part of a name (titles are kept out of the actor so that
# "President Vladimir Putin" and "Vladimir Putin" are the same actor).
_LEADING = frozenset({
    "the", "a", "an", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "president", "vice-president",
    "vice", "prime", "minister", "secretary", "general", "leader", "chairman", "ceo", "chief",
    "executive", "adviser", "advisor", "spokesperson", "spokesman", "spokeswoman", "sen.", "senator",
    "rep.", "gov.", "governor", "king", "queen", "prince", "defense", "foreign",
})
_POSSESSIVE = re.compile(r"\s*['’]s?\s*$")
# "the 43rd Association of Southeast Asian Nations Summit", "the 18th East Asia Summit": the
# recognizer takes the ordinal of an edition into the name; it counts the occasion, it names nothing.
# Only after "the": without it the ordinal is usually the name's own ("20th Century Fox").
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE)


def _without_edition(words: list[str]) -> list[str]:
    """`words` without a leading "the" and an edition's ordinal after it."""
    if len(words) > 2 and words[0].lower() == "the" and _ORDINAL.fullmatch(words[1]):
        return words[2:]
    return words
_DASHES = re.compile(r"[\u2010-\u2015\-]+")
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s]")


# Both string functions are pure and called on the same few names many times per article (every
# actor comparison, every entity mention): memoized, they stop being a visible cost of extraction.
@functools.lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Comparison key of a name: accents, case, hyphens, dots, possessive and titles removed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _POSSESSIVE.sub("", text.strip())
    text = _DASHES.sub(" ", text.lower())
    text = _NOT_WORD.sub(" ", text)
    words = _without_edition(_SPACE.sub(" ", text).strip().split(" "))
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return " ".join(w for w in words if w)



@functools.lru_cache(maxsize=65536)
def clean_name(text: str) -> str:
    """Display form of an entity mention: no leading determiner or title, no possessive, one space."""
    text = _SPACE.sub(" ", _POSSESSIVE.sub("", text.strip())).strip(" ,;:()[]\"'“”‘’-–—")
    if text.endswith(".") and not re.search(r"\b[A-Z][a-z]{0,3}\.$", text):  # keep "Inc.", "Co.", "U.S."
        text = text[:-1]
    words = _without_edition(text.split(" "))
    while len(words) > 1 and words[0].lower() in _LEADING:
        words = words[1:]
    return " ".join(words)


def name_with_titles(text: str) -> str:
    """A mention without possessive, punctuation around it or a leading article, its title words kept:
    "General Motors'" -> "General Motors" (which `clean_name` would cut to "Motors")."""
    words = _SPACE.sub(" ", _POSSESSIVE.sub("", text.strip())).strip(" ,;:()[]\"'“”‘’-–—").split(" ")
    words = _without_edition(words)
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


_NON_WORD = re.compile(r"[^\w]+")
# "UN", "U.S.", "NATO": an all-capital short name is an acronym, never the end of a person's name
# ("UN" must not match "Kim Jong Un").
_ACRONYM = re.compile(r"[A-Z](?:\.?[A-Z]){1,5}\.?")


@functools.lru_cache(maxsize=1 << 18)
def name_tokens(name: str, titles: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Lowercase word tokens of a normalized name ("Kim Jong-un" -> ("kim", "jong", "un")), leading
    `titles` removed while a name word remains."""
    stripped = name.strip()
    if _ACRONYM.fullmatch(stripped):
        return ("#" + stripped.replace(".", "").lower(),)
    tokens = _NON_WORD.sub(" ", normalize_name(name)).split()
    while len(tokens) > 1 and tokens[0] in titles:
        del tokens[0]  # "President Vladimir Putin" is Vladimir Putin; "President" alone stays a name
    return tuple(tokens)


def names_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two token names can denote the same actor across articles.

    A name matches another that ends with it ("Putin", "Vladimir Putin", "Russian President
    Vladimir Putin") or, when it is a single word, one that starts with it ("Kim" / "Kim Jong Un":
    Korean and Chinese names put the family name first).
    """
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if long_[len(long_) - len(short):] == short:
        return True
    return len(short) == 1 and long_[0] == short[0]


@functools.lru_cache(maxsize=1 << 16)
def any_name_matches(a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...]) -> bool:
    """Whether some name of `a` matches some name of `b` (`names_match`)."""
    return any(names_match(x, y) for x in a for y in b)


def extends(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    """Whether the word list `longer` starts or ends with `shorter` (a fuller name of it)."""
    n = len(shorter)
    return list(longer[:n]) == list(shorter) or list(longer[-n:]) == list(shorter)


# Words an acronym usually leaves out ("Association of Southeast Asian Nations" -> "ASEAN").
_ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "de", "&", "on", "in"})


@functools.lru_cache(maxsize=1 << 14)
def abbreviates(short: str, long_: str) -> bool:
    """Whether the one-word `short` is an acronym of the name `long_` of two or more words: its
    letters, in order, begin with each remaining word's first letter and may take more letters
    of a word after it ("GM" / "General Motors", "ASEAN" / "Association of Southeast Asian
    Nations", "NASA" / "National Aeronautics and Space Administration"). Case is ignored: the
    caller decides when a word may be an acronym (written in capitals, or declared in brackets)."""
    letters = _NON_WORD.sub("", short).lower()
    words = [w.lower() for w in _NON_WORD.sub(" ", long_).split() if w.lower() not in _ACRONYM_SKIP]
    if len(words) < 2 or not letters.isalpha() or not len(words) <= len(letters) <= 3 * len(words):
        return False
    return _letters_cover(letters, tuple(words))


def _letters_cover(letters: str, words: tuple[str, ...]) -> bool:
    """`letters` is each word's first letter followed by some later letters of that word, in order."""
    if not words:
        return not letters
    if not letters or letters[0] != words[0][0]:
        return False
    word, rest = words[0], words[1:]
    # Letters after the first taken from inside the word, as few or as many as the rest allows.
    taken, at = 1, 1
    options = [1]
    for ch in letters[1:]:
        found = word.find(ch, at)
        if found < 0:
            break
        taken += 1
        at = found + 1
        options.append(taken)
    return any(_letters_cover(letters[n:], rest) for n in options)
