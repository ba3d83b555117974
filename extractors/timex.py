"""Find, type and normalize temporal expressions (TIMEX3) against a publication date.

Entry point: `tag_timexes(text, dct, doc=None) -> list[Timex]`, sorted by start, non-overlapping.

Two phases, as in HeidelTime but with all knowledge in data files
(extractors/resources/timex/, see `timex_rules`):

1. Find. Every rule of patterns.yaml is a regex over placeholder classes; a match that passes
   the rule's guards (capitalized month, not a verb, not a person's name, a plausible year) and
   overlaps no negative pattern (money, ages, scores, "Sunday Times") becomes a candidate whose
   value is *underspecified* ("WD:4" = a Thursday, "REF:M:-1" = last month). Overlaps are
   resolved longest-first. Modifiers ("late", "about", "the end of", "or so") then widen the
   span and set `mod`. Rules only scan windows around anchor words and digits (a prefilter that
   changes no result). spaCy DATE/TIME entities that no rule found are normalized with dateparser
   when they are absolute dates (they are not otherwise trusted: spaCy labels "48," or "$27" DATE).
2. Resolve. `timex_resolve.resolve` turns the underspecified value into a TIMEX3 value against
   the DCT, using the tense of the expression's governing verb for direction.

Anaphoric expressions ("the following year", "that day", "the previous Friday", "later that
year", a bare "at 10 p.m.") are resolved against the date mentioned last before them
(`_anaphoric`); "three days later" is, as in TimeBank, the duration "three days".

Ranges follow TimeBank: a range of amounts is one duration ("two to three weeks" -> PXW), a
range of dates is two timexes ("from 1990 to 1995"). A unit counted from a date the text gives
is that date shifted ("the day before last Tuesday", "the week of March 6"). What is not
matched: units counted from events ("after the war", "the day after his death"; TimeBank tags
"ten days before the shooting" as a duration), and non-English text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from dateparser.date import DateDataParser
from spacy.tokens import Doc, Span, Token

from extractors.nlp import doc_text
from extractors.schema import Timex
from extractors.timex_resolve import Underspecified, resolve, resolve_anaphoric
from extractors.timex_value import TIMEX3_VALUE, granularity_of, interval_of, is_anchor
from extractors.timex_rules import DIGIT_MARK, Resources, Rule, alternation, fold_case, load_resources

_YEAR_PREPOSITIONS = frozenset(
    "in since by of from to until till through before after during for between and or early late mid "
    "fiscal year years the around about circa than spring summer fall autumn winter ending end-".split()
)
_PAST_AUX = frozenset({"was", "were", "had", "did", "has", "have"})
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
_PROSPECTIVE_AUX = frozenset({"would", "must", "should", "'d"})
_POSSIBILITY_AUX = frozenset({"may", "might"})
_PROSPECTIVE_HEADS = frozenset({"due", "payable", "effective", "scheduled", "slated", "expected", "expire", "expires",
                                "expiring", "upcoming", "next"})
# Verbs whose direct object is an event still ahead: "planned a rally on Saturday".
_PLANNING_LEMMAS = frozenset({"plan", "schedule", "expect", "intend", "slate"})


@dataclass
class _Candidate:
    start: int
    end: int
    rule: Rule
    uvalue: str
    mod: str | None
    type: str


def tag_timexes(text: str, dct: dt.date | None, doc: Doc | None = None) -> list[Timex]:
    """All temporal expressions of `text`, normalized against the publication date `dct`.

    `doc`, when given, must be the spaCy parse of exactly `text`; it is used for tense and
    entity vetoes and is not re-parsed. Without it the text is parsed once here.
    """
    if not text or not text.strip():
        return []
    if doc is None or doc_text(doc) != text:
        from extractors.nlp import load_nlp

        doc = load_nlp()(text)
    res = load_resources()
    windows = _Windows(text, _windows(text, res))
    vetoes = [(m.start(), m.end()) for n in res.negatives for w in windows.holding(n.requirements)
              for m in n.regex.finditer(text, *w)]
    candidates = _find(text, doc, res, vetoes, windows)
    chosen = _select(candidates)
    chosen = _select(chosen + _entity_dates(doc, chosen, vetoes))
    chosen = [_apply_modifiers(text, c, res) for c in chosen]
    chosen = _non_overlapping(chosen)
    tenses = [_deadline_tense(doc, c) or _timetable_present(doc, c) or _since_tense(text, c)
              or _date_deadline(doc, c, _tense_at(doc, c.start, c.end))
              for c in chosen]
    values = [_resolve_safely(c.uvalue, dct, t) for c, t in zip(chosen, tenses, strict=True)]
    values = _compared_periods(doc, chosen, values, tenses, dct)
    values = _quarters_ended(text, chosen, values)
    values = _appositive_quarters(text, chosen, values)
    values = _named_quarter_anaphora(text, chosen, values, tenses, dct)
    values = _months_told_as_past(doc, chosen, values, tenses, dct)
    chosen, values = _anchored_on_dates(text, chosen, values)
    values = _weekdays_named_by_date(text, chosen, values)
    values = _anaphoric(chosen, values, tenses, dct)
    out = []
    for c, value in zip(chosen, values, strict=True):
        if not TIMEX3_VALUE.match(value):
            continue
        ttype = c.type
        if ttype == "DATE" and re.search(r"T(\d\d|MO|AF|EV|NI)", value):
            ttype = "TIME"
        mod = c.mod
        interval = interval_of(value, mod) if ttype in ("DATE", "TIME") else None
        out.append(Timex(start=c.start, end=c.end, text=text[c.start:c.end], type=ttype, value=value, mod=mod,
                         interval_start=interval[0] if interval else None,
                         interval_end=interval[1] if interval else None,
                         granularity=granularity_of(value) if ttype in ("DATE", "TIME") else "unknown",
                         relative=Underspecified.parse(c.uvalue).relative))
    return out


def _resolve_safely(uvalue: str, dct: dt.date | None, tense: str | None) -> str:
    if uvalue.startswith("ANA"):
        return ""  # resolved against the text's earlier dates by `_anaphoric`
    try:
        return resolve(uvalue, dct, tense)
    except (OverflowError, ValueError):
        # Only at the ends of the calendar (a DCT in year 1 or 9999): no value, no timex.
        return ""


_DAY = re.compile(r"\d{4}-\d\d-\d\d(?:T.*)?")


def _anaphoric(chosen: list[_Candidate], values: list[str], tenses: list[str | None],
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


def _months_told_as_past(doc: Doc, chosen: list[_Candidate], values: list[str], tenses: list[str | None],
                         dct: dt.date | None) -> list[str]:
    """A year-less month just ahead of the DCT, told in the past tense, stays ahead only under a
    verb that can announce what is to come ("told them of a cutback in September", said in
    August); under any other past verb it is last year's ("after winning parliamentary elections
    in January", said in December)."""
    if dct is None:
        return values
    out = list(values)
    for i, c in enumerate(chosen):
        if tenses[i] != "past" or not re.fullmatch(r"M:\d\d:?", c.uvalue) or not _after(values[i], dct):
            continue
        span = _tokens(doc, c.start, c.end)
        verb = _past_event_verb(span.root) if span is not None and len(span) else None
        if verb is not None and verb.lemma_.lower() not in _lexicon_words("announcing_lemma"):
            out[i] = f"{int(values[i][:4]) - 1:04d}{values[i][4:]}"
    return out


