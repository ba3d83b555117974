"""SemEval-2015 Task 4 "TimeLine: Cross-Document Event Ordering" (Minard et al., 2015): build
entity timelines with the project's extractors from raw text, and score them.

    python benchmarks/timeline_eval.py --documents DIR --targets FILE --out DIR [--gold DIR]
                                       [--no-merge] [--compare-merge] [--baseline] [--split tune|confirm|all]

Input: the task's `.tml` documents. Only the raw text of each `<s>` sentence and the DCT are
read; the `EVENT` (and any other) annotations are ignored, as in the task's main track (A).
`--targets` lists one target entity per line; the trial data has no such file, but the first
line of every gold timeline is its target, so `head -qn1 GOLD_DIR/*.txt > targets.txt` makes one.

Output: one timeline per target in the task format, named like the gold files (lower case,
spaces -> `_`, `.txt`): the target on the first line, then `ORDER<TAB>DATE<TAB>EVENT[<TAB>EVENT…]`
with EVENT = `docid-sentenceid-word`. An event belongs to a target's timeline when one of its
actors is the target, by name or alias (`Jobs` for `Steve Jobs`, resolved within the article
by `extractors.actors`, `he`/`she` and "the company"/"it" included), matched as `timeline entity`
matches (`extractors.entity_match`). Dates: where `timeline entity` places an event
(`extractors.entity_timeline.placed_on`): the event's TIMEX3 value cut to the task's
`YYYY[-MM[-DD]]` (an ISO week in the month of its Thursday); an event dated only by its tense or
by a reference value ("recently", "currently") is placed at the DCT (the task anchors reported
events at the article's date); events with no date get ORDER 0 / `XXXX-XX-XX`, and so do
possible, hypothetical and negated events: they did not happen at any date. Like the product's
timeline, a timeline lists the events of the taxonomy (`extractors/resources/event_types.yaml`);
predicates of type `other` stay out unless `--all-predicates` is given. With
`extractors.merge.merge_mentions` available (and no `--no-merge`), mentions of the same event
across documents share one line and the merged entry's date (for an entry dated only by tense,
the publication date it was read from: the earliest article reporting the event; for an entry
dated to a month or year, the earliest report's publication date when it falls inside), unless
a mention's own words date it (`source_placed_on`). Participants stay each mention's own: a
mention belongs to a target's timeline when its own actors name the target.

Split (`--split`, fixed before tuning for issue 16, the same rule as `event_eval.py`'s TimeBank
halves): `tune` = the documents whose CRC-32 of the file name (without `.tml`) is even, `confirm`
= odd; the gold timelines are cut to the events of the split's documents (a line left without
events is dropped; the order of the rest is kept). `all` (the default) reads every document.

Scorer (`--gold`): each timeline becomes temporal relations — every event SIMULTANEOUS with its
date (a node per exact date string; fully unknown dates make no node), events of one ORDER
pairwise SIMULTANEOUS, every event of ORDER k BEFORE every event of the next ORDER; ORDER 0 lines
are ignored. Precision = system relations entailed by the gold graph under transitive closure
(SIMULTANEOUS classes, BEFORE reachability), recall = gold relations entailed by the system
graph; events and dates match only as exact strings. Micro-averaged over timelines. Before
scoring, the scorer checks itself: gold against gold must give 1.0 and perturbed gold less.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import re
import sys
import time
import xml.etree.ElementTree as ET
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.actors import normalize_name  # noqa: E402
from extractors.entity_match import matches  # noqa: E402
from extractors.entity_timeline import placed_on, source_placed_on  # noqa: E402
from extractors.event_lexicon import OTHER_TYPE  # noqa: E402
from extractors.schema import Article, EventDate, EventMention, TimelineEntry  # noqa: E402

UNKNOWN_DATE = "XXXX-XX-XX"


# --- reading the task's documents --------------------------------------------------------------

@dataclass(frozen=True)
class TmlDocument:
    doc_id: str
    dct: dt.date | None
    title: str | None
    body: str
    sentence_ids: tuple[str, ...]
    sentence_starts: tuple[int, ...]
    # Whitespace tokens of the body as (start, end) offsets, in order: the task's "words".
    word_spans: tuple[tuple[int, int], ...]

    def event_id(self, start: int, end: int) -> str | None:
        """`docid-sentenceid-word` for a trigger at body[start:end] (multi-word joined by `_`)."""
        if not self.sentence_starts:
            return None
        k = bisect.bisect_right(self.sentence_starts, start) - 1
        if k < 0:
            return None
        starts = [s for s, _ in self.word_spans]
        i = bisect.bisect_right(starts, start) - 1
        j = bisect.bisect_right(starts, max(start, end - 1)) - 1
        if i < 0 or j < i:
            return None
        # The task writes the words of event ids in lower case ("16900-2-pre-orders" for "Pre-orders").
        words = [self.body[s:e].lower() for s, e in self.word_spans[i:j + 1]]
        return f"{self.doc_id}-{self.sentence_ids[k]}-{'_'.join(words)}"


def read_tml(path: Path) -> TmlDocument:
    root = ET.parse(path).getroot()
    doc_id = (root.findtext("DOCID") or path.stem.split("_")[0].split("-")[0]).strip()
    dct = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            try:
                dct = dt.date.fromisoformat((timex.get("value") or "")[:10])
            except ValueError:
                dct = None
            break
    title = (root.findtext("EXTRAINFO") or "").strip() or None
    text = root.find("TEXT")
    parts: list[str] = []
    ids: list[str] = []
    starts: list[int] = []
    offset = 0
    for s in (text.iter("s") if text is not None else ()):
        # itertext() keeps the words inside annotation tags and drops the tags: raw text only.
        sentence = " ".join("".join(s.itertext()).split())
        if not sentence:
            continue
        ids.append(s.get("id", str(len(ids))))
        starts.append(offset)
        parts.append(sentence)
        offset += len(sentence) + 2
    # A blank line between sentences: the extractor never lets a parse arc cross it.
    body = "\n\n".join(parts)
    words = tuple((m.start(), m.end()) for m in re.finditer(r"\S+", body))
    return TmlDocument(doc_id, dct, title, body, tuple(ids), tuple(starts), words)


def read_timeline(path: Path) -> tuple[str, list[tuple[int, str, tuple[str, ...]]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    target = lines[0].strip() if lines else path.stem
    rows = []
    for line in lines[1:]:
        cells = line.rstrip("\n").split("\t")
        if len(cells) < 3 or not cells[0].strip().lstrip("-").isdigit():
            continue
        rows.append((int(cells[0]), cells[1].strip(), tuple(c.strip() for c in cells[2:] if c.strip())))
    return target, rows


def timeline_file_name(target: str) -> str:
    return target.strip().lower().replace(" ", "_") + ".txt"


# --- the scorer --------------------------------------------------------------------------------

Relation = tuple[str, str, str]  # (a, "SIMULTANEOUS" | "BEFORE", b); SIMULTANEOUS with a < b


def timeline_relations(rows: Iterable[tuple[int, str, Sequence[str]]]) -> set[Relation]:
    by_order: dict[int, list[str]] = defaultdict(list)
    rels: set[Relation] = set()
    for order, date, events in rows:
        if order <= 0:
            continue
        date_node = f"DATE:{date}" if re.search(r"\d", date) else None
        for e in events:
            by_order[order].append(e)
            if date_node:
                rels.add(_sim(e, date_node))
    orders = sorted(by_order)
    for order in orders:
        group = sorted(set(by_order[order]))
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                rels.add(_sim(a, b))
    for k, nxt in zip(orders, orders[1:], strict=False):
        for a in set(by_order[k]):
            for b in set(by_order[nxt]):
                if a != b:
                    rels.add((a, "BEFORE", b))
    return rels


def _sim(a: str, b: str) -> Relation:
    return (a, "SIMULTANEOUS", b) if a <= b else (b, "SIMULTANEOUS", a)


class Closure:
    """Transitive closure of SIMULTANEOUS (equivalence) and BEFORE (order between classes)."""

    def __init__(self, relations: Iterable[Relation]) -> None:
        rels = list(relations)
        self.parent: dict[str, str] = {}
        for a, rel, b in rels:
            self._add(a)
            self._add(b)
            if rel == "SIMULTANEOUS":
                self._union(a, b)
        edges: dict[str, set[str]] = defaultdict(set)
        for a, rel, b in rels:
            if rel == "BEFORE":
                edges[self.find(a)].add(self.find(b))
        self.after: dict[str, set[str]] = {}
        for node in {self.find(n) for n in self.parent}:
            seen: set[str] = set()
            stack = list(edges.get(node, ()))
            while stack:
                cur = stack.pop()
                if cur in seen:
                    continue
                seen.add(cur)
                stack.extend(edges.get(cur, ()))
            self.after[node] = seen

    def _add(self, n: str) -> None:
        self.parent.setdefault(n, n)

    def find(self, n: str) -> str:
        root = n
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[n] != root:
            self.parent[n], n = root, self.parent[n]
        return root

    def _union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def entails(self, relation: Relation) -> bool:
        a, rel, b = relation
        if a not in self.parent or b not in self.parent:
            return False
        ra, rb = self.find(a), self.find(b)
        if rel == "SIMULTANEOUS":
            return ra == rb
        return rb in self.after.get(ra, ())


@dataclass(frozen=True)
class Score:
    target: str
    sys_relations: int
    gold_relations: int
    sys_entailed: int
    gold_entailed: int

    @property
    def precision(self) -> float:
        return self.sys_entailed / self.sys_relations if self.sys_relations else 0.0

    @property
    def recall(self) -> float:
        return self.gold_entailed / self.gold_relations if self.gold_relations else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_timeline(target: str, system_rows: Sequence[tuple[int, str, Sequence[str]]],
                   gold_rows: Sequence[tuple[int, str, Sequence[str]]]) -> Score:
    sys_rel = timeline_relations(system_rows)
    gold_rel = timeline_relations(gold_rows)
    gold_closure, sys_closure = Closure(gold_rel), Closure(sys_rel)
    return Score(target, len(sys_rel), len(gold_rel),
                 sum(gold_closure.entails(r) for r in sys_rel), sum(sys_closure.entails(r) for r in gold_rel))


def micro(scores: Sequence[Score]) -> Score:
    return Score("micro", sum(s.sys_relations for s in scores), sum(s.gold_relations for s in scores),
                 sum(s.sys_entailed for s in scores), sum(s.gold_entailed for s in scores))


def document_split(path: Path) -> str:
    """"tune" or "confirm": the half of the development split a `.tml` document belongs to."""
    return "tune" if zlib.crc32(path.stem.encode()) % 2 == 0 else "confirm"


def restrict_rows(rows: Sequence[tuple[int, str, tuple[str, ...]]],
                  doc_ids: frozenset[str]) -> list[tuple[int, str, tuple[str, ...]]]:
    """The lines of a timeline with only the events of `doc_ids` (event ids start `docid-`)."""
    kept = [(o, d, tuple(e for e in evs if e.split("-", 1)[0] in doc_ids)) for o, d, evs in rows]
    return [row for row in kept if row[2]]


def score_dirs(system_dir: Path, gold_dir: Path, doc_ids: frozenset[str] | None = None) -> list[Score]:
    """`doc_ids`: score against the gold's events of these documents only (a split)."""
    scores = []
    for gold_path in sorted(gold_dir.glob("*.txt")):
        target, gold_rows = read_timeline(gold_path)
        if doc_ids is not None:
            gold_rows = restrict_rows(gold_rows, doc_ids)
        sys_path = system_dir / gold_path.name
        sys_rows = read_timeline(sys_path)[1] if sys_path.exists() else []
        scores.append(score_timeline(target, sys_rows, gold_rows))
    return scores


