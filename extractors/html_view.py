"""The `timeline.json` document → one self-contained HTML page (`output/timeline.html`).

Pure and deterministic: the page depends only on the document (no clock, no environment),
so two runs over the same articles write byte-identical pages. Everything the page needs —
markup, CSS, JavaScript and data — is inlined; it makes no network request, so it opens
offline, from a mail attachment or from an archive.

Python prepares a compact view model (day numbers, human date labels, type colours,
sentences stored once); the packaged script `resources/html/timeline.js` draws it. The data
travels as JSON inside a `<script type="application/json">` element with `<`, `>` and `&`
escaped, and the script only ever inserts text with `textContent`, so article text such as
`</script><script>…` is shown, never run.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from extractors.entity_match import matching_names
from extractors.gc_pause import collection_paused
from extractors.resources import load_yaml, read_text
from extractors.timex_value import REFERENCES, date_label

_EPOCH = dt.date(1970, 1, 1)

# Categorical colours (Tableau-10 order, then darker variants); red is left out because the page uses it for conflicts.
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7",
           "#17becf", "#8c6d31", "#637939", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1")
OTHER_COLOUR = "#8c8c8c"

_PLACEHOLDER = re.compile(r"@@(TITLE|CSS|SCRIPT|DATA)@@")


def day_number(value: str | None) -> int | None:
    """Days since 1970-01-01 of an ISO date, the page's time coordinate (None when absent)."""
    if not value:
        return None
    return (dt.date.fromisoformat(value) - _EPOCH).days


@functools.lru_cache(maxsize=1)
def _taxonomy_order() -> tuple[str, ...]:
    """Event types in taxonomy order, so a type keeps its colour from one run to the next."""
    taxonomy = load_yaml("event_types.yaml")
    types = taxonomy.get("types") if isinstance(taxonomy, dict) else None
    return tuple(types or ())


def type_colours(type_names: Sequence[str]) -> dict[str, str]:
    """A colour per event type: taxonomy types by their taxonomy position, others after them."""
    order = list(_taxonomy_order())
    extra = sorted(t for t in set(type_names) if t not in order and t != "other")
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(order + extra)}
    colours["other"] = OTHER_COLOUR
    return {name: colours[name] for name in type_names}


