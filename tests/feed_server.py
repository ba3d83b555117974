"""A local news site for the feed tests and the feed benchmark: an RSS feed whose items can be
added while it runs, article pages, and pages that fail in the ways real sites do. Counts every
request by path. Binds 127.0.0.1 on a free port; nothing leaves the machine."""

from __future__ import annotations

import email.utils
import hashlib
import http.server
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from xml.sax.saxutils import escape


@dataclass
class Item:
    path: str  # e.g. "/news/1.html"
    title: str
    published: str | None  # RFC 822, as RSS writes it
    guid: str | None = None


@dataclass
class Site:
    """What the server serves; tests change it between runs."""

    items: list[Item] = field(default_factory=list)
    pages: dict[str, bytes] = field(default_factory=dict)  # path -> HTML
    slow: dict[str, float] = field(default_factory=dict)  # path -> seconds to wait before answering
    redirects: dict[str, str] = field(default_factory=dict)  # path -> Location
    content_types: dict[str, str] = field(default_factory=dict)
    status_codes: dict[str, int] = field(default_factory=dict)  # path -> status to answer (e.g. 503)
    status_times: dict[str, int] = field(default_factory=dict)  # path -> answer status_codes this often, then serve
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # path -> extra headers (e.g. Retry-After)
    robots: bytes | None = None  # /robots.txt (404 when None)
    no_length: set = field(default_factory=set)  # paths sent without Content-Length (until close)
    etag_support: bool = True
    requests: Counter = field(default_factory=Counter)
    request_times: dict[str, list[float]] = field(default_factory=dict)  # path -> monotonic times
    statuses: Counter = field(default_factory=Counter)  # (path, status) answered
    in_flight: int = 0
    max_in_flight: int = 0
    user_agents: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def feed(self) -> bytes:
        entries = "".join(
            f"<item><title>{escape(i.title)}</title><link>{self.base}{i.path}</link>"
            + (f"<guid isPermaLink=\"false\">{escape(i.guid)}</guid>" if i.guid else "")
            + (f"<pubDate>{i.published}</pubDate>" if i.published else "") + "</item>"
            for i in self.items)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local news</title>'
                f"<link>{self.base}/</link><description>test</description>{entries}</channel></rss>").encode()

    def page_requests(self) -> int:
        return sum(n for path, n in self.requests.items() if path not in ("/feed.xml", "/robots.txt"))


def rfc822(year: int, month: int, day: int, hour: int = 9) -> str:
    return email.utils.format_datetime(__import__("datetime").datetime(
        year, month, day, hour, 0, tzinfo=__import__("datetime").timezone.utc))


def article_html(title: str, paragraphs: list[str], published: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><title>{escape(title)}</title>{meta}</head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>{body}</article>"
            f"<footer>Copyright Local News</footer></body></html>").encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 — http.server's name
        site = self.site
        path = self.path.split("?", 1)[0]
        with site.lock:
            site.requests[path] += 1
            site.request_times.setdefault(path, []).append(time.monotonic())
            site.user_agents.add(self.headers.get("User-Agent"))
            site.in_flight += 1
            site.max_in_flight = max(site.max_in_flight, site.in_flight)
        try:
            self._answer(site, path)
        finally:
            with site.lock:
                site.in_flight -= 1

    def _answer(self, site: Site, path: str) -> None:
        if path in site.slow:
            time.sleep(site.slow[path])
        if path in site.status_codes and site.requests[path] <= site.status_times.get(path, 10**9):
            self._send(site.status_codes[path], b"", "text/html")
            return
        if path == "/robots.txt" and site.robots is not None:
            self._send(200, site.robots, "text/plain; charset=utf-8")
            return
        if path in site.redirects:
            self.send_response(302)
            self.send_header("Location", site.redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/feed.xml":
            body = site.feed()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if site.etag_support and self.headers.get("If-None-Match") == etag:
                with site.lock:
                    site.statuses[(path, 304)] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self._send(200, body, "application/rss+xml; charset=utf-8", etag if site.etag_support else None)
            return
        if path in site.pages:
            self._send(200, site.pages[path], site.content_types.get(path, "text/html; charset=utf-8"),
                       length=path not in site.no_length)
            return
        self._send(404, b"<html><body>Not found</body></html>", "text/html")

    def _send(self, status: int, body: bytes, content_type: str, etag: str | None = None,
              length: bool = True) -> None:
        with self.site.lock:
            self.site.statuses[(self.path.split("?", 1)[0], status)] += 1
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        for name, value in self.site.headers.get(self.path.split("?", 1)[0], {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout or size limit): expected


@contextmanager
def serve_site(site: Site) -> Iterator[Site]:
    handler = type("Handler", (_Handler,), {"site": site})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
