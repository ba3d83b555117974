"""Throughput of the whole pipeline against the spaCy parse it needs, on news-silver.

    python benchmarks/throughput.py [--docs N] [--workers 2] [--data DIR]

Writes N news-silver documents (text inside <TEXT>, publication date from the DCT) as
`.txt` articles with a date header into a temporary folder, then in one process:

1. spaCy only: `nlp.pipe` over the same bodies (same model, same components) — the floor;
2. the stages in-process without Prefect: load, parse, timex, events, merge, write;
3. the `build_timeline` flow, single process (the Prefect API is started before timing);
4. the flow again with extraction spread over `--workers` processes on a local Dask cluster
   (skipped with --workers 1);
5. the flow again over the unchanged folder (cached re-run), and after adding new articles.

Prints one table: documents/s, tokens/s, ratio to spaCy-only, peak RSS, per-stage times.
"""

from __future__ import annotations

import argparse
import html
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import flows  # noqa: E402,F401  (offline Prefect defaults)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news-silver"
_DCT = re.compile(r"<DCT>.*?value=\"(\d{4}-\d{2}-\d{2})", re.S)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_TAG = re.compile(r"<[^>]+>")


def read_silver(path: Path) -> tuple[str, str] | None:
    """(dct, text) of a news-silver TimeML file; None when it has no TEXT."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    text_match, dct_match = _TEXT.search(raw), _DCT.search(raw)
    if not text_match:
        return None
    text = html.unescape(_TAG.sub("", text_match.group(1))).strip()
    return (dct_match.group(1) if dct_match else ""), text


def write_corpus(files: list[Path], folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    bodies = []
    for path in files:
        parsed = read_silver(path)
        if parsed is None:
            continue
        dct, text = parsed
        header = f" date {dct}\n" if dct else ""
        (folder / f"{path.stem}.txt").write_text(header + text, encoding="utf-8")
        bodies.append(text)
    return bodies


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def stage_times(source: Path, out: Path) -> dict[str, float]:
    """The pipeline's stages run directly, each timed on its own."""
    from extractors import export
    from extractors.events import extract_events
    from extractors.inputs import discover_inputs, read_input
    from extractors.merge import merge_mentions
    from extractors.nlp import load_nlp
    from extractors.schema import Article
    from extractors.timex import tag_timexes

    nlp = load_nlp()
    times: dict[str, float] = {}
    loaded, times["load"] = timed(lambda: [read_input(i) for i in discover_inputs(source)])
    articles = [a for a in loaded if isinstance(a, Article)]
    docs, times["parse"] = timed(lambda: list(nlp.pipe((a.body for a in articles), batch_size=16)))
    timexes, times["timex"] = timed(
        lambda: [tag_timexes(a.body, a.publication_date, doc=d) for a, d in zip(articles, docs, strict=True)])
    mentions, times["events"] = timed(
        lambda: [m for a, d, t in zip(articles, docs, timexes, strict=True) for m in extract_events(a, d, t)])
    entries, times["merge"] = timed(merge_mentions, mentions)

    def write() -> None:
        out.mkdir(parents=True, exist_ok=True)
        doc = export.timeline_document([], entries, __import__("datetime").datetime.now())
        (out / "timeline.json").write_bytes(export.json_bytes(doc))
        (out / "timeline.csv").write_bytes(export.timeline_csv_bytes(entries))

    _, times["write"] = timed(write)
    times["mentions"] = len(mentions)
    times["entries"] = len(entries)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=300, help="number of news-silver documents (default 300)")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes for the parallel run")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--skip-stages", action="store_true", help="skip the in-process stage breakdown")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"news-silver not found at {args.data}")

    from extractors.nlp import load_nlp
    from flows.build_timeline import build_timeline
    from flows.runners import with_task_runner

    files = sorted(args.data.glob("*.tml"))[: args.docs]
    work = Path(tempfile.mkdtemp(prefix="timeline-throughput-"))
    try:
        source = work / "articles"
        bodies = write_corpus(files, source)
        nlp = load_nlp()
        list(nlp.pipe(["Warm up the pipeline."]))
        docs, spacy_seconds = timed(lambda: list(nlp.pipe(bodies, batch_size=16)))
        tokens = sum(len(d) for d in docs)
        del docs

        rows: list[tuple[str, float]] = [("spaCy parse only (nlp.pipe, 1 process)", spacy_seconds)]
        stages = {} if args.skip_stages else stage_times(source, work / "stages-out")
        if stages:
            rows.append(("pipeline stages in-process, no Prefect",
                         sum(v for k, v in stages.items() if k not in ("mentions", "entries"))))

        # Start the ephemeral Prefect API before timing: it is a once-per-process cost.
        _, api_start = timed(build_timeline, source_dir=str(ROOT / "seeds"), output_dir=str(work / "warm"),
                             cache_dir=str(work / "warm-cache"))
        result, flow_seconds = timed(build_timeline, source_dir=str(source), output_dir=str(work / "out1"),
                                     cache_dir=str(work / "cache1"))
        rows.append(("flow, 1 process, cold cache", flow_seconds))
        _, rerun_seconds = timed(build_timeline, source_dir=str(source), output_dir=str(work / "out1"),
                                 cache_dir=str(work / "cache1"))
        rows.append(("flow re-run, unchanged input (cached)", rerun_seconds))
        extra = sorted(args.data.glob("*.tml"))[args.docs: args.docs + max(1, args.docs // 20)]
        write_corpus(extra, source)
        _, incremental_seconds = timed(build_timeline, source_dir=str(source), output_dir=str(work / "out1"),
                                       cache_dir=str(work / "cache1"))
        rows.append((f"flow re-run, {len(extra)} new articles", incremental_seconds))
        if args.workers > 1:
            shutil.rmtree(source)
            write_corpus(files, source)
            dask_flow = with_task_runner(build_timeline, dask=True, dask_workers=args.workers)
            batch = max(1, len(files) // (args.workers * 4))
            _, parallel_seconds = timed(dask_flow, source_dir=str(source), output_dir=str(work / "out2"),
                                        cache_dir=str(work / "cache2"), batch_size=batch)
            rows.append((f"flow, Dask local cluster, {args.workers} workers, cold cache", parallel_seconds))

        n = len(bodies)
        print(f"\n{n} news-silver documents, {tokens:,} tokens; Prefect API start {api_start:.1f} s (not counted)")
        print(f"{'run':<50} {'seconds':>8} {'docs/s':>8} {'tokens/s':>9} {'vs spaCy':>9}")
        for name, seconds in rows:
            print(f"{name:<50} {seconds:8.2f} {n / seconds:8.1f} {tokens / seconds:9.0f} "
                  f"{spacy_seconds / seconds:9.2f}")
        if stages:
            print(f"\nstages in-process ({int(stages['mentions'])} mentions → {int(stages['entries'])} entries):")
            for key in ("load", "parse", "timex", "events", "merge", "write"):
                print(f"  {key:<8} {stages[key]:7.2f} s  {100 * stages[key] / stages['parse']:6.1f} % of parse")
        flow_timings = result.timings
        print("\nflow stage timings (cold run): " + ", ".join(f"{k} {v:.2f} s" for k, v in flow_timings.items()))
        in_stages = sum(flow_timings.values())
        print(f"Prefect overhead (flow wall time − its stages): {flow_seconds - in_stages:.2f} s")
        print(f"re-run / first run: {rerun_seconds / flow_seconds:.1%}")
        print(f"peak RSS (this process or any child): {peak_rss_mb():.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
