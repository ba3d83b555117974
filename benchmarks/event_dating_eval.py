"""How well the project dates the event mentions it finds, against the TLINKs of TimeBank+AQUAINT.

    python benchmarks/event_dating_eval.py [--data DIR] [--split tune|confirm|all] [--cache DIR] [--errors N]

Gold anchor of an event: the calendar interval of a TIMEX3 of type DATE (or TIME, read as its day)
that a TLINK places the event instance in, the document creation time (DCT) included:
- event IS_INCLUDED / DURING / SIMULTANEOUS / BEGINS / ENDS time, or the inverse link written from
  the time (time INCLUDES / SIMULTANEOUS / BEGUN_BY / ENDED_BY event). An event that begins or ends
  a time lies inside the time's interval, as an included one does; an event that the time begins
  or ends (event BEGUN_BY / ENDED_BY time) reaches beyond it and is not anchored by it.
- "event IS_INCLUDED DCT" anchors the event on the publication day.
When several links anchor one event, the narrowest interval is its gold date (the day before the
week before the year). Reference values (PAST_REF) and values with unknown parts anchor nothing.

Our mentions are matched to gold EVENT spans as `event_eval.py` matches them (overlapping spans,
one-to-one, in text order), over the same documents, split and domains (`event_eval.load_timebank`,
`timebank_split`, `domain_of`); the extractor runs as there (`event_eval.system_mentions`: the
publication date is the DCT). Each matched gold-anchored event's date is:
- **exact**: our interval is the gold interval;
- **compatible**: one interval contains the other (a month for a day, a day for a week);
- **wrong**: both are calendar intervals and neither contains the other;
- **side ok** / **side wrong**: we give only a side of the publication date (PAST_REF before it,
  FUTURE_REF after it), which the gold interval is or is not on;
- **none**: no date.
"dated" = exact + compatible + wrong (a calendar interval; PRESENT_REF is the publication day).

How we dated it (`how`): `explicit` / `relative` (a temporal expression governing the mention,
absolute or resolved against the publication date), `narrative` (a date with no timex of the
mention's own: the dated clause governing it or the happening of the lead, `narrative_dates.py`),
`tense:past` / `tense:present` / `tense:future` (PAST_REF / PRESENT_REF / FUTURE_REF from the tense),
`none`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.event_eval import (  # noqa: E402
    DEFAULT_DATA,
    DOMAIN_ORDER,
    GoldDoc,
    domain_of,
    load_domain_rule,
    load_timebank,
    match_spans,
    parsed_docs,
    system_mentions,
)
from benchmarks.timeml_source import dct_and_text, element_spans, tag_attributes  # noqa: E402
from extractors.timex_value import interval_of  # noqa: E402

# relType of a TLINK written from the event (eventInstanceID -> relatedToTime) that places the event
# inside the time, and of one written from the time (timeID -> relatedToEventInstance).
EVENT_IN_TIME = frozenset({"IS_INCLUDED", "DURING", "SIMULTANEOUS", "BEGINS", "ENDS"})
TIME_AROUND_EVENT = frozenset({"INCLUDES", "SIMULTANEOUS", "BEGUN_BY", "ENDED_BY"})
ANCHOR_TIMEX_TYPES = frozenset({"DATE", "TIME"})
OUTCOMES = ("exact", "compatible", "wrong", "side ok", "side wrong", "none")
HOWS = ("explicit", "relative", "narrative", "estimated", "tense:past", "tense:present", "tense:future", "none")


@dataclass(frozen=True)
class GoldAnchor:
    """A gold event's span in the plain text and the interval a TLINK anchors it in."""

    start: int
    end: int
    value: str
    interval: tuple[dt.date, dt.date]
    dct: bool  # the anchor is the document creation time


# --- reading the gold ----------------------------------------------------------------------------

