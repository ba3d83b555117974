"""Large feeds: skipped lines listed by reason and line ranges, every line still accounted for."""

from __future__ import annotations

import re

import pytest

from extractors.export import timeline_document, validate_timeline
from extractors.record_compaction import compact_skipped_lines
from extractors.schema import DocumentRecord

NO_TEXT = "no article text (no body, text, content, maintext, article, html, raw_html field)"


def _line(n: int, reason: str = NO_TEXT, status: str = "skipped") -> DocumentRecord:
    return DocumentRecord(doc_id=f"feed:{n}", path=f"feed.jsonl:{n}", status=status, reason=reason)  # type: ignore[arg-type]


def _lines_covered(record: DocumentRecord) -> int:
    spelled = record.path.rsplit(":", 1)[1]
    return sum(int(b) - int(a) + 1 if b else 1 for a, b in re.findall(r"(\d+)(?:-(\d+))?", spelled))


def test_compaction_of_a_feed_of_records_without_text():
    documents = [_line(n) for n in range(1, 100_001) if n != 500]
    documents.insert(10, DocumentRecord(doc_id="feed:500", path="feed.jsonl:500", status="processed"))
    documents.append(_line(100_001, "not valid JSON (Expecting value at column 1)"))
    documents.append(DocumentRecord(doc_id="other", path="other.txt", status="skipped", reason="empty file"))
    compact = compact_skipped_lines(documents)
    assert len(compact) == 4
    ranges = {d.reason: d for d in compact if d.path.startswith("feed.jsonl:") and d.status == "skipped"}
    assert ranges[f"{NO_TEXT} (99,999 lines)"].path == "feed.jsonl:1-499,501-100000"
    assert ranges[f"{NO_TEXT} (99,999 lines)"].doc_id == "feed:1-499,501-100000"
    assert ranges["not valid JSON (Expecting value at column 1) (1 lines)"].path == "feed.jsonl:100001"
    # Every line is still accounted for, and the report stays valid.
    assert sum(_lines_covered(d) for d in compact if d.path.startswith("feed.jsonl")) == 100_001
    import datetime as dt

    assert validate_timeline(timeline_document(compact, [], dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc))) == []


def test_compaction_bounds_ranges_per_entry():
    documents = [_line(n) for n in range(1, 5000, 2)]  # every other line: 2,500 ranges of one line
    compact = compact_skipped_lines(documents, max_ranges=20)
    assert len(compact) == 125
    assert all(len(d.path) < 200 for d in compact)
    assert sum(_lines_covered(d) for d in compact) == 2500


@pytest.mark.parametrize("count", [10, 1000])
def test_compaction_leaves_small_feeds_line_by_line(count):
    documents = [_line(n) for n in range(1, count + 1)]
    assert compact_skipped_lines(documents) == documents
