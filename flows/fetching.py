"""Polite, bounded HTTP GETs for followed feeds and pages.

One GET = one call of `fetch`: an identifying User-Agent, a connect timeout and a deadline for
the whole response, a size limit enforced while the body streams in (a server that lies about or
omits Content-Length cannot fill the memory), at most `per_host_concurrency` requests to one host
at once (process-wide, so two feeds on one site share the limit), redirects followed only to
http(s) and only `max_redirects` times. Failures are exceptions that carry a one-line reason:
`TransientFetchError` for what may work when tried again (timeouts, connection errors, HTTP 429
and 5xx), which the Prefect tasks retry; `FetchRefused` for the rest, which they do not.

A 429 or 503 answer with `Retry-After` holds back every request to that host (scheme, host and
port) until the time it names, the Prefect retry included, when that is at most
`max_retry_after_seconds` away; a longer wait is not made within the run: the answer and every
later request to the host in the run fail with the reason, and later runs try again.

A site's `Crawl-delay` (robots.txt, given by `set_crawl_delay`) spaces the starts of requests to
that origin by that many seconds, at most `max_crawl_delay_seconds`.

Redirects are followed one hop at a time, so that the caller's `may_request` can refuse a hop
(the robots.txt of the host it lands on) before it is requested.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractors.articles import size_text
from extractors.resources import load_yaml
from extractors.sources import origin_of, url_problem

SETTINGS_FILE = "fetching.yaml"
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class FetchSettings(BaseModel):
    """The fetcher's settings (`extractors/resources/fetching.yaml`), validated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user_agent: str = Field(min_length=1, max_length=300)
    connect_timeout_seconds: float = Field(gt=0, le=300)
    timeout_seconds: float = Field(gt=0, le=3600)
    max_page_bytes: int = Field(ge=1024, le=1024 ** 3)
    max_feed_bytes: int = Field(ge=1024, le=1024 ** 3)
    per_host_concurrency: int = Field(ge=1, le=64)
    max_concurrency: int = Field(ge=1, le=256)
    retries: int = Field(ge=0, le=10)
    retry_backoff_seconds: float = Field(ge=0, le=3600)
    max_redirects: int = Field(ge=0, le=30)
    max_attempts: int = Field(ge=1, le=1000)
    max_retry_after_seconds: float = Field(ge=0, le=3600)
    max_crawl_delay_seconds: float = Field(ge=0, le=3600)


def load_fetch_settings(overrides: dict[str, Any] | None = None) -> FetchSettings:
    """The settings file with `overrides` applied. Raises ValueError naming the bad key."""
    data = dict(load_yaml(SETTINGS_FILE) or {})
    data.update(overrides or {})
    try:
        return FetchSettings(**data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"fetch settings: {problems}") from None


class FetchRefused(Exception):
    """A response that will not become an article or a feed; retrying would not change that.
    `status` is the HTTP status of the answer, when there was one."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class TransientFetchError(FetchRefused):
    """A failure that may go away: worth a retry after a pause."""


class RedirectLoop(FetchRefused):
    """More redirects than `max_redirects`."""


class HostBusy(FetchRefused):
    """The host asked (Retry-After) for a longer pause than a run waits: not the page's fault."""


class RequestDisallowed(FetchRefused):
    """A redirect led to a URL that its site's robots.txt does not let us request. `record_status`:
    "skipped" for a rule of the site, "failed" when its robots.txt could not be read (tried again
    next run)."""

    def __init__(self, reason: str, record_status: Literal["skipped", "failed"]) -> None:
        super().__init__(reason)
        self.record_status = record_status


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200 (or another 2xx) or 304
    content_type: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == HTTPStatus.NOT_MODIFIED


_host_lock = threading.Lock()
_host_slots: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_clients: dict[int, Any] = {}
# Per origin (scheme://host:port): the monotonic time before which it asked not to be requested
# (Retry-After), and the reason it gave.
_not_before: dict[str, tuple[float, str]] = {}
# Per origin: the seconds its robots.txt asks between requests (Crawl-delay, bounded), and the
# monotonic time the next request to it may start.
_crawl_delay: dict[str, float] = {}
_next_start: dict[str, float] = {}
RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait that a Retry-After header asks for (delta-seconds or an HTTP date; a date
    in the past is 0), or None when there is no header or it cannot be read."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds())


