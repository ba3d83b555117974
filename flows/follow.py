"""Following feeds and article URLs into the archive: the `follow-sources` flow.

Runs before `build_timeline` reads the archive (as its subflow). Each followed URL is fetched
once per run (with its ETag / Last-Modified, so an unchanged feed costs one 304 answer); a feed's
new items are fetched and archived in tasks of one page each, retried on transient failures with
exponential backoff; items already in the archive are never requested again. Before a site is
requested, its robots.txt is read (once per origin and run) and what it disallows is not. Every source, item
or feeds-file line that could not be followed becomes a `DocumentRecord` with its reason, and the
run goes on. The decisions are pure functions in `extractors.sources`, `extractors.feeds` and
`extractors.archive`; this module does the I/O.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import flows  # noqa: F401  (offline Prefect defaults before prefect is imported)

# isort: split
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from extractors.archive import (
    NOT_ARTICLE_KIND,
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
from extractors.robots import (
    MAX_ROBOTS_BYTES,
    RobotsPolicy,
    policy_from_text,
    policy_without_file,
    refusal,
    robots_url,
)
from extractors.schema import DocumentRecord
from extractors.sources import SourceList, combined_sources, origin_of, parse_source_list, url_problem
from flows.console import bounded_task_run_lines
from flows.fetching import (
    FetchRefused,
    FetchSettings,
    HostBusy,
    RedirectLoop,
    RequestDisallowed,
    Response,
    TransientFetchError,
    fetch,
    load_fetch_settings,
    set_crawl_delay,
)
from flows.outputs import write_atomic

# Default archive folder, inside the output folder.
ARCHIVE_SUBDIR = "archive"
FETCH_FAILED = "fetch failed"
FEED_FAILED = "feed failed"
NOT_AN_ARTICLE = NOT_ARTICLE_KIND


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
def fetch_source_task(url: str, settings: FetchSettings, headers: dict[str, str],
                      may_request: Callable[[str], None] | None = None) -> Response:
    """GET a followed URL (a feed, or an article page), conditionally when it is a known feed."""
    return fetch(url, settings, max(settings.max_feed_bytes, settings.max_page_bytes), headers,
                 may_request=may_request)


@task(name="fetch-robots", cache_policy=NO_CACHE)
def fetch_robots_task(origin: str, settings: FetchSettings) -> Response:
    """GET an origin's robots.txt (its first 512 KiB)."""
    return fetch(robots_url(origin), settings, MAX_ROBOTS_BYTES, truncate=True)


def robots_policy(origin: str, outcome: Response | BaseException) -> RobotsPolicy:
    """The policy an origin's robots.txt fetch gives: its rules, or RFC 9309's answer without them."""
    if isinstance(outcome, Response):
        return policy_from_text(origin, outcome.body)
    if isinstance(outcome, FetchRefused):
        return policy_without_file(origin, outcome.reason, outcome.status, isinstance(outcome, RedirectLoop))
    return policy_without_file(origin, f"{type(outcome).__name__}: {str(outcome)[:160]}")


@task(name="archive-page", cache_policy=NO_CACHE)
def archive_page_task(item: FeedItem, feed_url: str | None, settings: FetchSettings, pages_dir: str,
                      may_request: Callable[[str], None] | None = None) -> str:
    """GET a feed item's page and archive it; returns its archive name."""
    response = fetch(item.url, settings, settings.max_page_bytes, may_request=may_request)
    return store_page(Path(pages_dir), item, feed_url, response)


@task(name="store-page", retries=2, retry_delay_seconds=1, retry_condition_fn=_transient, cache_policy=NO_CACHE)
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
    if isinstance(error, RequestDisallowed):
        prefix = FETCH_FAILED
        status = error.record_status
    else:
        status = "skipped" if isinstance(error, NotAnArticle) else "failed"
    return DocumentRecord(doc_id=archive_name(url), path=url, status=status,  # type: ignore[arg-type]
                          reason=reason if status == "skipped" else f"{prefix}: {reason}")


def _given_up(failure: FailedItem) -> DocumentRecord:
    skipped = failure.reason.startswith(NOT_AN_ARTICLE)
    return DocumentRecord(
        doc_id=archive_name(failure.item.url), path=failure.item.url, status="skipped" if skipped else "failed",
        reason=failure.reason if skipped else
        f"{FETCH_FAILED}: {failure.reason} (not requested again after {failure.attempts} failed runs)")


