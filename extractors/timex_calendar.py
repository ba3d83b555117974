"""Calendar arithmetic of the resolver: a unit of the publication date shifted, the weekday,
month, season, quarter or holiday occurrence a tense points at, durations written out.

Pure functions over dates and strings; `timex_resolve`'s operations call them. Tense is "past",
"present", "future", "deadline" (a year-less month or day after "until", "by", "through" told in
the past tense: the next occurrence if within `DEADLINE_DAYS`, else the past one) or None.
Direction for bare expressions: past -> the latest occurrence not after the DCT; future -> the
next one after it; otherwise the one in the DCT's week/year (a bare weekday without tense is read
as past, as news mostly reports the past).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

_SEASON_ORDER = ["WI", "SP", "SU", "FA"]


def season_of(d: dt.date) -> tuple[int, str]:
    """The (year, season) a date falls in; Jan-Feb belong to the previous year's winter."""
    if d.month in (12, 1, 2):
        return (d.year if d.month == 12 else d.year - 1), "WI"
    return d.year, {3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(d.month, "FA")


def season_index(year: int, season: str) -> int:
    # Linear order of seasons: SP, SU, FA of year Y, then WI of Y (Dec Y..Feb Y+1).
    return year * 4 + {"SP": 0, "SU": 1, "FA": 2, "WI": 3}[season]


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + n
    return idx // 12, idx % 12 + 1


def iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def nth_weekday(year: int, month: int, k: int, weekday: int) -> dt.date:
    """k-th (1-based; 0 = last) ISO weekday of a month."""
    if k == 0:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (k - 1))


