"""Following feeds and article URLs: URL and feeds-file checks, feed parsing, the archive and its
state, the polite fetcher, and whole runs of the flow against a local news site (tests/feed_server.py,
127.0.0.1 only) whose request counts say exactly what was fetched."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest
import yaml
from feed_server import Item, Site, article_html, rfc822, serve_site

from extractors.archive import (
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
from extractors.articles import parse_sidecar
from extractors.feeds import FeedItem, NotAFeed, entry_date, looks_like_feed, parse_feed
from extractors.robots import policy_from_text, policy_without_file, refusal
from extractors.sources import combined_sources, origin_of, parse_source_list, url_problem
from flows.fetching import (
    FetchRefused,
    HostBusy,
    RedirectLoop,
    TransientFetchError,
    fetch,
    load_fetch_settings,
    retry_after_seconds,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Short limits so that the failure cases take seconds, not minutes; long enough for a loaded machine.
FAST = {"timeout_seconds": 2, "connect_timeout_seconds": 2, "retries": 1, "retry_backoff_seconds": 0.05,
        "max_page_bytes": 100_000}

STORIES = [
    ("Ministers meet in Oslo", ["The foreign ministers of Norway and Sweden met in Oslo on Tuesday to discuss "
                                "fishing quotas in the Barents Sea.", "Officials said the talks would resume next month."]),
    ("Storm hits Portuguese coast", ["A powerful storm struck the coast of Portugal on Monday, cutting power to "
                                     "40,000 homes.", "The national weather service had warned of high winds last week."]),
    ("Court blocks airline merger", ["A federal court in Delaware blocked the merger of two regional airlines on "
                                     "Wednesday.", "The companies said they would appeal the ruling in October."]),
    ("Volcano erupts in Iceland", ["A volcano on the Reykjanes peninsula erupted on Thursday evening, sending lava "
                                   "towards the town of Grindavik.", "Residents had been evacuated in November."]),
    ("Central bank raises rates", ["The central bank of Chile raised its benchmark interest rate on Friday, "
                                   "citing stubborn inflation.", "Economists expect another increase in December."]),
    ("Strike closes Paris museums", ["Staff at the Louvre walked out on Saturday over pay, closing the museum to "
                                     "visitors.", "Unions said the strike could spread to other museums next week."]),
]


def _publish(site: Site, index: int, day: int) -> str:
    """Put story `index` on the site and in its feed, dated 2023-09-<day>; returns its path."""
    title, paragraphs = STORIES[index]
    path = f"/news/{index}.html"
    site.pages[path] = article_html(title, paragraphs)
    site.items.append(Item(path, title, rfc822(2023, 9, day)))
    return path


# --- URLs and feeds files --------------------------------------------------------------------

@pytest.mark.parametrize("url, problem", [
    ("http://example.com/feed.xml", None),
    ("https://example.com/a?b=1", None),
    ("file:///etc/passwd", "not an http(s) URL (scheme file:)"),
    ("ftp://example.com/feed", "not an http(s) URL (scheme ftp:)"),
    ("javascript:alert(1)", "not an http(s) URL (scheme javascript:)"),
    ("example.com/feed.xml", "not an http(s) URL (scheme missing)"),
    ("http:///feed.xml", "not a URL (no host)"),
    ("http://exa mple.com/", "not a URL (contains spaces or control characters)"),
    ("http://example.com:port/", "not a URL (Port could not be cast to integer value as 'port')"),
    ("", "empty URL"),
    ("http://example.com/" + "a" * 3000, "URL longer than 2048 characters"),
])
def test_url_problem_only_http_and_https(url, problem):
    assert url_problem(url) == problem


def test_parse_source_list_comments_repeats_and_bad_lines():
    text = ("# my story\n\nhttp://a.example/feed.xml\n  https://b.example/story.html  # the first report\n"
            "http://a.example/feed.xml\nfile:///etc/passwd\nhttp://a.example/page#section\n")
    listed = parse_source_list(text, "feeds.txt")
    assert listed.urls == ("http://a.example/feed.xml", "https://b.example/story.html", "http://a.example/page")
    (bad,) = listed.rejected
    assert (bad.path, bad.status, bad.reason) == ("feeds.txt:6", "skipped", "not an http(s) URL (scheme file:)")
    combined = combined_sources(["https://b.example/story.html", "gopher://x"], listed)
    assert combined.urls[0] == "https://b.example/story.html" and len(combined.urls) == 3
    assert [r.reason for r in combined.rejected] == ["not an http(s) URL (scheme gopher:)", bad.reason]


# --- Feeds ------------------------------------------------------------------------------------

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local news</title><link>http://h/</link>
<item><title>  Late   story </title><link>/news/late.html</link><guid>id-1</guid>
  <pubDate>Thu, 07 Sep 2023 23:30:00 -0400</pubDate></item>
<item><title>Repeat</title><link>/news/late.html</link><guid>id-1</guid></item>
<item><title>Local file</title><link>file:///etc/passwd</link></item>
<item><title>No link</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<id>urn:a</id><updated>2023-09-08T10:00:00Z</updated>
<entry><title>Atom story</title><id>urn:uuid:1</id><link rel="alternate" href="https://h/a.html"/>
<published>2023-09-06T22:00:00-05:00</published><updated>2023-09-08T10:00:00Z</updated></entry>
</feed>"""


