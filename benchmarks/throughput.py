"""Throughput of the whole pipeline against the spaCy parse it needs, on news-silver.

    python benchmarks/throughput.py [--docs N] [--single-docs M] [--workers W] [--data DIR]
                                    [--batch-size B] [--skip-stages] [--skip-dask]

Writes news-silver documents (text inside <TEXT>, publication date from the DCT) as `.txt`
articles with a date header into a temporary folder, then in one process:

Single process, on the first M documents (default min(N, 400)):
1. spaCy only: `nlp.pipe` over the same bodies, same model and components (`DISABLED_COMPONENTS`),
   with spaCy's stock attribute ruler and lemmatizer — the floor the pipeline is compared with
   (timed in a process of its own, model load excluded) — and again as the pipeline loads it,
   with their memoized stand-ins (`extractors.nlp_memo`);
2. the stages run directly, without Prefect: load, parse, timex, events, merge, write;
3. the `build_timeline` flow with `n_process=1`, cold cache;
Both cores, same M documents:
4. the flow with `n_process=W` (extraction workers, `flows.parallel`), cold cache;
5. the flow on a local Dask cluster of W workers (`--skip-dask` to skip);
All N documents:
6. the flow with its defaults (`n_process=0`: one worker per core), cold cache;
7. the same folder again, unchanged (extractions and merge from the cache);
8. again with N/20 of the articles new to the cache (their cached extractions and the cached
   merge deleted: only those are extracted, everything is merged again).

Wall time depends on what else runs on the machine; CPU time (this process and all its
children: workers, Dask, the Prefect API server) does much less, so both are printed. "vs spaCy"
is the row's tokens/s over the spaCy-only tokens/s (wall, and CPU). Peak RSS is the largest sum
of resident memory over this process and its children, sampled every 0.2 s. The Prefect API
is started before timing (a once-per-process cost) and its start is printed separately.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import flows  # noqa: E402,F401  (offline Prefect defaults)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news-silver"
_DCT = re.compile(r"<DCT>.*?value=\"(\d{4}-\d{2}-\d{2})", re.S)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_TAG = re.compile(r"<[^>]+>")
STAGES = ("load", "parse", "timex", "events", "merge", "write")


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


@dataclass
class RunSummary:
    """What the table prints of a flow run."""

    timings: dict[str, float]
    extracted: int
    cached: int


@dataclass
class Measure:
    wall: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0
    start_mb: float = 0.0  # the tree's RSS when the row started


def _tree_cpu_and_rss() -> tuple[float, float]:
    """CPU seconds of this process and all children ever (reaped or alive); RSS MB of the live tree."""
    import psutil

    me = psutil.Process()
    times = os.times()
    cpu = times.user + times.system + times.children_user + times.children_system
    rss = me.memory_info().rss
    for child in me.children(recursive=True):
        try:
            child_times = child.cpu_times()
            cpu += child_times.user + child_times.system
            rss += child.memory_info().rss
        except Exception:  # noqa: BLE001 — a child that just exited is counted by os.times()
            continue
    return cpu, rss / 2**20


def _release_freed_memory() -> None:
    """Hand memory that earlier rows freed back to the system, so that a row's peak is not raised
    by what the rows before it left in this process's heap (each `timeline run` is a new process)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def measured(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, Measure]:
    """fn(*args, **kwargs) with its wall time, CPU time and peak RSS of the process tree."""
    result = Measure()
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            result.peak_mb = max(result.peak_mb, _tree_cpu_and_rss()[1])

    sampler = threading.Thread(target=sample, daemon=True)
    _release_freed_memory()
    cpu0, rss0 = _tree_cpu_and_rss()
    result.peak_mb = result.start_mb = rss0
    wall0 = time.perf_counter()
    sampler.start()
    try:
        value = fn(*args, **kwargs)
    finally:
        done.set()
        sampler.join()
    result.wall = time.perf_counter() - wall0
    cpu1, rss1 = _tree_cpu_and_rss()
    result.cpu = cpu1 - cpu0
    result.peak_mb = max(result.peak_mb, rss1)
    return value, result


