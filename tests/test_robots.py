"""robots.txt beyond plain prefixes: `*` and `$` in paths with the longest rule winning (RFC 9309
§2.2.2, §2.2.3), Crawl-delay kept within a bound, and the robots.txt of the host a redirect lands
on, against local sites (tests/feed_server.py, 127.0.0.1 only) whose request counts and times say
what was fetched and when."""

from __future__ import annotations

import threading
import time

import pytest
from feed_server import Item, Site, article_html, rfc822, serve_site

from extractors.robots import policy_from_text
from extractors.sources import origin_of
from flows.fetching import RequestDisallowed, fetch, load_fetch_settings, set_crawl_delay

AGENT = "news-timeline/0.1 (event-timeline builder)"
FAST = {"timeout_seconds": 2, "connect_timeout_seconds": 2, "retries": 1, "retry_backoff_seconds": 0.05,
        "max_page_bytes": 100_000}

WILDCARDS = b"""User-agent: *
Disallow: /*.pdf$
Disallow: /news/
Allow: /news/*/public/
Disallow: /print$
Allow: /search*
Disallow: /search?
Disallow: /a%3cd.html
"""


@pytest.mark.parametrize("url, allowed", [
    ("http://h/files/report.pdf", False),  # `*` any run of characters, `$` the end
    ("http://h/files/report.pdf?download=1", True),  # the `$` ends the path: more follows
    ("http://h/files/report.pdf.html", True),
    ("http://h/news/2023/story.html", False),
    ("http://h/news/2023/public/story.html", True),  # the longer (wildcard) Allow wins
    ("http://h/print", False),
    ("http://h/print/page", True),  # `$`: only /print itself
    ("http://h/search?q=x", False),  # /search? (9 octets) is more specific than /search* (8)
    ("http://h/searches", True),
    ("http://h/a<d.html", False),  # compared percent-encoded
    ("http://h/robots.txt", True),
])
def test_robots_wildcards_longest_match(url, allowed):
    assert policy_from_text("http://h", WILDCARDS).allows(url, AGENT) is allowed


@pytest.mark.parametrize("robots, url, allowed", [
    (b"User-agent: *\nAllow: /p*\nDisallow: /p$\n", "http://h/p", True),  # equal length: Allow
    (b"User-agent: *\nDisallow: /*/secret\n", "http://h/a/b/secret/x", False),
    (b"User-agent: *\nDisallow: /*/secret\n", "http://h/secret", True),
    (b"User-agent: news-timeline\nDisallow: /a\n\nUser-agent: news-timeline\nDisallow: /b\n",
     "http://h/b", False),  # two groups naming us are one group
    (b"User-agent: news-timeline-x\nDisallow: /\n", "http://h/a", True),  # another product token
])
def test_robots_rules_rfc_9309(robots, url, allowed):
    assert policy_from_text("http://h", robots).allows(url, AGENT) is allowed


@pytest.mark.parametrize("robots, delay", [
    (b"User-agent: *\nCrawl-delay: 2.5\nDisallow: /x\n", 2.5),
    (b"User-agent: *\nCrawl-delay: 5\n\nUser-agent: news-timeline\nCrawl-delay: 1\n", 1.0),  # our group's
    (b"User-agent: *\nDisallow: /x\n", None),
    (b"User-agent: *\nCrawl-delay: soon\n", None),  # unreadable: ignored
])
def test_robots_crawl_delay_is_read(robots, delay):
    assert policy_from_text("http://h", robots).crawl_delay(AGENT) == delay


@pytest.fixture
def site():
    with serve_site(Site()) as running:
        yield running


@pytest.fixture
def other_site():
    with serve_site(Site()) as running:
        yield running


def _span(times: list[float]) -> float:
    return max(times) - min(times)


def _gaps(times: list[float]) -> list[float]:
    ordered = sorted(times)
    return [b - a for a, b in zip(ordered, ordered[1:], strict=False)]


