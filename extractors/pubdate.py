"""Publication dates an article's metadata, header and URL do not give: from its text, or estimated.

Precision first: a date is asserted only from evidence that denotes publication; what merely
bounds it is kept as a bound. The flow uses these calls, in this order (the loader has already
taken metadata, then the header, then the URL's date):

1. `date_article_from_text(article, timexes)` for each article without a date, with the timexes
   tagged *without* a publication date. A dateline or date line ("SEOUL, Sept. 8 (Yonhap)",
   "Published: 7 September 2023", "March 1, 2008" under the title) gives the date
   (`publication_date_source="text"`); so does the latest full date the text reports as past when
   the article tells its news by that day's weekday (seed 002: a caption "... on 7 September 2023"
   and "Harris said on Thursday"). Otherwise that latest past date is only a lower bound:
   `publication_date_source="bounded"`, `publication_date_earliest` (an article is written after
   what it reports, but the date may be background: "the index, re-based on Sept. 6, 2004").
   `find_publication_date` returns the finding with its evidence.
2. Date the events of all articles (`date_binding`). A bounded article is read against its
   earliest date and its mentions go through `mark_bounded` (relative dates "on or after", tense
   dates none).
3. `explain_publication_estimates(articles, entries=...)` for the articles still without a date,
   given the merge of all mentions (the flow's own, `shared_events` counts in it): each borrows
   the date of the dated article it shares the most near-identical sentences or quotations with
   (datasketch MinHash LSH finds candidates, rapidfuzz confirms them), merged events adding weight. Only asserted dates are lent (never an estimate or a bound), a shared
   sentence that names another year is background, and a date before the borrower's earliest
   date is refused. Ties go to the earliest date. No evidence, no estimate.
4. Bind the estimates (`apply_estimates`: `publication_date_source="estimated"`, the evidence in
   `publication_date_evidence`) to what extraction found, without extracting again; the relative
   and tense dates of their events become `date_basis: estimated`. For mentions produced
   elsewhere, `mark_estimated`.

Everything here is pure: no I/O except reading the packaged `resources/pubdate.yaml`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz

from extractors.dates import parse_absolute_date
from extractors.resources import load_yaml
from extractors.schema import Article, EventDate, EventMention, TimelineEntry, Timex
from extractors.timex_value import TimexValue


class PubdateConfigError(ValueError):
    """resources/pubdate.yaml is malformed."""


@dataclass(frozen=True)
class DatelinePattern:
    name: str
    regex: re.Pattern[str]
    examples: tuple[tuple[str, str], ...]  # (text, "YYYY-MM-DD" or "MM-DD")
    counterexamples: tuple[str, ...]


@dataclass(frozen=True)
class PubdateSettings:
    dateline_lines: int
    lead_lines: int
    yearless_dateline_days: int
    datelines: tuple[DatelinePattern, ...]
    future_cues: re.Pattern[str]
    future_examples: tuple[str, ...]
    future_counterexamples: tuple[str, ...]
    min_words: int
    num_perm: int
    lsh_threshold: float
    min_similarity: float
    sentence_weight: float
    event_weight: float
    min_evidence: float


def _need(cond: bool, message: str) -> None:
    if not cond:
        raise PubdateConfigError(f"pubdate.yaml: {message}")


def _compile(pattern: Any, where: str) -> re.Pattern[str]:
    _need(isinstance(pattern, str), f"{where}: pattern must be a string")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise PubdateConfigError(f"pubdate.yaml: {where}: bad regex: {exc}") from exc


def parse_settings(raw: Any) -> PubdateSettings:
    _need(isinstance(raw, dict), "top level must be a mapping")
    datelines = []
    for entry in raw.get("datelines") or ():
        _need(isinstance(entry, dict) and entry.get("name") and entry.get("examples"), f"bad dateline {entry!r}")
        regex = _compile(entry.get("pattern"), f"dateline {entry['name']}")
        _need("date" in regex.groupindex, f"dateline {entry['name']}: needs a (?P<date>...) group")
        examples = tuple((str(e["text"]), str(e["date"])) for e in entry["examples"])
        datelines.append(DatelinePattern(str(entry["name"]), regex, examples,
                                         tuple(str(c) for c in entry.get("counterexamples") or ())))
    cues = raw.get("future_cues") or {}
    est = raw.get("estimate") or {}
    for key in ("lsh_threshold", "min_similarity"):
        _need(isinstance(est.get(key), (int, float)) and 0 < est[key] <= 1, f"estimate.{key} must be in (0, 1]")
    for key in ("min_words", "num_perm"):
        _need(isinstance(est.get(key), int) and est[key] > 0, f"estimate.{key} must be a positive integer")
    for key in ("sentence_weight", "event_weight", "min_evidence"):
        _need(isinstance(est.get(key), (int, float)) and est[key] >= 0, f"estimate.{key} must be >= 0")
    for key in ("dateline_lines", "lead_lines", "yearless_dateline_days"):
        _need(isinstance(raw.get(key), int) and raw[key] > 0, f"{key} must be a positive integer")
    _need(bool(cues.get("examples")), "future_cues needs examples")
    return PubdateSettings(
        dateline_lines=raw["dateline_lines"], lead_lines=raw["lead_lines"],
        yearless_dateline_days=raw["yearless_dateline_days"],
        datelines=tuple(datelines),
        future_cues=_compile(cues.get("pattern"), "future_cues"),
        future_examples=tuple(str(e) for e in cues["examples"]),
        future_counterexamples=tuple(str(e) for e in cues.get("counterexamples") or ()),
        min_words=est["min_words"], num_perm=est["num_perm"], lsh_threshold=float(est["lsh_threshold"]),
        min_similarity=float(est["min_similarity"]), sentence_weight=float(est["sentence_weight"]),
        event_weight=float(est["event_weight"]), min_evidence=float(est["min_evidence"]),
    )


@functools.lru_cache(maxsize=1)
def load_settings() -> PubdateSettings:
    return parse_settings(load_yaml("pubdate.yaml"))


# --- from the text -----------------------------------------------------------------------------

@dataclass(frozen=True)
class TextDate:
    """A publication date found in an article's text, and what it rests on."""

    date: dt.date
    kind: Literal["dateline", "dateline+past_event", "past_event_weekday", "weekday_anchor+past_event",
                  "latest_past_event"]
    evidence: str
    # True when the date is only a lower bound (the article was written on or after it).
    lower_bound: bool


