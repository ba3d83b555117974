"""The Prefect UI artifacts: keys, the timeline table, the run summary (pure builders)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from flows.artifacts import (
    LINK_KEY,
    SUMMARY_KEY,
    TABLE_KEY,
    artifact_key,
    page_link,
    run_summary_markdown,
    timeline_table,
    timex_label,
)

TIMELINE = {
    "events": [
        {"date": "2023-07", "date_mod": "END", "date_start": "2023-07-21", "date_end": "2023-07-31", "type": "visit", "modality": "asserted",
         "summary": "Shoigu visits Pyongyang", "sources": [{"doc_id": "b"}, {"doc_id": "a"}, {"doc_id": "b"}],
         "conflicts": [{"date": "2023-08-01", "doc_ids": ["c"]}]},
        {"date": "2023-09", "date_mod": None, "type": "meeting", "modality": "planned",
         "summary": "Putin and Kim to meet", "sources": [{"doc_id": "c"}], "conflicts": []},
        {"date": None, "date_mod": None, "type": "statement", "modality": "asserted",
         "summary": "Officials warn | again", "sources": [], "conflicts": []},
    ]
}

REPORT = {
    "generated_at": "2026-11-22T20:00:00+00:00", "source_dir": "seeds", "output_dir": "/tmp/out",
    "counts": {"processed": 3, "skipped": 1, "failed": 1, "files": 5, "events": 3, "mentions": 4, "conflicts": 1},
    "estimated_publication_dates": {"c": "2023-08-02"},
    "publication_date_evidence": {"c": {"publication_date_source": "estimated", "publication_date": "2023-08-02",
                                        "publication_date_earliest": None,
                                        "publication_date_evidence": "from a (1 shared sentence(s)): “Shoigu | Kim”"}},
    "timings_seconds": {"load": 0.01, "extract": 1.5},
    "cache": {"enabled": True, "dir": "/tmp/out/.cache", "hits": 2, "misses": 1, "version": "1+m-3"},
    "documents": [
        {"path": "a.txt", "status": "processed", "reason": None},
        {"path": "notes.pdf", "status": "skipped", "reason": "unsupported type .pdf"},
        {"path": "bad.txt", "status": "failed", "reason": "extraction failed: ValueError: x|y"},
    ],
}


@pytest.mark.parametrize("base, deployment, expected", [
    (TABLE_KEY, None, "timeline-table"),
    (SUMMARY_KEY, "daily", "timeline-run-summary-daily"),
    (LINK_KEY, "Daily Seeds_Run", "timeline-page-daily-seeds-run"),
    (TABLE_KEY, "  ", "timeline-table"),
    (TABLE_KEY, "Ünïcode ✓", "timeline-table-n-code"),
])
def test_artifacts_key_is_lowercase_dash(base, deployment, expected):
    key = artifact_key(base, deployment)
    assert key == expected
    assert key == key.lower() and all(c.isalnum() or c == "-" for c in key)


def test_artifacts_key_is_one_history_per_source_folder_or_deployment(tmp_path):
    seeds, other = tmp_path / "news" / "Seeds", tmp_path / "archive" / "Seeds"
    key = artifact_key(TABLE_KEY, None, str(seeds))
    assert key.startswith("timeline-table-seeds-") and len(key) == len("timeline-table-seeds-") + 8
    # Same folder name elsewhere: another timeline, another history.
    assert artifact_key(TABLE_KEY, None, str(other)) != key
    # A relative path names the same folder as its absolute form.
    assert artifact_key(TABLE_KEY, None, os.path.relpath(seeds)) == key
    # A deployment's runs keep the deployment's history whatever folder they read.
    assert artifact_key(TABLE_KEY, "daily", str(seeds)) == artifact_key(TABLE_KEY, "daily", str(other)) \
        == "timeline-table-daily"
    # A name with nothing of the key alphabet leaves the hash alone.
    assert re.fullmatch(r"timeline-table-[0-9a-f]{8}", artifact_key(TABLE_KEY, None, str(tmp_path / "✓✓")))


@pytest.mark.parametrize("bad", ["Timeline", "timeline_table", "timeline table"])
def test_artifacts_key_rejects_bases_prefect_would_reject(bad):
    with pytest.raises(ValueError, match="lowercase"):
        artifact_key(bad)


@pytest.mark.parametrize("event, label", [
    ({"date": "2023-07", "date_mod": "END"}, "2023-07 END"),
    ({"date": "2023-09-07", "date_mod": None}, "2023-09-07"),
    ({"date": None}, ""),
])
def test_artifacts_timex_label(event, label):
    assert timex_label(event) == label


def test_artifacts_timeline_table_rows():
    rows = timeline_table(TIMELINE)
    assert rows[0] == {"date": "late July 2023", "timex": "2023-07 END", "key": "", "type": "visit", "modality": "asserted",
                       "headline": "Shoigu visits Pyongyang", "sources": "a, b", "conflicts": "2023-08-01 (c)"}
    assert rows[1]["modality"] == "planned" and rows[1]["sources"] == "c"
    assert rows[1]["date"] == "September 2023"
    assert (rows[2]["date"], rows[2]["timex"]) == ("undated", "")
    assert len(timeline_table(TIMELINE, limit=2)) == 2
    assert timeline_table({"events": []}) == []


def test_artifacts_timeline_table_lists_key_events_first_with_headlines():
    events = [
        {"date": "2023-07", "date_mod": "END", "date_start": "2023-07-21", "date_end": "2023-07-31", "type": "visit",
         "modality": "asserted", "summary": "traveled", "headline": "Shoigu traveled to Pyongyang in late July.",
         "rank": 3, "key": True, "sources": [{"doc_id": "a"}], "conflicts": []},
        {"date": "PRESENT_REF", "type": "other", "modality": "asserted", "summary": "think", "headline": "I think so.",
         "rank": 2, "key": False, "sources": [{"doc_id": "a"}], "conflicts": []},
        {"date": "2023-09-07", "date_start": "2023-09-07", "date_end": "2023-09-07", "type": "statement",
         "modality": "asserted", "summary": "said", "headline": "Harris said on Thursday it would be a huge mistake.",
         "rank": 1, "key": True, "sources": [{"doc_id": "b"}], "conflicts": []},
    ]
    rows = timeline_table({"events": events})
    assert [(r["key"], r["headline"]) for r in rows] == [
        ("key", "Shoigu traveled to Pyongyang in late July."),
        ("key", "Harris said on Thursday it would be a huge mistake."),
        ("", "I think so."),
    ]
    assert rows[0]["date"] == "late July 2023" and rows[1]["date"] == "7 September 2023"


def test_artifacts_run_summary_lists_counts_reasons_estimates_timings_and_files():
    outputs = {"timeline.json": "/tmp/out/timeline.json", "timeline.html": "/tmp/out/timeline.html"}
    text = run_summary_markdown(REPORT, outputs)
    assert text.startswith("# Timeline run: 3 timeline entries from 3 articles\n")
    assert "| documents processed | skipped | failed | timeline entries | event mentions | conflicts |" in text
    assert "| 3 | 1 | 1 | 3 | 4 | 1 |" in text
    assert "| notes.pdf | skipped | unsupported type .pdf |" in text
    assert "| bad.txt | failed | extraction failed: ValueError: x\\|y |" in text
    assert "a.txt" not in text.split("## Skipped and failed documents")[1].split("##")[0]
    assert "| c | 2023-08-02 | from a (1 shared sentence(s)): “Shoigu \\| Kim” |" in text
    assert "2 articles from the cache, 1 extracted" in text
    assert "| extract | 1.500 |" in text
    assert "- [timeline.html](file:///tmp/out/timeline.html)" in text
    assert "## Warnings on processed articles\n\nNone." in text


def test_artifacts_run_summary_lists_warnings_of_processed_articles_and_cuts_them():
    documents = [{"path": "a.txt", "status": "processed", "reason": None,
                  "warnings": ["invalid header date '2023-13-45' ignored", "2 invalid UTF-8 byte sequence(s) replaced"]}]
    text = run_summary_markdown({**REPORT, "documents": documents}, {})
    assert "| a.txt | invalid header date '2023-13-45' ignored |" in text
    assert "| a.txt | 2 invalid UTF-8 byte sequence(s) replaced |" in text
    many = [{"path": f"d{i}.txt", "status": "processed", "warnings": ["sidecar d.meta.json ignored"]}
            for i in range(60)]
    text = run_summary_markdown({**REPORT, "documents": many}, {})
    assert text.count("sidecar d.meta.json ignored") == 50
    assert "… and 10 more warnings (see run_report.json)." in text


def test_artifacts_run_summary_cuts_long_lists():
    documents = [{"path": f"f{i}.bin", "status": "skipped", "reason": "unsupported type .bin"} for i in range(120)]
    text = run_summary_markdown({**REPORT, "documents": documents, "estimated_publication_dates": {}}, {})
    assert text.count("unsupported type .bin") == 50
    assert "… and 70 more documents (see run_report.json)." in text
    assert "None: every processed article carried its publication date." in text


@pytest.mark.parametrize("names, expected", [
    (("timeline.json", "timeline.html", "timeline.csv"), "timeline.html"),
    (("timeline.json", "timeline.csv"), "timeline.json"),
    (("timeline.csv",), None),
])
def test_artifacts_page_link_prefers_the_html_page(names, expected, tmp_path):
    outputs = {name: str(tmp_path / name) for name in names}
    link = page_link(outputs)
    if expected is None:
        assert link is None
    else:
        assert link == (Path(outputs[expected]).as_uri(), expected)