def _past_event_verb(tok: Token) -> Token | None:
    """The verb a month hangs from when it tells a past event: the first verb up the chain, in
    the past tense or a gerund, with no "to" or modal of its own, and no prospective word on
    the way ("the slated visit ... in September", "orders to start the first trading day for
    November") ."""
    for _ in range(6):
        if tok.lower_ in _PROSPECTIVE_HEADS or any(
                ch.dep_ in ("amod", "acl") and ch.lower_ in _PROSPECTIVE_HEADS for ch in tok.children):
            return None
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            if tok.tag_ not in ("VBD", "VBG", "VBN") or any(
                    ch.dep_ in ("aux", "auxpass") and (ch.tag_ in ("MD", "TO") or ch.lower_ == "to")
                    for ch in tok.children):
                return None
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _after(value: str | None, dct: dt.date | None) -> bool:
    """Whether a calendar value (a day, week, month, quarter, season, year, ...) starts after the DCT."""
    interval = interval_of(value) if value is not None and dct is not None else None
    return interval is not None and interval[0] > dct


# "the day after Oct. 12", "the week before Christmas", "the week of March 6": a unit counted
# from a date the text gives is a date (TimeML: the value of the anchored date when it is
# computable). Counted from an event ("the day after his death") it is not, and stays untagged.
_ANCHORED_BEFORE = re.compile(r"\b(?:the|a)\s+(day|week|month|year)\s+(before|after|of)\s+$", re.IGNORECASE)
_DAY_VALUE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")


def _anchored_on_dates(text: str, chosen: list[_Candidate],
                       values: list[str]) -> tuple[list[_Candidate], list[str]]:
    """Widen a day-valued date over a preceding "the day after" / "the week of" and shift it."""
    out_c, out_v = list(chosen), list(values)
    for i, (c, value) in enumerate(zip(chosen, values, strict=True)):
        m_day = _DAY_VALUE.fullmatch(value)
        if c.type != "DATE" or m_day is None:
            continue
        prev_end = chosen[i - 1].end if i > 0 else 0
        m = _ANCHORED_BEFORE.search(text[max(prev_end, c.start - 30):c.start])
        if m is None:
            continue
        unit, rel = m.group(1).lower(), m.group(2).lower()
        if rel == "of" and unit != "week":
            continue  # "the day of the vote" is not about "Oct. 12"; "the year of 1990" is rare
        day = dt.date(int(m_day.group(1)), int(m_day.group(2)), int(m_day.group(3)))
        try:
            new = _shifted(day, unit, 0 if rel == "of" else (-1 if rel == "before" else 1))
        except (OverflowError, ValueError):
            continue
        start = c.start - (len(text[max(prev_end, c.start - 30):c.start]) - m.start())
        # The underspecified value stays the anchor's: the result is as DCT-relative as it is.
        out_c[i] = _Candidate(start, c.end, c.rule, c.uvalue, c.mod, "DATE")
        out_v[i] = new
    return out_c, out_v


_BARE_WEEKDAY = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.IGNORECASE)
# "Tuesday (6 January)", "Tuesday, 6 January 2009": the date follows its weekday in brackets or after a comma.
_WEEKDAY_TO_DATE = re.compile(r"\s*(?:,|\(|-{1,2}|–|—)\s*")
_DAY_OR_YEARLESS_DAY = re.compile(r"(?:\d{4}|XXXX)-\d\d-\d\d")


def _weekdays_named_by_date(text: str, chosen: list[_Candidate], values: list[str]) -> list[str]:
    """A bare weekday followed by the date it names ("on Tuesday (6 January)") takes that date's
    value: the explicit part wins over the weekday resolved against the publication date."""
    out = list(values)
    for i in range(len(chosen) - 1):
        c, nxt = chosen[i], chosen[i + 1]
        if (_BARE_WEEKDAY.fullmatch(text[c.start:c.end]) and _WEEKDAY_TO_DATE.fullmatch(text[c.end:nxt.start])
                and _DAY_OR_YEARLESS_DAY.fullmatch(values[i + 1])):
            out[i] = values[i + 1]
    return out


