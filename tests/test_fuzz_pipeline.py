"""Property tests across the pipeline: arbitrary text through the tagger, the extractor and the merger.

Properties: nothing raises on any text; every offset slices back to the text it names; timex
values are TIMEX3; the timeline built from whatever comes out validates against the schema.
The merger's own property tests live in test_merge.py; these feed it what extraction really
produces from hostile text.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractors import export
from extractors.articles import clean_text
from extractors.schema import Article, DocumentRecord

timex = pytest.importorskip("extractors.timex")
merge = pytest.importorskip("extractors.merge")
pipeline = pytest.importorskip("extractors.pipeline")
from extractors.timex_value import TIMEX3_VALUE  # noqa: E402

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_SENTENCES = [
    "Kim Jong Un met Vladimir Putin on Wednesday.", "Harris said on 7 September 2023 it would be a huge mistake.",
    "Officials will meet again next month in Moscow.", "The talks lasted three days, ending last Friday.",
    "In the spring of 2022, Shoigu visited Pyongyang.", "Sullivan warned North Korea two weeks ago.",
    "Satellite images from 2019-03-04 showed rail cars.", "It was 10:30 a.m. on Monday when the train left.",
    "Seoul summoned the ambassador yesterday.", "The 1990s saw several famines.",
]
# Unicode oddities that survive loading (emoji, combining marks, ZWJ, CJK, RTL letters, NBSP).
_ODD = st.sampled_from(["\U0001F468\u200d\U0001F469\u200d\U0001F467", "e\u0301", "\u00a0", "平壤", "موسكو", "—", "“", "’",
                        "\U0001F44D\U0001F3FD", "\u200d", "\t", "\n\n", "12", "2023", "May", "-"])
newsy_text = st.lists(st.one_of(st.sampled_from(_SENTENCES), _ODD, st.text(max_size=15)), min_size=1, max_size=12).map(
    lambda parts: " ".join(parts))
any_text = st.one_of(newsy_text, st.text(max_size=200))
dcts = st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


@FUZZ
@given(text=any_text, dct=dcts)
@example(text="on 31 February 2023 and in 0000 and on 9999-12-31", dct=dt.date(2023, 1, 1))
@example(text="Thursday" * 50, dct=None)
def test_fuzz_pipeline_tag_timexes_total_and_sliceable(text, dct):
    found = timex.tag_timexes(text, dct)
    previous_end = -1
    for t in found:
        assert text[t.start:t.end] == t.text and t.text.strip()
        assert t.start >= previous_end  # sorted, non-overlapping
        previous_end = t.end
        assert TIMEX3_VALUE.match(t.value), t.value
        assert t.interval_start is None or t.interval_end is None or t.interval_start <= t.interval_end


@FUZZ
@given(text=newsy_text, dct=dcts, extra=st.lists(newsy_text, max_size=2))
def test_fuzz_pipeline_articles_to_valid_timeline(nlp, text, dct, extra):
    articles = []
    for index, raw in enumerate([text, *extra]):
        body = clean_text(raw).strip()
        if body:
            articles.append(Article(doc_id=f"d{index}", path=f"d{index}.txt", body=body, publication_date=dct,
                                    publication_date_source="header" if dct else "none"))
    extractions = pipeline.extract_articles(articles, nlp)
    mentions = [m for x in extractions for m in x.mentions]
    bodies = {x.article.doc_id: x.article.body for x in extractions}
    for x in extractions:
        for t in x.timexes:
            assert x.article.body[t.start:t.end] == t.text
    for m in mentions:
        body = bodies[m.doc_id]
        assert body[m.trigger_start:m.trigger_end] == m.trigger
        assert 0 <= m.clause_start <= m.trigger_start < m.trigger_end <= m.clause_end <= len(body)
    entries = merge.merge_mentions(mentions)
    assert sorted(s.start for e in entries for s in e.sources) == sorted(m.trigger_start for m in mentions)
    documents = [DocumentRecord(doc_id=x.article.doc_id, path=x.article.path, status="processed",
                                publication_date=x.article.publication_date,
                                publication_date_source=x.article.publication_date_source,
                                event_count=len(x.mentions)) for x in extractions]
    document = export.timeline_document(documents, entries, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert export.validate_timeline(document) == []
    export.timeline_csv_bytes(entries)
