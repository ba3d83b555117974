"""The `build_timeline` flow: load → extract → date → merge → write.

Tasks are thin wrappers around `extractors`; the flow body reads like the pipeline.
Extraction runs in tasks over batches of articles (a task per article costs more in
Prefect bookkeeping than the work it wraps).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import flows  # noqa: F401  (offline Prefect defaults before prefect is imported)

# isort: split
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote
from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractors import export
from extractors.date_binding import ArticleExtraction, DateFreeExtraction, bind_publication_date
from extractors.html_view import render_timeline_html
from extractors.inputs import InputFile, discover_inputs, flag_lookalike_names, read_inputs, with_unique_ids
from extractors.merge import merge_mentions
from extractors.pipeline import EXTRACTOR_VERSION, extract_batch_safely, failed_record
from extractors.pubdate import apply_estimates, explain_publication_estimates
from extractors.record_compaction import compact_skipped_lines
from extractors.salience import rank_entries
from extractors.schema import Article, DocumentRecord, EventMention, TimelineEntry
from flows import cache_codec, console
from flows.artifacts import publish_run_artifacts
from flows.cache import ResultCache, cache_key, dated_key, extraction_version
from flows.follow import ARCHIVE_SUBDIR, FollowResult, follow_stage
from flows.outputs import write_output_set
from flows.parallel import extract_in_processes, lane_map, shutdown_pool, workers_released
from flows.run_control import outputs_written, writing_outputs

TIMELINE_JSON = "timeline.json"
# Events of a large timeline checked against the schema before writing (see export.validate_timeline).
RUNTIME_VALIDATION_EVENTS = 500
TIMELINE_CSV = "timeline.csv"
TIMELINE_HTML = "timeline.html"
RUN_REPORT = "run_report.json"
ARTICLES_JSONL = "articles.jsonl"
# Default cache folder, inside the output folder so that one folder holds everything a run keeps.
CACHE_SUBDIR = ".cache"
EXTRACT_TASK = "extract-batch"
MERGE_TASK = "merge-events"


class RunParameters(BaseModel):
    """Validated parameters of a run; errors name the parameter and what is wrong."""

    model_config = ConfigDict(frozen=True)

    source_dir: Path
    output_dir: Path
    batch_size: int = Field(16, ge=1, le=10_000)
    # Extraction worker processes on this machine; 0 = one per core when there is enough work
    # (`extraction_processes`). Under a Dask runner the cluster's workers are the parallelism.
    n_process: int = Field(0, ge=0, le=64)
    # None: `<output_dir>/.cache`.
    cache_dir: Path | None = None
    use_cache: bool = True
    # Read files that symbolic links in the source folder point to outside it (off: such links
    # are reported as skipped, since a link can point at any file the run may read).
    follow_links_outside: bool = False

    @property
    def cache_root(self) -> Path:
        return self.cache_dir if self.cache_dir is not None else self.output_dir / CACHE_SUBDIR

    @field_validator("source_dir")
    @classmethod
    def _source_exists(cls, value: Path) -> Path:
        if not value.exists():
            raise ValueError(f"source {str(value)!r} does not exist")
        if not value.is_dir() and not value.is_file():
            raise ValueError(f"source {str(value)!r} is neither a folder nor a file")
        return value

    @field_validator("output_dir")
    @classmethod
    def _output_is_folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(f"output {str(value)!r} exists and is not a folder")
        return value

    @field_validator("cache_dir")
    @classmethod
    def _cache_is_folder(cls, value: Path | None) -> Path | None:
        if value is not None and value.exists() and not value.is_dir():
            raise ValueError(f"cache {str(value)!r} exists and is not a folder")
        return value


class RunResult:
    """What a run produced.

    A plain immutable class, not a dataclass: Prefect walks a flow's return value looking for
    futures and descends into dataclasses and tuples, which cost ≈ 3 s per 10,000 timeline
    entries; it does not descend into other objects.
    """

    __slots__ = ("documents", "entries", "outputs", "timings", "cached", "extracted", "artifacts")
    documents: tuple[DocumentRecord, ...]
    entries: tuple[TimelineEntry, ...]
    outputs: dict[str, str]
    timings: dict[str, float]
    # doc_ids whose extraction came from the cache / was computed in this run.
    cached: tuple[str, ...]
    extracted: tuple[str, ...]
    # {"table" | "summary" | "link": artifact key} of the artifacts this run published.
    artifacts: dict[str, str]

    def __init__(self, documents: tuple[DocumentRecord, ...], entries: tuple[TimelineEntry, ...],
                 outputs: dict[str, str], timings: dict[str, float], cached: tuple[str, ...] = (),
                 extracted: tuple[str, ...] = (), artifacts: dict[str, str] | None = None) -> None:
        values = (documents, entries, outputs, timings, cached, extracted, artifacts or {})
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return RunResult, tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RunResult):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable dict fields, as the dataclass had

    def __repr__(self) -> str:
        return (f"RunResult({len(self.documents)} documents, {len(self.entries)} entries, "
                f"outputs={sorted(self.outputs)}, cached={len(self.cached)}, extracted={len(self.extracted)})")

    @property
    def failed(self) -> tuple[DocumentRecord, ...]:
        return tuple(d for d in self.documents if d.status == "failed")


@task(name="discover-inputs", retries=2, retry_delay_seconds=1)
def discover_task(source_dir: str, follow_links_outside: bool = False) -> list[InputFile]:
    """List the files under the source folder."""
    return discover_inputs(source_dir, follow_links_outside)


@task(name="load-articles", retries=2, retry_delay_seconds=1)
def load_task(items: list[InputFile]) -> list[Article | DocumentRecord]:
    """Read a batch of files into articles or records of why not (a JSON lines file gives several)."""
    return [loaded for item in items for loaded in read_inputs(item)]


# Prefect's own cache is off for the tasks below: it would key on a whole batch (or hash
# megabytes of inputs); extraction results are cached per article in `flows.cache` instead.
@task(name=EXTRACT_TASK, cache_policy=NO_CACHE)
def extract_task(articles: list[Article], n_process: int = 1, cache_dir: str | None = None,
                 version: str = "") -> list[DateFreeExtraction | DocumentRecord]:
    """Parse a batch of articles and find their timexes and events (publication dates are bound
    afterwards, in the flow); cache each article's result."""
    if n_process > 1:
        results = extract_in_processes(articles, n_process)
    else:
        results = extract_batch_safely(articles)
    if cache_dir is not None:
        store_extractions(cache_dir, version, articles, results)
    return results


