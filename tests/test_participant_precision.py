"""Participants are the predicate's own (`extractors.events._participants`, `actors.only_modifies`,
`resources/entities/participants.yaml`): not the names of another event nested in an argument,
not the object of a topic or circumstance preposition, not a nationality adjective; an acronym the
article expands is the organization's full name, and an edition's ordinal is no part of a name
(`actors._acronyms`, `names.abbreviates`)."""

from __future__ import annotations

import pytest
from test_events import _events, _one

from extractors.names import abbreviates, clean_name, normalize_name


@pytest.mark.parametrize("text,trigger,absent", [
    # a name in the phrase of another event: that event's participant
    ("Harris, expressing her views during an interview with CBS News, said the plan was a mistake.",
     "expressing", "CBS News"),
    ("North Korea recovers from the COVID-19 pandemic.", "recovers", "COVID-19"),
    ("Moscow provided weapons for use in its war against Ukraine.", "provided", "Ukraine"),
    ("The administration expressed strong opposition to North Korea's arms deal with Russia.",
     "expressed", "Russia"),
    # a nationality adjective modifying a common noun
    ("Russia has expressed commitment to the goal of denuclearizing the Korean peninsula.",
     "denuclearizing", "Korean"),
    ("The Kremlin declined to provide Russian weapons.", "provide", "Russian"),
    # a topic or circumstance preposition
    ("The minister spoke about Apple on Monday.", "spoke", "Apple"),
])
def test_participant_precision_not_a_participant(nlp, text, trigger, absent):
    assert absent not in _one(_events(nlp, text), trigger).actors


@pytest.mark.parametrize("text,trigger,present", [
    # the other event keeps its own participants
    ("Harris, expressing her views during an interview with CBS News, said the plan was a mistake.",
     "interview", "CBS News"),
    ("Moscow provided weapons for use in its war against Ukraine.", "war", "Ukraine"),
    # a nationality heading an argument is a participant
    ("The Russians withdrew their troops from the border.", "withdrew", "Russians"),
    # an acronym the article expands in brackets is the organization
    ("Leaders attended the 43rd Association of Southeast Asian Nations (Asean) Summit on Thursday. "
     "Later, Asean issued a statement.", "issued", "Association of Southeast Asian Nations"),
    ("Leaders attended the 43rd Association of Southeast Asian Nations (Asean) Summit on Thursday.",
     "Summit", "Association of Southeast Asian Nations"),
])
def test_participant_precision_participant(nlp, text, trigger, present):
    assert present in _one(_events(nlp, text), trigger).actors


@pytest.mark.parametrize("text", [
    "Leaders attended the 43rd Association of Southeast Asian Nations (Asean) Summit on Thursday.",
])
def test_participant_precision_no_ordinal_in_a_name(nlp, text):
    actors = {a for e in _events(nlp, text) for a in e.actors}
    assert not any(a[:1].isdigit() for a in actors), actors


@pytest.mark.parametrize("short,long_,expected", [
    ("GM", "General Motors", True),
    ("ASEAN", "Association of Southeast Asian Nations", True),
    ("NASA", "National Aeronautics and Space Administration", True),
    ("IBM", "International Business Machines", True),
    ("GM", "General Electric", False),
    ("left", "Association of Southeast Asian Nations", False),
    ("UN", "Union", False),
])
def test_participant_precision_abbreviates(short, long_, expected):
    assert abbreviates(short, long_) is expected


@pytest.mark.parametrize("text,clean,key", [
    ("the 43rd Association of Southeast Asian Nations", "Association of Southeast Asian Nations",
     "association of southeast asian nations"),
    ("the 18th East Asia Summit", "East Asia Summit", "east asia summit"),
    # without "the" the ordinal is the name's own
    ("21st Century Fox", "21st Century Fox", "21st century fox"),
])
def test_participant_precision_ordinal_not_in_name(text, clean, key):
    assert clean_name(text) == clean
    assert normalize_name(text) == key


@pytest.mark.parametrize("text,trigger,actor,not_actor", [
    # "the company" of a sentence naming two: the one that was the subject, not the last named
    ("Airbus delivered the first A380 to Singapore Airlines on Monday. The company said more would follow.",
     "said", "Airbus", "Singapore Airlines"),
    ("Apple Inc. launched the iPhone in 2007. The company sold a million units.", "sold", "Apple Inc.", "iPhone"),
])
def test_participant_precision_description_refers_to_the_subject(nlp, text, trigger, actor, not_actor):
    actors = _one(_events(nlp, text), trigger).actors
    assert actor in actors and not_actor not in actors, actors


@pytest.mark.parametrize("raw", [
    {"non_participant_prepositions": ["about"], "head_only_labels": ["NORP"]},
    {"non_participant_prepositions": {"topic": ["about"]}, "head_only_labels": ["norp"]},
    None,
])
def test_participant_precision_resource_validated(monkeypatch, raw):
    from extractors import actors

    monkeypatch.setattr(actors, "load_yaml", lambda name: raw)
    actors.load_participant_roles.cache_clear()
    try:
        with pytest.raises(actors.ParticipantResourceError):
            actors.load_participant_roles()
    finally:
        actors.load_participant_roles.cache_clear()


def test_participant_precision_resource_loads():
    from extractors.actors import load_participant_roles

    roles = load_participant_roles()
    assert {"as", "about", "amid"} <= roles.non_participant_prepositions and "NORP" in roles.head_only_labels
