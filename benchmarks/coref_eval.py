"""Event coreference on ECB+: does merging put the same real event's mentions in one entry, and
keep look-alikes (two rehab check-ins, two earthquakes) apart?

    python benchmarks/coref_eval.py [--data ../shared/data/ecbplus] [--topics 1-20] [--split tune|confirm|all]
                                    [--cache DIR] [--remerge] [--refresh]

Per topic folder, the real CLI (`timeline run`) runs over the topic's articles (`.txt` and their
`.meta.json` sidecars, linked into a folder of their own so `gold.jsonl` is not read as a feed);
every source of every entry of its `timeline.json` is a predicted mention (the entry is its
cluster). Its span (the trigger's offsets in the body, mapped back to the `.txt`) is matched one to
one to the gold mention it overlaps most. Only mentions on the lines the corpus authors validated
(`validated.json`) are scored, on both sides, as is standard. The topics' clusters are scored
together (a cluster never spans topics).

Scores, as the CoNLL-2012 reference scorer defines them with predicted mentions (a mention not
matched counts against precision or recall): mention identification P/R/F1, MUC, B-cubed, CEAF-e
and CoNLL F1 (their F1 mean), with singletons and without them (singleton clusters removed from
key and response). In the same run two baselines: mentions grouped by the lemma of their head
word, on the gold mentions and on the project's own predicted mentions.

Outputs of the CLI are cached per topic under `--cache` (default `/tmp/coref_eval`), keyed by a
fingerprint of the project's code and resources, so re-running costs nothing until the code
changes. `--remerge` is the tuning loop: it runs load, extraction (mentions cached per topic,
keyed by the extraction code only), publication-date estimation and merging in this process
without Prefect, so a change to merging is re-scored in seconds; the figures to report come from
the CLI (the default). `--remerge --learned` merges with the learned scorer (merge.yaml
`learned_scorer: true`) instead of the default rules.

Splits (fixed before looking at any result): `tune` = topics 1-20, `confirm` = topics 21-35.
Topics 36-45 are the maintainers' held-out set and are not here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SPLITS = {"tune": "1-20", "confirm": "21-35", "all": "1-35"}
# Files of extraction whose change invalidates cached mentions (`--remerge`); the rest (merging,
# salience, headlines, names shared with merging are re-run anyway).
MERGE_SIDE = ("merge", "salience", "headline", "names")

Mention = tuple[str, int, int]  # doc, start, end in the .txt


@dataclass(frozen=True)
class Gold:
    mention: Mention
    text: str
    cluster: str


# --- scoring ---------------------------------------------------------------------------------

def muc(key: Sequence[set[object]], response: Sequence[set[object]]) -> tuple[float, float]:
    """(recall numerator, denominator): partitions of each key cluster by the response."""
    where = {m: k for k, c in enumerate(response) for m in c}
    num = den = 0
    for cluster in key:
        parts = {where.get(m, ("alone", m)) for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num, den


def b_cubed(key: Sequence[set[object]], response: Sequence[set[object]]) -> tuple[float, float]:
    where = {m: k for k, c in enumerate(response) for m in c}
    num = 0.0
    den = 0
    for cluster in key:
        overlap: dict[int, int] = defaultdict(int)
        for m in cluster:
            if m in where:
                overlap[where[m]] += 1
        num += sum(n * n for n in overlap.values()) / len(cluster)
        den += len(cluster)
    return num, den


def ceaf_e(key: Sequence[set[object]], response: Sequence[set[object]]) -> tuple[float, float, float]:
    """(similarity of the best one-to-one cluster alignment, |key|, |response|)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    if not key or not response:
        return 0.0, len(key), len(response)
    where = {m: k for k, c in enumerate(response) for m in c}
    sim = np.zeros((len(key), len(response)))
    for i, cluster in enumerate(key):
        for m in cluster:
            if m in where:
                j = where[m]
                sim[i, j] += 1
    sizes_k = np.array([len(c) for c in key], dtype=float)[:, None]
    sizes_r = np.array([len(c) for c in response], dtype=float)[None, :]
    sim = 2 * sim / (sizes_k + sizes_r)
    rows, cols = linear_sum_assignment(-sim)
    return float(sim[rows, cols].sum()), len(key), len(response)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(key: Sequence[set[object]], response: Sequence[set[object]]) -> dict[str, float]:
    """MUC, B3, CEAF-e P/R/F1 and CoNLL F1 (percent)."""
    out: dict[str, float] = {}
    rn, rd = muc(key, response)
    pn, pd_ = muc(response, key)
    out["muc"] = _f1(pn / pd_ if pd_ else 0.0, rn / rd if rd else 0.0)
    rn, rd = b_cubed(key, response)
    pn, pd_ = b_cubed(response, key)
    out["b3"] = _f1(pn / pd_ if pd_ else 0.0, rn / rd if rd else 0.0)
    s, nk, nr = ceaf_e(key, response)
    out["ceafe"] = _f1(s / nr if nr else 0.0, s / nk if nk else 0.0)
    out["conll"] = (out["muc"] + out["b3"] + out["ceafe"]) / 3
    return {k: 100 * v for k, v in out.items()}


