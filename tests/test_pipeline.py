"""Per-article extraction: each piece's timexes are found once, and resolved again only when a
publication date is found in it."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors import date_binding, pipeline
from extractors.schema import Article


@pytest.mark.parametrize("body, resolve_calls, published", [
    # No date in the text: the undated values serve the extraction as they are.
    ("Kim met Putin on Thursday. They will meet again next month.", 1, None),
    # A dateline dates the article: what was found is resolved again against that date, not found again.
    ("SEOUL, Sept. 7, 2023 (Reuters) - Kim met Putin on Thursday.", 2, dt.date(2023, 9, 7)),
])
def test_pipeline_undated_article_is_resolved_again_only_when_its_date_is_found(nlp, monkeypatch, body, resolve_calls,
                                                                              published):
    calls = []
    finds = []
    real_resolve, real_find = date_binding.resolve_timexes, pipeline.find_timexes

    def counting_resolve(found, dct):
        calls.append(dct)
        return real_resolve(found, dct)

    def counting_find(text, doc=None):
        finds.append(text)
        return real_find(text, doc)

    monkeypatch.setattr(date_binding, "resolve_timexes", counting_resolve)
    monkeypatch.setattr(pipeline, "find_timexes", counting_find)
    (result,) = pipeline.extract_articles([Article(doc_id="a", path="a.txt", title=None, body=body)], nlp)
    assert finds == [body]
    assert len(calls) == resolve_calls
    assert result.article.publication_date == published
    assert calls[-1] == published
    thursday = [t for t in result.timexes if t.text == "Thursday"]
    assert thursday and thursday[0].value == ("2023-09-07" if published else "XXXX-WXX-4")


def test_pipeline_long_undated_article_parses_each_piece_once(nlp, monkeypatch):
    filler = "Officials in Seoul discussed the talks at length. " * 1200  # about 60,000 characters
    body = "SEOUL, Sept. 7, 2023 (Reuters) - Kim met Putin on Thursday.\n\n" + filler + "\n\nThey met on Friday."
    pieces = pipeline.split_into_pieces(body)
    assert len(pieces) == 2
    parsed: list[str] = []

    class CountingNlp:
        def __call__(self, text):
            parsed.append(text)
            return nlp(text)

        def pipe(self, texts, **kwargs):
            texts = list(texts)
            parsed.extend(texts)
            return nlp.pipe(texts, **kwargs)

    (result,) = pipeline.extract_articles([Article(doc_id="a", path="a.txt", title=None, body=body)], CountingNlp())
    assert sorted(parsed) == sorted(piece for _, piece in pieces)
    assert result.article.publication_date == dt.date(2023, 9, 7)
    assert [t.value for t in result.timexes if t.text in ("Thursday", "Friday")] == ["2023-09-07", "2023-09-01"]
