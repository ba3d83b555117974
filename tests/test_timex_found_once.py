"""Work done once: an undated article is parsed once and its temporal expressions found once,
then resolved without a date (to find its dateline) and again against the date found."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("spacy")

from extractors import timex  # noqa: E402
from extractors.pipeline import extract_articles  # noqa: E402
from extractors.schema import Article  # noqa: E402

UNDATED = ("MOSCOW, Sept. 7, 2023 (Reuters) - Kim Jong Un will travel to Russia this month, officials said on "
           "Thursday. Last month the two countries held talks, and the following week they signed a deal.")


class _CountingNlp:
    """The pipeline, counting the texts it parses."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        self.parsed: list[str] = []

    def __call__(self, text: str):
        self.parsed.append(text)
        return self.nlp(text)

    def pipe(self, texts, **kwargs):
        def counted():
            for text in texts:
                self.parsed.append(text)
                yield text
        kwargs.pop("n_process", None)
        return self.nlp.pipe(counted(), **kwargs)


@pytest.mark.parametrize(("body", "source", "values"), [
    (UNDATED, "text", {"Thursday": "2023-09-07", "Last month": "2023-08", "this month": "2023-09"}),
])
def test_timex_found_once_for_an_undated_article(nlp, monkeypatch, body, source, values) -> None:
    finds: list[str] = []
    real_find = timex._find

    def counting_find(text, *args, **kwargs):
        finds.append(text)
        return real_find(text, *args, **kwargs)

    monkeypatch.setattr(timex, "_find", counting_find)
    counting = _CountingNlp(nlp)
    article = Article(doc_id="undated", path="undated.txt", body=body)
    extraction, = extract_articles([article], counting)
    assert counting.parsed == [body]
    assert finds == [body]
    assert extraction.article.publication_date_source == source
    assert extraction.article.publication_date == dt.date(2023, 9, 7)
    got = {t.text: t.value for t in extraction.timexes}
    assert {k: got.get(k) for k in values} == values


def test_timex_parse_of_another_text_is_refused(nlp) -> None:
    doc = nlp("The talks ended on Thursday.")
    with pytest.raises(timex.TimexError, match="parse of another text"):
        timex.tag_timexes("The talks began on Monday.", dt.date(2023, 9, 7), doc)


def test_timex_doc_state_lives_in_registered_extensions(nlp) -> None:
    """What the extractors remember on a Doc is held in spaCy extensions with one prefix, not in
    private `user_data` keys."""
    from extractors.events import extract_events
    from extractors.nlp import DOC_EXTENSIONS, remember_text

    body = "Kim met Putin on Thursday.\n\nThe talks will resume next month, officials said."
    doc = remember_text(nlp(body), body)
    article = Article(doc_id="a", path="a.txt", body=body, publication_date=dt.date(2023, 9, 7))
    extract_events(article, doc, timex.tag_timexes(body, article.publication_date, doc))
    assert doc.user_data
    assert all(isinstance(key, tuple) and key[0] == "._." and key[1] in DOC_EXTENSIONS for key in doc.user_data)
    assert all(name.startswith("timeline_") for name in DOC_EXTENSIONS)


@pytest.mark.parametrize("text", [
    "Net income rose 5% in the third quarter from a year ago. The company said the quarter was strong.",
    "The party won the elections in January, officials said. Kim met Putin on Thursday.",
])
def test_timex_found_once_resolves_against_any_date_without_the_parse(nlp, text: str) -> None:
    """What finding keeps is plain data (no spaCy object): it pickles, and resolving it against
    any date gives what tagging against that date gives."""
    import pickle

    found = timex.find_timexes(text, nlp(text))
    kept = pickle.loads(pickle.dumps(found))
    assert "spacy" not in pickle.dumps(found).decode("latin-1")
    for dct in (dt.date(1989, 10, 27), dt.date(2023, 12, 28), None):
        assert timex.resolve_timexes(kept, dct) == timex.tag_timexes(text, dct, nlp(text))
