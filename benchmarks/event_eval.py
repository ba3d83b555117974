"""Event-mention recall and precision of `extract_events` against gold event annotations, per domain.

    python benchmarks/event_eval.py [--data DIR] [--split tune|confirm|all] [--cache DIR] [--errors N]

Gold:
- TimeBank + AQUAINT (`DATA/timebank-aquaint`): every `<EVENT>` tag of the `<TEXT>` section.
- ECB+ topics 1-35 (`DATA/ecbplus`): the gold mentions of `gold.jsonl` on the lines the corpus
  authors validated (`validated.json`); system mentions are counted only on those lines too.

A system mention matches a gold mention when their character spans overlap (one-to-one, in text
order). Two system sets are scored: **all** mentions the extractor emits, and the **typed** ones
(type other than `other`: what the product's timeline lanes and `timeline_eval.py` place by default).

The split is fixed before any tuning and never changes:
- tune: TimeBank+AQUAINT documents whose CRC-32 of the file name is even ("half A"), ECB+ topics
  1-20, (and the SemEval trial corpus, scored by `timeline_eval.py`);
- confirm: TimeBank+AQUAINT half B (odd CRC-32), ECB+ topics 21-35. Not read while developing.

Domains: each document gets one domain by a reproducible rule over its own words
(`benchmarks/domains.yaml`): count the document's words that are cue words of each domain;
the domain with the most cues wins when it has at least `min_cues` of them and at least
`min_share` of all cues counted, else `other`. Ties go to the domain listed first.

Parsed documents are cached (spaCy `DocBin`) under `--cache`, keyed by the model and the text,
so re-running after a change to the event rules does not re-parse.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import json
import re
import sys
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timeml_source import dct_and_text, element_spans  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
DOMAINS_FILE = Path(__file__).with_name("domains.yaml")
ECB_TUNE_TOPICS = frozenset(range(1, 21))

_WORD = re.compile(r"[a-z][a-z'-]*")


@dataclass(frozen=True)
class GoldDoc:
    name: str
    corpus: str  # "timebank" | "ecbplus"
    split: str  # "tune" | "confirm"
    text: str
    dct: dt.date | None
    gold: tuple[tuple[int, int], ...]  # event spans
    scored_lines: frozenset[int] | None  # None: the whole text is annotated


# --- reading the gold ----------------------------------------------------------------------------

def event_spans(fragment: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text of a TimeML fragment and the character spans of its EVENT elements."""
    text, spans = element_spans(fragment, "EVENT")
    return text, sorted((start, end) for start, end, _ in spans)


def timebank_split(name: str) -> str:
    return "tune" if zlib.crc32(name.encode()) % 2 == 0 else "confirm"


def load_timebank(data: Path) -> list[GoldDoc]:
    docs = []
    for path in sorted((data / "timebank-aquaint").glob("*/*.tml")):
        raw = path.read_text(encoding="utf-8")
        parts = dct_and_text(raw)
        if parts is None:
            continue
        dct, inner = parts
        text, spans = event_spans(inner)
        docs.append(GoldDoc(path.stem, "timebank", timebank_split(path.stem), text, dct, tuple(spans), None))
    return docs


