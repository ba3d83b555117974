"""The seed articles as a careful reader reads them: the flow over seeds/ end to end.

Runs the real `build_timeline` flow once per session (under the Prefect test harness) and
checks the produced files against what the articles say.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from extractors.export import CSV_COLUMNS, validate_timeline

pytestmark = pytest.mark.slow

MAVERICK = "002_2cd80822a07d7f9c"


@pytest.fixture(scope="module")
def timeline(seeds_run):
    _, output = seeds_run
    return json.loads((output / "timeline.json").read_text(encoding="utf-8"))


def _matching(timeline, *, types, actor=None, actors=(), date=None, text=None):
    found = []
    for event in timeline["events"]:
        names = " | ".join(event["actors"])
        if event["type"] not in types:
            continue
        if actor and actor not in names:
            continue
        if any(a not in names for a in actors):
            continue
        if date is not None and event["date"] != date:
            continue
        if text and not any(text.lower() in s["sentence"].lower() for s in event["sources"]):
            continue
        found.append(event)
    return found


def _doc_ids(event):
    return {s["doc_id"] for s in event["sources"]}


def test_seeds_outputs_exist_and_validate(seeds_run, timeline):
    _, output = seeds_run
    assert validate_timeline(timeline) == []
    assert {p.name for p in output.iterdir()} >= {"timeline.json", "timeline.csv", "run_report.json"}
    frame = pd.read_csv(output / "timeline.csv")
    assert tuple(frame.columns) == CSV_COLUMNS
    assert len(frame) == len(timeline["events"])
    report = json.loads((output / "run_report.json").read_text())
    assert report["counts"]["processed"] == 5 and report["counts"]["failed"] == 0


def test_seeds_publication_dates(timeline):
    dates = {d["doc_id"][:3]: (d["publication_date"], d["publication_date_source"]) for d in timeline["documents"]}
    assert dates["000"] == ("2023-11-06", "header")
    assert dates["001"] == ("2023-11-14", "header")
    assert dates["002"] == ("2023-09-07", "text")
    assert all(d["status"] == "processed" for d in timeline["documents"])


def test_seeds_shoigu_trip_late_july(timeline):
    trips = _matching(timeline, types={"visit", "meeting"}, actor="Shoigu", date="2023-07")
    assert trips, "Shoigu's trip to Pyongyang is missing"
    assert trips[0]["date_mod"] == "END"
    assert (trips[0]["date_start"], trips[0]["date_end"]) == ("2023-07-21", "2023-07-31")
    assert "Pyongyang" in trips[0]["locations"]


def test_seeds_sanctions_last_month(timeline):
    sanctions = _matching(timeline, types={"sanction"}, date="2023-08")
    assert sanctions, "Washington's sanctions (last month in 002) are missing"
    assert MAVERICK in _doc_ids(sanctions[0])
    assert any("Washington" in a for a in sanctions[0]["actors"])


def test_seeds_planned_summit_merged(timeline):
    summits = [e for e in _matching(timeline, types={"meeting", "visit", "negotiation"}, actors=("Kim", "Putin"))
               if (e["date"] or "").startswith("2023-09")]
    assert summits, "the planned Kim-Putin summit in September 2023 is missing"
    best = max(summits, key=lambda e: len(_doc_ids(e)))
    assert best["modality"] in {"planned", "possible"}
    assert len(_doc_ids(best)) >= 3, _doc_ids(best)


def test_seeds_harris_huge_mistake(timeline):
    statements = _matching(timeline, types={"statement", "warning"}, actor="Kamala Harris", date="2023-09-07",
                           text="mistake")
    assert statements, "Harris's 'huge mistake' statement on 2023-09-07 is missing"
    best = max(statements, key=lambda e: len(_doc_ids(e)))
    assert MAVERICK in _doc_ids(best) and len(_doc_ids(best)) >= 2, _doc_ids(best)


def test_seeds_sullivan_warning_on_tuesday(timeline):
    warnings = _matching(timeline, types={"warning", "statement"}, actor="Jake Sullivan", date="2023-09-05")
    assert warnings, "Sullivan's 'pay a price' warning on 2023-09-05 is missing"


def test_seeds_east_asia_summit_in_jakarta(timeline):
    summits = [e for e in _matching(timeline, types={"meeting"}, date="2023-09-07")
               if "Jakarta" in e["locations"] or any("East Asia Summit" in s["sentence"] for s in e["sources"])]
    assert summits, "the East Asia Summit in Jakarta on 2023-09-07 is missing"


def test_seeds_seiler_retired_this_summer(timeline):
    retirements = _matching(timeline, types={"appointment", "retirement", "personnel"}, actor="Sydney Seiler",
                            date="2023-SU")
    assert retirements, "Seiler's retirement (this summer, 2023-SU) is missing"


def test_seeds_events_in_chronological_order(timeline):
    starts = [e["date_start"] for e in timeline["events"]]
    dated = [s for s in starts if s is not None]
    assert dated == sorted(dated)
    assert starts[: len(dated)] == dated, "undated events must come last"


@pytest.mark.parametrize("furniture", ["Maverick", "MOST POPULAR", "subscribe", "comment before", "Back To Top",
                                       "Payment options", "MavericKids"])
def test_seeds_no_event_from_boilerplate(timeline, furniture):
    for event in timeline["events"]:
        for source in event["sources"]:
            assert furniture.lower() not in source["sentence"].lower(), (furniture, source)


def test_seeds_offsets_slice_the_stored_bodies(seeds_run, timeline):
    _, output = seeds_run
    bodies = {}
    for line in (output / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        bodies[record["doc_id"]] = record["body"]
    for event in timeline["events"]:
        for source in event["sources"]:
            body = bodies[source["doc_id"]]
            assert 0 <= source["start"] < source["end"] <= len(body)
            assert body[source["start"]:source["end"]] in source["sentence"] or \
                source["sentence"] in body


def test_seeds_run_is_deterministic(prefect_harness, seeds_dir, seeds_run, tmp_path):
    from flows.build_timeline import build_timeline

    _, first = seeds_run
    build_timeline(source_dir=str(seeds_dir), output_dir=str(tmp_path))
    assert (tmp_path / "timeline.csv").read_bytes() == (first / "timeline.csv").read_bytes()
    again, before = (json.loads((d / "timeline.json").read_text()) for d in (tmp_path, first))
    again.pop("generated_at"), before.pop("generated_at")
    assert again == before
