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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=Path, required=True, help="folder of the task's .tml documents")
    parser.add_argument("--gold", type=Path, required=True, help="folder of the gold timelines")
    parser.add_argument("--split", choices=("tune", "confirm", "all"), default="all")
    args = parser.parse_args(argv)
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
