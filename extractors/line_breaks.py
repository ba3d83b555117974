"""Sentence starts at the line breaks that end a headline, a dateline or a paragraph, set before the parser.

spaCy's parser decides sentence boundaries from the words alone and often runs a headline, the date
line under it and the lead into one "sentence" ("Lindsay Lohan Leaves Betty Ford, Checks Into Malibu
Rehab / First Published: June 13, 2013 / Lindsay Lohan has ..."). Everything read per sentence then
goes wrong together: the dateline's date binds the headline's and the lead's predicates, predicates of
the three lines count as told in one sentence (and are joined as one happening), and an entry's
headline is no sentence. The parser keeps boundaries set before it runs, so this component marks them.

A blank line always ends a sentence. A single line break does in text laid out one line per headline,
date line or paragraph, unless the line reads on (it ends in a comma, a hyphen or a function word, or
the next starts in lower case); text hard-wrapped at a fixed width (most wrapped lines go on in lower
case) keeps the parser's decisions.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Token

LINE_BREAKS_COMPONENT = "timeline_line_breaks"

# Share of single line breaks followed by a lower-case word above which a text is taken as hard-wrapped,
# and the number of breaks from which that share is read (two or three breaks tell nothing).
HARD_WRAP_LOWERCASE_SHARE = 0.3
HARD_WRAP_MIN_BREAKS = 4
# A line ending in one of these reads on into the next one.
_CONTINUING_ENDS = frozenset(",;-–—/&(")
_CONTINUING_TAGS = frozenset({"DT", "IN", "CC", "TO", "PDT", "WDT", "PRP$"})


def line_sentence_starts(doc: Doc) -> list[int]:
    """Indexes of the tokens that start a sentence because a line break before them ends one."""
    breaks: list[tuple[Token, Token, bool]] = []  # (last token of the line, first of the next, blank line)
    text = doc.text
    if "\n" not in text:
        return []
    # The space tokens holding a line break, found from the text: visiting every token would cost a
    # Python object each (a token's own trailing whitespace is at most one space).
    starts = doc.to_array(IDX)
    at: set[int] = set()
    position = text.find("\n")
    while position >= 0:
        at.add(int(numpy.searchsorted(starts, position, side="right")) - 1)
        position = text.find("\n", position + 1)
    for i in sorted(at):
        token = doc[i]
        if not token.is_space or "\n" not in token.text or token.i == 0 or token.i + 1 >= len(doc):
            continue
        before, after = doc[token.i - 1], doc[token.i + 1]
        if before.is_space or after.is_space:
            continue
        breaks.append((before, after, token.text.count("\n") >= 2))
    single = [(b, a) for b, a, blank in breaks if not blank]
    lower = sum(1 for _, a in single if a.text[:1].islower())
    hard_wrapped = len(single) >= HARD_WRAP_MIN_BREAKS and lower > HARD_WRAP_LOWERCASE_SHARE * len(single)
    starts = []
    for before, after, blank in breaks:
        if blank or not (hard_wrapped or _reads_on(before, after)):
            starts.append(after.i)
    return starts


def _reads_on(before: Token, after: Token) -> bool:
    """Whether the line ending in `before` goes on in the line starting with `after`."""
    if after.text[:1].islower() or before.text[-1:] in _CONTINUING_ENDS:
        return True
    # A line ending in an article, a preposition or a conjunction ("... ferrying the\nSomali vessels")
    # cannot end a sentence. (The tagger has run; the coarse part of speech comes after the parser.)
    return before.tag_ in _CONTINUING_TAGS


@Language.component(LINE_BREAKS_COMPONENT)
def mark_line_sentence_starts(doc: Doc) -> Doc:
    for i in line_sentence_starts(doc):
        doc[i].is_sent_start = True
    return doc