def perturbations(rows: Sequence[tuple[int, str, tuple[str, ...]]]) -> dict[str, list[tuple[int, str, tuple[str, ...]]]]:
    """Gold timelines with one kind of damage each; the scorer must rate each below 1."""
    dated = [r for r in rows if r[0] > 0]
    out: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
    if len(dated) >= 2:
        out["drop last event line"] = list(rows[:-1]) if rows[-1][0] > 0 else [r for r in rows if r != dated[-1]]
        top = max(r[0] for r in dated)
        out["reverse order"] = [(top + 1 - o if o > 0 else 0, d, e) for o, d, e in rows]
        out["shift dates by a year"] = [(o, _shift_year(d), e) for o, d, e in rows]
        out["everything simultaneous"] = [(1 if o > 0 else 0, d, e) for o, d, e in rows]
    return out


def _shift_year(date: str) -> str:
    return re.sub(r"^\d{4}", lambda m: str(int(m.group()) + 1), date)


def check_scorer(gold_dir: Path) -> list[str]:
    """Problems found when scoring gold against itself and against perturbed gold (empty = sound)."""
    problems: list[str] = []
    for path in sorted(gold_dir.glob("*.txt")):
        target, rows = read_timeline(path)
        s = score_timeline(target, rows, rows)
        if s.gold_relations and (s.precision != 1.0 or s.recall != 1.0):
            problems.append(f"{target}: gold vs gold P={s.precision:.3f} R={s.recall:.3f}")
        for name, damaged in perturbations(rows).items():
            d = score_timeline(target, damaged, rows)
            if d.f1 >= 1.0:
                problems.append(f"{target}: '{name}' still scores F1=1.0")
    return problems


