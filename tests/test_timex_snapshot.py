"""Before/after guard of the temporal core: the seeds' timexes equal a committed snapshot.

The snapshot (`tests/snapshots/seed_timexes.jsonl`) was written by `benchmarks/timex_snapshot.py
--write` from the tagger before the core was restructured (issue #20); a restructuring must give
every field of every timex unchanged (as the pipeline dates the article, and without a
publication date) and every event mention's date, tense and confidence. A deliberate
change of output rewrites the snapshot with that command and says why in its commit.
"""

from __future__ import annotations

import json

import pytest
from conftest import PROJECT_ROOT, load_benchmark

pytest.importorskip("spacy")
snapshot = load_benchmark("timex_snapshot")

SNAPSHOT = PROJECT_ROOT / "tests" / "snapshots" / "seed_timexes.jsonl"


def test_timex_snapshot_seeds_unchanged() -> None:
    expected = [json.loads(line) for line in SNAPSHOT.read_text(encoding="utf-8").splitlines() if line]
    actual = snapshot.seed_timexes()
    assert len(expected) > 100  # timexes of both passes and event dates of five articles
    assert snapshot.differences(expected, actual) == []


def test_timex_snapshot_differences_name_the_changed_record() -> None:
    a = [{"doc": "x", "value": "2023-09"}, {"doc": "x", "value": "2023-08"}]
    b = [{"doc": "x", "value": "2023-09"}, {"doc": "x", "value": "2023-07"}]
    diffs = snapshot.differences(a, b)
    assert len(diffs) == 1 and diffs[0].startswith("#1:") and "2023-07" in diffs[0]
