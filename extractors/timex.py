"""Find temporal expressions (TIMEX3) and hand them to resolution.

Entry points: `tag_timexes(text, dct, doc=None) -> list[Timex]`, sorted by start,
non-overlapping; it is `resolve_timexes(find_timexes(text, doc), dct)`. Finding reads the
parse and never the publication date, so a text whose date is learned later (a dateline, an
estimate) is found once and resolved again cheaply.

Two phases, as in HeidelTime but with all knowledge in data files
(extractors/resources/timex/, see `timex_rules`):

1. Find (this module). Every rule of patterns.yaml is a regex over placeholder classes; a match
   that passes the rule's guards (capitalized month, not a verb, not a person's name, a
   plausible year) and overlaps no negative pattern (money, ages, scores, "Sunday Times")
   becomes a `Candidate` whose value is *underspecified* ("WD:4" = a Thursday, "REF:M:-1" =
   last month). Overlaps are resolved longest-first. Modifiers ("late", "about", "the end of",
   "or so") then widen the span and set `mod`. Rules only scan windows around anchor words and
   digits (a prefilter that changes no result). spaCy DATE/TIME entities that no rule found are
   normalized with dateparser when they are absolute dates (they are not otherwise trusted:
   spaCy labels "48," or "$27" DATE). Each candidate gets the tense that directs it (`tense`).
2. Resolve. `timex_resolve` turns each underspecified value into a TIMEX3 value against the DCT
   with its registered operation; the context passes of `timex_context` then read the other
   timexes and words around ("the quarter" a report named, "the following year" after a date,
   "the day after Oct. 12"); "three days later" is, as in TimeBank, the duration "three days".

Ranges follow TimeBank: a range of amounts is one duration ("two to three weeks" -> PXW), a
range of dates is two timexes ("from 1990 to 1995"). What is not matched: units counted from
events ("after the war", "the day after his death"; TimeBank tags "ten days before the
shooting" as a duration), and non-English text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass

from dateparser.date import DateDataParser
from spacy.tokens import Doc

from extractors.nlp import doc_text, remember_text
from extractors.schema import Timex
from extractors.tense import tense_at, timex_tense
from extractors.timex_candidate import Candidate, tokens_of
from extractors.timex_context import ContextFacts, Told, context_facts, resolve_in_context
from extractors.timex_resolve import Underspecified, resolve
from extractors.timex_rules import (
    DIGIT_MARK,
    Resources,
    Rule,
    context_pattern,
    fold_case,
    lexicon_words,
    load_resources,
)
from extractors.timex_value import TIMEX3_VALUE, granularity_of, interval_of


class TimexError(ValueError):
    """Misuse of the tagger (not bad input text): a parse that is not of the text given."""


def tag_timexes(text: str, dct: dt.date | None, doc: Doc | None = None) -> list[Timex]:
    """All temporal expressions of `text`, normalized against the publication date `dct`.

    `doc`, when given, must be the spaCy parse of exactly `text` (`TimexError` otherwise: a parse
    of another text would silently be replaced by a second parse). Without it the text is parsed
    once here. The same as `resolve_timexes(find_timexes(text, doc), dct)`.
    """
    return resolve_timexes(find_timexes(text, doc), dct)


@dataclass(frozen=True)
class FoundTimexes:
    """The temporal expressions of a text before the publication date is known: candidates in
    text order, the tense that directs each, and what the context passes need from the parse.
    Finding reads the parse, never the date; resolving reads this record, never the parse, so it
    is plain data that can be kept and resolved again against another date."""

    text: str
    candidates: tuple[Candidate, ...]
    tenses: tuple[str | None, ...]
    facts: ContextFacts


def find_timexes(text: str, doc: Doc | None = None) -> FoundTimexes:
    """Phase 1: the candidates of `text` with their underspecified values and tenses."""
    if not text or not text.strip():
        return FoundTimexes(text, (), (), ContextFacts(None, (), ()))
    if doc is None:
        from extractors.nlp import load_nlp

        doc = remember_text(load_nlp()(text), text)
    elif doc_text(doc) != text:
        raise TimexError(f"tag_timexes was given the parse of another text ({len(doc_text(doc))} characters, "
                         f"not {len(text)})")
    res = load_resources()
    windows = _Windows(text, _windows(text, res))
    vetoes = [(m.start(), m.end()) for n in res.negatives for w in windows.holding(n.requirements)
              for m in n.regex.finditer(text, *w)]
    candidates = _find(text, doc, res, vetoes, windows)
    chosen = _select(candidates)
    chosen = _select(chosen + _entity_dates(doc, chosen, vetoes))
    chosen = [_apply_modifiers(text, c, res) for c in chosen]
    chosen = _non_overlapping(chosen)
    tenses = tuple(timex_tense(doc, c) for c in chosen)
    return FoundTimexes(text, tuple(chosen), tenses, context_facts(doc, chosen, tenses))


def resolve_timexes(found: FoundTimexes, dct: dt.date | None) -> list[Timex]:
    """Phase 2: each candidate resolved against `dct`, then the context passes
    (`timex_context`); candidates without a valid TIMEX3 value are dropped."""
    if not found.candidates:
        return []
    values = tuple(_resolve_safely(c.uvalue, dct, t) for c, t in zip(found.candidates, found.tenses, strict=True))
    told = resolve_in_context(Told(found.text, found.facts, found.candidates, found.tenses, values, dct))
    text = told.text
    out = []
    for c, value in zip(told.candidates, told.values, strict=True):
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
        return ""  # resolved against the text's earlier dates by the anaphora pass (`timex_context`)
    try:
        return resolve(uvalue, dct, tense)
    except (OverflowError, ValueError):
        # Only at the ends of the calendar (a DCT in year 1 or 9999): no value, no timex.
        return ""

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


def _entity_dates(doc: Doc, chosen: list[Candidate], vetoes: list[tuple[int, int]]) -> list[Candidate]:
    out = []
    for ent in doc.ents:
        # A bare number is left to the year rule and its guards: spaCy calls "2000 workers" a DATE.
        if ent.label_ not in ("DATE", "TIME") or not _ABSOLUTE_HINT.search(ent.text) or ent.text.isdigit():
            continue
        if any(c.start < ent.end_char and ent.start_char < c.end for c in chosen):
            continue
        if any(s < ent.end_char and ent.start_char < e for s, e in vetoes):
            continue
        value = _absolute_value(context_pattern("entity_date_lead").sub("", ent.text))
        if value is not None:
            out.append(Candidate(ent.start_char, ent.end_char, _ENTITY_RULE.name, value, None, "DATE", _ENTITY_RULE.priority))
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


def _find(text: str, doc: Doc, res: Resources, vetoes: list[tuple[int, int]], windows: _Windows) -> list[Candidate]:
    out: list[Candidate] = []
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
            out.append(Candidate(start, end, rule.name, uvalue, mod or None, rule.type, rule.priority))
    return out


def _fill(template: str, fields: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: fields.get(m.group(1), ""), template)


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
    tens = res.lexicon["number_tens"]
    if len(parts) == 2 and parts[0] in tens and parts[1] in res.lexicon["number"]:
        return str(int(tens[parts[0]]) + int(res.lexicon["number"][parts[1]]))
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


def _guards_pass(rule: Rule, m: re.Match[str], doc: Doc, start: int, end: int) -> bool:
    for group, cls in rule.classes.items():
        # "Sun", "Wed", "Mar", "Jan" without a period or a day number are words or names.
        surface = m.group(group)
        if (cls in ("month", "weekday") and surface and len(surface) <= 4 and not surface.endswith(".")
                and surface.lower() not in lexicon_words("full_short_month") and not re.search(r"\d", m.group(0))):
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
                span = tokens_of(doc, m.start(group), m.end(group))
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
            span = tokens_of(doc, start, end)
            if span is not None and any(t.dep_ == "amod" or t.pos_ == "ADJ" and t.head.i > t.i
                                        or t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "WORK_OF_ART")
                                        or t.head.i > t.i and t.head.pos_ == "PROPN"
                                        or t.pos_ == "NOUN" and any(c.dep_ in ("det", "poss", "amod")
                                                                    for c in t.children)
                                        for t in span):
                return False
        elif guard == "attributive":
            # "current market conditions": only the adjective before a noun is a reference.
            span = tokens_of(doc, start, end)
            if span is None or not all(t.pos_ == "ADJ" and t.dep_ == "amod" for t in span):
                return False
        elif guard == "not_past":
            # Told in the past tense, the expression counts from the story's events, not the DCT.
            if tense_at(doc, start, end) == "past":
                return False
        elif guard == "future_tense":
            if tense_at(doc, start, end) != "future":
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
    if doc._.timeline_match_report is None:
        words = lexicon_words("sports_lemma")
        doc._.timeline_match_report = len({t.lemma_.lower() for t in doc} & words) >= 2
    return bool(doc._.timeline_match_report)


def _in_ordinal_scope(doc: Doc, start: int) -> bool:
    """"The first visit ... in ten years", "her second letter in two weeks": an amount after "in"
    that belongs to a noun counted by an ordinal or a superlative is the span the count runs
    over, not a point that far ahead ("the first payment will be made in two years" is one)."""
    span = tokens_of(doc, start, start + 1)
    if span is None or span[0].i == 0:
        return False
    prep = doc[span[0].i - 1]
    if prep.lower_ != "in":
        return False
    head = prep.head
    for _ in range(4):
        if head.pos_ not in ("NOUN", "PROPN", "PRON"):
            return False
        if any(c.tag_ == "JJS" or c.lower_ in lexicon_words("scope_ordinal")
               for c in head.children if c.dep_ in ("amod", "advmod")):
            return True
        if head.head.i == head.i:
            return False
        head = head.head
    return False


def _plausible_year(doc: Doc, start: int, end: int) -> bool:
    """A bare four-digit number is a year when spaCy says DATE or a date-ish word precedes it."""
    span = tokens_of(doc, start, end)
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
    return prev is not None and prev.lower_ in lexicon_words("year_preposition")


def _select(cands: list[Candidate]) -> list[Candidate]:
    cands = sorted(cands, key=lambda c: (-(c.end - c.start), c.priority, c.start))
    return _non_overlapping(cands)


def _non_overlapping(cands: list[Candidate]) -> list[Candidate]:
    taken: list[Candidate] = []
    for c in cands:
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda c: c.start)


def _apply_modifiers(text: str, c: Candidate, res: Resources) -> Candidate:
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
                c = dataclasses.replace(c, end=c.end + m.end(), mod=mod.mod or c.mod)
                done_suffix = True
        else:
            before = text[max(0, c.start - 40):c.start]
            m = mod.regex.search(before)
            if m:
                c = dataclasses.replace(c, start=c.start - (len(before) - m.start()), mod=mod.mod or c.mod)
                done_prefix = True
    return _strip_attributive_article(text, c)




def _strip_attributive_article(text: str, c: Candidate) -> Candidate:
    # "the third-quarter results", "the 30-day period": the article belongs to the noun the
    # hyphenated timex modifies, not to the timex (TimeML extent rules).
    m = context_pattern("attributive_article").match(text[c.start:c.end])
    if m and c.type in ("DATE", "DURATION"):
        return dataclasses.replace(c, start=c.start + m.end())
    return c