def _placement(event: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(start, end, open side) of an event on the time axis.

    An interval with both ends is drawn; one with a single end ("before 7 September", from a
    past-tense verb in an article of that day) has no place on an axis and is listed with the
    undated events, with its bound; none at all is undated.
    """
    start, end = event.get("date_start"), event.get("date_end")
    if start and end:
        return start, end, None
    if end:
        return None, end, "before"
    if start:
        return start, None, "after"
    return None, None, None


def _event_sort_key(event: Mapping[str, Any]) -> tuple[Any, ...]:
    start, end, side = _placement(event)
    rank = 0 if side is None and start else 1 if side else 2
    return (rank, start or end or "", end or "", event["id"])


def view_model(timeline: Mapping[str, Any]) -> dict[str, Any]:
    """The compact, JSON-ready data the page script draws."""
    events = sorted(timeline.get("events", []), key=_event_sort_key)
    documents = timeline.get("documents", [])
    type_counts = Counter(e["type"] for e in events)
    # Lanes by size, with the catch-all type last: it is the least informative.
    type_names = sorted(type_counts, key=lambda t: (t == "other", -type_counts[t], t))
    colours = type_colours(type_names)
    sentences: list[list[Any]] = []
    sentence_index: dict[tuple[str, int, str], int] = {}

    def sentence_ref(source: Mapping[str, Any]) -> int:
        # Several events usually come from one sentence; store its text once.
        key = (source["doc_id"], source["sentence_index"], source["sentence"])
        if key not in sentence_index:
            sentence_index[key] = len(sentences)
            sentences.append([source["doc_id"], source["sentence_index"], source["sentence"]])
        return sentence_index[key]

    view_events = []
    for event in events:
        start, end, side = _placement(event)
        value = event.get("date")
        view_events.append({
            "id": event["id"],
            "label": date_label(value, event.get("date_mod"), event.get("date_start"), event.get("date_end")),
            "s": day_number(start) if side is None else None,
            "e": day_number(end) if side is None else None,
            "open": side,
            "bound": day_number(start or end) if side else None,
            # Placed only by a verb's tense or a "now": a weaker claim about when than a date.
            "vague": bool(value in REFERENCES or event.get("date_basis") == "tense"),
            "value": event.get("date"),
            "dmod": event.get("date_mod"),
            "gran": event.get("date_granularity"),
            "basis": event.get("date_basis"),
            "type": event["type"],
            "modality": event["modality"],
            "conf": event["confidence"],
            "summary": event["summary"],
            # A sentence for lists and details; the clause summary stays the chart's short label.
            "headline": event.get("headline") or event["summary"],
            "key": bool(event.get("key")),
            "rank": event.get("rank"),
            "trigger": event["trigger"],
            "actors": list(event.get("actors", [])),
            "locations": list(event.get("locations", [])),
            "src": [[sentence_ref(s), s.get("timex_text"), s.get("timex_value")] for s in event["sources"]],
            "conflicts": [
                {
                    "label": date_label(c["date"], None, c.get("date_start"), c.get("date_end")),
                    "s": day_number(c.get("date_start") or c.get("date_end")),
                    "e": day_number(c.get("date_end") or c.get("date_start")),
                    "docs": list(c["doc_ids"]),
                }
                for c in event.get("conflicts", [])
            ],
        })
    return {
        "actor_matches": actor_matches(events),
        "schema_version": timeline.get("schema_version"),
        "generated_at": timeline.get("generated_at"),
        "types": [{"name": t, "colour": colours[t], "count": type_counts[t]} for t in type_names],
        "docs": {
            d["doc_id"]: {
                "title": d.get("title"),
                "path": d.get("path"),
                "published": d.get("publication_date"),
                "published_day": day_number(d.get("publication_date")),
                "published_source": d.get("publication_date_source"),
                "published_earliest": d.get("publication_date_earliest"),
                "status": d.get("status"),
                "reason": d.get("reason"),
                "events": d.get("event_count", 0),
            }
            for d in sorted(documents, key=lambda d: d["doc_id"])
        },
        "sentences": sentences,
        "events": view_events,
    }


# The page's actor list offers the most frequent actors; each gets the names that designate it.
ACTOR_CHOICES = 500


def actor_matches(events: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Actor name (lower case) -> the actor names (lower case) that designate the same entity, for
    the page's actor choices: the filter matches as `timeline entity` does ("the Dow" finds "Dow
    Jones Industrial Average", "Putin" finds "Vladimir Putin"). Only names whose matches go beyond
    themselves are listed; a name typed that is not listed is matched as a substring."""
    counts = Counter(a for e in events for a in e.get("actors", ()))
    names = sorted(counts)
    choices = sorted(counts, key=lambda a: (-counts[a], a))[:ACTOR_CHOICES]
    out: dict[str, list[str]] = {}
    for query, found in matching_names(choices, names).items():
        lowered = sorted({f.lower() for f in found} | {query.lower()})
        if lowered != [query.lower()]:
            out[query.lower()] = lowered
    return out


def script_json(payload: Any) -> str:
    """JSON that is safe inside a `<script>` element: no `</script>`, `<!--` or entity can form."""
    # orjson: the standard library's encoder took a third of the page's time on large timelines.
    text = orjson.dumps(payload).decode("utf-8")
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    assets = {
        "template": read_text("html/timeline.html"),
        "CSS": read_text("html/timeline.css"),
        "SCRIPT": read_text("html/timeline.js"),
    }
    # Inlined assets must not be able to close their own element early.
    for name, closer in (("CSS", "</style"), ("SCRIPT", "</script")):
        if closer in assets[name].lower():
            raise ValueError(f"resources/html asset {name} contains {closer!r}")
    missing = {"TITLE", "CSS", "SCRIPT", "DATA"} - set(_PLACEHOLDER.findall(assets["template"]))
    if missing:
        raise ValueError(f"resources/html/timeline.html lacks placeholders {sorted(missing)}")
    return assets


def page_title(timeline: Mapping[str, Any]) -> str:
    events = timeline.get("events", [])
    documents = [d for d in timeline.get("documents", []) if d.get("status") == "processed"]
    return f"Timeline: {len(events)} events from {len(documents)} articles"


@collection_paused()
def render_timeline_html(timeline: dict[str, Any]) -> str:
    """The self-contained HTML page of a `timeline.json` document."""
    assets = _assets()
    values = {
        "TITLE": html.escape(page_title(timeline)),
        "CSS": assets["CSS"],
        "SCRIPT": assets["SCRIPT"],
        "DATA": script_json(view_model(timeline)),
    }
    # One pass, so a placeholder spelled inside the data or the assets is never substituted.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], assets["template"])
