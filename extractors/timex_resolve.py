"""Second phase of temporal normalization: underspecified value -> TIMEX3 value and interval.

Rules in patterns.yaml emit either a finished TIMEX3 value ("2023-09-07", "P3Y", "PAST_REF")
or an operation `OP:arg:...` that needs the document creation time (DCT) and, for a bare
weekday, month, season or quarter, the direction the governing verb's tense gives:

| op | meaning | example |
|---|---|---|
| `DCT:n` | the DCT shifted by n days | yesterday = `DCT:-1` |
| `REF:unit:n` | the DCT's unit (D W WE M Q H Y DE CE) shifted by n units | last month = `REF:M:-1` |
| `AGO:num:unit:sign` | num units before (-) / after (+) the DCT, at that unit's granularity | two weeks ago |
| `MD:mm:dd` | a day of a year-less date | Oct. 12 |
| `M:mm` / `M:mm:n` | a bare month by tense / n-th occurrence before (-1) or after (+1) the DCT month | late July |
| `MY:mm:n` | month mm of the DCT year shifted by n | June last year |
| `WD:d` / `WD:d:n` | a weekday by tense / last (-1), next (+1), this (+0) | on Thursday |
| `SEASON:s` / `SEASON:s:n` | a season by tense / relative to the DCT's season | this summer |
| `Q:n` / `Q:n:y` | quarter n by tense / of the DCT year shifted by y | the third quarter |
| `H:n` / `H:n:y` | half n, likewise | the first half |
| `HOL:spec` | a holiday (MM-DD; MM-kWd = k-th weekday d, LWd = last; E = Easter; +n/-n days) in the DCT year by tense | Christmas |
| `HOLW:spec` | the ISO week of that holiday | Easter week |
| `QY:yyyy` | "the 1988 quarter": the quarter `QREF` names, in year yyyy | the 1988 period |
| `QREF` | "the quarter": the last complete quarter, the current one in future context | the quarter |
| `QAGO` | the reported quarter a year earlier (default: the last complete quarter, a year back) | the year-ago quarter |
| `WKND` | "the weekend": the one just past in past context, else this week's | over the weekend |
| `YEND` | the year whose end is meant: the DCT's, the previous one in past context (mod END) | by year-end |
| `DUR:num:unit` | a duration | three years = `DUR:3:Y` |
| `ANA:unit:n` | the last mentioned date's unit (D W M Q Y) shifted by n (see `resolve_anaphoric`) | the following year |
| `ANAWD:d:n` | the weekday d before (-1) / after (+1) the last mentioned day | the previous Friday |

A `|T..` suffix adds a time of day (`WD:5|TNI` = Friday night). Without a DCT the parts it
would supply stay X (`XXXX-07`, `XXXX-WXX-4`); a year is never invented.

Tense is "past", "present", "future", "deadline" (a year-less month or day after "until", "by",
"through" told in the past tense: the next occurrence if within `_DEADLINE_DAYS`, else the past
one) or None. Direction for bare expressions: past -> the latest
occurrence not after the DCT; future -> the next one after it; otherwise the one in the DCT's
week/year (a bare weekday without tense is read as past, as news mostly reports the past).

What a resolved value denotes (its interval, granularity, label) is `timex_value.TimexValue`'s.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from extractors.timex_value import TimexValue

_SEASON_ORDER = ["WI", "SP", "SU", "FA"]


def _season_of(d: dt.date) -> tuple[int, str]:
    """The (year, season) a date falls in; Jan-Feb belong to the previous year's winter."""
    if d.month in (12, 1, 2):
        return (d.year if d.month == 12 else d.year - 1), "WI"
    return d.year, {3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(d.month, "FA")


def _season_index(year: int, season: str) -> int:
    # Linear order of seasons: SP, SU, FA of year Y, then WI of Y (Dec Y..Feb Y+1).
    return year * 4 + {"SP": 0, "SU": 1, "FA": 2, "WI": 3}[season]


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + n
    return idx // 12, idx % 12 + 1


def _iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _nth_weekday(year: int, month: int, k: int, weekday: int) -> dt.date:
    """k-th (1-based; 0 = last) ISO weekday of a month."""
    if k == 0:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (k - 1))


def _easter(year: int) -> dt.date:
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


def _holiday(spec: str, year: int) -> dt.date | None:
    """The date of a holiday spec in `year`: MM-DD; MM-kWd (k-th ISO weekday d of month MM, L =
    last); E (Easter Sunday); any of them followed by a day offset (+1, -2): Election Day is
    11-1W1+1, Good Friday E-2. Moving holidays are computed, never listed per year."""
    m = HOLIDAY_SPEC.fullmatch(spec)
    if not m or not 1 <= year <= 9998:
        return None
    if m.group(1):
        d = _safe_date(year, int(m.group(1)), int(m.group(2)))
    elif m.group(3):
        k = 0 if m.group(4) == "L" else int(m.group(4))
        d = _nth_weekday(year, int(m.group(3)), k, int(m.group(5)))
    else:
        d = _easter(year)
    if d is None:
        return None
    return d + dt.timedelta(days=int(m.group(7) or 0))


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