_ENDED = re.compile(r"\s+(?:that\s+)?(?:ended|ending|ends|closed)\s+(?:on\s+)?", re.IGNORECASE)


def _quarters_ended(text: str, chosen: list[_Candidate], values: list[str]) -> list[str]:
    """"The quarter ended July 31" is the quarter the three months up to that day mostly fall
    in (May-July: the second), not the latest complete one: companies with fiscal years report
    quarters that end in any month."""
    out = list(values)
    for i in range(len(chosen) - 1):
        if chosen[i].uvalue != "QREF":
            continue
        nxt = chosen[i + 1]
        m_day = _DAY_VALUE.fullmatch(values[i + 1])
        if m_day is None or not _ENDED.fullmatch(text[chosen[i].end:nxt.start]):
            continue
        end = dt.date(int(m_day.group(1)), int(m_day.group(2)), int(m_day.group(3)))
        middle = end - dt.timedelta(days=45)
        out[i] = f"{middle.year:04d}-Q{(middle.month - 1) // 3 + 1}"
    return out


_APPOSITION = re.compile(r"\s*,\s*")
_APPOSITION_CLOSE = re.compile(r"\s*,(?!\s*(?:and|or)\b)")


def _appositive_quarters(text: str, chosen: list[_Candidate], values: list[str]) -> list[str]:
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
        ended = i + 2 < len(chosen) and _ENDED.fullmatch(text, b.end, chosen[i + 2].start) is not None
        close = chosen[i + 2].end if ended else b.end
        if not _APPOSITION_CLOSE.match(text, close):
            continue
        old_year = int(out[i + 1][:4])
        out[i] = out[i + 1] = f"{out[i][:4]}-{out[i + 1][5:]}"
        shift = int(out[i][:4]) - old_year
        m_day = _DAY_VALUE.fullmatch(out[i + 2]) if ended else None
        if m_day is not None and shift:
            out[i + 2] = f"{int(m_day.group(1)) + shift:04d}{out[i + 2][4:]}"
    return out


_QUARTER_ANAPHOR = re.compile(r"(?:the|that)\s+(?:(?:latest|most\s+recent|fiscal|financial)\s+)?(?:quarter|period)",
                              re.IGNORECASE)
