"""The learned predicate-trigger model (`extractors/predicate_triggers.py`) and multi-word verbs:
verbs the rules leave out that are events in their use, predicative adjectives, verbs the rules
take that are not events, the type of a verb that frames an open complement, and verbs of two
words read from the parse."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.events import extract_events
from extractors.predicate_triggers import PredicateModelError, load_predicate_model, predicate_features
from extractors.schema import Article
from extractors.timex import tag_timexes


def _triggers(nlp, text: str) -> dict[str, str]:
    doc = nlp(text)
    article = Article("t", "t", text, publication_date=dt.date(2010, 6, 8), publication_date_source="metadata")
    return {e.trigger: e.type for e in extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))}


@pytest.mark.parametrize("text,trigger,type_", [
    # modality and raising verbs the rules leave to their complement
    ("Officials expected the talks to resume next week.", "expected", "other"),
    ("The company tried to sell the unit.", "tried", "other"),  # not "legal": no trial here
    ("He declined to comment on the report.", "declined", "other"),  # not a market's decline
    ("The talks remained deadlocked for weeks.", "remained", "other"),
    # a stop verb the model takes is no movement of the index it has for subject
    ("The Dow Jones industrial average remained near its record on Friday.", "remained", "other"),
    # predicative adjectives
    ("Two people were dead after the fire.", "dead", "retirement"),  # the state a death leaves
    ("He is responsible for the attack.", "responsible", "other"),
])
def test_predicate_triggers_events_the_rules_left_out(nlp, text, trigger, type_):
    assert _triggers(nlp, text).get(trigger) == type_


@pytest.mark.parametrize("text,word", [
    ("The group has 300 members, including 20 lawyers.", "including"),
    ("The company, based in Detroit, said sales rose.", "based"),
    ("Sales were up 5 percent compared with last year.", "compared"),
    ("The new president spoke on Monday.", "new"),
    ("Two people were dead after the fire.", "were"),
])
def test_predicate_triggers_not_events(nlp, text, word):
    assert word not in _triggers(nlp, text)


@pytest.mark.parametrize("text,trigger,type_", [
    ("The actor passed away on Sunday.", "passed away", "retirement"),  # not a law passed
    ("Lindsay Lohan checked into rehab on Tuesday.", "checked into", "health"),
    ("The actress checked herself into a rehab clinic in Malibu.", "checked", "health"),  # not contiguous
    ("Ford took over the plant in 2008.", "took over", "business"),
    ("The company laid off 300 workers.", "laid off", "business"),  # a particle, as before
])
def test_predicate_triggers_multiword_verbs(nlp, text, trigger, type_):
    assert _triggers(nlp, text).get(trigger) == type_


def test_predicate_triggers_multiword_lemma_names_the_event(nlp):
    text = "The actor passed away on Sunday."
    doc = nlp(text)
    article = Article("t", "t", text, publication_date=dt.date(2010, 6, 8), publication_date_source="metadata")
    (event,) = extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))
    assert event.trigger_lemma == "pass away"
    assert text[event.trigger_start:event.trigger_end] == "passed away"


def test_predicate_triggers_model_is_small_and_valid():
    model = load_predicate_model()
    assert 0 <= model.veto <= model.threshold < 1
    assert 100 < len(model.weights) < 20_000


def test_predicate_triggers_score_is_the_features_sum(nlp):
    import math

    model = load_predicate_model()
    doc = nlp("Officials expected the talks to resume, and the victims were dead.")
    for token in (t for t in doc if t.pos_ in ("VERB", "ADJ")):
        z = model.bias + sum(model.weights.get(f, 0.0) for f in predicate_features(token))
        assert model.probability(token) == pytest.approx(1 / (1 + math.exp(-z)))


@pytest.mark.parametrize("raw", [
    {"weights": {"lemma=x": 1.0}, "bias": 0.0, "threshold": 0.5},  # no veto
    {"weights": {"lemma=x": 1.0}, "bias": 0.0, "threshold": 0.5, "veto": 0.7},  # veto above threshold
    {"weights": {}, "bias": 0.0, "threshold": 0.5, "veto": 0.1},
])
def test_predicate_triggers_rejects_a_bad_model(monkeypatch, raw):
    import extractors.predicate_triggers as pt

    monkeypatch.setattr(pt, "load_json", lambda name: raw)
    pt.load_predicate_model.cache_clear()
    try:
        with pytest.raises(PredicateModelError):
            pt.load_predicate_model()
    finally:
        pt.load_predicate_model.cache_clear()


def test_predicate_triggers_adjective_under_two_types_is_rejected():
    from extractors import event_lexicon

    raw = {"types": {
        "a": {"adjectives": ["dead"], "examples": [{"sentence": "They met.", "trigger": "met"}]},
        "b": {"adjectives": ["dead"], "examples": [{"sentence": "They met.", "trigger": "met"}]},
    }}
    with pytest.raises(event_lexicon.LexiconError, match="dead"):
        event_lexicon._build_types(raw)

