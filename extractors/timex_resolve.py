"""Second phase of temporal normalization: underspecified value -> TIMEX3 value.

Rules in patterns.yaml emit either a finished TIMEX3 value ("2023-09-07", "P3Y", "PAST_REF")
or an operation `OP:arg:...`, read into an `Underspecified` (op, arguments, time of day). Each
operation is registered once in `OPERATIONS` with what it reads besides its arguments (the
document creation time (DCT), the last date the text told, the tense of the governing verb) and
resolves itself; an operation reading the DCT or the last date gives a `relative` value.
tests/test_timex_resources.py checks every rule's operation against the registry.

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

Tense and the direction it gives a bare expression are described in `timex_calendar`, which
does the calendar arithmetic.

What a resolved value denotes (its interval, granularity, label) is `timex_value.TimexValue`'s.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from extractors import timex_calendar as cal
from extractors.timex_value import TimexValue

# What an operation may read besides its arguments.
PUBLICATION_DATE = "publication date"
LAST_DATE_TOLD = "last date told"
TENSE = "tense"
NEEDS = frozenset({PUBLICATION_DATE, LAST_DATE_TOLD, TENSE})


@dataclass(frozen=True)
class Underspecified:
    """A rule's value before resolution: an operation and its arguments ("WD:4|TNI" = op "WD",
    args ("4",), time "NI"), or a finished value (op None, `literal` the value)."""

    op: str | None
    args: tuple[str | None, ...] = ()
    time: str = ""  # the time of day after "|T", "" for none
    literal: str = ""

    @staticmethod
    @functools.lru_cache(maxsize=4096)
    def parse(uvalue: str) -> Underspecified:
        base, _, time = uvalue.partition("|T")
        parts = base.split(":")
        if parts[0] not in OPERATIONS:
            return Underspecified(None, (), time, base)
        return Underspecified(parts[0], tuple(a or None for a in parts[1:]), time)

    def arg(self, index: int) -> str | None:
        return self.args[index] if len(self.args) > index else None

    @property
    def needs(self) -> frozenset[str]:
        if self.op is None:
            return frozenset()
        operation = OPERATIONS[self.op]
        return operation.needs_of(self) if operation.needs_of is not None else operation.needs

    @property
    def relative(self) -> bool:
        """Whether the value depends on the publication date or on the text's earlier dates."""
        return bool(self.needs & {PUBLICATION_DATE, LAST_DATE_TOLD})


@dataclass(frozen=True)
class Context:
    """What an operation may read: the DCT, the tense of the governing verb, the last date told."""

    dct: dt.date | None
    tense: str | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class Operation:
    name: str
    needs: frozenset[str]
    resolve: Callable[[Underspecified, Context], str]
    # Anaphoric operations put the time of day on their value themselves (see `resolve_anaphoric`).
    adds_time: bool = False
    # What one value of the operation reads, when its arguments can spare a need (a holiday with
    # its year given reads no publication date); `needs` is what the operation may read at most.
    needs_of: Callable[[Underspecified], frozenset[str]] | None = None


OPERATIONS: dict[str, Operation] = {}


def _operation(name: str, *needs: str, adds_time: bool = False,
               needs_of: Callable[[Underspecified], frozenset[str]] | None = None) -> Callable[
        [Callable[[Underspecified, Context], str]], Callable[[Underspecified, Context], str]]:
    unknown = set(needs) - NEEDS
    if unknown:
        raise ValueError(f"operation {name}: unknown needs {sorted(unknown)}")

    def register(fn: Callable[[Underspecified, Context], str]) -> Callable[[Underspecified, Context], str]:
        OPERATIONS[name] = Operation(name, frozenset(needs), fn, adds_time, needs_of)
        return fn
    return register


@_operation("DCT", PUBLICATION_DATE)
def _dct_shifted(u: Underspecified, c: Context) -> str:
    return (c.dct + dt.timedelta(days=int(str(u.arg(0))))).isoformat() if c.dct else "XXXX-XX-XX"


@_operation("REF", PUBLICATION_DATE)
def _dct_unit(u: Underspecified, c: Context) -> str:
    return cal.ref(str(u.arg(0)), int(u.arg(1) or 0) if len(u.args) > 1 else 0, c.dct)


@_operation("QY", PUBLICATION_DATE)
def _quarter_of_year(u: Underspecified, c: Context) -> str:
    # "the 1988 quarter": the quarter "the quarter" would name, in that year.
    latest = cal.ref("Q", -1, c.dct) if c.dct else "XXXX-QX"
    return f"{int(str(u.arg(0))):04d}-{latest[5:]}"


