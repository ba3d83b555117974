"""The learned noun-trigger model (`extractors/noun_triggers.py`): event nouns outside the
taxonomy, taxonomy nouns in a use that is not an event, and the packaged weights' validation."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.events import extract_events
from extractors.noun_triggers import NounModelError, load_noun_model
from extractors.schema import Article
from extractors.timex import tag_timexes


def _triggers(nlp, text: str) -> dict[str, str]:
    doc = nlp(text)
    article = Article("t", "t", text, publication_date=dt.date(2010, 6, 8), publication_date_source="metadata")
    return {e.trigger: e.type for e in extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))}


@pytest.mark.parametrize("text,noun,type_", [
    ("The court announced its decision on Monday.", "decision", "other"),
    ("The attempt to rescue the miners failed.", "attempt", "other"),
    ("He made an offer for the team.", "offer", "other"),
    ("The outbreak has infected 300 people since May.", "outbreak", "health"),  # unseen word: taxonomy
])
def test_noun_triggers_event_nouns(nlp, text, noun, type_):
    assert _triggers(nlp, text).get(noun) == type_


@pytest.mark.parametrize("text,noun", [
    ("Sales rose 5 percent in the quarter.", "Sales"),
    ("The company has 300 employees in the building.", "employees"),
    ("The company has 300 employees in the building.", "building"),
    ("Prices have risen sharply since last fall.", "fall"),
])
def test_noun_triggers_not_events(nlp, text, noun):
    assert noun not in _triggers(nlp, text)


def test_noun_triggers_model_is_small_and_valid():
    model = load_noun_model()
    assert 0 < model.threshold < 1
    assert 100 < len(model.weights) < 20_000


def test_noun_triggers_rejects_a_bad_model(monkeypatch):
    import extractors.noun_triggers as nt

    monkeypatch.setattr(nt, "load_json", lambda name: {"weights": {"lemma=x": 1.0}, "bias": 0.0, "threshold": 2})
    nt.load_noun_model.cache_clear()
    try:
        with pytest.raises(NounModelError):
            nt.load_noun_model()
    finally:
        nt.load_noun_model.cache_clear()


def test_noun_triggers_fast_score_equals_the_features_sum(nlp):
    """`probability` looks weights up per kind; it must equal the sum over `noun_features`, which
    the training script uses."""
    import math

    from extractors.noun_triggers import noun_features

    model = load_noun_model()
    doc = nlp("The sale of the company's trucks followed a decision by the board, and sales of its stock fell.")
    for token in (t for t in doc if t.pos_ == "NOUN"):
        z = model.bias + sum(model.weights.get(f, 0.0) for f in noun_features(token))
        assert model.probability(token) == pytest.approx(1 / (1 + math.exp(-z)))
