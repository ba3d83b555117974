"""The output contract: records → `timeline.json` / `timeline.csv` / `run_report.json` content.

Pure: builds dicts, DataFrames and bytes; the flow writes them. The JSON Schema of
`timeline.json` is `extractors/resources/timeline.schema.json`; `validate_timeline` checks
a document against it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
import pandas as pd

from extractors.gc_pause import collection_paused
from extractors.resources import load_json
from extractors.schema import SCHEMA_VERSION, DocumentRecord, TimelineEntry

LIST_SEPARATOR = "; "
CSV_COLUMNS = (
    "id", "date", "date_mod", "date_start", "date_end", "date_granularity", "date_basis", "type",
    "headline", "salience", "rank", "key", "trigger", "summary", "actors", "locations", "modality", "confidence", "source_count", "doc_ids",
    "conflicts",
)
# Columns of free text taken from the articles. A spreadsheet runs a cell that starts with one of
# FORMULA_STARTS as a formula ("=HYPERLINK(...)", "@SUM(...)"), so such a cell gets a leading
# apostrophe, which spreadsheets show as text. Ids, dates, values and numbers are never changed.
CSV_TEXT_COLUMNS = ("trigger", "summary", "actors", "locations", "doc_ids", "conflicts")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str | None) -> str | None:
    """The cell with an apostrophe in front when a spreadsheet would read it as a formula."""
    return "'" + cell if cell and cell.startswith(FORMULA_STARTS) else cell


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def document_to_json(record: DocumentRecord) -> dict[str, Any]:
    return {
        "doc_id": record.doc_id,
        "path": record.path,
        "title": record.title,
        "publication_date": _iso(record.publication_date),
        "publication_date_source": record.publication_date_source,
        "publication_date_earliest": _iso(record.publication_date_earliest),
        "publication_date_evidence": record.publication_date_evidence,
        "status": record.status,
        "reason": record.reason,
        "event_count": record.event_count,
        "warnings": list(record.warnings),
        "duplicate_of": record.duplicate_of,
    }


def entry_to_json(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "date": entry.date.value,
        "date_mod": entry.date.mod,
        "date_start": _iso(entry.date.start),
        "date_end": _iso(entry.date.end),
        "date_granularity": entry.date.granularity,
        "date_basis": entry.date.basis,
        "type": entry.type,
        "headline": entry.headline,
        "salience": round(float(entry.salience), 4),
        "rank": entry.rank,
        "key": entry.key,
        "trigger": entry.trigger,
        "summary": entry.summary,
        "actors": list(entry.actors),
        "locations": list(entry.locations),
        "modality": entry.modality,
        "confidence": round(float(entry.confidence), 3),
        "sources": [
            {
                "doc_id": s.doc_id,
                "sentence_index": s.sentence_index,
                "sentence": s.sentence,
                "start": s.start,
                "end": s.end,
                "timex_text": s.timex_text,
                "timex_value": s.timex_value,
            }
            for s in entry.sources
        ],
        "conflicts": [
            {"date": c.date, "date_start": _iso(c.date_start), "date_end": _iso(c.date_end), "doc_ids": list(c.doc_ids)}
            for c in entry.conflicts
        ],
    }


@collection_paused()
def timeline_document(
    documents: Sequence[DocumentRecord], entries: Sequence[TimelineEntry], generated_at: dt.datetime
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
        "documents": [document_to_json(d) for d in sorted(documents, key=lambda d: (d.path, d.doc_id))],
        "events": [entry_to_json(e) for e in entries],
    }


def timeline_frame(entries: Iterable[TimelineEntry]) -> pd.DataFrame:
    """One row per entry with the scalar fields; lists joined with '; '."""
    rows = [
        (
            entry.id, entry.date.value, entry.date.mod, _iso(entry.date.start), _iso(entry.date.end),
            entry.date.granularity, entry.date.basis, entry.type, entry.headline, round(float(entry.salience), 4),
            entry.rank, entry.key, entry.trigger, entry.summary,
            LIST_SEPARATOR.join(entry.actors), LIST_SEPARATOR.join(entry.locations), entry.modality,
            round(float(entry.confidence), 3), len(entry.sources),
            LIST_SEPARATOR.join(sorted({s.doc_id for s in entry.sources})),
            LIST_SEPARATOR.join(f"{c.date} ({', '.join(c.doc_ids)})" for c in entry.conflicts),
        )
        for entry in entries
    ]
    return pd.DataFrame.from_records(rows, columns=list(CSV_COLUMNS))


def csv_frame(entries: Iterable[TimelineEntry]) -> pd.DataFrame:
    """`timeline_frame` as written to timeline.csv: free-text cells made spreadsheet-safe."""
    frame = timeline_frame(entries)
    for column in CSV_TEXT_COLUMNS:
        frame[column] = frame[column].map(spreadsheet_safe)
    return frame


@collection_paused()
def timeline_csv_bytes(entries: Iterable[TimelineEntry]) -> bytes:
    buffer = io.StringIO()
    csv_frame(entries).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def json_bytes(payload: Any) -> bytes:
    """Deterministic JSON: stable key order from the dict builders, UTF-8, 2-space indent, trailing newline.

    orjson writes the same bytes as `json.dumps(payload, ensure_ascii=False, indent=2) + "\\n"`
    (a test holds it to that); the standard library falls back to its pure-Python encoder when
    indenting, which took longer than merging on a large timeline.
    """
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    schema = load_json("timeline.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def validate_timeline(payload: dict[str, Any], max_events: int | None = None) -> list[str]:
    """Schema violations of a timeline.json document, as readable strings (empty when valid).

    With `max_events`, a larger timeline is checked with all its documents and a sample of its
    events (`validation_sample`): every event comes from the same builder, so a sample finds a
    systematic fault, and full validation of tens of thousands of events costs more than
    extracting them. Tests validate whole files.
    """
    events = payload.get("events")
    if max_events is not None and isinstance(events, list) and len(events) > max_events:
        payload = {**payload, "events": validation_sample(events, max_events)}
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in sorted(_validator().iter_errors(payload), key=lambda e: list(map(str, e.absolute_path)))
    ]


def _event_shape(event: Any) -> tuple[Any, ...]:
    """Which fields of an event are null or empty, and their types: events of one shape take the
    same paths through the builder and the schema."""
    if not isinstance(event, dict):
        return (type(event).__name__,)
    return tuple((key, type(value).__name__, bool(value) if isinstance(value, list) else None)
                 for key, value in event.items())


def validation_sample(events: Sequence[Any], size: int) -> list[Any]:
    """The first event of every shape (a rare shape, e.g. with conflicts, is the likeliest to hide
    a fault) and evenly spaced events up to about `size` in all, in their original order."""
    chosen: dict[int, None] = {}
    seen: set[tuple[Any, ...]] = set()
    for index, event in enumerate(events):
        shape = _event_shape(event)
        if shape not in seen:
            seen.add(shape)
            chosen[index] = None
    step = len(events) / size
    for k in range(size):
        if len(chosen) >= size:
            break
        chosen.setdefault(int(k * step))
    return [events[i] for i in sorted(chosen)]


def articles_jsonl_bytes(articles: Iterable[Any]) -> bytes:
    """The bodies all character offsets refer to, one JSON object per line, so readers can verify them."""
    lines = [
        json.dumps({"doc_id": a.doc_id, "path": a.path, "title": a.title, "body": a.body}, ensure_ascii=False)
        for a in sorted(articles, key=lambda a: a.doc_id)
    ]
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")
