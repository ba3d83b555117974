"""Event dates as intervals for merging: whether two dates can both hold; a TIMEX3 value's year, month
and day come from `TimexValue` (`_value_pattern`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from extractors.merge.settings import MergeSettings
from extractors.schema import EventDate, EventMention
from extractors.timex_value import TimexValue

if TYPE_CHECKING:
    from extractors.merge.prepare import _Prepared


NEG_INF = -(10**9)
POS_INF = 10**9

# --- dates -------------------------------------------------------------------------------------

def _value_pattern(value: str | None) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) a TIMEX3 value pins down, None for parts it leaves open (read by the
    project's one value type, `TimexValue`)."""
    return TimexValue.of(value).year_month_day() if value else None


def _patterns_agree(p: tuple[int | None, ...], q: tuple[int | None, ...]) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(p, q, strict=True))


@dataclass(frozen=True)
class _DateInfo:
    lo: int  # ordinal days, NEG_INF/POS_INF when open
    hi: int
    dated: bool  # has at least one interval bound
    pattern: tuple[int | None, int | None, int | None] | None
    weight: float
    # Dates read off the verb's tense (PAST_REF before the publication date, whether that date is
    # known or estimated) say when the article was written more than when the event happened:
    # they never block a merge, only show as conflicts...
    binding: bool
    # ...except that an article cannot report as past what began after it was written: the last
    # day a PAST_REF read against a known publication date allows (POS_INF for every other date).
    reported_by: int = POS_INF

    @property
    def bounded(self) -> bool:
        return self.dated and self.lo > NEG_INF and self.hi < POS_INF


def _date_info(date: EventDate, weights: dict[str, float]) -> _DateInfo:
    lo = date.start.toordinal() if date.start else NEG_INF
    hi = date.end.toordinal() if date.end else POS_INF
    dated = date.start is not None or date.end is not None
    if dated and lo > hi:  # a malformed interval: trust neither bound
        lo, hi, dated = NEG_INF, POS_INF, False
    pattern = _value_pattern(date.value)
    if dated and pattern is None and lo > NEG_INF and hi < POS_INF:
        s, e = date.start, date.end
        assert s is not None and e is not None
        pattern = (s.year if s.year == e.year else None,
                   s.month if (s.year, s.month) == (e.year, e.month) else None,
                   s.day if s == e else None)
    has_date = dated or pattern is not None
    binding = has_date and date.basis not in ("tense", "none") and date.granularity != "ref"
    reported_by = hi if (not binding and date.value == "PAST_REF" and date.basis in ("tense", "relative")
                         and lo == NEG_INF and hi < POS_INF) else POS_INF
    return _DateInfo(lo, hi, dated, pattern, weights.get(date.basis, 0.0) if has_date else 0.0, binding, reported_by)


def news_days(mentions: Iterable[EventMention], s: MergeSettings) -> dict[str, int]:
    """Each article's news day (ordinal), where its mentions show it: the day its tense-read dates are
    read against (PAST_REF ends on it, PRESENT_REF and FUTURE_REF start on it), the most common one.
    Only recurring families read it: none listed, none computed."""
    if not s.recurring_families:
        return {}
    days: dict[str, Counter[int]] = defaultdict(Counter)
    for m in mentions:
        d = m.date
        if d.value == "PAST_REF" and d.start is None and d.end is not None:
            days[m.doc_id][d.end.toordinal()] += 1
        elif d.value in ("PRESENT_REF", "FUTURE_REF") and d.start is not None:
            days[m.doc_id][d.start.toordinal()] += 1
    return {doc: counts.most_common(1)[0][0] for doc, counts in days.items()}


Recurrence = tuple[int, int, int, int]  # (day_lo, day_hi, news_lo, news_hi), ordinal days
UNBOUNDED: Recurrence = (NEG_INF, POS_INF, NEG_INF, POS_INF)


def recurrence_of(info: _DateInfo, news_day: int | None) -> Recurrence:
    """When a mention of a recurring event (an index rising, a market closing) can have happened: the
    days its own date binds, or, told with no date of its own, its article's news day."""
    if info.binding and info.bounded:
        return info.lo, info.hi, NEG_INF, POS_INF
    if news_day is not None:
        return NEG_INF, POS_INF, news_day, news_day
    return UNBOUNDED