_NEAR_DAYS = 45
_DEADLINE_DAYS = 120  # "until", "by", "through" a date: ahead when it is this near (see `resolve`)


def _pick_year(dct: dt.date, month: int, day: int, tense: str | None) -> int:
    """Year for a year-less date: the latest occurrence not after the DCT in past context, the
    next one in future context, otherwise the one nearest the DCT."""
    day = 28 if (month == 2 and day == 29) else day
    return _pick_occurrence(dct, lambda y: _safe_date(y, month, day), tense)


def _pick_occurrence(dct: dt.date, date_in: Callable[[int], dt.date | None], tense: str | None) -> int:
    """The year whose occurrence of a yearly date (`date_in(year)`) the tense points at; see `_pick_year`."""
    options = [(y, date_in(y)) for y in (dct.year - 1, dct.year, dct.year + 1)]
    valid = [(y, d) for y, d in options if d is not None]
    if not valid:
        return dct.year
    nearest = min(valid, key=lambda yd: abs((yd[1] - dct).days))
    if tense == "deadline":
        # A deadline told in the past tense: the next occurrence if it is a few months away at most.
        ahead = [yd for yd in valid if dct < yd[1] <= dct + dt.timedelta(days=_DEADLINE_DAYS)]
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


def _num(s: str | None) -> float | None:
    if s is None or s in ("X", ""):
        return None
    try:
        return float(s)
    except ValueError:
        return None


def _duration(num: str, unit: str) -> str:
    n = _num(num)
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
        big = _duration(str(whole), unit) if whole else ""
        rest = _duration(str(frac), small)
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


def _duration_sum(parts: list[tuple[str, str]]) -> str:
    """One duration of several amounts ("two hours and 17 minutes" -> PT2H17M, "three years and
    six months" -> P3Y6M): each amount as `_duration` gives it, added up designator by designator."""
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
        m = _DURATION_PARTS.fullmatch(_duration(num or "1", unit))
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


def _ref(unit: str, n: int, dct: dt.date | None) -> str:
    if dct is None:
        return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX", "Q": "XXXX-QX",
                "H": "XXXX-HX", "Y": "XXXX", "DE": "XXX", "CE": "XX"}.get(unit, "XXXX")
    if unit == "D":
        return (dct + dt.timedelta(days=n)).isoformat()
    if unit in ("W", "WE"):
        w = _iso_week(dct + dt.timedelta(weeks=n))
        return w + "-WE" if unit == "WE" else w
    if unit == "M":
        y, m = _add_months(dct.year, dct.month, n)
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


def _ago(num: str, unit: str, sign: str, dct: dt.date | None) -> str:
    n = _num(num)
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
        return _ref(unit, 0, None)
    k = int(n) * (-1 if sign == "-" else 1)
    return _ref(unit, k, dct)


def _weekday(d: int, n: str | None, dct: dt.date | None, tense: str | None) -> str:
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


def _weekend(dct: dt.date | None, tense: str | None) -> str:
    """"The weekend": the one just past in past-tense context, else the coming (or current) one."""
    if dct is None:
        return "XXXX-WXX-WE"
    in_weekend = dct.isoweekday() >= 6
    if tense == "past" and not in_weekend:
        return _iso_week(dct - dt.timedelta(weeks=1)) + "-WE"
    return _iso_week(dct) + "-WE"


def _month(mm: int, n: str | None, dct: dt.date | None, tense: str | None) -> str:
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
        ahead = 0 < (mm - dct.month) % 12 <= _DEADLINE_DAYS // 30
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


def _season(s: str, n: str | None, dct: dt.date | None, tense: str | None) -> str:
    if dct is None:
        return f"XXXX-{s}"
    cur = _season_index(*_season_of(dct))
    candidates = [_season_index(y, s) for y in range(dct.year - 2, dct.year + 2)]
    if n == "+0":
        # "this winter" in January is the current one (it began last December).
        idx = cur if _season_of(dct)[1] == s else _season_index(dct.year, s)
    elif n == "-1":
        idx = max(i for i in candidates if i < cur)
    elif n == "+1":
        idx = min(i for i in candidates if i > cur)
    elif tense == "past":
        idx = max(i for i in candidates if i <= cur)
    elif tense == "future":
        idx = min(i for i in candidates if i >= cur)
    else:
        idx = _season_index(dct.year, s)
    return f"{idx // 4:04d}-{s}"


def _quarter(q: int, y_off: str | None, dct: dt.date | None, tense: str | None, per: int, letter: str) -> str:
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


