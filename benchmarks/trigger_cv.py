"""How the learned trigger models carry to topics they were not trained on, inside the tuning half.

    python benchmarks/trigger_cv.py [--folds 5] [--l2 1e-4 ...] [--drop KIND,...] [--misses 30]

The noun and predicate models (`train_noun_triggers.py`, `train_predicate_triggers.py`) are fitted
on the tuning half and scored on it: that says nothing about a topic whose vocabulary they never
saw. Here the tuning documents are cut into folds by topic (ECB+: a topic's documents stay
together; TimeBank+AQUAINT: by document), each model is fitted on the other folds and scored on
the one left out, and the held-out decisions of all folds are pooled. Rows: every candidate, and
the **unseen** ones, whose lemma the training folds never held (what a new domain looks like).
The threshold is picked once on the pooled held-out scores (the same rule for every variant
compared). `--drop lemma,suf3` removes feature kinds (to measure what each kind gives); several
`--l2` values pick the regularization. `--misses N` lists the unseen lemmas missed most often.
Reads the tuning documents only; the confirming half is never loaded.
"""

from __future__ import annotations

import argparse
import sys
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import event_eval  # noqa: E402
import train_noun_triggers as nouns  # noqa: E402
import train_predicate_triggers as predicates  # noqa: E402


def fold_of(name: str, corpus: str, k: int) -> int:
    """ECB+ documents fold by topic ("12_3ecb" is topic 12), the others by document."""
    if corpus == "ecbplus":
        return int(name.split("_", 1)[0]) % k
    return zlib.crc32(name.encode()) % k


def kept(features: list[str], drop: frozenset[str]) -> list[str]:
    return [f for f in features if f.split("=", 1)[0] not in drop] if drop else features


def lemma_of(features: list[str]) -> str:
    return next(f.split("=", 1)[1] for f in features if f.startswith("lemma="))


def held_out_probabilities(feats: list[list[str]], labels: np.ndarray, folds: np.ndarray, l2: float,
                           drop: frozenset[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """(held-out probability, lemma unseen in the training folds) of every example."""
    prob = np.zeros(len(feats))
    unseen = np.zeros(len(feats), dtype=bool)
    lemmas = [lemma_of(f) for f in feats]
    for fold in range(k):
        train_idx = np.flatnonzero(folds != fold)
        held_idx = np.flatnonzero(folds == fold)
        weights, bias = nouns.train([kept(feats[i], drop) for i in train_idx], list(labels[train_idx]), l2)
        prob[held_idx] = nouns.predict(weights, bias, [kept(feats[i], drop) for i in held_idx])
        seen = {lemmas[i] for i in train_idx}
        unseen[held_idx] = [lemmas[i] not in seen for i in held_idx]
    return prob, unseen


def decision(prob: np.ndarray, rules, typed, threshold: float, veto: float) -> np.ndarray:
    """The noun model's decision (no rules) or the predicate model's beside the rules."""
    return prob >= threshold if rules is None else predicates.decide(prob, rules, typed, threshold, veto)


def row(name: str, pred: np.ndarray, labels: np.ndarray) -> str:
    p, r, f = nouns.scores(pred, labels)
    return f"| {name} | {int(labels.sum())} | {int(pred.sum())} | {p:.3f} | {r:.3f} | {f:.3f} |"


def cross_validate(model: str, feats, labels, corpus, folds, rules, typed, args, drop) -> list[str]:
    out = []
    best = None
    for l2 in args.l2:
        prob, unseen = held_out_probabilities(feats, labels, folds, l2, drop, args.folds)
        if model == "noun":
            grid = [(round(float(t), 2), 1.0) for t in np.arange(0.2, 0.8, 0.05)]
        else:
            grid = [(round(float(t), 2), round(float(v), 2)) for t in np.arange(0.3, 0.9, 0.05)
                    for v in np.arange(0.0, 0.5, 0.05) if v <= t]
        f1, t, v = max((nouns.scores(decision(prob, rules, typed, t, v), labels)[2], t, v) for t, v in grid)
        pred = decision(prob, rules, typed, t, v)
        out.append(f"\n{model} model, L2 {l2:g}, threshold {t}" + (f", veto {v}" if model != "noun" else "")
                   + f": held-out F1 {f1:.3f}")
        out.append("| examples | gold | predicted | P | R | F1 |\n|---|---|---|---|---|---|")
        for c in ("timebank", "ecbplus"):
            m = corpus == c
            out.append(row(f"{c} all", pred[m], labels[m]))
            out.append(row(f"{c} unseen lemma", pred[m & unseen], labels[m & unseen]))
        if best is None or f1 > best[0]:
            best = (f1, pred, unseen)
    if args.misses and best is not None:
        _, pred, unseen = best
        missed = Counter(lemma_of(feats[i]) for i in np.flatnonzero(unseen & (labels == 1) & ~pred))
        alarms = Counter(lemma_of(feats[i]) for i in np.flatnonzero(unseen & (labels == 0) & pred))
        out.append("unseen lemmas missed most: " + ", ".join(f"{w} {n}" for w, n in missed.most_common(args.misses)))
        out.append("unseen lemmas wrongly taken: " + ", ".join(f"{w} {n}" for w, n in alarms.most_common(args.misses)))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=event_eval.DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/news-timeline-event-eval"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, nargs="+", default=[1e-4])
    parser.add_argument("--drop", default="", help="feature kinds to leave out, comma-separated")
    parser.add_argument("--model", choices=("noun", "predicate", "both"), default="both")
    parser.add_argument("--misses", type=int, default=0)
    args = parser.parse_args(argv)
    drop = frozenset(k for k in args.drop.split(",") if k)

    docs = [d for d in event_eval.load_timebank(args.data) + event_eval.load_ecbplus(args.data) if d.split == "tune"]
    parsed = event_eval.parsed_docs(docs, args.cache)
    by_name = {d.name: d.corpus for d in docs}
    lines = [f"{args.folds}-fold cross-validation inside the tuning half (ECB+ by topic); dropped: "
             f"{', '.join(sorted(drop)) or 'nothing'}"]
    if args.model in ("noun", "both"):
        feats, labels, names = nouns.examples(docs, parsed)
        corpus = np.array([by_name[n] for n in names])
        folds = np.array([fold_of(n, by_name[n], args.folds) for n in names])
        lines += cross_validate("noun", feats, np.array(labels), corpus, folds, None, None, args, drop)
    if args.model in ("predicate", "both"):
        rows = predicates.examples(docs, parsed)
        feats = [r[0] for r in rows]
        corpus = np.array([r[3] for r in rows])
        folds = np.array([fold_of(r[2], r[3], args.folds) for r in rows])
        lines += cross_validate("predicate", feats, np.array([r[1] for r in rows]), corpus, folds,
                                np.array([r[4] for r in rows]), np.array([r[5] for r in rows]), args, drop)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