def gold_anchors(raw: str) -> list[GoldAnchor]:
    """The anchored events of one TimeML file, offsets into the plain text `event_eval` scores."""
    parts = dct_and_text(raw)
    if parts is None:
        return []
    _, inner = parts
    _, events = element_spans(inner, "EVENT")
    span_of_event = {a["eid"]: (s, e) for s, e, a in events if "eid" in a}
    event_of_instance = {a["eiid"]: a["eventID"] for a in tag_attributes(raw, "MAKEINSTANCE")
                         if "eiid" in a and "eventID" in a}
    times: dict[str, tuple[str, tuple[dt.date, dt.date], bool]] = {}
    for a in tag_attributes(raw, "TIMEX3"):
        if a.get("type") not in ANCHOR_TIMEX_TYPES or "tid" not in a:
            continue
        value = a.get("value", "")
        interval = interval_of(value, a.get("mod"))
        if interval is not None:
            times[a["tid"]] = (value, interval, a.get("functionInDocument") == "CREATION_TIME")
    best: dict[str, tuple[str, tuple[dt.date, dt.date], bool]] = {}
    for link in tag_attributes(raw, "TLINK"):
        rel = link.get("relType")
        if "eventInstanceID" in link and "relatedToTime" in link and rel in EVENT_IN_TIME:
            instance, tid = link["eventInstanceID"], link["relatedToTime"]
        elif "timeID" in link and "relatedToEventInstance" in link and rel in TIME_AROUND_EVENT:
            instance, tid = link["relatedToEventInstance"], link["timeID"]
        else:
            continue
        eid = event_of_instance.get(instance)
        if eid not in span_of_event or tid not in times:
            continue
        anchor = times[tid]
        if eid not in best or _narrower(anchor, best[eid]):
            best[eid] = anchor
    return sorted((GoldAnchor(*span_of_event[eid], value, interval, is_dct)
                   for eid, (value, interval, is_dct) in best.items()), key=lambda a: (a.start, a.end))


def _narrower(a: tuple[str, tuple[dt.date, dt.date], bool], b: tuple[str, tuple[dt.date, dt.date], bool]) -> bool:
    """Whether anchor `a` is the better gold date: a shorter interval, then a timex of the text
    over the creation time."""
    width = lambda x: (x[1][1] - x[1][0]).days  # noqa: E731
    return (width(a), a[2]) < (width(b), b[2])


def load_anchored(data: Path) -> list[tuple[GoldDoc, list[GoldAnchor]]]:
    """Every TimeBank+AQUAINT document `event_eval` reads, with its gold-anchored events."""
    paths = {p.stem: p for p in (data / "timebank-aquaint").glob("*/*.tml")}
    return [(d, gold_anchors(paths[d.name].read_text(encoding="utf-8"))) for d in load_timebank(data)]


# --- scoring -------------------------------------------------------------------------------------

def how_dated(mention) -> str:
    """How the extractor dated a mention (module docstring)."""
    date = mention.date
    value = date.value or ""
    if date.basis in ("explicit", "relative", "estimated") and mention.timex_value:
        return date.basis
    if value.endswith("_REF") and date.basis in ("tense", "estimated"):
        return "tense:" + value[:-len("_REF")].lower()
    return "narrative" if date.basis in ("explicit", "relative", "estimated") else "none"


def outcome(mention, anchor: GoldAnchor, dct: dt.date | None) -> str:
    """How a mention's date compares with its gold anchor (module docstring)."""
    date = mention.date
    gs, ge = anchor.interval
    if date.start is not None and date.end is not None:
        if (date.start, date.end) == (gs, ge):
            return "exact"
        if date.start <= gs and ge <= date.end or gs <= date.start and date.end <= ge:
            return "compatible"
        return "wrong"
    value = date.value or ""
    if value in ("PAST_REF", "FUTURE_REF") and dct is not None:
        before = value == "PAST_REF"
        ok = gs <= dct if before else ge >= dct
        return "side ok" if ok else "side wrong"
    return "none"


@dataclass
class Tally:
    anchored: int = 0  # gold-anchored events
    outcomes: Counter = field(default_factory=Counter)  # matched ones by outcome

    @property
    def matched(self) -> int:
        return sum(self.outcomes.values())

    def share(self, *names: str) -> float:
        return sum(self.outcomes[n] for n in names) / self.matched if self.matched else 0.0


@dataclass(frozen=True)
class Judged:
    """One matched gold-anchored event: its document, domain, our mention, the anchor, the outcome."""

    doc: GoldDoc
    domain: str
    mention: object
    anchor: GoldAnchor
    how: str
    outcome: str


def judge(docs: Sequence[tuple[GoldDoc, list[GoldAnchor]]], mentions: Sequence[list], rule) -> tuple[list[Judged], dict[str, int]]:
    """Every matched gold-anchored event judged, and the gold-anchored events per domain ("total" too)."""
    judged: list[Judged] = []
    anchored: Counter[str] = Counter()
    for (d, anchors), ms in zip(docs, mentions, strict=True):
        domain = domain_of(d.text, rule)
        anchored[domain] += len(anchors)
        anchored["total"] += len(anchors)
        system = sorted(ms, key=lambda m: (m.trigger_start, m.trigger_end))
        # Match against every gold event, as event_eval does, then keep the anchored ones.
        spans = sorted({(m.trigger_start, m.trigger_end) for m in system})
        by_span = {}
        for m in system:
            by_span.setdefault((m.trigger_start, m.trigger_end), m)
        anchor_at = {(a.start, a.end): a for a in anchors}
        for i, j in match_spans(spans, list(d.gold)):
            anchor = anchor_at.get(d.gold[j])
            if anchor is None:
                continue
            mention = by_span[spans[i]]
            judged.append(Judged(d, domain, mention, anchor, how_dated(mention), outcome(mention, anchor, d.dct)))
    return judged, dict(anchored)