def easter(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian computus."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday_shift) // 433
    month = (h + weekday_shift - 7 * m + 90) // 25
    return dt.date(year, month, (h + weekday_shift - 7 * m + 33 * month + 19) % 32)


HOLIDAY_SPEC = re.compile(r"(?:(\d\d)-(\d\d)|(\d\d)-(\d|L)W(\d)|(E))([+-]\d+)?")


def holiday(spec: str, year: int) -> dt.date | None:
    """The date of a holiday spec in `year`: MM-DD; MM-kWd (k-th ISO weekday d of month MM, L =
    last); E (Easter Sunday); any of them followed by a day offset (+1, -2): Election Day is
    11-1W1+1, Good Friday E-2. Moving holidays are computed, never listed per year."""
    m = HOLIDAY_SPEC.fullmatch(spec)
    if not m or not 1 <= year <= 9998:
        return None
    if m.group(1):
        d = safe_date(year, int(m.group(1)), int(m.group(2)))
    elif m.group(3):
        k = 0 if m.group(4) == "L" else int(m.group(4))
        d = nth_weekday(year, int(m.group(3)), k, int(m.group(5)))
    else:
        d = easter(year)
    if d is None:
        return None
    return d + dt.timedelta(days=int(m.group(7) or 0))


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


_NEAR_DAYS = 45
DEADLINE_DAYS = 120  # "until", "by", "through" a date: ahead when it is this near (see `pick_occurrence`)


def pick_year(dct: dt.date, month: int, day: int, tense: str | None) -> int:
    """Year for a year-less date: the latest occurrence not after the DCT in past context, the
    next one in future context, otherwise the one nearest the DCT."""
    day = 28 if (month == 2 and day == 29) else day
    return pick_occurrence(dct, lambda y: safe_date(y, month, day), tense)


def pick_occurrence(dct: dt.date, date_in: Callable[[int], dt.date | None], tense: str | None) -> int:
    """The year whose occurrence of a yearly date (`date_in(year)`) the tense points at; see `pick_year`."""
    options = [(y, date_in(y)) for y in (dct.year - 1, dct.year, dct.year + 1)]
    valid = [(y, d) for y, d in options if d is not None]
    if not valid:
        return dct.year
    nearest = min(valid, key=lambda yd: abs((yd[1] - dct).days))
    if tense == "deadline":
        # A deadline told in the past tense: the next occurrence if it is a few months away at most.
        ahead = [yd for yd in valid if dct < yd[1] <= dct + dt.timedelta(days=DEADLINE_DAYS)]
        tense = "future" if ahead else "past"
    # Tense picks the side of the DCT, except that a date a few weeks away is not pushed almost a
    # year to the other side: tense is often the reporting verb's ("said the deadline is Jan. 14").
    if tense == "past" and nearest[1] > dct + dt.timedelta(days=1) and (nearest[1] - dct).days > _NEAR_DAYS:
        before = [yd for yd in valid if yd[1] <= dct + dt.timedelta(days=1)]
        if before:
            return before[-1][0]
    if tense == "future" and nearest[1] < dct - dt.timedelta(days=1) and (dct - nearest[1]).days > _NEAR_DAYS:
        after = [yd for yd in valid if yd[1] >= dct - dt.timedelta(days=1)]
        if after:
            return after[0][0]
    return nearest[0]


def number_or_none(s: str | None) -> float | None:
    if s is None or s in ("X", ""):
        return None
    try:
        return float(s)
    except ValueError:
        return None


def duration(num: str, unit: str) -> str:
    n = number_or_none(num)
    time_units = {"H": "H", "MIN": "M", "S": "S"}
    scale = {"DE": (10, "Y"), "CE": (100, "Y"), "FN": (2, "W")}
    if unit in scale:
        mult, unit = scale[unit]
        n = n * mult if n is not None else None
        if n is None:
            return f"PX{'DE' if mult == 10 else 'CE' if mult == 100 else 'W'}"
    if n is not None and n != int(n) and unit in _SPLIT:
        # "a year and a half" -> P1Y6M, "half an hour" -> PT30M: the fraction goes to the next unit.
        small, factor = _SPLIT[unit]
        whole, frac = int(n), round((n - int(n)) * factor)
        big = duration(str(whole), unit) if whole else ""
        rest = duration(str(frac), small)
        if not big:
            return rest
        if "T" in big or "T" not in rest:
            return big + (rest[2:] if rest.startswith("PT") else rest[1:])
        return big + rest[1:]
    if n is not None and n != int(n):
        # Seconds (the smallest unit) keep their fraction, as ISO 8601 allows: "0.16 seconds".
        amount = f"{n:.6f}".rstrip("0").rstrip(".")
    else:
        amount = "X" if n is None else str(int(n))
    if unit in time_units:
        return f"PT{amount}{time_units[unit]}"
    return f"P{amount}{unit}"


_DATE_DESIGNATORS = ("CE", "DE", "Y", "Q", "M", "WE", "W", "FN", "D")
_DURATION_PARTS = re.compile(r"P((?:[\dX.]+(?:CE|DE|WE|FN|Y|Q|M|W|D))*)(?:T((?:[\dX.]+[HMS])+))?")


def duration_sum(parts: list[tuple[str, str]]) -> str:
    """One duration of several amounts ("two hours and 17 minutes" -> PT2H17M, "three years and
    six months" -> P3Y6M): each amount as `duration` gives it, added up designator by designator."""
    date: dict[str, str] = {}
    time: dict[str, str] = {}

    def add(into: dict[str, str], unit: str, amount: str) -> None:
        if unit not in into:
            into[unit] = amount
        elif "X" in into[unit] or "X" in amount:
            into[unit] = "X"
        else:
            total = float(into[unit]) + float(amount)
            into[unit] = str(int(total)) if total == int(total) else f"{total:g}"

    for num, unit in parts:
        m = _DURATION_PARTS.fullmatch(duration(num or "1", unit))
        if m is None:
            continue
        for amount, designator in re.findall(r"([\dX.]+)(CE|DE|WE|FN|Y|Q|M|W|D)", m.group(1) or ""):
            add(date, designator, amount)
        for amount, designator in re.findall(r"([\dX.]+)([HMS])", m.group(2) or ""):
            add(time, designator, amount)
    value = "P" + "".join(f"{date[u]}{u}" for u in _DATE_DESIGNATORS if u in date)
    if time:
        value += "T" + "".join(f"{time[u]}{u}" for u in ("H", "M", "S") if u in time)
    return value


# Unit -> (next smaller unit, how many of it make one): where a fractional amount spills over.
_SPLIT = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60), "MIN": ("S", 60)}


