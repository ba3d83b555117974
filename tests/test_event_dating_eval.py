"""`benchmarks/event_dating_eval.py`: reading the gold anchors of TimeML events from their TLINKs,
judging a mention's date against its anchor, and the extractor's dates on a few gold documents."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from types import SimpleNamespace

import pytest

from extractors.schema import EventDate
from tests.conftest import load_benchmark, shared_data

de = load_benchmark("event_dating_eval")

# Written for this test: one event per way a TLINK can anchor it (or not).
TIMEML = """<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="2021-03-04" functionInDocument="CREATION_TIME">March 4, 2021</TIMEX3></DCT>
<TEXT>Stocks <EVENT eid="e1" class="OCCURRENCE">fell</EVENT> on <TIMEX3 tid="t1" type="DATE" value="2021-03-02">Tuesday</TIMEX3>
and <EVENT eid="e2" class="OCCURRENCE">rebounded</EVENT> this <TIMEX3 tid="t2" type="DATE" value="2021-W09">week</TIMEX3>;
analysts <EVENT eid="e3" class="REPORTING">said</EVENT> the slump <EVENT eid="e4" class="STATE">lasted</EVENT>
<TIMEX3 tid="t3" type="DURATION" value="P2D">two days</TIMEX3>, the <EVENT eid="e5" class="OCCURRENCE">rally</EVENT>
<EVENT eid="e6" class="OCCURRENCE">began</EVENT> in <TIMEX3 tid="t4" type="DATE" value="2021-03">March</TIMEX3>.</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e2" eiid="ei2" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e3" eiid="ei3" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e4" eiid="ei4" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e5" eiid="ei5" tense="NONE" aspect="NONE" polarity="POS" pos="NOUN" />
<MAKEINSTANCE eventID="e6" eiid="ei6" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1" />
<TLINK lid="l2" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t0" />
<TLINK lid="l3" relType="INCLUDES" timeID="t2" relatedToEventInstance="ei2" />
<TLINK lid="l4" relType="IS_INCLUDED" eventInstanceID="ei3" relatedToTime="t0" />
<TLINK lid="l5" relType="DURING" eventInstanceID="ei4" relatedToTime="t3" />
<TLINK lid="l6" relType="ENDED_BY" eventInstanceID="ei5" relatedToTime="t4" />
<TLINK lid="l7" relType="BEGINS" eventInstanceID="ei6" relatedToTime="t4" />
</TimeML>"""


def test_event_dating_eval_reads_gold_anchors_from_tlinks():
    text = de.element_spans(de.dct_and_text(TIMEML)[1], "EVENT")[0]
    anchors = {text[a.start:a.end]: a for a in de.gold_anchors(TIMEML)}
    # Of two anchors as narrow, the text's date rather than the creation time.
    assert anchors["fell"].value == "2021-03-02" and not anchors["fell"].dct
    # A link written from the time, and the creation time as an anchor.
    assert anchors["rebounded"].interval == (dt.date(2021, 3, 1), dt.date(2021, 3, 7))
    assert anchors["said"].dct and anchors["said"].interval == (dt.date(2021, 3, 4), dt.date(2021, 3, 4))
    # A duration anchors nothing; an event the time ends reaches beyond it; one that begins it lies inside.
    assert "lasted" not in anchors and "rally" not in anchors
    assert anchors["began"].value == "2021-03"


def _mention(value, start=None, end=None, basis="relative", timex=None):
    return SimpleNamespace(date=EventDate(value, None, start, end, "day", basis), timex_value=timex)


TUESDAY = dt.date(2021, 3, 2)
WEEK = de.GoldAnchor(0, 4, "2021-W09", (dt.date(2021, 3, 1), dt.date(2021, 3, 7)), False)
DAY = de.GoldAnchor(0, 4, "2021-03-02", (TUESDAY, TUESDAY), False)


@pytest.mark.parametrize("mention,anchor,outcome", [
    (_mention("2021-03-02", TUESDAY, TUESDAY, timex="2021-03-02"), DAY, "exact"),
    (_mention("2021-03-02", TUESDAY, TUESDAY, timex="2021-03-02"), WEEK, "compatible"),
    (_mention("2021-03", dt.date(2021, 3, 1), dt.date(2021, 3, 31), timex="2021-03"), DAY, "compatible"),
    (_mention("2021-03-05", dt.date(2021, 3, 5), dt.date(2021, 3, 5)), DAY, "wrong"),
    (_mention("PAST_REF", None, dt.date(2021, 3, 4), basis="tense"), DAY, "side ok"),
    (_mention("FUTURE_REF", dt.date(2021, 3, 4), None, basis="tense"), DAY, "side wrong"),
    (_mention(None, basis="none"), DAY, "none"),
])
def test_event_dating_eval_outcome(mention, anchor, outcome):
    assert de.outcome(mention, anchor, dt.date(2021, 3, 4)) == outcome


@pytest.mark.parametrize("mention,how", [
    (_mention("2021-03-02", TUESDAY, TUESDAY, basis="explicit", timex="2021-03-02"), "explicit"),
    (_mention("2021-03-02", TUESDAY, TUESDAY, timex="2021-03-02"), "relative"),
    (_mention("2021-03-02", TUESDAY, TUESDAY), "narrative"),
    (_mention("PAST_REF", None, dt.date(2021, 3, 4), basis="tense"), "tense:past"),
    (_mention("PRESENT_REF", dt.date(2021, 3, 4), dt.date(2021, 3, 4), basis="tense"), "tense:present"),
    (_mention(None, basis="none"), "none"),
])
def test_event_dating_eval_how_dated(mention, how):
    assert de.how_dated(mention) == how


def test_event_dating_eval_dates_on_timebank_documents(nlp):
    data = shared_data("timebank-aquaint").parent
    docs = [(d, a) for d, a in de.load_anchored(data) if d.name.startswith("wsj_05")][:6]
    assert docs and sum(len(a) for _, a in docs) > 10
    gold_docs = [d for d, _ in docs]
    judged, anchored = de.judge(docs, de.system_mentions(gold_docs, de.parsed_docs(gold_docs, None)),
                                de.load_domain_rule())
    assert anchored["total"] == sum(len(a) for _, a in docs)
    assert len(judged) > 0.8 * anchored["total"]
    right = sum(j.outcome in ("exact", "compatible") for j in judged)
    assert right > 0.4 * len(judged)
    assert "total" in de.format_tables(judged, anchored, Counter(total=len(docs)))