# --- building system timelines -----------------------------------------------------------------

def target_matches(target: str, actor: str) -> bool:
    """Whether an actor names the target: the product's entity matching (`extractors.entity_match`:
    same name, an alias, the target's surname "Jobs", a shorter form that keeps its head
    "Apple Corps" for "Beatles Apple Corps", a longer form with the same first and last word
    "iTunes Music Store" for "iTunes Store", initials "GM" for "General Motors")."""
    return matches(target, actor)


def task_date(date: EventDate, dct: dt.date | None, tense_at_dct: bool = True) -> str | None:
    """The task's date string for an event date, or None when it cannot be placed: where the
    product's entity timeline places it (`extractors.entity_timeline.placed_on`); with
    `tense_at_dct` False, events with only a side of the publication date stay unplaced."""
    if not tense_at_dct and (date.value or "").endswith("_REF"):
        return None
    return placed_on(date.value, date.start, date.end, date.basis, dct)


@dataclass(frozen=True)
class Extracted:
    documents: dict[str, TmlDocument]
    mentions: tuple[EventMention, ...]


def extract_all(documents: Sequence[TmlDocument]) -> Extracted:
    from extractors.events import extract_events
    from extractors.nlp import load_nlp
    from extractors.timex import tag_timexes

    nlp = load_nlp()
    mentions: list[EventMention] = []
    for tml, doc in zip(documents, nlp.pipe(d.body for d in documents), strict=True):
        article = Article(doc_id=tml.doc_id, path=tml.doc_id, body=tml.body, title=tml.title,
                          publication_date=tml.dct, publication_date_source="metadata" if tml.dct else "none")
        timexes = tag_timexes(tml.body, tml.dct, doc=doc)
        mentions.extend(extract_events(article, doc, timexes))
    return Extracted({d.doc_id: d for d in documents}, tuple(mentions))