@dataclass
class _Progress:
    """What one run of `follow_sources` has learnt so far; lives only inside it."""

    states: dict[str, SourceState]
    archived: set[str]  # names of the pages in the archive
    records: list[DocumentRecord]
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    robots: dict[str, RobotsPolicy] = field(default_factory=dict)  # per origin, read once per run
    warnings: list[str] = field(default_factory=list)
    archived_now: int = 0
    # Fetching threads read robots.txt of the hosts redirects lead to: once per origin.
    lock: threading.Lock = field(default_factory=threading.Lock)
    reading: dict[str, threading.Lock] = field(default_factory=dict)
    now: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    def summarize(self, url: str, kind: str | None, status: str, **more: Any) -> None:
        self.summaries[url] = {"url": url, "kind": kind, "status": status, "new": 0, **more}

    def robots_refusal(self, url: str, user_agent: str) -> DocumentRecord | None:
        """The record of a URL its site's robots.txt does not let us request, or None."""
        policy = self.robots[origin_of(url)]
        if policy.allows(url, user_agent):
            return None
        status, reason = refusal(policy)
        return DocumentRecord(doc_id=archive_name(url), path=url, status=status,  # type: ignore[arg-type]
                              reason=reason if status == "skipped" else f"{FETCH_FAILED}: {reason}")

    def adopt(self, policy: RobotsPolicy, settings: FetchSettings) -> None:
        """Use an origin's robots.txt policy for the rest of the run, its Crawl-delay included."""
        asked = policy.crawl_delay(settings.user_agent)
        kept = set_crawl_delay(policy.origin, asked, settings)
        with self.lock:
            self.robots[policy.origin] = policy
            if asked is not None and asked > kept:
                self.warnings.append(f"{policy.origin}: robots.txt asks for a Crawl-delay of {asked:g} s; "
                                     f"requests are spaced by {kept:g} s (max_crawl_delay_seconds)")

    def redirect_check(self, settings: FetchSettings) -> Callable[[str], None]:
        """What `fetch` asks before following a redirect: may the target be requested? Its site's
        robots.txt is read (once per origin and run) when it was not before."""
        def may_request(url: str) -> None:
            origin = origin_of(url)
            with self.lock:
                policy = self.robots.get(origin)
                reading = self.reading.setdefault(origin, threading.Lock())
            if policy is None:
                with reading:
                    with self.lock:
                        policy = self.robots.get(origin)
                    if policy is None:
                        outcome = _with_retries(fetch_robots_task, settings)(origin, settings, return_state=True)
                        policy = robots_policy(origin, outcome.result(raise_on_failure=False))
                        self.adopt(policy, settings)
            if not policy.allows(url, settings.user_agent):
                status, reason = refusal(policy)
                raise RequestDisallowed(f"redirected to {url[:200]}: {reason}", status)
        return may_request

    def page_refused(self, feed_url: str, item: FeedItem, record: DocumentRecord) -> None:
        """Report a feed item its site's robots.txt did not let us request, and keep it in the
        feed's state to ask about again next run (the feed may answer 304 then), without counting
        the run against it."""
        self.records.append(record)
        state = self.states[feed_url]
        previous = state.failed.get(item.item_id)
        reason = (record.reason or "").removeprefix(f"{FETCH_FAILED}: ")
        failed = {**state.failed, item.item_id: FailedItem(item=item, reason=reason,
                                                           attempts=previous.attempts if previous else 0)}
        self.states[feed_url] = replace(state, failed=failed)

    def source_failed(self, url: str, error: BaseException, prefix: str) -> None:
        self.records.append(_failure(url, error, prefix))
        self.summarize(url, self.states[url].kind, "failed", reason=self.records[-1].reason)

    def page_done(self, feed_url: str, item: FeedItem, outcome: str | BaseException, max_attempts: int) -> None:
        """Record a feed item's page archived (its name) or not (the error), in its feed's state."""
        state = self.states[feed_url]
        failed = dict(state.failed)
        archived = dict(state.archived)
        if isinstance(outcome, RequestDisallowed):
            # As a page its robots.txt refuses: asked about again by the next run, not counted.
            self.page_refused(feed_url, item, _failure(item.url, outcome))
            return
        if isinstance(outcome, BaseException):
            previous = failed.get(item.item_id)
            # A PDF stays a PDF: it is not asked for again. A host that asked for a long pause is
            # busy, the page not at fault: that run does not count against it.
            attempts = (max_attempts if isinstance(outcome, NotAnArticle)
                        else (previous.attempts if previous else 0) + (0 if isinstance(outcome, HostBusy) else 1))
            reason = outcome.reason if isinstance(outcome, FetchRefused) else f"{type(outcome).__name__}: {outcome}"
            failed[item.item_id] = FailedItem(item=item, reason=reason, attempts=attempts)
            self.records.append(_failure(item.url, outcome))
            self.summaries[feed_url]["failed"] = self.summaries[feed_url].get("failed", 0) + 1
        else:
            failed.pop(item.item_id, None)
            archived[item.item_id] = outcome
            self.archived.add(outcome)
            self.archived_now += 1
            self.summaries[feed_url]["new"] += 1
        self.states[feed_url] = replace(state, failed=failed, archived=archived)

    def result(self, pages_dir: Path, urls: tuple[str, ...]) -> FollowResult:
        for url, summary in self.summaries.items():
            summary["archived"] = len(self.states[url].archived) if self.states[url].kind == "feed" else None
        return FollowResult(pages_dir=str(pages_dir), records=tuple(self.records),
                            sources=tuple(self.summaries[u] for u in urls if u in self.summaries),
                            archived=self.archived_now)


