"""`benchmarks/event_eval.py`: reading gold EVENT spans, the domain rule, span matching, and the
extractor's recall on a few gold documents."""

from __future__ import annotations

import pytest

from tests.conftest import load_benchmark, shared_data

ev = load_benchmark("event_eval")


def test_event_eval_reads_event_spans():
    text, spans = ev.event_spans('Stocks <EVENT eid="e1">fell</EVENT> after the <EVENT eid="e2">report</EVENT> &amp; more.')
    assert text == "Stocks fell after the report & more."
    assert [text[s:e] for s, e in spans] == ["fell", "report"]


@pytest.mark.parametrize("text,domain", [
    ("Stocks fell as investors sold shares; the index and the Dow lost ground on the market.", "finance"),
    ("The jury found the suspect guilty; the judge will sentence him in court, prosecutors said.", "justice"),
    ("The earthquake of magnitude 6 killed dozens; rescuers searched for survivors and victims.", "disasters"),
    ("The president and the senate fought over the election and the vote of the party.", "politics"),
    ("The weather was pleasant and the concert was long.", "other"),
])
def test_event_eval_domain_rule(text, domain):
    assert ev.domain_of(text, ev.load_domain_rule()) == domain


def test_event_eval_split_is_fixed():
    assert ev.timebank_split("wsj_0006") in ("tune", "confirm")
    assert ev.timebank_split("wsj_0006") == ev.timebank_split("wsj_0006")
    assert ev.ECB_TUNE_TOPICS == frozenset(range(1, 21))


def test_event_eval_matches_one_to_one():
    assert ev.match_spans([(0, 4), (2, 6)], [(1, 3)]) == [(0, 0)]
    assert ev.match_spans([(10, 12)], [(0, 4)]) == []


def test_event_eval_recall_on_timebank_documents(nlp):
    data = shared_data("timebank-aquaint").parent
    docs = [d for d in ev.load_timebank(data) if d.name.startswith("wsj_00")][:4]
    assert docs
    parsed = ev.parsed_docs(docs, None)
    counts = ev.Counts()
    for d, mentions in zip(docs, ev.system_mentions(docs, parsed), strict=True):
        counts.add(ev.score_doc(d, mentions, typed_only=False)[0])
    assert counts.gold > 50
    assert counts.recall > 0.75 and counts.precision > 0.6


def test_event_eval_error_lists_count_all_and_typed_mentions():
    from types import SimpleNamespace

    text = "Stocks fell and officials expected more."
    doc = ev.GoldDoc("d", "timebank", "tune", text, None, ((7, 11), (26, 34)), None)  # fell, expected
    mentions = [SimpleNamespace(trigger_start=7, trigger_end=11, type="market"),
                SimpleNamespace(trigger_start=0, trigger_end=6, type="other")]  # "Stocks": a false alarm
    lines = ev.error_lists([doc], [mentions], 5).splitlines()
    assert lines == ["missed (all): expected 1", "spurious (all): stocks 1",
                     "missed (typed): expected 1", "spurious (typed): "]
