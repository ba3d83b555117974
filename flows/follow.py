"""Following feeds and article URLs into the archive: the `follow-sources` flow.

Runs before `build_timeline` reads the archive (as its subflow). Each followed URL is fetched
once per run (with its ETag / Last-Modified, so an unchanged feed costs one 304 answer); a feed's
new items are fetched and archived in tasks of one page each, retried on transient failures with
exponential backoff; items already in the archive are never requested again. Every source, item
or feeds-file line that could not be followed becomes a `DocumentRecord` with its reason, and the
run goes on. The decisions are pure functions in `extractors.sources`, `extractors.feeds` and
`extractors.archive`; this module does the I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import flows  # noqa: F401  (offline Prefect defaults before prefect is imported)

# isort: split
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from extractors.archive import (
    PAGES_DIR,
    SOURCES_DIR,
    ArchivedPage,
    FailedItem,
    SourceState,
    StateError,
    archive_name,
    page_date,
    page_suffix,
    plan_items,
    sidecar_bytes,
    state_from_json,
    state_to_json,
)
from extractors.articles import SIDECAR_SUFFIX, SUPPORTED_SUFFIXES
from extractors.feeds import FeedItem, NotAFeed, looks_like_feed, media_type, parse_feed
from extractors.schema import DocumentRecord
from extractors.sources import SourceList, combined_sources, parse_source_list, url_problem
from flows.fetching import (
    FetchRefused,
    FetchSettings,
    Response,
    TransientFetchError,
    fetch,
    load_fetch_settings,
)
from flows.outputs import write_atomic

# Default archive folder, inside the output folder.
ARCHIVE_SUBDIR = "archive"
FETCH_FAILED = "fetch failed"
FEED_FAILED = "feed failed"
NOT_AN_ARTICLE = "not an article"


class NotAnArticle(FetchRefused):
    """The URL answers with something that is not an article page (an image, a PDF, JSON)."""


@dataclass(frozen=True)
class FollowResult:
    """What following the sources did: the folder of archived pages the timeline is built from,
    a record for every source, item or line that could not be followed, and a summary per source."""

    pages_dir: str
    records: tuple[DocumentRecord, ...]
    sources: tuple[dict[str, Any], ...]
    archived: int  # pages archived by this run


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only what may work on a second try: transient HTTP failures and disk I/O errors."""
    try:
        state.result()
    except TransientFetchError:
        return True
    except FetchRefused:
        return False
    except OSError:
        return True
    except Exception:  # noqa: BLE001 — anything else is a bug or a bad response: no retry
        return False
    return False


