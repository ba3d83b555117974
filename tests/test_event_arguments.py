"""Types that depend on what changes (`extractors.event_arguments`, `argument_constraints` of
`resources/event_types.yaml`): a market verb is a market move only when a price, an index, the
market or a number moves; a business verb of change only when an economic quantity changes."""

from __future__ import annotations

import pytest
from test_events import _events, _one

from extractors.event_lexicon import LexiconError, _build_argument_constraints, load_lexicon

_EXAMPLES = [(t, e) for t, c in load_lexicon().argument_constraints.items() for e in c.examples]


@pytest.mark.parametrize("type_,example", _EXAMPLES, ids=[f"{t}:{e.trigger}:{e.expected}" for t, e in _EXAMPLES])
def test_event_arguments_resource_examples(nlp, type_, example):
    assert _one(_events(nlp, example.sentence), example.trigger).type == example.expected


@pytest.mark.parametrize("sentence,trigger,type_", [
    # what moves is a price, a currency, a market or an index named or referred to
    ("The dollar weakened against the yen in Tokyo.", "weakened", "market"),
    ("The Hang Seng index fell on Monday, and stocks rebounded on Tuesday.", "rebounded", "market"),
    ("The Kuala Lumpur Composite Index closed at 1,250.3 points.", "closed", "market"),
    ("Shares of the airline plunged after the crash.", "plunged", "market"),
    ("Wall Street rallied on Friday.", "rallied", "market"),
    ("The greenback slipped against the euro.", "slipped", "market"),
    # no market moves: a diplomatic process, a country, a museum
    ("Relations between the two countries have improved and trade talks advanced.", "advanced", "other"),
    ("The museum closed for the winter.", "closed", "other"),
    ("The rebels retreated into the hills.", "retreated", "other"),
    ("More calls dropped on the new phone than on the old one.", "dropped", "other"),
    # business changes need an economic quantity, named or counted
    ("Ford will cut 1,000 jobs in Europe.", "cut", "business"),
    ("The airline lowered its fares on Monday.", "lowered", "business"),
    ("Tension increased along the border.", "increased", "other"),
    ("Support for the president grew in the south.", "grew", "other"),
    # winning and losing are a court's decision only for a case; else the object's event, if any
    ("The party lost the referendum in a landslide.", "lost", "politics"),
    ("The airline won the appeal against the fine.", "won", "legal"),
    ("Parliament passed a law on data protection.", "passed", "politics"),
    ("The storm passed the island on Sunday.", "passed", "other"),
])
def test_event_arguments_type_by_what_changes(nlp, sentence, trigger, type_):
    assert _one(_events(nlp, sentence), trigger).type == type_


@pytest.mark.parametrize("spec,message", [
    ({"argument_constraints": {"market": {"verbs": ["sue"], "roles": ["subject"], "nouns": [], "examples": [
        {"sentence": "Oil rose.", "trigger": "rose", "type": "market"}]}}}, "verbs not of the type"),
    ({"argument_constraints": {"market": {"verbs": "all", "roles": ["agent"], "nouns": [], "examples": [
        {"sentence": "Oil rose.", "trigger": "rose", "type": "market"}]}}}, "roles"),
    ({"argument_constraints": {"market": {"verbs": "all", "roles": ["subject"], "nouns": ["prices"], "examples": [
        {"sentence": "Oil rose.", "trigger": "rose", "type": "market"}]}}}, "unknown argument_nouns"),
    ({"argument_constraints": {"market": {"verbs": "all", "roles": ["subject"], "nouns": []}}}, "needs examples"),
])
def test_event_arguments_resource_is_validated(spec, message):
    verbs = {"rise": "market", "sue": "legal"}
    with pytest.raises(LexiconError, match=message):
        _build_argument_constraints(spec, verbs)
