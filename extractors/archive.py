"""The archive of fetched articles and the state of each followed source, as data.

Pure functions; `flows.follow` does the reading and writing. Layout of an archive folder:

    pages/<name>.html (or .txt)   the page as the server sent it (the raw bytes)
    pages/<name>.meta.json        the sidecar the loader reads: url, title, publication_date, feed, fetched_at
    sources/<name>.json           per followed URL: feed or page, ETag, Last-Modified, items archived, items failed

`<name>` is a hash of the URL, never a part of it, so no URL can name a path outside the archive
("../../etc/passwd", a drive letter, a name too long for the file system). The timeline is built
from `pages/`, the whole archive, so it grows run by run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from extractors.feeds import FeedItem, media_type

PAGES_DIR = "pages"
# The kind of a followed URL that answered with something other than a feed or an article page.
NOT_ARTICLE_KIND = "not an article"
SOURCES_DIR = "sources"
ARCHIVE_STATE_VERSION = 1
# 20 hex digits = 80 bits: no collision among billions of URLs, and short enough to read as a doc_id.
NAME_DIGITS = 20
HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_MEDIA_TYPES = frozenset({"text/plain", "text/markdown"})


def archive_name(url: str) -> str:
    """The file name (without extension) under which the page at `url` is archived."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:NAME_DIGITS]


def page_suffix(content_type: str | None, head: bytes) -> str | None:
    """`.html` or `.txt` for an article page, by its media type (or, when the server does not say,
    by its first bytes); None for anything that is not an article (images, PDF, JSON, ...)."""
    kind = media_type(content_type)
    if kind in HTML_MEDIA_TYPES:
        return ".html"
    if kind in TEXT_MEDIA_TYPES:
        return ".txt"
    if kind in ("", "application/octet-stream"):
        start = head[:1024].lstrip().lower()
        return ".html" if start.startswith((b"<!doctype html", b"<html")) else None
    return None


def page_date(html: bytes, url: str) -> dt.date | None:
    """The publication date of a page from its metadata or its URL (`/2023/09/07/`), by htmldate;
    not from the text (the extraction stage reads dates in the text with the temporal tagger)."""
    import lxml.html
    from htmldate import find_date

    try:
        # A tree, not a string: htmldate downloads a string that looks like a URL.
        tree = lxml.html.document_fromstring(html)
        found = find_date(tree, url=url, extensive_search=False, original_date=True,
                          outputformat="%Y-%m-%d", max_date="2999-12-31")
    except Exception:  # noqa: BLE001 — lxml and htmldate raise many types on broken pages
        return None
    return dt.date.fromisoformat(found) if found else None


@dataclass(frozen=True)
class ArchivedPage:
    """What the archive keeps beside a page: the sidecar's content."""

    url: str
    fetched_at: dt.datetime
    final_url: str | None = None  # after redirects, when different
    title: str | None = None
    publication_date: dt.date | None = None
    publication_date_from: str | None = None  # "feed" or "page"
    feed: str | None = None
    item_id: str | None = None
    content_type: str | None = None


