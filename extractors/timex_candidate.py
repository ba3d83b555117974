"""A temporal expression found but not yet resolved: where it is, which rule found it, its
underspecified value (`timex_resolve.Underspecified` reads it), modifier and TIMEX3 type.

Shared by the finder (`timex`), the tense reader (`tense`) and the context passes
(`timex_context`), which each read candidates and none of which owns them.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class Candidate:
    """Plain data (no compiled rule), so that what finding keeps can be cached and resolved later."""

    start: int
    end: int
    rule: str  # the name of the rule that found it
    uvalue: str
    mod: str | None
    type: str
    priority: int = 0  # the rule's: which of two candidates of one extent wins


def tokens_of(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering characters start..end (widened to whole tokens)."""
    return doc.char_span(start, end, alignment_mode="expand")
