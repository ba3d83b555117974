"""The `timeline` command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

import flows  # noqa: F401  (offline Prefect defaults)

app = typer.Typer(
    help="Build a dated, merged event timeline from a folder of news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str, debug: bool, exc: BaseException | None = None) -> None:
    if debug and exc is not None:
        raise exc
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


@app.command()
def run(
    source_dir: Annotated[Path, typer.Argument(
        help="Folder of articles (searched recursively), or one article or JSON lines file.")] = Path("seeds"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for timeline.json, timeline.csv, run_report.json.")] = Path("output"),
    batch_size: Annotated[int, typer.Option(help="Articles per extraction task.")] = 16,
    n_process: Annotated[int, typer.Option(help="Extraction worker processes (0: one per core when there are at least 48 articles to extract; ignored with Dask).")] = 0,
    dask: Annotated[bool, typer.Option("--dask", help="Run extraction batches on a local Dask cluster.")] = False,
    dask_address: Annotated[str | None, typer.Option(
        "--dask-address", help="Run extraction batches on the Dask cluster at this scheduler address "
                               "(tcp://host:8786).")] = None,
    dask_workers: Annotated[int, typer.Option(help="Worker processes of the local Dask cluster.")] = 2,
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache-dir", help="Per-article extraction cache (default: OUTPUT/.cache).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Extract every article, ignoring the cache.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks.")] = False,
) -> None:
    """Run the build_timeline flow over SOURCE_DIR and write the timeline files.

    Exit code 0 when every input was processed or deliberately skipped, 1 when some failed
    (the outputs for the rest are still written), 2 on a usage or configuration error.
    """
    from pydantic import ValidationError

    try:
        from flows.build_timeline import RunParameters, build_timeline
        from flows.runners import start_local_api, with_task_runner
    except ImportError as exc:  # a broken install is a configuration error, not a crash
        _fail(f"the pipeline cannot be loaded: {exc}", debug, exc)
        return
    try:
        RunParameters(source_dir=source_dir, output_dir=output, batch_size=batch_size, n_process=n_process,
                      cache_dir=cache_dir, use_cache=not no_cache)
    except ValidationError as exc:
        _fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()), debug, exc)
    try:
        start_local_api()
        flow = with_task_runner(build_timeline, dask=dask, dask_address=dask_address, dask_workers=dask_workers)
        result = flow(source_dir=str(source_dir), output_dir=str(output), batch_size=batch_size,
                      n_process=n_process, cache_dir=str(cache_dir) if cache_dir else None,
                      use_cache=not no_cache)
    except KeyboardInterrupt as exc:
        if debug:
            raise
        typer.echo("interrupted; the previous outputs are left as they were", err=True)
        raise typer.Exit(code=130) from exc
    except Exception as exc:  # noqa: BLE001 — report, don't dump a traceback on the user
        _fail(f"the run failed: {type(exc).__name__}: {exc}", debug, exc)
        return
    counts = {s: sum(1 for d in result.documents if d.status == s) for s in ("processed", "skipped", "failed")}
    typer.echo(
        f"{len(result.entries)} events from {counts['processed']} articles "
        f"({counts['skipped']} skipped, {counts['failed']} failed) → {output}/"
    )
    for record in result.documents:
        if record.status == "skipped":
            typer.echo(f"skipped {record.path}: {record.reason}", err=True)
        elif record.status == "processed":
            for warning in record.warnings:
                typer.echo(f"warning {record.path}: {warning}", err=True)
    if result.failed:
        by_reason = Counter((d.reason or "unknown").split(":")[0] for d in result.failed)
        typer.echo(f"{len(result.failed)} file(s) failed ("
                   + ", ".join(f"{n} {reason}" for reason, n in by_reason.most_common()) + "):", err=True)
        for record in result.failed:
            typer.echo(f"failed {record.path}: {record.reason}", err=True)
        raise typer.Exit(code=1)


@app.command()
def tag(
    file: Annotated[Path, typer.Argument(help="An article file (.txt, .html, or .jsonl: every record).",
                                         exists=True, dir_okay=False)],
    dct: Annotated[str | None, typer.Option("--dct", help="Publication date YYYY-MM-DD (default: the article's own).")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks.")] = False,
) -> None:
    """Print the temporal expressions of one article (each record of a .jsonl file) as JSON lines.

    Offsets refer to the article body as loaded (header line and site boilerplate removed);
    `doc_id` names the article they belong to.
    """
    from extractors.inputs import InputFile, read_inputs
    from extractors.nlp import load_nlp
    from extractors.pipeline import extract_articles
    from extractors.schema import Article

    publication_date = None
    if dct is not None:
        try:
            publication_date = dt.date.fromisoformat(dct)
        except ValueError as exc:
            _fail(f"--dct must be YYYY-MM-DD, got {dct!r}", debug, exc)
    loaded = read_inputs(InputFile(doc_id=file.stem, path=file.name, absolute_path=str(file)))
    articles = [a for a in loaded if isinstance(a, Article)]
    for record in loaded:
        if not isinstance(record, Article):
            typer.echo(f"skipped {record.path}: {record.reason}", err=True)
    if not articles:
        _fail(f"{file}: no article to tag", debug)
        return
    if publication_date is not None:
        articles = [dataclasses.replace(a, publication_date=publication_date, publication_date_source="metadata")
                    for a in articles]
    # The flow's own extraction: one parse per article, and an undated article dated from its
    # dateline or "Published" line as the flow dates it.
    for extraction in extract_articles(articles, load_nlp()):
        article = extraction.article
        if article.publication_date_source == "text" and article.publication_date is not None:
            typer.echo(f"{article.doc_id}: publication date {article.publication_date.isoformat()} found in the text",
                       err=True)
        elif article.publication_date_source == "bounded" and article.publication_date_earliest is not None:
            typer.echo(f"{article.doc_id}: no publication date; on or after "
                       f"{article.publication_date_earliest.isoformat()} ({article.publication_date_evidence})", err=True)
        for timex in extraction.timexes:
            typer.echo(json.dumps({
                "doc_id": article.doc_id, "start": timex.start, "end": timex.end, "text": timex.text,
                "type": timex.type, "value": timex.value, "mod": timex.mod,
            }, ensure_ascii=False))


@app.command()
def serve(
    source_dir: Annotated[Path, typer.Argument(
        help="Folder of articles (searched recursively), or one article or JSON lines file.")] = Path("seeds"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder the scheduled runs write to.")] = Path("output"),
    cron: Annotated[str, typer.Option("--cron", help="When to run, as a cron expression.")] = "0 6 * * *",
    timezone: Annotated[str, typer.Option("--timezone", help="Time zone of the cron expression.")] = "UTC",
    name: Annotated[str, typer.Option("--name", help="Deployment name (build-timeline/NAME).")] = "serve",
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache-dir", help="Per-article extraction cache (default: OUTPUT/.cache).")] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per extraction task.")] = 16,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks.")] = False,
) -> None:
    """Serve the build_timeline flow on a cron schedule until interrupted (no work pool needed).

    Registers the deployment build-timeline/NAME with the Prefect API in PREFECT_API_URL (start
    one with `prefect server start`) and runs its scheduled and manually triggered runs.
    """
    from pydantic import ValidationError

    from flows import deploy

    try:
        parameters = deploy.serve_parameters(source_dir, output, cache_dir, batch_size)
        schedule = deploy.cron_schedule(cron, timezone)
    except ValidationError as exc:
        _fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()), debug, exc)
        return
    except ValueError as exc:
        _fail(str(exc), debug, exc)
        return
    if not deploy.api_url():
        typer.echo("note: PREFECT_API_URL is not set: serving against a temporary local API that disappears "
                   "with this command; start `prefect server start` and set PREFECT_API_URL to keep runs "
                   "and see them in the UI", err=True)
    try:
        deploy.serve(name, schedule, parameters)
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)


def main() -> None:  # pragma: no cover
    app(prog_name="timeline")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
