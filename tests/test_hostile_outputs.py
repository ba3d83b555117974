"""Safe outputs: a reader never sees half a file, a crash leaves the previous outputs intact."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from flows import outputs
from flows.outputs import write_atomic, write_output_set


def _payload(run: int, size: int = 200_000) -> bytes:
    return json.dumps({"run": run, "events": ["x" * 100] * (size // 100)}).encode()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_outputs_crash_while_writing_leaves_previous_file_intact(tmp_path, monkeypatch, failing):
    target = tmp_path / "timeline.json"
    write_atomic(target, _payload(1))

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "write":
        real_fdopen = os.fdopen

        class Failing:
            def __init__(self, handle):
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, data):
                self.handle.write(data[: len(data) // 2])
                boom()

        monkeypatch.setattr(outputs.os, "fdopen", lambda fd, mode: Failing(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(outputs.os, failing, boom)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, _payload(2))
    assert json.loads(target.read_bytes())["run"] == 1
    assert _leftovers(tmp_path) == []


def test_outputs_readers_never_see_half_a_file(tmp_path):
    folder = tmp_path / "out"
    write_output_set(folder, {"timeline.json": _payload(0), "run_report.json": _payload(0, 1000)})
    stop = threading.Event()
    errors: list[str] = []
    reads = [0]

    def reader() -> None:
        while not stop.is_set():
            for name in ("timeline.json", "run_report.json"):
                try:
                    json.loads((folder / name).read_bytes())
                    reads[0] += 1
                except ValueError as exc:
                    errors.append(f"{name}: {exc}")

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for run in range(1, 40):
            write_output_set(folder, {"timeline.json": _payload(run), "run_report.json": _payload(run, 1000)})
    finally:
        stop.set()
        thread.join()
    assert errors == [] and reads[0] > 0
    assert _leftovers(folder) == []


def test_outputs_concurrent_writers_leave_one_consistent_set(tmp_path):
    folder = tmp_path / "out"
    barrier = threading.Barrier(4)

    def writer(run: int) -> None:
        barrier.wait()
        for _ in range(5):
            write_output_set(folder, {"timeline.json": _payload(run), "run_report.json": _payload(run, 1000)})

    threads = [threading.Thread(target=writer, args=(run,)) for run in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Under the folder lock the files of one set are written together: the last writer's set wins whole.
    runs = {json.loads((folder / name).read_bytes())["run"] for name in ("timeline.json", "run_report.json")}
    assert len(runs) == 1
    assert _leftovers(folder) == []


# ---- the set is all-or-nothing: kill -9 at every step, a disk that fills, leftovers ----------

OUTPUT_NAMES = ("timeline.json", "timeline.csv", "run_report.json", "articles.jsonl", "timeline.html")


def _output_set(run: int, size: int = 20_000) -> dict[str, bytes]:
    return {name: _payload(run, size) for name in OUTPUT_NAMES}


def _runs_seen(folder: Path) -> dict[str, int]:
    """The run each output file comes from, read through the paths users read."""
    return {name: json.loads((folder / name).read_bytes())["run"] for name in OUTPUT_NAMES}


def _leftover_entries(folder: Path) -> list[str]:
    generations = folder / outputs.GENERATIONS
    extra = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    return extra + ([p.name for p in generations.iterdir()] if generations.is_dir() else [])


# Kills its own process (SIGKILL: nothing runs after it) at the K-th call of os.replace,
# os.symlink, os.link or the generation's file writes, while writing run 2 over run 1.
_KILLER = """
import json, os, signal, sys
from pathlib import Path
from flows import outputs
folder, kill_at = Path(sys.argv[1]), int(sys.argv[2])
calls = [0]
def counting(real):
    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return wrapper
for name in ("replace", "symlink", "link"):
    setattr(os, name, counting(getattr(os, name)))