_THIS_QUARTERS = re.compile(r"this\s+quarter's", re.IGNORECASE)
_QUARTER_VALUE = re.compile(r"\d{4}-Q[1-4]")
_REFERENCE_POINT_BEFORE = re.compile(r"\b(?:after|since|before|from|than)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)


def _named_quarter_anaphora(text: str, chosen: list[_Candidate], values: list[str], tenses: list[str | None],
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
        anaphor = (c.uvalue in ("QREF", "REF:Q:-1") and _QUARTER_ANAPHOR.fullmatch(text, c.start, c.end) is not None
                   and not _ENDED.match(text, c.end))
        # "This quarter's loss includes ..." in a report on a quarter that has ended is that
        # quarter; "a loss this quarter is likely" is still the running one.
        anaphor = anaphor or (c.uvalue == "REF:Q:+0" and _THIS_QUARTERS.fullmatch(text, c.start, c.end + 2) is not None
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
                        and not _REFERENCE_POINT_BEFORE.search(text, max(0, c.start - 30), c.start))
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


def _compared_periods(doc: Doc, chosen: list[_Candidate], values: list[str], tenses: list[str | None],
                      dct: dt.date | None) -> list[str]:
    """"A year ago"/"a year earlier" in a report about a quarter means that quarter a year
    earlier ("profit rose 5% in the third quarter from a year ago" -> last year's Q3).

    The quarter is the one last named before the expression (earnings reports name it once, at
    the top), else one named later in its sentence; without a named quarter, the words
    "quarter"/"period" in its sentence or the one before make it the latest complete quarter.
    """
    if dct is None or not doc.has_annotation("SENT_START"):
        return values
    out = list(values)
    # Only a current quarter can be the reported one; "the 1988 quarter" is itself a comparison.
    # Nor a quarter still ahead ("losses through the third quarter of 1990").
    latest_year = int(resolve("REF:Q:-1", dct, None)[:4])
    current = resolve("REF:Q:0", dct, None)
    text = doc_text(doc)
    # "The latest period" is the quarter the report named, not the calendar's latest one.
    named = _named_quarter_anaphora(text, chosen, values, tenses, dct)
    reported = [(c.start, v) for c, v in zip(chosen, named, strict=True)
                if re.fullmatch(r"\d{4}-Q\d", v) and int(v[:4]) >= latest_year and v <= current]
    for i, c in enumerate(chosen):
        last_year_compared = c.uvalue == "REF:Y:-1" and _is_compared_amount(text, c)
        if c.uvalue not in ("AGO:1:Y:-", "QAGO") and not c.uvalue.startswith("QY:") and not last_year_compared:
            continue
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        sent = span[0].sent
        if last_year_compared and _CURRENT_YEAR.search(sent.text):
            continue  # "$4 a share for this year, up from last year's $3.27": year against year
        if _about_longer_period(doc, sent):
            # "In the first nine months, net was $306 million, compared with $195 million in
            # the 1988 period": the comparison is with the same months of last year.
            if c.uvalue == "QAGO" and _QUARTER_WORD.search(text[c.start:c.end]):
                continue  # "the year-ago quarter" stays a quarter
            out[i] = resolve("REF:Y:-1", dct, None) if not c.uvalue.startswith("QY:") else c.uvalue[3:]
            continue
        if c.uvalue.startswith("QY:"):
            continue
        window_start = doc[max(0, sent.start - 1)].sent.start
        for _ in range(_COMPARISON_SENTENCES - 2):
            window_start = doc[max(0, window_start - 1)].sent.start
        lo_char = doc[window_start].idx
        before = [v for start, v in reported if lo_char <= start < c.start]
        after = [v for start, v in reported if c.start < start < sent.end_char]
        if before or after:
            q = before[-1] if before else after[0]
            out[i] = f"{int(q[:4]) - 1:04d}-{q[5:]}"
            continue
        lo = doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        if re.search(r"\b(?:quarter|period)\b", text[lo:sent.end_char], re.IGNORECASE):
            out[i] = resolve("REF:Q:-5", dct, None)
    return out


# "compared with a loss of $3 million last year", "up from last year's $1.55 billion": last
# year as the other side of a reported figure, which earnings reports give for the same period.
_COMPARED_BEFORE = re.compile(r"\b(?:compared\s+(?:with|to)|from|versus|vs\.|against)\s+"
                              r"(?:[^\s.;]+\s+){0,6}$", re.IGNORECASE)
_AMOUNT = re.compile(r"[$#%]|\d")
_CURRENT_YEAR = re.compile(r"\b(?:this|the\s+current)\s+year\b", re.IGNORECASE)


def _is_compared_amount(text: str, c: _Candidate) -> bool:
    before = _COMPARED_BEFORE.search(text, max(0, c.start - 60), c.start)
    if before is None:
        return False
    after = text[c.end:c.end + 12]
    return bool(_AMOUNT.search(before.group(0)) or after.startswith("'s") and _AMOUNT.search(after))


_LONGER_PERIOD = re.compile(r"\b(?:(?:first|latest|past|the)\s+)?(?:six|nine|\d+)\s+months\b|\bfirst\s+half\b"
                            r"|\byear\s+to\s+date\b|\bfull\s+year\b", re.IGNORECASE)
_QUARTER_WORD = re.compile(r"\bquarter", re.IGNORECASE)


def _about_longer_period(doc: Doc, sent: Span) -> bool:
    """Whether a sentence reports a period longer than a quarter (nine months, a half), in
    itself or, when it names no quarter, in the sentence before it."""
    if _LONGER_PERIOD.search(sent.text):
        return not _QUARTER_WORD.search(sent.text)
    if sent.start == 0 or _QUARTER_WORD.search(sent.text):
        return False
    prev = doc[sent.start - 1].sent.text
    return bool(_LONGER_PERIOD.search(prev)) and not _QUARTER_WORD.search(prev)


# ---------------------------------------------------------------- phase 1: find

# spaCy DATE entities the rules did not find, normalized by dateparser when they are absolute
# dates written in a form the rules lack ("2023/09/07", "the 7th of Sept, 2023").
_ENTITY_RULE = Rule(name="spacy_entity_dateparser", regex=re.compile("(?!)"), type="DATE", value="", mod=None,
                    guards=(), classes={}, examples=(), priority=1_000_000)
_ABSOLUTE_HINT = re.compile(r"\b(?:1[6-9]|20)\d\d\b|\d{1,4}[/.]\d{1,2}[/.]\d{2,4}")
_DATEPARSER_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PARSERS": ["custom-formats", "absolute-time"],
}


@functools.lru_cache(maxsize=1)
def _date_parser() -> DateDataParser:
    # Building the parser costs far more than a parse: one per process.
    return DateDataParser(languages=["en"], settings=_DATEPARSER_SETTINGS)


def _entity_dates(doc: Doc, chosen: list[_Candidate], vetoes: list[tuple[int, int]]) -> list[_Candidate]:
    out = []
    for ent in doc.ents:
        # A bare number is left to the year rule and its guards: spaCy calls "2000 workers" a DATE.
        if ent.label_ not in ("DATE", "TIME") or not _ABSOLUTE_HINT.search(ent.text) or ent.text.isdigit():
            continue
        if any(c.start < ent.end_char and ent.start_char < c.end for c in chosen):
            continue
        if any(s < ent.end_char and ent.start_char < e for s, e in vetoes):
            continue
        value = _absolute_value(re.sub(r"^(?:the|on|in)\s+", "", ent.text, flags=re.IGNORECASE))
        if value is not None:
            out.append(_Candidate(ent.start_char, ent.end_char, _ENTITY_RULE, value, None, "DATE"))
    return out


def _absolute_value(s: str) -> str | None:
    """A TIMEX3 value for an absolute date string, at the precision it is written with."""
    if len(s) > 60:
        return None
    try:
        data = _date_parser().get_date_data(s)
    except (ValueError, OverflowError, TypeError):  # dateparser's own errors on odd input
        return None
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj
    if data.period == "year":
        return f"{d.year:04d}"
    if data.period == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if data.period == "day":
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    return None



_DIGIT = re.compile(r"\d")
_WINDOW = 60  # characters of context around an anchor word; longer than any timex


def _windows(text: str, res: Resources) -> list[tuple[int, int]]:
    """Stretches of text around anchor words (temporal words, digits), merged, cut at whitespace.

    Scanning every rule over every character is most of the tagger's cost; news text is mostly
    free of temporal words, so rules run only in these windows.
    """
    out: list[tuple[int, int]] = []
    for m in res.anchor.finditer(text):
        start = max(0, m.start() - _WINDOW)
        end = min(len(text), m.end() + _WINDOW)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    # A window's edges must not cut a word: regex lookarounds treat endpos as the end of text.
    snapped = []
    for start, end in out:
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        snapped.append((start, end))
    return snapped


class _Windows:
    """The windows of a text, and which of them can hold a match of a rule or negative: those
    that contain all its requirements (`timex_rules.required_text`). Answers are cached per
    window, since many rules share a requirement (a month name, a unit, a digit)."""

    def __init__(self, text: str, windows: list[tuple[int, int]]) -> None:
        self.text = text
        self.folded = fold_case(text)
        self.windows = windows
        self._present: dict[tuple[frozenset[str], int], bool] = {}
        self._holding: dict[tuple[frozenset[str], ...], list[tuple[int, int]]] = {}

    def holding(self, requirements: tuple[frozenset[str], ...]) -> list[tuple[int, int]]:
        found = self._holding.get(requirements)
        if found is None:
            found = [w for i, w in enumerate(self.windows) if all(self._holds(q, i) for q in requirements)]
            self._holding[requirements] = found
        return found

    def _holds(self, requirement: frozenset[str], index: int) -> bool:
        key = (requirement, index)
        found = self._present.get(key)
        if found is None:
            start, end = self.windows[index]
            found = any(self.folded.find(s, start, end) >= 0 for s in requirement if s != DIGIT_MARK) or (
                DIGIT_MARK in requirement and _DIGIT.search(self.text, start, end) is not None)
            self._present[key] = found
        return found


def _find(text: str, doc: Doc, res: Resources, vetoes: list[tuple[int, int]], windows: _Windows) -> list[_Candidate]:
    out: list[_Candidate] = []
    seen: set[tuple[str, int, int]] = set()
    for rule in res.rules:
        scanned = windows.holding(rule.requirements)
        for m in (m for w in scanned for m in rule.regex.finditer(text, *w)):
            if (rule.name, m.start(), m.end()) in seen:
                continue
            seen.add((rule.name, m.start(), m.end()))
            start, end = (m.start("span"), m.end("span")) if "span" in rule.regex.groupindex else m.span()
            if start == end or any(s < end and start < e for s, e in vetoes):
                continue
            fields: dict[str, str] = {}
            ok = True
            for group, cls in rule.classes.items():
                surface = m.group(group)
                if surface is None:
                    fields[group] = ""
                    continue
                norm = _normalize(cls, surface, res)
                if norm is None:
                    ok = False
                    break
                fields[group] = norm
            if not ok or not _guards_pass(rule, m, doc, start, end):
                continue
            uvalue = _fill(rule.value, fields)
            mod = _fill(rule.mod, fields) if rule.mod else None
            out.append(_Candidate(start, end, rule, uvalue, mod or None, rule.type))
    return out


def _fill(template: str, fields: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: fields.get(m.group(1), ""), template)


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def _normalize(cls: str, surface: str, res: Resources) -> str | None:
    s = re.sub(r"\s+", " ", surface.strip().lower()).rstrip(".")
    if cls in res.lexicon:
        return res.lexicon[cls].get(s)
    if cls in ("day", "dd", "d"):
        n = int(re.sub(r"\D", "", s))
        return f"{n:02d}" if 1 <= n <= 31 else None
    if cls in ("mm", "m"):
        n = int(s)
        return f"{n:02d}" if 1 <= n <= 12 else None
    if cls == "year":
        return s
    if cls == "yy":
        n = int(s)
        return f"{1900 + n if n >= 30 else 2000 + n:04d}"
    if cls == "decade":
        digits = re.sub(r"\D", "", s)
        if len(digits) == 4:
            return digits[:3]
        return ("19" if digits[0] >= "3" else "20") + digits[0]
    if cls == "century":
        n = int(re.sub(r"\D", "", s))
        return f"{n - 1:02d}"
    if cls == "clock":
        return _clock(s)
    if cls in ("hour_am", "hour_pm"):
        h = int(s) % 12 + (12 if cls == "hour_pm" else 0)
        return f"{h:02d}:00"
    if cls == "num":
        return _number(s, res)
    if cls == "spelledyear":
        return _spelled_year(s, res)
    if cls == "numdigits":
        return s.replace(",", "")
    return s


def _number(s: str, res: Resources) -> str | None:
    if s in res.lexicon["number"]:
        return res.lexicon["number"][s]
    if m := re.fullmatch(r"(\d+)\s+1/2", s):
        return f"{m.group(1)}.5"
    digits = s.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", digits):
        return digits.rstrip("0").rstrip(".") if "." in digits else str(int(digits))
    parts = re.split(r"[-\s]+", s)
    scales = res.lexicon["number_scale"]
    if len(parts) > 1 and parts[-1] in scales:
        base = _number(" ".join(parts[:-1]), res)
        if base is None or base == "X":
            return base
        return str(int(float(base) * int(scales[parts[-1]])))
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in res.lexicon["number"]:
        return str(_TENS[parts[0]] + int(res.lexicon["number"][parts[1]]))
    return None


def _spelled_year(s: str, res: Resources) -> str | None:
    words = re.split(r"[-\s]+", s.replace(" and ", " "))
    nums = res.lexicon["number"]
    if words[:2] == ["two", "thousand"]:
        rest = sum(int(nums[w]) for w in words[2:] if w in nums)
        return f"{2000 + rest:04d}"
    century = int(nums.get(words[0], "0"))
    rest_words = [w for w in words[1:] if w not in ("hundred", "o")]
    rest = sum(int(nums[w]) for w in rest_words if w in nums)
    year = century * 100 + rest
    return f"{year:04d}" if 1000 <= year <= 2099 else None


def _clock(s: str) -> str | None:
    if s in ("noon", "midday"):
        return "12:00"
    if s == "midnight":
        return "24"
    m = re.match(r"(\d{1,2})(?:[:.](\d\d))?(?::(\d\d))?\s*([ap])?", s)
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2) or 0)
    if m.group(4) == "p" and h < 12:
        h += 12
    elif m.group(4) == "a" and h == 12:
        h = 0
    if h > 24 or mi > 59:
        return None
    return f"{h:02d}:{mi:02d}" + (f":{m.group(3)}" if m.group(3) else "")


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


