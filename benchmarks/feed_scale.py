"""A JSON lines feed of many tiny records through `timeline run`: peak memory and log volume.

    python benchmarks/feed_scale.py [--records 100000] [--without-text] [--kill-above-gb 4]
                                    [--workdir DIR] [--keep]

Writes one `.jsonl` file of `--records` one-sentence records (deterministic: 400 person names,
20 cities, 12 verbs, a date each), or with `--without-text` records that have metadata but no
text field, then runs the real command (`timeline run FILE --output OUT`, under `nice`) as a
child process and samples the resident memory of its whole process tree (the command, its
extraction workers, the temporary Prefect API) every 0.5 s. Prints one table row: wall seconds,
peak RSS of the tree, exit code, lines on stdout and stderr, and the sizes of `timeline.json`
and `run_report.json`. A run whose tree passes `--kill-above-gb` is killed (the row says so), so
that a regression cannot take the shared machine down.

The limit the project keeps (issue 18, "Feeds at scale"): 2.5 GB peak for 100,000 records.
With `--workdir` and `--keep` the output folder (and its extraction cache) is kept, so a second
run measures what follows the extraction (dating, merging, writing) with every extraction cached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST = ["Anna", "Carl", "Maria", "Jonas", "Elena", "Pavel", "Sofia", "Tomas", "Irene", "Hugo",
         "Lena", "Marco", "Nadia", "Oskar", "Rita", "Stefan", "Vera", "Yusuf", "Zoe", "Bruno"]
LAST = ["Berg", "Lund", "Costa", "Novak", "Meyer", "Rossi", "Weber", "Santos", "Kowalski", "Dubois",
        "Jansen", "Moreau", "Fischer", "Horvat", "Ivanova", "Larsen", "Petrov", "Silva", "Tanaka", "Vogel"]
CITIES = ["Oslo", "Lisbon", "Prague", "Vienna", "Madrid", "Dublin", "Warsaw", "Athens", "Helsinki", "Riga",
          "Zagreb", "Sofia", "Tallinn", "Bern", "Brussels", "Rome", "Berlin", "Paris", "Budapest", "Vilnius"]
VERBS = ["met", "criticized", "praised", "visited", "thanked", "interviewed", "sued", "hired", "endorsed",
         "warned", "called", "welcomed"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last week", "yesterday", "today"]


def records(count: int, with_text: bool, seed: int = 18) -> list[dict]:
    """`count` tiny records, one sentence each (or none), deterministic for a seed."""
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    out = []
    for i in range(count):
        a, b = (f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(2))
        record = {"id": f"r{i}", "title": f"Brief {i}",
                  "published": (start + dt.timedelta(days=rng.randrange(365))).isoformat()}
        if with_text:
            record["text"] = f"{a} {rng.choice(VERBS)} {b} in {rng.choice(CITIES)} {rng.choice(DAYS)}."
        out.append(record)
    return out


def write_feed(path: Path, count: int, with_text: bool) -> None:
    with path.open("w", encoding="utf-8") as f:
        for record in records(count, with_text):
            f.write(json.dumps(record) + "\n")


@dataclass
class Outcome:
    wall: float
    peak_gb: float
    exit_code: int
    killed: bool
    stdout_lines: int
    stderr_lines: int
    timeline_bytes: int | None
    report_bytes: int | None
    summary: str


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_command(feed: Path, output: Path, kill_above: float) -> Outcome:
    """`timeline run feed --output output` in a process group of its own, sampled for RSS."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.setdefault("PREFECT_HOME", str(output.parent / "prefect-home"))
    command = ["nice", "-n", "10", str(ROOT / ".venv" / "bin" / "timeline"), "run", str(feed), "--output", str(output)]
    started = time.perf_counter()
    with (output.parent / "stdout.txt").open("w+b") as out, (output.parent / "stderr.txt").open("w+b") as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env, start_new_session=True)
        peak = 0
        killed = False
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak, killed
            while not stop.wait(0.5):
                peak = max(peak, _tree_rss(proc.pid))
                if peak > kill_above * 2**30 and not killed:
                    killed = True
                    os.killpg(proc.pid, signal.SIGKILL)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        stop.set()
        sampler.join()
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")

    def size(name: str) -> int | None:
        path = output / name
        return path.stat().st_size if path.exists() else None

    return Outcome(wall=wall, peak_gb=peak / 2**30, exit_code=code, killed=killed,
                   stdout_lines=len(stdout.splitlines()), stderr_lines=len(stderr.splitlines()),
                   timeline_bytes=size("timeline.json"), report_bytes=size("run_report.json"),
                   summary=(stdout.strip().splitlines() or [""])[-1][:120])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--without-text", action="store_true")
    parser.add_argument("--kill-above-gb", type=float, default=4.0)
    parser.add_argument("--workdir", type=Path, help="keep the feed and the output folder here")
    parser.add_argument("--keep", action="store_true", help="reuse the feed and output folder of --workdir")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="feed-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    feed = workdir / ("feed-no-text.jsonl" if args.without_text else "feed.jsonl")
    if not (args.keep and feed.exists()):
        write_feed(feed, args.records, not args.without_text)
    outcome = run_command(feed, workdir / "out", args.kill_above_gb)
    kb = lambda n: "-" if n is None else f"{n / 1024:,.1f}"  # noqa: E731
    print("| records | text | wall s | peak RSS GB (tree) | exit | stdout lines | stderr lines | timeline.json kB | run_report.json kB |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| {args.records:,} | {'no' if args.without_text else 'yes'} | {outcome.wall:.0f} | {outcome.peak_gb:.2f}"
          f"{' (killed)' if outcome.killed else ''} | {outcome.exit_code} | {outcome.stdout_lines} | "
          f"{outcome.stderr_lines} | {kb(outcome.timeline_bytes)} | {kb(outcome.report_bytes)} |")
    print(outcome.summary)


if __name__ == "__main__":
    main()
