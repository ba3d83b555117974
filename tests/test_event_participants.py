"""Participants of an event given to someone: an event noun object takes its verb's subject and
its recipient ("the board granted him a medical leave"; "me" in reported words is the speaker);
a model designation the tagger takes for a common noun is a product named ("the first A380").
(`extractors.events._participants`, `_names_in`, `references._speaker_referents`)."""

from __future__ import annotations

import pytest
from test_events import _events, _one


@pytest.mark.parametrize("text,trigger,actor", [
    ("Steve Jobs wrote that the board had granted him a medical leave of absence.", "leave", "Steve Jobs"),
    ('"The board has granted me a medical leave," Steve Jobs wrote on Monday.', "leave", "Steve Jobs"),
    ("The government granted General Motors a bailout in December.", "bailout", "General Motors"),
])
def test_event_participants_recipient_of_an_event_given(nlp, text, trigger, actor):
    assert actor in _one(_events(nlp, text), trigger).actors


@pytest.mark.parametrize("text,trigger", [
    # only a recipient before the event noun: "gave a speech to the students" names none
    ("The minister gave a speech in Paris.", "speech"),
])
def test_event_participants_no_recipient(nlp, text, trigger):
    assert _one(_events(nlp, text), trigger).actors == ()


@pytest.mark.parametrize("text,trigger,actor", [
    ("Airbus delivered the first A380 to Singapore Airlines in October 2007.", "delivered", "A380"),
    ("Boeing delivered the first B787 in September 2011.", "delivered", "B787"),
])
def test_event_participants_model_designations(nlp, text, trigger, actor):
    assert actor in _one(_events(nlp, text), trigger).actors
