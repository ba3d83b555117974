"""The `timeline` command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

import flows  # noqa: F401  (offline Prefect defaults)

app = typer.Typer(
    help="Build a dated, merged event timeline from a folder of news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: the rich panels print a type such as <bool> after flags that take no value.
    rich_markup_mode=None,
)

OUTPUT_FILES_HELP = "timeline.json, timeline.csv, timeline.html, run_report.json and articles.jsonl"


def _fail(message: str, debug: bool, exc: BaseException | None = None) -> None:
    if debug and exc is not None:
        raise exc
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _followed(source: str | None, feeds: Path | None, archive: Path | None, output: Path,
              debug: bool) -> dict[str, object]:
    """The flow parameters that follow feed / article URLs (SOURCE as an http(s) URL, --feeds FILE),
    or {} when SOURCE is a folder or file. A usage error exits with code 2."""
    from extractors.sources import url_problem

    is_url = source is not None and "://" in source
    if not is_url and feeds is None:
        if archive is not None:
            _fail("--archive is for feed and article URLs (SOURCE as a URL, or --feeds FILE)", debug)
        return {}
    if source is not None and not is_url:
        _fail(f"give either a folder or file ({source}) or URLs to follow (a URL, --feeds FILE), not both", debug)
    if is_url and (problem := url_problem(source.strip())) is not None:  # type: ignore[union-attr]
        _fail(f"{source}: {problem}; only http and https URLs are followed", debug)
    if feeds is not None and not feeds.is_file():
        _fail(f"feeds file {str(feeds)!r} does not exist or is not a file", debug)
    if archive is not None and archive.exists() and not archive.is_dir():
        _fail(f"archive {str(archive)!r} exists and is not a folder", debug)
    return {"sources": [source.strip()] if is_url else [],  # type: ignore[union-attr]
            "feeds_file": str(feeds) if feeds is not None else None,
            "archive_dir": str(archive) if archive is not None else None}


FEEDS_HELP = ("Text file of feed (RSS/Atom) or article URLs to follow, one per line (# comments); "
              "what is new is fetched into the archive and the timeline built from the whole archive.")
ARCHIVE_HELP = "Archive of fetched pages and feed state (default: OUTPUT/archive)."


def validation_message(exc: Any) -> str:
    """One line per invalid parameter, without pydantic's "Value error, " prefix."""
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                     for e in exc.errors())


def report_run(documents: Sequence[Any], events: int, output: Path) -> int:
    """The summary on stdout; skipped files, warnings and failures on stderr, bounded and escaped
    (flows/console.py); the exit code (0, or 1 when an input failed)."""
    from flows.console import printable, stderr_lines

    counts = Counter(d.status for d in documents)
    typer.echo(f"{events} events from {counts['processed']} articles "
               f"({counts['skipped']} skipped, {counts['failed']} failed) → {printable(str(output))}/")
    for line in stderr_lines(documents):
        typer.echo(line, err=True)
    return 1 if counts["failed"] else 0


