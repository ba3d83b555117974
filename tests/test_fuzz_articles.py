"""Property tests of the article loader: arbitrary bytes never crash it, and what it keeps is clean.

Properties: build_article either returns an Article or raises InputRejected with a reason;
an Article's body is non-empty, stripped, NFC, free of control and invisible format
characters, and its document record validates against the output schema; decoding
round-trips text in the encodings we promise to read; the helpers are total and idempotent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from extractors import export
from extractors.articles import (
    InputRejected,
    build_article,
    clean_text,
    decode,
    parse_header,
    parse_sidecar,
    strip_boilerplate,
)
from extractors.duplicates import duplicate_matches
from extractors.schema import Article, DocumentRecord

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u00ad\u202a-\u202e\u2028\u2029\u2060\ufeff]")
# Text a news article can contain: letters, marks, numbers, punctuation, symbols (emoji), spaces.
_ARTICLE_CHARS = st.characters(categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\ufffd")
article_text = st.text(alphabet=st.one_of(_ARTICLE_CHARS, st.sampled_from("\n\n\t .,“”’—")), min_size=1, max_size=400)
RUN_DATE = dt.date(2026, 1, 1)


def _record(article: Article) -> DocumentRecord:
    return DocumentRecord(doc_id=article.doc_id, path=article.path, status="processed", title=article.title,
                          publication_date=article.publication_date,
                          publication_date_source=article.publication_date_source, warnings=article.warnings)


def _check_article(article: Article) -> None:
    assert article.body and article.body == article.body.strip()
    assert not _FORBIDDEN.search(article.body), repr(article.body)
    assert unicodedata.is_normalized("NFC", article.body)
    assert all(isinstance(w, str) and w for w in article.warnings)
    document = export.timeline_document([_record(article)], [], dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert export.validate_timeline(document) == []
    json.loads(export.json_bytes(document))


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".md"]),
       sidecar=st.none() | st.binary(max_size=200))
@example(data=b"\xff\xfe\x00\xd8", suffix=".txt", sidecar=None)  # UTF-16 BOM then a lone surrogate
@example(data=b"<html><body></body></html>", suffix=".txt", sidecar=b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[")
@example(data=b" date 9999-12-31 x", suffix=".txt", sidecar=b'{"date": 1e308}')
def test_fuzz_articles_arbitrary_bytes_never_crash(data, suffix, sidecar):
    try:
        article = build_article("doc", "doc" + suffix, suffix, data, sidecar, today=RUN_DATE)
    except InputRejected as exc:
        assert exc.reason and exc.status in ("skipped", "failed")
        return
    _check_article(article)


@FUZZ
@given(text=article_text, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]),
       # Publication dates an article can have (others are placeholders, ignored: test_hostile_set.py).
       header=st.none() | st.dates(dt.date(1900, 1, 1), dt.date(RUN_DATE.year + 10, 12, 31)))
def test_fuzz_articles_text_in_any_supported_encoding_loads(text, encoding, header):
    assume(text.strip() and not text.lstrip().lower().startswith(("<html", "<!doctype")))
    raw = (f" date {header.isoformat()} " if header else "") + text
    if encoding in ("utf-16-le", "utf-16-be"):
        # BOM-less UTF-16 is recognized from its zero bytes, i.e. for mostly-Latin text.
        assume(sum(ord(c) < 0x100 for c in raw) > 0.9 * len(raw) and len(raw) >= 4)
    try:
        article = build_article("doc", "doc.txt", ".txt", raw.encode(encoding), None, today=RUN_DATE)
    except InputRejected as exc:
        # Only whitespace or boilerplate can be left once controls and headers are gone, or a line
        # of an error page ("404").
        assert (exc.reason in ("empty file", "no article text (only a header or site boilerplate)")
                or exc.reason.startswith("not an article (")), exc.reason
        return
    _check_article(article)
    if header is not None:
        assert article.publication_date == header and article.publication_date_source == "header"
    # Words survive: every letter run of the cleaned input is somewhere in the body or was boilerplate.
    assert set(re.findall(r"[^\W\d_]{4,}", article.body)) <= set(re.findall(r"[^\W\d_]{4,}", clean_text(raw)))


@FUZZ
@given(text=st.text(alphabet=st.one_of(st.characters(max_codepoint=0x7E, min_codepoint=0x20),
                                       st.sampled_from("“”‘’–—éèàçœ€")), min_size=20, max_size=300))
# Found by this test: "çœœ" are the bytes of "眜", one valid UTF-8 sequence beside a bad byte.
@example(text="0" * 37 + "àçœœ")
def test_fuzz_articles_cp1252_round_trips(text):
    assume(sum(c.isascii() for c in text) > 0.9 * len(text))
    data = text.encode("cp1252")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:  # bytes that are valid UTF-8 too ("çœœ" is the bytes of "眜") are read as UTF-8, as documented
        assume(False)
    assert decode(data).text == text


@FUZZ
@given(text=article_text, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_fuzz_articles_unicode_round_trips(text, encoding):
    assert decode(text.encode(encoding)).text == text


@FUZZ
@given(text=st.text(max_size=300))
def test_fuzz_articles_clean_text_idempotent_and_clean(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert not _FORBIDDEN.search(cleaned)


@FUZZ
@given(text=st.text(max_size=200))
@example(text=" date 2023-13-45 x")
@example(text="date 0000-01-01\n")
def test_fuzz_articles_parse_header_total(text):
    body, date, warnings = parse_header(text)
    assert text.endswith(body)
    assert date is None or isinstance(date, dt.date)
    assert date is None or not warnings


@FUZZ
@given(meta=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["title", "url", "date", "published", "publication_date", "x"]), children, max_size=4),
    max_leaves=10))
def test_fuzz_articles_any_json_sidecar_is_read_or_warned(meta):
    sidecar = parse_sidecar(json.dumps(meta).encode())
    assert sidecar.title is None or isinstance(sidecar.title, str)
    assert sidecar.url is None or isinstance(sidecar.url, str)
    assert sidecar.publication_date is None or isinstance(sidecar.publication_date, dt.date)
    assert all(isinstance(w, str) for w in sidecar.warnings)


@FUZZ
@given(lines=st.lists(st.sampled_from(["Comments", "MOST POPULAR", "Back To Top", "Subscribe", "ADVERTISEMENT",
                                        "Kim met Putin.", "Officials said the talks went on.", ""]), max_size=30))
def test_fuzz_articles_strip_boilerplate_keeps_lines_in_order(lines):
    body, removed = strip_boilerplate("\n".join(lines))
    iterator = iter(lines)
    assert all(any(line == candidate for candidate in iterator) for line in (body.split("\n") if body else []))  # a subsequence
    assert removed >= 0


@settings(max_examples=100, deadline=None)
@given(bodies=st.lists(st.sampled_from([
    "Kim met Putin in Vladivostok on Wednesday and they discussed arms and the war in Ukraine for hours",
    "Kim met Putin in Vladivostok on Wednesday and they discussed arms and the war in Ukraine for many hours",
    "Officials in Seoul warned that any arms deal between Pyongyang and Moscow would violate UN resolutions",
    "", "short"]), max_size=12))
def test_fuzz_articles_duplicates_point_at_kept_originals(bodies):
    articles = [Article(doc_id=f"d{i}", path=f"d{i}.txt", body=b) for i, b in enumerate(bodies)]
    matches = duplicate_matches(articles)
    assert duplicate_matches(articles) == matches
    order = {a.doc_id: i for i, a in enumerate(articles)}
    for doc_id, match in matches.items():
        assert match.original not in matches and order[match.original] < order[doc_id]
    # Identical bodies always collapse to one.
    kept = [a.body for a in articles if a.doc_id not in matches]
    assert len(kept) == len(set(kept))
