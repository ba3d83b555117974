"""Train the noun-trigger model (`extractors/noun_triggers.py`) on the tuning half only.

    python benchmarks/train_noun_triggers.py [--data DIR] [--out FILE] [--l2 X] [--prune X]

Examples: every NOUN token of the tuning documents of `benchmarks/event_eval.py` (TimeBank+AQUAINT
half A, ECB+ topics 1-20, validated lines only), labelled an event when it overlaps a gold event
span. Logistic regression with L2, fitted by L-BFGS (deterministic); weights
whose magnitude stays under `--prune` are dropped so the shipped file stays small. Prints the
training fit and the fit on the held-out fifth of the tuning documents used to pick the threshold.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import event_eval  # noqa: E402

from extractors.noun_triggers import noun_features  # noqa: E402

DEFAULT_OUT = ROOT / "extractors" / "resources" / "events" / "noun_triggers.json"


def examples(docs, parsed) -> tuple[list[list[str]], list[int], list[str]]:
    feats, labels, names = [], [], []
    for d, doc in zip(docs, parsed, strict=True):
        line = event_eval.line_of(d.text)
        for tok in doc:
            if tok.pos_ != "NOUN":
                continue
            if d.scored_lines is not None and line(tok.idx) not in d.scored_lines:
                continue
            start, end = tok.idx, tok.idx + len(tok.text)
            labels.append(int(any(s < end and start < e for s, e in d.gold)))
            feats.append(list(noun_features(tok)))
            names.append(d.name)
    return feats, labels, names


def train(feats: list[list[str]], labels: list[int], l2: float):
    """L2-regularized logistic regression fitted with L-BFGS (scipy, installed with the project's
    dependencies; only this script needs it)."""
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    vocab = {f: i for i, f in enumerate(sorted({f for fs in feats for f in fs}))}
    rows = np.repeat(np.arange(len(feats)), [len(fs) for fs in feats])
    cols = np.array([vocab[f] for fs in feats for f in fs])
    x = csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(feats), len(vocab)))
    y = np.array(labels, dtype=float)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = x @ w + b
        p = 1.0 / (1.0 + np.exp(-z))
        eps = 1e-12
        value = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + 0.5 * l2 * (w @ w)
        g = (p - y) / len(y)
        return value, np.append(x.T @ g + l2 * w, g.sum())

    theta = minimize(loss, np.zeros(len(vocab) + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    return {f: float(theta[i]) for f, i in vocab.items()}, float(theta[-1])


def predict(weights: dict[str, float], bias: float, feats: list[list[str]]) -> np.ndarray:
    z = np.array([bias + sum(weights.get(f, 0.0) for f in fs) for fs in feats])
    return 1.0 / (1.0 + np.exp(-z))


def scores(pred: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of boolean predictions against 0/1 labels."""
    tp = float((pred & (labels == 1)).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / (labels == 1).sum() if (labels == 1).sum() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def prf(prob: np.ndarray, labels: list[int], threshold: float) -> tuple[float, float, float]:
    return scores(prob >= threshold, np.array(labels))


def trainer_arguments(doc: str, default_out: Path, argv=None) -> argparse.Namespace:
    """The options both trigger-model trainers take (data, output, parse cache, L2, pruning)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=event_eval.DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=default_out)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/news-timeline-event-eval"))
    parser.add_argument("--l2", type=float, default=1e-4)
    parser.add_argument("--prune", type=float, default=0.1)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = trainer_arguments(__doc__, DEFAULT_OUT, argv)

    docs = [d for d in event_eval.load_timebank(args.data) + event_eval.load_ecbplus(args.data) if d.split == "tune"]
    parsed = event_eval.parsed_docs(docs, args.cache)
    feats, labels, names = examples(docs, parsed)
    # A fifth of the tuning documents picks the threshold; the model shipped is then refit on all.
    dev = [zlib.crc32(n.encode()) % 5 == 0 for n in names]
    fit = [i for i, d in enumerate(dev) if not d]
    held = [i for i, d in enumerate(dev) if d]
    weights, bias = train([feats[i] for i in fit], [labels[i] for i in fit], args.l2)
    prob = predict(weights, bias, [feats[i] for i in held])
    held_labels = [labels[i] for i in held]
    best = max((prf(prob, held_labels, t)[2], t) for t in np.arange(0.2, 0.8, 0.05))
    threshold = round(float(best[1]), 2)
    print(f"{len(feats)} noun examples ({sum(labels)} events); threshold {threshold} on the held fifth: "
          "P {:.3f} R {:.3f} F1 {:.3f}".format(*prf(prob, held_labels, threshold)))
    weights, bias = train(feats, labels, args.l2)
    kept = {f: round(w, 3) for f, w in sorted(weights.items()) if abs(w) >= args.prune}
    print("fit on all tuning nouns: P {:.3f} R {:.3f} F1 {:.3f}; {} of {} weights kept".format(
        *prf(predict(kept, bias, feats), labels, threshold), len(kept), len(weights)))
    args.out.write_text(json.dumps({
        "about": "noun-trigger logistic regression; benchmarks/train_noun_triggers.py; tuning half only",
        "threshold": threshold, "bias": round(bias, 4), "weights": kept}, indent=0, sort_keys=True) + "\n",
        encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