@pytest.mark.parametrize("asked, bound, kept", [(0.4, 10, 0.4), (30, 0.3, 0.3)])
def test_fetch_spaces_requests_by_crawl_delay_within_the_bound(site, asked, bound, kept):
    settings = load_fetch_settings({**FAST, "max_crawl_delay_seconds": bound, "per_host_concurrency": 4})
    for k in range(4):
        site.pages[f"/p{k}.html"] = article_html("P", ["Text."])
    assert set_crawl_delay(origin_of(site.base), asked, settings) == kept
    try:
        threads = [threading.Thread(target=fetch, args=(f"{site.base}/p{k}.html", settings, 10_000)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        set_crawl_delay(origin_of(site.base), None, settings)
    starts = [site.request_times[f"/p{k}.html"][0] for k in range(4)]
    # Four requests at once, four slots: they start one delay apart (the bound, not 30 s). The
    # server sees them with some jitter on a loaded machine; without the delay all four arrive at once.
    assert 3 * kept - 0.25 <= _span(starts) < 3 * kept + 2.0, _gaps(starts)
    assert min(_gaps(starts)) > 0.1, _gaps(starts)


def test_fetch_asks_before_following_a_redirect(site, other_site):
    settings = load_fetch_settings(FAST)
    other_site.pages["/private/x.html"] = article_html("X", ["Text."])
    site.redirects["/moved"] = f"{other_site.base}/private/x.html"
    asked: list[str] = []

    def may_request(url: str) -> None:
        asked.append(url)
        raise RequestDisallowed("no", "skipped")

    with pytest.raises(RequestDisallowed):
        fetch(f"{site.base}/moved", settings, 10_000, may_request=may_request)
    assert asked == [f"{other_site.base}/private/x.html"]
    assert other_site.requests["/private/x.html"] == 0


# --- whole runs of the flow ----------------------------------------------------------------------

def _run(site: Site, output, **options):
    from flows.build_timeline import build_timeline

    return build_timeline(sources=[f"{site.base}/feed.xml"], output_dir=str(output), n_process=1,
                          fetch_options={**FAST, **options})


STORIES = [
    ["The foreign ministers of Norway and Sweden met in Oslo on Tuesday to discuss fishing quotas.",
     "Officials said the talks would resume next month."],
    ["A powerful storm struck the coast of Portugal on Monday, cutting power to 40,000 homes.",
     "The national weather service had warned of high winds last week."],
    ["A federal court in Delaware blocked the merger of two regional airlines on Wednesday.",
     "The companies said they would appeal the ruling in October."],
]


@pytest.mark.slow
def test_follow_reads_robots_txt_of_the_host_a_redirect_lands_on(prefect_harness, site, other_site, tmp_path):
    other_site.robots = b"User-agent: *\nDisallow: /private/\n"
    other_site.pages["/private/x.html"] = article_html("Private", STORIES[0])
    other_site.pages["/public/y.html"] = article_html("Public", STORIES[1])
    site.robots = b"User-agent: *\nDisallow: /drafts/\n"
    site.pages["/drafts/z.html"] = article_html("Draft", STORIES[2])
    site.redirects.update({"/news/a.html": f"{other_site.base}/private/x.html",
                           "/news/b.html": f"{other_site.base}/public/y.html",
                           "/news/c.html": "/drafts/z.html"})  # within the site, to a disallowed path
    site.items += [Item(f"/news/{k}.html", f"Story {k}", rfc822(2023, 9, 4)) for k in "abc"]
    result = _run(site, tmp_path)
    refused = sorted((d.path.removeprefix(site.base), d.status, d.reason) for d in result.documents
                     if d.status != "processed")
    assert refused == [
        ("/news/a.html", "skipped", f"redirected to {other_site.base}/private/x.html: disallowed by robots.txt"),
        ("/news/c.html", "skipped", f"redirected to {site.base}/drafts/z.html: disallowed by robots.txt")]
    assert [d.title for d in result.documents if d.status == "processed"] == ["Story b"]
    assert other_site.requests["/private/x.html"] == 0 and site.requests["/drafts/z.html"] == 0
    assert other_site.requests["/public/y.html"] == 1
    assert other_site.requests["/robots.txt"] == 1 and site.requests["/robots.txt"] == 1  # once per run

    # Refused items are asked about again by the next run (not counted as failed attempts).
    other_site.robots = b"User-agent: *\nDisallow: /nothing/\n"
    again = _run(site, tmp_path)
    assert other_site.requests["/private/x.html"] == 1
    assert sorted(d.title for d in again.documents if d.status == "processed") == ["Story a", "Story b"]


@pytest.mark.slow
def test_follow_honours_crawl_delay(prefect_harness, site, tmp_path):
    site.robots = b"User-agent: *\nCrawl-delay: 0.6\n"
    for k in range(3):
        site.pages[f"/news/{k}.html"] = article_html(f"Story {k}", STORIES[k])
        site.items.append(Item(f"/news/{k}.html", f"Story {k}", rfc822(2023, 9, 4 + k)))
    started = time.monotonic()
    result = _run(site, tmp_path, per_host_concurrency=2)
    assert len([d for d in result.documents if d.status == "processed"]) == 3
    # The feed and the three pages, one delay apart (two slots to the host would allow two at once).
    starts = [site.request_times["/feed.xml"][0]] + [site.request_times[f"/news/{k}.html"][0] for k in range(3)]
    assert _span(starts) >= 3 * 0.6 - 0.25 and min(_gaps(starts)) > 0.2, _gaps(starts)
    assert time.monotonic() - started >= 1.8
