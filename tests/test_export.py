"""The output contract: schema validation of timeline documents."""

from __future__ import annotations

import datetime as dt

from extractors.export import timeline_document, validate_timeline
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
    assert len(validate_timeline(doc, max_events=10)) == 10
    doc["documents"] = [{"doc_id": ""}]
    assert any(p.startswith("documents/0") for p in validate_timeline(doc, max_events=10))