@app.command()
def run(
    source_dir: Annotated[str | None, typer.Argument(
        help="Folder of articles (searched recursively), one article or JSON lines file, or the http(s) URL "
             "of a feed or article to follow (default: seeds).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help=f"Folder for {OUTPUT_FILES_HELP}.")] = Path("output"),
    batch_size: Annotated[int, typer.Option(help="Articles per extraction task.")] = 16,
    n_process: Annotated[int, typer.Option(help="Extraction worker processes (0: one per core when there are at least 48 articles to extract; ignored with Dask), and processes merging (0: two from 20,000 to 120,000 mentions).")] = 0,
    dask: Annotated[bool, typer.Option("--dask", help="Run extraction batches on a local Dask cluster.")] = False,
    dask_address: Annotated[str | None, typer.Option(
        "--dask-address", help="Run extraction batches on the Dask cluster at this scheduler address "
                               "(tcp://host:8786).")] = None,
    dask_workers: Annotated[int, typer.Option(help="Worker processes of the local Dask cluster.")] = 2,
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache-dir", help="Per-article extraction cache (default: OUTPUT/.cache).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Extract every article, ignoring the cache.")] = False,
    follow_links_outside: Annotated[bool, typer.Option(
        "--follow-links-outside", help="Also read files that symbolic links point to outside SOURCE_DIR.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks.")] = False,
    feeds: Annotated[Path | None, typer.Option("--feeds", help=FEEDS_HELP)] = None,
    archive: Annotated[Path | None, typer.Option("--archive", help=ARCHIVE_HELP)] = None,
) -> None:
    """Run the build_timeline flow over SOURCE_DIR and write the timeline files.

    \b
    Exit codes:
      0    every input was processed or deliberately skipped
      1    some inputs failed (the outputs for the rest are still written)
      2    a usage or configuration error, or a run that failed before writing its outputs
      3    the outputs were written, but the Prefect API was lost during the run
      130  interrupted (Ctrl-C); 143 stopped by SIGTERM (the previous outputs are left whole)
    """
    from pydantic import ValidationError

    following = _followed(source_dir, feeds, archive, output, debug)
    source_dir = source_dir if source_dir is not None and not following else "seeds"
    try:
        from flows.build_timeline import RunParameters, build_timeline
        from flows.orphan_guard import ensure_guard
        from flows.run_control import (
            EXIT_API_LOST,
            StopRequested,
            end_process,
            exit_code_for,
            remember_flow_run,
            run_supervised,
            stop_raises,
        )
        from flows.runners import configured_api_url, start_local_api, with_task_runner
    except ImportError as exc:  # a broken install is a configuration error, not a crash
        _fail(f"the pipeline cannot be loaded: {exc}", debug, exc)
        return
    try:
        RunParameters(source_dir=source_dir if not following else ".", output_dir=output, batch_size=batch_size, n_process=n_process,
                      cache_dir=cache_dir, use_cache=not no_cache)
    except ValidationError as exc:
        _fail(validation_message(exc), debug, exc)
    from flows.console import hide_tracebacks, printable, quiet_parser_logs
    from flows.outputs import check_writable

    try:
        check_writable(output)
    except OSError as exc:
        _fail(f"cannot write the output folder {printable(str(output))}: {exc.strerror or exc}", debug, exc)
    if not debug:
        hide_tracebacks()
        quiet_parser_logs()

    def interrupted(signum: int, written: Any) -> None:
        name = signal.Signals(signum).name
        if written is not None:
            typer.echo(f"interrupted ({name}) after the outputs were written to {written.output_dir}/", err=True)
        else:
            typer.echo(f"interrupted ({name}); the previous outputs are left as they were", err=True)

    # Before any child process starts: they end with this process, even when it is SIGKILLed.
    ensure_guard()
    try:
        with stop_raises():  # starting the temporary API takes seconds: Ctrl-C must work meanwhile
            api_url = start_local_api()
        flow = with_task_runner(build_timeline, dask=dask, dask_address=dask_address, dask_workers=dask_workers)
        flow = flow.with_options(on_running=[remember_flow_run])
    except StopRequested as stop:
        interrupted(stop.signum, None)
        end_process(exit_code_for(stop.signum))
        return
    except Exception as exc:  # noqa: BLE001 — report, don't dump a traceback on the user
        _fail(f"the Prefect API cannot be started: {type(exc).__name__}: {exc}", debug, exc)
        return
    lost: list[str] = []

    def api_lost_early(url: str) -> None:
        lost.append(url)
        # On a line of its own: Prefect's log handler may have left "All connection attempts failed" unended.
        typer.echo(f"\nwarning: lost the Prefect API at {url}; finishing the outputs without it", err=True)

    def api_lost(written: Any) -> int:
        report_run(written.documents, written.entries, output)
        if not lost:
            typer.echo(f"\nwarning: lost the Prefect API at {api_url}", err=True)
        typer.echo(f"the outputs are complete in {written.output_dir}/; the run's record in Prefect is not "
                   "(its state there is the last one the API received)", err=True)
        return EXIT_API_LOST

    outcome = run_supervised(
        lambda: flow(source_dir=str(source_dir), output_dir=str(output), batch_size=batch_size,
                     n_process=n_process, cache_dir=str(cache_dir) if cache_dir else None, use_cache=not no_cache,
                     follow_links_outside=follow_links_outside, **following),
        api_url, record_url=configured_api_url(), on_interrupt=interrupted, on_api_lost=api_lost,
        on_api_lost_early=api_lost_early)
    if outcome.error is not None:
        exc = outcome.error
        detail = f" (the Prefect API at {lost[0]} was lost)" if lost else ""
        _fail(f"the run failed{detail}: {type(exc).__name__}: {printable(str(exc))}", debug, exc)
        return
    result = outcome.value
    code = report_run(result.documents, len(result.entries), output)
    if code:
        raise typer.Exit(code=code)


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
    from flows.console import printable

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
            typer.echo(f"skipped {printable(record.path)}: {printable(record.reason or '')}", err=True)
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
            typer.echo(f"{printable(article.doc_id)}: publication date {article.publication_date.isoformat()} found in the text",
                       err=True)
        elif article.publication_date_source == "bounded" and article.publication_date_earliest is not None:
            typer.echo(f"{printable(article.doc_id)}: no publication date; on or after "
                       f"{article.publication_date_earliest.isoformat()} ({article.publication_date_evidence})", err=True)
        for timex in extraction.timexes:
            typer.echo(json.dumps({
                "doc_id": article.doc_id, "start": timex.start, "end": timex.end, "text": timex.text,
                "type": timex.type, "value": timex.value, "mod": timex.mod,
            }, ensure_ascii=False))


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="The entity: a person, organization, product, index or place.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The run's output folder (holding timeline.json).")] = Path("output"),
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks.")] = False,
) -> None:
    """Print the timeline of one entity from a run's timeline.json and write it to
    OUTPUT/entities/NAME.json.

    An event belongs to the entity when one of its actors designates it: the name itself, an alias
    ("the Dow", "GM"), a surname ("Putin"), or a model of a product ("iPhone 4" for "iPhone").
    """
    from extractors.entity_timeline import entity_slug, entity_timeline, format_entity_timeline, similar_names
    from flows.outputs import write_atomic

    source = output / "timeline.json"
    try:
        timeline = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        _fail(f"cannot read {source}: {exc} (run `timeline run SOURCE --output {output}` first)", debug, exc)
        return
    result = entity_timeline(timeline, name)
    target = output / "entities" / f"{entity_slug(name)}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, (json.dumps(result, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        _fail(f"cannot write {target}: {exc}", debug, exc)
    typer.echo(format_entity_timeline(result))
    if not result["events"]:
        close = similar_names(timeline, name)
        if close:
            typer.echo(f"no event names {name!r}; close names: {', '.join(close)}", err=True)
    typer.echo(f"→ {target}", err=True)