_FULL_SHORT_NAMES = frozenset({"may", "june", "july"})


def _guards_pass(rule: Rule, m: re.Match[str], doc: Doc, start: int, end: int) -> bool:
    for group, cls in rule.classes.items():
        # "Sun", "Wed", "Mar", "Jan" without a period or a day number are words or names.
        surface = m.group(group)
        if (cls in ("month", "weekday") and surface and len(surface) <= 4 and not surface.endswith(".")
                and surface.lower() not in _FULL_SHORT_NAMES and not re.search(r"\d", m.group(0))):
            return False
    for guard in rule.guards:
        if guard == "capitalized":
            for group, cls in rule.classes.items():
                if cls in ("month", "weekday", "weekdays_plural", "holiday") and m.group(group):
                    if not m.group(group)[0].isupper():
                        return False
        elif guard in ("not_verb", "not_person"):
            for group, cls in rule.classes.items():
                if cls not in ("month", "weekday") or not m.group(group):
                    continue
                span = _tokens(doc, m.start(group), m.end(group))
                if span is None:
                    continue
                for tok in span:
                    if guard == "not_verb" and (tok.tag_ == "MD" or tok.pos_ == "VERB" and tok.tag_ != "NNP"):
                        return False
                    if guard == "not_person" and tok.ent_type_ in ("PERSON", "ORG", "WORK_OF_ART", "FAC", "GPE"):
                        return False
        elif guard == "not_attributive":
            # "quarterly dividend", "daily newspaper": an adjective before a noun is not a SET, and
            # "the Daily Maverick" is a name.
            # As a noun ("declared its initial quarterly", "the party daily Granma") it names a
            # dividend or a newspaper.
            span = _tokens(doc, start, end)
            if span is not None and any(t.dep_ == "amod" or t.pos_ == "ADJ" and t.head.i > t.i
                                        or t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "WORK_OF_ART")
                                        or t.head.i > t.i and t.head.pos_ == "PROPN"
                                        or t.pos_ == "NOUN" and any(c.dep_ in ("det", "poss", "amod")
                                                                    for c in t.children)
                                        for t in span):
                return False
        elif guard == "attributive":
            # "current market conditions": only the adjective before a noun is a reference.
            span = _tokens(doc, start, end)
            if span is None or not all(t.pos_ == "ADJ" and t.dep_ == "amod" for t in span):
                return False
        elif guard == "not_past":
            # Told in the past tense, the expression counts from the story's events, not the DCT.
            if _tense_at(doc, start, end) == "past":
                return False
        elif guard == "future_tense":
            if _tense_at(doc, start, end) != "future":
                return False
        elif guard == "year_context":
            if not _plausible_year(doc, start, end):
                return False
        elif guard == "not_ordinal_scope":
            if _in_ordinal_scope(doc, start):
                return False
        elif guard == "not_sports":
            if _is_match_report(doc):
                return False
    return True


