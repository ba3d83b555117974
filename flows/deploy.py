"""Running `build_timeline` on a schedule without a work pool: `timeline serve`.

`flow.serve` registers a deployment with the API named by `PREFECT_API_URL` and then polls it,
running each scheduled or manually triggered run in a subprocess of this one. The work-pool
route (`prefect deploy` + `prefect worker start`) is described by `prefect.yaml`.
"""

from __future__ import annotations

import os
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


def serve(name: str, schedule: Any, parameters: dict[str, Any], limit: int | None = 1) -> None:
    """Create or update the deployment `build-timeline/<name>` and run its flow runs until stopped."""
    from prefect.types.entrypoint import EntrypointType

    from flows.build_timeline import build_timeline

    build_timeline.serve(
        name=name,
        schedules=[schedule],
        parameters=parameters,
        description="Builds the merged timeline of the articles in source_dir into output_dir.",
        tags=["timeline"],
        # One run at a time: two runs over one output folder only wait on its lock.
        limit=limit,
        # The project is installed, so the runner imports the flow by module path whatever its cwd.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
