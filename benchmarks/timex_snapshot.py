"""The tagger's output, written down to compare before and after a change that must not alter it.

Usage:
    .venv/bin/python benchmarks/timex_snapshot.py --write FILE [--timeml DIR]
    .venv/bin/python benchmarks/timex_snapshot.py --compare FILE [--timeml DIR]

Without `--timeml` the snapshot is of the seed articles: their timexes as the pipeline gives them
(publication date from metadata, header or dateline), their timexes without a publication date
and against a fixed one,
and the date, tense and confidence of each event mention (what the temporal core feeds events). With `--timeml` it is of every TimeML
document (TimeBank + AQUAINT) tagged against its creation time, as `te3_eval.py` tags it. Every
field of every `Timex` is recorded (text, offsets, type, value, mod, interval, granularity,
relative flag). `--compare` prints the first differences and exits 1 when there are any.
`tests/test_timex_snapshot.py` compares the seeds against `tests/snapshots/seed_timexes.json`.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


SEEDS = ROOT / "seeds"
# Every seed also tagged against one fixed date, so that relative values are resolved in all five.
_FIXED_DCT = dt.date(2023, 9, 7)


def _records(doc_id: str, dct: dt.date | None, timexes: list) -> Iterator[dict]:
    for t in timexes:
        row = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in dataclasses.asdict(t).items()}
        yield {"doc": doc_id, "dct": dct.isoformat() if dct else None, **row}


def seed_timexes(seeds: Path = SEEDS) -> list[dict]:
    """Every seed article's timexes as the pipeline dates them and without a publication date,
    then its event mentions' dates."""
    from extractors.articles import build_article
    from extractors.nlp import load_nlp, remember_text
    from extractors.pipeline import extract_articles
    from extractors.timex import tag_timexes

    nlp = load_nlp()
    out: list[dict] = []
    for path in sorted(seeds.glob("*.txt")):
        article = build_article(path.stem, path.name, path.suffix, path.read_bytes())
        extraction, = extract_articles([article], nlp)
        out.extend(_records(article.doc_id, extraction.article.publication_date, list(extraction.timexes)))
        doc = remember_text(nlp(article.body), article.body)
        for dct in (None, _FIXED_DCT):
            out.extend(_records(article.doc_id, dct, tag_timexes(article.body, dct, doc)))
        for m in extraction.mentions:
            out.append({"doc": article.doc_id, "trigger_start": m.trigger_start, "tense": m.tense,
                        "timex_value": m.timex_value, "confidence": m.confidence,
                        **{f"date_{k}": (v.isoformat() if isinstance(v, dt.date) else v)
                           for k, v in dataclasses.asdict(m.date).items()}})
    return out


def timeml_timexes(data: Path) -> list[dict]:
    """Every TimeML document's timexes against its creation time (te3_eval's loading)."""
    from benchmarks.te3_eval import load_corpus
    from extractors.nlp import load_nlp, remember_text
    from extractors.timex import tag_timexes

    nlp = load_nlp()
    out: list[dict] = []
    for d in load_corpus(data):
        doc = remember_text(nlp(d.text), d.text)
        out.extend(_records(d.name, d.dct, tag_timexes(d.text, d.dct, doc)))
    return out


def differences(expected: list[dict], actual: list[dict], limit: int = 20) -> list[str]:
    """Human lines for the first `limit` records that differ (by position), and a count line."""
    out = []
    for i in range(max(len(expected), len(actual))):
        a = expected[i] if i < len(expected) else None
        b = actual[i] if i < len(actual) else None
        if a != b:
            out.append(f"#{i}: expected {a}\n      got      {b}")
    if len(out) > limit:
        out = out[:limit] + [f"... {len(out) - limit} more"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path)
    group.add_argument("--compare", type=Path)
    parser.add_argument("--timeml", type=Path, help="a TimeML folder (TimeBank/, AQUAINT/) instead of the seeds")
    args = parser.parse_args(argv)
    if args.timeml is not None and not args.timeml.is_dir():
        print(f"no TimeML data at {args.timeml}", file=sys.stderr)
        return 2
    records = timeml_timexes(args.timeml) if args.timeml else seed_timexes()
    if args.write:
        args.write.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in records), encoding="utf-8")
        print(f"{len(records)} timexes written to {args.write}")
        return 0
    expected = [json.loads(line) for line in args.compare.read_text(encoding="utf-8").splitlines() if line]
    diffs = differences(expected, records)
    print("\n".join(diffs) if diffs else f"identical: {len(records)} timexes")
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