def _is_match_report(doc: Doc) -> bool:
    """Whether a text uses at least two of the words of a match report (see `sports_lemma`)."""
    if "timex_match_report" not in doc.user_data:
        words = _lexicon_words("sports_lemma")
        doc.user_data["timex_match_report"] = len({t.lemma_.lower() for t in doc} & words) >= 2
    return doc.user_data["timex_match_report"]


def _in_ordinal_scope(doc: Doc, start: int) -> bool:
    """"The first visit ... in ten years", "her second letter in two weeks": an amount after "in"
    that belongs to a noun counted by an ordinal or a superlative is the span the count runs
    over, not a point that far ahead ("the first payment will be made in two years" is one)."""
    span = _tokens(doc, start, start + 1)
    if span is None or span[0].i == 0:
        return False
    prep = doc[span[0].i - 1]
    if prep.lower_ != "in":
        return False
    head = prep.head
    for _ in range(4):
        if head.pos_ not in ("NOUN", "PROPN", "PRON"):
            return False
        if any(c.tag_ == "JJS" or c.lower_ in _lexicon_words("scope_ordinal")
               for c in head.children if c.dep_ in ("amod", "advmod")):
            return True
        if head.head.i == head.i:
            return False
        head = head.head
    return False


def _plausible_year(doc: Doc, start: int, end: int) -> bool:
    """A bare four-digit number is a year when spaCy says DATE or a date-ish word precedes it."""
    span = _tokens(doc, start, end)
    if span is None:
        return False
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.tag_ == "NNS" and nxt.pos_ == "NOUN":
        return False  # "2000 workers"
    if any(t.ent_type_ == "DATE" for t in span):
        return True
    if any(t.ent_type_ in ("MONEY", "CARDINAL", "QUANTITY", "PERCENT") for t in span):
        return False
    prev = doc[span.start - 1] if span.start > 0 else None
    return prev is not None and prev.lower_ in _YEAR_PREPOSITIONS


def _select(cands: list[_Candidate]) -> list[_Candidate]:
    cands = sorted(cands, key=lambda c: (-(c.end - c.start), c.rule.priority, c.start))
    return _non_overlapping(cands)


def _non_overlapping(cands: list[_Candidate]) -> list[_Candidate]:
    taken: list[_Candidate] = []
    for c in cands:
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda c: c.start)


def _apply_modifiers(text: str, c: _Candidate, res: Resources) -> _Candidate:
    """Widen a timex by at most one prefix ("late", "about") and one suffix ("or so") modifier."""
    if c.uvalue.endswith("_REF"):
        # "worried about the future", "talk around now": a reference to the past, present or
        # future has no extent to approximate or cut, so the word before it is a preposition.
        return _strip_attributive_article(text, c)
    done_prefix = done_suffix = False
    for mod in res.modifiers:
        if c.type not in mod.applies_to or (mod.suffix and done_suffix) or (not mod.suffix and done_prefix):
            continue
        if mod.only_if is not None and not mod.only_if.search(text[c.start:c.end]):
            continue
        if mod.unless_followed_by is not None and mod.unless_followed_by.match(text, c.end):
            continue
        if mod.suffix:
            m = mod.regex.search(text[c.end:c.end + 40])
            if m:
                c = _Candidate(c.start, c.end + m.end(), c.rule, c.uvalue, mod.mod or c.mod, c.type)
                done_suffix = True
        else:
            before = text[max(0, c.start - 40):c.start]
            m = mod.regex.search(before)
            if m:
                c = _Candidate(c.start - (len(before) - m.start()), c.end, c.rule, c.uvalue, mod.mod or c.mod, c.type)
                done_prefix = True
    return _strip_attributive_article(text, c)