def without_singletons(clusters: Iterable[set[object]]) -> list[set[object]]:
    return [c for c in clusters if len(c) > 1]


# --- data --------------------------------------------------------------------------------------

def parse_topics(spec: str) -> list[int]:
    topics: list[int] = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        topics.extend(range(int(lo), int(hi or lo) + 1))
    return topics


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def read_topic(folder: Path) -> tuple[dict[str, str], dict[str, set[int]], list[Gold]]:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
    validated = {doc: set(lines) for doc, lines in json.loads((folder / "validated.json").read_text()).items()}
    gold = []
    for raw in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(raw)
        if g["line"] in validated.get(g["doc"], ()):
            gold.append(Gold((g["doc"], g["start"], g["end"]), g["text"], f"{folder.name}/{g['cluster']}"))
    return texts, validated, gold


def code_fingerprint(exclude: Sequence[str] = ()) -> str:
    digest = hashlib.sha256()
    for base in ("extractors", "flows"):
        for path in sorted((ROOT / base).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".yaml", ".json", ".tsv", ".txt", ".html", ".js", ".css"}:
                if any(word in str(path.relative_to(ROOT / base)) for word in exclude):
                    continue
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def body_offset(text: str, body: str) -> int | None:
    """Where the loaded body starts in the file's text (the loader strips and cleans)."""
    if text == body:
        return 0
    at = text.find(body)
    return at if at >= 0 else None


# --- predictions ---------------------------------------------------------------------------------

Predicted = list[tuple[Mention, str]]  # (mention in .txt coordinates, its entry)


def predicted_from_entries(entries: Iterable[tuple[str, Iterable[tuple[str, int, int]]]],
                           bodies: dict[str, str], texts: dict[str, str]) -> tuple[Predicted, int]:
    """Each (entry id, sources as (doc, start, end) in body offsets) to .txt coordinates; and how
    many sources could not be placed."""
    shift = {doc: body_offset(texts[doc], body) for doc, body in bodies.items() if doc in texts}
    out: Predicted = []
    seen: set[Mention] = set()
    lost = 0
    for entry_id, sources in entries:
        for doc, start, end in sources:
            offset = shift.get(doc)
            if offset is None:
                lost += 1
                continue
            mention = (doc, start + offset, end + offset)
            if mention not in seen:
                seen.add(mention)
                out.append((mention, entry_id))
    return out, lost


def run_cli(topic_dir: Path, out: Path) -> None:
    articles = out / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for path in topic_dir.iterdir():
        if path.suffix == ".txt" or path.name.endswith(".meta.json"):
            # Copies, not symbolic links: the CLI does not follow links out of its source folder.
            copy = articles / path.name
            if copy.is_symlink():
                copy.unlink()
            if not copy.exists():
                shutil.copyfile(path, copy)
    # The CLI of this checkout (`timeline run`), also when the installed entry point is another's.
    command = [sys.executable, "-m", "flows.cli", "run", str(articles), "--output", str(out / "output"),
               "--cache-dir", str(out / "cache")]
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"timeline run failed on {topic_dir}: {done.stderr[-2000:]}")