# A full stop ends a sentence unless it ends an initial or a short title or month ("U.N.", "Mr.",
# "Jan."): "... the post of U.N. Secretary-general on Jan. 1 2007" is one sentence.
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|No))(?<!\b(?:Mrs|Gen|Gov|Sen|Rep|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
                           r"Sep|Oct|Nov|Dec|Inc|Ltd))(?<!\bSept)[.!?…](?=[\"'”’)\]]*\s)|\n")


def read_dateline(line: str, settings: PubdateSettings | None = None) -> tuple[str, dt.date | None, tuple[int, int] | None]:
    """(pattern name, full date, (month, day) when the year is missing) of a dateline, or ("", None, None)."""
    s = settings or load_settings()
    for pattern in s.datelines:
        m = pattern.regex.search(line.strip())
        if not m:
            continue
        text = m.group("date")
        if re.search(r"\d{4}", text):
            date = parse_absolute_date(text)
            if date is not None:
                return pattern.name, date, None
            continue
        # No year: read the month and day against a leap year so 29 February parses.
        probe = parse_absolute_date(f"{text} 2000")
        if probe is not None:
            return pattern.name, None, (probe.month, probe.day)
    return "", None, None


def _sentence_around(body: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(body, 0, start)), default=0)
    right_match = _SENTENCE_END.search(body, end)
    return body[left:right_match.end() if right_match else len(body)]


_RANGE_END = re.compile(r"[-–—]\s*$")


def latest_past_date(body: str, timexes: Sequence[Timex], settings: PubdateSettings | None = None) -> Timex | None:
    """The latest fully specified day the text does not present as future, or None."""
    s = settings or load_settings()
    best: Timex | None = None
    for t in timexes:
        value = TimexValue.of(t.value or "")
        if t.type != "DATE" or t.relative or not (value.is_day and value.time is None) or t.mod in ("AFTER", "ON_OR_AFTER"):
            continue
        if t.interval_start is None or t.interval_start != t.interval_end:
            continue
        if s.future_cues.search(_sentence_around(body, t.start, t.end)):
            continue
        if _RANGE_END.search(body, max(0, t.start - 3), t.start):
            continue  # the end of a span ("the January 1-October 31 2007 period") is often still to come
        if best is None or (t.interval_start, -t.start) > (best.interval_start, -best.start):  # type: ignore[operator]
            best = t
    return best