def ref(unit: str, n: int, dct: dt.date | None) -> str:
    if dct is None:
        return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX", "Q": "XXXX-QX",
                "H": "XXXX-HX", "Y": "XXXX", "DE": "XXX", "CE": "XX"}.get(unit, "XXXX")
    if unit == "D":
        return (dct + dt.timedelta(days=n)).isoformat()
    if unit in ("W", "WE"):
        w = iso_week(dct + dt.timedelta(weeks=n))
        return w + "-WE" if unit == "WE" else w
    if unit == "M":
        y, m = add_months(dct.year, dct.month, n)
        return f"{y:04d}-{m:02d}"
    if unit == "Q":
        idx = dct.year * 4 + (dct.month - 1) // 3 + n
        return f"{idx // 4:04d}-Q{idx % 4 + 1}"
    if unit == "H":
        idx = dct.year * 2 + (dct.month - 1) // 6 + n
        return f"{idx // 2:04d}-H{idx % 2 + 1}"
    if unit == "Y":
        return f"{dct.year + n:04d}"
    if unit == "DE":
        return f"{dct.year // 10 + n:03d}"
    if unit == "CE":
        return f"{dct.year // 100 + n:02d}"
    return f"{dct.year:04d}"


def ago(num: str, unit: str, sign: str, dct: dt.date | None) -> str:
    n = number_or_none(num)
    scale = {"DE": (10, "Y"), "CE": (100, "Y"), "FN": (2, "W")}
    if unit in scale and n is not None:
        n, unit = n * scale[unit][0], scale[unit][1]
    if unit in ("H", "MIN", "S"):
        unit = "D"
        n = 0 if n is not None else None
    if n is None:
        # "several years ago": the amount is unknown, so only the side of the DCT is (TimeML's
        # PAST_REF); "XXXX" would claim a year-sized point and say nothing.
        return "PAST_REF" if sign == "-" else "FUTURE_REF"
    if dct is None or n != int(n):
        return ref(unit, 0, None)
    k = int(n) * (-1 if sign == "-" else 1)
    return ref(unit, k, dct)


def weekday(d: int, n: str | None, dct: dt.date | None, tense: str | None) -> str:
    if dct is None:
        return f"XXXX-WXX-{d}"
    delta = d - dct.isoweekday()  # this week's occurrence, relative to the DCT
    if n == "-1":
        back = (dct.isoweekday() - d) % 7 or 7
        return (dct - dt.timedelta(days=back)).isoformat()
    if n == "+1":
        fwd = (d - dct.isoweekday()) % 7 or 7
        return (dct + dt.timedelta(days=fwd)).isoformat()
    if n == "+0":
        return (dct + dt.timedelta(days=delta)).isoformat()
    if tense == "future" or (tense == "present" and delta > 0):
        # The DCT's own weekday is the DCT: news is written the day it reports.
        fwd = (d - dct.isoweekday()) % 7
        return (dct + dt.timedelta(days=fwd)).isoformat()
    back = (dct.isoweekday() - d) % 7
    return (dct - dt.timedelta(days=back)).isoformat()


def weekend(dct: dt.date | None, tense: str | None) -> str:
    """"The weekend": the one just past in past-tense context, else the coming (or current) one."""
    if dct is None:
        return "XXXX-WXX-WE"
    in_weekend = dct.isoweekday() >= 6
    if tense == "past" and not in_weekend:
        return iso_week(dct - dt.timedelta(weeks=1)) + "-WE"
    return iso_week(dct) + "-WE"