def _wait_for_host(url: str, settings: FetchSettings) -> None:
    """Sleep until the URL's host lets us ask again (Retry-After), or refuse when that is beyond
    what the run waits."""
    with _host_lock:
        not_before, reason = _not_before.get(origin_of(url), (0.0, ""))
    wait = not_before - time.monotonic()
    if wait > settings.max_retry_after_seconds:
        raise HostBusy(f"not requested: the host answered {reason}")
    if wait > 0:
        time.sleep(wait)


def _hold_host(url: str, status: int, retry_after: str | None, settings: FetchSettings) -> FetchRefused:
    """Remember the host's Retry-After and return the failure to raise for this answer: transient
    (retried after the wait) when the wait is within the bound, else refused for this run."""
    seconds = retry_after_seconds(retry_after)
    reason = status_reason(status)
    if seconds is None:
        return TransientFetchError(reason, status)
    if seconds > settings.max_retry_after_seconds:
        reason = (f"{reason} (Retry-After {seconds:,.0f} s, longer than the "
                  f"{settings.max_retry_after_seconds:g} s a run waits)")
    with _host_lock:
        until = time.monotonic() + seconds
        current = _not_before.get(origin_of(url), (0.0, ""))
        _not_before[origin_of(url)] = max(current, (until, reason))
    if seconds > settings.max_retry_after_seconds:
        return HostBusy(reason, status)
    return TransientFetchError(reason, status)


def set_crawl_delay(origin: str, seconds: float | None, settings: FetchSettings) -> float:
    """Space the requests to `origin` by its robots.txt's Crawl-delay (None: no delay), at most
    `max_crawl_delay_seconds`; returns the delay that will be kept."""
    kept = min(seconds or 0.0, settings.max_crawl_delay_seconds)
    with _host_lock:
        if kept > 0:
            _crawl_delay[origin] = kept
        else:
            _crawl_delay.pop(origin, None)
    return kept


def _pace(url: str) -> None:
    """Wait for the URL's origin's next request start (Crawl-delay), and book the one after it."""
    origin = origin_of(url)
    with _host_lock:
        delay = _crawl_delay.get(origin)
        if not delay:
            return
        now = time.monotonic()
        start = max(now, _next_start.get(origin, 0.0))
        _next_start[origin] = start + delay
    if start > now:
        time.sleep(start - now)


@contextmanager
def host_slot(url: str, limit: int) -> Iterator[None]:
    """Hold one of the `limit` request slots of the URL's host for the duration of a request."""
    host = (urlsplit(url).hostname or "").lower()
    with _host_lock:
        slot = _host_slots.setdefault((host, limit), threading.BoundedSemaphore(limit))
    with slot:
        yield


def _client(max_redirects: int) -> Any:
    """One connection pool per process (per redirect limit), shared by the fetching threads."""
    import httpx

    with _host_lock:
        client = _clients.get(max_redirects)
        if client is None:
            client = httpx.Client(follow_redirects=True, max_redirects=max_redirects,
                                  limits=httpx.Limits(max_connections=64, max_keepalive_connections=16))
            _clients[max_redirects] = client
        return client


