"""Against a real `prefect server start`: both deployment routes with a one-minute cron
(`timeline serve`, and prefect.yaml run by a process worker), a run on each *created by the
server's scheduler* (not triggered by hand) that completes over seeds/, and the runs' artifacts
and output files read back through the API.

One server (SQLite, loopback, free port, its own PREFECT_HOME, scheduler loop shortened by
settings) serves the module; it, the `timeline serve` process and the worker are started in
their own process groups and killed by PID at teardown, whatever happened. Every wait is
bounded, so a hung server or a scheduler that never creates a run fails the test instead of
stalling the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from process_helpers import BIN, Server, free_port, healthy, offline_env, stop_process_group, wait_for

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DAILY_CRON = "0 6 * * *"
EVERY_MINUTE = "* * * * *"
SERVE_NAME = "integration-serve"
YAML_NAME = "integration-every-minute"
# Generous bounds: the machine is shared; a first start (database migrations) took 13-42 s here.
SERVER_START_TIMEOUT = 120
DEPLOYMENT_TIMEOUT = 90
# From registration: up to a minute until the cron fires, then the run itself.
SCHEDULED_RUN_TIMEOUT = 240
# The server's scheduler: a pass every 5 s instead of 60, and only the next few runs.
SCHEDULER_SETTINGS = {
    "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MIN_RUNS": "2",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_RUNS": "3",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MIN_SCHEDULED_TIME": "PT2M",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME": "PT10M",
}
# What the scheduler logged on every pass with SQLAlchemy 2.1 (no run was ever created).
SCHEDULER_ERROR = "Can't evaluate bulk DML statement"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(480)]


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("prefect-server-home")
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    # The API is what is tested; serving the UI adds ≈ 6 s to a start here.
    env = offline_env(home, PREFECT_UI_ENABLED="false", **SCHEDULER_SETTINGS)
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


def assert_cron(deployment: Any, cron: str) -> None:
    assert len(deployment.schedules) == 1, deployment.schedules
    schedule = deployment.schedules[0]
    assert schedule.active
    assert schedule.schedule.cron == cron
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
            [str(BIN / "timeline"), "serve", str(seeds_dir), "--output", str(output), "--cron", EVERY_MINUTE,
             "--name", SERVE_NAME],
            cwd=output.parent, env=env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        yield Started(process=process, output=output, log=log)
    finally:
        stop_process_group(process)


@dataclass(frozen=True)
class WorkerDeployments:
    daily: Any  # build-timeline/daily exactly as prefect.yaml declares it
    every_minute: Any  # the same deployment, deployed from a copy with a one-minute cron
    output: Path
    log: Path


def every_minute_prefect_yaml(folder: Path, output: Path) -> Path:
    """prefect.yaml with only its daily deployment, renamed, on a one-minute cron, writing to `output`."""
    config = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())
    (deployment,) = [d for d in config["deployments"] if d["name"] == "daily"]
    config["deployments"] = [deployment]
    deployment["name"] = YAML_NAME
    deployment["schedules"] = [{"cron": EVERY_MINUTE, "timezone": "UTC", "active": True}]
    deployment["parameters"]["output_dir"] = str(output)
    path = folder / "prefect-every-minute.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def worker_deployments(prefect_server: Server, serve_process: Started,
                       tmp_path_factory) -> Iterator[WorkerDeployments]:
    """prefect.yaml deployed as it is and as a one-minute copy, and a process worker serving the pool.

    Deploying runs while `timeline serve` starts, and the worker's runs while the served run
    goes on, so these steps overlap instead of adding up.
    """
    env = prefect_server.env
    subprocess.run([str(BIN / "prefect"), "work-pool", "create", "timeline-process", "--type", "process"],
                   env=env, cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=60)
    output = tmp_path_factory.mktemp("worker-output")
    copy = every_minute_prefect_yaml(output.parent, output)
    for prefect_file in (PROJECT_ROOT / "prefect.yaml", copy):
        # From the project folder, as the README says: the worker starts runs there.
        done = subprocess.run([str(BIN / "prefect"), "--no-prompt", "deploy", "--all", "--prefect-file",
                               str(prefect_file)], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    daily = read_deployment(prefect_server, "build-timeline/daily")
    every_minute = read_deployment(prefect_server, f"build-timeline/{YAML_NAME}")
    assert daily is not None and every_minute is not None
    log = output.parent / f"{output.name}-worker.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [str(BIN / "prefect"), "worker", "start", "--pool", "timeline-process"],
            cwd=output.parent, env={**env, "PREFECT_WORKER_QUERY_SECONDS": "2"}, stdout=handle,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    try:
        yield WorkerDeployments(daily=daily, every_minute=every_minute, output=output, log=log)
    finally:
        stop_process_group(process)


@pytest.fixture(scope="module")
def served(prefect_server: Server, serve_process: Started,
           worker_deployments: WorkerDeployments) -> tuple[Any, Path]:
    """(deployment, output folder) of the served flow, once registered.

    Depends on `worker_deployments` so that deploying prefect.yaml overlaps the serve process's start-up.
    """
    deployment = wait_for(lambda: read_deployment(prefect_server, f"build-timeline/{SERVE_NAME}"),
                          DEPLOYMENT_TIMEOUT, "the served deployment", interval=1,
                          alive=serve_process.process, log=serve_process.log)
    return deployment, serve_process.output


def test_server_integration_served_deployment_has_the_cron_schedule(served, seeds_dir):
    deployment, output = served
    assert_cron(deployment, EVERY_MINUTE)
    assert deployment.parameters["source_dir"] == str(seeds_dir.resolve())
    assert deployment.parameters["output_dir"] == str(output.resolve())


def scheduled_run(server: Server, deployment_id: Any, log: Path | None = None) -> Any:
    """The first run of the deployment that the server's scheduler created, once it is final.

    Fails early, with the server's log, when the scheduler reports its SQLAlchemy error.
    """
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId

    def finished() -> Any:
        if SCHEDULER_ERROR in server.log.read_text(errors="replace"):
            pytest.fail(f"the server's scheduler cannot create runs:\n{server.log_tail()}")
        with api_client(server) as client:
            runs = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=[deployment_id])))
        final = [r for r in runs if r.auto_scheduled and r.state is not None and r.state.is_final()]
        return min(final, key=lambda r: r.expected_start_time) if final else None

    return wait_for(finished, SCHEDULED_RUN_TIMEOUT, f"a scheduled run of deployment {deployment_id} to finish",
                    interval=2, log=log)


def read_run_artifacts(server: Server, flow_run_id: Any) -> dict[str, Any]:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with api_client(server) as client:
        artifacts = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return {a.key: a for a in artifacts}


def assert_created_by_the_scheduler(run: Any) -> None:
    assert run.auto_scheduled
    # The scheduler's idempotency key; a run started by hand has none or another.
    assert (run.idempotency_key or "").startswith("scheduled "), run.idempotency_key
    assert run.state.is_completed(), f"{run.state.type}: {run.state.message}"


def test_server_integration_prefect_yaml_deploys_a_daily_process_deployment(worker_deployments):
    deployment = worker_deployments.daily
    assert_cron(deployment, DAILY_CRON)
    assert deployment.work_pool_name == "timeline-process"
    assert deployment.entrypoint == "flows/build_timeline.py:build_timeline"
    assert deployment.parameters["source_dir"] == "seeds"
    # The worker starts runs in the folder `prefect deploy` ran in, where those relative paths resolve.
    assert deployment.pull_steps == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(PROJECT_ROOT)}}
    ]


def test_server_integration_served_schedule_fires_and_the_run_writes_outputs(served, prefect_server,
                                                                              serve_process):
    deployment, output = served
    run = scheduled_run(prefect_server, deployment.id, log=serve_process.log)
    assert_created_by_the_scheduler(run)

    by_key = read_run_artifacts(prefect_server, run.id)
    table = by_key[f"timeline-table-{SERVE_NAME}"]
    summary = by_key[f"timeline-run-summary-{SERVE_NAME}"]
    link = by_key[f"timeline-page-{SERVE_NAME}"]
    # Prefect 3 has no link type: `create_link_artifact` stores (and the UI shows) markdown `[text](url)`.
    assert (table.type, summary.type, link.type) == ("table", "markdown", "markdown")

    timeline = json.loads((output / "timeline.json").read_text())
    report = json.loads((output / "run_report.json").read_text())
    assert report["counts"]["processed"] == len(list(Path(report["source_dir"]).glob("*.txt")))
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert len(rows) == min(len(timeline["events"]), 100) > 0
    # Key events first (in timeline order), then the others by rank, each with its headline.
    events = timeline["events"]
    expected = [e for e in events if e["key"]] + sorted((e for e in events if not e["key"]), key=lambda e: e["rank"])
    assert [r["headline"] for r in rows] == [e["headline"] for e in expected][: len(rows)]
    assert [r["key"] for r in rows][: sum(e["key"] for e in events)] == ["key"] * sum(e["key"] for e in events)
    assert f"{report['counts']['events']} timeline entries from {report['counts']['processed']} articles" in summary.data
    assert f"→ output `{output.resolve()}`" in summary.data  # absolute, as on the link's card
    assert link.description == f"Output folder {output.resolve()}"
    html_page = output / "timeline.html"
    assert html_page.stat().st_size > 0
    assert link.data.startswith("[timeline.html") and link.data.endswith(f"]({html_page.absolute().as_uri()})")
    for name in ("timeline.json", "timeline.csv", "run_report.json", "articles.jsonl", "timeline.html"):
        assert (output / name).is_file(), name


def test_server_integration_prefect_yaml_schedule_fires_on_the_worker(worker_deployments, prefect_server):
    run = scheduled_run(prefect_server, worker_deployments.every_minute.id, log=worker_deployments.log)
    assert_created_by_the_scheduler(run)
    assert {f"timeline-table-{YAML_NAME}", f"timeline-run-summary-{YAML_NAME}", f"timeline-page-{YAML_NAME}"} <= set(
        read_run_artifacts(prefect_server, run.id))
    report = json.loads((worker_deployments.output / "run_report.json").read_text())
    assert report["source_dir"] == "seeds" and report["counts"]["processed"] > 0
    assert (worker_deployments.output / "timeline.html").is_file()


def test_server_integration_serve_stops_cleanly_on_sigterm_and_pauses_its_schedule(served, prefect_server,
                                                                                   serve_process):
    # Last in the module: it ends the serve process the other tests use.
    process = serve_process.process
    assert process.poll() is None, serve_process.log.read_text(errors="replace")[-3000:]
    os.kill(process.pid, signal.SIGTERM)
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("timeline serve still running 60 s after SIGTERM:\n"
                    + serve_process.log.read_text(errors="replace")[-3000:])
    log = serve_process.log.read_text(errors="replace")
    assert code == 0, log[-3000:]
    assert "never awaited" not in log and "Traceback" not in log, log[-3000:]
    assert f"stopped; the schedule of build-timeline/{SERVE_NAME} is paused" in log
    assert read_deployment(prefect_server, f"build-timeline/{SERVE_NAME}").paused
