"""A TIMEX3 value, parsed once: its parts, the calendar interval it denotes, its granularity and
how a reader says it ("late July 2023").

`TimexValue.of(value)` reads a value string with one grammar (cached: a run sees few distinct
values) and every module asks the parsed value instead of matching the string with its own
regex. Values come in four kinds: `reference` (PAST_REF, PRESENT_REF, FUTURE_REF), `duration`
(P3Y, PT2H), `calendar` (a year with optional month, day, ISO week, season, quarter or half, and a
time of day; a decade "199"; a century "19"; any part may be unknown, X) and `other`.

Interval conventions (`interval`, inclusive dates): a month with mod START is days 1-10, MID
11-20, END 21-last; a year START/MID/END is Jan-Apr / May-Aug / Sep-Dec; a decade START/MID/END
is years 0-3 / 4-6 / 7-9. Seasons: SP Mar-May, SU Jun-Aug, FA Sep-Nov, WI Dec of the year to the
end of Feb of the next. Weeks are ISO weeks, Monday-Sunday; WE is Saturday-Sunday.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

# The TIMEX3 value grammar the tagger may emit; anything else is dropped rather than written out.
TIMEX3_VALUE = re.compile(
    r"^(?:PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|P(?:(?:\d+(?:\.\d+)?|X+)(?:Y|M|W|D|DE|CE|Q|H|WE|FN))+(?:T(?:(?:\d+(?:\.\d+)?|X+)[HMS])+)?"
    r"|PT(?:(?:\d+(?:\.\d+)?|X+)[HMS])+"
    r"|[\dX]{2}|[\dX]{3}|[\dX]{4}"
    r"(?:-(?:[\dX]{2}(?:-[\dX]{2})?|W[\dX]{2}(?:-(?:[1-7X]|WE))?|Q[1-4X]|H[12X]|SP|SU|FA|WI))?"
    r"(?:T(?:\d{2}(?::\d{2}(?::\d{2})?)?|MO|AF|EV|NI|DT))?"
    r"|XXXX-WXX-[1-7])$"
)

_CALENDAR = re.compile(
    r"(?P<year>[\dX]{4})"
    r"(?:-(?:(?P<month>[\dX]{2})(?:-(?P<day>[\dX]{2}))?"
    r"|W(?P<week>[\dX]{2})(?:-(?P<weekday>[1-7X]|WE))?"
    r"|(?P<season>SP|SU|FA|WI)"
    r"|(?P<period>[QH])(?P<period_number>[\dX])))?"
    r"(?:T(?P<time>.*))?")
_DECADE = re.compile(r"[\dX]{3}")
_CENTURY = re.compile(r"[\dX]{2}")
_DIGITS = re.compile(r"\d+")
_READABLE_TIME = re.compile(r"[0-9:]+|MO|AF|EV|NI")

REFERENCES = {"PAST_REF": "in the past", "PRESENT_REF": "at present", "FUTURE_REF": "in the future"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
PARTS_OF_DAY = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}
# How a TIMEX3 modifier reads in front of a date label.
MOD_WORDS = {
    "START": "early", "MID": "mid", "END": "late", "APPROX": "about", "BEFORE": "before",
    "AFTER": "after", "ON_OR_BEFORE": "on or before", "ON_OR_AFTER": "on or after",
    "EQUAL_OR_LESS": "at most", "EQUAL_OR_MORE": "at least", "LESS_THAN": "less than",
    "MORE_THAN": "more than",
}


@dataclass(frozen=True)
class TimexValue:
    """The parts of one TIMEX3 value (strings as written, X included; None when absent)."""

    value: str
    kind: str  # "reference" | "duration" | "calendar" | "other"
    year: str | None = None
    month: str | None = None
    day: str | None = None
    week: str | None = None
    weekday: str | None = None  # 1-7, X or WE after a week
    season: str | None = None
    period: str | None = None  # "Q" or "H"
    period_number: str | None = None
    decade: str | None = None  # "199" = the 1990s
    century: str | None = None  # "19" = the 1900s
    time: str | None = None  # what follows "T"

    @staticmethod
    @functools.lru_cache(maxsize=8192)
    def of(value: str) -> TimexValue:
        if value in REFERENCES:
            return TimexValue(value, "reference")
        if value.startswith("P"):
            return TimexValue(value, "duration")
        if m := _CALENDAR.fullmatch(value):
            return TimexValue(value, "calendar", **m.groupdict())
        if _DECADE.fullmatch(value):
            return TimexValue(value, "calendar", decade=value)
        if _CENTURY.fullmatch(value):
            return TimexValue(value, "calendar", century=value)
        return TimexValue(value, "other")

    @property
    def known(self) -> bool:
        """No part is unknown (X)."""
        return "X" not in self.value

    @property
    def granularity(self) -> str:
        """The unit the value is told in: day, week, month, season, quarter, half, year, decade,
        century, time, ref, or unknown (durations, a weekday of an unknown week, other values)."""
        if self.kind == "reference":
            return "ref"
        if self.kind == "duration" or self.value.startswith("XXXX-WXX-"):
            return "unknown"
        if "T" in self.value:
            return "time"
        if self.kind != "calendar":
            return "unknown"
        if self.day is not None:
            return "day"
        if self.week is not None:
            return "week" if self.weekday in (None, "WE") else "unknown"
        if self.month is not None:
            return "month"
        if self.season is not None:
            return "season"
        if self.period is not None:
            return "quarter" if self.period == "Q" else "half"
        if self.year is not None:
            return "year"
        return "decade" if self.decade is not None else "century"

    @property
    def is_anchor(self) -> bool:
        """Whether the value can be the reference date of a later anaphoric expression: a known
        calendar date, month, week, quarter or year (not a duration, a set, a season or a PAST_REF)."""
        return (self.kind == "calendar" and self.year is not None and self.known_parts()
                and self.season is None and self.weekday is None and self.period != "H")

    def known_parts(self) -> bool:
        """The date parts (time of day aside) are all digits."""
        return all(p is None or _DIGITS.fullmatch(p) for p in (self.year, self.month, self.day, self.week,
                                                               self.period_number))

    @property
    def is_day(self) -> bool:
        """A known day, with or without a time of day."""
        return self.is_anchor and self.day is not None

    @property
    def is_quarter(self) -> bool:
        """A known quarter of a known year ("2023-Q3")."""
        return (self.kind == "calendar" and self.period == "Q" and self.time is None and self.known_parts()
                and self.period_number in ("1", "2", "3", "4"))

    def date(self) -> dt.date | None:
        """The day a known day value (without a time of day) names, None otherwise."""
        if self.is_day and self.time is None:
            return _safe_date(int(self.year or 0), int(self.month or 0), int(self.day or 0))
        return None

    def year_month_day(self) -> tuple[int | None, int | None, int | None] | None:
        """(year, month, day) the value pins down, None for parts it leaves open; None when it
        pins down none of them (references, durations, decades)."""
        if self.kind != "calendar" or self.year is None:
            return None
        parts = tuple(None if p is None or "X" in p else int(p) for p in (self.year, self.month, self.day))
        return None if parts == (None, None, None) else parts  # type: ignore[return-value]

    def interval(self, mod: str | None = None) -> tuple[dt.date, dt.date] | None:
        """Inclusive calendar dates a fully specified DATE/TIME value denotes, narrowed by mod."""
        try:
            return self._interval(mod)
        except ValueError:  # out-of-range dates ("0000-00") are simply not intervals
            return None

    def _interval(self, mod: str | None) -> tuple[dt.date, dt.date] | None:
        if not self.known or self.kind != "calendar":
            return None
        if self.decade is not None:
            y = int(self.decade) * 10
            return _thirds(dt.date(y, 1, 1), dt.date(y + 9, 12, 31), mod, "decade")
        if self.century is not None:
            y = int(self.century) * 100
            return _thirds(dt.date(max(y, 1), 1, 1), dt.date(y + 99, 12, 31), mod, "century")
        y = int(str(self.year))
        if self.day is not None:
            d = dt.date(y, int(str(self.month)), int(self.day))
            return d, d
        if self.week is not None:
            if self.weekday not in (None, "WE"):
                return None
            monday = dt.date.fromisocalendar(y, int(self.week), 1)
            if self.weekday == "WE":
                return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
            return _thirds(monday, monday + dt.timedelta(days=6), mod, "week")
        if self.month is not None:
            mo = int(self.month)
            return _thirds(dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1]), mod, "month")
        if self.season is not None:
            first, last = SEASON_MONTHS[self.season]
            end_y = y + 1 if self.season == "WI" else y
            return _thirds(dt.date(y, first, 1), dt.date(end_y, last, calendar.monthrange(end_y, last)[1]),
                           mod, "season")
        if self.period is not None:
            span = 3 if self.period == "Q" else 6
            first = (int(str(self.period_number)) - 1) * span + 1
            last = first + span - 1
            return _thirds(dt.date(y, first, 1), dt.date(y, last, calendar.monthrange(y, last)[1]), mod, self.period)
        return _thirds(dt.date(y, 1, 1), dt.date(y, 12, 31), mod, "year")

    def text(self) -> str | None:
        """The value as a reader says it ("2023-07" → "July 2023"); None when it has unknown (X)
        parts or is not a calendar value or reference."""
        if self.kind == "reference":
            return REFERENCES[self.value]
        if self.kind != "calendar" or not self.known:
            return None
        if self.decade is not None:
            return f"the {self.decade}0s"
        if self.century is not None:
            return f"the {self.century}00s"
        if self.weekday is not None or self.time is not None and (
                self.day is None or not _READABLE_TIME.fullmatch(self.time)):
            return None
        year = str(self.year)
        if self.day is not None:
            d = _safe_date(int(year), int(str(self.month)), int(self.day))
            if d is None:
                return None
            return day_text(d) + (f", {PARTS_OF_DAY.get(self.time, self.time)}" if self.time else "")
        if self.month is not None:
            month = int(self.month)
            return f"{MONTHS[month - 1]} {year}" if 1 <= month <= 12 else None
        if self.week is not None:
            return f"week {int(self.week)} of {year}"
        if self.season is not None:
            return f"{SEASONS[self.season]} {year}"
        if self.period is not None:
            if self.period_number not in (("1", "2", "3", "4") if self.period == "Q" else ("1", "2")):
                return None
            return f"{self.period}{self.period_number} {year}"
        return year


def granularity_of(value: str) -> str:
    return TimexValue.of(value).granularity


def interval_of(value: str, mod: str | None = None) -> tuple[dt.date, dt.date] | None:
    """Inclusive calendar dates a fully specified DATE/TIME value denotes, narrowed by mod."""
    return TimexValue.of(value).interval(mod)


def is_anchor(value: str) -> bool:
    return TimexValue.of(value).is_anchor


def day_text(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def range_text(start: dt.date, end: dt.date) -> str:
    if start == end:
        return day_text(start)
    if start.year != end.year:
        return f"{day_text(start)} – {day_text(end)}"
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]} – {day_text(end)}"
    return f"{start.day}–{end.day} {MONTHS[start.month - 1]} {start.year}"


def date_label(value: str | None, mod: str | None, start: str | None, end: str | None) -> str:
    """How a reader says an event's date: "7 September 2023", "late July 2023", "August 2023".

    Built from the TIMEX3 value and modifier; falls back to the interval when the value has
    unknown parts, and to "undated" when there is neither.
    """
    if value in REFERENCES:
        # "In the past" of one article is "before" its publication date: say which date.
        if value == "PAST_REF" and end and not start:
            return f"before {day_text(dt.date.fromisoformat(end))}"
        if value == "FUTURE_REF" and start and not end:
            return f"after {day_text(dt.date.fromisoformat(start))}"
        if start and start == end:
            return f"as of {day_text(dt.date.fromisoformat(start))}"
        return REFERENCES[value]
    text = TimexValue.of(value).text() if value else None
    if text is None and start:
        text = range_text(dt.date.fromisoformat(start), dt.date.fromisoformat(end or start))
    if text is None:
        return f"undated ({value})" if value else "undated"
    if mod in ("START", "MID", "END"):
        joiner = "-" if mod == "MID" else " "
        return f"{MOD_WORDS[mod]}{joiner}{text}"
    if mod in MOD_WORDS:
        return f"{MOD_WORDS[mod]} {text}"
    return text


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _thirds(start: dt.date, end: dt.date, mod: str | None, unit: str) -> tuple[dt.date, dt.date]:
    if mod not in ("START", "MID", "END"):
        return start, end
    if unit == "month":
        last = end.day
        cuts = {"START": (1, 10), "MID": (11, 20), "END": (21, last)}[mod]
        return start.replace(day=cuts[0]), start.replace(day=cuts[1])
    if unit == "year":
        m = {"START": (1, 4), "MID": (5, 8), "END": (9, 12)}[mod]
        return dt.date(start.year, m[0], 1), dt.date(start.year, m[1], calendar.monthrange(start.year, m[1])[1])
    if unit == "decade":
        y = {"START": (0, 3), "MID": (4, 6), "END": (7, 9)}[mod]
        return dt.date(start.year + y[0], 1, 1), dt.date(start.year + y[1], 12, 31)
    days = (end - start).days + 1
    third = days // 3
    if mod == "START":
        return start, start + dt.timedelta(days=max(third - 1, 0))
    if mod == "MID":
        return start + dt.timedelta(days=third), end - dt.timedelta(days=third)
    return end - dt.timedelta(days=max(third - 1, 0)), end
