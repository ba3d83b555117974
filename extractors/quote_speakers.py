"""Who speaks in reported words: the speaker whose words hold a first-person pronoun.

"'We will cut 1,000 jobs this year,' said Alan Mulally": "we" is Mulally's; "'I expect deliveries
to start in October,' Airbus chief executive Tom Enders said": "I" is Enders. Found through the
parse and the quotation marks, never through word lists of names:
- inside quotation marks (`quote_spans`, paired per paragraph, so a quote may run over several
  sentences), the speaker is the subject of a reporting verb outside the quote in a sentence the
  quote begins or ends in ("..., Jobs said" / "said Jobs" / "Jobs said: ..."), or the object of
  "according to" there; a quote without one continues the speaker of the paragraph's quote before;
- in a passage set off by a colon without quotation marks (`colon_passages`: a letter, memo or
  statement given in full, to the end of its paragraph and on through the following paragraphs
  written in the first person), the subject of a reporting verb before the colon, else the name
  that owns what is given ("Apple released the text of Jobs's email, which reads: ... I will
  continue as CEO");
- otherwise, the subject of the reporting verb that governs the pronoun's clause ("Jobs wrote that
  we ..."), or of a reporting verb set beside it ("We are proud, Jobs wrote").
`speaker_of(pronoun, ...)` returns the speaker's head token (a name, a pronoun or a description);
naming it is the caller's (`extractors.references`). A speaker that is the pronoun itself ("I said")
is no answer.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from spacy.tokens import Span, Token

_OPENING = frozenset("“«")
_CLOSING = frozenset("”»")
_STRAIGHT = '"'
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# How reported words hang from the verb reporting them, or the reporting verb from them.
_REPORTED_DEPS = frozenset({"ccomp", "parataxis", "xcomp", "conj"})


_QUOTE_OR_BREAK = re.compile('[“”«»"]|\n\n')


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the quoted passages of `text`: curly quotes by their
    direction, straight double quotes in pairs; a quote left open at a blank line ends there
    (a new paragraph of a long quotation opens again)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for m in _QUOTE_OR_BREAK.finditer(text):
        ch, at = m.group(), m.start()
        if ch == "\n\n":
            if start is not None:
                spans.append((start, at))
            start = None
        elif ch in _OPENING or (ch == _STRAIGHT and start is None):
            start = at + 1
        elif start is not None:
            spans.append((start, at))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


# First-person words of a paragraph that continues a passage ("US" is not "us").
_FIRST_PERSON = re.compile(r"\b(?:I|[Mm]y|[Mm]e|[Ww]e|[Oo]ur|[Uu]s)\b")
_COLON = re.compile(r":\s")


def colon_passages(text: str) -> list[tuple[int, int]]:
    """Character spans of the passages a colon introduces outside quotation marks: from the colon
    to the end of its paragraph, and on over the following paragraphs while they are written in
    the first person (a memo given in full)."""
    paragraphs: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n\n"):
        paragraphs.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    quotes = quote_spans(text)
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(paragraphs):
        start, end = paragraphs[k]
        colon = next((m for m in _COLON.finditer(text, start, end)
                      if not any(qs <= m.start() < qe for qs, qe in quotes)), None)
        k += 1
        if colon is None:
            continue
        while k < len(paragraphs) and _FIRST_PERSON.search(text, paragraphs[k][0], paragraphs[k][1]):
            end = paragraphs[k][1]
            k += 1
        spans.append((colon.end(), end))
    return spans


def speaker_of(pronoun: Token, text: str, quotes: Sequence[tuple[int, int]], segments: Sequence[Span],
               reporting_verbs: frozenset[str], passages: Sequence[tuple[int, int]] = ()) -> Token | None:
    """The head token of the speaker whose words hold `pronoun`, else None. `text` is the
    document's text, `quotes` its `quote_spans`, `passages` its `colon_passages`, `segments` its
    sentences in order."""
    at = pronoun.idx
    k = bisect.bisect_right(quotes, (at, len(text) + 1)) - 1
    if k >= 0 and quotes[k][0] <= at < quotes[k][1]:
        # A quote without a reporting verb of its own continues the speaker of the quote before it
        # in the same paragraph ('"We will cut jobs," said X. "I am confident."').
        while k >= 0:
            start, end = quotes[k]
            for sent in _sentences_at(segments, (start - 1, end)):
                speaker = _reporter_outside(sent, start, end, reporting_verbs)
                if speaker is not None and speaker.i != pronoun.i:
                    return speaker
            if k == 0 or "\n\n" in text[quotes[k - 1][1]:start]:
                return None
            k -= 1
        return None
    k = bisect.bisect_right(passages, (at, len(text) + 1)) - 1
    if k >= 0 and passages[k][0] <= at < passages[k][1]:
        start, end = passages[k]
        for sent in _sentences_at(segments, (start - 1,)):
            speaker = _reporter_outside(sent, start, end, reporting_verbs) or _owner_before(sent, start)
            if speaker is not None:
                return speaker
        return None
    return _reporter_by_parse(pronoun, reporting_verbs)


def _owner_before(sent: Span, start: int) -> Token | None:
    """The last proper-noun possessor before the passage ("the text of Jobs's email, which reads:")."""
    owner = None
    for tok in sent:
        if tok.idx >= start:
            break
        if tok.dep_ == "poss" and tok.pos_ == "PROPN":
            owner = tok
    return owner


def _sentences_at(segments: Sequence[Span], offsets: tuple[int, ...]) -> list[Span]:
    """The sentences holding the given character offsets (the quote's edges), each once."""
    out: list[Span] = []
    for offset in offsets:
        lo, hi = 0, len(segments)
        while lo < hi:  # the last sentence starting at or before `offset` (no list of starts built)
            mid = (lo + hi) // 2
            if segments[mid].start_char <= offset:
                lo = mid + 1
            else:
                hi = mid
        k = lo - 1
        if k >= 0 and offset <= segments[k].end_char and all(s.start != segments[k].start for s in out):
            out.append(segments[k])
    return out


def _reporter_outside(sent: Span, start: int, end: int, reporting_verbs: frozenset[str]) -> Token | None:
    """The subject of a reporting verb of `sent` that stands outside the quote [start, end), or
    the object of "according to" there."""
    for tok in sent:
        if start <= tok.idx < end:
            continue
        if tok.pos_ == "VERB" and tok.lemma_.lower() in reporting_verbs:
            subject = _subject(tok)
            if subject is not None and not start <= subject.idx < end and subject.tag_ not in ("WDT", "WP"):
                return subject
        elif tok.lower_ == "according":
            source = _according_to(tok)
            if source is not None:
                return source
    return None


def _reporter_by_parse(pronoun: Token, reporting_verbs: frozenset[str]) -> Token | None:
    node = pronoun
    for _ in range(6):
        head = node.head
        if head.i == node.i:
            break
        if (head.pos_ == "VERB" and head.lemma_.lower() in reporting_verbs and node.dep_ in _REPORTED_DEPS
                and (subject := _subject(head)) is not None and subject.i != pronoun.i):
            return subject
        node = head
    # "We are proud of the team, Jobs wrote": the reporting verb beside the clause, or "according to".
    for child in node.children:
        if (child.dep_ in _REPORTED_DEPS and child.pos_ == "VERB" and child.lemma_.lower() in reporting_verbs
                and not child.left_edge.i <= pronoun.i <= child.right_edge.i):
            subject = _subject(child)
            if subject is not None and subject.i != pronoun.i:
                return subject
        if child.lower_ == "according" and (source := _according_to(child)) is not None:
            return source
    return None


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)


def _according_to(according: Token) -> Token | None:
    """The object of "according to" (the parser hangs "to" on "according", or on the verb)."""
    for child in according.children:
        if child.dep_ == "pobj":
            return child
        if child.lower_ == "to":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None

