"""Safe outputs: a reader never sees half a file, a crash leaves the previous outputs intact."""

from __future__ import annotations

import json
import os
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