def test_parse_feed_rss_links_dates_and_repeats():
    feed = parse_feed(RSS, "http://h/feed.xml", "application/rss+xml")
    assert feed.title == "Local news"
    late, local = feed.items
    # The publisher's own date (7 September), not the UTC instant (8 September).
    assert (late.url, late.title, late.published) == ("http://h/news/late.html", "Late story", dt.date(2023, 9, 7))
    assert local.url == "file://etc/passwd" and url_problem(local.url) is not None
    assert local.published is None


def test_parse_feed_atom_published_date_in_its_own_zone():
    (entry,) = parse_feed(ATOM, "https://h/atom.xml").items
    assert (entry.item_id, entry.url, entry.published) == ("urn:uuid:1", "https://h/a.html", dt.date(2023, 9, 6))


@pytest.mark.parametrize("data", [b"<html><body>Hello</body></html>", b"/etc/passwd", b"http://127.0.0.1:9/x"])
def test_parse_feed_refuses_what_is_not_a_feed_and_never_opens_it(data):
    # Given as a string, feedparser would open a file path or fetch a URL; given bytes it must not.
    with pytest.raises(NotAFeed):
        parse_feed(data, "http://h/feed.xml")


@pytest.mark.parametrize("content_type, head, expected", [
    ("application/rss+xml", b"<?xml version='1.0'?><rss>", True),
    ("text/xml; charset=utf-8", b"<?xml version='1.0'?><feed xmlns='x'>", True),
    ("text/plain", b"<?xml version='1.0'?>\n<rss version='2.0'>", True),
    ("text/html", b"<rss>", False),
    (None, b"<!DOCTYPE html><html><body>", False),
    ("application/xml", b"<?xml version='1.0'?><html xmlns='x'>", False),
    ("application/pdf", b"%PDF-1.7", False),
])
def test_looks_like_feed(content_type, head, expected):
    assert looks_like_feed(content_type, head) is expected


@pytest.mark.parametrize("raw, expected", [
    ("Thu, 07 Sep 2023 23:30:00 -0400", dt.date(2023, 9, 7)),
    ("2023-09-06T22:00:00-05:00", dt.date(2023, 9, 6)),
    ("September 5, 2023", dt.date(2023, 9, 5)),
    ("not a date", None),
    (None, None),
])
def test_entry_date(raw, expected):
    assert entry_date(raw) == expected


# --- The archive and its state ------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://h/../../etc/passwd", "http://h/a/b/c.html", "http://h/" + "x" * 2000,
                                 "http://h/C:/Windows/win.ini"])
def test_archive_name_is_a_hash_never_a_path(url):
    name = archive_name(url)
    assert len(name) == 20 and all(c in "0123456789abcdef" for c in name)
    assert name != archive_name(url + "?2")


@pytest.mark.parametrize("content_type, head, suffix", [
    ("text/html; charset=utf-8", b"", ".html"),
    ("application/xhtml+xml", b"", ".html"),
    ("text/plain", b"Story", ".txt"),
    (None, b"  <!DOCTYPE html><html>", ".html"),
    ("application/octet-stream", b"\x89PNG", None),
    ("application/pdf", b"%PDF", None),
    ("application/json", b"{}", None),
])
def test_page_suffix(content_type, head, suffix):
    assert page_suffix(content_type, head) == suffix


def test_sidecar_is_read_by_the_loader_and_fetch_time_is_not_the_date():
    from extractors.archive import ArchivedPage

    fetched = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    page = ArchivedPage(url="http://h/a.html", fetched_at=fetched, title="A story",
                        publication_date=dt.date(2023, 9, 7), publication_date_from="feed", feed="http://h/feed.xml")
    meta = parse_sidecar(sidecar_bytes(page))
    assert (meta.url, meta.title, meta.publication_date, meta.warnings) == (
        "http://h/a.html", "A story", dt.date(2023, 9, 7), ())
    undated = parse_sidecar(sidecar_bytes(ArchivedPage(url="http://h/b.html", fetched_at=fetched)))
    assert undated.publication_date is None and json.loads(sidecar_bytes(page))["fetched_at"].startswith("2024-01-02")