def merged_entries(mentions: Sequence[EventMention]) -> dict[tuple[str, int], TimelineEntry]:
    """(doc_id, trigger_start) -> the merged entry holding that mention, when the merger is available."""
    try:
        from extractors.merge import merge_mentions
    except ImportError:
        return {}
    return {(source.doc_id, source.start): entry for entry in merge_mentions(mentions) for source in entry.sources}


UNPLACED_MODALITIES = frozenset({"possible", "hypothetical", "negated"})


def build_timelines(targets: Sequence[str], extracted: Extracted, merge: bool, tense_at_dct: bool = True,
                    all_predicates: bool = False) -> dict[str, list[tuple[int, str, tuple[str, ...]]]]:
    entries = merged_entries(extracted.mentions) if merge else {}
    by_key = {(m.doc_id, m.trigger_start): m for m in extracted.mentions}
    reported: dict[str, list[dt.date]] = defaultdict(list)
    for key, entry in entries.items():
        if key in by_key:
            m = by_key[key]
            if m.date.basis == "tense" and m.date.end is not None:
                reported[entry.id].append(m.date.end)
    timelines: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
    for target in targets:
        lines: dict[tuple[str, str], set[str]] = defaultdict(set)
        for m in extracted.mentions:
            if m.type == OTHER_TYPE and not all_predicates:
                continue
            key = (m.doc_id, m.trigger_start)
            entry = entries.get(key)
            # A mention belongs to the target's timeline when its own participants name the target,
            # as the task's annotators read each sentence: merging gives it its entry's date and
            # line, not the participants other articles name ("The first lawsuit was settled in
            # 1981" does not name Apple Corps; taking the entry's cost the tuning half 0.055 merged).
            if not any(target_matches(target, a) for a in m.actors):
                continue
            tml = extracted.documents[m.doc_id]
            event = tml.event_id(m.trigger_start, m.trigger_end)
            if event is None:
                continue
            if entry is not None:
                # A member of a merged entry takes the entry's date, including the publication date
                # that anchors a tense-only one (the earliest article reporting the event), unless
                # its own words date it.
                anchor = entry.date.end or entry.date.start or tml.dct
                date = task_date(entry.date, anchor, tense_at_dct)
                first_report = min(reported[entry.id], default=None)
                if (tense_at_dct and first_report is not None and entry.date.start is not None
                        and entry.date.end is not None and entry.date.start <= first_report < entry.date.end):
                    # "Since January" in one article, "has taken leave" in one of 17 January: the
                    # task places an event reported as past at the date of its (earliest) report,
                    # and that date lies within the month the other article gives.
                    date = first_report.isoformat()
                # A source whose own words date it keeps that date, as `timeline entity` shows it.
                date = source_placed_on(m.timex_value, date)
            else:
                date = task_date(m.date, tml.dct, tense_at_dct)
            if m.modality in UNPLACED_MODALITIES:
                date = None
            group = entry.id if entry is not None else event
            lines[(date or UNKNOWN_DATE, group)].add(event)
        timelines[target] = _ordered(lines)
    return timelines