# What each operation of `resolve` reads besides its arguments: the publication date (and the
# context it sets), or the last date the text told. An operation reading either gives a relative
# value. One table beside the operations, so that no side list drifts from them (one did: "the 1988
# quarter", QY, was labelled absolute); tests/test_timex_resources.py checks it against `resolve`
# and against every rule's value.
OPERATION_NEEDS: dict[str, frozenset[str]] = {
    **{op: frozenset({"publication date"}) for op in (
        "DCT", "REF", "AGO", "MD", "M", "MY", "WD", "SEASON", "Q", "H", "HOL", "HOLW", "QY", "QREF", "QAGO",
        "WKND", "YEND")},
    "ANA": frozenset({"last date told"}),
    "ANAWD": frozenset({"last date told"}),
    "DUR": frozenset(),
}
RELATIVE_OPERATIONS = frozenset(op for op, needs in OPERATION_NEEDS.items() if needs)


def resolve(uvalue: str, dct: dt.date | None, tense: str | None) -> str:
    """The TIMEX3 value of an underspecified value (see the module docstring)."""
    base, _, time_part = uvalue.partition("|T")
    parts = base.split(":")
    op, args = parts[0], [a or None for a in parts[1:]]
    if op == "DCT":
        value = (dct + dt.timedelta(days=int(args[0]))).isoformat() if dct else "XXXX-XX-XX"
    elif op == "REF":
        value = _ref(str(args[0]), int(args[1] or 0) if len(args) > 1 else 0, dct)
    elif op == "QY":
        # "the 1988 quarter": the quarter "the quarter" would name, in that year.
        latest = _ref("Q", -1, dct) if dct else "XXXX-QX"
        value = f"{int(str(args[0])):04d}-{latest[5:]}"
    elif op == "QAGO":
        # "the year-ago quarter" without a named quarter to compare: the latest complete quarter,
        # a year back (timex._compared_periods puts the named one in its place).
        value = _ref("Q", -5, dct)
    elif op == "QREF":
        # "the quarter" in news is the latest reported one: the last complete quarter, or the
        # current one in future context.
        value = _ref("Q", 0 if tense == "future" else -1, dct)
    elif op == "YEND":
        # "Year-end" told as past lies behind the DCT: the previous year's, unless the DCT is in
        # December, when this year's end may just have been reached.
        value = f"{dct.year - (tense == 'past' and dct.month < 12):04d}" if dct else "XXXX"
    elif op == "WKND":
        value = _weekend(dct, tense)
    elif op == "AGO":
        value = _ago(args[0], args[1], args[2], dct)
    elif op == "MD":
        mm, dd = int(args[0]), int(args[1])
        value = f"{_pick_year(dct, mm, dd, tense):04d}-{mm:02d}-{dd:02d}" if dct else f"XXXX-{mm:02d}-{dd:02d}"
    elif op == "M":
        value = _month(int(args[0]), args[1] if len(args) > 1 else None, dct, tense)
    elif op == "MY":
        value = f"{dct.year + int(args[1]):04d}-{int(args[0]):02d}" if dct else f"XXXX-{int(args[0]):02d}"
    elif op == "WD":
        value = _weekday(int(args[0]), args[1] if len(args) > 1 else None, dct, tense)
    elif op == "SEASON":
        value = _season(args[0], args[1] if len(args) > 1 else None, dct, tense)
    elif op == "Q":
        value = _quarter(int(args[0]), args[1] if len(args) > 1 else None, dct, tense, 4, "Q")
    elif op == "H":
        value = _quarter(int(args[0]), args[1] if len(args) > 1 else None, dct, tense, 2, "H")
    elif op == "HOL":
        value = _resolve_holiday(args[0], args[1] if len(args) > 1 else None, dct, tense)
    elif op == "HOLW":
        # The holiday's week is the current one when the DCT falls in it, whatever the tense.
        this_year = _holiday(str(args[0]), dct.year) if dct else None
        if dct and this_year and _iso_week(this_year) == _iso_week(dct):
            value = _iso_week(dct)
        else:
            day = _resolve_holiday(str(args[0]), None, dct, tense)
            value = _iso_week(dt.date.fromisoformat(day)) if "X" not in day else "XXXX-WXX"
    elif op == "DUR":
        parts = [(str(args[k] or ""), str(args[k + 1])) for k in range(0, len(args) - 1, 2) if args[k + 1]]
        value = _duration(parts[0][0] or "1", parts[0][1]) if len(parts) == 1 else _duration_sum(parts)
    elif op in ("ANA", "ANAWD"):
        # Without the text's earlier dates, an anaphoric expression counts from the DCT.
        return resolve_anaphoric(uvalue, None, dct, tense)
    else:
        value = base
    if time_part:
        if re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", value):
            value = f"{value}T{time_part}"
        elif value.startswith("XXXX-WXX-"):
            value = f"{value}T{time_part}"
    return value