def _stock_parse_timed(bodies: list[str], batch_size: int) -> tuple[float, float, float]:
    import resource

    from extractors.nlp import load_nlp

    nlp = load_nlp(memoized=False)
    list(nlp.pipe(["Warm up the pipeline on Monday, March 3."]))
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(bodies, batch_size=batch_size):
        pass
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return time.perf_counter() - wall0, time.process_time() - cpu0, peak_mb


def stock_parse(bodies: list[str], batch_size: int) -> Measure:
    """The floor: `nlp.pipe` with spaCy's own components (no memoized stand-ins), timed in a
    process of its own so that its second copy of the model stays out of the later rows' memory."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        wall, cpu, peak_mb = pool.submit(_stock_parse_timed, bodies, batch_size).result()
    return Measure(wall, cpu, peak_mb)


def stage_times(source: Path, out: Path, batch_size: int) -> dict[str, Measure]:
    """The pipeline's stages run directly in this process, each measured on its own."""
    import datetime as dt

    from extractors import export
    from extractors.events import extract_events
    from extractors.html_view import render_timeline_html
    from extractors.inputs import discover_inputs, read_inputs
    from extractors.merge import merge_mentions
    from extractors.nlp import load_nlp
    from extractors.schema import Article
    from extractors.timex import tag_timexes
    from flows.build_timeline import RUNTIME_VALIDATION_EVENTS

    nlp = load_nlp()
    times: dict[str, Measure] = {}
    loaded, times["load"] = measured(lambda: [r for i in discover_inputs(source) for r in read_inputs(i)])
    articles = [a for a in loaded if isinstance(a, Article)]
    docs, times["parse"] = measured(lambda: list(nlp.pipe((a.body for a in articles), batch_size=batch_size)))
    timexes, times["timex"] = measured(
        lambda: [tag_timexes(a.body, a.publication_date, doc=d) for a, d in zip(articles, docs, strict=True)])
    mentions, times["events"] = measured(
        lambda: [m for a, d, t in zip(articles, docs, timexes, strict=True) for m in extract_events(a, d, t)])
    docs.clear()
    entries, times["merge"] = measured(merge_mentions, mentions)

    def write() -> None:
        out.mkdir(parents=True, exist_ok=True)
        timeline = export.timeline_document([], entries, dt.datetime.now(dt.timezone.utc))
        export.validate_timeline(timeline, max_events=RUNTIME_VALIDATION_EVENTS)  # as the flow does
        (out / "timeline.json").write_bytes(export.json_bytes(timeline))
        (out / "timeline.csv").write_bytes(export.timeline_csv_bytes(entries))
        (out / "timeline.html").write_text(render_timeline_html(timeline), encoding="utf-8")

    _, times["write"] = measured(write)
    print(f"  (stages: {len(mentions)} mentions → {len(entries)} entries)", flush=True)
    return times


def forget_extractions(cache_root: Path, file_names: set[str]) -> int:
    """Delete the cached extractions of the articles read from `file_names`, and the cached merge
    (new articles change what is merged); returns how many extractions."""
    from flows.cache import ENTRY_SUFFIX, ResultCache

    shutil.rmtree(cache_root / "merge", ignore_errors=True)
    forgotten = 0
    store = ResultCache(cache_root)
    for entry in store.folder.glob(f"*/*{ENTRY_SUFFIX}"):
        value = store.get(entry.stem)
        if value is None:
            continue
        # Extractions are cached by content (`DateFreeExtraction`): their id is the file's stem.
        if f"{Path(value.doc_id).name}.txt" in file_names:
            entry.unlink()
            forgotten += 1
    return forgotten


