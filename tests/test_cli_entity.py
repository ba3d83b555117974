"""`timeline entity NAME`: one entity's timeline, cut from a run's timeline.json."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from extractors.entity_timeline import (
    entity_slug,
    entity_timeline,
    format_entity_timeline,
    placed_on,
    source_placed_on,
)
from flows.cli import app


def _event(eid: str, date: str | None, actors: list[str], summary: str, doc: str) -> dict:
    return {"id": eid, "date": date, "date_mod": None, "type": "market", "summary": summary, "actors": actors,
            "sources": [{"doc_id": doc, "sentence": summary}]}


TIMELINE = {"events": [
    _event("e1", "2008-10-06", ["Dow Jones Industrial Average"], "The Dow fell 800 points", "a"),
    _event("e2", "2008-10-07", ["Nasdaq"], "The Nasdaq fell", "b"),
    _event("e3", "2008-10-13", ["Dow"], "Blue chips rebounded", "c"),
    _event("e4", None, ["General Motors"], "GM cut jobs", "d"),
]}


@pytest.mark.parametrize("name,ids", [
    ("Dow Jones", ["e1", "e3"]),
    ("the Dow", ["e1", "e3"]),
    ("Nasdaq", ["e2"]),
    ("GM", ["e4"]),
    ("Ford", []),
])
def test_cli_entity_selects_events_through_aliases(name, ids):
    assert [e["id"] for e in entity_timeline(TIMELINE, name)["events"]] == ids


def test_cli_entity_lists_events_in_date_order_undated_last():
    timeline = {"events": [
        _event("undated", None, ["Dow"], "The Dow fell", "a"),
        {**_event("reported", "PAST_REF", ["Dow"], "The Dow had fallen", "b"), "date_basis": "tense",
         "date_end": "2008-10-09"},
        _event("late", "2008-10-13", ["Dow"], "The Dow rebounded", "c"),
        {**_event("month", "2008-10", ["Dow"], "The Dow's worst month", "d"), "date_start": "2008-10-01",
         "date_end": "2008-10-31", "date_basis": "explicit"},
        _event("early", "2008-10-06", ["Dow"], "The Dow fell 800 points", "e"),
    ]}
    events = entity_timeline(timeline, "Dow")["events"]
    assert [e["id"] for e in events] == ["month", "early", "reported", "late", "undated"]
    assert [e["placed_on"] for e in events] == ["2008-10", "2008-10-06", "2008-10-09", "2008-10-13", None]


@pytest.mark.parametrize("value,start,end,basis,reported,expected", [
    ("2008-10-06", dt.date(2008, 10, 6), dt.date(2008, 10, 6), "explicit", None, "2008-10-06"),
    ("2008-10", dt.date(2008, 10, 1), dt.date(2008, 10, 31), "relative", dt.date(2008, 10, 20), "2008-10"),
    # "shares had fallen" (tense) and "the index currently trades" (a timex): at the report's day
    ("PAST_REF", None, dt.date(2008, 10, 7), "tense", dt.date(2008, 10, 7), "2008-10-07"),
    ("PRESENT_REF", dt.date(2008, 10, 7), dt.date(2008, 10, 7), "relative", dt.date(2008, 10, 7), "2008-10-07"),
    ("FUTURE_REF", dt.date(2008, 10, 7), None, "tense", dt.date(2008, 10, 7), "2008-10-07"),
    ("PAST_REF", None, None, "none", None, None),  # no publication date: nowhere to place it
    # a week across two months: its Thursday's month (2008-W40 is 29 September - 5 October: Thursday 2 October)
    ("2008-W40", dt.date(2008, 9, 29), dt.date(2008, 10, 5), "relative", None, "2008-10"),
    ("2009-Q1", dt.date(2009, 1, 1), dt.date(2009, 3, 31), "explicit", None, "2009"),
    ("2008-WI", dt.date(2008, 12, 1), dt.date(2009, 2, 28), "relative", None, "2008"),  # the year it is written in
    ("XXXX-07", None, None, "none", None, None),
])
def test_cli_entity_placed_on(value, start, end, basis, reported, expected):
    assert placed_on(value, start, end, basis, reported) == expected


def test_cli_entity_prints_the_report_day_of_an_undated_event():
    timeline = {"events": [{**_event("e5", "PAST_REF", ["General Motors"], "GM had cut jobs", "d"),
                            "date_basis": "tense", "date_start": None, "date_end": "2008-10-07"}]}
    result = entity_timeline(timeline, "GM")
    assert result["events"][0]["placed_on"] == "2008-10-07"
    assert "PAST_REF, reported 2008-10-07" in format_entity_timeline(result)


@pytest.mark.parametrize("timex_value,event_placed,expected", [
    ("2003-09", "2003-09-11", "2003-09"),  # "filed in September 2003": its own date
    ("2006-W13", "2006-03-28", "2006-03"),
    ("PAST_REF", "2006-03-28", "2006-03-28"),  # "recently" says less than the event's date
    (None, "2006-03-28", "2006-03-28"),
])
def test_cli_entity_source_placed_on(timex_value, event_placed, expected):
    assert source_placed_on(timex_value, event_placed) == expected


def test_cli_entity_prints_a_source_dated_otherwise():
    event = {**_event("e6", "2003-09-11", ["Apple Corps"], "Apple Corps filed suit", "a"),
             "date_basis": "explicit", "date_start": "2003-09-11", "date_end": "2003-09-11"}
    event["sources"] = [{"doc_id": "a", "timex_value": "2003-09-11"}, {"doc_id": "b", "timex_value": "2003-09"}]
    assert "[a, b (2003-09)]" in format_entity_timeline(entity_timeline({"events": [event]}, "Apple Corps"))


def test_cli_entity_writes_and_prints(tmp_path):
    (tmp_path / "timeline.json").write_text(json.dumps(TIMELINE), encoding="utf-8")
    result = CliRunner().invoke(app, ["entity", "Dow Jones", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "2008-10-06" in result.stdout and "Blue chips rebounded" in result.stdout
    assert "The Nasdaq fell" not in result.stdout
    written = json.loads((tmp_path / "entities" / f"{entity_slug('Dow Jones')}.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in written["events"]] == ["e1", "e3"]
    assert written["matched_names"] == ["Dow", "Dow Jones Industrial Average"]


def test_cli_entity_without_a_run_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["entity", "Putin", "--output", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "timeline.json" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("name,actor,trigger", [
    ("Putin", "Vladimir Putin", "meet"),
    ("Kim Jong Un", "Kim Jong Un", "meet"),
    # "North Korea providing military support to Russia" (not "Seiler, a former officer for North
    # Korea, provides insight": a name inside an apposition describes, it does not take part).
    ("North Korea", "North Korea", "providing"),
])
def test_cli_entity_on_the_seeds_run(seeds_run, name, actor, trigger):
    _, output = seeds_run
    result = CliRunner().invoke(app, ["entity", name, "--output", str(output)])
    assert result.exit_code == 0, result.output
    written = json.loads((output / "entities" / f"{entity_slug(name)}.json").read_text(encoding="utf-8"))
    assert written["events"], result.output
    assert any(actor == a or a.replace("-", " ") == actor for a in written["matched_names"])
    assert any(trigger in e["trigger"] for e in written["events"])
    dated = [e["date_start"] for e in written["events"] if e.get("date_start")]
    assert dated == sorted(dated)


@pytest.mark.slow
def test_cli_entity_on_the_trial_corpus(prefect_harness, tmp_path):
    """A run over the SemEval trial articles (Wikinews, about Apple): "Apple Inc." gathers the
    company's events under its names and references; "iPhone" those of every iPhone model."""
    from flows.build_timeline import build_timeline
    from tests.conftest import load_benchmark, shared_data

    te = load_benchmark("timeline_eval")
    source = tmp_path / "trial"
    source.mkdir()
    for path in sorted((shared_data("timeline-trial") / "documents").glob("*.tml")):
        doc = te.read_tml(path)
        (source / f"{doc.doc_id}.txt").write_text(f" date {doc.dct.isoformat()}\n{doc.body}", encoding="utf-8")
    output = tmp_path / "out"
    build_timeline(source_dir=str(source), output_dir=str(output))
    apple = CliRunner().invoke(app, ["entity", "Apple Inc.", "--output", str(output)])
    assert apple.exit_code == 0, apple.output
    written = json.loads((output / "entities" / "apple-inc.json").read_text(encoding="utf-8"))
    assert {"Apple", "Apple Inc."} <= set(written["matched_names"])
    assert "Apple Corps" not in written["matched_names"]
    assert any(e["date"] == "1976" for e in written["events"])  # "Apple Computer was started ... in 1976"
    iphone = CliRunner().invoke(app, ["entity", "iPhone", "--output", str(output)])
    written = json.loads((output / "entities" / "iphone.json").read_text(encoding="utf-8"))
    assert {"iPhone", "iPhone 4"} <= set(written["matched_names"])
    assert any(e["trigger"] == "unveiled" and e["date"] == "2010-06-07" for e in written["events"]), iphone.output