def _resolve_holiday(spec: str, year: str | None, dct: dt.date | None, tense: str | None) -> str:
    if year is not None:
        d = _holiday(spec, int(year))
        return d.isoformat() if d else year
    if dct is None:
        fixed = re.fullmatch(r"(\d\d)-(\d\d)", spec)
        return f"XXXX-{spec}" if fixed else "XXXX-XX-XX"
    if _holiday(spec, dct.year) is None:
        return "XXXX-XX-XX"
    # As a year-less date: a holiday a few weeks away is not pushed a year back by a past-tense
    # verb ("stocks opened mixed ahead of the Thanksgiving holiday", said two days before it).
    year = _pick_occurrence(dct, lambda y: _holiday(spec, y), tense)
    d = _holiday(spec, year) or _holiday(spec, dct.year)
    return d.isoformat() if d else "XXXX-XX-XX"


# ------------------------------------------------------------------ anaphoric: the last mentioned date

def resolve_anaphoric(uvalue: str, anchor: str | None, dct: dt.date | None, tense: str | None) -> str:
    """The value of an `ANA`/`ANAWD` expression relative to `anchor`, the value of the date last
    mentioned before it ("on May 22, 1995 ... the following year" -> 1996), or to the DCT when
    no date was mentioned. A unit finer than the anchor is kept unknown ("in June ... that same
    day" -> `1998-06-XX`): no day is invented.
    """
    base, _, time_part = uvalue.partition("|T")
    parts = base.split(":")
    op, unit, n = parts[0], parts[1], parts[2] if len(parts) > 2 else "+0"
    unknown = _ref(unit, 0, None) if op == "ANA" else f"XXXX-WXX-{unit}"
    if time_part and (unknown == "XXXX-XX-XX" or unknown.startswith("XXXX-WXX-")):
        unknown = f"{unknown}T{time_part}"
    parsed = TimexValue.of(anchor) if anchor is not None else None
    if parsed is None or not parsed.is_anchor:
        if dct is None:
            return unknown
        parsed = TimexValue.of(dct.isoformat())
    y = int(str(parsed.year))
    mo = int(parsed.month) if parsed.month else None
    day = _safe_date(y, mo, int(parsed.day)) if mo and parsed.day else None
    if parsed.week:  # a week: its Monday stands in for a day only for week arithmetic
        week_monday = dt.date.fromisocalendar(y, int(parsed.week), 1) if 1 <= int(parsed.week) <= 53 else None
    else:
        week_monday = day - dt.timedelta(days=day.isoweekday() - 1) if day else None
    k = _num(n.lstrip("+"))
    if k is None or k != int(k):
        return unknown
    k = int(k)
    # "two hours later" stays on the anchor's day; decades and fortnights are counted in years and weeks.
    if unit in ("H", "MIN", "S"):
        unit, k = "D", 0
    elif unit in ("DE", "CE", "FN"):
        unit, k = {"DE": ("Y", 10 * k), "CE": ("Y", 100 * k), "FN": ("W", 2 * k)}[unit]
    if op == "ANAWD":
        d = int(unit)
        if day is None:
            return _weekday(d, n, dct, tense)
        if k < 0:
            value = (day - dt.timedelta(days=(day.isoweekday() - d) % 7 or 7)).isoformat()
        else:
            value = (day + dt.timedelta(days=(d - day.isoweekday()) % 7 or 7)).isoformat()
    elif unit == "Y":
        value = f"{y + k:04d}"
    elif unit == "M":
        if mo is None:
            return f"{y:04d}-XX" if k == 0 else "XXXX-XX"
        yy, mm = _add_months(y, mo, k)
        value = f"{yy:04d}-{mm:02d}"
    elif unit == "Q":
        if mo is None and not parsed.period_number:
            return f"{y:04d}-QX" if k == 0 else "XXXX-QX"
        q = int(parsed.period_number) if parsed.period_number else ((mo or 1) - 1) // 3 + 1
        idx = y * 4 + q - 1 + k
        value = f"{idx // 4:04d}-Q{idx % 4 + 1}"
    elif unit == "W":
        if week_monday is None:
            return f"{y:04d}-WXX" if k == 0 else "XXXX-WXX"
        value = _iso_week(week_monday + dt.timedelta(weeks=k))
    elif unit == "D":
        if day is None:
            if k == 0 and mo is not None:
                return f"{y:04d}-{mo:02d}-XX"
            return "XXXX-XX-XX"
        value = (day + dt.timedelta(days=k)).isoformat()
    else:
        # Weekends, halves, decades: rare anaphorically; the DCT's unit is the better guess.
        return resolve(f"REF:{unit}:{k}", dct, tense)
    if time_part and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        value = f"{value}T{time_part}"
    return value