@_operation("QAGO", PUBLICATION_DATE)
def _year_ago_quarter(u: Underspecified, c: Context) -> str:
    # "the year-ago quarter" without a named quarter to compare: the latest complete quarter,
    # a year back (the context pass `compared_periods` puts the named one in its place).
    return cal.ref("Q", -5, c.dct)


@_operation("QREF", PUBLICATION_DATE, TENSE)
def _the_quarter(u: Underspecified, c: Context) -> str:
    # "the quarter" in news is the latest reported one: the last complete quarter, or the
    # current one in future context.
    return cal.ref("Q", 0 if c.tense == "future" else -1, c.dct)


@_operation("YEND", PUBLICATION_DATE, TENSE)
def _year_end(u: Underspecified, c: Context) -> str:
    # "Year-end" told as past lies behind the DCT: the previous year's, unless the DCT is in
    # December, when this year's end may just have been reached.
    return f"{c.dct.year - (c.tense == 'past' and c.dct.month < 12):04d}" if c.dct else "XXXX"


@_operation("WKND", PUBLICATION_DATE, TENSE)
def _weekend(u: Underspecified, c: Context) -> str:
    return cal.weekend(c.dct, c.tense)


@_operation("AGO", PUBLICATION_DATE)
def _ago(u: Underspecified, c: Context) -> str:
    return cal.ago(u.args[0], u.args[1], u.args[2], c.dct)  # type: ignore[arg-type]


@_operation("MD", PUBLICATION_DATE, TENSE)
def _month_day(u: Underspecified, c: Context) -> str:
    mm, dd = int(str(u.arg(0))), int(str(u.arg(1)))
    return f"{cal.pick_year(c.dct, mm, dd, c.tense):04d}-{mm:02d}-{dd:02d}" if c.dct else f"XXXX-{mm:02d}-{dd:02d}"


@_operation("M", PUBLICATION_DATE, TENSE)
def _month(u: Underspecified, c: Context) -> str:
    return cal.month(int(str(u.arg(0))), u.arg(1), c.dct, c.tense)


@_operation("MY", PUBLICATION_DATE)
def _month_of_year(u: Underspecified, c: Context) -> str:
    mm = int(str(u.arg(0)))
    return f"{c.dct.year + int(str(u.arg(1))):04d}-{mm:02d}" if c.dct else f"XXXX-{mm:02d}"


@_operation("WD", PUBLICATION_DATE, TENSE)
def _weekday(u: Underspecified, c: Context) -> str:
    return cal.weekday(int(str(u.arg(0))), u.arg(1), c.dct, c.tense)


@_operation("SEASON", PUBLICATION_DATE, TENSE)
def _season(u: Underspecified, c: Context) -> str:
    return cal.season(str(u.arg(0)), u.arg(1), c.dct, c.tense)


@_operation("Q", PUBLICATION_DATE, TENSE)
def _quarter(u: Underspecified, c: Context) -> str:
    return cal.quarter(int(str(u.arg(0))), u.arg(1), c.dct, c.tense, 4, "Q")


@_operation("H", PUBLICATION_DATE, TENSE)
def _half(u: Underspecified, c: Context) -> str:
    return cal.quarter(int(str(u.arg(0))), u.arg(1), c.dct, c.tense, 2, "H")


@_operation("HOL", PUBLICATION_DATE, TENSE,
            needs_of=lambda u: frozenset() if u.arg(1) else frozenset({PUBLICATION_DATE, TENSE}))
def _holiday(u: Underspecified, c: Context) -> str:
    return cal.resolve_holiday(str(u.arg(0)), u.arg(1), c.dct, c.tense)


@_operation("HOLW", PUBLICATION_DATE, TENSE)
def _holiday_week(u: Underspecified, c: Context) -> str:
    # The holiday's week is the current one when the DCT falls in it, whatever the tense.
    spec = str(u.arg(0))
    this_year = cal.holiday(spec, c.dct.year) if c.dct else None
    if c.dct and this_year and cal.iso_week(this_year) == cal.iso_week(c.dct):
        return cal.iso_week(c.dct)
    day = cal.resolve_holiday(spec, None, c.dct, c.tense)
    return cal.iso_week(dt.date.fromisoformat(day)) if "X" not in day else "XXXX-WXX"


@_operation("DUR")
def _duration(u: Underspecified, c: Context) -> str:
    args = u.args
    parts = [(str(args[k] or ""), str(args[k + 1])) for k in range(0, len(args) - 1, 2) if args[k + 1]]
    return cal.duration(parts[0][0] or "1", parts[0][1]) if len(parts) == 1 else cal.duration_sum(parts)


