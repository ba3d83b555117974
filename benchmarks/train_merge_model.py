"""Train the learned same-event scorer of merging (`extractors/resources/merge_model.json`).

    python benchmarks/train_merge_model.py [--data ../shared/data/ecbplus] [--topics 1-20] [--cache DIR]
                                           [--folds 4] [--out extractors/resources/merge_model.json]

Data: the ECB+ topics of the tuning split only (1-20; 21-35 confirm, 36-45 are the maintainers').
Each topic's articles are extracted as `coref_eval.py --remerge` does (mentions cached per topic);
the candidate pairs merging would score (`extractors.merge.pair_table`: the same blocking and the
same feature function) are labelled by the gold clusters of the mentions they match (pairs with a
mention matching no gold mention are left out). A logistic regression with an L2 penalty is fitted by
Newton's method (numpy).

Model selection: leave-topics-out cross-validation inside the tuning split. For each penalty and
joining threshold, a model trained on the other folds merges each held-out fold's topics through
the real `merge_mentions`, scored with coref_eval's CoNLL F1 (with and without singletons, their
mean is the criterion). The chosen penalty and threshold are refitted on all tuning topics and
written with the cross-validated figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import coref_eval as ce  # noqa: E402

PENALTIES = (0.01, 0.1, 1.0)
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
CONFLICT_THRESHOLD = 0.9  # not tuned: a date conflict needs a near-certain pair


@dataclasses.dataclass
class Topic:
    number: int
    folder: Path
    texts: dict[str, str]
    validated: dict[str, set[int]]
    gold: list[ce.Gold]
    mentions: list[object]
    bodies: dict[str, str]
    features: np.ndarray
    labels: np.ndarray  # 1 same event, 0 different, -1 unknown (a side matches no gold mention)


def load_topic(number: int, data: Path, cache: Path) -> Topic:
    from extractors.merge import pair_table

    folder = data / str(number)
    texts, validated, gold = ce.read_topic(folder)
    mentions, bodies = ce._mentions_in_process(folder, cache)
    from extractors.merge import load_settings

    settings = dataclasses.replace(load_settings(), learned_scorer=True)
    ordered, left, right, features = pair_table(mentions, settings)  # type: ignore[arg-type]
    singletons = [(str(k), [(m.doc_id, m.trigger_start, m.trigger_end)]) for k, m in enumerate(ordered)]
    predicted, _ = ce.predicted_from_entries(singletons, bodies, texts)
    predicted = [(m, e) for m, e in predicted if m[0] in texts and ce.line_of(texts[m[0]], m[1]) in validated.get(m[0], ())]
    matched = ce.match(predicted, gold)
    cluster_of_gold = {g.mention: g.cluster for g in gold}
    cluster = [None] * len(ordered)
    for mention, entry in predicted:
        if mention in matched:
            cluster[int(entry)] = cluster_of_gold[matched[mention]]
    labels = np.array([-1 if cluster[i] is None or cluster[j] is None else int(cluster[i] == cluster[j])
                       for i, j in zip(left.tolist(), right.tolist(), strict=True)], dtype=np.int64)
    return Topic(number, folder, texts, validated, gold, mentions, bodies, features, labels)


def fit(x: np.ndarray, y: np.ndarray, penalty: float, iterations: int = 50) -> tuple[np.ndarray, float]:
    """L2-penalized logistic regression (bias not penalized) by Newton's method."""
    design = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(design.shape[1])
    reg = np.full(design.shape[1], penalty)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ w, -50, 50)))
        gradient = design.T @ (p - y) + reg * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w[:-1], float(w[-1])


def training_rows(topics: list[Topic]) -> tuple[np.ndarray, np.ndarray]:
    x = np.vstack([t.features[t.labels >= 0] for t in topics])
    y = np.concatenate([t.labels[t.labels >= 0] for t in topics]).astype(np.float64)
    return x, y


def conll(topics: list[Topic], model: object) -> tuple[float, float]:
    """CoNLL F1 with and without singletons of merging these topics with `model`."""
    from extractors.merge import load_settings, merge_mentions

    settings = dataclasses.replace(load_settings(), model=model, learned_scorer=True)
    key: list[set[object]] = []
    response: list[set[object]] = []
    for t in topics:
        entries = merge_mentions(t.mentions, settings=settings)  # type: ignore[arg-type]
        pairs = [(e.id, [(s.doc_id, s.start, s.end) for s in e.sources]) for e in entries]
        predicted, lost = ce.predicted_from_entries(pairs, t.bodies, t.texts)
        result = ce.evaluate_topic(str(t.number), t.texts, t.validated, t.gold, predicted, lost)
        key += result.key
        response += result.response
    with_s = ce.score(key, response)["conll"]
    without = ce.score(ce.without_singletons(key), ce.without_singletons(response))["conll"]
    return with_s, without