def load_ecbplus(data: Path) -> list[GoldDoc]:
    docs = []
    root = data / "ecbplus"
    for topic_dir in sorted((p for p in root.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)):
        split = "tune" if int(topic_dir.name) in ECB_TUNE_TOPICS else "confirm"
        validated = json.loads((topic_dir / "validated.json").read_text(encoding="utf-8"))
        gold: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for line in (topic_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            if g.get("validated"):
                gold[g["doc"]].append((int(g["start"]), int(g["end"])))
        for name in sorted(validated):
            path = topic_dir / f"{name}.txt"
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8")
            docs.append(GoldDoc(name, "ecbplus", split, text, None, tuple(sorted(gold[name])),
                                frozenset(int(n) for n in validated[name])))
    return docs


# --- domains -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DomainRule:
    cues: dict[str, str]  # cue word -> domain
    order: tuple[str, ...]
    min_cues: int
    min_share: float


def load_domain_rule(path: Path = DOMAINS_FILE) -> DomainRule:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cues: dict[str, str] = {}
    for domain, words in raw["domains"].items():
        for w in words:
            if w in cues:
                raise ValueError(f"{path}: cue {w!r} under {cues[w]!r} and {domain!r}")
            cues[str(w).lower()] = domain
    return DomainRule(cues, tuple(raw["domains"]), int(raw["min_cues"]), float(raw["min_share"]))


def domain_of(text: str, rule: DomainRule) -> str:
    counts = Counter(rule.cues[w] for w in _WORD.findall(text.lower()) if w in rule.cues)
    total = sum(counts.values())
    if not total:
        return "other"
    best = max(rule.order, key=lambda d: (counts[d], -rule.order.index(d)))
    return best if counts[best] >= rule.min_cues and counts[best] >= rule.min_share * total else "other"


# --- running the extractor -----------------------------------------------------------------------

def parsed_docs(docs: Sequence[GoldDoc], cache: Path | None) -> list:
    """The spaCy parse of every document's text, from the cache when it holds them."""
    from spacy.tokens import DocBin

    from extractors.nlp import PARSE_VERSION, load_nlp, remember_text, resolve_model_name

    nlp = load_nlp()
    key = hashlib.sha256("\0".join([resolve_model_name(), PARSE_VERSION, *(d.text for d in docs)]).encode()).hexdigest()[:16]
    path = cache / f"events-{key}.spacy" if cache else None
    if path is not None and path.exists():
        parsed = list(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))
    else:
        parsed = list(nlp.pipe((d.text for d in docs), batch_size=16))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(DocBin(store_user_data=False, docs=parsed).to_bytes())
    return [remember_text(doc, d.text) for doc, d in zip(parsed, docs, strict=True)]


def system_mentions(docs: Sequence[GoldDoc], parsed: Sequence) -> list[list]:
    from extractors.events import extract_events
    from extractors.schema import Article
    from extractors.timex import tag_timexes

    out = []
    for d, doc in zip(docs, parsed, strict=True):
        article = Article(doc_id=d.name, path=d.name, body=d.text, publication_date=d.dct,
                          publication_date_source="metadata" if d.dct else "none")
        out.append(extract_events(article, doc, tag_timexes(d.text, d.dct, doc=doc)))
    return out


# --- scoring -------------------------------------------------------------------------------------

@dataclass
class Counts:
    system: int = 0
    gold: int = 0
    matched: int = 0

    def add(self, other: Counts) -> None:
        self.system += other.system
        self.gold += other.gold
        self.matched += other.matched

    @property
    def precision(self) -> float:
        return self.matched / self.system if self.system else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def line_of(text: str) -> Callable[[int], int]:
    """The 0-based line number of a character offset of `text`."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return lambda offset: bisect.bisect_right(starts, offset) - 1


def match_spans(system: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one overlap matches (system index, gold index), greedy in text order."""
    pairs = []
    used: set[int] = set()
    for i, (s, e) in enumerate(sorted(system)):
        for j, (gs, ge) in enumerate(gold):
            if j not in used and s < ge and gs < e:
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def score_doc(d: GoldDoc, mentions: Iterable, typed_only: bool) -> tuple[Counts, list[tuple[int, int]], list[tuple[int, int]]]:
    """Counts, and the unmatched system and gold spans."""
    line = line_of(d.text)

    def scored(start: int) -> bool:
        return d.scored_lines is None or line(start) in d.scored_lines

    system = sorted({(m.trigger_start, m.trigger_end) for m in mentions
                     if scored(m.trigger_start) and (not typed_only or m.type != "other")})
    gold = [g for g in d.gold if scored(g[0])]
    pairs = match_spans(system, gold)
    hit_s = {i for i, _ in pairs}
    hit_g = {j for _, j in pairs}
    return (Counts(len(system), len(gold), len(pairs)),
            [s for i, s in enumerate(system) if i not in hit_s], [g for j, g in enumerate(gold) if j not in hit_g])


DOMAIN_ORDER = ("finance", "business", "justice", "disasters", "politics", "other")