_ATTRIBUTIVE_ARTICLE = re.compile(
    r"the\s+(?=[\w']+-(?:[\w]+-)?(?:years?|months?|weeks?|days?|hours?|minutes?|quarter|decade|century|long)$)",
    re.IGNORECASE)


def _strip_attributive_article(text: str, c: _Candidate) -> _Candidate:
    # "the third-quarter results", "the 30-day period": the article belongs to the noun the
    # hyphenated timex modifies, not to the timex (TimeML extent rules).
    m = _ATTRIBUTIVE_ARTICLE.match(text[c.start:c.end])
    if m and c.type in ("DATE", "DURATION"):
        return _Candidate(c.start + m.end(), c.end, c.rule, c.uvalue, c.mod, c.type)
    return c


# ---------------------------------------------------------------- context: tense


def _tense_at(doc: Doc, start: int, end: int) -> str | None:
    span = _tokens(doc, start, end)
    if span is None or len(span) == 0:
        return None
    if span.end < len(doc) and doc[span.end].tag_ == "POS":
        # "Friday's session", "Wednesday's ruling": a possessive names a day already reported on,
        # unless what it owns is the subject of a clause told as ahead ("Friday's meeting will
        # decide"); "ways to get around Wednesday's ruling" is about a past ruling.
        owned = span.root.head
        ahead = (owned.dep_ in ("nsubj", "nsubjpass") and _governing_tense(owned) == "future"
                 or _under_prospective_head(owned))
        return "future" if ahead else "past"
    return _governing_tense(span.root)


@functools.cache
def _lexicon_words(cls: str) -> frozenset[str]:
    """The surfaces of a lexicon class used as a word list (its values unused)."""
    return frozenset(load_resources().lexicon.get(cls, {}))


@functools.cache
def _cue_before(cls: str, tail: str = "") -> re.Pattern[str]:
    """A phrase of lexicon class `cls`, then `tail`, ending where the searched text ends: the
    words just before a candidate."""
    return re.compile(r"\b" + alternation(list(_lexicon_words(cls))) + r"\s+" + tail + "$", re.IGNORECASE)


# Not a tense: "the past one, unless the next one is only weeks away" (see `_date_deadline`).
DEADLINE = "deadline"


def _deadline_tense(doc: Doc, c: _Candidate) -> str | None:
    """"Postponed until Tuesday", "could come as early as Tuesday": a weekday that is a deadline
    or an earliest date lies ahead even when the verb reporting it is in the past tense; not so
    in the past perfect ("Until Thursday, they had not called him a suspect")."""
    if not c.uvalue.startswith("WD:"):
        return None
    m = _cue_before("deadline_cue_weekday").search(doc_text(doc)[max(0, c.start - 24):c.start])
    if m is None:
        return None
    span = _tokens(doc, c.start, c.end)
    if m.group(0).split()[0].lower() in ("until", "till") and span is not None and _in_past_perfect(span):
        return None
    return "future"


def _timetable_present(doc: Doc, c: _Candidate) -> str | None:
    """"He and Arafat meet separately Monday", "The talks resume Tuesday": an event verb in the
    simple present that governs a weekday directly tells a schedule, so an earlier weekday of the
    DCT's week is next week's. Not a state or a report ("is in Paris Monday", "says"), nor a
    weekday the present reaches only through a participle ("statements made Thursday")."""
    if not c.uvalue.startswith("WD:"):
        return None
    span = _tokens(doc, c.start, c.end)
    if span is None or len(span) == 0:
        return None
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head  # "comes into force on Monday in Northern Ireland and Tuesday in Scotland"
    head = root.head
    if root.dep_ not in ("npadvmod", "pobj") or head.i == root.i:
        return None
    if root.dep_ == "pobj":
        head = head.head  # "meet on Monday"
    if head.pos_ != "VERB" or head.tag_ not in ("VBP", "VBZ") or head.lemma_ in _lexicon_words("stative_lemma"):
        return None
    if any(ch.dep_ in ("aux", "auxpass", "neg") for ch in head.children) or _singular_subject(head) and head.tag_ == "VBP":
        return None
    return "future"


def _date_deadline(doc: Doc, c: _Candidate, tense: str | None) -> str | None:
    """A year-less month or day after "until", "by", "through", told in the past tense: "an order
    that he remain in Miami until March 6" (said in January), "has extended loans through
    January" (said in October) are deadlines just ahead, while "the ban lasted until March" (said
    in October) is behind. `timex_resolve` takes the next occurrence when it is a few months away
    at most, else the past one; the past perfect keeps the past."""
    if tense != "past" or not c.uvalue.startswith(("MD:", "M:")):
        return tense
    if not _cue_before("deadline_cue_date", r"(?:(?:early|mid|late)[-\s]+)?").search(
            doc_text(doc), max(0, c.start - 24), c.start):
        return tense
    span = _tokens(doc, c.start, c.end)
    return tense if span is not None and _in_past_perfect(span) else DEADLINE