def month(mm: int, n: str | None, dct: dt.date | None, tense: str | None) -> str:
    if dct is None:
        return f"XXXX-{mm:02d}"
    y = dct.year
    if n == "-1":
        y = dct.year if mm < dct.month else dct.year - 1
    elif n == "+1":
        y = dct.year if mm > dct.month else dct.year + 1
    elif n == "+0":
        y = dct.year
    elif tense == "deadline":
        # "Loans through January", said in October: the coming month when it is a few months away.
        ahead = 0 < (mm - dct.month) % 12 <= DEADLINE_DAYS // 30
        y = (dct.year if mm > dct.month else dct.year + 1) if ahead else (dct.year if mm <= dct.month else dct.year - 1)
    elif tense == "past":
        y = dct.year if mm <= dct.month else dct.year - 1
        # A month just ahead is not pushed most of a year back: the past tense is often the
        # reporting verb's ("told them of a cutback in September", said in August).
        if (dct.month - mm) % 12 >= 11:
            y = dct.year if mm > dct.month else dct.year + 1
    elif tense == "future":
        y = dct.year if mm >= dct.month else dct.year + 1
        if (mm - dct.month) % 12 >= 11:
            y = dct.year if mm < dct.month else dct.year - 1
    else:
        # No tense: the occurrence nearest the DCT month ("by February" in October is next year's).
        y = min((dct.year - 1, dct.year, dct.year + 1), key=lambda yy: abs((yy * 12 + mm) - (dct.year * 12 + dct.month)))
    return f"{y:04d}-{mm:02d}"


def season(s: str, n: str | None, dct: dt.date | None, tense: str | None) -> str:
    if dct is None:
        return f"XXXX-{s}"
    cur = season_index(*season_of(dct))
    candidates = [season_index(y, s) for y in range(dct.year - 2, dct.year + 2)]
    if n == "+0":
        # "this winter" in January is the current one (it began last December).
        idx = cur if season_of(dct)[1] == s else season_index(dct.year, s)
    elif n == "-1":
        idx = max(i for i in candidates if i < cur)
    elif n == "+1":
        idx = min(i for i in candidates if i > cur)
    elif tense == "past":
        idx = max(i for i in candidates if i <= cur)
    elif tense == "future":
        idx = min(i for i in candidates if i >= cur)
    else:
        idx = season_index(dct.year, s)
    return f"{idx // 4:04d}-{s}"


def quarter(q: int, y_off: str | None, dct: dt.date | None, tense: str | None, per: int, letter: str) -> str:
    if dct is None:
        return f"XXXX-{letter}{q}"
    if y_off is not None:
        return f"{dct.year + int(y_off):04d}-{letter}{q}"
    cur = (dct.month - 1) // (12 // per) + 1
    y = dct.year
    # Quarters and halves are reported after they end, so only a past-tense mention of a later
    # quarter than the current one goes back a year; "will report third-quarter results" in
    # October is this year's third quarter.
    if tense == "past" and q > cur:
        y -= 1
    return f"{y:04d}-{letter}{q}"


def resolve_holiday(spec: str, year: str | None, dct: dt.date | None, tense: str | None) -> str:
    if year is not None:
        d = holiday(spec, int(year))
        return d.isoformat() if d else year
    if dct is None:
        fixed = re.fullmatch(r"(\d\d)-(\d\d)", spec)
        return f"XXXX-{spec}" if fixed else "XXXX-XX-XX"
    if holiday(spec, dct.year) is None:
        return "XXXX-XX-XX"
    # As a year-less date: a holiday a few weeks away is not pushed a year back by a past-tense
    # verb ("stocks opened mixed ahead of the Thanksgiving holiday", said two days before it).
    year = pick_occurrence(dct, lambda y: holiday(spec, y), tense)
    d = holiday(spec, year) or holiday(spec, dct.year)
    return d.isoformat() if d else "XXXX-XX-XX"