_WEEKDAYS = {name: k for k, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                               "sunday"), start=1)}


def _first_weekday(timexes: Sequence[Timex]) -> tuple[Timex, int] | None:
    """The first bare weekday of the text ("on Thursday", "Tuesday (6 January)"), which names the
    day of its news, with that weekday's ISO number."""
    for t in sorted(timexes, key=lambda t: t.start):
        number = _WEEKDAYS.get(t.text.strip().casefold())
        if t.type == "DATE" and number is not None:
            return t, number
    return None


def _anchored_day(weekday: Timex, number: int, floor: dt.date) -> dt.date | None:
    """The day a weekday with a yearless date ("Tuesday (6 January)") names, on or within a year
    after `floor`: the explicit part fixes the day, the weekday the year."""
    value = TimexValue.of(weekday.value or "")
    if value.year != "XXXX" or not (value.month or "").isdigit() or not (value.day or "").isdigit() or value.time is not None:
        return None
    for year in (floor.year, floor.year + 1):
        try:
            day = dt.date(year, int(str(value.month)), int(str(value.day)))
        except ValueError:
            continue
        if day.isoweekday() == number and floor <= day <= floor + dt.timedelta(days=366):
            return day
    return None


def _excerpt(body: str, timex: Timex, before: int = 100, after: int = 60) -> str:
    """The sentence around a timex, cut to a window around it, for evidence people read."""
    left = max((m.end() for m in _SENTENCE_END.finditer(body, 0, timex.start)), default=0)
    right_match = _SENTENCE_END.search(body, timex.end)
    right = right_match.end() if right_match else len(body)
    start, end = max(left, timex.start - before), min(right, timex.end + after)
    text = " ".join(body[start:end].split())
    return ("…" if start > left else "") + text + ("…" if end < right else "")


def _top_end(body: str, lines: int) -> int:
    """Offset where the first `lines` non-empty lines of the body end."""
    seen = 0
    for m in re.finditer(r"[^\n]*\S[^\n]*", body):
        seen += 1
        if seen == lines:
            return m.end()
    return len(body)


def find_publication_date(body: str, timexes: Sequence[Timex], settings: PubdateSettings | None = None) -> TextDate | None:
    """The publication date the text gives, with evidence: a dateline or date line; else the latest
    past event when the article's news is told by that day's weekday; else that event as a lower bound.

    Only evidence that denotes publication gives a date. A date the text reports as past is
    background as often as news ("the index, re-based on Sept. 6, 2004"), so alone it only bounds
    the publication date from below (`lower_bound=True`). It is the date itself when the first
    bare weekday of the text ("Harris said on Thursday") is that date's weekday: the article names
    the day of its news by its weekday, which a reporter does within the week after it.
    """
    s = settings or load_settings()
    past = latest_past_date(body, timexes, s)
    lines = [ln for ln in body.splitlines() if ln.strip()][: s.dateline_lines]
    for line in lines:
        name, full, month_day = read_dateline(line, s)
        if full is not None:
            return TextDate(full, "dateline", line.strip()[:120], lower_bound=False)
        if month_day is not None and past is not None and past.interval_start is not None:
            # The article is on or after the past event and the dateline names its day: the first
            # such day on or after the event, if within a year (never a year from nowhere).
            floor = past.interval_start
            for year in (floor.year, floor.year + 1):
                try:
                    candidate = dt.date(year, *month_day)
                except ValueError:
                    continue
                if floor <= candidate <= floor + dt.timedelta(days=s.yearless_dateline_days):
                    return TextDate(candidate, "dateline+past_event", f"{line.strip()[:80]} / {past.text}", False)
    if past is None or past.interval_start is None:
        return None
    sentence = _excerpt(body, past)
    first = _first_weekday(timexes)
    if first is not None:
        weekday, number = first
        told = _excerpt(body, weekday)
        # A date above the lead, next to the title (a caption, a date line), that the lead then calls
        # by its weekday is the news day; a date after the lead that happens to fall on that weekday
        # is as likely background ("the index, re-based on Sept. 6, 2004" after "on Monday").
        top = _top_end(body, s.lead_lines)
        if (number == past.interval_start.isoweekday() and weekday.value in (past.value, f"XXXX-WXX-{number}")
                and past.end <= weekday.start and weekday.end <= top):
            return TextDate(past.interval_start, "past_event_weekday", f"{sentence} / {told}", False)
        anchored = _anchored_day(weekday, number, past.interval_start)
        if anchored is not None:
            return TextDate(anchored, "weekday_anchor+past_event", f"{told} / {past.text}", False)
    return TextDate(past.interval_start, "latest_past_event", sentence, lower_bound=True)