@_operation("ANA", LAST_DATE_TOLD, PUBLICATION_DATE, TENSE, adds_time=True)
def _anaphoric_unit(u: Underspecified, c: Context) -> str:
    return _anaphoric(u, c)


@_operation("ANAWD", LAST_DATE_TOLD, PUBLICATION_DATE, TENSE, adds_time=True)
def _anaphoric_weekday(u: Underspecified, c: Context) -> str:
    return _anaphoric(u, c)


# What each operation reads besides its arguments, as a table (the registry is the source).
OPERATION_NEEDS: dict[str, frozenset[str]] = {name: op.needs for name, op in OPERATIONS.items()}
RELATIVE_OPERATIONS = frozenset(name for name, op in OPERATIONS.items()
                                if op.needs & {PUBLICATION_DATE, LAST_DATE_TOLD})
_DAY_SHAPED = re.compile(r"[\dX]{4}-[\dX]{2}-[\dX]{2}")


def resolve_underspecified(u: Underspecified, context: Context) -> str:
    """The TIMEX3 value of an underspecified value in a context."""
    if u.op is None:
        value = u.literal
    else:
        operation = OPERATIONS[u.op]
        value = operation.resolve(u, context)
        if operation.adds_time:
            return value
    if u.time and (_DAY_SHAPED.fullmatch(value) or value.startswith("XXXX-WXX-")):
        value = f"{value}T{u.time}"
    return value


def resolve(uvalue: str, dct: dt.date | None, tense: str | None, anchor: str | None = None) -> str:
    """The TIMEX3 value of an underspecified value string (see the module docstring).
    Without `anchor` an anaphoric expression counts from the DCT."""
    return resolve_underspecified(Underspecified.parse(uvalue), Context(dct, tense, anchor))


# ------------------------------------------------------------------ anaphoric: the last mentioned date

def resolve_anaphoric(uvalue: str, anchor: str | None, dct: dt.date | None, tense: str | None) -> str:
    """`resolve` of an `ANA`/`ANAWD` value against `anchor` (see `_anaphoric`)."""
    return resolve(uvalue, dct, tense, anchor)


def _anaphoric(u: Underspecified, c: Context) -> str:
    """The value of an `ANA`/`ANAWD` expression relative to `anchor`, the value of the date last
    mentioned before it ("on May 22, 1995 ... the following year" -> 1996), or to the DCT when
    no date was mentioned. A unit finer than the anchor is kept unknown ("in June ... that same
    day" -> `1998-06-XX`): no day is invented.
    """
    anchor, dct, tense, time_part = c.anchor, c.dct, c.tense, u.time
    op, unit = u.op, u.arg(0) or ""
    n = (u.arg(1) or "") if len(u.args) > 1 else "+0"
    unknown = cal.ref(unit, 0, None) if op == "ANA" else f"XXXX-WXX-{unit}"
    if time_part and (unknown == "XXXX-XX-XX" or unknown.startswith("XXXX-WXX-")):
        unknown = f"{unknown}T{time_part}"
    parsed = TimexValue.of(anchor) if anchor is not None else None
    if parsed is None or not parsed.is_anchor:
        if dct is None:
            return unknown
        parsed = TimexValue.of(dct.isoformat())
    y = int(str(parsed.year))
    mo = int(parsed.month) if parsed.month else None
    day = cal.safe_date(y, mo, int(parsed.day)) if mo and parsed.day else None
    if parsed.week:  # a week: its Monday stands in for a day only for week arithmetic
        week_monday = dt.date.fromisocalendar(y, int(parsed.week), 1) if 1 <= int(parsed.week) <= 53 else None
    else:
        week_monday = day - dt.timedelta(days=day.isoweekday() - 1) if day else None
    k = cal.number_or_none(n.lstrip("+"))
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
            return cal.weekday(d, n, dct, tense)
        if k < 0:
            value = (day - dt.timedelta(days=(day.isoweekday() - d) % 7 or 7)).isoformat()
        else:
            value = (day + dt.timedelta(days=(d - day.isoweekday()) % 7 or 7)).isoformat()
    elif unit == "Y":
        value = f"{y + k:04d}"
    elif unit == "M":
        if mo is None:
            return f"{y:04d}-XX" if k == 0 else "XXXX-XX"
        yy, mm = cal.add_months(y, mo, k)
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
        value = cal.iso_week(week_monday + dt.timedelta(weeks=k))
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
