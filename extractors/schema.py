"""The records every stage passes around, and the output contract.

All records are frozen dataclasses of plain values (str, int, float, date,
tuples) so that they hash, pickle, cache and compare by value. Extractors take
and return these; the flow only moves them between tasks; the writers turn
`TimelineEntry` and `DocumentRecord` into the JSON/CSV contract described in
README.md and `schemas/timeline.schema.json`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

SCHEMA_VERSION = "1.1"

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
DateMod = Literal["START", "MID", "END", "APPROX", "BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER",
                  "EQUAL_OR_LESS", "EQUAL_OR_MORE", "LESS_THAN", "MORE_THAN"]
# How an event got its date: a fully specified timex ("7 September 2023"), a timex resolved against
# the publication date ("on Thursday"), the verb's tense relative to the publication date, any of
# those resolved against an *estimated* publication date, or nothing.
DateBasis = Literal["explicit", "relative", "tense", "estimated", "none"]
Granularity = Literal["time", "day", "week", "month", "season", "quarter", "half", "year",
                      "decade", "century", "ref", "unknown"]
Modality = Literal["asserted", "planned", "possible", "negated", "hypothetical"]
# Where a publication date comes from: sidecar/page/record metadata, the ` date` header line, a date
# written in the page's URL, a dateline or date line in the text, another article reporting the same
# event (estimated), or nothing but a lower bound (bounded: the text reports a dated event as past).
PublicationDateSource = Literal["metadata", "header", "url", "text", "estimated", "bounded", "none"]
DocumentStatus = Literal["processed", "skipped", "failed"]

MODALITIES: tuple[str, ...] = ("asserted", "planned", "possible", "negated", "hypothetical")
DATE_BASES: tuple[str, ...] = ("explicit", "relative", "tense", "estimated", "none")


@dataclass(frozen=True)
class Article:
    """One loaded input article. `body` is the text all character offsets refer to."""

    doc_id: str
    path: str
    body: str
    title: str | None = None
    url: str | None = None
    publication_date: dt.date | None = None
    publication_date_source: PublicationDateSource = "none"
    sha256: str = ""
    # Known when only a lower bound is (`publication_date_source="bounded"`): the article reports
    # an event of that day as past, so it was written on or after it.
    publication_date_earliest: dt.date | None = None
    # What the date or the bound rests on, for people: the dateline, the URL, the borrowed sentence.
    publication_date_evidence: str | None = None
    # Non-fatal problems found while loading ("invalid header date '2023-13-45' ignored").
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Timex:
    """A temporal expression found in a text, normalized to a TIMEX3 value.

    `start`/`end` are character offsets into the text given to the tagger, so
    `text == source[start:end]`. `interval_start`/`interval_end` are the inclusive
    calendar dates the expression denotes when it denotes a span of days (None for
    durations, sets, references such as PAST_REF and values with unknown parts).
    """

    start: int
    end: int
    text: str
    type: TimexType
    value: str
    mod: str | None = None
    interval_start: dt.date | None = None
    interval_end: dt.date | None = None
    granularity: Granularity = "unknown"
    # True when the value needed the publication date (or context) to resolve.
    relative: bool = False


@dataclass(frozen=True)
class EventDate:
    """The date an event is placed at, with how it was obtained."""

    value: str | None = None  # TIMEX3 value, e.g. "2023-09-07", "2023-07", "2023-SU", "PAST_REF"
    mod: str | None = None
    start: dt.date | None = None  # inclusive interval
    end: dt.date | None = None
    granularity: Granularity = "unknown"
    basis: DateBasis = "none"


@dataclass(frozen=True)
class EventMention:
    """One event as one article states it."""

    doc_id: str
    sentence_index: int
    sentence: str
    trigger: str
    trigger_lemma: str
    trigger_start: int  # character offsets into Article.body
    trigger_end: int
    clause_start: int
    clause_end: int
    type: str
    summary: str
    actors: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    modality: Modality = "asserted"
    tense: str | None = None  # "past" | "present" | "future" | None
    date: EventDate = field(default_factory=EventDate)
    timex_text: str | None = None
    timex_value: str | None = None
    confidence: float = 0.5
    # Where the trigger starts in `sentence` (-1: unknown): a sentence may name the trigger's word
    # twice ("Harris said ..., while a former official said ..."), and the headline needs this one.
    trigger_in_sentence: int = -1
    # The subject is a group or an institution ("US officials", "the Biden administration",
    # "Washington"), not one person: its statement may be one of its named officials' (merging).
    group_speaker: bool = False


@dataclass(frozen=True)
class Source:
    """Where a timeline entry is stated: one mention's provenance."""

    doc_id: str
    sentence_index: int
    sentence: str
    start: int
    end: int
    timex_text: str | None
    timex_value: str | None
    # The trigger as written (not an output field: where in the sentence the event is named, for
    # the headline).
    trigger: str = ""
    trigger_in_sentence: int = -1  # not an output field either (see EventMention)


@dataclass(frozen=True)
class Conflict:
    """A date some sources gave for an entry that is incompatible with the entry's date."""

    date: str
    date_start: dt.date | None
    date_end: dt.date | None
    doc_ids: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEntry:
    """One real-world event of the merged timeline."""

    id: str
    date: EventDate
    type: str
    trigger: str
    summary: str
    actors: tuple[str, ...]
    locations: tuple[str, ...]
    modality: Modality
    confidence: float
    sources: tuple[Source, ...]
    conflicts: tuple[Conflict, ...] = ()
    # Set by `extractors.salience.rank_entries` once the whole timeline is merged: a one-sentence
    # headline from the best source sentence, importance 0-1, its rank (1 = most important) and
    # whether it is one of the key entries a reader sees first.
    headline: str = ""
    salience: float = 0.0
    rank: int = 0
    key: bool = False


@dataclass(frozen=True)
class DocumentRecord:
    """What happened to one input file in a run."""

    doc_id: str
    path: str
    status: DocumentStatus
    reason: str | None = None
    title: str | None = None
    publication_date: dt.date | None = None
    publication_date_source: PublicationDateSource = "none"
    event_count: int = 0
    publication_date_earliest: dt.date | None = None
    publication_date_evidence: str | None = None
    warnings: tuple[str, ...] = ()
    duplicate_of: str | None = None
