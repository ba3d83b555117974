"""Publication dates an article's metadata and header do not give: from its text, or estimated.

The flow uses four calls, in this order (the loader has already taken metadata, then the header):

1. `publication_date_from_text(body, timexes) -> date | None` for each article without a date,
   with the timexes tagged *without* a publication date. It returns the date of a dateline or
   byline ("SEOUL, Sept. 8 (Yonhap)", "Published: 7 September 2023"), else the latest fully
   specified date (day, month and year) the text reports as past — an article is written after
   what it reports, so that date is a lower bound and the best point estimate there is (seed 002's
   caption "... in Jakarta, Indonesia, on 7 September 2023" gives 2023-09-07). Set
   `publication_date_source="text"`. `find_publication_date` returns the same with its evidence.
2. Extract events for all articles.
3. `estimate_publication_dates(articles, mentions) -> {doc_id: date}` for the articles still
   without a date: each takes the publication date of the dated article it shares the most
   evidence with — near-identical sentences or quotations (datasketch MinHash LSH finds candidates,
   rapidfuzz confirms them) and merged events (`extractors.merge`). Ties go to the earliest date:
   the copy is more likely contemporary with the first report. An article with no evidence gets
   no estimate (never a guessed year); estimates may chain through other estimates for
   `max_rounds` hops. `explain_publication_estimates` returns the same with evidence.
4. Re-extract the estimated articles with `publication_date_source="estimated"`; the event
   extractor then marks their relative and tense dates `date_basis: estimated` (lower confidence).
   For mentions produced elsewhere, `mark_estimated(mentions)` does that downgrade.

Everything here is pure: no I/O except reading the packaged `resources/pubdate.yaml`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz

from extractors.dates import parse_absolute_date
from extractors.resources import load_yaml
from extractors.schema import Article, EventDate, EventMention, Timex


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
    max_rounds: int


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
    for key in ("min_words", "num_perm", "max_rounds"):
        _need(isinstance(est.get(key), int) and est[key] > 0, f"estimate.{key} must be a positive integer")
    for key in ("sentence_weight", "event_weight", "min_evidence"):
        _need(isinstance(est.get(key), (int, float)) and est[key] >= 0, f"estimate.{key} must be >= 0")
    _need(isinstance(raw.get("dateline_lines"), int) and raw["dateline_lines"] > 0, "dateline_lines must be positive")
    _need(bool(cues.get("examples")), "future_cues needs examples")
    return PubdateSettings(
        dateline_lines=raw["dateline_lines"],
        datelines=tuple(datelines),
        future_cues=_compile(cues.get("pattern"), "future_cues"),
        future_examples=tuple(str(e) for e in cues["examples"]),
        future_counterexamples=tuple(str(e) for e in cues.get("counterexamples") or ()),
        min_words=est["min_words"], num_perm=est["num_perm"], lsh_threshold=float(est["lsh_threshold"]),
        min_similarity=float(est["min_similarity"]), sentence_weight=float(est["sentence_weight"]),
        event_weight=float(est["event_weight"]), min_evidence=float(est["min_evidence"]), max_rounds=est["max_rounds"],
    )


@functools.lru_cache(maxsize=1)
def load_settings() -> PubdateSettings:
    return parse_settings(load_yaml("pubdate.yaml"))


# --- from the text -----------------------------------------------------------------------------

@dataclass(frozen=True)
class TextDate:
    """A publication date found in an article's text, and what it rests on."""

    date: dt.date
    kind: Literal["dateline", "dateline+past_event", "latest_past_event"]
    evidence: str
    # True when the date is only a lower bound (the article was written on or after it).
    lower_bound: bool


_FULL_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SENTENCE_END = re.compile(r"[.!?…](?=[\"'”’)\]]*\s)|\n")


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


def latest_past_date(body: str, timexes: Sequence[Timex], settings: PubdateSettings | None = None) -> Timex | None:
    """The latest fully specified day the text does not present as future, or None."""
    s = settings or load_settings()
    best: Timex | None = None
    for t in timexes:
        if t.type != "DATE" or t.relative or not _FULL_DAY.match(t.value or "") or t.mod in ("AFTER", "ON_OR_AFTER"):
            continue
        if t.interval_start is None or t.interval_start != t.interval_end:
            continue
        if s.future_cues.search(_sentence_around(body, t.start, t.end)):
            continue
        if best is None or (t.interval_start, -t.start) > (best.interval_start, -best.start):  # type: ignore[operator]
            best = t
    return best


def find_publication_date(body: str, timexes: Sequence[Timex], settings: PubdateSettings | None = None) -> TextDate | None:
    """The publication date the text gives (dateline first, then the latest past event), with evidence."""
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
                if floor <= candidate <= floor + dt.timedelta(days=366):
                    return TextDate(candidate, "dateline+past_event", f"{line.strip()[:80]} / {past.text}", False)
    if past is not None and past.interval_start is not None:
        return TextDate(past.interval_start, "latest_past_event", past.text, lower_bound=True)
    return None


def publication_date_from_text(body: str, timexes: Sequence[Timex]) -> dt.date | None:
    """The publication date the text gives, or None (see `find_publication_date` for the evidence)."""
    found = find_publication_date(body, timexes)
    return found.date if found else None


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
    rounds: int  # 1: from an article with a known date; 2: through another estimate


_WORDS = re.compile(r"\w+")
_QUOTE = re.compile(r"[“\"]([^”\"]{20,600})[”\"]")