def _since_tense(text: str, c: _Candidate) -> str | None:
    """"Since year-end", "since March": what a span is counted from lies behind the DCT, whatever
    the tense of the verb ("The percentage change is since year-end"). "By year-end" is a
    deadline, still ahead in a past-tense report ("paving the way for talks by the year's end")."""
    if _cue_before("since_cue", r"(?:the\s+)?").search(text, max(0, c.start - 16), c.start):
        return "past"
    if c.uvalue == "YEND" and _cue_before("deadline_cue_yearend", r"(?:the\s+)?").search(
            text, max(0, c.start - 16), c.start):
        return "future"
    return None


def _in_past_perfect(span: Span) -> bool:
    if not span.doc.has_annotation("SENT_START"):
        return False
    return any(t.lower_ == "had" and t.dep_ in ("aux", "auxpass") for t in span.sent)


def _is_prospective(tok: Token) -> bool:
    """A word that puts what it governs ahead: "due", "scheduled", ..., and "ahead of" ("factions
    within the ruling camp ahead of the presidential election in December")."""
    if tok.lower_ in _PROSPECTIVE_HEADS:
        return True
    return tok.lower_ == "ahead" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "of"


def _under_prospective_head(tok: Token) -> bool:
    """"Expected to win Sunday's elections", "scheduled for Tuesday's vote": what the date owns is
    governed by a word that puts it ahead, unless told in the past perfect."""
    for _ in range(6):
        if _is_prospective(tok):
            return not _has_past_perfect(tok)
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _governing_tense(tok: Token) -> str | None:
    origin = tok
    for _ in range(6):
        if _is_prospective(tok):
            # "payable Dec. 7", "due Nov. 6", "scheduled for Tuesday": the date lies ahead, unless
            # it was already behind when told in the past perfect ("had been due to expire Friday").
            return "past" if _has_past_perfect(tok) else "future"
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            tense = _verb_tense(tok, planning=not _fronted(origin, tok))
            if tense is not None:
                return tense
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return _sentence_tense(tok.sent) if tok.doc.has_annotation("SENT_START") else None


def _fronted(tok: Token, verb: Token) -> bool:
    """"On Friday, the government planned to pay ...": a date set off by a comma before the
    clause's subject frames the clause as told (the planning happened then), unlike "planned a
    rally on Saturday", where the date belongs to the planned event."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or not tok.i < subject.i < verb.i:
        return False
    return any(t.text == "," for t in tok.doc[tok.i + 1:subject.left_edge.i])


def _verb_tense(verb: Token, depth: int = 0, planning: bool = True) -> str | None:
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in aux}
    # Modals and infinitives look ahead from their reference time ("would extend it to Nov. 6",
    # "planned to leave Thursday"); for choosing a weekday or month they count as future.
    if words & _FUTURE_AUX or words & _PROSPECTIVE_AUX:
        return "future"
    if words & _POSSIBILITY_AUX and not words & {"have", "'ve"}:
        # "may soon seek an indictment", "might resign Friday"; not "may have left Friday".
        return "future"
    if any(a.tag_ == "TO" for a in aux):
        # "planned to leave Thursday" looks ahead; "voted to support it Friday" is the vote's day.
        head = verb.head
        if verb.dep_ == "csubj":
            # "The first countries to accede on Friday were Poland and ...": a subject clause
            # takes the tense of the verb it is the subject of ("be" is not prospective there).
            return _verb_tense(head, depth + 1) if head.i != verb.i and depth < 3 else None
        if verb.dep_ == "acl" and head.lemma_.lower() in _lexicon_words("prospective_noun"):
            # "an agreement to acquire the bank in January", "a plan to close it Friday".
            return "future"
        if head.lemma_ in _lexicon_words("prospective_verb") or head.lower_ in _PROSPECTIVE_HEADS:
            return "past" if _has_past_perfect(head) else "future"
        if head.i != verb.i and head.pos_ in ("VERB", "AUX") and depth < 3:
            return _verb_tense(head, depth + 1)
        return None
    if planning and verb.lemma_ in _PLANNING_LEMMAS and verb.tag_ in ("VBD", "VBN", "VBZ", "VBP", "VBG"):
        return "past" if "had" in words else "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux) or words & _PAST_AUX:
        return "past"
    if verb.tag_ == "VBN" and not aux:
        return "past"
    if verb.tag_ == "VBP" and not aux and _singular_subject(verb):
        # "Weakness hurt the index on Friday", "The company cut its dividend": a bare form after a
        # singular subject is the past of a verb whose past looks like its base (hurt, cut, set).
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in aux):
        return "present"
    if verb.tag_ == "MD":
        return "future" if verb.lower_ in _FUTURE_AUX | _PROSPECTIVE_AUX else None
    return None




def _singular_subject(verb: Token) -> bool:
    """A third-person singular subject ("the index", "he"); relative pronouns count when the
    noun they stand for is singular ("the index, which fell ...")."""
    for c in verb.children:
        if c.dep_ != "nsubj":
            continue
        if c.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
            c = verb.head
        if any(cc.dep_ == "conj" for cc in c.children):
            # "He and Arafat meet Monday": a coordinated subject is plural, the verb a present.
            return False
        if c.lower_ in _lexicon_words("singular_pronoun") and c.dep_ == "nsubj":
            return c.lower_ in ("he", "she", "it", "this")
        return c.tag_ in ("NN", "NNP") and not any(cc.dep_ == "conj" for cc in c.children)
    return False


def _has_past_perfect(tok: Token) -> bool:
    """"had" on the word or on the verbs it complements ("had been scheduled to expire")."""
    for _ in range(3):
        if any(c.lower_ == "had" and c.dep_ in ("aux", "auxpass") for c in tok.children):
            return True
        if tok.dep_ not in ("xcomp", "acomp") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _sentence_tense(sent: Span) -> str | None:
    for tok in sent:
        if tok.dep_ == "ROOT":
            return _verb_tense(tok)
    return None
