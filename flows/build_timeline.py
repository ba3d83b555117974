"""The `build_timeline` flow: load → extract → date → merge → write.

Tasks are thin wrappers around `extractors`; the flow body reads like the pipeline.
Extraction runs in tasks over batches of articles (a task per article costs more in
Prefect bookkeeping than the work it wraps).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import flows  # noqa: F401  (offline Prefect defaults before prefect is imported)
from prefect import flow, get_run_logger, task
from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractors import export
from extractors.inputs import InputFile, discover_inputs, read_input
from extractors.merge import merge_mentions
from extractors.nlp import load_nlp
from extractors.pipeline import ArticleExtraction, extract_articles
from extractors.pubdate import estimate_publication_dates
from extractors.schema import Article, DocumentRecord, EventMention, TimelineEntry
from flows.outputs import write_output_set

TIMELINE_JSON = "timeline.json"
TIMELINE_CSV = "timeline.csv"
RUN_REPORT = "run_report.json"
ARTICLES_JSONL = "articles.jsonl"


class RunParameters(BaseModel):
    """Validated parameters of a run; errors name the parameter and what is wrong."""

    model_config = ConfigDict(frozen=True)

    source_dir: Path
    output_dir: Path
    batch_size: int = Field(16, ge=1, le=10_000)
    n_process: int = Field(1, ge=1, le=64)

    @field_validator("source_dir")
    @classmethod
    def _source_exists(cls, value: Path) -> Path:
        if not value.exists():
            raise ValueError(f"source folder {str(value)!r} does not exist")
        if not value.is_dir():
            raise ValueError(f"source {str(value)!r} is not a folder")
        return value

    @field_validator("output_dir")
    @classmethod
    def _output_is_folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(f"output {str(value)!r} exists and is not a folder")
        return value


@dataclasses.dataclass(frozen=True)
class RunResult:
    documents: tuple[DocumentRecord, ...]
    entries: tuple[TimelineEntry, ...]
    outputs: dict[str, str]
    timings: dict[str, float]

    @property
    def failed(self) -> tuple[DocumentRecord, ...]:
        return tuple(d for d in self.documents if d.status == "failed")


@task(name="discover-inputs", retries=2, retry_delay_seconds=1)
def discover_task(source_dir: str) -> list[InputFile]:
    """List the files under the source folder."""
    return discover_inputs(source_dir)


@task(name="load-articles", retries=2, retry_delay_seconds=1)
def load_task(items: list[InputFile]) -> list[Article | DocumentRecord]:
    """Read a batch of files into articles or records of why not."""
    return [read_input(item) for item in items]


@task(name="extract-batch")
def extract_task(articles: list[Article], n_process: int = 1) -> list[ArticleExtraction | DocumentRecord]:
    """Parse, date, tag and find events in a batch of articles."""
    return extract_batch_safely(articles, n_process)


@task(name="merge-events")
def merge_task(mentions: list[EventMention]) -> list[TimelineEntry]:
    """Merge the mentions of all articles into timeline entries."""
    return merge_mentions(mentions)


@task(name="write-outputs", retries=2, retry_delay_seconds=1)
def write_task(output_dir: str, files: dict[str, bytes]) -> dict[str, str]:
    """Write the output files atomically."""
    return write_output_set(Path(output_dir), files)


def extract_batch_safely(articles: Sequence[Article], n_process: int = 1) -> list[ArticleExtraction | DocumentRecord]:
    """Extraction of a batch; an article that makes extraction fail is reported, not fatal."""
    nlp = load_nlp()
    try:
        return list(extract_articles(articles, nlp, n_process=n_process))
    except Exception:  # noqa: BLE001 — isolate the article that fails below
        pass
    results: list[ArticleExtraction | DocumentRecord] = []
    for article in articles:
        try:
            results.extend(extract_articles([article], nlp))
        except Exception as exc:  # noqa: BLE001 — one bad article must not stop the run
            results.append(DocumentRecord(
                doc_id=article.doc_id, path=article.path, status="failed",
                reason=f"extraction failed: {type(exc).__name__}: {str(exc)[:200]}",
                title=article.title, publication_date=article.publication_date,
                publication_date_source=article.publication_date_source, warnings=article.warnings,
            ))
    return results


def _batches(items: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def _processed_record(extraction: ArticleExtraction, event_count: int) -> DocumentRecord:
    article = extraction.article
    return DocumentRecord(
        doc_id=article.doc_id, path=article.path, status="processed", reason=None, title=article.title,
        publication_date=article.publication_date, publication_date_source=article.publication_date_source,
        event_count=event_count, warnings=article.warnings,
    )


def _dedupe(articles: list[Article]) -> tuple[list[Article], list[DocumentRecord]]:
    """Exact duplicates (same body) count once; later copies are reported as duplicates."""
    first_by_body: dict[str, Article] = {}
    unique: list[Article] = []
    duplicates: list[DocumentRecord] = []
    for article in articles:
        original = first_by_body.get(article.body)
        if original is None:
            first_by_body[article.body] = article
            unique.append(article)
        else:
            duplicates.append(DocumentRecord(
                doc_id=article.doc_id, path=article.path, status="skipped",
                reason=f"duplicate of {original.doc_id}", title=article.title,
                publication_date=article.publication_date,
                publication_date_source=article.publication_date_source, duplicate_of=original.doc_id,
            ))
    return unique, duplicates


def run_report(params: RunParameters, documents: Sequence[DocumentRecord], entries: Sequence[TimelineEntry],
               timings: dict[str, float], generated_at: dt.datetime) -> dict[str, Any]:
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
        "timings_seconds": {k: round(v, 3) for k, v in timings.items()},
        "documents": [export.document_to_json(d) for d in sorted(documents, key=lambda d: (d.path, d.doc_id))],
    }


@flow(name="build-timeline", log_prints=False, validate_parameters=True)
def build_timeline(source_dir: str = "seeds", output_dir: str = "output", batch_size: int = 16,
                   n_process: int = 1) -> RunResult:
    """Build the merged timeline of the articles under `source_dir` into `output_dir`."""
    params = RunParameters(source_dir=Path(source_dir), output_dir=Path(output_dir),
                           batch_size=batch_size, n_process=n_process)
    logger = get_run_logger()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    inputs = discover_task(str(params.source_dir))
    loaded = [r for batch in _batches(inputs, 256) for r in load_task(batch)]
    articles, duplicates = _dedupe([r for r in loaded if isinstance(r, Article)])
    rejected = [r for r in loaded if isinstance(r, DocumentRecord)] + duplicates
    timings["load"], clock = time.perf_counter() - clock, time.perf_counter()
    logger.info("found %d files: %d articles, %d skipped or failed", len(inputs), len(articles), len(rejected))

    futures = [extract_task.submit(batch, params.n_process) for batch in _batches(articles, params.batch_size)]
    results = [r for future in futures for r in future.result()]
    extractions = [r for r in results if isinstance(r, ArticleExtraction)]
    rejected += [r for r in results if isinstance(r, DocumentRecord)]
    timings["extract"], clock = time.perf_counter() - clock, time.perf_counter()

    extractions = redate_estimated(extractions)
    timings["date"], clock = time.perf_counter() - clock, time.perf_counter()

    entries = merge_task([m for x in extractions for m in x.mentions])
    timings["merge"], clock = time.perf_counter() - clock, time.perf_counter()

    documents = [_processed_record(x, len(x.mentions)) for x in extractions] + rejected
    for record in documents:
        if record.status != "processed":
            logger.warning("%s: %s (%s)", record.path, record.status, record.reason)
        else:
            logger.info("%s: %d events, published %s (%s)", record.path, record.event_count,
                        record.publication_date or "unknown", record.publication_date_source)
    generated_at = dt.datetime.now(dt.timezone.utc)
    timeline = export.timeline_document(documents, entries, generated_at)
    problems = export.validate_timeline(timeline)
    if problems:
        raise RuntimeError("timeline.json would not match its schema: " + "; ".join(problems[:5]))
    files = {
        TIMELINE_JSON: export.json_bytes(timeline),
        TIMELINE_CSV: export.timeline_csv_bytes(entries),
        ARTICLES_JSONL: export.articles_jsonl_bytes(x.article for x in extractions),
    }
    timings["serialize"] = time.perf_counter() - clock
    files[RUN_REPORT] = export.json_bytes(run_report(params, documents, entries, timings, generated_at))
    outputs = write_task(str(params.output_dir), files)
    logger.info("wrote %d events from %d articles to %s", len(entries), len(extractions), params.output_dir)
    return RunResult(documents=tuple(sorted(documents, key=lambda d: d.path)), entries=tuple(entries),
                     outputs=outputs, timings=timings)


def redate_estimated(extractions: list[ArticleExtraction]) -> list[ArticleExtraction]:
    """Estimate missing publication dates from the other articles, then re-extract those articles."""
    estimates = estimate_publication_dates([x.article for x in extractions], [m for x in extractions for m in x.mentions])
    if not estimates:
        return extractions
    to_redo = [dataclasses.replace(x.article, publication_date=estimates[x.article.doc_id],
                                   publication_date_source="estimated")
               for x in extractions if x.article.doc_id in estimates]
    redone = {r.article.doc_id: r for r in extract_batch_safely(to_redo) if isinstance(r, ArticleExtraction)}
    return [redone.get(x.article.doc_id, x) for x in extractions]