def make_model(weights: np.ndarray, bias: float, threshold: float) -> object:
    from extractors.merge.features import FEATURE_NAMES
    from extractors.merge.model import SameEventModel

    return SameEventModel(FEATURE_NAMES, tuple(float(w) for w in weights), bias, threshold, CONFLICT_THRESHOLD)


def memoize_pair_scoring() -> None:
    """Cross-validation merges the same topics under many models: the candidate pairs and their
    features do not depend on the model, so they are computed once per topic (training only)."""
    import extractors.merge as merge
    import extractors.merge.scoring as scoring

    pairs, features = merge._candidate_pairs, scoring.pair_features
    memo: dict[tuple[object, ...], object] = {}

    def identity(prepared: object) -> int:
        return hash(tuple(p.learned_identity for p in prepared))  # type: ignore[attr-defined]

    def candidate_pairs(prepared: object, s: object) -> object:
        key = ("pairs", identity(prepared))
        if key not in memo:
            memo[key] = pairs(prepared, s)
        return memo[key]

    def pair_features(prepared: object, left: np.ndarray, right: np.ndarray, *rest: object) -> object:
        key = ("features", identity(prepared), hash(left.tobytes()), hash(right.tobytes()))
        if key not in memo:
            memo[key] = features(prepared, left, right, *rest)
        return memo[key]

    merge._candidate_pairs = candidate_pairs  # type: ignore[assignment]
    scoring.pair_features = pair_features  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ecbplus")
    parser.add_argument("--topics", default=ce.SPLITS["tune"])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/coref_eval"))
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--penalties", default=",".join(map(str, PENALTIES)))
    parser.add_argument("--thresholds", default=",".join(map(str, THRESHOLDS)))
    parser.add_argument("--out", type=Path, default=ROOT / "extractors" / "resources" / "merge_model.json")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"ECB+ data not found at {args.data}; nothing to train on.")
        return 0
    from extractors.merge.features import FEATURE_NAMES

    memoize_pair_scoring()
    penalties = [float(v) for v in args.penalties.split(",")]
    thresholds = [float(v) for v in args.thresholds.split(",")]
    numbers = [n for n in ce.parse_topics(args.topics) if (args.data / str(n)).is_dir()]
    topics = [load_topic(n, args.data, args.cache) for n in numbers]
    for t in topics:
        print(f"topic {t.number}: {len(t.mentions)} mentions, {int((t.labels == 1).sum())} same-event and "
              f"{int((t.labels == 0).sum())} different-event candidate pairs", file=sys.stderr, flush=True)
    folds = [topics[k::args.folds] for k in range(args.folds)]
    results: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for k, held_out in enumerate(folds):
        rest = [t for j, fold in enumerate(folds) if j != k for t in fold]
        x, y = training_rows(rest)
        for penalty in penalties:
            weights, bias = fit(x, y, penalty)
            for threshold in thresholds:
                results.setdefault((penalty, threshold), []).append(conll(held_out, make_model(weights, bias, threshold)))
                print(f"fold {k + 1}/{len(folds)}, penalty {penalty}, threshold {threshold}: "
                      f"CoNLL {results[(penalty, threshold)][-1][0]:.1f} / {results[(penalty, threshold)][-1][1]:.1f}",
                      file=sys.stderr, flush=True)
    print("| penalty | threshold | CV CoNLL | CV CoNLL −s | mean |")
    print("|---|---|---|---|---|")
    summary = {}
    for (penalty, threshold), scores in sorted(results.items()):
        with_s, without = float(np.mean([a for a, _ in scores])), float(np.mean([b for _, b in scores]))
        summary[(penalty, threshold)] = (with_s, without)
        print(f"| {penalty} | {threshold} | {with_s:.1f} | {without:.1f} | {(with_s + without) / 2:.1f} |")
    best = max(summary, key=lambda key: (sum(summary[key]), -key[0], -key[1]))
    penalty, threshold = best
    x, y = training_rows(topics)
    weights, bias = fit(x, y, penalty)
    model = {
        "features": list(FEATURE_NAMES),
        "weights": [round(float(w), 6) for w in weights],
        "bias": round(bias, 6),
        "threshold": threshold,
        "conflict_threshold": CONFLICT_THRESHOLD,
        "penalty": penalty,
        "trained_on": f"ECB+ topics {args.topics} (the tuning split), {len(y)} labelled candidate pairs",
        "trained": dt.date.today().isoformat(),
        "cross_validation": {"folds": args.folds, "conll": round(summary[best][0], 1),
                             "conll_without_singletons": round(summary[best][1], 1)},
    }
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"chosen penalty {penalty}, threshold {threshold}: CV CoNLL {summary[best][0]:.1f} / {summary[best][1]:.1f}; "
          f"written to {args.out}")
    for name, w in zip(FEATURE_NAMES, weights, strict=True):
        print(f"  {name:24s} {w:+.3f}")
    print(f"  {'bias':24s} {bias:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
