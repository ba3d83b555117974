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
