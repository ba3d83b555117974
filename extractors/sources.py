"""What a run follows: feed and article URLs, from the command line or a feeds file.

Pure functions. Only `http` and `https` URLs are followed: a feed or a feeds file naming
`file:`, `ftp:` or `javascript:` must not make the fetcher read local files or anything else.
A bad line of a feeds file is data (a `DocumentRecord` with its reason), never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit

from extractors.schema import DocumentRecord

FOLLOWED_SCHEMES = frozenset({"http", "https"})
# Longer URLs are nearly always tracking junk or an attack on the server log; browsers and
# servers commonly cap them near this length.
MAX_URL_CHARS = 2048


@dataclass(frozen=True)
class SourceList:
    """The URLs to follow, in order and without repeats, and the lines that are not URLs to follow."""

    urls: tuple[str, ...]
    rejected: tuple[DocumentRecord, ...] = ()


def url_problem(url: str) -> str | None:
    """Why `url` is not followed (only absolute http/https URLs with a host are), or None."""
    if not url or len(url) > MAX_URL_CHARS:
        return f"URL longer than {MAX_URL_CHARS} characters" if url else "empty URL"
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "not a URL (contains spaces or control characters)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"not a URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in FOLLOWED_SCHEMES:
        return f"not an http(s) URL (scheme {scheme + ':' if scheme else 'missing'})"
    if not parts.hostname:
        return "not a URL (no host)"
    return None


def normalized_url(url: str) -> str:
    """The URL as it is fetched and archived: trimmed, without its #fragment (never sent to the
    server, so two fragments of one page are one article)."""
    return urldefrag(url.strip()).url


def parse_source_list(text: str, origin: str) -> SourceList:
    """The URLs of a feeds file: one feed or article URL per line; blank lines and `#` comments
    (whole-line or after the URL) are ignored. A line that is not an http(s) URL is a skipped
    record `<origin>:<line number>` with its reason."""
    urls: list[str] = []
    rejected: list[DocumentRecord] = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split(" #", 1)[0].strip()
        if not content or content.startswith("#"):
            continue
        url = normalized_url(content)
        problem = url_problem(url)
        if problem is not None:
            rejected.append(DocumentRecord(doc_id=f"{origin}:{number}", path=f"{origin}:{number}",
                                           status="skipped", reason=problem))
        elif url not in urls:
            urls.append(url)
    return SourceList(urls=tuple(urls), rejected=tuple(rejected))


def combined_sources(given: tuple[str, ...] | list[str], listed: SourceList | None = None) -> SourceList:
    """The URLs given directly (command line, flow parameter) followed by those of a feeds file,
    without repeats; a given URL that is not followed is a skipped record named by the URL."""
    urls: list[str] = []
    rejected: list[DocumentRecord] = []
    for raw in given:
        url = normalized_url(raw)
        problem = url_problem(url)
        if problem is not None:
            rejected.append(DocumentRecord(doc_id=raw[:200] or "(empty)", path=raw[:200] or "(empty)",
                                           status="skipped", reason=problem))
        elif url not in urls:
            urls.append(url)
    if listed is not None:
        urls.extend(u for u in listed.urls if u not in urls)
        rejected.extend(listed.rejected)
    return SourceList(urls=tuple(urls), rejected=tuple(rejected))


def origin_of(url: str) -> str:
    """`scheme://host[:port]`, lower case, without a default port: what robots.txt and a
    Retry-After answer apply to."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != default else "")