def _units(body: str, min_words: int) -> list[tuple[str, frozenset[str]]]:
    """Sentences and quotations of a body, normalized, with their word 3-shingles."""
    pieces = [p for p in re.split(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+", body) if p.strip()]
    pieces += [m.group(1) for m in _QUOTE.finditer(body)]
    out: dict[str, frozenset[str]] = {}
    for piece in pieces:
        words = _WORDS.findall(piece.casefold())
        if len(words) < min_words:
            continue
        text = " ".join(words)
        out.setdefault(text, frozenset(" ".join(words[k:k + 3]) for k in range(len(words) - 2)))
    return sorted(out.items())


def _shared_sentences(articles: Sequence[Article], s: PubdateSettings) -> dict[tuple[str, str], int]:
    """Number of near-identical sentences or quotations per pair of documents (doc ids sorted)."""
    lsh = MinHashLSH(threshold=s.lsh_threshold, num_perm=s.num_perm)
    units: dict[str, tuple[str, str]] = {}
    hashes: dict[str, MinHash] = {}
    for article in sorted(articles, key=lambda a: a.doc_id):
        for k, (text, shingles) in enumerate(_units(article.body, s.min_words)):
            key = f"{article.doc_id}\x00{k}"
            mh = MinHash(num_perm=s.num_perm, seed=1)
            mh.update_batch([sh.encode("utf-8") for sh in sorted(shingles)])
            lsh.insert(key, mh)
            units[key] = (article.doc_id, text)
            hashes[key] = mh
    matched: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for key in sorted(units):
        doc, text = units[key]
        for other in sorted(lsh.query(hashes[key])):
            other_doc, other_text = units[other]
            if other_doc <= doc:
                continue  # each pair of documents once, and never a document with itself
            if fuzz.token_set_ratio(text, other_text) >= s.min_similarity * 100:
                matched[(doc, other_doc)].add((text, other_text))
    return {pair: len(found) for pair, found in matched.items()}


def _shared_events(mentions: Iterable[EventMention]) -> dict[tuple[str, str], int]:
    """Number of merged timeline entries two documents both report (doc ids sorted)."""
    from extractors.merge import merge_mentions

    counts: dict[tuple[str, str], int] = defaultdict(int)
    for entry in merge_mentions(mentions):
        docs = sorted({src.doc_id for src in entry.sources})
        for a_idx, a in enumerate(docs):
            for b in docs[a_idx + 1:]:
                counts[(a, b)] += 1
    return dict(counts)


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
) -> dict[str, PublicationDateEstimate]:
    """Estimates, with their evidence, for the articles that have no publication date."""
    s = settings or load_settings()
    known: dict[str, tuple[dt.date, int]] = {a.doc_id: (a.publication_date, 0) for a in articles
                                             if a.publication_date is not None}
    undated = sorted(a.doc_id for a in articles if a.publication_date is None)
    if not undated or not known:
        return {}
    sentences = _shared_sentences(articles, s)
    events = _shared_events(_flatten(mentions))
    evidence: dict[str, dict[str, tuple[float, int, int]]] = defaultdict(dict)
    for (a, b) in sorted(set(sentences) | set(events)):
        n_sent, n_event = sentences.get((a, b), 0), events.get((a, b), 0)
        weight = n_sent * s.sentence_weight + n_event * s.event_weight
        evidence[a][b] = evidence[b][a] = (weight, n_sent, n_event)
    estimates: dict[str, PublicationDateEstimate] = {}
    for round_no in range(1, s.max_rounds + 1):
        found: dict[str, PublicationDateEstimate] = {}
        for doc in undated:
            if doc in estimates:
                continue
            by_date: dict[dt.date, list[tuple[float, int, int, str]]] = defaultdict(list)
            for other, (weight, n_sent, n_event) in evidence[doc].items():
                if other in known and weight > 0:
                    by_date[known[other][0]].append((weight, n_sent, n_event, other))
            if not by_date:
                continue
            # The best-supported date; ties to the earliest (the first report is the likelier twin).
            date = min(by_date, key=lambda d: (-sum(w for w, *_ in by_date[d]), d))
            support = sorted(by_date[date], key=lambda e: (-e[0], e[3]))
            total = sum(w for w, *_ in support)
            if total < s.min_evidence:
                continue
            found[doc] = PublicationDateEstimate(
                doc_id=doc, date=date, basis_doc_ids=tuple(e[3] for e in support),
                shared_sentences=sum(e[1] for e in support), shared_events=sum(e[2] for e in support),
                evidence=round(total, 4), rounds=round_no)
        if not found:
            break
        estimates.update(found)
        known.update({doc: (e.date, round_no) for doc, e in found.items()})
    return dict(sorted(estimates.items()))


def estimate_publication_dates(
    articles: Sequence[Article],
    mentions: Iterable[EventMention] | Mapping[str, Sequence[EventMention]] | None = None,
    settings: PubdateSettings | None = None,
) -> dict[str, dt.date]:
    """{doc_id: estimated publication date} for undated articles that share sentences or events
    with dated ones; undated articles without such evidence are absent."""
    return {doc: e.date for doc, e in explain_publication_estimates(articles, mentions, settings).items()}


def apply_estimates(articles: Sequence[Article], estimates: Mapping[str, dt.date]) -> list[Article]:
    """The articles with estimated dates filled in (`publication_date_source="estimated"`)."""
    return [dataclasses.replace(a, publication_date=estimates[a.doc_id], publication_date_source="estimated")
            if a.publication_date is None and a.doc_id in estimates else a for a in articles]


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