def _ordered(lines: dict[tuple[str, str], set[str]]) -> list[tuple[int, str, tuple[str, ...]]]:
    dated = sorted({d for d, _ in lines if d != UNKNOWN_DATE})
    order = {d: k + 1 for k, d in enumerate(dated)}
    rows = [(order.get(d, 0), d, tuple(sorted(events))) for (d, _), events in lines.items()]
    # An event already on a dated line is not repeated on an undated one.
    placed = {e for o, _, evs in rows if o > 0 for e in evs}
    rows = [(o, d, tuple(e for e in evs if o > 0 or e not in placed)) for o, d, evs in rows]
    return sorted((r for r in rows if r[2]), key=lambda r: (r[0], r[1], r[2]))


def baseline_timelines(targets: Sequence[str], documents: Sequence[TmlDocument]) -> dict[str, list[tuple[int, str, tuple[str, ...]]]]:
    """The issue's trivial baseline: every verb of a sentence naming the target, at the DCT."""
    from extractors.nlp import load_nlp

    nlp = load_nlp()
    timelines: dict[str, dict[str, set[str]]] = {t: defaultdict(set) for t in targets}
    for tml, doc in zip(documents, nlp.pipe(d.body for d in documents), strict=True):
        for sent in doc.sents:
            text = normalize_name(sent.text)
            for target in targets:
                if f" {normalize_name(target)} " not in f" {text} ":
                    continue
                for tok in sent:
                    if tok.pos_ == "VERB":
                        ev = tml.event_id(tok.idx, tok.idx + len(tok.text))
                        if ev:
                            timelines[target][tml.dct.isoformat() if tml.dct else UNKNOWN_DATE].add(ev)
    out = {}
    for target, by_date in timelines.items():
        out[target] = _ordered({(d, d): evs for d, evs in by_date.items()})
    return out


