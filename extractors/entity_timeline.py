"""The timeline of one entity, cut from a run's `timeline.json`: its events in order, dated, with
their sources. Pure functions over the decoded JSON; `timeline entity` (flows/cli.py) reads and
writes the files.

An event belongs to the entity when one of its actors designates it (`extractors.entity_match`:
the name, an alias, a surname, initials, "iPhone 4" for "iPhone"). Events keep the order of
`timeline.json` (chronological, undated last). Each gets `placed_on` (`placed_on`): the calendar
day, month or year the entity's timeline places it at, the day it was reported for an event the
article gives no date of its own ("has taken medical leave", "the store currently sells").
A source whose own words date it otherwise ("filed in September 2003" in one article of an event
another dates to 11 September 2003) is placed at its own date (`source_placed_on`) and printed with
it. `benchmarks/timeline_eval.py` places its events with the same functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from extractors.entity_match import matches

_SLUG = re.compile(r"[^a-z0-9]+")
_CALENDAR_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
# Periods written after the year that are no month: their interval decides.
_PERIOD_OF_YEAR = re.compile(r"^\d{4}-(W|SU|SP|FA|WI|Q|H)")
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_REPORTED_BASES = frozenset({"tense", "estimated", "relative"})


def placed_on(value: str | None, start: dt.date | None, end: dt.date | None, basis: str | None,
              reported: dt.date | None) -> str | None:
    """The calendar day, month or year (`YYYY[-MM[-DD]]`) at which an entity's timeline places an
    event dated `value` (TIMEX3, with its inclusive interval `start`..`end` and `basis`) in an article
    of publication date `reported`; None when it cannot be placed.

    - A reference value ("PAST_REF" from the verb's tense, or from "recently", "currently", "now")
      says only on which side of the report the event lies: it is placed at the report's day, where
      the news that tells it is dated (SemEval-2015's TimeLine gold anchors reported events there).
    - An ISO week is placed in the month holding its Thursday, the day ISO 8601 assigns a week to
      its year by ("this week" of Monday 27 March 2006 is March; the interval spans two months).
    - A season, quarter or half is placed in the narrowest calendar unit holding its interval.
    """
    if not value:
        return None
    if value.endswith("_REF"):
        return reported.isoformat() if reported is not None and basis in _REPORTED_BASES else None
    week = _ISO_WEEK.match(value)
    if week:
        thursday = dt.date.fromisocalendar(int(week[1]), int(week[2]), 4)
        return f"{thursday.year:04d}-{thursday.month:02d}"
    m = _CALENDAR_PREFIX.match(value)
    if m and not _PERIOD_OF_YEAR.match(value):
        return "-".join(g for g in m.groups() if g)
    if start is not None and end is not None:
        if start == end:
            return start.isoformat()
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.year:04d}-{start.month:02d}"
        if start.year == end.year:
            return f"{start.year:04d}"
    return m.group(1) if m else None


def source_placed_on(timex_value: str | None, event_placed: str | None) -> str | None:
    """Where an entity's timeline places one source of a merged event: at the date its own words
    give ("filed in September 2003" in one article, while the event's date comes from another's
    "on 11 September 2003"), else where the event is placed. A reference value ("recently") or an
    unplaceable one says less than the event's date."""
    if timex_value and not timex_value.endswith("_REF"):
        own = placed_on(timex_value, None, None, "explicit", None)
        if own is not None:
            return own
    return event_placed


def _reported_day(event: Mapping[str, Any]) -> dt.date | None:
    """The publication day a reference value was read against: its interval's bound (PAST_REF ends
    on it, FUTURE_REF starts on it)."""
    for key in ("date_end", "date_start"):
        day = event.get(key)
        if day:
            try:
                return dt.date.fromisoformat(day)
            except ValueError:
                return None
    return None


def event_placed_on(event: Mapping[str, Any]) -> str | None:
    """`placed_on` for an event of `timeline.json`."""
    def day(key: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(event[key]) if event.get(key) else None
        except ValueError:
            return None
    return placed_on(event.get("date"), day("date_start"), day("date_end"), event.get("date_basis"),
                     _reported_day(event))


def entity_slug(name: str) -> str:
    """File-name form of an entity name ("Kim Jong Un" -> "kim-jong-un")."""
    return _SLUG.sub("-", name.lower()).strip("-") or "entity"


def entity_timeline(timeline: Mapping[str, Any], name: str) -> dict[str, Any]:
    """`{"entity", "matched_names", "events"}`: the events of `timeline` one of whose actors
    designates `name`, as `timeline.json` gives them."""
    events: list[dict[str, Any]] = []
    names: set[str] = set()
    for event in timeline.get("events", ()):
        hits = [a for a in event.get("actors", ()) if matches(name, a)]
        if hits:
            names.update(hits)
            events.append({**event, "placed_on": event_placed_on(event)})
    # In the order a reader follows: by where each event is placed ("2023-09" before "2023-09-05":
    # the coarser date first, as a calendar lists a month before its days), the events that cannot
    # be placed last; ties keep timeline.json's order (stable sort).
    events.sort(key=lambda e: (e["placed_on"] is None, e["placed_on"] or ""))
    return {"entity": name, "matched_names": sorted(names), "events": events}


def _date_label(event: Mapping[str, Any]) -> str:
    date = event.get("date") or "undated"
    mod = event.get("date_mod")
    label = f"{date} ({mod})" if mod else date
    placed = event.get("placed_on")
    return f"{label}, reported {placed}" if date.endswith("_REF") and placed else label


def format_entity_timeline(result: Mapping[str, Any]) -> str:
    """One line per event: date, type, summary, and the source articles."""
    lines = [f"{result['entity']}: {len(result['events'])} events"
             + (f" (as {', '.join(result['matched_names'])})" if result["matched_names"] else "")]
    for event in result["events"]:
        # A source whose own words date it otherwise than the event shows that date beside it.
        placed = event.get("placed_on")
        docs = sorted({s.get("doc_id", "") + (f" ({own})" if (own := source_placed_on(s.get("timex_value"), placed))
                                              != placed and own else "")
                       for s in event.get("sources", ())})
        lines.append(f"{_date_label(event):<22} {event.get('type', ''):<16} {event.get('summary', '')}"
                     f"  [{', '.join(docs)}]")
    return "\n".join(lines)


def similar_names(timeline: Mapping[str, Any], name: str, limit: int = 5) -> list[str]:
    """Actor names of the timeline closest to `name`, for a query that matched nothing."""
    from rapidfuzz import fuzz, process

    actors: Sequence[str] = sorted({a for e in timeline.get("events", ()) for a in e.get("actors", ())})
    return [m[0] for m in process.extract(name, actors, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)]