def _with_retries(fetching_task: Any, settings: FetchSettings) -> Any:
    """The task retried on transient failures only, with exponential backoff from the settings."""
    return fetching_task.with_options(
        retries=settings.retries, retry_delay_seconds=exponential_backoff(settings.retry_backoff_seconds),
        retry_condition_fn=_transient)


@flow(name="follow-sources", log_prints=False)
def follow_sources(urls: list[str], archive_dir: str, feeds_file: str | None = None,
                   fetch_options: dict[str, Any] | None = None) -> FollowResult:
    """Fetch what is new in the followed feeds and article URLs into `archive_dir`."""
    logger = get_run_logger()
    settings = load_fetch_settings(fetch_options)
    wanted = _wanted_sources(urls, feeds_file)
    pages_dir = Path(archive_dir) / PAGES_DIR
    pages_dir.mkdir(parents=True, exist_ok=True)
    states, warnings, archived = read_states_task(archive_dir, list(wanted.urls))
    for warning in warnings:
        logger.warning(warning)
    progress = _Progress(states=states, archived=archived, records=list(wanted.rejected))

    with bounded_task_run_lines(logger):  # a feed of thousands of items: one line per page otherwise
        responses = _fetch_sources(wanted.urls, progress, settings)
        items = {url: found for url, response in responses.items()
                 if (found := _read_source(url, response, progress, pages_dir, logger)) is not None}
        _fetch_items(items, progress, settings, pages_dir)
    save_states_task(archive_dir, [progress.states[url] for url in responses])
    for warning in progress.warnings:
        logger.warning(warning)
    for url, summary in progress.summaries.items():
        logger.info("%s: %s, %d new", url, summary["status"], summary["new"])
    return progress.result(pages_dir, wanted.urls)


def _wanted_sources(urls: list[str], feeds_file: str | None) -> SourceList:
    """The URLs given and those of the feeds file, with the lines that are not followed."""
    if not feeds_file:
        return combined_sources(urls)
    if not Path(feeds_file).is_file():
        raise ValueError(f"feeds file {feeds_file!r} does not exist or is not a file")
    return combined_sources(urls, parse_source_list(read_feeds_file_task(feeds_file), Path(feeds_file).name))


def _read_robots(urls: Iterable[str], progress: _Progress, settings: FetchSettings) -> None:
    """Read the robots.txt of every origin of `urls` not read before in this run, all at once."""
    fetch_robots = _with_retries(fetch_robots_task, settings)
    futures = {origin: fetch_robots.submit(origin, settings)
               for origin in sorted({origin_of(url) for url in urls} - set(progress.robots))}
    for origin, future in futures.items():
        progress.adopt(robots_policy(origin, future.result(raise_on_failure=False)), settings)


def _fetch_sources(urls: tuple[str, ...], progress: _Progress,
                   settings: FetchSettings) -> dict[str, Response | BaseException]:
    """One request per followed URL that its site allows, all at once; an article URL archived
    before gets none."""
    fetch_feed = _with_retries(fetch_source_task, settings)
    to_request = []
    for url in urls:
        state = progress.states[url]
        if archive_name(url) in progress.archived:
            progress.summarize(url, "page", "archived before")
        elif state.kind == NOT_ARTICLE_KIND:  # a PDF stays a PDF: reported, not requested again
            progress.records.append(_failure(url, NotAnArticle(state.reason or NOT_AN_ARTICLE)))
            progress.summarize(url, NOT_ARTICLE_KIND, "skipped", reason=state.reason)
        else:
            to_request.append(url)
    _read_robots(to_request, progress, settings)
    futures = {}
    for url in to_request:
        refused = progress.robots_refusal(url, settings.user_agent)
        if refused is not None:
            progress.records.append(refused)
            progress.summarize(url, progress.states[url].kind, refused.status, reason=refused.reason)
        else:
            futures[url] = fetch_feed.submit(url, settings, progress.states[url].conditional_headers(),
                                             progress.redirect_check(settings))
    return {url: future.result(raise_on_failure=False) for url, future in futures.items()}