def publication_date_from_text(body: str, timexes: Sequence[Timex]) -> dt.date | None:
    """The publication date the text asserts, or None; a lower bound is not a date (see `find_publication_date`)."""
    found = find_publication_date(body, timexes)
    return found.date if found and not found.lower_bound else None


def date_article_from_text(article: Article, timexes: Sequence[Timex]) -> Article:
    """The article with what its text says about its publication date: a date (`text`), a lower
    bound (`bounded`), or unchanged."""
    found = find_publication_date(article.body, timexes)
    if found is None:
        return article
    if found.lower_bound:
        return dataclasses.replace(article, publication_date_source="bounded", publication_date_earliest=found.date,
                                   publication_date_evidence=f"reported as past: {found.evidence}")
    return dataclasses.replace(article, publication_date=found.date, publication_date_source="text",
                               publication_date_evidence=found.evidence)


# --- estimated from other articles -------------------------------------------------------------

@dataclass(frozen=True)
class PublicationDateEstimate:
    """A publication date borrowed from the articles an undated article shares most with."""

    doc_id: str
    date: dt.date
    basis_doc_ids: tuple[str, ...]  # the dated articles with the winning date, best evidence first
    shared_sentences: int
    shared_events: int
    evidence: float
    # The best shared sentence or quotation, as the first basis article writes it.
    sentence: str = ""

    def describe(self) -> str:
        """The evidence in words, for the run report."""
        what = f"{self.shared_sentences} shared sentence(s)" + (f", {self.shared_events} shared event(s)"
                                                                 if self.shared_events else "")
        return f"from {self.basis_doc_ids[0]} ({what}): “{self.sentence[:300]}”"


# Sources whose dates may be lent to another article: never an estimate or a mere bound.
LENDING_SOURCES = frozenset({"metadata", "header", "url", "text"})
_WORDS = re.compile(r"\w+")
_QUOTE = re.compile(r"[“\"]([^”\"]{20,600})[”\"]")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class _Unit:
    """A sentence or quotation of an article: as written, normalized, and as word 3-shingles."""

    text: str
    normalized: str
    shingles: frozenset[str]


