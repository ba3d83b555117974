"""The output contract: schema validation of timeline documents."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from extractors.export import json_bytes, timeline_document, validate_timeline, validation_sample
from extractors.schema import DocumentRecord, EventDate, Source, TimelineEntry


def _entry(i: int) -> TimelineEntry:
    return TimelineEntry(
        id=f"ev-{i:012x}", date=EventDate("2023-09-07", None, dt.date(2023, 9, 7), dt.date(2023, 9, 7), "day",
                                         "explicit"),
        type="meeting", trigger="met", summary="Kim met Putin", actors=("Kim Jong Un",), locations=(),
        modality="asserted", confidence=0.9,
        sources=(Source("a", 0, "Kim met Putin.", 4, 7, "7 September 2023", "2023-09-07"),),
    )


def test_export_validate_timeline_accepts_a_valid_document():
    doc = timeline_document([DocumentRecord("a", "a.txt", "processed")], [_entry(i) for i in range(3)],
                            dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert validate_timeline(doc) == []


def test_export_validate_timeline_reports_violations_in_full_and_sampled_mode():
    entries = [_entry(i) for i in range(50)]
    doc = timeline_document([], entries, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    for event in doc["events"]:
        event["modality"] = "certain"
    assert len(validate_timeline(doc)) == 50
    assert 9 <= len(validate_timeline(doc, max_events=10)) <= 10
    doc["documents"] = [{"doc_id": ""}]
    assert any(p.startswith("documents/0") for p in validate_timeline(doc, max_events=10))


def test_export_validate_timeline_sample_includes_every_event_shape():
    """A fault only in a rare shape of event (here the one event with a conflict) is found even
    when the evenly spaced part of the sample would miss it."""
    doc = timeline_document([], [_entry(i) for i in range(1_000)], dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    doc["events"][777]["conflicts"] = [{"date": "2023-09", "date_start": None, "date_end": None, "doc_ids": []}]
    problems = validate_timeline(doc, max_events=10)
    assert problems and all(p.startswith("events/") and "doc_ids" in p for p in problems)


def test_export_validation_sample_keeps_order_and_size():
    events = [{"id": i, "conflicts": [1] if i % 97 == 5 else []} for i in range(1_000)]
    sample = validation_sample(events, 20)
    assert sample == sorted(sample, key=lambda e: e["id"])
    assert {0, 5}.issubset({e["id"] for e in sample}) and 18 <= len(sample) <= 20


@pytest.mark.parametrize("payload", [
    {"a": [1, 2.5, 0.333, None, True, "é\u2028\x01\"\\"], "b": {}, "c": [], "d": {"x": [], "y": {"z": -0.0}}},
    {"text": "Kim Jong Un 金正恩 \U0001f600", "n": 10 ** 15, "confidence": [round(k / 997, 3) for k in range(998)]},
    [],
])
def test_export_json_bytes_are_the_standard_library_bytes(payload):
    """The files are compared byte for byte across runs and versions: the fast encoder must write
    exactly what `json.dumps(indent=2, ensure_ascii=False)` writes."""
    assert json_bytes(payload) == (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@pytest.mark.parametrize("summary, actor, written_summary, written_actors", [
    ("=HYPERLINK(\"http://x\",\"click\")", "Kim Jong Un", "'=HYPERLINK(\"http://x\",\"click\")", "Kim Jong Un"),
    ("+1 more sanction", "@evil", "'+1 more sanction", "'@evil"),
    ("-5 degrees in Moscow", "Putin", "'-5 degrees in Moscow", "Putin"),
    ("Kim met Putin", "=cmd|' /C calc'!A0", "Kim met Putin", "'=cmd|' /C calc'!A0"),
    ("a = b", "Kim; =x", "a = b", "Kim; =x"),  # only a cell's first character matters
])
def test_export_csv_text_cells_cannot_run_as_formulas(summary, actor, written_summary, written_actors):
    import io

    import pandas as pd

    from extractors.export import timeline_csv_bytes

    entry = dataclasses.replace(_entry(1), summary=summary, actors=(actor,), trigger="-met",
                                date=EventDate("-0044-03-15", None, None, None, "day", "explicit"))
    rows = pd.read_csv(io.BytesIO(timeline_csv_bytes([entry])), dtype=str, keep_default_na=False)
    assert rows.loc[0, "summary"] == written_summary
    assert rows.loc[0, "actors"] == written_actors
    assert rows.loc[0, "trigger"] == "'-met"
    # Dates, values and numbers are data, never prefixed.
    assert rows.loc[0, "date"] == "-0044-03-15"
    assert rows.loc[0, "confidence"] == "0.9" and rows.loc[0, "id"] == "ev-000000000001"
