"""A timeline entry's headline: one complete sentence that states the event, from its best source.

`headline_of(entry)` picks among the entry's source sentences the one a reader should see:
a complete sentence (capitalised start, final punctuation, enough words, not a question), not
opening on a quotation when another source states the event in the reporter's words, the one
that carries the entry's date, then the earliest in its article. Asides in parentheses ("(centre)",
"(Photo: …)") and leading connectives ("However,") are removed, since the sentence stays
grammatical without them; of a sentence joining independent clauses (", and", ", but", ", while",
";") only the clause naming the event is kept, which is a sentence of its own; nothing else is cut. A title line, complete but unpunctuated, gets a
final period. When no source sentence is complete, the best one is still used, with a capital
and a period: it is never replaced by the clause summary, which is a fragment.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from extractors.schema import Source, TimelineEntry

# A sentence shorter than this is a caption or a fragment ("He is turning."); longer than
# LONGEST words it is a paragraph the segmenter did not split.
SHORTEST = 6
LONGEST = 60

_SPACES = re.compile(r"\s+")
# Asides in parentheses: a caption's "(centre)", "(Photo: EPA-EFE / …)", "(CSIS)".
_ASIDE = re.compile(r"\s*\([^()]{0,120}\)")
_LEADING_CONNECTIVE = re.compile(r"^(?:However|Meanwhile|Moreover|Furthermore|Additionally|Still|Nevertheless),\s+(?=\w)")
_OPENING_QUOTE = re.compile(r"^[\"“‘'«]")
_FINAL = re.compile(r"[.!]['\"”’»)]*$")
_TIMELESS_END = re.compile(r"[,;:–—-]\s*$")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?])")


@functools.lru_cache(maxsize=16_384)
def _word(trigger: str) -> re.Pattern[str]:
    """The trigger as a whole word. Compiled once per trigger: the 2,452 news-silver articles have
    about 100,000 sources with about 9,000 distinct triggers, far more than `re`'s own cache of 512
    patterns holds, so `re.findall(pattern_text, ...)` compiled again for most sources."""
    return re.compile(rf"\b{re.escape(trigger)}\b")


@functools.lru_cache(maxsize=4096)
def clean_sentence(sentence: str) -> str:
    """The sentence on one line, without parenthetical asides or a leading connective."""
    # Memoized: the predicates of one sentence are sources of several entries, and headlines are
    # read entry after entry in timeline order, where one article's entries lie close together.
    text = _SPACES.sub(" ", sentence).strip()
    if "(" in text:  # the aside pattern tries every position; most sentences have no parenthesis
        text = _ASIDE.sub("", text).strip()
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    match = _LEADING_CONNECTIVE.match(text)
    if match:
        rest = text[match.end():]
        text = rest[:1].upper() + rest[1:]
    return text


# Independent clauses joined after a comma ("…, and a report this week said that Kim plans to …") or
# by a semicolon: each is a sentence of its own.
_CLAUSE_JOINT = re.compile(r"(?:,\s+(?:and|but|while)\s+|;\s+)")


def clause_of(sentence: str, trigger: str, occurrence: int = 0) -> str:
    """The independent clause of `sentence` that names the event (the `occurrence`-th `trigger` word,
    counted from 0), as a sentence of its own, when the sentence joins clauses of at least SHORTEST
    words each; else the sentence."""
    if not trigger:
        return sentence
    joints = list(_CLAUSE_JOINT.finditer(sentence))
    if not joints:
        return sentence
    bounds = [0, *(j for m in joints for j in (m.start(), m.end())), len(sentence)]
    parts = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2)]
    if any(len(sentence[a:b].split()) < SHORTEST for a, b in parts):
        return sentence  # a list ("rockets, shells, and rifles"), not clauses
    found = list(_word(trigger).finditer(sentence))
    if not found:
        return sentence
    at = found[min(occurrence, len(found) - 1)]
    for k, (a, b) in enumerate(parts):
        if a <= at.start() < b:
            clause = sentence[a:b].strip()
            if k == 0:
                return clause.rstrip(",;") + "."
            clause = clause[0].upper() + clause[1:]
            return clause if k == len(parts) - 1 else clause.rstrip(",;") + "."
    return sentence


def trigger_occurrence(source: Source, trigger: str) -> int:
    """Which of the sentence's `trigger` words (0 = the first) names the source's event: the one at
    `source.trigger_in_sentence`, counted in the raw sentence (cleaning keeps the words in order)."""
    if not trigger or source.trigger_in_sentence < 0:
        return 0
    before = source.sentence[:source.trigger_in_sentence]
    return len(_word(trigger).findall(before))


def is_complete(sentence: str) -> bool:
    """Whether a cleaned sentence reads as a whole sentence: a capital (or a quotation or a figure)
    first, final punctuation, between SHORTEST and LONGEST words, not a question."""
    words = sentence.split()
    if not SHORTEST <= len(words) <= LONGEST:
        return False
    first = sentence.lstrip("\"“‘'«")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    return bool(_FINAL.search(sentence))


def _title_like(source: Source, text: str) -> bool:
    """A title line: the first sentence, capitalised, long enough, with no final punctuation."""
    words = text.split()
    return (source.sentence_index == 0 and SHORTEST <= len(words) <= 30 and text[:1].isupper()
            and not text.endswith(("?", ":", ",")) and not _FINAL.search(text))


def _preference(source: Source, text: str, entry: TimelineEntry) -> tuple[int, ...]:
    complete = is_complete(text) or _title_like(source, text)
    dated = source.timex_value is not None and source.timex_value == entry.date.value
    return (
        0 if complete else 1,
        1 if _OPENING_QUOTE.match(text) else 0,  # the reporter's words over a quotation
        0 if dated else 1,
        0 if (source.trigger or entry.trigger) in text else 1,
        source.sentence_index,
        abs(len(text.split()) - 25),
    )


def headline_of(entry: TimelineEntry) -> str:
    """One complete sentence stating the entry's event (see the module docstring)."""
    candidates: Sequence[tuple[Source, str]] = [
        (s, clause_of(clean_sentence(s.sentence), s.trigger or entry.trigger,
                      trigger_occurrence(s, s.trigger or entry.trigger)))
        for s in entry.sources if s.sentence.strip()]
    if not candidates:
        return _as_sentence(clean_sentence(entry.summary))
    source, text = min(candidates, key=lambda c: (*_preference(c[0], c[1], entry), c[0].doc_id, c[0].start))
    if _title_like(source, text):
        return text + "."
    return _as_sentence(text)


def _as_sentence(text: str) -> str:
    """A capital first and final punctuation, for text that lacks them."""
    text = _TIMELESS_END.sub("", text.strip())
    if not text:
        return text
    if text[0].islower():
        text = text[0].upper() + text[1:]
    if not _FINAL.search(text) and not text.endswith("?"):
        text += "."
    return text