def _units(body: str, min_words: int) -> list[_Unit]:
    """Sentences and quotations of a body with at least `min_words` words, once each."""
    pieces = [p for p in re.split(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+", body) if p.strip()]
    pieces += [m.group(1) for m in _QUOTE.finditer(body)]
    out: dict[str, _Unit] = {}
    for piece in pieces:
        words = _WORDS.findall(piece.casefold())
        if sum(1 for w in words if not w.isdigit()) < min_words:
            continue  # numbers are no content: "POSTED: 05 / 02 / 07, 9: 00 PM PDT" is site furniture
        text = " ".join(words)
        out.setdefault(text, _Unit(" ".join(piece.split()), text,
                                   frozenset(" ".join(words[k:k + 3]) for k in range(len(words) - 2))))
    return sorted(out.values(), key=lambda u: u.normalized)


def _shared_sentences(articles: Sequence[Article], s: PubdateSettings,
                      involving: Collection[str] | None = None) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Near-identical sentences or quotations per pair of documents (doc ids sorted), as each writes them;
    only the pairs with a document of `involving` when given (the articles to date: a sentence that
    thousands of articles of a feed share made every pair of them, quadratic in memory and time)."""
    lsh = MinHashLSH(threshold=s.lsh_threshold, num_perm=s.num_perm)
    units: dict[str, tuple[str, _Unit]] = {}
    hashes: dict[str, MinHash] = {}
    for article in sorted(articles, key=lambda a: a.doc_id):
        for k, unit in enumerate(_units(article.body, s.min_words)):
            key = f"{article.doc_id}\x00{k}"
            mh = MinHash(num_perm=s.num_perm, seed=1)
            mh.update_batch([sh.encode("utf-8") for sh in sorted(unit.shingles)])
            lsh.insert(key, mh)
            units[key] = (article.doc_id, unit)
            hashes[key] = mh
    matched: dict[tuple[str, str], dict[tuple[str, str], tuple[str, str]]] = defaultdict(dict)
    queried = set(units[key][0] for key in units) if involving is None else set(involving)
    for key in sorted(units):
        doc, unit = units[key]
        if doc not in queried:
            continue
        for other in sorted(lsh.query(hashes[key])):
            other_doc, other_unit = units[other]
            if other_doc == doc or (other_doc < doc and other_doc in queried):
                continue  # each pair of documents once (from its first queried side), never a document with itself
            if fuzz.token_set_ratio(unit.normalized, other_unit.normalized) >= s.min_similarity * 100:
                (a, unit_a), (b, unit_b) = sorted(((doc, unit), (other_doc, other_unit)), key=lambda pair: pair[0])
                matched[(a, b)][(unit_a.normalized, unit_b.normalized)] = (unit_a.text, unit_b.text)
    return {pair: [found[k] for k in sorted(found)] for pair, found in matched.items()}


def _about_the_event(sentence: str, date: dt.date) -> bool:
    """False for background: a sentence that names a year other than the one the date would be in
    ("Reid was arrested in 2008") tells the story of other days, so sharing it dates nothing."""
    return all(int(y) == date.year for y in _YEAR.findall(sentence))


def shared_events(entries: Iterable[TimelineEntry], involving: Collection[str] | None = None) -> dict[tuple[str, str], int]:
    """Number of merged timeline entries two documents both report (doc ids sorted); only the pairs
    with a document of `involving` when given (an event reported by 5,000 articles of a feed is
    12.5 million pairs, of which the articles to date need a few)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for entry in entries:
        docs = sorted({src.doc_id for src in entry.sources})
        if involving is None:
            for a_idx, a in enumerate(docs):
                for b in docs[a_idx + 1:]:
                    counts[(a, b)] += 1
            continue
        wanted = set(involving)
        for a in wanted.intersection(docs):
            for b in docs:
                if b != a and not (b in wanted and b < a):  # a pair of two wanted documents once
                    counts[(a, b) if a < b else (b, a)] += 1
    return dict(counts)


def _merged(mentions: list[EventMention]) -> list[TimelineEntry]:
    from extractors.merge import merge_mentions

    return merge_mentions(mentions) if mentions else []


def _flatten(mentions: Iterable[EventMention] | Mapping[str, Sequence[EventMention]] | None) -> list[EventMention]:
    if mentions is None:
        return []
    if isinstance(mentions, Mapping):
        return [m for doc in sorted(mentions) for m in mentions[doc]]
    return list(mentions)


def explain_publication_estimates(
    articles: Sequence[Article],
    mentions: Iterable[EventMention] | Mapping[str, Sequence[EventMention]] | None = None,
    settings: PubdateSettings | None = None,
    entries: Sequence[TimelineEntry] | None = None,
) -> dict[str, PublicationDateEstimate]:
    """Estimates, with their evidence, for the articles that have no publication date.

    Shared events are counted in `entries`, the merge of the articles' mentions the flow made
    (so estimating compares no events of its own); without them `mentions` are merged here.

    A date is lent only by an article whose date is asserted (`LENDING_SOURCES`), only on shared
    sentences or quotations about the event (a shared sentence naming another year is background),
    with shared merged events adding weight but never enough alone; and never to an article whose
    text reports as past a day after the borrowed date (its `publication_date_earliest`).
    """
    s = settings or load_settings()
    known: dict[str, dt.date] = {a.doc_id: a.publication_date for a in articles
                                 if a.publication_date is not None and a.publication_date_source in LENDING_SOURCES}
    earliest = {a.doc_id: a.publication_date_earliest for a in articles}
    undated = sorted(a.doc_id for a in articles if a.publication_date is None)
    if not undated or not known:
        return {}
    sentences = _shared_sentences(articles, s, involving=undated)
    events: dict[tuple[str, str], int] = {}
    if s.event_weight > 0:
        events = shared_events(entries if entries is not None else _merged(_flatten(mentions)), involving=undated)
    # evidence[doc][other] = (shared sentences as `other` writes them, shared events)
    evidence: dict[str, dict[str, tuple[list[str], int]]] = defaultdict(dict)
    for (a, b) in sorted(set(sentences) | set(events)):
        pairs = sentences.get((a, b), [])
        evidence[a][b] = ([tb for _, tb in pairs], events.get((a, b), 0))
        evidence[b][a] = ([ta for ta, _ in pairs], events.get((a, b), 0))
    estimates: dict[str, PublicationDateEstimate] = {}
    for doc in undated:
        by_date: dict[dt.date, list[tuple[float, int, int, str, str]]] = defaultdict(list)
        for other, (shared, n_event) in evidence[doc].items():
            if other not in known:
                continue
            date = known[other]
            about = [t for t in shared if _about_the_event(t, date)]
            if not about:
                continue  # events alone, or background alone, are not the same event instance
            weight = len(about) * s.sentence_weight + n_event * s.event_weight
            by_date[date].append((weight, len(about), n_event, other, about[0]))
        floor = earliest.get(doc)
        for date in [d for d in by_date if floor is not None and d < floor]:
            del by_date[date]  # the text reports as past a day after it: not this article's date
        if not by_date:
            continue
        # The best-supported date; ties to the earliest (the first report is the likelier twin).
        date = min(by_date, key=lambda d: (-sum(w for w, *_ in by_date[d]), d))
        support = sorted(by_date[date], key=lambda e: (-e[0], e[3]))
        total = sum(w for w, *_ in support)
        if total < s.min_evidence:
            continue
        estimates[doc] = PublicationDateEstimate(
            doc_id=doc, date=date, basis_doc_ids=tuple(e[3] for e in support),
            shared_sentences=sum(e[1] for e in support), shared_events=sum(e[2] for e in support),
            evidence=round(total, 4), sentence=support[0][4])
    return dict(sorted(estimates.items()))


def estimate_publication_dates(
    articles: Sequence[Article],
    mentions: Iterable[EventMention] | Mapping[str, Sequence[EventMention]] | None = None,
    settings: PubdateSettings | None = None,
) -> dict[str, dt.date]:
    """{doc_id: estimated publication date} for undated articles that share sentences or events
    with dated ones; undated articles without such evidence are absent."""
    return {doc: e.date for doc, e in explain_publication_estimates(articles, mentions, settings).items()}


def apply_estimates(articles: Sequence[Article],
                    estimates: Mapping[str, dt.date] | Mapping[str, PublicationDateEstimate]) -> list[Article]:
    """The articles with estimated dates filled in (`publication_date_source="estimated"`), with the
    evidence when `estimates` are `PublicationDateEstimate`s."""
    out = []
    for a in articles:
        found = estimates.get(a.doc_id) if a.publication_date is None else None
        if isinstance(found, PublicationDateEstimate):
            a = dataclasses.replace(a, publication_date=found.date, publication_date_source="estimated",
                                    publication_date_evidence=found.describe())
        elif found is not None:
            a = dataclasses.replace(a, publication_date=found, publication_date_source="estimated")
        out.append(a)
    return out


def mark_estimated(mentions: Iterable[EventMention], factor: float = 0.8) -> list[EventMention]:
    """Mentions of an article whose publication date was estimated: dates resolved against it
    (relative or tense) get basis "estimated" and the confidence is scaled by `factor`."""
    out = []
    for m in mentions:
        if m.date.basis in ("relative", "tense"):
            d = m.date
            m = dataclasses.replace(m, date=EventDate(d.value, d.mod, d.start, d.end, d.granularity, "estimated"),
                                    confidence=round(m.confidence * factor, 4))
        out.append(m)
    return out


def mark_bounded(mentions: Iterable[EventMention], factor: float = 0.8) -> list[EventMention]:
    """Mentions of an article known only to be published on or after a day, read against that day.

    A relative date read against the earliest publication day is the earliest it can denote, and
    any later publication day makes it later ("last month", "on Tuesday"): it becomes "on or after"
    that (`ON_OR_AFTER`, no end). A tense-only date says nothing without a publication day: none.
    Confidence is scaled by `factor`.
    """
    out = []
    for m in mentions:
        d = m.date
        if d.basis == "relative" and d.start is not None:
            m = dataclasses.replace(m, date=EventDate(d.value, "ON_OR_AFTER", d.start, None, d.granularity, "relative"),
                                    confidence=round(m.confidence * factor, 4))
        elif d.basis in ("relative", "tense"):
            m = dataclasses.replace(m, date=EventDate(), confidence=round(m.confidence * factor, 4))
        out.append(m)
    return out