def cli_predictions(topic_dir: Path, cache: Path, texts: dict[str, str], refresh: bool) -> tuple[Predicted, int]:
    out = cache / "cli" / topic_dir.name
    stamp = out / "stamp"
    fingerprint = code_fingerprint()
    if refresh or not stamp.exists() or stamp.read_text() != fingerprint:
        run_cli(topic_dir, out)
        stamp.write_text(fingerprint)
    timeline = json.loads((out / "output" / "timeline.json").read_text(encoding="utf-8"))
    bodies = {}
    for raw in (out / "output" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(raw)
        bodies[record["doc_id"]] = record["body"]
    entries = [(e["id"], [(s["doc_id"], s["start"], s["end"]) for s in e["sources"]]) for e in timeline["events"]]
    return predicted_from_entries(entries, bodies, texts)


def _mentions_in_process(topic_dir: Path, cache: Path) -> tuple[list[object], dict[str, str]]:
    from extractors.date_binding import DateFreeExtraction, bind_publication_date
    from extractors.inputs import discover_inputs, read_inputs, with_unique_ids
    from extractors.pipeline import extract_batch_safely
    from extractors.schema import Article
    from flows.build_timeline import _dedupe, redate_estimated

    path = cache / "mentions" / f"{topic_dir.name}-{code_fingerprint(exclude=MERGE_SIDE)}.pickle"
    if path.exists():
        with path.open("rb") as handle:
            return pickle.load(handle)  # type: ignore[no-any-return]
    items = [i for i in discover_inputs(topic_dir) if not i.path.endswith((".jsonl", ".json"))]
    loaded = with_unique_ids([r for item in items for r in read_inputs(item)])
    articles, _ = _dedupe([r for r in loaded if isinstance(r, Article)])
    found = {r.doc_id: r for r in extract_batch_safely(articles) if isinstance(r, DateFreeExtraction)}
    extractions = redate_estimated([bind_publication_date(a, found[a.doc_id]) for a in articles if a.doc_id in found],
                                   found)
    result = ([m for x in extractions for m in x.mentions], {x.article.doc_id: x.article.body for x in extractions})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        pickle.dump(result, handle)
    return result


def in_process_predictions(topic_dir: Path, cache: Path, texts: dict[str, str],
                           learned: bool = False) -> tuple[Predicted, int, list[object]]:
    import dataclasses

    from extractors.merge import load_settings, merge_mentions

    mentions, bodies = _mentions_in_process(topic_dir, cache)
    settings = dataclasses.replace(load_settings(), learned_scorer=True) if learned else None
    entries = merge_mentions(mentions, settings=settings)  # type: ignore[arg-type]
    pairs = [(e.id, [(s.doc_id, s.start, s.end) for s in e.sources]) for e in entries]
    predicted, lost = predicted_from_entries(pairs, bodies, texts)
    return predicted, lost, mentions


# --- matching and baselines ----------------------------------------------------------------------

def match(predicted: Predicted, gold: Sequence[Gold]) -> dict[Mention, Mention]:
    """Predicted mention -> the gold mention it overlaps most (one to one, largest overlaps first)."""
    by_doc: dict[str, list[Gold]] = defaultdict(list)
    for g in gold:
        by_doc[g.mention[0]].append(g)
    candidates = []
    for mention, _ in predicted:
        doc, start, end = mention
        for g in by_doc.get(doc, ()):
            overlap = min(end, g.mention[2]) - max(start, g.mention[1])
            if overlap > 0:
                candidates.append((-overlap, mention, g.mention))
    taken_p: dict[Mention, Mention] = {}
    taken_g: set[Mention] = set()
    for _, p, g in sorted(candidates):
        if p not in taken_p and g not in taken_g:
            taken_p[p] = g
            taken_g.add(g)
    return taken_p


_LEMMAS: dict[str, str] = {}


def head_lemmas(texts: Iterable[str]) -> dict[str, str]:
    """Lemma of the syntactic head of each short mention text (parsed alone)."""
    from extractors.nlp import load_nlp

    todo = sorted({t for t in texts if t not in _LEMMAS})
    if todo:
        nlp = load_nlp()
        for text, doc in zip(todo, nlp.pipe(todo, batch_size=256), strict=True):
            roots = [t for t in doc if t.head == t] or list(doc)
            _LEMMAS[text] = (roots[0].lemma_ or roots[0].text).lower() if roots else text.lower()
    return _LEMMAS


@dataclass
class TopicResult:
    key: list[set[object]]
    response: list[set[object]]
    gold_lemma: list[set[object]]
    own_lemma: list[set[object]]
    predicted: int
    gold: int
    matched: int
    lost: int


def evaluate_topic(topic: str, texts: dict[str, str], validated: dict[str, set[int]], gold: Sequence[Gold],
                   predicted: Predicted, lost: int) -> TopicResult:
    predicted = [(m, e) for m, e in predicted if m[0] in texts and line_of(texts[m[0]], m[1]) in validated.get(m[0], ())]
    matched = match(predicted, gold)

    def ident(m: Mention) -> object:
        return matched.get(m, ("predicted",) + m)

    key: dict[str, set[object]] = defaultdict(set)
    for g in gold:
        key[g.cluster].add(g.mention)
    response: dict[str, set[object]] = defaultdict(set)
    for m, entry in predicted:
        response[entry].add(ident(m))
    lemmas = head_lemmas([g.text for g in gold] + [texts[m[0]][m[1]:m[2]] for m, _ in predicted])
    gold_lemma: dict[str, set[object]] = defaultdict(set)
    for g in gold:
        gold_lemma[lemmas[g.text]].add(g.mention)
    own_lemma: dict[str, set[object]] = defaultdict(set)
    for m, _ in predicted:
        own_lemma[lemmas[texts[m[0]][m[1]:m[2]]]].add(ident(m))
    return TopicResult(list(key.values()), list(response.values()), list(gold_lemma.values()), list(own_lemma.values()),
                       len(predicted), len(gold), len(matched), lost)


def table(results: Sequence[TopicResult], title: str) -> str:
    predicted = sum(r.predicted for r in results)
    gold = sum(r.gold for r in results)
    matched = sum(r.matched for r in results)
    key = [c for r in results for c in r.key]
    rows = [("ours (timeline entries)", [c for r in results for c in r.response], predicted, matched),
            ("same lemma, our mentions", [c for r in results for c in r.own_lemma], predicted, matched),
            ("same lemma, gold mentions", [c for r in results for c in r.gold_lemma], gold, gold)]
    lines = [f"### {title}: {len(results)} topics, {gold} gold mentions on validated lines, "
             f"{predicted} predicted ({sum(r.lost for r in results)} sources not placed)", "",
             "| system | mention P | mention R | mention F1 | MUC | B3 | CEAF-e | **CoNLL** | MUC −s | B3 −s | CEAF-e −s | **CoNLL −s** |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, response, n_pred, n_match in rows:
        p = 100 * n_match / n_pred if n_pred else 0.0
        r = 100 * n_match / gold if gold else 0.0
        with_s = score(key, response)
        without = score(without_singletons(key), without_singletons(response))
        lines.append(f"| {name} | {p:.1f} | {r:.1f} | {_f1(p, r):.1f} | {with_s['muc']:.1f} | {with_s['b3']:.1f} | "
                     f"{with_s['ceafe']:.1f} | **{with_s['conll']:.1f}** | {without['muc']:.1f} | {without['b3']:.1f} | "
                     f"{without['ceafe']:.1f} | **{without['conll']:.1f}** |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ecbplus")
    parser.add_argument("--split", choices=sorted(SPLITS), default="tune")
    parser.add_argument("--topics", help="topic numbers, e.g. 1-5,8 (overrides --split)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/coref_eval"))
    parser.add_argument("--remerge", action="store_true", help="merge in this process (tuning); not the CLI")
    parser.add_argument("--learned", action="store_true",
                        help="with --remerge: merge with the learned scorer (merge.yaml learned_scorer: true)")
    parser.add_argument("--refresh", action="store_true", help="run the CLI again even when cached")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"ECB+ data not found at {args.data}; nothing to score.")
        return 0
    topics = parse_topics(args.topics or SPLITS[args.split])
    results = []
    for topic in topics:
        folder = args.data / str(topic)
        if not folder.is_dir():
            continue
        texts, validated, gold = read_topic(folder)
        if args.remerge:
            predicted, lost, _ = in_process_predictions(folder, args.cache, texts, args.learned)
        else:
            predicted, lost = cli_predictions(folder, args.cache, texts, args.refresh)
        results.append(evaluate_topic(str(topic), texts, validated, gold, predicted, lost))
        print(f"topic {topic}: {results[-1].predicted} predicted, {results[-1].matched} matched, "
              f"{len(results[-1].response)} entries", file=sys.stderr, flush=True)
    mode = "in-process merge (tuning)" if args.remerge else "timeline run (CLI)"
    if args.remerge and args.learned:
        mode += ", learned scorer"
    print(table(results, f"ECB+ topics {args.topics or SPLITS[args.split]}, {mode}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
