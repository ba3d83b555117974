"""`timeline run` as a terminal, a service manager and the OOM killer treat it: Ctrl-C and SIGTERM
to its process group end the run within seconds with 130 / 143 and leave the previous outputs
whole; SIGKILL of the main process alone leaves no child behind (temporary API, extraction
workers); a Prefect server that goes away mid-run does not keep the command waiting once the
outputs are written (exit 3, one warning).

Each test starts the real command in its own session, with its own PREFECT_HOME, and kills
whatever is left by PID at the end.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

psutil = pytest.importorskip("psutil")

from process_helpers import (  # noqa: E402
    BIN,
    Server,
    free_port,
    healthy,
    offline_env,
    stop_process_group,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(420)]

# Until the extraction workers are up (the temporary API starts, then each worker loads a model).
WORKERS_TIMEOUT = 180
# What "within seconds" means here, on a loaded 2-core machine.
STOP_TIMEOUT = 20
PREVIOUS = {"timeline.json": b'{"previous": true}\n', "timeline.csv": b"previous\n",
            "run_report.json": b'{"previous": true}\n', "articles.jsonl": b"{}\n",
            "timeline.html": b"<p>previous</p>\n"}


def previous_outputs(folder: Path) -> Path:
    folder.mkdir()
    for name, content in PREVIOUS.items():
        (folder / name).write_bytes(content)
    return folder


@contextlib.contextmanager
def timeline_run(tmp_path: Path, source: Path, output: Path, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """`timeline run` on extraction workers, one article per batch, in its own session; killed by
    group at the end."""
    log = tmp_path / "run.log"
    home = tmp_path / "prefect-home"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [str(BIN / "timeline"), "run", str(source), "--output", str(output), "--n-process", "2", "--batch-size", "1",
             "--no-cache"],
            env=offline_env(home, **env), stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=tmp_path,
        )
    try:
        yield process
    finally:
        stop_process_group(process, grace=2)


def extraction_workers(process: subprocess.Popen[bytes]) -> list[psutil.Process]:
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    workers = []
    for child in children:
        with contextlib.suppress(psutil.Error):
            if "multiprocessing" in " ".join(child.cmdline()) and "resource_tracker" not in " ".join(child.cmdline()):
                workers.append(child)
    return workers


def wait_for_workers(process: subprocess.Popen[bytes], log: Path) -> list[psutil.Process]:
    """The run's child processes once extraction has started (a worker is loading its model)."""
    wait_for(lambda: extraction_workers(process), WORKERS_TIMEOUT, "an extraction worker", interval=0.2,
             alive=process, log=log)
    # A Ctrl-C in the first instants of a worker's interpreter start (before it can ignore SIGINT)
    # makes Python print its own start-up failure; a terminal user would have to be very quick.
    time.sleep(1.5)
    return psutil.Process(process.pid).children(recursive=True)


def assert_all_gone(processes: list[psutil.Process], timeout: float = 10) -> None:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    assert not alive, [(p.pid, p.cmdline()) for p in alive if p.is_running()]


def wait_exit(process: subprocess.Popen[bytes], timeout: float, log: Path) -> int:
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running {timeout} s after the signal:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_run_control_signal_to_the_group_stops_the_run_within_seconds(tmp_path, seeds_dir, signum, code):
    output = previous_outputs(tmp_path / "out")
    with timeline_run(tmp_path, seeds_dir, output) as process:
        children = wait_for_workers(process, tmp_path / "run.log")
        os.killpg(process.pid, signum)  # what a terminal's Ctrl-C and `kill -TERM -PGID` do
        started = time.monotonic()
        assert wait_exit(process, STOP_TIMEOUT, tmp_path / "run.log") == code
        elapsed = time.monotonic() - started
        assert_all_gone(children)
    log = (tmp_path / "run.log").read_text(errors="replace")
    assert "previous outputs are left as they were" in log
    assert "Traceback" not in log
    assert {p.name: p.read_bytes() for p in output.iterdir() if p.name in PREVIOUS} == PREVIOUS, elapsed


def test_run_control_ctrl_c_while_the_temporary_api_starts(tmp_path, seeds_dir):
    output = previous_outputs(tmp_path / "out")

    def api_server(process: subprocess.Popen[bytes]) -> list[psutil.Process]:
        with contextlib.suppress(psutil.Error):
            return [c for c in psutil.Process(process.pid).children(recursive=True)
                    if "uvicorn" in " ".join(c.cmdline())]
        return []

    with timeline_run(tmp_path, seeds_dir, output) as process:
        servers = wait_for(lambda: api_server(process), 60, "the temporary API's process", interval=0.1,
                           alive=process, log=tmp_path / "run.log")
        os.killpg(process.pid, signal.SIGINT)
        assert wait_exit(process, STOP_TIMEOUT, tmp_path / "run.log") == 130
        assert_all_gone(servers)
    log = (tmp_path / "run.log").read_text(errors="replace")
    assert "interrupted (SIGINT); the previous outputs are left as they were" in log
    assert {p.name: p.read_bytes() for p in output.iterdir() if p.name in PREVIOUS} == PREVIOUS


def test_run_control_children_die_when_the_run_is_killed(tmp_path, seeds_dir):
    output = tmp_path / "out"
    with timeline_run(tmp_path, seeds_dir, output) as process:
        children = wait_for_workers(process, tmp_path / "run.log")
        # The temporary API server is there too, listening.
        assert any("uvicorn" in " ".join(c.cmdline()) for c in children if c.is_running())
        os.kill(process.pid, signal.SIGKILL)  # the main process only, as the OOM killer does
        process.wait(timeout=10)
        assert_all_gone(children)


@pytest.fixture
def doomed_server(tmp_path) -> Iterator[tuple[Server, subprocess.Popen[bytes]]]:
    """A `prefect server start` of this test only, to be stopped in the middle of a run."""
    home = tmp_path / "server-home"
    home.mkdir()
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    log = home / "server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=offline_env(home, PREFECT_UI_ENABLED="false"), stdout=handle, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    try:
        wait_for(lambda: healthy(api_url), 120, "the server's health check", alive=process, log=log)
        yield Server(api_url=api_url, env={}, log=log), process
    finally:
        stop_process_group(process)


def test_run_control_losing_the_api_mid_run_ends_promptly_once_outputs_are_written(tmp_path, seeds_dir,
                                                                                   doomed_server):
    server, server_process = doomed_server
    output = tmp_path / "out"
    with timeline_run(tmp_path, seeds_dir, output, PREFECT_API_URL=server.api_url) as process:
        wait_for_workers(process, tmp_path / "run.log")
        os.killpg(server_process.pid, signal.SIGKILL)  # the server goes away during extraction
        started = time.monotonic()
        code = wait_exit(process, 120, tmp_path / "run.log")
        waited_after_outputs = time.monotonic() - (output / "run_report.json").stat().st_mtime
    log = (tmp_path / "run.log").read_text(errors="replace")
    assert code == 3, log[-3000:]
    for name in PREVIOUS:
        assert (output / name).is_file(), name
    assert log.count("lost the Prefect API") == 1, log[-3000:]
    assert "the outputs are complete in" in log
    assert "EventsWorker failed" not in log.split("lost the Prefect API")[1]
    # Seconds, not the minutes Prefect's client retries take.
    assert waited_after_outputs < STOP_TIMEOUT, (waited_after_outputs, time.monotonic() - started)