@pytest.mark.parametrize("html, url, expected", [
    (b'<html><head><meta property="article:published_time" content="2023-09-05T08:00:00Z"></head>'
     b"<body><p>Text</p></body></html>", "http://h/a.html", dt.date(2023, 9, 5)),
    (b"<html><body><p>Text</p></body></html>", "http://h/2023/09/04/story.html", dt.date(2023, 9, 4)),
    (b"<html><body><p>Text</p></body></html>", "http://h/story.html", None),
    (b"http://127.0.0.1:9/never-fetched", "http://h/x.html", None),
])
def test_page_date_from_metadata_or_url(html, url, expected):
    assert page_date(html, url) == expected


def test_state_round_trip_and_refusals():
    item = FeedItem(item_id="g1", url="http://h/1.html", title="T", published=dt.date(2023, 9, 1), published_raw="x")
    state = SourceState(url="http://h/feed.xml", kind="feed", etag='"e1"', last_modified="Mon, 04 Sep 2023 10:00:00 GMT",
                        archived={"g0": "abc"}, failed={"g1": FailedItem(item=item, reason="HTTP 404 Not Found")})
    assert state_from_json(state_to_json(state), state.url) == state
    assert state.conditional_headers() == {"If-None-Match": '"e1"', "If-Modified-Since": state.last_modified}
    assert SourceState(url="http://h/page.html", kind="page", etag='"e"').conditional_headers() == {}
    for data in (state_to_json(state), b"{not json", b"[]"):
        with pytest.raises(StateError):
            state_from_json(data, "http://h/other.xml")


def test_plan_items_fetches_only_what_is_not_archived():
    items = tuple(FeedItem(item_id=f"g{i}", url=f"http://h/{i}.html") for i in range(5))
    twin = FeedItem(item_id="g5", url="http://h/4.html")  # two items, one page
    gone = FeedItem(item_id="old", url="http://h/old.html")  # failed before, no longer in the feed
    dead = FeedItem(item_id="g3", url="http://h/3.html")
    state = SourceState(url="http://h/feed.xml", kind="feed", archived={"g0": archive_name("http://h/0.html")},
                        failed={"old": FailedItem(item=gone, reason="timed out", attempts=1),
                                "g3": FailedItem(item=dead, reason="HTTP 404 Not Found", attempts=3)})
    archived = {archive_name("http://h/0.html"), archive_name("http://h/1.html")}  # 1.html archived via another feed
    plan = plan_items((*items, twin), state, archived, max_attempts=3)
    assert [i.item_id for i in plan.fetch] == ["g2", "g4", "old"]
    assert set(plan.known) == {"g0", "g1"}
    assert [f.item.item_id for f in plan.given_up] == ["g3"]


@pytest.mark.parametrize("overrides, message", [
    ({"timeout_seconds": 0}, "timeout_seconds"),
    ({"retries": "many"}, "retries"),
    ({"user_agnet": "x"}, "user_agnet"),
])
def test_fetch_settings_are_validated(overrides, message):
    assert load_fetch_settings().user_agent.startswith("news-timeline/")
    with pytest.raises(ValueError, match=message):
        load_fetch_settings(overrides)


# --- robots.txt and Retry-After ------------------------------------------------------------------

AGENT = "news-timeline/0.1 (event-timeline builder)"
ROBOTS = b"""# comments and unknown lines are ignored
User-agent: *
Disallow: /news/
Allow: /news/public/

User-agent: news-timeline
Disallow: /private
Allow: /private/press/
Disallow: /drafts/
"""


@pytest.mark.parametrize("robots, url, agent, allowed", [
    (ROBOTS, "http://h/news/1.html", AGENT, True),  # our own group, not '*'
    (ROBOTS, "http://h/news/1.html", "OtherBot/2.0", False),
    (ROBOTS, "http://h/news/public/1.html", "OtherBot/2.0", True),  # the longer Allow wins over /news/
    (ROBOTS, "http://h/private/x.html", AGENT, False),
    (ROBOTS, "http://h/private/press/x.html", AGENT, True),  # most specific rule, not the first one
    (ROBOTS, "http://h/drafts/a.html?x=1", AGENT, False),
    (ROBOTS, "http://h/", AGENT, True),
    (b"User-agent: *\nDisallow: /\n", "http://h/a.html", AGENT, False),
    (b"User-agent: *\nDisallow:\n", "http://h/a.html", AGENT, True),  # an empty Disallow allows all
    (b"\xef\xbb\xbfUser-agent: *\nDisallow: /a\n", "http://h/a.html", AGENT, False),  # BOM
    (b"<html><body>Not found</body></html>", "http://h/a.html", AGENT, True),  # a page that is not robots.txt
    (b"User-agent: *\nDisallow: /x\n" + b"#" * 600_000 + b"\nDisallow: /a\n", "http://h/a.html", AGENT, True),
])
def test_robots_policy_rules(robots, url, agent, allowed):
    assert policy_from_text("http://h", robots).allows(url, agent) is allowed