def recurrences_disagree(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`recurrence_join(a, b) is None` over rows of (n, 4) arrays of recurrences."""
    day_lo, day_hi = np.maximum(a[:, 0], b[:, 0]), np.minimum(a[:, 1], b[:, 1])
    news_lo, news_hi = np.maximum(a[:, 2], b[:, 2]), np.minimum(a[:, 3], b[:, 3])
    apart = (news_lo > NEG_INF) & (day_lo > NEG_INF) & ((day_lo > news_hi) | (day_hi < news_lo - 1))
    return (day_lo > day_hi) | (news_lo > news_hi) | apart  # type: ignore[no-any-return]


def recurrence_join(a: Recurrence, b: Recurrence) -> Recurrence | None:
    """Both sides as one recurring event, or None when they tell two different days. Mentions with no
    date of their own must come from articles of one news day (two days' "the index rose" are two
    rises); a dated one must fall on that day or the day before (a morning report of yesterday's close)."""
    day_lo, day_hi = max(a[0], b[0]), min(a[1], b[1])
    news_lo, news_hi = max(a[2], b[2]), min(a[3], b[3])
    if day_lo > day_hi or news_lo > news_hi:
        return None
    if news_lo > NEG_INF and day_lo > NEG_INF and (day_lo > news_hi or day_hi < news_lo - 1):
        return None
    return day_lo, day_hi, news_lo, news_hi


def _compatible(a: _DateInfo, b: _DateInfo) -> bool:
    """Whether both dates can hold at once (unknown parts are compatible with anything)."""
    if a.dated and b.dated:
        return a.lo <= b.hi and b.lo <= a.hi
    if a.pattern is not None and b.pattern is not None:
        return _patterns_agree(a.pattern, b.pattern)
    return True



def _date_arrays(prepared: Sequence[_Prepared]) -> dict[str, np.ndarray]:
    """Date fields as arrays over mentions, built once per distinct date."""
    ids = {p.date_id: k for k, p in enumerate(prepared)}
    order = sorted(ids)
    infos = [prepared[ids[d]].date for d in order]
    position = {d: k for k, d in enumerate(order)}
    which = np.array([position[p.date_id] for p in prepared], dtype=np.int64)
    pattern = np.array([[-1 if x is None else x for x in (i.pattern or (None, None, None))] for i in infos],
                       dtype=np.int64).reshape(-1, 3)
    return {
        "lo": np.array([i.lo for i in infos], dtype=np.int64)[which],
        "hi": np.array([i.hi for i in infos], dtype=np.int64)[which],
        "dated": np.array([i.dated for i in infos], dtype=bool)[which],
        "has_pattern": np.array([i.pattern is not None for i in infos], dtype=bool)[which],
        "pattern": pattern[which],
        "binding": np.array([i.binding for i in infos], dtype=bool)[which],
        "reported_by": np.array([i.reported_by for i in infos], dtype=np.int64)[which],
    }


def _compatible_pairs(d: dict[str, np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`_compatible` over index arrays."""
    both_dated = d["dated"][a] & d["dated"][b]
    overlap = (d["lo"][a] <= d["hi"][b]) & (d["lo"][b] <= d["hi"][a])
    pa, pb = d["pattern"][a], d["pattern"][b]
    agree = np.all((pa < 0) | (pb < 0) | (pa == pb), axis=1)
    both_pattern = d["has_pattern"][a] & d["has_pattern"][b]
    return np.where(both_dated, overlap, np.where(both_pattern, agree, True))


def _precise(lo: np.ndarray | int, hi: np.ndarray | int, s: MergeSettings) -> np.ndarray | bool:
    """Whether an interval is narrow enough for a disagreement about it to be a slip (a weekday
    misresolved) rather than two different claims ("in 2004" / "in 2005")."""
    return (hi - lo) <= s.conflict_window_days  # type: ignore[operator, no-any-return]



