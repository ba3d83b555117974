"""Event detection beyond verbs and common nouns: events known by a name ("the Oscars", "the Super
Bowl", "Hurricane Katrina"), the lines of a sentence the parser runs over line breaks, and event
nouns that modify another noun ("a *piracy* attempt"): what `extract_events` finds in sentences
written for them."""

from __future__ import annotations

import datetime as dt

import pytest
from loader_checks import assert_refused

from extractors.events import extract_events
from extractors.named_events import load_named_events
from extractors.schema import Article, EventMention

DCT = dt.date(2013, 8, 2)


def _events(nlp, text: str) -> list[EventMention]:
    from extractors.timex import tag_timexes

    doc = nlp(text)
    article = Article(doc_id="t", path="t.txt", body=text, publication_date=DCT, publication_date_source="metadata")
    return extract_events(article, doc, tag_timexes(text, DCT, doc=doc))


def _by_word(events: list[EventMention], word: str) -> EventMention | None:
    return next((e for e in events if word in e.trigger.split()), None)


_NAMED = load_named_events()


@pytest.mark.parametrize("example", _NAMED.examples, ids=[e.trigger for e in _NAMED.examples])
def test_named_events_examples(nlp, example):
    event = _by_word(_events(nlp, example.sentence), example.trigger)
    assert event is not None, example.sentence
    assert event.type == example.expected


@pytest.mark.parametrize("text,trigger,lemma", [
    ("Hugh Jackman was named host of the Academy Awards on Friday.", "Awards", "awards"),
    # The head keeps the lemma of the common noun, so that "the summit" meets it in merging.
    ("Harris said at the East Asia Summit in Jakarta that the deal would be a mistake.", "Summit", "summit"),
])
def test_named_events_trigger_is_the_head_word(nlp, text, trigger, lemma):
    event = next((e for e in _events(nlp, text) if e.trigger == trigger), None)
    assert event is not None, [e.trigger for e in _events(nlp, text)]
    assert event.trigger_lemma == lemma
    assert text[event.trigger_start:event.trigger_end] == trigger


@pytest.mark.parametrize("text,word", [
    # A film's title is no event, whatever its head word.
    ("Gary Ross will not direct the sequel to The Hunger Games, the studio said.", "Games"),
    # A holiday the recognizer labels EVENT is a date.
    ("Stores opened early on Thanksgiving Day, the company said.", "Day"),
])
def test_named_events_not_from_names_that_are_no_events(nlp, text, word):
    assert _by_word(_events(nlp, text), word) is None


@pytest.mark.parametrize("raw,problem", [
    ({"heads": {"festivities": ["gala"]},
      "examples": [{"sentence": "The gala was held.", "trigger": "gala", "type": "festivities"}]}, "festivities"),
    ({"heads": {"sports": ["cup"], "ceremony": ["cup"]}, "examples": []}, "cup"),
    ({"heads": {"sports": ["world cup"]}, "examples": []}, "one word"),
])
def test_named_events_lexicon_rejects_a_malformed_file(monkeypatch, raw, problem):
    from extractors import named_events
    from extractors.event_lexicon import LexiconError

    assert_refused(monkeypatch, named_events, "load_yaml", raw, named_events.load_named_events, LexiconError, problem)


@pytest.mark.parametrize("text,trigger", [
    # A headline, a dateline whose "Wed" the tokenizer reads as "We" + "d" (a reader address), and
    # the lead, run into one sentence by the parser: the lead's events stay.
    ("Greek anti-austerity march erupts in violence, 3 dead\nWed May 5, 2010 7:12pm BST\nThree people, one of "
     "them a pregnant woman, were killed when protesters threw petrol bombs at a bank in Athens on Wednesday.",
     "killed"),
    ("Subscribe to our newsletter\nThe company recalled 20,000 cars on Monday after a fire at its plant.",
     "recalled"),
])
def test_event_detection_lead_line_survives_a_line_that_is_no_news(nlp, text, trigger):
    events = _events(nlp, text)
    assert _by_word(events, trigger) is not None, [e.trigger for e in events]
    assert _by_word(events, "Subscribe") is None


@pytest.mark.parametrize("text,word", [
    ("The warship foiled a piracy attempt in the Gulf of Aden on Thursday.", "piracy"),
    ("Lohan was sentenced to rehab in a misdemeanor driving case.", "driving"),
])
def test_event_detection_event_noun_modifying_a_noun_is_an_untyped_event(nlp, text, word):
    event = _by_word(_events(nlp, text), word)
    assert event is not None
    assert event.type == "other"


def test_event_detection_taxonomy_noun_as_a_modifier_keeps_no_type(nlp):
    # "return" names a visit, but as the modifier of "rate" it tells no trip: were it typed, the
    # timeline would place it and merging would meet it with Jobs's return.
    events = _events(nlp, "Apple said the iPhone 4 return rate was under 2 percent.")
    assert all(e.type != "visit" for e in events)