@task(name="read-extraction-cache", cache_policy=NO_CACHE)
def read_cache_task(cache_dir: str, keys: list[str]) -> dict[str, DateFreeExtraction]:
    """The cached extractions of the keys present in the cache (and the cache's leftovers of killed runs removed)."""
    cache = ResultCache(cache_dir)
    cache.remove_stale_temporaries()
    return cache.get_many(keys)


@task(name=MERGE_TASK, cache_policy=NO_CACHE)
def merge_task(mentions: list[EventMention], n_process: int = 1) -> quote[list[TimelineEntry]]:
    """Merge the mentions of all articles into timeline entries: the independent parts in this
    process and `n_process` - 1 merge workers at once (`flows.parallel.LaneMap`), else one after
    the other. Quoted: Prefect would otherwise visit every entry of the result when the task
    finishes (1.4 s for 70,000 entries)."""
    # The extraction workers hold a spaCy model each (≈ 0.35 GB): not needed by the merge.
    shutdown_pool()
    if n_process > 1:
        try:
            with lane_map(n_process - 1) as lanes:
                return quote(merge_mentions(mentions, map_parts=lanes))
        except BrokenProcessPool:
            get_run_logger().warning("a merge worker died; merging in the flow process")
    # The independent parts one after the other (same result as one merge of all): merging holds
    # arrays per candidate pair, and all parts at once held those of every part together (3.7 GB
    # for a feed of 100,000 tiny records, against 0.5 GB for its largest part).
    return quote(merge_mentions(mentions, map_parts=map))