def sidecar_bytes(page: ArchivedPage) -> bytes:
    """The sidecar JSON of an archived page, in the fields `extractors.articles.parse_sidecar` reads
    (url, title, publication_date) plus provenance. The fetch time is never the publication date."""
    meta: dict[str, Any] = {
        "url": page.url,
        "title": page.title,
        "publication_date": page.publication_date.isoformat() if page.publication_date else None,
        "publication_date_from": page.publication_date_from,
        "feed": page.feed,
        "feed_item_id": page.item_id,
        "final_url": page.final_url,
        "content_type": page.content_type,
        "fetched_at": page.fetched_at.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    return json.dumps({k: v for k, v in meta.items() if v is not None}, ensure_ascii=False, indent=1).encode()


@dataclass(frozen=True)
class FailedItem:
    """An item whose page could not be archived yet: retried by later runs, up to a limit."""

    item: FeedItem
    reason: str
    attempts: int = 1


@dataclass(frozen=True)
class SourceState:
    """What the archive remembers about one followed URL between runs."""

    url: str
    kind: str | None = None  # "feed", "page" or NOT_ARTICLE_KIND once known
    # Why a URL of NOT_ARTICLE_KIND is not an article ("not an article (content type application/pdf)").
    reason: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    # item id → archive name of every item archived from this feed.
    archived: dict[str, str] = field(default_factory=dict)
    failed: dict[str, FailedItem] = field(default_factory=dict)
    checked_at: str | None = None

    def conditional_headers(self) -> dict[str, str]:
        """Headers that let the server answer 304 Not Modified when the feed has not changed."""
        headers = {}
        if self.kind == "feed" and self.etag:
            headers["If-None-Match"] = self.etag
        if self.kind == "feed" and self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class StateError(ValueError):
    """A state file that cannot be read; the source is then followed as new (nothing is lost:
    archived pages are found by their names)."""


def state_to_json(state: SourceState) -> bytes:
    return json.dumps({
        "version": ARCHIVE_STATE_VERSION,
        "url": state.url,
        "kind": state.kind,
        "reason": state.reason,
        "etag": state.etag,
        "last_modified": state.last_modified,
        "checked_at": state.checked_at,
        "archived": dict(sorted(state.archived.items())),
        "failed": {item_id: {"url": f.item.url, "title": f.item.title,
                             "published": f.item.published.isoformat() if f.item.published else None,
                             "published_raw": f.item.published_raw, "reason": f.reason, "attempts": f.attempts}
                   for item_id, f in sorted(state.failed.items())},
    }, ensure_ascii=False, indent=1).encode()


def state_from_json(data: bytes, url: str) -> SourceState:
    """The state saved for `url`. Raises StateError for a file that is not a state of this URL."""
    try:
        raw = json.loads(data)
        if not isinstance(raw, dict) or raw.get("version") != ARCHIVE_STATE_VERSION or raw.get("url") != url:
            raise StateError("not a state file of this source")
        failed = {
            str(item_id): FailedItem(
                item=FeedItem(item_id=str(item_id), url=str(f["url"]), title=f.get("title"),
                              published=dt.date.fromisoformat(f["published"]) if f.get("published") else None,
                              published_raw=f.get("published_raw")),
                reason=str(f["reason"]), attempts=int(f["attempts"]))
            for item_id, f in (raw.get("failed") or {}).items()
        }
        archived = {str(k): str(v) for k, v in (raw.get("archived") or {}).items()}
        return SourceState(url=url, kind=raw.get("kind"), reason=raw.get("reason"), etag=raw.get("etag"), last_modified=raw.get("last_modified"),
                           archived=archived, failed=failed, checked_at=raw.get("checked_at"))
    except StateError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StateError(f"unreadable state file: {type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True)
class FetchPlan:
    """What a run does with the items of a feed."""

    fetch: tuple[FeedItem, ...]  # pages to request
    known: dict[str, str]  # item id → archive name of items whose page is in the archive already
    given_up: tuple[FailedItem, ...]  # failed too often: reported, not requested again


def plan_items(items: tuple[FeedItem, ...], state: SourceState, archived_names: set[str],
               max_attempts: int) -> FetchPlan:
    """Which pages to request: the feed's items (or, when the feed did not change, none) that are
    not archived, plus earlier failures not yet tried `max_attempts` times. A page already in the
    archive (under another feed, or a state lost) is never requested again."""
    fetch: list[FeedItem] = []
    known: dict[str, str] = {}
    given_up: list[FailedItem] = []
    seen_urls: set[str] = set()
    candidates = list(items) + [f.item for item_id, f in state.failed.items() if item_id not in {i.item_id for i in items}]
    for item in candidates:
        name = state.archived.get(item.item_id) or archive_name(item.url)
        if name in archived_names:
            known[item.item_id] = name
            continue
        failure = state.failed.get(item.item_id)
        if failure is not None and failure.attempts >= max_attempts:
            given_up.append(replace(failure, item=item))
            continue
        if item.url in seen_urls:  # two items of one feed linking the same page: one request
            continue
        seen_urls.add(item.url)
        fetch.append(item)
    return FetchPlan(fetch=tuple(fetch), known=known, given_up=tuple(given_up))
