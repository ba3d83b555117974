"""Participants of events against the SemEval-2015 TimeLine trial gold: does an extracted event
name a target entity among its actors exactly when the gold timeline of that entity holds it?

    python benchmarks/participant_eval.py --documents DIR --gold DIR [--split tune|confirm|all]

The trial's `.tml` documents mark their events (`EVENT` tags) and each gold timeline lists the
events one target entity takes part in. Every extracted mention whose trigger is a marked event
(`docid-sentenceid-word`, as `timeline_eval.py` names it) is one decision per target: predicted
when one of its actors designates the target (`extractors.entity_match.matches`, as `timeline
entity` matches), gold when the target's timeline lists the event. Mentions the extractor does
not find, and triggers that are no marked event, are left out: this scores participants, not
event detection (`timeline_eval.py` scores both, and dates). Precision falls with names that are
merely mentioned near the event (a nested event's, a topic's, a nationality adjective), recall with
references left unresolved ("the company", "it") and arguments the parse misses.

The split is `timeline_eval.py`'s (CRC-32 of the file name: even = tune, odd = confirm); the
table prints per target and the micro total.

    python benchmarks/participant_eval.py --ecbplus DIR [--topics 1-20] [--cache DIR]

ECB+ as converted here has no participant annotation, only event mentions and their coreference
clusters; what the merge asks of participants can be scored all the same. Extracted mentions are
matched to gold mentions by overlapping span (`coref_eval.py`'s matching and mention cache); over
pairs of matched mentions in different documents of a topic that both have actors, "they share an
actor" (`entity_match.matches`, either way) is scored as a prediction of "same gold event":
precision falls when look-alike events (two arrests, two earthquakes) share a name merely
mentioned near them, recall when one event's mentions name its participants differently.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timeline_eval import document_split, extract_all, read_timeline, read_tml  # noqa: E402

from extractors.entity_match import matches  # noqa: E402


def marked_events(path: Path) -> set[str]:
    """The `docid-sentenceid-word` ids of the `EVENT` tags of a `.tml` document."""
    root = ET.parse(path).getroot()
    doc_id = (root.findtext("DOCID") or path.stem.split("_")[0].split("-")[0]).strip()
    found = set()
    text = root.find("TEXT")
    for s in (text.iter("s") if text is not None else ()):
        for event in s.iter("EVENT"):
            words = "".join(event.itertext()).lower().split()
            if words:
                found.add(f"{doc_id}-{s.get('id')}-{'_'.join(words)}")
    return found


def score(targets: dict[str, set[str]], decisions: Sequence[tuple[str, tuple[str, ...]]]) -> dict[str, Counter[str]]:
    """Per target: tp, fp, fn over (event id, actors) decisions. An event found twice (two
    mentions of one trigger) counts once, predicted when any of its mentions names the target."""
    actors_of: dict[str, set[str]] = {}
    for event, actors in decisions:
        actors_of.setdefault(event, set()).update(actors)
    counts: dict[str, Counter[str]] = {}
    for target, gold in targets.items():
        c: Counter[str] = Counter()
        for event, actors in actors_of.items():
            predicted = any(matches(target, a) for a in actors)
            if predicted and event in gold:
                c["tp"] += 1
            elif predicted:
                c["fp"] += 1
            elif event in gold:
                c["fn"] += 1
        counts[target] = c
    return counts


def _prf(c: Counter[str]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def format_table(title: str, counts: dict[str, Counter[str]]) -> str:
    rows = [title, f"{'target':<22}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}"]
    total: Counter[str] = Counter()
    for target, c in counts.items():
        total.update(c)
        p, r, f = _prf(c)
        rows.append(f"{target:<22}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    p, r, f = _prf(total)
    rows.append(f"{'micro':<22}{total['tp']:>5}{total['fp']:>5}{total['fn']:>5}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    return "\n".join(rows)


def share_an_actor(a: Sequence[str], b: Sequence[str]) -> bool:
    return any(matches(x, y) or matches(y, x) for x in a for y in b)


def ecbplus_pairs(data: Path, topics: Sequence[int], cache: Path) -> tuple[Counter[str], int]:
    """tp/fp/fn of "shares an actor" as "same gold event" over cross-document pairs, and the
    number of matched mentions with actors."""
    from coref_eval import _mentions_in_process, body_offset, match, read_topic

    counts: Counter[str] = Counter()
    with_actors = 0
    for topic in topics:
        folder = data / str(topic)
        if not folder.is_dir():
            continue
        texts, _, gold = read_topic(folder)
        mentions, bodies = _mentions_in_process(folder, cache)
        shift = {doc: body_offset(texts[doc], body) for doc, body in bodies.items() if doc in texts}
        predicted = []
        actors_of = {}
        for m in mentions:
            offset = shift.get(m.doc_id)
            if offset is None:
                continue
            key = (m.doc_id, m.trigger_start + offset, m.trigger_end + offset)
            predicted.append((key, ""))
            actors_of[key] = m.actors
        cluster_of = {g.mention: g.cluster for g in gold}
        matched = [(p, cluster_of[g]) for p, g in match(predicted, gold).items() if actors_of.get(p)]
        with_actors += len(matched)
        for i, (p, cp) in enumerate(matched):
            for q, cq in matched[i + 1:]:
                if p[0] == q[0]:
                    continue
                shared, same = share_an_actor(actors_of[p], actors_of[q]), cp == cq
                counts["tp" if shared and same else "fp" if shared else "fn" if same else "tn"] += 1
        print(f"topic {topic}: {len(matched)} matched mentions with actors", file=sys.stderr, flush=True)
    return counts, with_actors


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=Path, help="folder of the task's .tml documents")
    parser.add_argument("--gold", type=Path, help="folder of the gold timelines")
    parser.add_argument("--split", choices=("tune", "confirm", "all"), default="all")
    parser.add_argument("--ecbplus", type=Path, help="ECB+ folder (instead of the TimeLine trial)")
    parser.add_argument("--topics", default="1-20", help="ECB+ topics, e.g. 1-20 or 21-35")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/coref_eval"), help="coref_eval.py's mention cache")
    args = parser.parse_args(argv)
    if args.ecbplus is not None:
        from coref_eval import parse_topics

        counts, n = ecbplus_pairs(args.ecbplus, parse_topics(args.topics), args.cache)
        p, r, f = _prf(counts)
        print(f"ECB+ topics {args.topics}: {n} matched mentions with actors, cross-document pairs: "
              f"{sum(counts.values())}\n'share an actor' as 'same event': tp {counts['tp']} fp {counts['fp']} "
              f"fn {counts['fn']}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
        return 0
    if args.documents is None or args.gold is None:
        parser.error("--documents and --gold (or --ecbplus)")
    paths = sorted(p for p in args.documents.glob("*.tml") if args.split == "all" or document_split(p) == args.split)
    if not paths:
        print(f"no .tml documents in {args.documents} for split {args.split}", file=sys.stderr)
        return 2
    documents = [read_tml(p) for p in paths]
    marked = set().union(*(marked_events(p) for p in paths))
    doc_ids = {d.doc_id for d in documents}
    targets: dict[str, set[str]] = {}
    for gold_path in sorted(args.gold.glob("*.txt")):
        target, rows = read_timeline(gold_path)
        targets[target] = {e for _, _, events in rows for e in events if e.split("-", 1)[0] in doc_ids}
    extracted = extract_all(documents)
    decisions = []
    for m in extracted.mentions:
        event = extracted.documents[m.doc_id].event_id(m.trigger_start, m.trigger_end)
        if event is not None and event in marked:
            decisions.append((event, m.actors))
    print(f"split {args.split}: {len(documents)} documents, {len(marked)} marked events, "
          f"{len({e for e, _ in decisions})} of them extracted, {len(targets)} targets")
    print(format_table(f"\nParticipants on the TimeLine trial ({args.split})", score(targets, decisions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