def status_reason(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def fetch(url: str, settings: FetchSettings, max_bytes: int, headers: dict[str, str] | None = None,
          truncate: bool = False, may_request: Callable[[str], None] | None = None) -> Response:
    """GET `url` within the limits of `settings`. Raises FetchRefused / TransientFetchError.
    With `truncate`, a body over `max_bytes` is cut there instead of refused. `may_request` is
    asked about every redirect's target before it is requested, and raises to refuse it."""
    import httpx

    problem = url_problem(url)
    if problem is not None:
        raise FetchRefused(problem)
    _wait_for_host(url, settings)
    timeout = httpx.Timeout(settings.timeout_seconds, connect=settings.connect_timeout_seconds)
    request_headers = {"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate",
                       **(headers or {})}
    client = _client(settings.max_redirects)
    try:
        request = client.build_request("GET", url, headers=request_headers, timeout=timeout)
        for hop in range(settings.max_redirects + 1):
            # A slot of each hop's host, held for that request only: `may_request` below may
            # fetch another robots.txt from the same host (http:// redirected to https://).
            with host_slot(str(request.url), settings.per_host_concurrency):
                _pace(str(request.url))
                # Time waiting for the slot or the site's Crawl-delay is not the response's.
                deadline = time.monotonic() + settings.connect_timeout_seconds + settings.timeout_seconds
                response = client.send(request, stream=True, follow_redirects=False)
                try:
                    if response.next_request is None:
                        return _answer(response, settings, max_bytes, deadline, truncate)
                finally:
                    response.close()
            request = response.next_request
            target = str(request.url)
            if url_problem(target) is not None:  # httpx refuses other schemes too; say so plainly
                raise FetchRefused(f"redirected to a URL that is not followed ({url_problem(target)})")
            if hop < settings.max_redirects:
                if may_request is not None:
                    may_request(target)
                _wait_for_host(target, settings)
        raise RedirectLoop(f"redirect loop (more than {settings.max_redirects} redirects)")
    except httpx.TooManyRedirects:
        raise RedirectLoop(f"redirect loop (more than {settings.max_redirects} redirects)") from None
    except httpx.UnsupportedProtocol as exc:
        raise FetchRefused(f"redirected to a URL that is not followed ({exc})") from None
    except httpx.TimeoutException as exc:
        kind = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for the response"
        raise TransientFetchError(f"timed out {kind} (after {_seconds(settings, exc)} s)") from None
    except httpx.DecodingError as exc:
        raise FetchRefused(f"response could not be decoded: {exc}") from None
    except (httpx.TransportError, OSError) as exc:
        raise TransientFetchError(f"connection failed: {type(exc).__name__}: {str(exc)[:160]}") from None


def _answer(response: Any, settings: FetchSettings, max_bytes: int, deadline: float, truncate: bool) -> Response:
    """The Response of a final (not redirecting) answer, or the failure it is."""
    final = str(response.url)
    if response.status_code == HTTPStatus.NOT_MODIFIED:
        return Response(url=final, status=304, content_type=None, body=b"",
                        etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"))
    if response.status_code in RETRY_AFTER_STATUSES:
        raise _hold_host(final, response.status_code, response.headers.get("retry-after"), settings)
    if response.status_code in TRANSIENT_STATUSES:
        raise TransientFetchError(status_reason(response.status_code), response.status_code)
    if not 200 <= response.status_code < 300:
        raise FetchRefused(status_reason(response.status_code), response.status_code)
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes and not truncate:
        raise FetchRefused(f"larger than the {size_text(max_bytes)} limit ({int(declared):,} bytes)")
    body = _bounded_body(response, max_bytes, deadline, settings.timeout_seconds, truncate)
    return Response(url=final, status=response.status_code, content_type=response.headers.get("content-type"),
                    body=body, etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"))


def _seconds(settings: FetchSettings, exc: BaseException) -> str:
    import httpx

    value = settings.connect_timeout_seconds if isinstance(exc, httpx.ConnectTimeout) else settings.timeout_seconds
    return f"{value:g}"


def _bounded_body(response: Any, max_bytes: int, deadline: float, timeout: float, truncate: bool = False) -> bytes:
    """The body, read until `max_bytes` (decompressed: a small gzip bomb is caught too) or the deadline."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            if truncate:
                chunks.append(chunk[:len(chunk) - (size - max_bytes)])
                break
            raise FetchRefused(f"larger than the {size_text(max_bytes)} limit")
        if time.monotonic() > deadline:
            # The read timeout restarts with every chunk; a server trickling bytes meets this one.
            raise TransientFetchError(f"timed out waiting for the response (after {timeout:g} s)")
        chunks.append(chunk)
    return b"".join(chunks)
