"""The participant benchmark script: the marked events it reads and how it counts decisions."""

from __future__ import annotations

import pytest
from conftest import load_benchmark

pe = load_benchmark("participant_eval")

TML = """<?xml version='1.0' encoding='utf-8'?>
<TimeML><DOCID>123</DOCID><TEXT><s id="1">Apple <EVENT eid="e1">launched</EVENT> the iPod .</s>
<s id="2">The store was <EVENT eid="e2">renamed</EVENT> to iTunes Store .</s></TEXT></TimeML>"""


def test_participant_eval_marked_events(tmp_path):
    path = tmp_path / "123_x.tml"
    path.write_text(TML, encoding="utf-8")
    assert pe.marked_events(path) == {"123-1-launched", "123-2-renamed"}


@pytest.mark.parametrize("decisions,expected", [
    # named and in the gold timeline; named and not in it; in it and not named
    ([("d-1-launched", ("Apple Inc.",)), ("d-2-sued", ("Apple",)), ("d-3-sold", ("Apple Corps",))],
     {"tp": 1, "fp": 1, "fn": 1}),
    # one event found twice counts once, named when either mention names the target
    ([("d-1-launched", ()), ("d-1-launched", ("Apple",))], {"tp": 1}),
])
def test_participant_eval_score(decisions, expected):
    gold = {"Apple Inc.": {"d-1-launched", "d-3-sold"}}
    counts = pe.score(gold, decisions)["Apple Inc."]
    assert {k: v for k, v in counts.items() if v} == expected
