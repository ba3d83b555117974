"""Context passes of temporal resolution: what a timex means given the other timexes and words
around it, applied in a fixed order after each candidate was resolved on its own.

Each pass is a named, pure step over `Told` (the text, its parse, the candidates, their tenses and
their values so far, the publication date) that returns new values; `CONTEXT_PASSES` lists them
in the order they run, once each:

1. compared periods: "a year ago" in a report about a quarter is that quarter a year earlier;
2. quarters ended: "the quarter ended July 31" is the quarter that day closes;
3. appositive quarters: "the year-ago quarter, the second quarter ended Oct. 31," are one quarter;
4. named quarter anaphora: "the quarter", "that period" is the quarter the report named;
5. months told as past: a year-less month just ahead, told as past, is last year's;
6. anchored on dates: "the day after Oct. 12", "the week of March 6";
7. weekdays named by date: "on Tuesday (6 January)" takes the date's value;
8. anaphora: "the following year", "that day", "the previous Friday" against the last date told.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from extractors.schema import Timex
from extractors.tense import past_event_verb
from extractors.timex_candidate import Candidate, tokens_of
from extractors.timex_resolve import resolve, resolve_anaphoric
from extractors.timex_rules import context_pattern, lexicon_words
from extractors.timex_value import granularity_of, interval_of, is_anchor


@dataclass(frozen=True)
class ContextFacts:
    """What the context passes read from the parse, taken once when the timexes are found
    (`context_facts`), so that resolution reads plain data and never the parse: the sentences
    (character spans; None for an unparsed text) where a pass needs them, the sentence of each
    candidate, and which candidates are year-less months under a past event verb that does not
    announce what is to come."""

    sentences: tuple[tuple[int, int], ...] | None
    sentence_of: tuple[int | None, ...]
    past_event_month: tuple[bool, ...]


@dataclass(frozen=True)
class Told:
    """What the context passes read: the text, the facts taken from its parse, the candidates in
    text order, the tense that directs each, each one's value so far ("" for none yet), and the
    publication date."""

    text: str
    facts: ContextFacts
    candidates: tuple[Candidate, ...]
    tenses: tuple[str | None, ...]
    values: tuple[str, ...]
    dct: dt.date | None


_YEARLESS_MONTH = re.compile(r"M:\d\d:?")
# Underspecified values the compared-periods pass places by their sentence.
_COMPARED_OPERATIONS = ("AGO:1:Y:-", "QAGO", "REF:Y:-1")


def context_facts(doc: Doc, candidates: Sequence[Candidate], tenses: Sequence[str | None]) -> ContextFacts:
    """The facts of `ContextFacts` for the candidates of a parsed text."""
    past_event_month = []
    for c, tense in zip(candidates, tenses, strict=True):
        flag = False
        if tense == "past" and _YEARLESS_MONTH.fullmatch(c.uvalue):
            span = tokens_of(doc, c.start, c.end)
            verb = past_event_verb(span.root) if span is not None and len(span) else None
            flag = verb is not None and verb.lemma_.lower() not in lexicon_words("announcing_lemma")
        past_event_month.append(flag)
    if not doc.has_annotation("SENT_START"):
        return ContextFacts(None, tuple(None for _ in candidates), tuple(past_event_month))
    if not any(c.uvalue in _COMPARED_OPERATIONS or c.uvalue.startswith("QY:") for c in candidates):
        return ContextFacts((), tuple(None for _ in candidates), tuple(past_event_month))
    sents = list(doc.sents)
    starts = [sent.start for sent in sents]
    sentence_of: list[int | None] = []
    for c in candidates:
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        sentence_of.append(None if span is None or len(span) == 0 else bisect.bisect_right(starts, span[0].i) - 1)
    return ContextFacts(tuple((sent.start_char, sent.end_char) for sent in sents), tuple(sentence_of),
                        tuple(past_event_month))


@dataclass(frozen=True)
class ContextPass:
    name: str
    apply: Callable[[Told], Told]


def _values_pass(name: str, fn: Callable[[Told], list[str]]) -> ContextPass:
    return ContextPass(name, lambda told: replace(told, values=tuple(fn(told))))


def _anchored_pass(told: Told) -> Told:
    candidates, values = _anchored_on_dates(told.text, list(told.candidates), list(told.values))
    return replace(told, candidates=tuple(candidates), values=tuple(values))


CONTEXT_PASSES: tuple[ContextPass, ...] = (
    _values_pass("named quarter anaphora", lambda t: _named_quarter_anaphora(
        t.text, list(t.candidates), list(t.values), list(t.tenses), t.dct)),
    _values_pass("compared periods", lambda t: _compared_periods(
        t.text, t.facts, list(t.candidates), list(t.values), t.dct)),
    _values_pass("quarters ended", lambda t: _quarters_ended(t.text, list(t.candidates), list(t.values))),
    _values_pass("appositive quarters", lambda t: _appositive_quarters(t.text, list(t.candidates), list(t.values))),
    _values_pass("months told as past", lambda t: _months_told_as_past(
        t.facts, list(t.candidates), list(t.values), t.dct)),
    ContextPass("anchored on dates", _anchored_pass),
    _values_pass("weekdays named by date", lambda t: _weekdays_named_by_date(
        t.text, list(t.candidates), list(t.values))),
    _values_pass("anaphora", lambda t: _anaphoric(list(t.candidates), list(t.values), list(t.tenses), t.dct)),
)


def resolve_in_context(told: Told) -> Told:
    """`told` after every context pass, in order."""
    for context_pass in CONTEXT_PASSES:
        told = context_pass.apply(told)
    return told


_DAY = re.compile(r"\d{4}-\d\d-\d\d(?:T.*)?")


def _anaphoric(chosen: list[Candidate], values: list[str], tenses: list[str | None],
               dct: dt.date | None) -> list[str]:
    """Resolve the anaphoric expressions ("the following year", "that day", "the previous
    Friday", "the next morning") against the date mentioned last before them, as HeidelTime
    does for narratives; in news that is how "the next day" after "on March 3" means March 4.

    A bare clock time ("at 10 p.m.") is put on the last mentioned *day*, or on the DCT when no
    day was mentioned: a month or a year does not say which day the clock belongs to. "That
    quarter", "the previous quarter" count from the last *quarter* mentioned when there is one:
    "the second quarter ended Oct. 31 ... results for that quarter" is the (possibly fiscal)
    second quarter, not the calendar quarter of Oct. 31.
    """
    out = list(values)
    last: str | None = None
    last_day: str | None = None
    last_quarter: str | None = None
    # The same, among dates not after the DCT: a story told in the past tense ("made the
    # statements earlier in the day") happened before it was published, so "the day" is not
    # the election date announced for next January that the text named last.
    last_past: str | None = None
    last_past_day: str | None = None
    for i, c in enumerate(chosen):
        if c.uvalue.startswith("ANA"):
            clock_only = c.uvalue.startswith("ANA:D:0|T")
            past = tenses[i] == "past" and dct is not None
            # Without an earlier date not after the DCT, a past-tense anaphor counts from the DCT.
            if clock_only:
                anchor = last_past_day if past and _after(last_day, dct) else last_day
            elif c.uvalue.startswith("ANA:Q:"):
                anchor = last_quarter or last
            else:
                anchor = last_past if past and _after(last, dct) else last
            try:
                out[i] = resolve_anaphoric(c.uvalue, anchor, dct, tenses[i])
            except (OverflowError, ValueError):
                out[i] = ""
        if c.type in ("DATE", "TIME") and is_anchor(out[i]):
            last = out[i]
            if _DAY.fullmatch(out[i]):
                last_day = out[i][:10]
            if _QUARTER_VALUE.fullmatch(out[i]):
                last_quarter = out[i]
            if dct is not None and not _after(out[i], dct):
                last_past = out[i]
                if _DAY.fullmatch(out[i]):
                    last_past_day = out[i][:10]
    return out


def _months_told_as_past(facts: ContextFacts, chosen: list[Candidate], values: list[str],
                         dct: dt.date | None) -> list[str]:
    """A year-less month just ahead of the DCT, told in the past tense, stays ahead only under a
    verb that can announce what is to come ("told them of a cutback in September", said in
    August); under any other past verb it is last year's ("after winning parliamentary elections
    in January", said in December)."""
    if dct is None:
        return values
    out = list(values)
    for i in range(len(chosen)):
        # `past_event_month`: told in the past tense under a past event verb that does not announce.
        if facts.past_event_month[i] and _after(values[i], dct):
            out[i] = f"{int(values[i][:4]) - 1:04d}{values[i][4:]}"
    return out


def _after(value: str | None, dct: dt.date | None) -> bool:
    """Whether a calendar value (a day, week, month, quarter, season, year, ...) starts after the DCT."""
    interval = interval_of(value) if value is not None and dct is not None else None
    return interval is not None and interval[0] > dct


# "the day after Oct. 12", "the week before Christmas", "the week of March 6": a unit counted
# from a date the text gives is a date (TimeML: the value of the anchored date when it is
# computable). Counted from an event ("the day after his death") it is not, and stays untagged.
# The words are context.yaml's `anchored_before`.
_DAY_VALUE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")


def _anchored_on_dates(text: str, chosen: list[Candidate],
                       values: list[str]) -> tuple[list[Candidate], list[str]]:
    """Widen a day-valued date over a preceding "the day after" / "the week of" and shift it."""
    out_c, out_v = list(chosen), list(values)
    for i, (c, value) in enumerate(zip(chosen, values, strict=True)):
        m_day = _DAY_VALUE.fullmatch(value)
        anchored = _anchored_before(text, chosen, i) if m_day is not None else None
        if m_day is None or anchored is None:
            continue
        start, unit, rel = anchored
        day = dt.date(int(m_day.group(1)), int(m_day.group(2)), int(m_day.group(3)))
        try:
            new = _shifted(day, unit, 0 if rel == "of" else (-1 if rel == "before" else 1))
        except (OverflowError, ValueError):
            continue
        # The underspecified value stays the anchor's: the result is as DCT-relative as it is.
        out_c[i] = replace(c, start=start, type="DATE")
        out_v[i] = new
    return out_c, out_v


def _anchored_before(text: str, chosen: Sequence[Candidate], i: int) -> tuple[int, str, str] | None:
    """(widened start, unit, relation) when a date candidate follows "the day after", "the week
    of", ... (read from the text alone: whether it is widened also needs its value, a full day)."""
    c = chosen[i]
    if c.type != "DATE":
        return None
    prev_end = chosen[i - 1].end if i > 0 else 0
    m = context_pattern("anchored_before").search(text[max(prev_end, c.start - 30):c.start])
    if m is None:
        return None
    unit, rel = m.group(1).lower(), m.group(2).lower()
    if rel == "of" and unit != "week":
        return None  # "the day of the vote" is not about "Oct. 12"; "the year of 1990" is rare
    return c.start - (len(text[max(prev_end, c.start - 30):c.start]) - m.start()), unit, rel


def resolvable_extents(text: str, candidates: Sequence[Candidate]) -> list[tuple[int, int]]:
    """Every (start, end) a resolved timex of these candidates can have, whatever the publication
    date: each candidate's own, and its widening over "the day after" when its value is a full day."""
    out = [(c.start, c.end) for c in candidates]
    for i, c in enumerate(candidates):
        anchored = _anchored_before(text, candidates, i)
        if anchored is not None:
            out.append((anchored[0], c.end))
    return out


# "Tuesday (6 January)", "Tuesday, 6 January 2009": the date follows its weekday in brackets or after a comma.
_WEEKDAY_TO_DATE = re.compile(r"\s*(?:,|\(|-{1,2}|–|—)\s*")
_DAY_OR_YEARLESS_DAY = re.compile(r"(?:\d{4}|XXXX)-\d\d-\d\d")


def _weekdays_named_by_date(text: str, chosen: list[Candidate], values: list[str]) -> list[str]:
    """A bare weekday followed by the date it names ("on Tuesday (6 January)") takes that date's
    value: the explicit part wins over the weekday resolved against the publication date."""
    out = list(values)
    for i in range(len(chosen) - 1):
        c, nxt = chosen[i], chosen[i + 1]
        if (context_pattern("bare_weekday").fullmatch(text[c.start:c.end]) and _WEEKDAY_TO_DATE.fullmatch(text[c.end:nxt.start])
                and _DAY_OR_YEARLESS_DAY.fullmatch(values[i + 1])):
            out[i] = values[i + 1]
    return out




def _quarters_ended(text: str, chosen: list[Candidate], values: list[str]) -> list[str]:
    """"The quarter ended July 31" is the quarter the three months up to that day mostly fall
    in (May-July: the second), not the latest complete one: companies with fiscal years report
    quarters that end in any month."""
    out = list(values)
    for i in range(len(chosen) - 1):
        if chosen[i].uvalue != "QREF":
            continue
        nxt = chosen[i + 1]
        m_day = _DAY_VALUE.fullmatch(values[i + 1])
        if m_day is None or not context_pattern("quarter_ended").fullmatch(text[chosen[i].end:nxt.start]):
            continue
        end = dt.date(int(m_day.group(1)), int(m_day.group(2)), int(m_day.group(3)))
        middle = end - dt.timedelta(days=45)
        out[i] = f"{middle.year:04d}-Q{(middle.month - 1) // 3 + 1}"
    return out


_APPOSITION = re.compile(r"\s*,\s*")


def _appositive_quarters(text: str, chosen: list[Candidate], values: list[str]) -> list[str]:
    """"In the comparable year-ago quarter, the second quarter ended Oct. 31, ...": a quarter
    named in apposition to a year-ago period is that period; the first says which year, the
    second which quarter (a fiscal one: the calendar would not make October end a second
    quarter). Both take the combined value, and the day the quarter ended moves with it."""
    out = list(values)
    for i in range(len(chosen) - 1):
        a, b = chosen[i], chosen[i + 1]
        if not (a.uvalue == "QAGO" or a.uvalue.startswith("QY:")) or not b.uvalue.startswith("Q:"):
            continue
        if not _APPOSITION.fullmatch(text, a.end, b.start):
            continue
        if not (_QUARTER_VALUE.fullmatch(out[i]) and _QUARTER_VALUE.fullmatch(out[i + 1])):
            continue
        # An apposition is closed by a comma after the second quarter (or the day it ended):
        # "Compared with the year-ago quarter, the third quarter was strong" has a subject there.
        ended = i + 2 < len(chosen) and context_pattern("quarter_ended").fullmatch(text, b.end, chosen[i + 2].start) is not None
        close = chosen[i + 2].end if ended else b.end
        if not context_pattern("apposition_close").match(text, close):
            continue
        old_year = int(out[i + 1][:4])
        out[i] = out[i + 1] = f"{out[i][:4]}-{out[i + 1][5:]}"
        shift = int(out[i][:4]) - old_year
        m_day = _DAY_VALUE.fullmatch(out[i + 2]) if ended else None
        if m_day is not None and shift:
            out[i + 2] = f"{int(m_day.group(1)) + shift:04d}{out[i + 2][4:]}"
    return out


_QUARTER_VALUE = re.compile(r"\d{4}-Q[1-4]")


def _named_quarter_anaphora(text: str, chosen: list[Candidate], values: list[str], tenses: list[str | None],
                            dct: dt.date | None) -> list[str]:
    """"The quarter", "the latest period" in a report that has named its quarter is that
    quarter, whatever the calendar says: "Sun earned $5 million in the fiscal first quarter ...
    it had expected to break even for the quarter" is the fiscal first quarter, not the current
    calendar one. "The quarter" takes the last quarter of this or last year named before it
    that is reported on: not one told as ahead ("expects a loss in the fourth quarter"), nor a
    reference point ("after a flat second quarter", "up from the second quarter"); "that
    quarter" points back at the last quarter named, a year-ago one included. The current
    calendar quarter counts only when told in the past tense (a fiscal quarter that has ended),
    so "no estimate of the impact on fourth-quarter results" names no reported quarter. Without
    a named quarter the calendar reading of `QREF` stays; "the quarter ended July 31" keeps the
    quarter its end date gives (`_quarters_ended`) and names none itself. "The 1988 period" is
    the named quarter in 1988."""
    if dct is None:
        return values
    out = list(values)
    latest_year = int(resolve("REF:Q:-1", dct, None)[:4])
    current = resolve("REF:Q:0", dct, None)
    named: list[tuple[int, str, bool]] = []  # (start, value, reported)
    for i, c in enumerate(chosen):
        anaphor = (c.uvalue in ("QREF", "REF:Q:-1") and context_pattern("quarter_anaphor").fullmatch(text, c.start, c.end) is not None
                   and not context_pattern("quarter_ended").match(text, c.end))
        # "This quarter's loss includes ..." in a report on a quarter that has ended is that
        # quarter; "a loss this quarter is likely" is still the running one.
        anaphor = anaphor or (c.uvalue == "REF:Q:+0" and context_pattern("this_quarters").fullmatch(text, c.start, c.end + 2) is not None
                              and tenses[i] != "future")
        if anaphor:
            if text[c.start:c.start + 4].lower() == "that":
                prior = [v for _, v, _ in named]
                if prior:
                    out[i] = prior[-1]
            elif reported_quarters := [v for _, v, reported in named if reported]:
                out[i] = reported_quarters[-1]
            continue
        if c.uvalue.startswith("QY:") and _QUARTER_VALUE.fullmatch(values[i]):
            # "the 1988 period": the named quarter, in that year.
            if reported_quarters := [v for _, v, reported in named if reported]:
                out[i] = f"{values[i][:4]}-{reported_quarters[-1][5:]}"
            continue
        v = values[i]
        if _QUARTER_VALUE.fullmatch(v) and c.uvalue != "QREF":
            # The current quarter is still running: only a report told as past makes it the
            # reported one (a fiscal quarter with the current number that already ended).
            reported = (int(v[:4]) >= latest_year and (v < current and tenses[i] != "future"
                                                       or v == current and tenses[i] == "past")
                        and not context_pattern("reference_point_before").search(text, max(0, c.start - 30), c.start))
            named.append((c.start, v, reported))
    return out


def _shifted(day: dt.date, unit: str, n: int) -> str:
    if unit == "day":
        return (day + dt.timedelta(days=n)).isoformat()
    if unit == "week":
        y, w, _ = (day + dt.timedelta(weeks=n)).isocalendar()
        return f"{y:04d}-W{w:02d}"
    if unit == "month":
        idx = day.year * 12 + day.month - 1 + n
        return f"{idx // 12:04d}-{idx % 12 + 1:02d}"
    return f"{day.year + n:04d}"


_COMPARISON_SENTENCES = 5  # the sentence of "a year ago" and the ones before it that may name the quarter


def _compared_periods(text: str, facts: ContextFacts, chosen: list[Candidate], values: list[str],
                      dct: dt.date | None) -> list[str]:
    """"A year ago"/"a year earlier" in a report about a quarter means that quarter a year
    earlier ("profit rose 5% in the third quarter from a year ago" -> last year's Q3).

    The quarter is the one last named before the expression (earnings reports name it once, at
    the top), else one named later in its sentence; without a named quarter, the words
    "quarter"/"period" in its sentence or the one before make it the latest complete quarter.
    """
    if dct is None or facts.sentences is None:
        return values
    out = list(values)
    # Only a current quarter can be the reported one; "the 1988 quarter" is itself a comparison.
    # Nor a quarter still ahead ("losses through the third quarter of 1990").
    latest_year = int(resolve("REF:Q:-1", dct, None)[:4])
    current = resolve("REF:Q:0", dct, None)
    # "The latest period" is the quarter the report named, not the calendar's latest one: the
    # named quarter anaphora pass ran before this one.
    reported = [(c.start, v) for c, v in zip(chosen, values, strict=True)
                if re.fullmatch(r"\d{4}-Q\d", v) and int(v[:4]) >= latest_year and v <= current]
    for i, c in enumerate(chosen):
        last_year_compared = c.uvalue == "REF:Y:-1" and _is_compared_amount(text, c)
        if c.uvalue not in ("AGO:1:Y:-", "QAGO") and not c.uvalue.startswith("QY:") and not last_year_compared:
            continue
        s = facts.sentence_of[i]
        if s is None:
            continue
        sent_start, sent_end = facts.sentences[s]
        if last_year_compared and context_pattern("current_year").search(text[sent_start:sent_end]):
            continue  # "$4 a share for this year, up from last year's $3.27": year against year
        if _about_longer_period(text, facts.sentences, s):
            # "In the first nine months, net was $306 million, compared with $195 million in
            # the 1988 period": the comparison is with the same months of last year.
            if c.uvalue == "QAGO" and context_pattern("quarter_word").search(text[c.start:c.end]):
                continue  # "the year-ago quarter" stays a quarter
            out[i] = resolve("REF:Y:-1", dct, None) if not c.uvalue.startswith("QY:") else c.uvalue[3:]
            continue
        if c.uvalue.startswith("QY:"):
            continue
        lo_char = facts.sentences[max(0, s - (_COMPARISON_SENTENCES - 1))][0]
        before = [v for start, v in reported if lo_char <= start < c.start]
        after = [v for start, v in reported if c.start < start < sent_end]
        if before or after:
            q = before[-1] if before else after[0]
            out[i] = f"{int(q[:4]) - 1:04d}-{q[5:]}"
            continue
        lo = facts.sentences[s - 1][0] if s > 0 else sent_start
        if context_pattern("quarter_or_period_word").search(text[lo:sent_end]):
            out[i] = resolve("REF:Q:-5", dct, None)
    return out


# "compared with a loss of $3 million last year", "up from last year's $1.55 billion": last
# year as the other side of a reported figure, which earnings reports give for the same period
# (context.yaml's `compared_before`), when an amount is on that side.
_AMOUNT = re.compile(r"[$#%]|\d")


def _is_compared_amount(text: str, c: Candidate) -> bool:
    before = context_pattern("compared_before").search(text, max(0, c.start - 60), c.start)
    if before is None:
        return False
    after = text[c.end:c.end + 12]
    return bool(_AMOUNT.search(before.group(0)) or after.startswith("'s") and _AMOUNT.search(after))




def _about_longer_period(text: str, sentences: Sequence[tuple[int, int]], s: int) -> bool:
    """Whether sentence `s` reports a period longer than a quarter (nine months, a half), in
    itself or, when it names no quarter, in the sentence before it."""
    sent_text = text[sentences[s][0]:sentences[s][1]]
    if context_pattern("longer_period").search(sent_text):
        return not context_pattern("quarter_word").search(sent_text)
    if s == 0 or context_pattern("quarter_word").search(sent_text):
        return False
    prev = text[sentences[s - 1][0]:sentences[s - 1][1]]
    return bool(context_pattern("longer_period").search(prev)) and not context_pattern("quarter_word").search(prev)


# ---------------------------------------------------------------- durations that date events

# "One year later he was fired", "Two days earlier, ...": an amount told as counted from the
# story's last date, not from an event named after it ("ten days before the shooting"): the
# words are context.yaml's `counted_later`.
_WHOLE_AMOUNT = re.compile(r"P(\d+)(Y|M|W|D)")


def counted_from_dates(text: str, timexes: Sequence[Timex]) -> list[Timex]:
    """The timexes with each duration counted from the last date before it ("in 1984 ... One year
    later he was fired") turned into the date it reaches (1985), for dating events only: the
    tagger keeps it a DURATION, as TimeBank tags it. Only whole years, months, weeks or days, and
    only after a date the text gave; otherwise the duration stays as it is."""
    out: list[Timex] = []
    last: str | None = None
    for timex in sorted(timexes, key=lambda t: t.start):
        amount = _WHOLE_AMOUNT.fullmatch(timex.value) if timex.type == "DURATION" else None
        counted = context_pattern("counted_later").match(text, timex.end) if amount is not None else None
        if amount is not None and counted is not None and last is not None:
            sign = "-" if counted.group(1).lower() == "earlier" else "+"
            value = resolve_anaphoric(f"ANA:{amount.group(2)}:{sign}{amount.group(1)}", last, None, None)
            if "X" not in value:
                interval = interval_of(value)
                timex = dataclasses.replace(
                    timex, type="DATE", value=value, mod=None, granularity=granularity_of(value), relative=True,
                    interval_start=interval[0] if interval else None, interval_end=interval[1] if interval else None)
        if timex.type in ("DATE", "TIME") and is_anchor(timex.value):
            last = timex.value
        out.append(timex)
    return out
