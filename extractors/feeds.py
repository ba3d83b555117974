"""RSS and Atom feeds: is a response a feed, and what items does it list.

Pure functions over the bytes of a response. feedparser reads every RSS and Atom version and
the usual breakage; it is given a stream, never a string: given a string, feedparser fetches
it when it looks like a URL and opens it when it names a file.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from extractors.articles import parse_metadata_date
from extractors.sources import normalized_url

# Media types a feed is served as; `text/xml` and `application/xml` are also used for other XML,
# so those responses must parse as a feed as well.
FEED_MEDIA_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                              "application/xml", "text/xml", "application/feed+xml"})
# The root element of a feed, for servers that send feeds as text/plain or octet-stream.
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<html[\s>]|<!doctype\s+html", re.IGNORECASE)


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: the article it links to and what the feed says about it."""

    item_id: str  # the entry's id (guid), else its link
    url: str  # absolute; may still be a URL that is not followed (checked by the caller)
    title: str | None = None
    published: dt.date | None = None  # the date the feed gives, in the feed's own time zone
    published_raw: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    items: tuple[FeedItem, ...]
    # A feed that parsed with errors still gives what it could (feedparser's "bozo" flag).
    warning: str | None = None


class NotAFeed(Exception):
    """The response is not an RSS or Atom feed."""


def media_type(content_type: str | None) -> str:
    """`text/html; charset=utf-8` → `text/html`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def looks_like_feed(content_type: str | None, head: bytes) -> bool:
    """True when the response should be read as a feed: served as one, or an XML document whose
    root is `rss`, `feed` or `rdf:RDF` (and not an HTML page)."""
    kind = media_type(content_type)
    if kind in ("text/html", "application/xhtml+xml"):
        return False
    start = head[:2048]
    if _HTML_ROOT.search(start):
        return False
    return kind in FEED_MEDIA_TYPES or bool(_FEED_ROOT.search(start))


def parse_feed(data: bytes, feed_url: str, content_type: str | None = None) -> ParsedFeed:
    """The items of a feed, in the feed's order, without repeated ids. Raises NotAFeed."""
    import feedparser

    headers = {"content-location": feed_url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version"):
        detail = parsed.get("bozo_exception")
        raise NotAFeed(f"not an RSS or Atom feed{f' ({detail})' if detail else ''}")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = _entry_link(entry, feed_url)
        if link is None:
            continue
        item_id = str(entry.get("id") or link)[:2048]
        if item_id in seen:
            continue
        seen.add(item_id)
        raw_date = entry.get("published") or entry.get("updated")
        items.append(FeedItem(item_id=item_id, url=link, title=_clean(entry.get("title")),
                              published=entry_date(raw_date, entry.get("published_parsed") or entry.get("updated_parsed")),
                              published_raw=raw_date[:100] if isinstance(raw_date, str) else None))
    warning = None
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        warning = f"feed has errors: {type(parsed.bozo_exception).__name__}: {str(parsed.bozo_exception)[:160]}"
    return ParsedFeed(title=_clean(parsed.feed.get("title")), items=tuple(items), warning=warning)


def _entry_link(entry: dict, feed_url: str) -> str | None:
    link = entry.get("link")
    if not link:
        # Atom entries may have only rel="alternate" links, or a permalink guid in RSS.
        alternates = [x.get("href") for x in entry.get("links", ()) if x.get("rel", "alternate") == "alternate"]
        link = next((x for x in alternates if x), None) or (entry.get("id") if entry.get("guidislink") else None)
    if not link or not isinstance(link, str):
        return None
    return normalized_url(urljoin(feed_url, link.strip()))


def entry_date(raw: str | None, parsed_utc: object = None) -> dt.date | None:
    """The publication date of a feed entry as the publisher wrote it (its own time zone:
    `Thu, 07 Sep 2023 23:30:00 -0400` is 7 September, not the 8th in UTC), else feedparser's
    UTC reading of whatever format it understood."""
    if isinstance(raw, str) and raw.strip():
        try:
            return email.utils.parsedate_to_datetime(raw.strip()).date()  # RSS: RFC 822
        except (TypeError, ValueError, IndexError):
            pass
        found = parse_metadata_date(raw)  # Atom: ISO 8601; others through dateparser
        if found is not None:
            return found
    if parsed_utc is not None:
        try:
            return dt.date(*parsed_utc[:3])  # type: ignore[index]
        except (TypeError, ValueError):
            return None
    return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split())[:1000] or None