@task(name="read-feeds-file", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_feeds_file_task(path: str) -> str:
    """The text of the feeds file (one feed or article URL per line)."""
    return Path(path).read_text(encoding="utf-8-sig", errors="replace")


@task(name="read-source-states", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_states_task(archive_dir: str, urls: list[str]) -> tuple[dict[str, SourceState], list[str], set[str]]:
    """The saved state of each URL (a fresh one when none or unreadable, with a warning) and the
    names of the pages in the archive."""
    folder = Path(archive_dir) / SOURCES_DIR
    states: dict[str, SourceState] = {}
    warnings: list[str] = []
    for url in urls:
        path = folder / f"{archive_name(url)}.json"
        try:
            states[url] = state_from_json(path.read_bytes(), url) if path.is_file() else SourceState(url=url)
        except StateError as exc:
            warnings.append(f"{url}: {exc}; followed as new (archived pages are kept)")
            states[url] = SourceState(url=url)
    return states, warnings, archived_names(Path(archive_dir) / PAGES_DIR)


def archived_names(pages_dir: Path) -> set[str]:
    """Names of the pages in the archive (a sidecar alone is not an archived page)."""
    if not pages_dir.is_dir():
        return set()
    return {p.stem for p in pages_dir.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES}


@task(name="fetch-source", cache_policy=NO_CACHE)
def fetch_source_task(url: str, settings: FetchSettings, headers: dict[str, str]) -> Response:
    """GET a followed URL (a feed, or an article page), conditionally when it is a known feed."""
    return fetch(url, settings, max(settings.max_feed_bytes, settings.max_page_bytes), headers)


@task(name="archive-page", cache_policy=NO_CACHE)
def archive_page_task(item: FeedItem, feed_url: str | None, settings: FetchSettings, pages_dir: str) -> str:
    """GET a feed item's page and archive it; returns its archive name."""
    response = fetch(item.url, settings, settings.max_page_bytes)
    return store_page(Path(pages_dir), item, feed_url, response)


@task(name="store-page", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def store_page_task(pages_dir: str, item: FeedItem, response: Response) -> str:
    """Archive a page already fetched (an article URL followed directly)."""
    return store_page(Path(pages_dir), item, None, response)


@task(name="save-source-states", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def save_states_task(archive_dir: str, states: list[SourceState]) -> None:
    """Write the state of every followed URL (atomically: a killed run leaves the previous one)."""
    folder = Path(archive_dir) / SOURCES_DIR
    for state in states:
        write_atomic(folder / f"{archive_name(state.url)}.json", state_to_json(state))


def store_page(pages_dir: Path, item: FeedItem, feed_url: str | None, response: Response) -> str:
    """Write the raw page and its sidecar under the URL's hash. The sidecar is written first: the
    page file is what marks an article archived, so a crash in between leaves it to be fetched again."""
    suffix = page_suffix(response.content_type, response.body)
    if suffix is None:
        kind = media_type(response.content_type) or "unknown"
        raise NotAnArticle(f"{NOT_AN_ARTICLE} (content type {kind})")
    published, date_from = item.published, "feed" if item.published else None
    if published is None and suffix == ".html":
        published = page_date(response.body, response.url)
        date_from = "page" if published else None
    name = archive_name(item.url)
    page = ArchivedPage(url=item.url, fetched_at=dt.datetime.now(dt.timezone.utc),
                        final_url=response.url if response.url != item.url else None, title=item.title,
                        publication_date=published, publication_date_from=date_from, feed=feed_url,
                        item_id=item.item_id if feed_url else None, content_type=response.content_type)
    write_atomic(pages_dir / f"{name}{SIDECAR_SUFFIX}", sidecar_bytes(page), durable=False)
    write_atomic(pages_dir / f"{name}{suffix}", response.body)
    return name


def _failure(url: str, error: BaseException, prefix: str = FETCH_FAILED) -> DocumentRecord:
    reason = error.reason if isinstance(error, FetchRefused) else f"{type(error).__name__}: {str(error)[:200]}"
    status = "skipped" if isinstance(error, NotAnArticle) else "failed"
    return DocumentRecord(doc_id=archive_name(url), path=url, status=status,  # type: ignore[arg-type]
                          reason=reason if status == "skipped" else f"{prefix}: {reason}")


def _given_up(failure: FailedItem) -> DocumentRecord:
    skipped = failure.reason.startswith(NOT_AN_ARTICLE)
    return DocumentRecord(
        doc_id=archive_name(failure.item.url), path=failure.item.url, status="skipped" if skipped else "failed",
        reason=failure.reason if skipped else
        f"{FETCH_FAILED}: {failure.reason} (not requested again after {failure.attempts} failed runs)")


@flow(name="follow-sources", log_prints=False)
def follow_sources(urls: list[str], archive_dir: str, feeds_file: str | None = None,
                   fetch_options: dict[str, Any] | None = None) -> FollowResult:
    """Fetch what is new in the followed feeds and article URLs into `archive_dir`."""
    logger = get_run_logger()
    settings = load_fetch_settings(fetch_options)
    if feeds_file and not Path(feeds_file).is_file():
        raise ValueError(f"feeds file {feeds_file!r} does not exist or is not a file")
    listed = parse_source_list(read_feeds_file_task(feeds_file), Path(feeds_file).name) if feeds_file else None
    wanted: SourceList = combined_sources(urls, listed)
    pages_dir = Path(archive_dir) / PAGES_DIR
    pages_dir.mkdir(parents=True, exist_ok=True)
    states, warnings, archived = read_states_task(archive_dir, list(wanted.urls))
    for warning in warnings:
        logger.warning(warning)
    fetch_page = archive_page_task.with_options(
        retries=settings.retries, retry_delay_seconds=exponential_backoff(settings.retry_backoff_seconds),
        retry_condition_fn=_transient)
    fetch_feed = fetch_source_task.with_options(
        retries=settings.retries, retry_delay_seconds=exponential_backoff(settings.retry_backoff_seconds),
        retry_condition_fn=_transient)

    records: list[DocumentRecord] = list(wanted.rejected)
    summaries: dict[str, dict[str, Any]] = {}
    fetched_sources = {}
    for url in wanted.urls:
        state = states[url]
        if archive_name(url) in archived:  # an article URL archived by an earlier run
            summaries[url] = {"url": url, "kind": "page", "status": "archived before", "new": 0}
            continue
        fetched_sources[url] = fetch_feed.submit(url, settings, state.conditional_headers())

    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    plans: dict[str, tuple[FeedItem, ...]] = {}
    for url, future in fetched_sources.items():
        state = states[url]
        response = future.result(raise_on_failure=False)
        if isinstance(response, BaseException):
            records.append(_failure(url, response, FEED_FAILED if state.kind == "feed" else FETCH_FAILED))
            summaries[url] = {"url": url, "kind": state.kind, "status": "failed", "new": 0,
                              "reason": records[-1].reason}
            # Earlier failed items of a feed that is down are tried when it answers again.
            continue
        items: tuple[FeedItem, ...] = ()
        if response.not_modified:
            summaries[url] = {"url": url, "kind": "feed", "status": "not modified", "new": 0}
        elif looks_like_feed(response.content_type, response.body):
            try:
                parsed = parse_feed(response.body, response.url, response.content_type)
            except NotAFeed as exc:
                records.append(_failure(url, FetchRefused(str(exc)), FEED_FAILED))
                summaries[url] = {"url": url, "kind": None, "status": "failed", "new": 0, "reason": records[-1].reason}
                continue
            if parsed.warning:
                logger.warning("%s: %s", url, parsed.warning)
            followed_items = []
            for item in parsed.items:
                problem = url_problem(item.url)
                if problem is not None:
                    records.append(DocumentRecord(doc_id=archive_name(item.url), path=item.url[:300],
                                                  status="skipped", reason=f"feed item link {problem}"))
                else:
                    followed_items.append(item)
            items = tuple(followed_items)
            summaries[url] = {"url": url, "kind": "feed", "status": "fetched", "title": parsed.title,
                              "items": len(parsed.items), "new": 0}
            states[url] = replace(state, kind="feed", etag=response.etag, last_modified=response.last_modified)
        else:
            # An article URL followed directly: the response is the page; no second request.
            page_item = FeedItem(item_id=url, url=url)
            stored = store_page_task(str(pages_dir), page_item, response, return_state=True)
            if stored.is_completed():
                archived.add(stored.result())
                states[url] = replace(state, kind="page", checked_at=now)
                summaries[url] = {"url": url, "kind": "page", "status": "fetched", "new": 1}
            else:
                records.append(_failure(url, stored.result(raise_on_failure=False)))
                summaries[url] = {"url": url, "kind": "page", "status": "failed", "new": 0,
                                  "reason": records[-1].reason}
            continue
        plans[url] = items

    # Every page to fetch, from all feeds at once: the per-host limit keeps each site's share polite.
    submitted: list[tuple[str, FeedItem, Any]] = []
    planned_names: set[str] = set()
    for url, items in plans.items():
        plan = plan_items(items, states[url], archived, settings.max_attempts)
        records.extend(_given_up(f) for f in plan.given_up)
        states[url] = replace(states[url], archived={**states[url].archived, **plan.known}, checked_at=now)
        for item in plan.fetch:
            name = archive_name(item.url)
            if name in planned_names:  # the same article in two feeds: one request
                continue
            planned_names.add(name)
            submitted.append((url, item, fetch_page.submit(item, url, settings, str(pages_dir))))

    archived_now = 0
    for url, item, future in submitted:
        outcome = future.result(raise_on_failure=False)
        state = states[url]
        failed = dict(state.failed)
        if isinstance(outcome, BaseException):
            previous = failed.get(item.item_id)
            attempts = (previous.attempts if previous else 0) + 1
            reason = outcome.reason if isinstance(outcome, FetchRefused) else f"{type(outcome).__name__}: {outcome}"
            if isinstance(outcome, NotAnArticle):
                attempts = settings.max_attempts  # a PDF stays a PDF: do not ask again
            failed[item.item_id] = FailedItem(item=item, reason=reason, attempts=attempts)
            records.append(_failure(item.url, outcome))
            summaries[url]["failed"] = summaries[url].get("failed", 0) + 1
        else:
            failed.pop(item.item_id, None)
            states[url] = replace(state, archived={**state.archived, item.item_id: outcome})
            state = states[url]
            archived_now += 1
            summaries[url]["new"] += 1
        states[url] = replace(state, failed=failed)

    save_states_task(archive_dir, [states[u] for u in wanted.urls if u in fetched_sources])
    for url, summary in summaries.items():
        summary["archived"] = len(states[url].archived) if states[url].kind == "feed" else None
        logger.info("%s: %s, %d new", url, summary["status"], summary["new"])
    return FollowResult(pages_dir=str(pages_dir), records=tuple(records),
                        sources=tuple(summaries[u] for u in wanted.urls if u in summaries),
                        archived=archived_now)


def follow_task_runner(settings: FetchSettings) -> ThreadPoolTaskRunner:
    """Threads for the fetching tasks: at most `max_concurrency` requests in flight."""
    return ThreadPoolTaskRunner(max_workers=settings.max_concurrency)


def follow_stage(urls: list[str], feeds_file: str | None, archive_dir: str,
                 fetch_options: dict[str, Any] | None = None) -> FollowResult:
    """Run `follow_sources` (as a subflow of the calling flow) on its own fetching threads."""
    settings = load_fetch_settings(fetch_options)
    return follow_sources.with_options(task_runner=follow_task_runner(settings))(
        urls=list(urls), archive_dir=archive_dir, feeds_file=feeds_file, fetch_options=fetch_options)
