"""Publication dates of articles whose date is known but withheld from the pipeline.

Usage:
    nice .venv/bin/python benchmarks/pubdate_eval.py [--data DIR] [--split tune|confirm|all]
                                                     [--sets news-silver,timebank,...] [--limit N]

Each article is loaded by the project's loader from its text (and a sidecar holding only its URL
where a set keeps it), with its header and sidecar date removed; the articles of a group (one
run) are extracted and the missing dates estimated as the flow does. The pipeline's date is
compared with the withheld one:

    exact / within 3 days / wrong (a date more than 3 days off, or an earliest bound more than 3
    days after the true date) / bounded (only an earliest date, and it is right) / none

Sets (the truth in brackets):
- news-silver: AFP and Xinhua wire texts without their DCT header line [the DCT]; groups of 50
  consecutive files form a run.
- timebank: TimeBank + AQUAINT <TEXT> sections [the document creation time]; one run per corpus.
- ecbplus-url: ECB+ topics, one run per topic, every sidecar URL kept [a full date written in
  the URL, read here by a strict pattern of this script, not the pipeline's reader].
- ecbplus-withheld: the same runs, but every other URL-dated article (in name order) loses its
  URL and is the one scored: its date must come from its text or from the other articles.
- wikinews: SemEval-2015 TimeLine trial documents, whose first line after the title is a date [DCT].
- seeds: the seed articles, headers removed from 000 and 001 [their header dates]; 002 [2023-09-07].

Splits, fixed before any tuning: `tune` = even positions of each set's sorted file list (ECB+:
topics 1-20), `confirm` = odd positions (ECB+: topics 21-35). The seeds are in both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.articles import InputRejected, build_article  # noqa: E402
from extractors.pipeline import extract_articles  # noqa: E402
from extractors.pubdate import explain_publication_estimates  # noqa: E402
from extractors.schema import Article  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
SETS = ("news-silver", "timebank", "ecbplus-url", "ecbplus-withheld", "wikinews", "seeds")
NEAR_DAYS = 3
_TAG = re.compile(r"<[^>]+>")
_DCT = re.compile(r'functionInDocument="CREATION_TIME"[^>]*?value="(\d{4}-\d{2}-\d{2})|'
                  r'value="(\d{4}-\d{2}-\d{2})"[^>]*?functionInDocument="CREATION_TIME"')
# The truth for ECB+: a full date written in the URL (/2011/08/09/, /2010-12-01-, /20081216).
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})([/_-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")


@dataclass(frozen=True)
class Case:
    """One article to load: its text, the sidecar URL kept (if any), its true date, and whether it is scored."""

    doc_id: str
    text: str
    truth: dt.date | None
    url: str | None = None
    scored: bool = True


def _element(xml: str, name: str) -> str:
    m = re.search(rf"<{name}>(.*?)</{name}>", xml, re.DOTALL)
    return html.unescape(_TAG.sub("", m.group(1))).strip() if m else ""


def _dct(xml: str) -> dt.date | None:
    m = _DCT.search(xml)
    return dt.date.fromisoformat(m.group(1) or m.group(2)) if m else None


def _half(items: list, split: str) -> list:
    items = sorted(items)
    return items if split == "all" else items[0 if split == "tune" else 1::2]


def _limited(groups: list[list[Case]], limit: int | None) -> list[list[Case]]:
    if not limit:
        return groups
    out, left = [], limit
    for group in groups:
        if left <= 0:
            break
        out.append(group[:left])
        left -= len(group[:left])
    return out


def news_silver(data: Path, split: str) -> list[list[Case]]:
    cases = []
    for path in _half(list((data / "news-silver").glob("*.tml")), split):
        xml = path.read_text(encoding="utf-8")
        title, body = _element(xml, "TITLE"), _element(xml, "TEXT")
        cases.append(Case(path.stem, f"{title}\n\n{body}" if title else body, _dct(xml)))
    return [cases[k:k + 50] for k in range(0, len(cases), 50)]


def timebank(data: Path, split: str) -> list[list[Case]]:
    groups = []
    for corpus in ("TimeBank", "AQUAINT"):
        paths = _half(list((data / "timebank-aquaint" / corpus).glob("*.tml")), split)
        groups.append([Case(p.stem, _element(p.read_text(encoding="utf-8"), "TEXT"), _dct(p.read_text(encoding="utf-8")))
                       for p in paths])
    return groups


def url_date(url: str | None) -> dt.date | None:
    """The day a URL is filed under; none for an archive listing (`2005_05_01_archive.html` lists a month)."""
    if "archive" in (url or "").lower():
        return None
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    except ValueError:
        return None


def _ecb_topics(data: Path, split: str) -> list[Path]:
    topics = sorted((p for p in (data / "ecbplus").iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    if split == "all":
        return topics
    return [t for t in topics if (int(t.name) <= 20) == (split == "tune")]


def ecbplus(data: Path, split: str, withheld: bool) -> list[list[Case]]:
    groups = []
    for topic in _ecb_topics(data, split):
        cases = []
        dated_seen = 0
        for path in sorted(topic.glob("*.txt"), key=lambda p: p.name):
            meta = path.with_name(path.stem + ".meta.json")
            url = json.loads(meta.read_text(encoding="utf-8")).get("url") if meta.exists() else None
            truth = url_date(url)
            text = path.read_text(encoding="utf-8")
            if truth is None:
                cases.append(Case(path.stem, text, None, url, scored=False))
                continue
            dated_seen += 1
            hide = withheld and dated_seen % 2 == 0
            cases.append(Case(path.stem, text, truth, None if hide else url, scored=hide or not withheld))
        groups.append(cases)
    return groups


def wikinews(data: Path, split: str) -> list[list[Case]]:
    cases = []
    for path in _half(list((data / "timeline-trial" / "documents").glob("*.tml")), split):
        xml = path.read_text(encoding="utf-8")
        title = _element(xml, "EXTRAINFO")
        text = "\n".join(_TAG.sub("", html.unescape(s)).strip() for s in re.findall(r"<s [^>]*>(.*?)</s>", _element_raw(xml, "TEXT"), re.DOTALL))
        cases.append(Case(path.stem, f"{title}\n\n{text}", _dct(xml)))
    return [cases]


def _element_raw(xml: str, name: str) -> str:
    m = re.search(rf"<{name}>(.*?)</{name}>", xml, re.DOTALL)
    return m.group(1) if m else ""


def seeds(_data: Path, _split: str) -> list[list[Case]]:
    truths = {"000": dt.date(2023, 11, 6), "001": dt.date(2023, 11, 14), "002": dt.date(2023, 9, 7)}
    cases = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = re.sub(r"\A\s*date\s+\d{4}-\d{2}-\d{2}\s*", "", path.read_text(encoding="utf-8"))
        truth = truths.get(path.name[:3])
        cases.append(Case(path.stem, text, truth, scored=truth is not None))
    return [cases]


def load_set(name: str, data: Path, split: str) -> list[list[Case]]:
    if name == "news-silver":
        return news_silver(data, split)
    if name == "timebank":
        return timebank(data, split)
    if name in ("ecbplus-url", "ecbplus-withheld"):
        return ecbplus(data, split, withheld=name == "ecbplus-withheld")
    if name == "wikinews":
        return wikinews(data, split)
    return seeds(data, split)


@dataclass(frozen=True)
class Outcome:
    case: Case
    article: Article | None
    verdict: str  # exact | near | wrong | bounded | none


def verdict(article: Article | None, truth: dt.date) -> str:
    if article is None:
        return "none"
    if article.publication_date is not None:
        off = abs((article.publication_date - truth).days)
        return "exact" if off == 0 else "near" if off <= NEAR_DAYS else "wrong"
    earliest = getattr(article, "publication_date_earliest", None)
    if earliest is not None:
        return "wrong" if (earliest - truth).days > NEAR_DAYS else "bounded"
    return "none"


def run_group(cases: list[Case], nlp) -> Iterator[Outcome]:
    """Load, extract and estimate one group as a run of the flow would, then judge the scored cases."""
    from extractors.pubdate import apply_estimates

    articles = []
    for case in cases:
        sidecar = json.dumps({"url": case.url}).encode() if case.url else None
        try:
            articles.append(build_article(case.doc_id, f"{case.doc_id}.txt", ".txt", case.text.encode("utf-8"), sidecar))
        except InputRejected:
            continue
    extractions = extract_articles(articles, nlp)
    estimates = explain_publication_estimates([x.article for x in extractions], [m for x in extractions for m in x.mentions])
    dated = {a.doc_id: a for a in apply_estimates([x.article for x in extractions], estimates)}
    for case in cases:
        if case.scored and case.truth is not None:
            article = dated.get(case.doc_id)
            yield Outcome(case, article, verdict(article, case.truth))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("tune", "confirm", "all"), default="tune")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, default=0, help="at most N articles per set (0: all)")
    args = parser.parse_args(argv)
    names = [s for s in args.sets.split(",") if s]
    unknown = set(names) - set(SETS)
    if unknown:
        parser.error(f"unknown set(s): {', '.join(sorted(unknown))}")
    from extractors.nlp import load_nlp

    nlp = load_nlp()
    rows, wrong = [], []
    for name in names:
        if name != "seeds" and not (args.data / ("ecbplus" if name.startswith("ecbplus") else
                                                 {"news-silver": "news-silver", "timebank": "timebank-aquaint",
                                                  "wikinews": "timeline-trial"}[name])).exists():
            print(f"{name}: data not found under {args.data}; skipped", file=sys.stderr)
            continue
        started = time.perf_counter()
        counts = dict.fromkeys(("exact", "near", "wrong", "bounded", "none"), 0)
        sources: dict[str, int] = {}
        for group in _limited(load_set(name, args.data, args.split), args.limit):
            for outcome in run_group(group, nlp):
                counts[outcome.verdict] += 1
                source = outcome.article.publication_date_source if outcome.article else "rejected"
                sources[source] = sources.get(source, 0) + 1
                if outcome.verdict == "wrong":
                    wrong.append((name, outcome))
        total = sum(counts.values())
        pct = {k: 100 * v / total if total else 0.0 for k, v in counts.items()}
        rows.append((name, total, counts, pct, sources, time.perf_counter() - started))
    print(f"split: {args.split}")
    print(f"{'set':18} {'articles':>8} {'exact':>12} {'<=3 days':>12} {'wrong':>12} {'bounded':>12} {'none':>12}   sources")
    for name, total, counts, pct, sources, seconds in rows:
        cells = " ".join(f"{counts[k]:>5} {pct[k]:5.1f}%" for k in ("exact", "near", "wrong", "bounded", "none"))
        print(f"{name:18} {total:>8} {cells}   {', '.join(f'{k} {v}' for k, v in sorted(sources.items()))}"
              f"  ({seconds:.0f} s)")
    if wrong:
        print("\nwrong:")
    for name, outcome in wrong:
        a = outcome.article
        assert a is not None
        got = a.publication_date or f">= {getattr(a, 'publication_date_earliest', None)}"
        evidence = getattr(a, "publication_date_evidence", None) or ""
        print(f"  {name:16} {outcome.case.doc_id:40} true {outcome.case.truth}  got {got} ({a.publication_date_source})"
              f"  {evidence[:110]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
