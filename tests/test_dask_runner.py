"""The flow on a Dask cluster gives the same timeline as the default runner."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_dask_runner_local_cluster_gives_identical_output(prefect_harness, seeds_dir, seeds_run, tmp_path):
    from flows.build_timeline import build_timeline
    from flows.runners import with_task_runner

    _, default_output = seeds_run
    flow = with_task_runner(build_timeline, dask=True, dask_workers=2)
    # Batches of two articles, so the cluster really spreads the work over both workers.
    result = flow(source_dir=str(seeds_dir), output_dir=str(tmp_path), batch_size=2, use_cache=False)
    assert len(result.entries) > 0
    assert (tmp_path / "timeline.csv").read_bytes() == (default_output / "timeline.csv").read_bytes()
    on_dask, default = (json.loads((d / "timeline.json").read_text()) for d in (tmp_path, default_output))
    on_dask.pop("generated_at"), default.pop("generated_at")
    assert on_dask == default


def test_dask_runner_default_is_unchanged():
    from flows.build_timeline import build_timeline
    from flows.runners import with_task_runner

    assert with_task_runner(build_timeline) is build_timeline
