"""Entity matching (`extractors.entity_match`), references to organizations, products and indices
(`extractors.references`), and participants found through them."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.entity_match import EntityResourceError, entity_keys, load_aliases, matches, matching_names
from extractors.events import extract_events
from extractors.references import load_references
from extractors.schema import Article
from extractors.timex import tag_timexes


@pytest.mark.parametrize("query,actor,expected", [
    ("Putin", "Vladimir Putin", True),
    ("Kim Jong Un", "Kim Jong-un", True),
    ("North Korea", "DPRK", True),
    ("North Korea", "South Korea", False),
    ("Apple Inc.", "Apple", True),
    ("Apple Inc.", "Apple Corps", False),
    # A plural of the name or of an alias is the entity; a model suffix is not a plural ending.
    ("iPod", "iPods", True),
    ("Airbus A380", "A380s", True),
    ("iPhone", "iPhones", True),
    ("iPhone 4", "iPhone 4s", False),
    ("Airbus", "Airbu", False),
    ("iPhone", "iPhone 4", True),
    ("iPhone", "3G iPhone", False),
    ("iPhone", "iPod", False),
    ("iPod", "iPod nano", False),
    ("iPhone 4", "iPhone", False),
    ("General Motors", "GM", True),
    ("General Motors", "General Motors Corp.", True),
    ("General Motors", "Motors Liquidation", False),
    ("Dow Jones", "the Dow", True),
    ("Dow Jones Industrial Average", "blue chips", True),
    ("Nasdaq", "Nasdaq Composite", True),
    ("Nasdaq", "Dow Jones Industrial Average", False),
    ("Airbus A380", "superjumbo", True),
    ("Airbus", "Boeing", False),
    ("Steve Jobs", "Jobs", True),
    ("Steve Jobs", "Steve", False),
    ("European Union", "EU", True),
    # an acronym in capitals taking more than initials, either way round
    ("ASEAN", "Association of Southeast Asian Nations", True),
    ("Association of Southeast Asian Nations", "ASEAN", True),
    ("NASA", "National Aeronautics and Space Administration", True),
    ("ASEAN", "American Society of Engineers", False),
])
def test_entity_match_matches(query, actor, expected):
    assert matches(query, actor) is expected


@pytest.mark.parametrize("group", load_aliases().groups, ids=lambda g: g.name)
def test_entity_match_every_alias_matches_its_name(group):
    for alias in group.aliases:
        assert matches(group.name, alias), alias
        assert matches(alias, group.name), alias


def test_entity_match_keys_drop_company_suffixes():
    assert "apple" in entity_keys("Apple Inc.")
    assert "ford motor" in entity_keys("Ford Motor Co.")


def test_entity_match_rejects_an_alias_under_two_names(monkeypatch):
    import extractors.entity_match as em

    bad = {"groups": [{"name": "A One", "aliases": ["AO"]}, {"name": "B Two", "aliases": ["AO"]}]}
    monkeypatch.setattr(em, "load_yaml", lambda name: bad)
    em.load_aliases.cache_clear()
    try:
        with pytest.raises(EntityResourceError, match="AO"):
            em.load_aliases()
    finally:
        em.load_aliases.cache_clear()


def _events(nlp, text: str):
    doc = nlp(text)
    article = Article("t", "t", text, publication_date=dt.date(2010, 6, 8), publication_date_source="metadata")
    return extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))


def _actors_of(events, trigger: str) -> tuple[str, ...]:
    found = [e for e in events if e.trigger == trigger]
    assert found, f"no event {trigger!r} in {[e.trigger for e in events]}"
    return found[0].actors


@pytest.mark.parametrize("sentence,reference,entity", load_references().examples)
def test_entity_match_reference_examples(nlp, sentence, reference, entity):
    """Each example of references.yaml: the reference's event has the entity as actor."""
    doc = nlp(sentence)
    ref = next(t for t in doc if t.text == reference)
    event_word = ref.head.text
    assert entity in _actors_of(_events(nlp, sentence), event_word)


@pytest.mark.parametrize("text,trigger,type_,actor", [
    # An index the recognizer misses, by alias; then "the index" refers back to it.
    ("The Dow Jones industrial average gained 120 points on Monday. The index closed at a record.",
     "gained", "market", "Dow Jones Industrial Average"),
    ("The Dow Jones industrial average gained 120 points on Monday. The index closed at a record.",
     "closed", "market", "Dow Jones Industrial Average"),
    ("The Nikkei 225 fell 2 percent on Tuesday. Blue chips rebounded on Wednesday.",
     "rebounded", "market", "Dow Jones Industrial Average"),
    # "the carmaker", "it", "its" after a company was the subject.
    ("General Motors said on Monday that the carmaker would cut 5,000 jobs.", "cut", "business", "General Motors"),
    ("General Motors posted a loss on Monday. It also recalled 200,000 cars.", "recalled", "business", "General Motors"),
    ("General Motors posted a loss on Monday. Its shares fell 3 percent.", "fell", "market", "General Motors"),
])
def test_entity_match_participants_by_reference(nlp, text, trigger, type_, actor):
    events = _events(nlp, text)
    event = next(e for e in events if e.trigger == trigger)
    assert event.type == type_
    assert actor in event.actors


@pytest.mark.parametrize("text,trigger", [
    # A person was the subject since: "it" is not the company.
    ("General Motors posted a loss on Monday. Mary Barra resigned. It cut 5,000 jobs.", "cut"),
    # No company named before: "the company" stays unresolved.
    ("The company fell into bankruptcy on Monday.", "fell"),
])
def test_entity_match_unclear_references_stay_unresolved(nlp, text, trigger):
    assert "General Motors" not in _actors_of(_events(nlp, text), trigger)
    assert all(a.lower() not in ("company", "the company") for a in _actors_of(_events(nlp, text), trigger))


@pytest.mark.parametrize("query,names,expected", [
    ("ASEAN", ["Association of Southeast Asian Nations", "Asian Development Bank", "Kamala Harris"],
     ["Association of Southeast Asian Nations"]),
])
def test_entity_match_matching_names_finds_an_acronyms_expansion(query, names, expected):
    assert matching_names([query], names)[query] == expected
