"""Choosing where the flow's tasks run: threads in this process (default) or a Dask cluster."""

from __future__ import annotations

from typing import Any

from prefect import Flow


def dask_task_runner(address: str | None = None, n_workers: int = 2) -> Any:
    """A DaskTaskRunner on the cluster at `address`, or on a new local cluster of `n_workers` processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": n_workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})


def with_task_runner(flow: Flow[Any, Any], dask: bool = False, dask_address: str | None = None,
                     dask_workers: int = 2) -> Flow[Any, Any]:
    """`flow` set to run its tasks on Dask when asked, unchanged otherwise."""
    if not dask and not dask_address:
        return flow
    return flow.with_options(task_runner=dask_task_runner(dask_address, dask_workers))


def configured_api_url() -> str | None:
    """The Prefect server this process is configured to use (PREFECT_API_URL), if any."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None


def start_local_api() -> str:
    """The URL of the Prefect API this process's runs use; starts the temporary one if needed,
    one process at a time per PREFECT_HOME.

    Without a configured server each run starts a temporary API over the SQLite database in
    PREFECT_HOME and migrates it on start. Two runs started together (overlapping schedules) would
    migrate one new database at once, and the loser's migration fails with a traceback; under a
    file lock the second finds the schema in place. The flow then reuses this process's API.
    """
    from pathlib import Path

    from filelock import FileLock
    from prefect.client.orchestration import get_client
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if configured_api_url():
        return str(configured_api_url())  # a real server: it owns its database
    home = Path(settings.home)
    home.mkdir(parents=True, exist_ok=True)
    with FileLock(str(home / ".timeline-api-start.lock"), timeout=600), get_client(sync_client=True) as client:
        client.hello()
    # The client started Prefect's one temporary server of this process (keyed by no port).
    return SubprocessASGIServer().api_url
