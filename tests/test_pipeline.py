"""Per-article extraction: each piece is tagged once unless a publication date is found in it."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors import pipeline
from extractors.schema import Article


@pytest.mark.parametrize("body, tag_calls, published", [
    # No date in the text: the undated tags serve the extraction as they are.
    ("Kim met Putin on Thursday. They will meet again next month.", 1, None),
    # A dateline dates the article: the text is tagged again against that date.
    ("SEOUL, Sept. 7, 2023 (Reuters) - Kim met Putin on Thursday.", 2, dt.date(2023, 9, 7)),
])
def test_pipeline_undated_article_is_tagged_again_only_when_its_date_is_found(nlp, monkeypatch, body, tag_calls,
                                                                            published):
    calls = []
    real = pipeline.tag_timexes

    def counting(text, dct, doc=None):
        calls.append(dct)
        return real(text, dct, doc=doc)

    monkeypatch.setattr(pipeline, "tag_timexes", counting)
    (result,) = pipeline.extract_articles([Article(doc_id="a", path="a.txt", title=None, body=body)], nlp)
    assert len(calls) == tag_calls
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