def evaluate(docs: Sequence[GoldDoc], mentions: Sequence[list], rule: DomainRule) -> dict[tuple[str, str, str, str], Counts]:
    """(corpus, split, domain, "all"|"typed") -> counts; domain "total" sums the domains."""
    table: dict[tuple[str, str, str, str], Counts] = defaultdict(Counts)
    for d, ms in zip(docs, mentions, strict=True):
        domain = domain_of(d.text, rule)
        for kind in ("all", "typed"):
            counts = score_doc(d, ms, kind == "typed")[0]
            for dom in (domain, "total"):
                table[(d.corpus, d.split, dom, kind)].add(counts)
    return table


def format_table(table: dict[tuple[str, str, str, str], Counts], docs: Sequence[GoldDoc], rule: DomainRule) -> str:
    ndocs = Counter((d.corpus, d.split, domain_of(d.text, rule)) for d in docs)
    lines = [f"{'corpus':<9}{'split':<8}{'domain':<10}{'docs':>5}{'gold':>7}"
             f"{'all P':>8}{'all R':>8}{'all F1':>8}{'typed P':>9}{'typed R':>9}{'typed F1':>9}"]
    for corpus in ("timebank", "ecbplus"):
        for split in ("tune", "confirm"):
            for domain in (*DOMAIN_ORDER, "total"):
                a, t = table.get((corpus, split, domain, "all")), table.get((corpus, split, domain, "typed"))
                if a is None:
                    continue
                n = sum(v for (c, s, dm), v in ndocs.items() if c == corpus and s == split and domain in (dm, "total"))
                lines.append(f"{corpus:<9}{split:<8}{domain:<10}{n:>5}{a.gold:>7}"
                             f"{a.precision:>8.3f}{a.recall:>8.3f}{a.f1:>8.3f}{t.precision:>9.3f}{t.recall:>9.3f}{t.f1:>9.3f}")
    return "\n".join(lines)


def error_lists(docs: Sequence[GoldDoc], mentions: Sequence[list], n: int) -> str:
    """The most frequent missed gold words and spurious system words, of all mentions and of the
    typed ones."""
    lines = []
    for kind in ("all", "typed"):
        missed: Counter[str] = Counter()
        spurious: Counter[str] = Counter()
        for d, ms in zip(docs, mentions, strict=True):
            _, sys_left, gold_left = score_doc(d, ms, typed_only=kind == "typed")
            missed.update(d.text[s:e].lower() for s, e in gold_left)
            spurious.update(d.text[s:e].lower() for s, e in sys_left)
        lines.append(f"missed ({kind}): " + ", ".join(f"{w} {c}" for w, c in missed.most_common(n)))
        lines.append(f"spurious ({kind}): " + ", ".join(f"{w} {c}" for w, c in spurious.most_common(n)))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("tune", "confirm", "all"), default="tune",
                        help="which half to score (confirm only to check what was tuned; default tune)")
    parser.add_argument("--corpus", choices=("timebank", "ecbplus", "all"), default="all")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/news-timeline-event-eval"),
                        help="folder for cached parses")
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent misses and false alarms")
    args = parser.parse_args(argv)

    if not (args.data / "timebank-aquaint").is_dir() or not (args.data / "ecbplus").is_dir():
        parser.error(f"{args.data} must hold timebank-aquaint/ and ecbplus/")
    docs = []
    if args.corpus in ("timebank", "all"):
        docs += load_timebank(args.data)
    if args.corpus in ("ecbplus", "all"):
        docs += load_ecbplus(args.data)
    docs = [d for d in docs if args.split == "all" or d.split == args.split]
    rule = load_domain_rule()
    started = time.perf_counter()
    parsed = parsed_docs(docs, args.cache)
    parsed_at = time.perf_counter()
    mentions = system_mentions(docs, parsed)
    done = time.perf_counter()
    print(f"{len(docs)} documents; parse {parsed_at - started:.1f} s (cached when fast), "
          f"events {done - parsed_at:.1f} s; {sum(map(len, mentions))} mentions")
    print(format_table(evaluate(docs, mentions, rule), docs, rule))
    if args.errors:
        print(error_lists(docs, mentions, args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
