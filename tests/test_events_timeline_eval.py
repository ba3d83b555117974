"""The SemEval-2015 Task 4 benchmark script: its scorer, date mapping, target matching, word ids."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import load_benchmark

from extractors.schema import EventDate

te = load_benchmark("timeline_eval")

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
    # "The store currently sells": a reference value read from a timex is placed at the report, as
    # one read from the tense is.
    (EventDate("PRESENT_REF", None, dt.date(2006, 6, 20), dt.date(2006, 6, 20), "ref", "relative"),
     dt.date(2006, 6, 20), "2006-06-20"),
    (EventDate("PAST_REF", None, None, dt.date(2006, 6, 20), "ref", "relative"), dt.date(2006, 6, 20), "2006-06-20"),
    # "filed a lawsuit this week" (Monday 27 March - Sunday 2 April 2006): the month of its Thursday.
    (EventDate("2006-W13", None, dt.date(2006, 3, 27), dt.date(2006, 4, 2), "week", "relative"), None, "2006-03"),
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


def _tml(tmp_path, doc_id: str, dct: str, sentence: str):
    path = tmp_path / f"{doc_id}.tml"
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><TimeML><DOCID>{doc_id}</DOCID>'
        f'<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="{dct}">x</TIMEX3></DCT>'
        f'<TEXT><s id="1">{sentence}</s></TEXT></TimeML>', encoding="utf-8")
    return te.read_tml(path)


def _leave(doc, summary: str, actors: tuple[str, ...], date: EventDate):
    from extractors.schema import EventMention

    start = doc.body.index("leave")
    return EventMention(doc_id=doc.doc_id, sentence_index=0, sentence=doc.body, trigger="leave", trigger_lemma="leave",
                        trigger_start=start, trigger_end=start + 5, clause_start=0, clause_end=len(doc.body),
                        type="retirement", summary=summary, actors=actors, date=date)


def test_events_timeline_eval_merged_entry_places_every_source(tmp_path):
    """A merged entry lends one date to its sources, not its participants: Jobs's leave is placed at
    the date of the earliest report, which lies inside the month his article gives; the actorless
    "medical leave" of the other article names no one and stays out (as the task's annotators read
    each sentence)."""
    first = _tml(tmp_path, "1", "2011-01-17", "Monday marked the third time that he has taken medical leave .")
    later = _tml(tmp_path, "2", "2011-08-25", "Steve Jobs has been on medical leave since January .")
    mentions = (
        _leave(first, "medical leave", (),
               EventDate(value="PAST_REF", end=dt.date(2011, 1, 17), granularity="ref", basis="tense")),
        _leave(later, "Steve Jobs' medical leave", ("Steve Jobs",),
               EventDate(value="2011-01", start=dt.date(2011, 1, 1), end=dt.date(2011, 1, 31), granularity="month",
                         basis="relative")),
    )
    extracted = te.Extracted({d.doc_id: d for d in (first, later)}, mentions)
    unmerged = te.build_timelines(["Steve Jobs"], extracted, merge=False)["Steve Jobs"]
    merged = te.build_timelines(["Steve Jobs"], extracted, merge=True)["Steve Jobs"]
    assert unmerged == [(1, "2011-01", ("2-1-leave",))]
    assert merged == [(1, "2011-01-17", ("2-1-leave",))]


def test_events_timeline_eval_a_source_naming_other_participants_stays_theirs(tmp_path, monkeypatch):
    """In a merged entry, a source naming participants of its own, none of them the target, is about
    them: Tim Cook's leave, merged with Jobs's, is not on Jobs's timeline, nor is the actorless one."""
    first = _tml(tmp_path, "1", "2011-01-17", "Monday marked the third time that he has taken medical leave .")
    later = _tml(tmp_path, "2", "2011-08-25", "Steve Jobs has been on medical leave since January .")
    other = _tml(tmp_path, "3", "2011-01-18", "Tim Cook covered during the medical leave in January .")
    january = EventDate(value="2011-01", start=dt.date(2011, 1, 1), end=dt.date(2011, 1, 31), granularity="month",
                        basis="relative")
    mentions = (
        _leave(first, "medical leave", (), january),
        _leave(later, "Steve Jobs' medical leave", ("Steve Jobs",), january),
        _leave(other, "Tim Cook medical leave", ("Tim Cook",), january),
    )
    extracted = te.Extracted({d.doc_id: d for d in (first, later, other)}, mentions)
    # One entry holds all three (as a merge joining on the shared leave and month would make it).
    from extractors.schema import Source, TimelineEntry

    sources = tuple(Source(doc_id=m.doc_id, sentence_index=0, sentence=m.sentence, start=m.trigger_start,
                           end=m.trigger_end, timex_text=None, timex_value=None) for m in mentions)
    entry = TimelineEntry(id="leave", date=january, type="retirement", trigger="leave", summary="leave",
                          actors=("Steve Jobs", "Tim Cook"), locations=(), modality="asserted", confidence=0.6,
                          sources=sources)
    monkeypatch.setattr(te, "merged_entries", lambda _: {(s.doc_id, s.start): entry for s in sources})
    merged = te.build_timelines(["Steve Jobs"], extracted, merge=True)["Steve Jobs"]
    placed = {event for _, _, events in merged for event in events}
    assert placed == {"2-1-leave"}
