"""Train the predicate-trigger model (`extractors/predicate_triggers.py`) on the tuning half only.

    python benchmarks/train_predicate_triggers.py [--data DIR] [--out FILE] [--l2 X] [--prune X]

Examples: every candidate predicate (verb, adjective, copula heading a clause) of the tuning
documents of `benchmarks/event_eval.py` (TimeBank+AQUAINT half A, ECB+ topics 1-20, validated lines
only), labelled an event when it overlaps a gold event span. Logistic regression with L2 (the
fitting of `train_noun_triggers.py`). The threshold (for predicates the rules leave out) and the
veto (for verbs outside the taxonomy the rules take) are chosen together on the held-out fifth of
the tuning documents, as the F1 of the decision `events.py` makes with them; the model shipped is
then refit on all tuning documents.
"""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import event_eval  # noqa: E402
from train_noun_triggers import predict, train, trainer_arguments  # noqa: E402
from train_noun_triggers import scores as prf  # noqa: E402

from extractors.event_lexicon import load_lexicon  # noqa: E402
from extractors.events import rules_take_predicate  # noqa: E402
from extractors.predicate_triggers import is_candidate, predicate_features  # noqa: E402

DEFAULT_OUT = ROOT / "extractors" / "resources" / "events" / "predicate_triggers.json"


def examples(docs, parsed):
    """(features, label, document name, corpus, the rules' decision, taxonomy verb) per candidate."""
    lex = load_lexicon()
    rows = []
    for d, doc in zip(docs, parsed, strict=True):
        line = event_eval.line_of(d.text)
        for tok in doc:
            if not is_candidate(tok):
                continue
            if d.scored_lines is not None and line(tok.idx) not in d.scored_lines:
                continue
            start, end = tok.idx, tok.idx + len(tok.text)
            label = int(any(s < end and start < e for s, e in d.gold))
            rules = rules_take_predicate(tok, lex)
            typed = tok.pos_ == "VERB" and tok.lemma_.lower() in lex.verb_types
            rows.append((predicate_features(tok), label, d.name, d.corpus, rules, typed))
    return rows


def decide(prob: np.ndarray, rules: np.ndarray, typed: np.ndarray, threshold: float, veto: float) -> np.ndarray:
    """The decision of `events._is_trigger` for candidates: the rules' verbs stay unless they are
    outside the taxonomy and score under `veto`; the others become events at `threshold`."""
    return np.where(rules, typed | (prob >= veto), prob >= threshold)


def main(argv=None) -> int:
    args = trainer_arguments(__doc__, DEFAULT_OUT, argv)

    docs = [d for d in event_eval.load_timebank(args.data) + event_eval.load_ecbplus(args.data) if d.split == "tune"]
    rows = examples(docs, event_eval.parsed_docs(docs, args.cache))
    feats = [r[0] for r in rows]
    labels = np.array([r[1] for r in rows])
    corpus = np.array([r[3] for r in rows])
    rules = np.array([r[4] for r in rows])
    typed = np.array([r[5] for r in rows])
    # A fifth of the tuning documents picks threshold and veto; the model shipped is then refit on all.
    held = np.array([zlib.crc32(r[2].encode()) % 5 == 0 for r in rows])
    weights, bias = train([f for f, h in zip(feats, held, strict=True) if not h], list(labels[~held]), args.l2)
    prob = predict(weights, bias, [f for f, h in zip(feats, held, strict=True) if h])
    grid = [(round(float(t), 2), round(float(v), 2)) for t in np.arange(0.3, 0.9, 0.05) for v in np.arange(0.0, 0.5, 0.05)
            if v <= t]
    f1, threshold, veto = max((prf(decide(prob, rules[held], typed[held], t, v), labels[held])[2], t, v) for t, v in grid)
    print(f"{len(rows)} candidate predicates ({int(labels.sum())} events); on the held fifth:")
    for name, pick in (("rules alone", (1.0, 0.0)), ("with the model", (threshold, veto))):
        pred = decide(prob, rules[held], typed[held], *pick)
        parts = [f"{c} P {{:.3f}} R {{:.3f}} F1 {{:.3f}}".format(*prf(pred[corpus[held] == c], labels[held][corpus[held] == c]))
                 for c in ("timebank", "ecbplus")]
        print(f"  {name:<15}" + "; ".join(parts))
    print(f"threshold {threshold}, veto {veto} (held-fifth F1 {f1:.3f})")
    weights, bias = train(feats, list(labels), args.l2)
    kept = {f: round(w, 3) for f, w in sorted(weights.items()) if abs(w) >= args.prune}
    pred = decide(predict(kept, bias, feats), rules, typed, threshold, veto)
    print("fit on all tuning candidates: P {:.3f} R {:.3f} F1 {:.3f}; {} of {} weights kept".format(
        *prf(pred, labels), len(kept), len(weights)))
    args.out.write_text(json.dumps({
        "about": "predicate-trigger logistic regression; benchmarks/train_predicate_triggers.py; tuning half only",
        "threshold": threshold, "veto": veto, "bias": round(bias, 4), "weights": kept}, indent=0, sort_keys=True) + "\n",
        encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