@pytest.mark.parametrize("reason, status, redirect_loop, kind, record", [
    ("HTTP 404 Not Found", 404, False, "allow all", None),
    ("HTTP 403 Forbidden", 403, False, "allow all", None),
    ("redirect loop (more than 5 redirects)", None, True, "allow all", None),
    ("HTTP 503 Service Unavailable", 503, False, "disallow all",
     ("failed", "robots.txt unreachable (HTTP 503 Service Unavailable); not requested this run")),
    ("HTTP 429 Too Many Requests", 429, False, "disallow all",
     ("failed", "robots.txt unreachable (HTTP 429 Too Many Requests); not requested this run")),
    ("timed out connecting (after 10 s)", None, False, "disallow all",
     ("failed", "robots.txt unreachable (timed out connecting (after 10 s)); not requested this run")),
])
def test_robots_policy_without_a_file_follows_rfc_9309(reason, status, redirect_loop, kind, record):
    policy = policy_without_file("http://h", reason, status, redirect_loop)
    assert policy.kind == kind
    assert policy.allows("http://h/news/1.html", AGENT) is (kind == "allow all")
    if record:
        assert refusal(policy) == record
    assert refusal(policy_from_text("http://h", b"User-agent: *\nDisallow: /\n")) == (
        "skipped", "disallowed by robots.txt")


@pytest.mark.parametrize("url, origin", [
    ("http://Example.COM/a/b?c", "http://example.com"),
    ("http://example.com:80/a", "http://example.com"),
    ("https://example.com:8443/a", "https://example.com:8443"),
    ("http://127.0.0.1:5000/feed.xml", "http://127.0.0.1:5000"),
])
def test_robots_origin(url, origin):
    assert origin_of(url) == origin


@pytest.mark.parametrize("value, seconds", [
    ("120", 120.0),
    (" 0 ", 0.0),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 60.0),
    ("Wed, 21 Oct 2015 07:00:00 GMT", 0.0),  # in the past: no wait
    ("soon", None),
    ("-5", None),
    (None, None),
])
def test_retry_after_seconds(value, seconds):
    now = dt.datetime(2015, 10, 21, 7, 27, tzinfo=dt.timezone.utc)
    assert retry_after_seconds(value, now) == seconds


# --- The fetcher against a local server -------------------------------------------------------------

@pytest.fixture
def site():
    with serve_site(Site()) as running:
        yield running


def test_fetch_bounds_and_reasons(site):
    settings = load_fetch_settings(FAST)
    site.pages["/ok.html"] = article_html("OK", ["Fine."])
    site.pages["/big.html"] = b"<html><body>" + b"x" * 200_000 + b"</body></html>"
    site.pages["/big-unannounced.html"] = site.pages["/big.html"]
    site.no_length.add("/big-unannounced.html")
    site.pages["/slow.html"] = site.pages["/ok.html"]
    site.slow["/slow.html"] = 5
    site.redirects.update({"/loop": "/loop2", "/loop2": "/loop", "/to-file": "file:///etc/passwd"})
    site.redirects["/moved"] = "/ok.html"
    ok = fetch(f"{site.base}/ok.html", settings, settings.max_page_bytes)
    assert ok.status == 200 and b"Fine." in ok.body and ok.content_type.startswith("text/html")
    assert fetch(f"{site.base}/moved", settings, settings.max_page_bytes).url == f"{site.base}/ok.html"
    assert site.user_agents == {settings.user_agent}
    cases = {
        "/missing.html": (FetchRefused, "HTTP 404 Not Found"),
        "/big.html": (FetchRefused, "larger than the 100,000 byte limit (200,026 bytes)"),
        "/big-unannounced.html": (FetchRefused, "larger than the 100,000 byte limit"),
        "/slow.html": (TransientFetchError, "timed out waiting for the response (after 2 s)"),
        "/loop": (RedirectLoop, "redirect loop (more than 5 redirects)"),
        "/to-file": (FetchRefused, "redirected to a URL that is not followed"),
    }
    for path, (kind, reason) in cases.items():
        with pytest.raises(kind) as raised:
            fetch(f"{site.base}{path}", settings, settings.max_page_bytes)
        assert raised.value.reason.startswith(reason), (path, raised.value.reason)
        assert type(raised.value) is kind, path
    with pytest.raises(FetchRefused, match="scheme file"):
        fetch("file:///etc/passwd", settings, settings.max_page_bytes)