def prefect_task_overhead(n: int = 100) -> tuple[float, float]:
    """Milliseconds per task run: called in the flow, and submitted to the default runner."""
    from prefect import flow, task

    @task
    def nothing(i: int) -> int:
        return i

    @flow
    def called() -> None:
        for i in range(n):
            nothing(i)

    @flow
    def submitted() -> None:
        for future in [nothing.submit(i) for i in range(n)]:
            future.result()

    called()  # warm
    per_call = min(measured(called)[1].wall for _ in range(2)) / n
    per_submit = min(measured(submitted)[1].wall for _ in range(2)) / n
    return per_call * 1000, per_submit * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=300,
                        help="documents for the full, re-run and incremental rows together (default 300)")
    parser.add_argument("--single-docs", type=int, default=400,
                        help="documents for the single-process and parallel comparison (default min(docs, 400))")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="processes for the parallel rows")
    parser.add_argument("--batch-size", type=int, default=16, help="articles per extraction task (flow default 16)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--skip-stages", action="store_true", help="skip the in-process stage breakdown")
    parser.add_argument("--skip-dask", action="store_true", help="skip the Dask local cluster row")
    parser.add_argument("--skip-single", action="store_true",
                        help="skip the single-process flow and parallel comparison rows (spaCy-only is kept)")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"news-silver not found at {args.data}")

    from extractors.nlp import DISABLED_COMPONENTS, load_nlp
    from flows.build_timeline import build_timeline
    from flows.runners import with_task_runner

    files = sorted(args.data.glob("*.tml"))[: args.docs]
    # The incremental row re-runs with docs/20 articles new to the cache (their cached extractions
    # deleted): the same work as adding that many new files, without leaving them out of the cold run.
    n_new = max(1, len(files) // 20)
    single_files = files[: min(args.docs, args.single_docs)]
    work = Path(tempfile.mkdtemp(prefix="timeline-throughput-"))
    rows: list[tuple[str, int, int, Measure]] = []
    try:
        single_src, full_src = work / "single", work / "full"
        single_bodies = write_corpus(single_files, single_src)
        bodies = write_corpus(files, full_src)
        nlp = load_nlp()
        single_tokens = sum(len(nlp.make_doc(b)) for b in single_bodies)
        tokens = sum(len(nlp.make_doc(b)) for b in bodies)
        list(nlp.pipe(["Warm up the pipeline on Monday, March 3."]))

        def add(name: str, n_docs: int, n_tokens: int, m: Measure) -> None:
            rows.append((name, n_docs, n_tokens, m))
            print(f"  {name}: {m.wall:.1f} s wall, {m.cpu:.1f} s CPU, {m.peak_mb:.0f} MB "
                  f"(tree at its start {m.start_mb:.0f} MB)", flush=True)

        spacy = stock_parse(single_bodies, args.batch_size)
        add("spaCy parse only, stock pipeline (1 process)", len(single_bodies), single_tokens, spacy)
        _, ours = measured(lambda: sum(1 for _ in nlp.pipe(single_bodies, batch_size=args.batch_size)))
        add("spaCy parse only, memoized ruler+lemmatizer", len(single_bodies), single_tokens, ours)
        stages = {} if args.skip_stages else stage_times(single_src, work / "stages-out", args.batch_size)
        if stages:
            total = Measure(sum(m.wall for m in stages.values()), sum(m.cpu for m in stages.values()),
                            max(m.peak_mb for m in stages.values()))
            add("pipeline stages in-process, no Prefect", len(single_bodies), single_tokens, total)

        # Start the ephemeral Prefect API before timing: it is a once-per-process cost.
        _, api_start = measured(build_timeline, source_dir=str(ROOT / "seeds"), output_dir=str(work / "warm"),
                                cache_dir=str(work / "warm-cache"), n_process=1)

        def flow_run(label: str, flow: Any, source: Path, run: str, n_docs: int, n_tokens: int,
                     **kwargs: Any) -> tuple[RunSummary, Measure]:
            result, m = measured(flow, source_dir=str(source), output_dir=str(work / f"out-{run}"),
                                 cache_dir=str(work / f"cache-{run}"), batch_size=args.batch_size, **kwargs)
            add(label, n_docs, n_tokens, m)
            # Only what is printed is kept: a run's entries and documents (hundreds of MB for the
            # whole collection) would otherwise be counted in the peak of every later row.
            return RunSummary(dict(result.timings), len(result.extracted), len(result.cached)), m

        single_result, single_flow = None, None
        if not args.skip_single:
            single_result, single_flow = flow_run("flow, 1 process, cold cache", build_timeline, single_src,
                                                  "single", len(single_bodies), single_tokens, n_process=1)
            flow_run(f"flow, {args.workers} extraction processes, cold cache", build_timeline, single_src, "par",
                     len(single_bodies), single_tokens, n_process=args.workers)
        if not args.skip_dask and not args.skip_single:
            dask_flow = with_task_runner(build_timeline, dask=True, dask_workers=args.workers)
            flow_run(f"flow, Dask local cluster, {args.workers} workers, cold", dask_flow, single_src, "dask",
                     len(single_bodies), single_tokens)

        full_result, full = flow_run(f"flow, defaults ({args.workers} processes), cold cache", build_timeline,
                                     full_src, "full", len(bodies), tokens)
        rerun_result, rerun = flow_run("flow re-run, unchanged input (cached)", build_timeline, full_src, "full",
                                       len(bodies), tokens)
        forgotten = forget_extractions(work / "cache-full", {f"{p.stem}.txt" for p in files[-n_new:]})
        incremental_result, _ = flow_run(f"flow re-run, {forgotten} articles new to the cache", build_timeline,
                                         full_src, "full", len(bodies), tokens)

        # Last: its hundreds of task runs leave the API server seconds of logs and events to
        # digest, which would be charged to whichever run came next.
        per_call_ms, per_submit_ms = prefect_task_overhead()
        spacy_wall_rate, spacy_cpu_rate = single_tokens / spacy.wall, single_tokens / spacy.cpu
        print(f"\nnews-silver: {len(single_bodies)} documents ({single_tokens:,} tokens) for the single-process "
              f"rows, {len(bodies)} ({tokens:,} tokens) for the full rows; batch {args.batch_size} articles per "
              f"task; disabled spaCy components: {list(DISABLED_COMPONENTS) or 'none'}; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        print(f"{'run':<48} {'docs':>5} {'wall s':>7} {'CPU s':>7} {'docs/s':>7} {'tokens/s':>8} "
              f"{'vs spaCy':>8} {'(CPU)':>6} {'peak RSS':>9}")
        for name, n_docs, n_tokens, m in rows:
            print(f"{name:<48} {n_docs:5d} {m.wall:7.1f} {m.cpu:7.1f} {n_docs / m.wall:7.1f} {n_tokens / m.wall:8.0f} "
                  f"{n_tokens / m.wall / spacy_wall_rate:8.2f} {n_tokens / m.cpu / spacy_cpu_rate:6.2f} "
                  f"{m.peak_mb:7.0f} MB")
        if stages:
            print(f"\nstages in-process, {len(single_bodies)} documents (wall s / CPU s, % of parse CPU):")
            for key in STAGES:
                print(f"  {key:<8} {stages[key].wall:7.2f} {stages[key].cpu:7.2f}  "
                      f"{100 * stages[key].cpu / stages['parse'].cpu:6.1f} %")
        for label, result, m in (("1 process", single_result, single_flow), ("full, defaults", full_result, full),
                                 ("re-run", rerun_result, rerun), ("incremental", incremental_result, None)):
            if result is None:
                continue
            timings = result.timings
            line = ", ".join(f"{k} {v:.2f}" for k, v in timings.items())
            overhead = f"; Prefect and the rest {m.wall - sum(timings.values()):.2f} s" if m else ""
            print(f"flow stages ({label}): {line} s{overhead}; extracted {result.extracted}, "
                  f"from cache {result.cached}")
        print(f"Prefect: API start {api_start.wall:.1f} s (not counted); per task run {per_call_ms:.1f} ms called, "
              f"{per_submit_ms:.1f} ms submitted")
        print(f"re-run / first run: {rerun.wall / full.wall:.1%} wall, {rerun.cpu / full.cpu:.1%} CPU")
        if single_flow is not None:
            print(f"speed-up of the full run over the 1-process flow (tokens/s, wall): "
                  f"{(tokens / full.wall) / (single_tokens / single_flow.wall):.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
