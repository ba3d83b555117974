"""Against a real `prefect server start`: both deployment routes with their cron schedules
(`timeline serve`, and prefect.yaml run by a process worker), a run over seeds/ on each, and the
runs' artifacts and output files read back through the API.

One server (SQLite, loopback, free port, its own PREFECT_HOME) serves the module; it, the
`timeline serve` process and the worker are started in their own process groups and killed by
PID at teardown, whatever happened. Every wait is bounded, so a hung server fails the test
instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CRON = "0 6 * * *"
SERVE_NAME = "integration-serve"
# Generous bounds: the machine is shared; a first start (database migrations) took 13-42 s here.
SERVER_START_TIMEOUT = 120
DEPLOYMENT_TIMEOUT = 90
RUN_TIMEOUT = 150

pytestmark = [pytest.mark.slow, pytest.mark.timeout(480)]

T = TypeVar("T")


@dataclass(frozen=True)
class Server:
    api_url: str
    env: dict[str, str]
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def offline_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({
        "PREFECT_HOME": str(home),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        **extra,
    })
    return env


def stop_process_group(process: subprocess.Popen[bytes], grace: float = 10) -> None:
    """SIGTERM the process group of `process` (started with start_new_session), then SIGKILL."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    # Children (uvicorn, flow-run subprocesses) may outlive the leader; the group id is its PID.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)


def wait_for(condition: Callable[[], T | None], timeout: float, what: str, interval: float = 0.5,
             alive: subprocess.Popen[bytes] | None = None, log: Path | None = None) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if alive is not None and alive.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            pytest.fail(f"process exited with {alive.returncode} while waiting for {what}:\n{tail}")
        time.sleep(interval)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{tail}")


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("prefect-server-home")
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    # The API is what is tested; serving the UI adds ≈ 6 s to a start here.
    env = offline_env(home, PREFECT_UI_ENABLED="false")
    log = home / "server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    try:
        wait_for(lambda: healthy(api_url), SERVER_START_TIMEOUT, "the server's health check",
                 alive=process, log=log)
        yield Server(api_url=api_url, env=offline_env(home, PREFECT_API_URL=api_url), log=log)
    finally:
        stop_process_group(process)


@contextlib.contextmanager
def api_client(server: Server) -> Iterator[Any]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        with get_client(sync_client=True) as client:
            yield client


def read_deployment(server: Server, name: str) -> Any:
    from prefect.exceptions import ObjectNotFound

    with api_client(server) as client:
        try:
            return client.read_deployment_by_name(name)
        except ObjectNotFound:
            return None


def assert_daily_cron(deployment: Any) -> None:
    assert len(deployment.schedules) == 1, deployment.schedules
    schedule = deployment.schedules[0]
    assert schedule.active
    assert schedule.schedule.cron == CRON
    assert schedule.schedule.timezone == "UTC"


@dataclass(frozen=True)
class Started:
    process: subprocess.Popen[bytes]
    output: Path
    log: Path