@pytest.mark.parametrize("status, kind, reason", [
    (503, TransientFetchError, "HTTP 503 Service Unavailable"),
    (429, TransientFetchError, "HTTP 429 Too Many Requests"),
    (410, FetchRefused, "HTTP 410 Gone"),
    (403, FetchRefused, "HTTP 403 Forbidden"),
])
def test_fetch_status_reasons_and_which_are_transient(site, status, kind, reason):
    site.status_codes["/page"] = status
    with pytest.raises(FetchRefused) as raised:
        fetch(f"{site.base}/page", load_fetch_settings(FAST), 10_000)
    assert type(raised.value) is kind and raised.value.reason == reason


@pytest.mark.parametrize("status", [503, 429])
def test_fetch_waits_for_retry_after_before_asking_the_host_again(site, status):
    settings = load_fetch_settings(FAST)
    site.pages["/busy.html"] = article_html("Busy", ["Back now."])
    site.status_codes["/busy.html"] = status
    site.status_times["/busy.html"] = 1  # the first request only
    site.headers["/busy.html"] = {"Retry-After": "2"}
    with pytest.raises(TransientFetchError):
        fetch(f"{site.base}/busy.html", settings, 10_000)
    assert b"Back now." in fetch(f"{site.base}/busy.html", settings, 10_000).body  # retried at once: it waits
    first, second = site.request_times["/busy.html"]
    assert second - first >= 1.9 and site.requests["/busy.html"] == 2


def test_fetch_retry_after_longer_than_a_run_waits_is_reported_and_holds_the_host(site):
    settings = load_fetch_settings(FAST)
    site.status_codes["/limited.html"] = 429
    site.headers["/limited.html"] = {"Retry-After": "3600"}
    site.pages["/other.html"] = article_html("Other", ["Text."])
    with pytest.raises(HostBusy) as raised:
        fetch(f"{site.base}/limited.html", settings, 10_000)
    reason = "HTTP 429 Too Many Requests (Retry-After 3,600 s, longer than the 60 s a run waits)"
    assert raised.value.reason == reason
    with pytest.raises(HostBusy) as raised:
        fetch(f"{site.base}/other.html", settings, 10_000)
    assert raised.value.reason == f"not requested: the host answered {reason}"
    assert site.requests["/limited.html"] == 1 and site.requests["/other.html"] == 0


