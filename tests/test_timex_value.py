"""`TimexValue`: one parse of a TIMEX3 value gives its parts, interval, granularity and label."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.timex_value import TimexValue, date_label

D = dt.date


@pytest.mark.parametrize(("value", "mod", "granularity", "interval", "text"), [
    ("2023-09-07", None, "day", (D(2023, 9, 7), D(2023, 9, 7)), "7 September 2023"),
    ("2023-09-07TNI", None, "time", (D(2023, 9, 7), D(2023, 9, 7)), "7 September 2023, night"),
    ("2023-07", "END", "month", (D(2023, 7, 21), D(2023, 7, 31)), "July 2023"),
    ("2023-W36", None, "week", (D(2023, 9, 4), D(2023, 9, 10)), "week 36 of 2023"),
    ("2023-W36-WE", None, "week", (D(2023, 9, 9), D(2023, 9, 10)), None),
    ("2023-SU", None, "season", (D(2023, 6, 1), D(2023, 8, 31)), "summer 2023"),
    ("2023-WI", None, "season", (D(2023, 12, 1), D(2024, 2, 29)), "winter 2023"),
    ("2023-Q3", None, "quarter", (D(2023, 7, 1), D(2023, 9, 30)), "Q3 2023"),
    ("2023-H1", None, "half", (D(2023, 1, 1), D(2023, 6, 30)), "H1 2023"),
    ("2023", "START", "year", (D(2023, 1, 1), D(2023, 4, 30)), "2023"),
    ("199", None, "decade", (D(1990, 1, 1), D(1999, 12, 31)), "the 1990s"),
    ("19", None, "century", (D(1900, 1, 1), D(1999, 12, 31)), "the 1900s"),
    ("XXXX-07", None, "month", None, None),
    ("XXXX-WXX-4", None, "unknown", None, None),
    ("2023-W36-4", None, "unknown", None, None),
    ("P3Y", None, "unknown", None, None),
    ("PAST_REF", None, "ref", None, "in the past"),
    ("2023-02-30", None, "day", None, None),
])
def test_timex_value_parts(value, mod, granularity, interval, text) -> None:
    parsed = TimexValue.of(value)
    assert parsed.granularity == granularity
    assert parsed.interval(mod) == interval
    assert parsed.text() == text


@pytest.mark.parametrize(("value", "anchor", "ymd"), [
    ("2023-09-07T10:30", True, (2023, 9, 7)),
    ("2023-W36", True, (2023, None, None)),
    ("2023-Q3", True, (2023, None, None)),
    ("2023-H1", False, (2023, None, None)),
    ("2023-SU", False, (2023, None, None)),
    ("XXXX-07-04", False, (None, 7, 4)),
    ("199", False, None),
    ("FUTURE_REF", False, None),
])
def test_timex_value_anchor_and_known_parts(value, anchor, ymd) -> None:
    parsed = TimexValue.of(value)
    assert parsed.is_anchor is anchor
    assert parsed.year_month_day() == ymd


@pytest.mark.parametrize(("value", "mod", "start", "end", "label"), [
    ("2023-07", "END", "2023-07-21", "2023-07-31", "late July 2023"),
    ("2023-07", "MID", None, None, "mid-July 2023"),
    ("XXXX-07", None, "2023-07-01", "2023-07-31", "1–31 July 2023"),
    ("PAST_REF", None, None, "2023-09-07", "before 7 September 2023"),
    (None, None, None, None, "undated"),
])
def test_timex_value_date_label(value, mod, start, end, label) -> None:
    assert date_label(value, mod, start, end) == label
