"""The publication date a page's URL carries, and how the loader uses it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from extractors.articles import build_article
from extractors.resources import load_yaml
from extractors.url_date import UrlDateConfigError, _parse, date_from_url, load_settings

D = dt.date
PATTERN_EXAMPLES = [(p.name, url, date) for p in load_settings().patterns for url, date in p.examples]


@pytest.mark.parametrize(("name", "url", "expected"), PATTERN_EXAMPLES,
                         ids=[f"{n}-{i}" for i, (n, *_) in enumerate(PATTERN_EXAMPLES)])
def test_url_date_pattern_examples(name: str, url: str, expected: str | None) -> None:
    assert date_from_url(url, D(2030, 1, 1)) == (D.fromisoformat(expected) if expected else None)


@pytest.mark.parametrize(("url", "expected"), [
    # The separated forms are htmldate's.
    ("http://www.usatoday.com/story/life/people/2013/05/02/lindsay-lohan/2128651/", D(2013, 5, 2)),
    ("http://articles.washingtonpost.com/2008-12-23/sports/36830848_1_contract-offer", D(2008, 12, 23)),
    ("http://example.com/news/2011_08_09_floods.html", D(2011, 8, 9)),
    # A year and month is no day; no URL, no date.
    ("http://joyofsox.blogspot.nl/2008/12/herald-sox-make-8-year-offer-to.html", None),
    ("http://www.people.com/people/article/0,,20697025,00.html", None),
    ("", None),
    (None, None),
    # An impossible day, a day after the run date, an archive listing.
    ("http://example.com/2011/02/30/story", None),
    ("http://example.com/2031/05/01/story", None),
    *[(url, None) for url in load_settings().not_a_day_examples],
])
def test_url_date_reads(url: str | None, expected: D | None) -> None:
    assert date_from_url(url, D(2026, 1, 1)) == expected


@pytest.mark.parametrize(("patch", "message"), [
    ({"patterns": None}, "list of patterns"),
    ({"not_a_day": {"pattern": "archive"}}, "not_a_day"),
    ({"patterns": [{"name": "x", "pattern": "(", "examples": [{"url": "a", "date": None}]}]}, "bad regex"),
    ({"patterns": [{"name": "x", "pattern": "(?P<year>\\d{4})", "examples": [{"url": "a", "date": None}]}]}, "groups"),
])
def test_url_date_settings_reject_bad_config(patch: dict, message: str) -> None:
    with pytest.raises(UrlDateConfigError, match=message):
        _parse({**load_yaml("url_dates.yaml"), **patch})


def _sidecar(**fields: str) -> bytes:
    return json.dumps(fields).encode()


def test_url_date_loader_dates_an_article_from_its_sidecar_url() -> None:
    url = "http://www.csmonitor.com/World/2011/0809/Pakistan-floods"
    article = build_article("a", "a.txt", ".txt", b"Floods hit Pakistan on Tuesday.", _sidecar(url=url), D(2026, 1, 1))
    assert (article.publication_date, article.publication_date_source) == (D(2011, 8, 9), "url")
    assert article.publication_date_evidence == url


def test_url_date_loader_metadata_and_header_win_over_the_url() -> None:
    url = "http://example.com/2011/08/09/story"
    with_meta = build_article("a", "a.txt", ".txt", b"Text.", _sidecar(url=url, date="2011-08-10"), D(2026, 1, 1))
    assert (with_meta.publication_date, with_meta.publication_date_source) == (D(2011, 8, 10), "metadata")
    with_header = build_article("a", "a.txt", ".txt", b" date 2011-08-11 Text.", _sidecar(url=url), D(2026, 1, 1))
    assert (with_header.publication_date, with_header.publication_date_source) == (D(2011, 8, 11), "header")


def test_url_date_loader_reads_the_page_url() -> None:
    page = (b"<html><head><link rel='canonical' href='https://news.example.com/2012/04/11/hunger-games-director'>"
            b"<title>Director leaves</title></head><body><article><p>" + b"Gary Ross will not direct the sequel. " * 20
            + b"</p></article></body></html>")
    article = build_article("p", "p.html", ".html", page, None, D(2026, 1, 1))
    assert article.url and "2012/04/11" in article.url
    assert article.publication_date == D(2012, 4, 11)
    assert article.publication_date_source in ("metadata", "url")  # trafilatura may read the URL itself