def test_fetch_per_host_concurrency_limit(site):
    settings = load_fetch_settings({**FAST, "per_host_concurrency": 1, "timeout_seconds": 5})
    site.pages["/slowish.html"] = article_html("S", ["Slow."])
    site.slow["/slowish.html"] = 0.3
    threads = [threading.Thread(target=fetch, args=(f"{site.base}/slowish.html", settings, 10_000)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert site.requests["/slowish.html"] == 4 and site.max_in_flight == 1


# --- Whole runs ---------------------------------------------------------------------------------

def _run(site: Site, output: Path, **kwargs):
    from flows.build_timeline import build_timeline

    return build_timeline(sources=[f"{site.base}/feed.xml"], output_dir=str(output), n_process=1,
                          fetch_options=kwargs.pop("fetch_options", FAST), **kwargs)


def _processed(result) -> list:
    return [d for d in result.documents if d.status == "processed"]


@pytest.mark.slow
def test_follow_feed_grows_the_timeline_run_by_run(prefect_harness, site, tmp_path):
    for index in range(3):
        _publish(site, index, 4 + index)
    first = _run(site, tmp_path)
    pages = tmp_path / "archive" / "pages"
    assert len(list(pages.glob("*.html"))) == 3 and len(list(pages.glob("*.meta.json"))) == 3
    assert sorted((d.title, d.publication_date, d.publication_date_source) for d in _processed(first)) == [
        (STORIES[i][0], dt.date(2023, 9, 4 + i), "metadata") for i in (2, 0, 1)]
    assert site.page_requests() == 3 and len(first.documents) == 3
    report = json.loads((tmp_path / "run_report.json").read_text())
    (followed,) = report["sources"]["followed"]
    assert (followed["status"], followed["new"], followed["archived"]) == ("fetched", 3, 3)

    for index in (3, 4):
        _publish(site, index, 4 + index)
    before = dict(site.requests)
    second = _run(site, tmp_path)
    fetched = {path: n - before.get(path, 0) for path, n in site.requests.items() if n != before.get(path, 0)}
    # robots.txt once per run for the one site (feed and pages), then only what is new.
    assert fetched == {"/robots.txt": 1, "/feed.xml": 1, "/news/3.html": 1, "/news/4.html": 1}
    assert len(_processed(second)) == 5 and len(second.extracted) == 2 and len(second.cached) == 3
    timeline = json.loads((tmp_path / "timeline.json").read_text())
    assert len(timeline["documents"]) == 5
    assert {s["doc_id"] for e in timeline["events"] for s in e["sources"]} >= {archive_name(f"{site.base}/news/4.html")}

    # Unchanged feed: one conditional request answered 304, no page requested, the same timeline.
    before_pages = site.page_requests()
    third = _run(site, tmp_path)
    assert site.statuses[("/feed.xml", 304)] == 1 and site.page_requests() == before_pages
    assert len(_processed(third)) == 5 and third.extracted == ()


@pytest.mark.slow
def test_follow_failures_are_reported_and_the_rest_processed(prefect_harness, site, tmp_path):
    _publish(site, 0, 4)
    _publish(site, 1, 5)
    site.items.append(Item("/news/missing.html", "Gone", rfc822(2023, 9, 6)))
    site.pages["/news/slow.html"] = article_html("Slow", ["A slow page."])
    site.slow["/news/slow.html"] = 5
    site.items.append(Item("/news/slow.html", "Slow", rfc822(2023, 9, 6)))
    site.pages["/news/big.html"] = b"<html><body>" + b"<p>words</p>" * 20_000 + b"</body></html>"
    site.items.append(Item("/news/big.html", "Big", rfc822(2023, 9, 6)))
    site.pages["/news/photo.jpg"] = b"\xff\xd8\xff\xe0 not really a photo"
    site.content_types["/news/photo.jpg"] = "image/jpeg"
    site.items.append(Item("/news/photo.jpg", "Photo", None))
    result = _run(site, tmp_path, fetch_options={**FAST, "max_attempts": 2})
    by_path = {d.path.removeprefix(site.base): d for d in result.documents}
    assert {p: (d.status, d.reason) for p, d in by_path.items() if d.status != "processed"} == {
        "/news/missing.html": ("failed", "fetch failed: HTTP 404 Not Found"),
        "/news/slow.html": ("failed", "fetch failed: timed out waiting for the response (after 2 s)"),
        "/news/big.html": ("failed", "fetch failed: larger than the 100,000 byte limit (240,026 bytes)"),
        "/news/photo.jpg": ("skipped", "not an article (content type image/jpeg)"),
    }
    assert len(_processed(result)) == 2
    assert site.requests["/news/slow.html"] == 2  # one retry within the run (FAST: retries=1)
    assert site.requests["/news/missing.html"] == 1  # a 404 is not retried within the run
    report = json.loads((tmp_path / "run_report.json").read_text())
    assert report["counts"]["failed"] == 3 and report["counts"]["skipped"] == 1

    # The feed is unchanged (304), yet the failed pages are tried again, once; the image is not.
    site.slow.pop("/news/slow.html")
    second = _run(site, tmp_path, fetch_options={**FAST, "max_attempts": 2})
    assert site.statuses[("/feed.xml", 304)] == 1
    assert site.requests["/news/slow.html"] == 3 and site.requests["/news/photo.jpg"] == 1
    assert len(_processed(second)) == 3
    # After max_attempts failed runs a page is reported but no longer requested.
    third = _run(site, tmp_path, fetch_options={**FAST, "max_attempts": 2})
    assert site.requests["/news/missing.html"] == 2
    gone = next(d for d in third.documents if d.path.endswith("/news/missing.html"))
    assert gone.reason == "fetch failed: HTTP 404 Not Found (not requested again after 2 failed runs)"


@pytest.mark.slow
def test_follow_article_urls_and_a_feeds_file(prefect_harness, site, tmp_path):
    from flows.build_timeline import build_timeline

    site.pages["/story.html"] = article_html(*STORIES[5], published="2023-09-09T10:00:00Z")
    _publish(site, 0, 4)
    feeds = tmp_path / "feeds.txt"
    site.pages["/report.pdf"] = b"%PDF-1.7 not an article"
    site.content_types["/report.pdf"] = "application/pdf"
    feeds.write_text(f"# the strike\n{site.base}/story.html\n{site.base}/feed.xml  # the feed\n"
                     f"file:///etc/passwd\n{site.base}/report.pdf\n", encoding="utf-8")
    output = tmp_path / "out"
    kwargs = {"feeds_file": str(feeds), "output_dir": str(output), "archive_dir": str(tmp_path / "arch"),
              "n_process": 1, "fetch_options": FAST}
    result = build_timeline(**kwargs)
    assert sorted((d.title, d.publication_date) for d in _processed(result)) == [
        ("Ministers meet in Oslo", dt.date(2023, 9, 4)), ("Strike closes Paris museums", dt.date(2023, 9, 9))]
    skipped = {(d.path, d.status, d.reason) for d in result.documents if d.status != "processed"}
    assert skipped == {("feeds.txt:4", "skipped", "not an http(s) URL (scheme file:)"),
                       (f"{site.base}/report.pdf", "skipped", "not an article (content type application/pdf)")}
    assert (tmp_path / "arch" / "pages").is_dir() and not (output / "archive").exists()
    again = build_timeline(**kwargs)
    # Neither an archived article nor a URL known not to be one is requested again; both are reported.
    assert site.requests["/story.html"] == 1 and site.requests["/report.pdf"] == 1
    assert {(d.path, d.status, d.reason) for d in again.documents if d.status != "processed"} == skipped


@pytest.mark.slow
def test_follow_from_the_command_line(prefect_harness, site, tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    _publish(site, 0, 4)
    _publish(site, 1, 5)
    runner = CliRunner()
    done = runner.invoke(app, ["run", f"{site.base}/feed.xml", "--output", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    assert "from 2 articles (0 skipped, 0 failed)" in done.stdout
    site.items.append(Item("/news/missing.html", "Gone", rfc822(2023, 9, 6)))
    done = runner.invoke(app, ["run", f"{site.base}/feed.xml", "--output", str(tmp_path / "out")])
    assert done.exit_code == 1
    assert f"failed {site.base}/news/missing.html: fetch failed: HTTP 404 Not Found" in done.stderr


@pytest.mark.parametrize("args, message", [
    (["run", "ftp://example.com/feed"], "only http and https URLs are followed"),
    (["run", "seeds", "--feeds", "feeds.txt"], "not both"),
    (["run", "--feeds", "no-such-feeds.txt"], "does not exist"),
    (["run", "seeds", "--archive", "x"], "--archive is for feed and article URLs"),
])
def test_cli_follow_usage_errors(args, message, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from flows.cli import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "feeds.txt").write_text("http://127.0.0.1:9/feed.xml\n")
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 2 and message in done.stderr, done.output


def test_prefect_yaml_hourly_feeds_deployment():
    import inspect

    import flows.build_timeline as bt
    from flows.deploy import cron_schedule

    config = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())
    deployment = next(d for d in config["deployments"] if d["name"] == "hourly-feeds")
    assert deployment["entrypoint"] == "flows/build_timeline.py:build_timeline"
    assert set(deployment["parameters"]) <= set(inspect.signature(bt.build_timeline.fn).parameters)
    assert deployment["parameters"]["feeds_file"] and deployment["concurrency_limit"] == 1
    (schedule,) = deployment["schedules"]
    assert schedule["cron"] == "0 * * * *" and cron_schedule(schedule["cron"], schedule["timezone"])


def test_serve_parameters_follow_feeds_with_absolute_paths(tmp_path):
    from flows.deploy import follow_parameters

    params = follow_parameters({"sources": ["http://h/feed.xml"], "feeds_file": "feeds.txt", "archive_dir": None})
    assert params["sources"] == ["http://h/feed.xml"] and Path(params["feeds_file"]).is_absolute()
    assert follow_parameters({}) == {}


@pytest.mark.parametrize("args, expected", [
    (["http://127.0.0.1:9/feed.xml"], {"sources": ["http://127.0.0.1:9/feed.xml"], "feeds_file": None,
                                       "archive_dir": None}),
    (["--feeds", "feeds.txt", "--archive", "arch"], {"sources": []}),
])
def test_serve_follows_feed_sources(args, expected, tmp_path, monkeypatch):
    import inspect

    from typer.testing import CliRunner

    import flows.build_timeline as bt
    from flows import deploy
    from flows.cli import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds.txt").write_text("http://127.0.0.1:9/feed.xml\n")
    served = {}
    monkeypatch.setattr(deploy, "serve", lambda name, schedule, parameters, **_: served.update(parameters))
    # What is checked here is the parameters; the refusal without a server has its own tests.
    monkeypatch.setattr(deploy, "server_problem", lambda url: None)
    done = CliRunner().invoke(app, ["serve", *args, "--output", "out", "--cron", "0 * * * *"])
    assert done.exit_code == 0, done.output
    assert {k: served[k] for k in expected} == expected
    assert set(served) <= set(inspect.signature(bt.build_timeline.fn).parameters)
    assert Path(served["output_dir"]).is_absolute()
    if "--feeds" in args:
        assert served["feeds_file"] == str(tmp_path / "feeds.txt") and served["archive_dir"] == str(tmp_path / "arch")


@pytest.mark.slow
def test_follow_feed_down_keeps_the_archive(prefect_harness, site, tmp_path):
    _publish(site, 0, 4)
    _publish(site, 1, 5)
    _run(site, tmp_path)
    site.status_codes["/feed.xml"] = 503
    result = _run(site, tmp_path)
    assert site.requests["/feed.xml"] == 3  # the first run's, then one retry of the transient 503
    failed = [d for d in result.documents if d.status == "failed"]
    assert [(d.path, d.reason) for d in failed] == [
        (f"{site.base}/feed.xml", "feed failed: HTTP 503 Service Unavailable")]
    assert len(_processed(result)) == 2 and len(result.cached) == 2


@pytest.mark.slow
def test_follow_honours_robots_txt_and_retry_after(prefect_harness, site, tmp_path):
    site.robots = b"User-agent: *\nDisallow: /news/secret\n"
    for index in range(3):
        _publish(site, index, 4 + index)
    site.pages["/news/secret.html"] = article_html("Secret", ["Not for robots."])
    site.items.append(Item("/news/secret.html", "Secret", rfc822(2023, 9, 7)))
    # The site is busy for a second when asked for the second story.
    site.status_codes["/news/1.html"] = 503
    site.status_times["/news/1.html"] = 1
    site.headers["/news/1.html"] = {"Retry-After": "1"}
    result = _run(site, tmp_path)
    assert sorted(d.title for d in _processed(result)) == sorted(STORIES[i][0] for i in range(3))
    (secret,) = [d for d in result.documents if d.status != "processed"]
    assert (secret.path, secret.status, secret.reason) == (
        f"{site.base}/news/secret.html", "skipped", "disallowed by robots.txt")
    assert site.requests["/news/secret.html"] == 0 and site.requests["/robots.txt"] == 1
    first, second = site.request_times["/news/1.html"]
    assert second - first >= 0.95  # FAST backs off 0.05 s; Retry-After asked for 1 s

    # The next run reads robots.txt again (once): now allowed, the page is fetched.
    site.robots = b"User-agent: *\nDisallow: /private/\n"
    again = _run(site, tmp_path)
    assert site.requests["/news/secret.html"] == 1 and site.requests["/robots.txt"] == 2
    assert len(_processed(again)) == 4


@pytest.mark.slow
def test_follow_robots_txt_unreachable_requests_nothing_from_the_site(prefect_harness, site, tmp_path):
    _publish(site, 0, 4)
    site.status_codes["/robots.txt"] = 503
    result = _run(site, tmp_path)
    assert [(d.path, d.status, d.reason) for d in result.documents] == [
        (f"{site.base}/feed.xml", "failed",
         "fetch failed: robots.txt unreachable (HTTP 503 Service Unavailable); not requested this run")]
    assert site.requests["/feed.xml"] == 0 and site.page_requests() == 0
    assert site.requests["/robots.txt"] == 2  # one retry of the transient 503 (FAST: retries=1)
    # It answers again: the next run follows the feed.
    site.status_codes.pop("/robots.txt")
    assert len(_processed(_run(site, tmp_path))) == 1


def test_run_summary_lists_followed_sources():
    from flows.artifacts import run_summary_markdown

    report = {"counts": {}, "documents": [], "sources": {
        "archive": "/out/archive", "archived_this_run": 2,
        "followed": [{"url": "http://h/feed.xml", "kind": "feed", "status": "fetched", "new": 2, "failed": 1,
                      "archived": 5},
                     {"url": "http://h/a.html", "kind": "page", "status": "archived before", "new": 0,
                      "archived": None}]}}
    markdown = run_summary_markdown(report, {})
    assert "## Followed sources" in markdown and "2 pages archived by this run" in markdown
    assert "| http://h/feed.xml | feed | fetched | 2 | 1 | 5 |" in markdown
    assert "| http://h/a.html | page | archived before | 0 | 0 |  |" in markdown
    assert "## Followed sources" not in run_summary_markdown({"counts": {}, "documents": []}, {})