@pytest.fixture(scope="module")
def serve_process(prefect_server: Server, seeds_dir: Path, tmp_path_factory) -> Iterator[Started]:
    """`timeline serve` started against the server (registering its deployment takes a while)."""
    output = tmp_path_factory.mktemp("served-output")
    log = output.parent / f"{output.name}-serve.log"
    env = {**prefect_server.env, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [str(BIN / "timeline"), "serve", str(seeds_dir), "--output", str(output), "--cron", CRON,
             "--name", SERVE_NAME],
            cwd=output.parent, env=env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        yield Started(process=process, output=output, log=log)
    finally:
        stop_process_group(process)


@dataclass(frozen=True)
class WorkerRun:
    deployment: Any
    flow_run_id: Any
    output: Path
    log: Path


@pytest.fixture(scope="module")
def worker_run(prefect_server: Server, serve_process: Started, tmp_path_factory) -> Iterator[WorkerRun]:
    """prefect.yaml deployed, one run of `daily` created, and a process worker started for it.

    Deploying runs while `timeline serve` starts, and the worker's flow run while the served run
    is tested, so these steps overlap instead of adding up.
    """
    env = prefect_server.env
    subprocess.run([str(BIN / "prefect"), "work-pool", "create", "timeline-process", "--type", "process"],
                   env=env, cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=60)
    done = subprocess.run([str(BIN / "prefect"), "--no-prompt", "deploy", "--all"], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    deployment = read_deployment(prefect_server, "build-timeline/daily")
    assert deployment is not None
    output = tmp_path_factory.mktemp("worker-output")
    with api_client(prefect_server) as client:
        flow_run = client.create_flow_run_from_deployment(deployment.id, parameters={"output_dir": str(output)})
    log = output.parent / f"{output.name}-worker.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [str(BIN / "prefect"), "worker", "start", "--pool", "timeline-process", "--run-once"],
            cwd=output.parent, env={**env, "PREFECT_WORKER_QUERY_SECONDS": "2"}, stdout=handle,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    try:
        yield WorkerRun(deployment=deployment, flow_run_id=flow_run.id, output=output, log=log)
    finally:
        stop_process_group(process)


@pytest.fixture(scope="module")
def served(prefect_server: Server, serve_process: Started, worker_run: WorkerRun) -> tuple[Any, Path]:
    """(deployment, output folder) of the served flow, once registered.

    Depends on `worker_run` so that deploying prefect.yaml overlaps the serve process's start-up.
    """
    deployment = wait_for(lambda: read_deployment(prefect_server, f"build-timeline/{SERVE_NAME}"),
                          DEPLOYMENT_TIMEOUT, "the served deployment", interval=1,
                          alive=serve_process.process, log=serve_process.log)
    return deployment, serve_process.output


def test_server_integration_served_deployment_has_the_cron_schedule(served, seeds_dir):
    deployment, output = served
    assert_daily_cron(deployment)
    assert deployment.parameters["source_dir"] == str(seeds_dir.resolve())
    assert deployment.parameters["output_dir"] == str(output.resolve())


def wait_until_final(server: Server, flow_run_id: Any, log: Path | None = None) -> Any:
    def finished() -> Any:
        with api_client(server) as client:
            run = client.read_flow_run(flow_run_id)
        return run if run.state is not None and run.state.is_final() else None

    return wait_for(finished, RUN_TIMEOUT, f"flow run {flow_run_id} to finish", interval=1, log=log)


def read_run_artifacts(server: Server, flow_run_id: Any) -> dict[str, Any]:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with api_client(server) as client:
        artifacts = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return {a.key: a for a in artifacts}


def test_server_integration_prefect_yaml_deploys_a_daily_process_deployment(worker_run):
    deployment = worker_run.deployment
    assert_daily_cron(deployment)
    assert deployment.work_pool_name == "timeline-process"
    assert deployment.entrypoint == "flows/build_timeline.py:build_timeline"
    assert deployment.parameters["source_dir"] == "seeds"
    # The worker starts runs in the folder `prefect deploy` ran in, where those relative paths resolve.
    assert deployment.pull_steps == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(PROJECT_ROOT)}}
    ]


def test_server_integration_served_run_completes_with_artifacts_and_outputs(served, prefect_server):
    deployment, output = served
    with api_client(prefect_server) as client:
        flow_run = client.create_flow_run_from_deployment(deployment.id)
    run = wait_until_final(prefect_server, flow_run.id)
    assert run.state.is_completed(), f"{run.state.type}: {run.state.message}"

    by_key = read_run_artifacts(prefect_server, flow_run.id)
    table = by_key[f"timeline-table-{SERVE_NAME}"]
    summary = by_key[f"timeline-run-summary-{SERVE_NAME}"]
    link = by_key[f"timeline-page-{SERVE_NAME}"]
    # Prefect 3 stores a link artifact as markdown `[text](url)`; the UI renders it as a link.
    assert (table.type, summary.type, link.type) == ("table", "markdown", "markdown")

    timeline = json.loads((output / "timeline.json").read_text())
    report = json.loads((output / "run_report.json").read_text())
    assert report["counts"]["processed"] == len(list(Path(report["source_dir"]).glob("*.txt")))
    assert report["cache"]["misses"] == report["counts"]["processed"]
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert len(rows) == min(len(timeline["events"]), 100) > 0
    # Key events first (in timeline order), then the others by rank, each with its headline.
    events = timeline["events"]
    expected = [e for e in events if e["key"]] + sorted((e for e in events if not e["key"]), key=lambda e: e["rank"])
    assert [r["headline"] for r in rows] == [e["headline"] for e in expected][: len(rows)]
    assert [r["key"] for r in rows][: sum(e["key"] for e in events)] == ["key"] * sum(e["key"] for e in events)
    assert f"{report['counts']['events']} events from {report['counts']['processed']} articles" in summary.data
    html_page = output / "timeline.html"
    assert html_page.stat().st_size > 0
    assert link.data.startswith("[timeline.html") and link.data.endswith(f"]({html_page.resolve().as_uri()})")
    for name in ("timeline.json", "timeline.csv", "run_report.json", "articles.jsonl", "timeline.html"):
        assert (output / name).is_file(), name


def test_server_integration_worker_runs_the_prefect_yaml_deployment(worker_run, prefect_server):
    run = wait_until_final(prefect_server, worker_run.flow_run_id, log=worker_run.log)
    assert run.state.is_completed(), f"{run.state.type}: {run.state.message}"
    assert {"timeline-table-daily", "timeline-run-summary-daily", "timeline-page-daily"} <= set(
        read_run_artifacts(prefect_server, worker_run.flow_run_id))
    report = json.loads((worker_run.output / "run_report.json").read_text())
    assert report["source_dir"] == "seeds" and report["counts"]["processed"] > 0
    assert (worker_run.output / "timeline.html").is_file()
