"""The TempEval-3 benchmark script: TimeML parsing, one-to-one span matching, scores, error causes."""

from __future__ import annotations

import pytest
from conftest import load_benchmark

te3 = load_benchmark("te3_eval")


def _gold(start: int, end: int, text: str, value: str, ttype: str = "DATE"):
    return te3.GoldTimex(start, end, text, ttype, value)


def _sys(start: int, end: int, text: str, value: str, ttype: str = "DATE"):
    return te3.SysTimex(start, end, text, ttype, value)


def test_timex_te3_strip_tags_keeps_offsets() -> None:
    text, spans = te3._strip_tags('Sales fell <TIMEX3 tid="t1" type="DATE" value="1988">last year</TIMEX3> &amp; more.')
    assert text == "Sales fell last year & more."
    (start, end, attrs), = spans
    assert text[start:end] == "last year" and attrs["value"] == "1988"


def test_timex_te3_matching_is_one_to_one_strict_before_relaxed() -> None:
    gold = [_gold(0, 9, "last week", "1989-W42"), _gold(14, 20, "Friday", "1989-10-27")]
    system = [_sys(0, 9, "last week", "1989-W42"), _sys(10, 20, "on Friday", "1989-11-03"),
              _sys(30, 34, "now", "PRESENT_REF")]
    scores, errors = te3.score_doc(gold, system)
    assert (scores.tp_strict, scores.tp_relaxed, scores.value_ok) == (1, 2, 1)
    row = scores.row()
    # value F1 = relaxed F1 x value accuracy = 2 x correct values / (system + gold)
    assert row["value F1"] == pytest.approx(2 * 1 / (3 + 2))
    assert {e[0] for e in errors} == {"value", "spurious"}


@pytest.mark.parametrize("err,cause", [
    (("value", "last week", "DATE", "1989-WXX", "last week", "DATE", "1989-W42"), "value: week expressions"),
    (("value", "Friday night", "DATE", "2000-01-07", "Friday night", "TIME", "2000-01-07TNI"),
     "value: day vs time-of-day"),
    (("value", "Tuesday", "DATE", "1990-08-07", "Tuesday", "DATE", "1990-08-14"), "value: weekday direction"),
    (("value", "a year earlier", "DATE", "1988-QX", "a year earlier", "DATE", "1988-Q3"), "value: earnings"),
    (("value", "1949", "DATE", "1949-XX", "1949", "DATE", "1949"), "value: underspecified gold"),
    (("value", "recent years", "DURATION", "PXY", "recent years", "DATE", "PAST_REF"), "value: reference"),
    (("value", "January", "DATE", "1989-01", "January", "DATE", "1990-01"), "value: year of a year-less"),
    (("spurious", "", "", "", "now", "DATE", "PRESENT_REF"), "spurious: reference words"),
    (("missed", "daily", "SET", "P1D", "", "", ""), "missed: frequency adjectives"),
])
def test_timex_te3_error_causes(err: tuple, cause: str) -> None:
    assert te3.error_cause(err).startswith(cause)


def test_timex_te3_type_only_error_has_no_value_cause() -> None:
    assert te3.error_cause(("value", "daily", "DATE", "P1D", "daily", "SET", "P1D")) is None


@pytest.mark.parametrize("raw,canonical", [
    ("2000-W7", "2000-W07"),
    ("2000-W7-WE", "2000-W07-WE"),
    ("2000-W14", "2000-W14"),
    ("1998-W08", "1998-W08"),
    ("P1W", "P1W"),
    ("2000-07", "2000-07"),
    ("XXXX-WXX-2", "XXXX-WXX-2"),
])
def test_timex_te3_gold_weeks_are_zero_padded(raw: str, canonical: str) -> None:
    assert te3.canonical_value(raw) == canonical
