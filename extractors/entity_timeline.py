"""The timeline of one entity, cut from a run's `timeline.json`: its events in order, dated, with
their sources. Pure functions over the decoded JSON; `timeline entity` (flows/cli.py) reads and
writes the files.

An event belongs to the entity when one of its actors designates it (`extractors.entity_match`:
the name, an alias, a surname, initials, "iPhone 4" for "iPhone"). Events keep the order of
`timeline.json` (chronological, undated last).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from extractors.entity_match import matches

_SLUG = re.compile(r"[^a-z0-9]+")


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
            events.append(dict(event))
    return {"entity": name, "matched_names": sorted(names), "events": events}


def _date_label(event: Mapping[str, Any]) -> str:
    date = event.get("date") or "undated"
    mod = event.get("date_mod")
    return f"{date} ({mod})" if mod else date


def format_entity_timeline(result: Mapping[str, Any]) -> str:
    """One line per event: date, type, summary, and the source articles."""
    lines = [f"{result['entity']}: {len(result['events'])} events"
             + (f" (as {', '.join(result['matched_names'])})" if result["matched_names"] else "")]
    for event in result["events"]:
        docs = sorted({s.get("doc_id", "") for s in event.get("sources", ())})
        lines.append(f"{_date_label(event):<22} {event.get('type', ''):<16} {event.get('summary', '')}"
                     f"  [{', '.join(docs)}]")
    return "\n".join(lines)


def similar_names(timeline: Mapping[str, Any], name: str, limit: int = 5) -> list[str]:
    """Actor names of the timeline closest to `name`, for a query that matched nothing."""
    from rapidfuzz import fuzz, process

    actors: Sequence[str] = sorted({a for e in timeline.get("events", ()) for a in e.get("actors", ())})
    return [m[0] for m in process.extract(name, actors, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)]
