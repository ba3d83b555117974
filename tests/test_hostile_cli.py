"""The real `timeline run` command on hostile folders, as a user runs it (a subprocess).

The acceptance test of issue 7: one of each hostile input next to the seed articles; every
file is in the report with the right status and reason, the seed events are still in the
timeline, no traceback reaches the user, memory stays bounded and the outputs validate.
Also: two runs writing one output folder at once, a re-run after a failed article, a
single-line 9 MB article processed in pieces.

Peak memory is measured two ways and printed: the largest single process (getrusage of the
command's process tree) and the sum over the process tree sampled every 0.1 s (psutil).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_hostile_inputs import (
    HOSTILE_EXPECTATIONS,
    SEED_NAMES,
    STORIES,
    assert_record_matches,
    build_hostile_folder,
)

from extractors import export

pytestmark = pytest.mark.slow

MEMORY_LIMIT = 2 * 1024**3
TIMELINE = Path(sys.executable).with_name("timeline")
# Runs the command, then writes the peak RSS of the largest process it waited for (KiB on Linux).
_MAXRSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)
# A Python entry point equal to the `timeline` script, except that extraction raises for any
# article containing FAIL-ME while TIMELINE_TEST_FAIL=1: a stand-in for a crash on one article.
_FAULTY_ENTRY = (
    "import os, sys\n"
    "import extractors.pipeline as pipeline\n"
    "real = pipeline.extract_parsed\n"
    "def faulty(article, parsed):\n"
    "    if os.environ.get('TIMELINE_TEST_FAIL') == '1' and 'FAIL-ME' in article.body:\n"
    "        raise RuntimeError('injected fault')\n"
    "    return real(article, parsed)\n"
    "pipeline.extract_parsed = faulty\n"
    "from flows.cli import app\n"
    "sys.argv[0] = 'timeline'\n"
    "app()\n"
)


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_process_rss: int  # bytes, largest single process
    peak_tree_rss: int  # bytes, sum over the process tree, sampled

    def describe(self, label: str) -> str:
        return (f"{label}: exit {self.returncode} in {self.seconds:.0f} s, peak RSS "
                f"{self.peak_process_rss / 2**20:.0f} MiB (largest process), "
                f"{self.peak_tree_rss / 2**20:.0f} MiB (process tree, sampled)")


def _require_pipeline() -> None:
    probe = subprocess.run([sys.executable, "-c", "import flows.build_timeline"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("the pipeline does not import yet: " + probe.stderr.strip().splitlines()[-1])


def _kill_tree(proc) -> None:
    import psutil

    for member in [*proc.children(recursive=True), proc]:
        try:
            member.kill()
        except psutil.Error:
            pass


def run_command(command: list[str], workdir: Path, env: dict[str, str] | None = None, timeout: float = 1800,
                kill_above: int = MEMORY_LIMIT) -> CliRun:
    import psutil

    workdir.mkdir(parents=True, exist_ok=True)
    maxrss_file = workdir / "maxrss"
    out_path, err_path = workdir / "stdout.txt", workdir / "stderr.txt"
    start = time.perf_counter()
    peak_tree = 0
    with out_path.open("w") as out, err_path.open("w") as err:
        proc = psutil.Popen([sys.executable, "-c", _MAXRSS_WRAPPER, str(maxrss_file), *command],
                            stdout=out, stderr=err, env={**os.environ, **(env or {})})
        while proc.poll() is None:
            if time.perf_counter() - start > timeout:
                _kill_tree(proc)
                pytest.fail(f"{command} took longer than {timeout} s")
            total = 0
            try:
                for member in [proc, *proc.children(recursive=True)]:
                    try:
                        total += member.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            peak_tree = max(peak_tree, total)
            if peak_tree > kill_above:
                # Fail while the machine is still usable rather than after it starts swapping or OOM-kills.
                _kill_tree(proc)
                pytest.fail(f"{command[:2]} exceeded {kill_above / 2**30:.1f} GiB of memory after "
                            f"{time.perf_counter() - start:.0f} s; stderr tail:\n{err_path.read_text()[-2000:]}")
            time.sleep(0.1)
    seconds = time.perf_counter() - start
    peak_process = int(maxrss_file.read_text()) * 1024 if maxrss_file.exists() else 0
    return CliRun(proc.returncode, out_path.read_text(), err_path.read_text(), seconds, peak_process,
                  max(peak_tree, peak_process))


def run_timeline(args: list[str], workdir: Path, env: dict[str, str] | None = None) -> CliRun:
    return run_command([str(TIMELINE), *args], workdir, env)


def _load(output: Path) -> tuple[dict, dict]:
    return (json.loads((output / "run_report.json").read_text(encoding="utf-8")),
            json.loads((output / "timeline.json").read_text(encoding="utf-8")))


def _seed_sources(timeline: dict) -> set[tuple[str, int, int]]:
    seeds = {Path(name).stem for name in SEED_NAMES}
    return {(s["doc_id"], s["start"], s["end"]) for e in timeline["events"] for s in e["sources"] if s["doc_id"] in seeds}


def _report(capsys, line: str) -> None:
    with capsys.disabled():
        print("\n" + line)


@pytest.fixture(scope="module")
def seeds_baseline(tmp_path_factory, seeds_dir) -> dict:
    """The timeline of the seed articles alone, for comparison."""
    _require_pipeline()
    work = tmp_path_factory.mktemp("baseline")
    source = work / "source"
    shutil.copytree(seeds_dir, source)
    run = run_timeline(["run", str(source), "--output", str(work / "out")], work)
    assert run.returncode == 0, run.stderr[-3000:]
    return _load(work / "out")[1]


def test_cli_hostile_folder_every_file_accounted_for(tmp_path, seeds_dir, seeds_baseline, capsys):
    source = build_hostile_folder(tmp_path / "source", seeds_dir)
    output = tmp_path / "out"
    run = run_timeline(["run", str(source), "--output", str(output)], tmp_path / "run")
    _report(capsys, run.describe("hostile folder run"))

    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    expected_failures = sorted(p for p, e in HOSTILE_EXPECTATIONS.items() if e[0] == "failed")
    assert run.returncode == (1 if expected_failures else 0), run.stderr[-3000:]
    if expected_failures:
        assert f"{len(expected_failures)} file(s) failed" in run.stderr
        for path in expected_failures:
            assert f"failed {path}: " in run.stderr
    assert run.peak_tree_rss < MEMORY_LIMIT

    report, timeline = _load(output)
    assert export.validate_timeline(timeline) == []
    documents = {d["path"]: d for d in report["documents"]}
    assert set(documents) == set(HOSTILE_EXPECTATIONS)
    assert report["documents"] == timeline["documents"]
    for path, document in documents.items():
        assert_record_matches(path, document["status"], document["reason"], document["warnings"])
    assert report["counts"]["files"] == len(HOSTILE_EXPECTATIONS)
    for status in ("processed", "skipped", "failed"):
        assert report["counts"][status] == sum(1 for e in HOSTILE_EXPECTATIONS.values() if e[0] == status)

    # Duplicates name their originals; skipped files say why on stderr too.
    assert documents["zz_exact_copy_of_001.txt"]["duplicate_of"] == "001_8b995e60514696a3"
    assert documents["zz_near_copy_of_003.txt"]["duplicate_of"] == "003_5230a247bce10831"
    assert "skipped huge_single_line.txt: larger than the 10 MB limit" in run.stderr
    assert "warning bad_header_date.txt: invalid header date '2023-13-45' ignored" in run.stderr

    # Every processed article yields events, and every seed statement is still in the timeline.
    for path, document in documents.items():
        if document["status"] == "processed" and path != "latin1.txt":  # French: English extractors only
            assert document["event_count"] > 0, path
    assert _seed_sources(seeds_baseline) <= _seed_sources(timeline)
    assert not any(s["doc_id"] in {"zz_exact_copy_of_001", "zz_near_copy_of_003"}
                   for e in timeline["events"] for s in e["sources"])

    # Offsets slice the stored bodies, whatever the encoding and Unicode oddities of the file.
    bodies = {}
    for line in (output / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        bodies[record["doc_id"]] = record["body"]
    triggers = {(e["trigger"], s["doc_id"], s["start"], s["end"]) for e in timeline["events"] for s in e["sources"]}
    for _, doc_id, start, end in triggers:
        assert 0 <= start < end <= len(bodies[doc_id]), (doc_id, start, end)
    assert "long_single_line" not in bodies


def test_cli_bad_arguments_are_reported_without_traceback(tmp_path):
    run = run_timeline(["run", str(tmp_path / "missing"), "--output", str(tmp_path / "out")], tmp_path / "run")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "does not exist" in run.stderr and run.stderr.startswith("error: ")
    (tmp_path / "file.txt").write_text("x")
    run = run_timeline(["run", str(tmp_path), "--output", str(tmp_path / "file.txt")], tmp_path / "run2")
    assert run.returncode == 2 and "exists and is not a folder" in run.stderr and "Traceback" not in run.stderr


def test_cli_concurrent_runs_into_one_output_folder_both_finish_valid(tmp_path, seeds_dir, capsys):
    _require_pipeline()
    source = tmp_path / "source"
    shutil.copytree(seeds_dir, source)
    (source / "extra.txt").write_text(" date 2023-09-14 " + STORIES["utf8_bom"], encoding="utf-8")
    output = tmp_path / "out"
    launched = []
    for index in range(2):
        workdir = tmp_path / f"run{index}"
        workdir.mkdir()
        launched.append((workdir, subprocess.Popen(
            [str(TIMELINE), "run", str(source), "--output", str(output)],
            stdout=(workdir / "stdout.txt").open("w"), stderr=(workdir / "stderr.txt").open("w"))))
    # Read the outputs while the runs go on: a reader must never see a half-written file.
    reads = 0
    while any(proc.poll() is None for _, proc in launched):
        for name in ("timeline.json", "run_report.json"):
            try:
                data = (output / name).read_bytes()
            except FileNotFoundError:
                continue
            json.loads(data)
            reads += 1
        time.sleep(0.05)
    for workdir, proc in launched:
        stderr = (workdir / "stderr.txt").read_text()
        assert proc.returncode == 0, stderr[-3000:]
        assert "Traceback" not in stderr
    report, timeline = _load(output)
    assert export.validate_timeline(timeline) == []
    # Both files come from the same run (the last writer's), not one from each.
    assert report["generated_at"] == timeline["generated_at"]
    assert report["counts"]["processed"] == 6 and len(timeline["events"]) == report["counts"]["events"]
    assert not [p.name for p in output.iterdir() if p.name.endswith(".tmp")]
    _report(capsys, f"concurrent runs: both exit 0; {reads} reads of the outputs during the runs all parsed")


def test_cli_rerun_after_a_failed_article_redoes_only_that_article(tmp_path, seeds_dir):
    _require_pipeline()
    source = tmp_path / "source"
    source.mkdir()
    for name in SEED_NAMES[:2]:  # dated articles: no publication-date estimate couples them
        shutil.copyfile(seeds_dir / name, source / name)
    for key in ("utf8_bom", "bad_sidecar"):
        (source / f"{key}.txt").write_text(f" date 2023-09-14 {STORIES[key]}", encoding="utf-8")
    (source / "fragile.txt").write_text(" date 2023-09-14 FAIL-ME " + STORIES["nested"], encoding="utf-8")
    output = tmp_path / "out"
    command = [sys.executable, "-c", _FAULTY_ENTRY, "run", str(source), "--output", str(output)]

    first = run_command(command, tmp_path / "first", env={"TIMELINE_TEST_FAIL": "1"})
    assert first.returncode == 1, first.stderr[-3000:]
    assert "Traceback" not in first.stderr
    assert "1 file(s) failed (1 extraction failed)" in first.stderr
    assert "failed fragile.txt: extraction failed: RuntimeError: injected fault" in first.stderr
    report, timeline = _load(output)
    assert export.validate_timeline(timeline) == []
    first_version = report["cache"]["version"]
    statuses = {d["path"]: d["status"] for d in report["documents"]}
    assert statuses == {**{n: "processed" for n in SEED_NAMES[:2]}, "utf8_bom.txt": "processed",
                        "bad_sidecar.txt": "processed", "fragile.txt": "failed"}

    second = run_command(command, tmp_path / "second", env={"TIMELINE_TEST_FAIL": "0"})
    assert second.returncode == 0, second.stderr[-3000:]
    report, _ = _load(output)
    assert {d["status"] for d in report["documents"]} == {"processed"}
    if report["cache"]["version"] != first_version:
        pytest.skip("the extractors' code changed between the two runs, so nothing could be reused")
    assert (report["cache"]["hits"], report["cache"]["misses"]) == (4, 1)


def _one_line_article(characters: int, seed: int) -> tuple[str, int]:
    """Varied templated prose on one line (realistic parsing work) and its sentence count."""
    import random

    rng = random.Random(seed)
    people = ["Kim Jong Un", "Vladimir Putin", "Sergei Shoigu", "Jake Sullivan", "Kamala Harris", "Yoon Suk Yeol"]
    places = ["Pyongyang", "Moscow", "Vladivostok", "Seoul", "Washington", "Beijing", "Tokyo"]
    verbs = ["met", "visited", "warned", "criticized", "praised", "called"]
    months = ["January", "March", "May", "July", "September", "November"]
    sentences: list[str] = []
    size = 0
    while size < characters:
        sentence = (f"{rng.choice(people)} {rng.choice(verbs)} officials in {rng.choice(places)} on "
                    f"{rng.randint(1, 28)} {rng.choice(months)} {rng.randint(2015, 2023)}, "
                    f"{rng.choice(people).split()[-1]}'s office said in a statement number {len(sentences)}.")
        sentences.append(sentence)
        size += len(sentence) + 1
    return " date 2023-11-06 " + " ".join(sentences), len(sentences)


def _run_single_article(tmp_path, capsys, text: str, label: str) -> tuple[dict, dict]:
    """Run the real CLI over a folder holding only `text`; (its report record, timeline.json)."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "one_line.txt").write_text(text, encoding="utf-8")
    run = run_timeline(["run", str(source), "--output", str(tmp_path / "out")], tmp_path / "run")
    _report(capsys, run.describe(label))
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert run.peak_tree_rss < MEMORY_LIMIT
    report, timeline = _load(tmp_path / "out")
    (document,) = report["documents"]
    return document, timeline


def test_cli_single_line_article_longer_than_spacy_pieces_is_processed_in_bounded_pieces(tmp_path, capsys):
    _require_pipeline()
    from extractors.pipeline import MAX_PIECE_CHARS

    text, sentence_count = _one_line_article(3 * MAX_PIECE_CHARS, seed=3)
    document, timeline = _run_single_article(tmp_path, capsys, text, "150,000-character single-line article")
    assert document["status"] == "processed" and document["event_count"] > sentence_count // 2
    assert export.validate_timeline(timeline) == []


def test_cli_multi_megabyte_single_line_article_is_refused_with_a_reason(tmp_path, capsys):
    from extractors.articles import MAX_ARTICLE_CHARS

    text, _ = _one_line_article(9 * 10**6, seed=9)
    assert len(text.encode("utf-8")) < 10 * 1024 * 1024  # under the input size limit: refused for its length
    document, timeline = _run_single_article(tmp_path, capsys, text, "9 MB single-line article")
    assert document["status"] == "skipped"
    assert document["reason"].startswith(f"text longer than the {MAX_ARTICLE_CHARS:,}-character limit")
    assert export.validate_timeline(timeline) == []