def write_timelines(timelines: dict[str, list[tuple[int, str, tuple[str, ...]]]], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for target, rows in timelines.items():
        text = target + "\n" + "".join(f"{o}\t{d}\t" + "\t".join(evs) + "\n" for o, d, evs in rows)
        (out_dir / timeline_file_name(target)).write_text(text, encoding="utf-8")


# --- reporting ---------------------------------------------------------------------------------

def format_table(title: str, scores: Sequence[Score]) -> str:
    lines = [title, f"{'timeline':<22}{'sys rel':>8}{'gold rel':>9}{'P':>8}{'R':>8}{'F1':>8}"]
    for s in [*scores, micro(scores)]:
        lines.append(f"{s.target:<22}{s.sys_relations:>8}{s.gold_relations:>9}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", required=True, type=Path, help="folder of .tml documents")
    parser.add_argument("--targets", required=True, type=Path,
                        help="one target entity per line (`head -qn1 GOLD/*.txt` makes one from gold timelines)")
    parser.add_argument("--out", required=True, type=Path, help="folder for the system timelines")
    parser.add_argument("--gold", type=Path, help="folder of gold timelines: score against them")
    parser.add_argument("--no-merge", action="store_true", help="do not merge mentions across documents")
    parser.add_argument("--compare-merge", action="store_true", help="score both merged and unmerged output")
    parser.add_argument("--baseline", action="store_true", help="also score the every-verb-at-DCT baseline")
    parser.add_argument("--all-predicates", action="store_true",
                        help="also place predicates outside the event taxonomy (type `other`)")
    parser.add_argument("--split", choices=("tune", "confirm", "all"), default="all",
                        help="read only one half of the documents and score against their gold events")
    args = parser.parse_args(argv)

    if not args.documents.is_dir():
        parser.error(f"--documents {args.documents} is not a folder")
    targets = [line.strip() for line in args.targets.read_text(encoding="utf-8").splitlines() if line.strip()]
    paths = sorted(args.documents.glob("*.tml"))
    if not paths:
        parser.error(f"no .tml files in {args.documents}")
    paths = [p for p in paths if args.split == "all" or document_split(p) == args.split]
    documents = [read_tml(p) for p in paths]
    doc_ids = None if args.split == "all" else frozenset(d.doc_id for d in documents)

    started = time.perf_counter()
    extracted = extract_all(documents)
    elapsed = time.perf_counter() - started
    print(f"split {args.split}: {len(documents)} documents, {len(extracted.mentions)} event mentions, {len(targets)} targets "
          f"({elapsed:.1f} s extraction)")

    variants: list[tuple[str, bool]]
    if args.compare_merge:
        variants = [("unmerged", False), ("merged", True)]
    else:
        variants = [("unmerged" if args.no_merge else "merged", not args.no_merge)]
    try:
        import extractors.merge  # noqa: F401
    except ImportError:
        variants = [(name if not merge else "merged (merger unavailable: unmerged)", False) for name, merge in variants]

    if args.gold:
        problems = check_scorer(args.gold)
        print("scorer self-check:", "gold vs gold = 1.0, every perturbation < 1.0" if not problems else problems)
    for name, merge in variants:
        timelines = build_timelines(targets, extracted, merge, all_predicates=args.all_predicates)
        out = args.out if len(variants) == 1 else args.out / name.split()[0]
        write_timelines(timelines, out)
        print(f"wrote {len(timelines)} timelines to {out}")
        if args.gold:
            print(format_table(f"\nSemEval-2015 Task 4 trial ({args.split}), {name}", score_dirs(out, args.gold, doc_ids)))
    if args.baseline:
        out = args.out / "baseline"
        write_timelines(baseline_timelines(targets, documents), out)
        if args.gold:
            print(format_table("\nbaseline: every verb of a sentence naming the target, at the DCT",
                               score_dirs(out, args.gold, doc_ids)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
