"""Whether two runs wrote the same timeline: for checking that a change meant only for speed or
memory left every output as it was.

    python benchmarks/same_outputs.py OLD_OUTPUT_DIR NEW_OUTPUT_DIR

Compares `timeline.json` (entries, dates, sources, ranks, documents: everything but
`generated_at`), `timeline.csv` and `articles.jsonl` byte for byte, and `run_report.json` without
what changes from run to run (`generated_at`, timings, the cache's folder and hit counts, the
output folder). Prints one line per file and the first differing entries; exits 1 when anything
differs. Typical use: the same input run with the code before and after a change
(`git worktree add --detach /tmp/old main`, then `PYTHONPATH=/tmp/old timeline run ...`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# What differs between two runs of the same code over the same input.
RUN_SPECIFIC_REPORT_KEYS = ("generated_at", "timings_seconds", "cache", "output_dir", "source_dir")


def _timeline(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("generated_at", None)
    return document


def _report(path: Path) -> dict[str, Any]:
    report = json.loads(path.read_text(encoding="utf-8"))
    for key in RUN_SPECIFIC_REPORT_KEYS:
        report.pop(key, None)
    return report


def first_differences(old: list[Any], new: list[Any], limit: int = 3) -> list[str]:
    """Up to `limit` lines naming the first positions where two lists differ."""
    lines = [f"  {len(old)} against {len(new)} items"] if len(old) != len(new) else []
    for k, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            keys = sorted(key for key in set(a) | set(b) if a.get(key) != b.get(key)) if isinstance(a, dict) else []
            lines.append(f"  item {k} differs" + (f" in {keys}" if keys else ""))
            if len(lines) >= limit:
                break
    return lines


def compare(old_dir: Path, new_dir: Path) -> list[str]:
    """Lines describing every difference (empty when the outputs are the same)."""
    problems: list[str] = []
    old_timeline, new_timeline = _timeline(old_dir / "timeline.json"), _timeline(new_dir / "timeline.json")
    for key in sorted(set(old_timeline) | set(new_timeline)):
        a, b = old_timeline.get(key), new_timeline.get(key)
        if a != b:
            problems.append(f"timeline.json: {key!r} differs")
            if isinstance(a, list) and isinstance(b, list):
                problems.extend(first_differences(a, b))
    for name in ("timeline.csv", "articles.jsonl"):
        if (old_dir / name).read_bytes() != (new_dir / name).read_bytes():
            problems.append(f"{name}: differs")
    if _report(old_dir / "run_report.json") != _report(new_dir / "run_report.json"):
        problems.append("run_report.json: differs (apart from run-specific keys)")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    problems = compare(args.old, args.new)
    entries = len(_timeline(args.new / "timeline.json").get("events", []))
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"same outputs: timeline.json ({entries} entries), timeline.csv, articles.jsonl, run_report.json")


if __name__ == "__main__":
    main()