@task(name="write-outputs", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def write_task(output_dir: str, files: dict[str, bytes]) -> dict[str, str]:
    """Write the output files atomically."""
    with writing_outputs():  # Ctrl-C waits until the set is in place
        return write_output_set(Path(output_dir), files)


@task(name="publish-artifacts", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def publish_task(timeline: dict[str, Any], report: dict[str, Any], outputs: dict[str, str]) -> dict[str, str]:
    """Publish the timeline table, the run summary and the link to the page in the Prefect UI."""
    from prefect.runtime import deployment

    return publish_run_artifacts(timeline, report, outputs, deployment.name)


def store_extractions(cache_dir: str, version: str, articles: Sequence[Article],
                      results: Sequence[DateFreeExtraction | DocumentRecord]) -> None:
    """Cache the successful extractions under the key of the article's content.

    Failures are not cached, so a failed article is tried again by the next run (and reported
    by every run), never retried within one. A cache that cannot be written costs speed, not the run.
    """
    extracted = {r.doc_id: r for r in results if isinstance(r, DateFreeExtraction)}
    cache = ResultCache(cache_dir)
    try:
        for article in articles:
            if article.doc_id in extracted:
                cache.put(cache_key(EXTRACT_TASK, version, article), extracted[article.doc_id])
    except OSError as exc:
        get_run_logger().warning("cannot write the extraction cache %s: %s", cache_dir, exc)


def _batches(items: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def extract_cached(articles: Sequence[Article], params: RunParameters,
                   version: str) -> tuple[list[DateFreeExtraction | DocumentRecord], set[str]]:
    """Results for `articles` in input order: from the cache where present, the rest extracted in
    tasks over batches. Also returns the doc_ids that came from the cache.

    The articles missing from the cache are extracted first and the extraction workers stopped
    before the cached extractions are decoded: the workers (a model each) and every decoded
    extraction of a large collection would otherwise be held at once (the incremental run's peak).
    An entry present but unreadable is extracted afterwards, like any other miss.
    """
    cache_dir = str(params.cache_root) if params.use_cache else None
    keys = {a.doc_id: cache_key(EXTRACT_TASK, version, a) for a in articles}
    stored = ResultCache(cache_dir).present(keys.values()) if cache_dir else set()
    computed = _extract_batches([a for a in articles if keys[a.doc_id] not in stored], params, cache_dir, version)
    shutdown_pool()  # the merge does not use the extraction workers
    found = read_cache_task(cache_dir, [k for k in keys.values() if k in stored]) if cache_dir and articles else {}
    hits = {doc_id: found[key] for doc_id, key in keys.items() if key in found}
    unreadable = [a for a in articles if keys[a.doc_id] in stored and a.doc_id not in hits]
    if unreadable:
        computed.update(_extract_batches(unreadable, params, cache_dir, version))
        shutdown_pool()
    # An article the extraction silently dropped is reported as failed, not lost.
    return [hits.get(a.doc_id) or computed.get(a.doc_id) or failed_record(a, "extraction returned no result")
            for a in articles], set(hits)


def _extract_batches(todo: Sequence[Article], params: RunParameters, cache_dir: str | None,
                     version: str) -> dict[str, DateFreeExtraction | DocumentRecord]:
    """The results of extracting `todo` (and caching them), by doc_id, in tasks over batches."""
    local = _local_runner()
    n_process = extraction_processes(params.n_process, len(todo), local)
    # The default runner starts every submitted task at once, in threads: a bounded window keeps
    # a few batches per worker in flight, so memory does not grow with the collection.
    window = 2 * n_process + 1 if local else len(todo) + 1
    computed: dict[str, DateFreeExtraction | DocumentRecord] = {}
    pending: list[Any] = []
    for batch in _batches(todo, params.batch_size):
        if len(pending) >= window:
            computed.update(_by_doc_id(pending.pop(0).result()))
        pending.append(extract_task.submit(batch, n_process, cache_dir, version))
    for future in pending:
        computed.update(_by_doc_id(future.result()))
    return computed


# Below this many articles to extract, starting worker processes (a model load each, a few
# seconds) costs more than it saves.
AUTO_PROCESSES_MIN_ARTICLES = 48


def extraction_processes(requested: int, todo: int, local_runner: bool) -> int:
    """Worker processes for extracting `todo` articles: `requested`, or with 0 one per core when
    there are enough articles; always 1 under a distributed runner (its workers parallelize)."""
    if not local_runner:
        return 1
    if requested == 0:
        return max(1, os.cpu_count() or 1) if todo >= AUTO_PROCESSES_MIN_ARTICLES else 1
    return requested


def _local_runner() -> bool:
    """True when tasks run in threads of this process (Prefect's default runner)."""
    from prefect.context import FlowRunContext
    from prefect.task_runners import ThreadPoolTaskRunner

    context = FlowRunContext.get()
    return context is None or isinstance(context.task_runner, ThreadPoolTaskRunner)


def _by_doc_id(results: Sequence[DateFreeExtraction | DocumentRecord]) -> dict[str, DateFreeExtraction | DocumentRecord]:
    return {r.doc_id: r for r in results}


def merge_key(version: str, extraction_keys: Sequence[str]) -> str:
    """Key of a merge result: the merge is a pure function of the mentions, and the mentions of
    each article are a pure function of its extraction key (which includes the code fingerprint)
    and its publication date (`dated_key`)."""
    digest = hashlib.sha256(f"{MERGE_TASK}\0{version}".encode())
    for key in extraction_keys:
        digest.update(b"\0" + key.encode())
    return digest.hexdigest()


# Below this many mentions, shipping parts to a worker process costs more than merging in parallel saves.
PARALLEL_MERGE_MIN_MENTIONS = 20_000
# Above this many, the default merges the parts one after the other: two parts at once hold two
# parts' candidate pairs, measured within the limits at the sizes below (the whole news-silver
# collection, 100,736 mentions, `benchmarks/throughput.py`; a feed of 100,000 one-sentence records,
# `benchmarks/feed_scale.py`), not above them.
PARALLEL_MERGE_MAX_MENTIONS = 120_000
# Processes that merge by default (this one and a merge worker): each more holds one more part's pairs.
DEFAULT_MERGE_PROCESSES = 2


def merge_processes(requested: int, mentions: int, local_runner: bool) -> int:
    """Processes for merging `mentions` (the flow's and merge workers, `flows.parallel.LaneMap`):
    `requested` (`n_process` > 1) for a large merge; by default (0) two, on a machine of two cores or
    more, for a merge between PARALLEL_MERGE_MIN_MENTIONS and PARALLEL_MERGE_MAX_MENTIONS; else one.
    Under a distributed runner, one."""
    if not local_runner or mentions < PARALLEL_MERGE_MIN_MENTIONS or requested == 1:
        return 1
    if requested == 0:
        cores = os.cpu_count() or 1
        return min(DEFAULT_MERGE_PROCESSES, cores) if mentions <= PARALLEL_MERGE_MAX_MENTIONS else 1
    return requested


def merge_cached(mentions: list[EventMention], key: str | None, cache_root: Path,
                 n_process: int = 1, keep: Sequence[str] = ()) -> tuple[list[TimelineEntry], bool]:
    """The merged entries, from the cache when this exact set of extractions was merged before.
    Only the latest merge is kept, with the merges of `keep` (the one publication dates were
    estimated from): one entry can weigh tens of megabytes."""
    cache = ResultCache(cache_root, namespace="merge")
    if key is not None:
        entries = cache.get(key)
        if entries is not None:
            return list(entries), True
    # quote(): Prefect would otherwise walk every mention looking for futures (≈ 0.3 ms each).
    entries = merge_task(quote(mentions), n_process).unquote()
    if key is not None:
        try:
            cache.put(key, tuple(entries))
            cache.keep_only(key, *keep)
        except OSError as exc:
            get_run_logger().warning("cannot write the merge cache %s: %s", cache.folder, exc)
    return entries, False


def _merge_key_of(version: str, extractions: Sequence[ArticleExtraction]) -> str:
    """The merge key of the dated extractions: each one's extraction key with its publication date."""
    return merge_key(version, [dated_key(cache_key(EXTRACT_TASK, version, x.article), x.article)
                               for x in extractions])


def _timeline_key(merge_key: str, documents: Sequence[DocumentRecord]) -> str:
    """Key of a timeline's content apart from its `generated_at`: the merged entries (their merge
    key), the document records, and the code and schema that build and check the document."""
    from extractors.resources import load_json

    digest = hashlib.sha256(merge_key.encode())
    digest.update(Path(export.__file__).read_bytes())
    digest.update(repr(load_json("timeline.schema.json")).encode())
    # Canonical JSON of the records: the same records always give the same bytes.
    records = [export.document_to_json(d) for d in sorted(documents, key=lambda d: (d.path, d.doc_id))]
    digest.update(json.dumps(records, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _validated_before(cache_root: Path, key: str | None) -> bool:
    """Whether this exact timeline content passed the schema check in an earlier run: checking
    tens of thousands of entries with jsonschema takes longer than the rest of a cached re-run."""
    return key is not None and ResultCache(cache_root, namespace="validated").get(key) is not None


def _remember_validated(cache_root: Path, key: str | None) -> None:
    if key is None:
        return
    cache = ResultCache(cache_root, namespace="validated")
    try:
        cache.put(key, True)
        cache.keep_only(key)
    except OSError:
        pass  # the next run validates again


def _processed_record(extraction: ArticleExtraction, event_count: int) -> DocumentRecord:
    article = extraction.article
    return DocumentRecord(
        doc_id=article.doc_id, path=article.path, status="processed", reason=None, title=article.title,
        publication_date=article.publication_date, publication_date_source=article.publication_date_source,
        publication_date_earliest=article.publication_date_earliest,
        publication_date_evidence=article.publication_date_evidence,
        event_count=event_count, warnings=article.warnings,
    )


def _dedupe(articles: list[Article]) -> tuple[list[Article], list[DocumentRecord]]:
    """Exact and near duplicates count once; later copies are reported as skipped duplicates."""
    from extractors.duplicates import duplicate_matches

    matches = duplicate_matches(articles)
    unique = [a for a in articles if a.doc_id not in matches]
    duplicates = [
        DocumentRecord(
            doc_id=a.doc_id, path=a.path, status="skipped", reason=matches[a.doc_id].reason, title=a.title,
            publication_date=a.publication_date, publication_date_source=a.publication_date_source,
            publication_date_earliest=a.publication_date_earliest, publication_date_evidence=a.publication_date_evidence,
            warnings=a.warnings, duplicate_of=matches[a.doc_id].original,
        )
        for a in articles if a.doc_id in matches
    ]
    return unique, duplicates


# Above this many processed articles the log gets one summary line instead of a line per article,
# and above this many skipped or failed inputs one summary by reason: thousands of lines bury the
# warnings in the UI and cost the API server more than the run's tasks. run_report.json lists
# every input either way.
MAX_LOGGED_DOCUMENTS = MAX_LOGGED_WARNINGS = console.MAX_LINES_PER_KIND


def log_documents(logger: Any, documents: Sequence[DocumentRecord]) -> None:
    """Skipped or failed inputs with their reasons and processed ones, each up to a limit, then summarized."""
    for level, line in console.log_lines(documents, MAX_LOGGED_DOCUMENTS):
        getattr(logger, level)("%s", line)


def run_report(params: RunParameters, documents: Sequence[DocumentRecord], entries: Sequence[TimelineEntry],
               timings: dict[str, float], generated_at: dt.datetime,
               cache: dict[str, Any] | None = None, followed: FollowResult | None = None,
               listed: Sequence[DocumentRecord] | None = None) -> dict[str, Any]:
    """The run report: counts over `documents` (one per file or JSON lines record), and the
    document list `listed` (default: `documents`; the flow passes them with large feeds' skipped
    lines compacted)."""
    listed = documents if listed is None else listed
    counts = {status: sum(1 for d in documents if d.status == status) for status in ("processed", "skipped", "failed")}
    return {
        "schema_version": export.SCHEMA_VERSION,
        "generated_at": generated_at.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
        "source_dir": str(params.source_dir),
        "output_dir": str(params.output_dir),
        "counts": {**counts, "files": len(documents), "events": len(entries),
                   "mentions": sum(len(e.sources) for e in entries),
                   "conflicts": sum(1 for e in entries if e.conflicts)},
        "estimated_publication_dates": {
            d.doc_id: d.publication_date.isoformat() for d in documents
            if d.publication_date_source == "estimated" and d.publication_date
        },
        # What every date not read from metadata or a header rests on: the URL, the dateline, the
        # article and sentence an estimate was borrowed from, the past event that bounds a date.
        "publication_date_evidence": {
            d.doc_id: {key: export.document_to_json(d)[key] for key in (
                "publication_date_source", "publication_date", "publication_date_earliest", "publication_date_evidence")}
            for d in sorted(documents, key=lambda d: d.doc_id)
            if d.publication_date_source in ("url", "text", "estimated", "bounded")
        },
        "timings_seconds": {k: round(v, 3) for k, v in timings.items()},
        **({"cache": cache} if cache is not None else {}),
        **({"sources": {"archive": str(Path(followed.pages_dir).parent), "archived_this_run": followed.archived,
                        "followed": list(followed.sources)}} if followed is not None else {}),
        "documents": [export.document_to_json(d) for d in sorted(listed, key=lambda d: (d.path, d.doc_id))],
    }


@flow(name="build-timeline", log_prints=False, validate_parameters=True)
def build_timeline(source_dir: str = "seeds", output_dir: str = "output", batch_size: int = 16,
                   n_process: int = 0, cache_dir: str | None = None, use_cache: bool = True,
                   sources: list[str] | None = None, feeds_file: str | None = None,
                   archive_dir: str | None = None, fetch_options: dict[str, Any] | None = None,
                   follow_links_outside: bool = False) -> RunResult:
    """Build the merged timeline of the articles under `source_dir` into `output_dir`.

    Extraction results are cached per article under `cache_dir` (default `<output_dir>/.cache`),
    so a run over unchanged articles extracts nothing; `use_cache=False` extracts everything.
    With `sources` (feed or article URLs) or `feeds_file` (one per line), what is new in them is
    first fetched into `archive_dir` (default `<output_dir>/archive`) and the timeline is built from
    the whole archive instead of `source_dir`; `fetch_options` overrides extractors/resources/fetching.yaml.
    """
    clock = time.perf_counter()
    followed = None
    if sources or feeds_file:
        followed = follow_stage(sources or [], feeds_file, archive_dir or str(Path(output_dir) / ARCHIVE_SUBDIR),
                                fetch_options)
        source_dir = followed.pages_dir
    fetch_seconds = time.perf_counter() - clock
    params = RunParameters(source_dir=Path(source_dir), output_dir=Path(output_dir),
                           batch_size=batch_size, n_process=n_process,
                           cache_dir=Path(cache_dir) if cache_dir else None, use_cache=use_cache,
                           follow_links_outside=follow_links_outside)
    logger = get_run_logger()
    timings: dict[str, float] = {"fetch": fetch_seconds} if followed is not None else {}
    clock = time.perf_counter()

    inputs = discover_task(str(params.source_dir), params.follow_links_outside)
    loaded = flag_lookalike_names(with_unique_ids([r for batch in _batches(inputs, 256) for r in load_task(batch)]))
    articles, duplicates = _dedupe([r for r in loaded if isinstance(r, Article)])
    rejected = [r for r in loaded if isinstance(r, DocumentRecord)] + duplicates
    # Sources, feed items and feeds-file lines that could not be followed are inputs too.
    rejected += list(followed.records) if followed is not None else []
    timings["load"], clock = time.perf_counter() - clock, time.perf_counter()
    logger.info("found %d files: %d articles, %d skipped or failed", len(inputs), len(articles), len(rejected))

    version = extraction_version(EXTRACTOR_VERSION, records=tuple(cache_codec.record_classes().values()))
    # Extraction worker processes (each holding a model) stop after extraction, however the run
    # ends; the merge starts workers of its own (`merge_task`). A large feed is thousands of batches: Prefect's line for each finished task run is bounded.
    with workers_released(), console.bounded_task_run_lines(logger):
        # The extraction workers stop inside, before the cached extractions are decoded.
        results, cached = extract_cached(articles, params, version)
        found = {r.doc_id: r for r in results if isinstance(r, DateFreeExtraction)}
        rejected += [r for r in results if isinstance(r, DocumentRecord)]
        extracted = {a.doc_id for a in articles} - cached
        timings["extract"], clock = time.perf_counter() - clock, time.perf_counter()
        if params.use_cache:
            logger.info("extraction: %d articles from the cache, %d extracted (cache %s)",
                        len(cached), len(extracted), params.cache_root)

        # Publication dates bound late, a pure step over what extraction found: from the text where
        # the article has none; then estimated from the other articles and bound again.
        extractions = [bind_publication_date(a, found[a.doc_id]) for a in articles if a.doc_id in found]
        # Only an article still without a publication date can be dated again (from the others'
        # estimates, `redate_estimated`); the other date-free extractions (≈ 170 MB for 2,452 news
        # articles) are not read again, so they are let go before merging, ranking and writing.
        undated = {x.article.doc_id for x in extractions if x.article.publication_date is None}
        found = {doc_id: extraction for doc_id, extraction in found.items() if doc_id in undated}
        del results
        timings["date"], clock = time.perf_counter() - clock, time.perf_counter()

        # A re-run over unchanged articles merges exactly what the last run merged: reuse its result.
        key = _merge_key_of(version, extractions) if params.use_cache else None
        n_merge = merge_processes(params.n_process, sum(len(x.mentions) for x in extractions), _local_runner())
        entries, merge_hit = merge_cached([m for x in extractions for m in x.mentions], key, params.cache_root, n_merge)
        timings["merge"], clock = time.perf_counter() - clock, time.perf_counter()
        # Estimates count the events two articles share in that merge; the articles they date are
        # bound again and merged again (the merge estimated from is kept for the next run).
        redated = redate_estimated(extractions, found, entries)
        timings["date"], clock = timings["date"] + time.perf_counter() - clock, time.perf_counter()
        if redated is not extractions:
            extractions, estimated_from = redated, key
            key = _merge_key_of(version, extractions) if params.use_cache else None
            entries, merge_hit = merge_cached([m for x in extractions for m in x.mentions], key, params.cache_root,
                                              n_merge, keep=(estimated_from,) if estimated_from else ())
        entries = rank_entries(entries, n_articles=len(extractions))
        timings["merge"], clock = timings["merge"] + time.perf_counter() - clock, time.perf_counter()

    documents = [_processed_record(x, len(x.mentions)) for x in extractions] + rejected
    log_documents(logger, documents)
    # The files list the many skipped lines of a large feed as ranges; counts are per line.
    listed = compact_skipped_lines(documents)
    generated_at = dt.datetime.now(dt.timezone.utc)
    timeline = export.timeline_document(listed, entries, generated_at)
    validated_key = _timeline_key(key, listed) if key is not None else None
    if not _validated_before(params.cache_root, validated_key):
        problems = export.validate_timeline(timeline, max_events=RUNTIME_VALIDATION_EVENTS)
        if problems:
            raise RuntimeError("timeline.json would not match its schema: " + "; ".join(problems[:5]))
        _remember_validated(params.cache_root, validated_key)
    files = {
        TIMELINE_JSON: export.json_bytes(timeline),
        TIMELINE_CSV: export.timeline_csv_bytes(entries),
        ARTICLES_JSONL: export.articles_jsonl_bytes(x.article for x in extractions),
        TIMELINE_HTML: render_timeline_html(timeline).encode("utf-8"),
    }
    timings["serialize"] = time.perf_counter() - clock
    cache_info = {"enabled": params.use_cache, "dir": str(params.cache_root) if params.use_cache else None,
                  "version": version, "hits": len(cached), "misses": len(extracted),
                  **({"merge": "hit" if merge_hit else "miss"} if params.use_cache else {})}
    report = run_report(params, documents, entries, timings, generated_at, cache_info,
                        followed=followed, listed=listed)
    files[RUN_REPORT] = export.json_bytes(report)
    outputs = write_task(str(params.output_dir), files)
    outputs_written(str(params.output_dir), outputs, documents, len(entries))
    logger.info("wrote %d timeline entries (merged from %d event mentions of %d articles) to %s", len(entries),
                report["counts"]["mentions"], len(extractions), params.output_dir.resolve())
    # quote(): Prefect would walk every entry of both looking for futures (20 s for 100,000 documents).
    published = publish_task(quote(timeline), quote(report), outputs, return_state=True)
    artifacts = published.result() if published.is_completed() else {}
    if not artifacts:
        # The files are written; a UI that cannot take artifacts must not fail the run.
        logger.warning("could not publish the run's artifacts: %s", published.message)
    return RunResult(documents=tuple(sorted(documents, key=lambda d: d.path)), entries=tuple(entries),
                     outputs=outputs, timings=timings, cached=tuple(sorted(cached)),
                     extracted=tuple(sorted(extracted)), artifacts=artifacts)


def redate_estimated(extractions: list[ArticleExtraction], found: Mapping[str, DateFreeExtraction],
                     entries: Sequence[TimelineEntry] | None = None) -> list[ArticleExtraction]:
    """Estimate missing publication dates from the other articles, then bind each estimate to what
    extraction found (`found`, by doc_id): no article is parsed or extracted again. `entries`: the
    merge of the extractions' mentions, whose shared events support the estimates (merged here
    when not given). The same list when nothing was estimated."""
    estimates = explain_publication_estimates([x.article for x in extractions],
                                              None if entries is not None else [m for x in extractions for m in x.mentions],
                                              entries=entries)
    if not estimates:
        return extractions
    redated = {a.doc_id: bind_publication_date(a, found[a.doc_id]) for a in
               apply_estimates([x.article for x in extractions if x.article.doc_id in estimates], estimates)}
    return [redated.get(x.article.doc_id, x) for x in extractions]
