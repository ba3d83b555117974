"""Dating the events of one text against its publication date: a pure step, no parse.

Finding events (`events.find_events`) reads the parse once and keeps, besides the mentions, what
dating them needs from it: for each extent a timex can have, the predicate it governs and how far
(`Governs`), and for each mention the predicates whose timex would date it, in the order they are
tried (`AnchorStep`: its own, its subject's, the occasion it is placed at, then the governors in
its clause). Which timex anchors depends on the resolved values (only dated DATE and TIME
expressions anchor, and "One year later" after a date becomes one), so it is chosen here, once
the timexes are resolved against a publication date: `bind_event_dates` can be run again against
another date (an estimate) without the parse.

A mention's date:
1. From the timex that governs it: `basis` "explicit" for an absolute timex, "relative" for one
   resolved against the publication date, "estimated" when that date was itself estimated; a
   reference value ("recently" -> PAST_REF) is "relative" with the publication date as bound.
2. Otherwise from its tense relative to the publication date (`basis` "tense"): past ->
   "PAST_REF" ending at the publication date, present -> "PRESENT_REF" on it, future or planned ->
   "FUTURE_REF" from it; without a publication date the same values with no interval and `basis`
   "none".
3. Hypothetical events, and events with no tense information, get `EventDate()` (basis "none").
Between 1 and 2, a past event dated only by its tense may take the date of the narrative around
it (`narrative_dates`: the dated simple-past clause that governs it, the happening its lead dates).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.event_confidence import mention_confidence
from extractors.event_lexicon import OTHER_TYPE
from extractors.narrative_dates import NarrativeFacts, narrative_dates
from extractors.schema import Article, EventDate, EventMention, Timex
from extractors.timex_context import counted_from_dates

ANCHOR_TYPES = frozenset({"DATE", "TIME"})
_REF_VALUES = {"past": "PAST_REF", "present": "PRESENT_REF", "future": "FUTURE_REF"}


@dataclass(frozen=True)
class Governs:
    """A timex extent (character offsets in its text) and a predicate it governs: that
    predicate's token index in the parse, `hops` up the tree from the timex (nearest wins). An
    extent governs one predicate above it, and the clauses "when" hangs on it ("Monday, when ...")."""

    start: int
    end: int
    node: int
    hops: int


@dataclass(frozen=True)
class AnchorStep:
    """A predicate whose governing timex would date a mention: its token index, whether it is the
    mention's own trigger, and the hops that inheriting from it costs (for the confidence)."""

    node: int
    own: bool
    hops: int


@dataclass(frozen=True)
class EventsFound:
    """The events of one parsed text before a publication date is bound: the mentions (their
    `date`, `timex_text`, `timex_value` and `confidence` are set by `bind_event_dates`), each
    mention's anchor steps in the order they are tried, and what each timex extent governs."""

    mentions: tuple[EventMention, ...]
    anchor_steps: tuple[tuple[AnchorStep, ...], ...]
    governs: tuple[Governs, ...]
    narrative: NarrativeFacts


def bind_event_dates(found: EventsFound, text: str, timexes: Sequence[Timex], article: Article) -> list[EventMention]:
    """The mentions of `found` dated against `article`'s publication date, given the timexes of
    `text` (the text the events were found in) resolved against that date."""
    governed = _governed(counted_from_dates(text, timexes), found.governs)
    estimated = article.publication_date_source == "estimated"
    out = []
    for mention, steps in zip(found.mentions, found.anchor_steps, strict=True):
        anchor = next(((governed[s.node], s) for s in steps if s.node in governed), None)
        used = anchor[0] if anchor is not None and mention.modality != "hypothetical" else None
        if used is not None:
            date = date_from_timex(used, article)
        else:
            date = date_from_tense(mention.tense, mention.modality, article.publication_date)
            if date.basis == "tense" and estimated:
                date = dataclasses.replace(date, basis="estimated")
        hops = anchor[1].hops if used is not None and anchor is not None and not anchor[1].own else 0
        out.append(_with_date(
            mention, date=date, timex_text=used.text if used else None, timex_value=used.value if used else None,
            confidence=mention_confidence(typed=mention.type != OTHER_TYPE, date_basis=date.basis,
                                          inherited_hops=hops, modality=mention.modality,
                                          has_actor=bool(mention.actors), estimated_publication=estimated)))
    # What has no timex of its own may take one from the narrative around it.
    return narrative_dates(out, found.narrative, timexes, article.publication_date, estimated)


def _with_date(mention: EventMention, **dating: object) -> EventMention:
    """`dataclasses.replace(mention, **dating)` at a fifth of its cost (binding re-dates every
    mention of a collection; `replace` re-validates all twenty fields): the frozen record's
    attributes copied, the dating ones set."""
    dated = object.__new__(EventMention)
    dated.__dict__.update(mention.__dict__)
    dated.__dict__.update(dating)
    return dated


def _governed(timexes: Sequence[Timex], governs: Sequence[Governs]) -> dict[int, Timex]:
    """Token index of the predicate each anchoring timex governs -> that timex (nearest wins, then
    the first in text order)."""
    by_extent: dict[tuple[int, int], list[Governs]] = {}
    for g in governs:
        by_extent.setdefault((g.start, g.end), []).append(g)
    governed: dict[int, Timex] = {}
    distance: dict[int, int] = {}
    for timex in timexes:
        if timex.type not in ANCHOR_TYPES or not timex.value:
            continue
        for g in by_extent.get((timex.start, timex.end), ()):
            if g.node not in governed or g.hops < distance[g.node]:
                governed[g.node] = timex
                distance[g.node] = g.hops
    return governed


def date_from_timex(timex: Timex, article: Article) -> EventDate:
    if timex.relative and article.publication_date_source == "estimated":
        basis = "estimated"
    elif timex.relative:
        basis = "relative"
    else:
        basis = "explicit"
    start, end = timex.interval_start, timex.interval_end
    if timex.value.endswith("_REF"):
        # "recently", "in recent days", "soon": only a side of the publication date.
        basis = "estimated" if article.publication_date_source == "estimated" else "relative"
        dct = article.publication_date
        if start is None and end is None and dct is not None:
            start = None if timex.value == "PAST_REF" else dct
            end = None if timex.value == "FUTURE_REF" else dct
    return EventDate(timex.value, timex.mod, start, end, timex.granularity, basis)  # type: ignore[arg-type]


def date_from_tense(tense: str | None, modality: str, dct: dt.date | None) -> EventDate:
    if modality == "hypothetical":
        return EventDate()
    if modality in ("planned",) and tense != "past":
        tense = "future"
    if tense is None:
        return EventDate()
    value = _REF_VALUES[tense]
    if dct is None:
        return EventDate(value=value, granularity="ref", basis="none")
    start = None if tense == "past" else dct
    end = None if tense == "future" else dct
    return EventDate(value=value, start=start, end=end, granularity="ref", basis="tense")