@app.command()
def serve(
    source_dir: Annotated[str | None, typer.Argument(
        help="Folder of articles (searched recursively), one article or JSON lines file, or the http(s) URL "
             "of a feed or article to follow (default: seeds).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help=f"Folder the scheduled runs write {OUTPUT_FILES_HELP} to.")] = Path("output"),
    cron: Annotated[str, typer.Option("--cron", help="When to run, as a cron expression.")] = "0 6 * * *",
    timezone: Annotated[str, typer.Option("--timezone", help="Time zone of the cron expression.")] = "UTC",
    name: Annotated[str, typer.Option("--name", help="Deployment name (build-timeline/NAME).")] = "serve",
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache-dir", help="Per-article extraction cache (default: OUTPUT/.cache).")] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per extraction task.")] = 16,
    n_process: Annotated[int, typer.Option(help="Extraction worker processes of each run (0: one per core when there are at least 48 articles to extract), and processes merging (0: two from 20,000 to 120,000 mentions).")] = 0,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks.")] = False,
    feeds: Annotated[Path | None, typer.Option("--feeds", help=FEEDS_HELP + " Read again by every run.")] = None,
    archive: Annotated[Path | None, typer.Option("--archive", help=ARCHIVE_HELP)] = None,
) -> None:
    """Serve the build_timeline flow on a cron schedule until interrupted (no work pool needed).

    Registers the deployment build-timeline/NAME with the Prefect server in PREFECT_API_URL (start
    one with `prefect server start`) and runs its scheduled and manually triggered runs. Ctrl-C or
    SIGTERM stops it (exit 0) and pauses the deployment's schedule until it is served again.

    \b
    Exit codes:
      0    stopped by Ctrl-C or SIGTERM
      2    a usage or configuration error, or no Prefect server to serve against
    """
    from pydantic import ValidationError

    from flows import deploy
    from flows.orphan_guard import ensure_guard

    following = _followed(source_dir, feeds, archive, output, debug)
    try:
        parameters = deploy.serve_parameters(Path(source_dir or "seeds") if not following else Path("."),
                                             output, cache_dir, batch_size, n_process)
        parameters.update(deploy.follow_parameters(following))
        schedule = deploy.cron_schedule(cron, timezone)
    except ValidationError as exc:
        _fail(validation_message(exc), debug, exc)
        return
    except ValueError as exc:
        _fail(str(exc), debug, exc)
        return
    problem = deploy.server_problem(deploy.api_url())
    if problem:
        _fail(problem, debug)
        return
    # Flow runs are subprocesses of this one: they end with it, even when it is SIGKILLed.
    ensure_guard()
    def stopped() -> None:
        typer.echo(f"stopped; the schedule of build-timeline/{name} is paused until it is served again", err=True)

    deploy.serve(name, schedule, parameters, on_stopped=stopped)
    stopped()


def main() -> None:  # pragma: no cover
    app(prog_name="timeline")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