def format_tables(judged: Sequence[Judged], anchored: dict[str, int], ndocs: Counter) -> str:
    by_domain: dict[str, Tally] = defaultdict(Tally)
    for dom, n in anchored.items():
        by_domain[dom].anchored = n
    by_how: dict[str, Tally] = defaultdict(Tally)
    by_gold: dict[str, Tally] = defaultdict(Tally)
    for j in judged:
        for key in (j.domain, "total"):
            by_domain[key].outcomes[j.outcome] += 1
        by_how[j.how].outcomes[j.outcome] += 1
        by_gold[_gold_kind(j.anchor, j.doc.dct)].outcomes[j.outcome] += 1
    head = "".join(f"{o:>11}" for o in OUTCOMES)
    lines = [f"{'domain':<11}{'docs':>5}{'anchored':>9}{'matched':>8}{'dated':>7}{'exact':>7}{'exact+compat':>13}"
             f"{'wrong':>7}"]
    for dom in (*DOMAIN_ORDER, "total"):
        t = by_domain.get(dom)
        if t is None:
            continue
        lines.append(f"{dom:<11}{ndocs[dom]:>5}{t.anchored:>9}{t.matched:>8}"
                     f"{t.share('exact', 'compatible', 'wrong'):>7.3f}{t.share('exact'):>7.3f}"
                     f"{t.share('exact', 'compatible'):>13.3f}{t.share('wrong'):>7.3f}")
    lines += ["", f"{'how dated':<15}{'matched':>8}" + head]
    for how in HOWS:
        t = by_how.get(how)
        if t is not None:
            lines.append(f"{how:<15}{t.matched:>8}" + "".join(f"{t.outcomes[o]:>11}" for o in OUTCOMES))
    lines += ["", f"{'gold anchor':<15}{'matched':>8}" + head]
    for kind in ("publication day", "another day", "longer"):
        t = by_gold.get(kind)
        if t is not None:
            lines.append(f"{kind:<15}{t.matched:>8}" + "".join(f"{t.outcomes[o]:>11}" for o in OUTCOMES))
    return "\n".join(lines)


def _gold_kind(anchor: GoldAnchor, dct: dt.date | None) -> str:
    start, end = anchor.interval
    if start != end:
        return "longer"
    return "publication day" if start == dct else "another day"


def error_lines(judged: Sequence[Judged], n: int) -> str:
    """Up to `n` matched events dated wrong or only by a side / not at all, with the sentence."""
    out = []
    for j in judged:
        if j.outcome in ("exact", "compatible"):
            continue
        m = j.mention
        out.append(f"{j.doc.name} [{j.how} -> {j.outcome}] {m.trigger!r}: ours {m.date.value} "
                   f"({m.timex_text or '-'}), gold {j.anchor.value}{' (DCT)' if j.anchor.dct else ''}; "
                   f"DCT {j.doc.dct}\n    {' '.join(m.sentence.split())[:300]}")
        if len(out) >= n:
            break
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("tune", "confirm", "all"), default="tune",
                        help="which half to score (confirm only to check what was tuned; default tune)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/news-timeline-event-eval"),
                        help="folder for cached parses (shared with event_eval.py)")
    parser.add_argument("--errors", type=int, default=0, help="print N events dated wrong or not at all")
    args = parser.parse_args(argv)

    if not (args.data / "timebank-aquaint").is_dir():
        parser.error(f"{args.data} must hold timebank-aquaint/")
    docs = [(d, a) for d, a in load_anchored(args.data) if args.split == "all" or d.split == args.split]
    rule = load_domain_rule()
    started = time.perf_counter()
    gold_docs = [d for d, _ in docs]
    mentions = system_mentions(gold_docs, parsed_docs(gold_docs, args.cache))
    judged, anchored = judge(docs, mentions, rule)
    ndocs = Counter(domain_of(d.text, rule) for d in gold_docs)
    ndocs["total"] = len(gold_docs)
    print(f"TimeBank+AQUAINT, split {args.split}: {len(docs)} documents, {anchored.get('total', 0)} gold-anchored "
          f"events, {len(judged)} matched; {time.perf_counter() - started:.1f} s")
    print(format_tables(judged, anchored, ndocs))
    if args.errors:
        print(error_lines(judged, args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
