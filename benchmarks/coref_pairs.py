"""Which mention pairs the merge gets wrong on ECB+, by what the two mentions share.

    python benchmarks/coref_pairs.py [--data ../shared/data/ecbplus] [--split tune|confirm|all] [--topics 1-5]
                                     [--cache DIR] [--examples N]

The in-process merge of `coref_eval.py --remerge` (extraction cached there), our mentions matched to the
gold mentions as that script does; then every pair of matched mentions of one topic is counted by
where the two stand (one article, one story cluster, two stories: `features._stories`), what their
triggers share (the same lemma, one sense group of `event_senses.yaml`, neither) and whether they fall
in one type family and one modality group (the parts blocking never compares across). Per kind of
pair it prints how many pairs of one gold event we **split** and **join**, and how many pairs of two
gold events we **join** (wrong) and keep **apart**. A rule that joined every pair of a kind would gain
its "split" pairs and lose its "apart" ones (before transitivity), which is how the joins across parts
of issue 15's seventh round were chosen. Tune on `--split tune` only; the confirming topics are for
totals.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import coref_eval  # noqa: E402

from extractors.merge import MergeSettings, load_settings  # noqa: E402
from extractors.schema import EventMention  # noqa: E402

OUTCOMES = ("split", "joined", "wrong", "apart")


@dataclass(frozen=True)
class Scored:
    """One of our mentions matched to a gold mention: its entry, its gold event, its story."""

    mention: EventMention
    entry: str
    gold: str
    story: int


def kind_of(a: Scored, b: Scored, s: MergeSettings) -> tuple[str, str, str, str]:
    """(where, trigger, family, modality group) of a pair: what the two mentions share."""
    x, y = a.mention, b.mention
    where = "article" if x.doc_id == y.doc_id else "story" if a.story == b.story and a.story >= 0 else "two stories"
    lx, ly = x.trigger_lemma.casefold(), y.trigger_lemma.casefold()
    trigger = "lemma" if lx == ly else "sense" if s.sense_key(lx) == s.sense_key(ly) else "other sense"
    family = "one family" if s.families.get(x.type, x.type) == s.families.get(y.type, y.type) else "two families"
    group = s.modality_group_of.get(x.modality, 0) == s.modality_group_of.get(y.modality, 0)
    return where, trigger, family, "one modality group" if group else "two modality groups"


def outcome(a: Scored, b: Scored) -> str:
    same_gold, same_entry = a.gold == b.gold, a.entry == b.entry
    if same_gold:
        return "joined" if same_entry else "split"
    return "wrong" if same_entry else "apart"


def count_pairs(items: Sequence[Scored], s: MergeSettings) -> Counter[tuple[tuple[str, str, str, str], str]]:
    """(kind, outcome) -> pairs, over every pair of `items` (one topic's matched mentions)."""
    counts: Counter[tuple[tuple[str, str, str, str], str]] = Counter()
    for a, b in itertools.combinations(items, 2):
        counts[(kind_of(a, b, s), outcome(a, b))] += 1
    return counts


def scored_mentions(folder: Path, cache: Path, s: MergeSettings) -> list[Scored]:
    """The topic's mentions our merge placed on validated lines and matched to a gold mention."""
    from extractors.merge import merge_mentions
    from extractors.merge.features import document_vectors
    from extractors.merge.sense_types import typed_by_sense

    texts, validated, gold = coref_eval.read_topic(folder)
    mentions, bodies = coref_eval._mentions_in_process(folder, cache)
    typed = typed_by_sense(mentions, s)  # type: ignore[arg-type]
    by_place = {(m.doc_id, m.trigger_start, m.trigger_end): m for m in typed}
    stories = document_vectors(typed, s).stories
    entries = merge_mentions(mentions, settings=s)  # type: ignore[arg-type]
    pairs = [(e.id, [(x.doc_id, x.start, x.end) for x in e.sources]) for e in entries]
    shift = {doc: coref_eval.body_offset(texts[doc], body) for doc, body in bodies.items() if doc in texts}
    predicted, _ = coref_eval.predicted_from_entries(pairs, bodies, texts)
    predicted = [(m, e) for m, e in predicted if coref_eval.line_of(texts[m[0]], m[1]) in validated.get(m[0], ())]
    matched = coref_eval.match(predicted, gold)
    cluster = {g.mention: g.cluster for g in gold}
    out = []
    for (doc, start, end), entry in predicted:
        offset = shift.get(doc)
        m = by_place.get((doc, start - offset, end - offset)) if offset is not None else None
        if m is not None and (doc, start, end) in matched:
            out.append(Scored(m, entry, cluster[matched[(doc, start, end)]], stories.get(doc, -1)))
    return out


def table(counts: Counter[tuple[tuple[str, str, str, str], str]]) -> str:
    kinds = sorted({k for k, _ in counts}, key=lambda k: (-counts[(k, "split")] - counts[(k, "wrong")], k))
    lines = ["| where | trigger | family | modality | split (one event) | joined (one event) | joined (two events) | apart (two events) |",
             "|---|---|---|---|---|---|---|---|"]
    for k in kinds:
        lines.append(f"| {' | '.join(k)} | " + " | ".join(str(counts[(k, o)]) for o in OUTCOMES) + " |")
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ecbplus")
    parser.add_argument("--split", choices=sorted(coref_eval.SPLITS), default="tune")
    parser.add_argument("--topics", help="topic numbers, e.g. 1-5,8 (overrides --split)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/coref_eval"))
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not args.data.is_dir():
        print(f"ECB+ data not found at {args.data}; nothing to count.")
        return 0
    s = load_settings()
    counts: Counter[tuple[tuple[str, str, str, str], str]] = Counter()
    for topic in coref_eval.parse_topics(args.topics or coref_eval.SPLITS[args.split]):
        folder = args.data / str(topic)
        if folder.is_dir():
            counts += count_pairs(scored_mentions(folder, args.cache, s), s)
    print(table(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