def _read_source(url: str, response: Response | BaseException, progress: _Progress, pages_dir: Path,
                 logger: Any) -> tuple[FeedItem, ...] | None:
    """The items of a feed to consider (none when it did not change); None for an article URL
    (archived here, from this very response) or a source that failed."""
    state = progress.states[url]
    if isinstance(response, BaseException):
        # A feed that is down keeps its failed items: they are tried when it answers again.
        progress.source_failed(url, response, FEED_FAILED if state.kind == "feed" else FETCH_FAILED)
        return None
    if response.not_modified:
        progress.summarize(url, "feed", "not modified")
        progress.states[url] = replace(state, checked_at=progress.now)
        return ()
    if not looks_like_feed(response.content_type, response.body):
        stored = store_page_task(str(pages_dir), FeedItem(item_id=url, url=url), response, return_state=True)
        if not stored.is_completed():
            error = stored.result(raise_on_failure=False)
            progress.source_failed(url, error, FETCH_FAILED)
            if isinstance(error, NotAnArticle):
                progress.states[url] = replace(state, kind=NOT_ARTICLE_KIND, reason=error.reason, checked_at=progress.now)
            return None
        progress.archived.add(stored.result())
        progress.states[url] = replace(state, kind="page", checked_at=progress.now)
        progress.summarize(url, "page", "fetched", new=1)
        return None
    try:
        parsed = parse_feed(response.body, response.url, response.content_type)
    except NotAFeed as exc:
        progress.source_failed(url, FetchRefused(str(exc)), FEED_FAILED)
        return None
    if parsed.warning:
        logger.warning("%s: %s", url, parsed.warning)
    followed = []
    for item in parsed.items:
        problem = url_problem(item.url)
        if problem is None:
            followed.append(item)
        else:
            progress.records.append(DocumentRecord(doc_id=archive_name(item.url), path=item.url[:300],
                                                   status="skipped", reason=f"feed item link {problem}"))
    progress.summarize(url, "feed", "fetched", title=parsed.title, items=len(parsed.items))
    progress.states[url] = replace(state, kind="feed", etag=response.etag, last_modified=response.last_modified,
                                   checked_at=progress.now)
    return tuple(followed)


def _fetch_items(items: dict[str, tuple[FeedItem, ...]], progress: _Progress, settings: FetchSettings,
                 pages_dir: Path) -> None:
    """Fetch and archive the pages of every feed's new items (and its earlier failures) that their
    sites allow, all at once: the per-host limit keeps each site's share polite."""
    fetch_page = _with_retries(archive_page_task, settings)
    wanted: list[tuple[str, FeedItem]] = []
    planned: set[str] = set()
    for url, feed_items in items.items():
        plan = plan_items(feed_items, progress.states[url], progress.archived, settings.max_attempts)
        progress.records.extend(_given_up(f) for f in plan.given_up)
        progress.states[url] = replace(progress.states[url], archived={**progress.states[url].archived, **plan.known})
        for item in plan.fetch:
            if archive_name(item.url) not in planned:  # the same article in two feeds: one request
                planned.add(archive_name(item.url))
                wanted.append((url, item))
    _read_robots((item.url for _, item in wanted), progress, settings)
    submitted: list[tuple[str, FeedItem, Any]] = []
    for url, item in wanted:
        refused = progress.robots_refusal(item.url, settings.user_agent)
        if refused is not None:
            progress.page_refused(url, item, refused)
        else:
            submitted.append((url, item, fetch_page.submit(item, url, settings, str(pages_dir),
                                                           progress.redirect_check(settings))))
    for url, item, future in submitted:
        progress.page_done(url, item, future.result(raise_on_failure=False), settings.max_attempts)


def follow_task_runner(settings: FetchSettings) -> ThreadPoolTaskRunner:
    """Threads for the fetching tasks: at most `max_concurrency` requests in flight."""
    return ThreadPoolTaskRunner(max_workers=settings.max_concurrency)


def follow_stage(urls: list[str], feeds_file: str | None, archive_dir: str,
                 fetch_options: dict[str, Any] | None = None) -> FollowResult:
    """Run `follow_sources` (as a subflow of the calling flow) on its own fetching threads."""
    settings = load_fetch_settings(fetch_options)
    return follow_sources.with_options(task_runner=follow_task_runner(settings))(
        urls=list(urls), archive_dir=archive_dir, feeds_file=feeds_file, fetch_options=fetch_options)
