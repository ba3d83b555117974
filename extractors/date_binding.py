"""Binding a publication date to what extraction found: a pure step over plain data, no parse.

Extraction (`pipeline`) keeps what does not depend on the publication date: each parsed piece's
temporal expressions as found (`timex.FoundTimexes`: candidates with underspecified values and
tenses) and its events as found (`event_dates.EventsFound`: mentions with the predicates each
timex extent governs). `bind_publication_date(article, extraction)` then, without spaCy:

1. for an article without a date, resolves the timexes without one and reads its publication
   date (or a lower bound) from them (`pubdate.date_article_from_text`; from the first piece only,
   where datelines and "Published" lines stand);
2. resolves the timexes against the publication date, else the earliest one (`resolve_timexes`);
3. dates each event from the timex that governs it or from its tense (`bind_event_dates`), and
   widens the dates of an article known only to be published on or after a day (`mark_bounded`).

So an estimated date costs a second binding, not a second parse or extraction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from extractors.event_dates import EventsFound, bind_event_dates
from extractors.pubdate import date_article_from_text, mark_bounded
from extractors.schema import Article, EventMention, Timex
from extractors.timex import FoundTimexes, resolve_timexes


@dataclass(frozen=True)
class PieceFound:
    """One parsed piece of an article: where it starts in the body, its timexes as found (offsets
    in the piece) and its events as found (mentions with offsets in the body)."""

    offset: int
    timexes: FoundTimexes
    events: EventsFound


@dataclass(frozen=True)
class DateFreeExtraction:
    """What an article yields before a publication date is bound: a function of its id and body
    alone, so it is cached by content."""

    doc_id: str
    pieces: tuple[PieceFound, ...]


@dataclass(frozen=True)
class ArticleExtraction:
    """What one article yields. `article` carries a publication date found in its text, if any."""

    article: Article
    timexes: tuple[Timex, ...]
    mentions: tuple[EventMention, ...]


def bind_publication_date(article: Article, extraction: DateFreeExtraction) -> ArticleExtraction:
    """`extraction` (of `article`'s body) dated against `article`'s publication date; without one,
    against the date or lower bound its text gives."""
    pieces = extraction.pieces
    undated: list[list[Timex]] | None = None
    if article.publication_date is None:
        undated = [resolve_timexes(p.timexes, None) for p in pieces]
        article = date_article_from_text(article, [_shifted(t, pieces[0].offset) for t in undated[0]] if pieces else [])
    # An article known only to be published on or after a day is read as if published that day
    # (the earliest its relative dates can be), and its event dates are then widened to "on or after".
    reference = reference_date(article)
    bounded = article.publication_date is None and reference is not None
    reading = dataclasses.replace(article, publication_date=reference) if bounded else article
    timexes: list[Timex] = []
    mentions: list[EventMention] = []
    for index, piece in enumerate(pieces):
        resolved = (undated[index] if undated is not None and reference is None
                    else resolve_timexes(piece.timexes, reference))
        # A bounded article's own timexes stay as its text gives them (no day invented from the earliest date).
        shown = undated[index] if undated is not None and article.publication_date is None else resolved
        timexes.extend(_shifted(t, piece.offset) for t in shown)
        mentions.extend(bind_event_dates(piece.events, piece.timexes.text, resolved, reading))
    return ArticleExtraction(article=article, timexes=tuple(timexes),
                             mentions=tuple(mark_bounded(mentions) if bounded else mentions))


def reference_date(article: Article) -> dt.date | None:
    """The date an article's relative expressions are read against: its publication date, else its earliest."""
    return article.publication_date or article.publication_date_earliest


def _shifted(timex: Timex, offset: int) -> Timex:
    return dataclasses.replace(timex, start=timex.start + offset, end=timex.end + offset) if offset else timex