outputs._crash_point = counting(lambda step: None)
names = ("timeline.json", "timeline.csv", "run_report.json", "articles.jsonl", "timeline.html")
payload = lambda run: json.dumps({"run": run, "events": ["x" * 100] * 200}).encode()
outputs.write_output_set(folder, {name: payload(2) for name in names})
print(calls[0])
"""


@pytest.mark.parametrize("start", ["generations", "plain files of an older version"])
def test_outputs_kill_at_any_step_leaves_one_whole_set(tmp_path, start):
    import subprocess
    import sys

    folder = tmp_path / "out"
    folder.mkdir()

    def prepare() -> None:
        shutil.rmtree(folder)
        folder.mkdir()
        if start == "generations":
            write_output_set(folder, _output_set(1))
        else:  # what earlier versions left: each file renamed into place on its own
            for name, data in _output_set(1).items():
                write_atomic(folder / name, data)

    prepare()
    steps = subprocess.run([sys.executable, "-c", _KILLER, str(folder), "0"], capture_output=True, text=True,
                           check=True)
    total = int(steps.stdout)
    assert _runs_seen(folder) == dict.fromkeys(OUTPUT_NAMES, 2)
    seen = []
    for kill_at in range(1, total + 1):
        prepare()
        killed = subprocess.run([sys.executable, "-c", _KILLER, str(folder), str(kill_at)], capture_output=True)
        assert killed.returncode == -9, killed.stderr
        runs = set(_runs_seen(folder).values())
        assert len(runs) == 1, f"killed at step {kill_at}/{total}: a mixed set {_runs_seen(folder)}"
        seen.append(runs.pop())
        # The next run cleans up what the killed one left and writes a whole set.
        write_output_set(folder, _output_set(3))
        assert _runs_seen(folder) == dict.fromkeys(OUTPUT_NAMES, 3)
        assert not [n for n in _leftover_entries(folder) if n.endswith(".tmp")]
        assert len(list((folder / outputs.GENERATIONS).iterdir())) <= 2
    # Early kills leave the previous set, late ones the new set.
    assert seen[0] == 1 and seen[-1] == 2, seen


def test_outputs_stale_temporary_files_of_killed_runs_are_removed(tmp_path):
    folder = tmp_path / "out"
    write_output_set(folder, _output_set(1))
    stale = [folder / ".timeline.json.k2j4h1.tmp", folder / ".current.999.abcd.tmp"]
    stale[0].write_bytes(b"x" * 1000)
    os.symlink("nowhere", stale[1])
    abandoned = folder / outputs.GENERATIONS / "20000101T000000000000Z-1-abcdef"
    abandoned.mkdir()
    (abandoned / "timeline.json").write_bytes(b"half")
    mine = folder / ".notes.tmp"  # not a name of ours: left alone
    mine.write_text("keep me")
    write_output_set(folder, _output_set(2))
    assert not any(os.path.lexists(p) for p in stale)
    assert not abandoned.exists() and mine.read_text() == "keep me"
    assert _runs_seen(folder) == dict.fromkeys(OUTPUT_NAMES, 2)


def test_outputs_consistent_set_through_the_current_link(tmp_path):
    folder = tmp_path / "out"
    written = write_output_set(folder, _output_set(1))
    assert written == {name: str((folder / name).absolute()) for name in OUTPUT_NAMES}
    snapshot = Path(os.path.realpath(folder / outputs.CURRENT))
    write_output_set(folder, _output_set(2))
    # A reader that resolved `.current` before the switch still reads one whole set: the old one.
    assert {json.loads((snapshot / n).read_bytes())["run"] for n in OUTPUT_NAMES} == {1}
    assert _runs_seen(folder) == dict.fromkeys(OUTPUT_NAMES, 2)


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 500 KB tmpfs mounted at a temporary folder, or skip when this machine does not allow it."""
    import subprocess

    mount_point = tmp_path / "tmpfs"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=500k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_outputs_disk_filling_up_leaves_previous_set_whole(small_tmpfs):
    import errno

    folder = small_tmpfs / "out"
    write_output_set(folder, _output_set(1, 20_000))
    with pytest.raises(OSError) as raised:
        write_output_set(folder, _output_set(2, 150_000))  # 750 KB does not fit
    assert raised.value.errno == errno.ENOSPC
    assert _runs_seen(folder) == dict.fromkeys(OUTPUT_NAMES, 1)
    assert not [n for n in _leftover_entries(folder) if n.endswith(".tmp")]
    assert len(list((folder / outputs.GENERATIONS).iterdir())) == 1
    # Room again: the next run writes its whole set.
    write_output_set(folder, _output_set(3, 20_000))
    assert _runs_seen(folder) == dict.fromkeys(OUTPUT_NAMES, 3)


# ---- the real command on a full or read-only output folder: exit 2, no traceback ------------

def _timeline_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).with_name("timeline")), "run", *args], capture_output=True,
                          text=True, timeout=900)


@pytest.mark.slow
def test_outputs_cli_full_disk_keeps_previous_set_and_prints_no_traceback(small_tmpfs, seeds_dir):
    folder = small_tmpfs / "out"
    write_output_set(folder, _output_set(1, 10_000))
    run = _timeline_cli(str(seeds_dir), "--output", str(folder), "--no-cache")
    print(run.stderr[-3000:])
    assert run.returncode == 2
    assert "No space left on device" in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.splitlines()) < 40
    assert _runs_seen(folder) == dict.fromkeys(OUTPUT_NAMES, 1)


@pytest.mark.parametrize("debug", [False, True])
def test_outputs_cli_read_only_output_fails_before_the_run(tmp_path, debug):
    import subprocess

    mount_point = tmp_path / "ro"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=100k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here (needs root or CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        run = _timeline_cli(str(tmp_path), "--output", str(mount_point / "out"), *(["--debug"] if debug else []))
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
    assert run.returncode == (1 if debug else 2)  # --debug lets the exception through
    assert "Read-only file system" in run.stderr
    assert ("Traceback" in run.stderr) is debug
    if not debug:
        assert run.stderr.strip() == f"error: cannot write the output folder {mount_point / 'out'}: Read-only file system"
