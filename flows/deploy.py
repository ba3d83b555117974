"""Running `build_timeline` on a schedule without a work pool: `timeline serve`.

`flow.serve` registers a deployment with the API named by `PREFECT_API_URL` and then polls it,
running each scheduled or manually triggered run in a subprocess of this one. The work-pool
route (`prefect deploy` + `prefect worker start`) is described by `prefect.yaml`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "UTC"
DEFAULT_NAME = "serve"


def serve_parameters(source_dir: Path, output_dir: Path, cache_dir: Path | None = None, batch_size: int = 16,
                     n_process: int = 0, use_cache: bool = True) -> dict[str, Any]:
    """Validated flow parameters with absolute paths.

    Runs start in subprocesses whose working directory is not guaranteed to be this one,
    so relative folders are resolved now, against the folder `timeline serve` was started in.
    """
    from flows.build_timeline import RunParameters

    params = RunParameters(source_dir=source_dir, output_dir=output_dir, cache_dir=cache_dir,
                           batch_size=batch_size, n_process=n_process, use_cache=use_cache)
    return {
        "source_dir": str(params.source_dir.resolve()),
        "output_dir": str(params.output_dir.resolve()),
        "cache_dir": str(params.cache_dir.resolve()) if params.cache_dir else None,
        "batch_size": params.batch_size,
        "n_process": params.n_process,
        "use_cache": params.use_cache,
    }


def follow_parameters(following: dict[str, Any]) -> dict[str, Any]:
    """The feed-following parameters (`sources`, `feeds_file`, `archive_dir`) with absolute paths,
    for the same reason as `serve_parameters`; {} when the deployment reads a folder."""
    if not following:
        return {}
    feeds_file, archive_dir = following.get("feeds_file"), following.get("archive_dir")
    return {
        "sources": list(following.get("sources") or []),
        "feeds_file": str(Path(feeds_file).resolve()) if feeds_file else None,
        "archive_dir": str(Path(archive_dir).resolve()) if archive_dir else None,
    }


def cron_schedule(cron: str, timezone: str = DEFAULT_TIMEZONE) -> Any:
    """A Prefect cron schedule; raises ValueError for a malformed expression or an unknown zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from prefect.schedules import Cron

    try:
        # Prefect accepts any zone name here and fails only when the server computes run times.
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"invalid schedule {cron!r}: unknown time zone {timezone!r}") from exc
    try:
        return Cron(cron, timezone=timezone)
    except Exception as exc:  # pydantic / croniter raise their own types; the CLI wants one
        raise ValueError(f"invalid schedule {cron!r} ({timezone}): {exc}") from exc


def api_url() -> str | None:
    from prefect.settings import PREFECT_API_URL

    return os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value() or None


def server_problem(url: str | None) -> str | None:
    """Why `timeline serve` cannot work against `url`, or None when a server answers there.

    Without a configured server Prefect would serve against a temporary API with no scheduler:
    the deployment would be registered and nothing would ever run.
    """
    if not url:
        return ("timeline serve needs a running Prefect server, whose scheduler creates the runs: start one "
                "with `prefect server start` and set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)")
    from flows.run_control import api_answers

    if not api_answers(url):
        return f"no Prefect server answers at PREFECT_API_URL={url} (start one with `prefect server start`)"
    return None


# How long a SIGTERM waits for the runner's own shutdown before the schedule is paused directly and
# the process exits.
STOP_GRACE_SECONDS = 20.0


def serve(name: str, schedule: Any, parameters: dict[str, Any], limit: int | None = 1,
          on_stopped: Callable[[], None] | None = None) -> None:
    """Create or update the deployment `build-timeline/<name>` and run its flow runs until stopped.

    Returns when stopped by Ctrl-C or SIGTERM, after cancelling a run in progress and pausing
    the deployment's schedule (so that runs do not pile up as Late while nothing serves them).
    A SIGTERM that lands as a scheduled run ends can leave the runner's shutdown waiting; after
    STOP_GRACE_SECONDS the schedule is paused through the API, `on_stopped()` is called and the
    process exits 0 (its flow-run subprocesses end with it: `flows.orphan_guard`).
    """
    import asyncio
    import signal
    import threading

    from prefect.runner import Runner
    from prefect.types.entrypoint import EntrypointType

    from flows.build_timeline import build_timeline

    class StoppableRunner(Runner):
        # Prefect's handler calls the async `stop` from a signal handler without awaiting it
        # ("coroutine 'Runner.astop' was never awaited") and exits mid-loop. SIGTERM here stops
        # the runner exactly as Ctrl-C does: asyncio cancels the main task, the runner's exit
        # cancels its runs and pauses the schedule.
        def handle_sigterm(self, *args: Any) -> None:
            if not stop_requested.is_set():
                stop_requested.set()
                watchdog = threading.Timer(STOP_GRACE_SECONDS, _stop_now, (deployment_id, on_stopped))
                watchdog.daemon = True
                watchdog.start()
            signal.raise_signal(signal.SIGINT)

    stop_requested = threading.Event()

    # One run at a time (limit=1): two runs over one output folder only wait on its lock.
    runner = StoppableRunner(name=name, pause_on_shutdown=True, limit=limit)
    deployment_id = runner.add_flow(
        build_timeline,
        name=name,
        schedules=[schedule],
        parameters=parameters,
        description="Builds the merged timeline of the articles in source_dir into output_dir.",
        tags=["timeline"],
        # The project is installed, so the runner imports the flow by module path whatever its cwd.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        pass


def _stop_now(deployment_id: Any, on_stopped: Callable[[], None] | None) -> None:
    """The runner did not finish stopping in time: pause the schedule through the API, report, exit 0."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            client.pause_deployment(deployment_id)
    except Exception as exc:  # noqa: BLE001 - exiting anyway; the operator must know the schedule may run on
        sys.stderr.write(f"could not pause the schedule: {exc}\n")
    if on_stopped is not None:
        on_stopped()
    os._exit(0)
