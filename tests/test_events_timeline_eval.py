"""The SemEval-2015 Task 4 benchmark script: its scorer, date mapping, target matching, word ids."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from extractors.schema import EventDate

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "timeline_eval.py"
_spec = importlib.util.spec_from_file_location("timeline_eval", _PATH)
assert _spec and _spec.loader
te = importlib.util.module_from_spec(_spec)
sys.modules["timeline_eval"] = te
_spec.loader.exec_module(te)

GOLD = [
    (0, "XXXX-XX-XX", ("d-9-said",)),
    (1, "2008-06-09", ("d-2-launched", "e-3-launching")),
    (1, "2008-06-09", ("d-3-promoted",)),
    (2, "2010-06-24", ("f-23-discontinued",)),
]


@pytest.mark.parametrize("system,perfect", [
    (GOLD, True),
    ([r for r in GOLD if r[0] != 2], False),  # an event missing
    ([(2 if o == 1 else 1 if o == 2 else 0, d, e) for o, d, e in GOLD], False),  # order reversed
    ([(o, "2009-06-09" if d == "2008-06-09" else d, e) for o, d, e in GOLD], False),  # wrong date
    ([*GOLD, (3, "2011-01-01", ("g-1-extra",))], False),  # an extra event
])
def test_events_timeline_eval_scorer(system, perfect):
    score = te.score_timeline("iPhone 3G", system, GOLD)
    assert (score.precision == 1.0 and score.recall == 1.0) is perfect
    assert 0.0 <= score.f1 <= 1.0


def test_events_timeline_eval_order_zero_is_ignored():
    assert te.timeline_relations([(0, "XXXX-XX-XX", ("a-1-x", "b-2-y"))]) == set()


def test_events_timeline_eval_closure_entails_transitive_before():
    closure = te.Closure({("a", "BEFORE", "b"), ("b", "BEFORE", "c"), ("c", "SIMULTANEOUS", "d")})
    assert closure.entails(("a", "BEFORE", "d"))
    assert not closure.entails(("d", "BEFORE", "a"))
    assert closure.entails(("c", "SIMULTANEOUS", "d"))


def test_events_timeline_eval_micro_average_sums_counts():
    a = te.Score("a", 10, 4, 5, 2)
    b = te.Score("b", 0, 6, 0, 0)
    m = te.micro([a, b])
    assert (m.precision, m.recall) == (0.5, 0.2)


@pytest.mark.parametrize("date,dct,expected", [
    (EventDate("2010-06-07", None, dt.date(2010, 6, 7), dt.date(2010, 6, 7), "day", "explicit"), None, "2010-06-07"),
    (EventDate("2006-03", None, dt.date(2006, 3, 1), dt.date(2006, 3, 31), "month", "relative"), None, "2006-03"),
    (EventDate("PAST_REF", None, None, dt.date(2010, 6, 8), "ref", "tense"), dt.date(2010, 6, 8), "2010-06-08"),
    (EventDate("2023-SU", None, dt.date(2023, 6, 21), dt.date(2023, 9, 22), "season", "relative"), None, "2023"),
    (EventDate(), dt.date(2010, 6, 8), None),
])
def test_events_timeline_eval_task_date(date, dct, expected):
    assert te.task_date(date, dct) == expected


@pytest.mark.parametrize("target,actor,matches", [
    ("Steve Jobs", "Steve Jobs", True),
    ("Steve Jobs", "Jobs", True),
    ("Steve Jobs", "Steve", False),
    ("Beatles Apple Corps", "Apple Corps", True),
    ("Beatles Apple Corps", "Apple", False),
    ("iTunes store", "iTunes Music Store", True),
    ("iPhone 4", "iPhone", False),
    ("iPod", "iPod nano", False),
])
def test_events_timeline_eval_target_matches(target, actor, matches):
    assert te.target_matches(target, actor) is matches


def test_events_timeline_eval_reads_raw_text_and_maps_words(tmp_path):
    tml = tmp_path / "1_x.tml"
    tml.write_text(
        '<?xml version="1.0" encoding="utf-8"?><TimeML><DOCID>77</DOCID>'
        '<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="2010-06-08">x</TIMEX3></DCT>'
        '<TEXT><s id="1">June 8 , 2010</s><s id="2">Jobs <EVENT eid="e1">showed</EVENT> off the phone .</s></TEXT>'
        "</TimeML>", encoding="utf-8")
    doc = te.read_tml(tml)
    assert doc.doc_id == "77" and doc.dct == dt.date(2010, 6, 8)
    assert "EVENT" not in doc.body and "Jobs showed off the phone ." in doc.body
    start = doc.body.index("showed off")
    assert doc.event_id(start, start + len("showed off")) == "77-2-showed_off"
    assert doc.event_id(start, start + len("showed")) == "77-2-showed"


def test_events_timeline_eval_scorer_self_check_on_trial_gold():
    from conftest import shared_data

    gold = shared_data("timeline-trial") / "gold_timelines"
    assert te.check_scorer(gold) == []
