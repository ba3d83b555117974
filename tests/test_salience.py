"""Salience, rank, key and headline of timeline entries (extractors/salience.py, extractors/headline.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from extractors.headline import clause_of, clean_sentence, headline_of, is_complete
from extractors.resources import load_yaml
from extractors.salience import (
    SalienceConfigError,
    key_count,
    load_settings,
    not_key_reason,
    parse_settings,
    rank_entries,
)
from extractors.schema import EventDate, Source, TimelineEntry


def source(sentence: str, *, doc: str = "a", index: int = 3, trigger: str = "", timex: str | None = None,
           value: str | None = None) -> Source:
    return Source(doc_id=doc, sentence_index=index, sentence=sentence, start=10 * index, end=10 * index + 4,
                  timex_text=timex, timex_value=value, trigger=trigger)


def entry(entry_id: str, *sources: Source, trigger: str = "met", type: str = "meeting", date: str | None = "2023-09-07",
          basis: str = "explicit", granularity: str = "day", actors: tuple[str, ...] = ("Kim Jong Un",),
          locations: tuple[str, ...] = (), modality: str = "asserted", summary: str = "Kim met Putin") -> TimelineEntry:
    day = dt.date(2023, 9, 7) if date else None
    return TimelineEntry(
        id=entry_id, date=EventDate(value=date, start=day, end=day, granularity=granularity, basis=basis),  # type: ignore[arg-type]
        type=type, trigger=trigger, summary=summary, actors=actors, locations=locations,
        modality=modality, confidence=0.6, sources=sources or (source("Kim met Putin in Vladivostok on Thursday."),),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(("sentence", "trigger", "expected"), [
    # the reporter's sentence as it is
    ("Washington imposed sanctions on entities last month.", "imposed", "Washington imposed sanctions on entities last month."),
    # a caption's asides go
    ("Kamala Harris (centre) talks to Narendra Modi (left) in Jakarta on 7 September 2023.", "talks",
     "Kamala Harris talks to Narendra Modi in Jakarta on 7 September 2023."),
    # a leading connective goes, the capital moves
    ("However, Sydney Seiler said the limits would hold for years.", "said", "Sydney Seiler said the limits would hold for years."),
    # of two independent clauses, the one naming the event, as a sentence
    ("US officials have warned in recent days that talks are advancing, and a report this week said that Kim plans "
     "to travel to Russia to meet Putin.", "travel",
     "A report this week said that Kim plans to travel to Russia to meet Putin."),
    ("US officials have warned in recent days that talks are advancing, and a report this week said that Kim plans "
     "to travel to Russia to meet Putin.", "warned", "US officials have warned in recent days that talks are advancing."),
    # a list is not clauses
    ("North Korea supplied rockets, shells, and rifles to the Wagner group in December.", "supplied",
     "North Korea supplied rockets, shells, and rifles to the Wagner group in December."),
])
def test_headline_of_one_source(sentence: str, trigger: str, expected: str) -> None:
    got = headline_of(entry("e1", source(sentence, trigger=trigger), trigger=trigger))
    assert got == expected
    assert is_complete(got)


def test_headline_prefers_the_reporters_dated_sentence_over_a_quote_and_a_fragment() -> None:
    e = entry("e1",
              source("“I think it would be a huge mistake,” Harris said.", index=6, trigger="said"),
              source("it would be a huge mistake", index=2, trigger="said"),
              source("Harris said on Thursday it would be a huge mistake for North Korea to arm Russia.", index=3,
                     trigger="said", timex="on Thursday", value="2023-09-07"),
              trigger="said", type="statement")
    assert headline_of(e) == "Harris said on Thursday it would be a huge mistake for North Korea to arm Russia."


def test_headline_title_line_gets_a_period_and_a_fragment_becomes_a_sentence() -> None:
    title = "US Vice-President Harris says North Korea military support for Russia would be a huge mistake"
    assert headline_of(entry("e1", source(title, index=0, trigger="says"), trigger="says")) == title + "."
    assert headline_of(entry("e2", source("he is turning", index=5, trigger="turning"), trigger="turning")) == "He is turning."


@pytest.mark.parametrize(("sentence", "complete"), [
    ("Washington imposed sanctions on entities last month.", True),
    ("“The worst case is that this goes to the next level,” he said.", True),
    ("How is the international community responding to these developments?", False),
    ("He is turning.", False),
    ("its ongoing war in Ukraine", False),
])
def test_headline_is_complete(sentence: str, complete: bool) -> None:
    assert is_complete(clean_sentence(sentence)) is complete


def test_headline_clause_of_keeps_a_sentence_without_the_trigger() -> None:
    text = "Talks are advancing in the capital today, and a report said that Kim plans to travel to Russia."
    assert clause_of(text, "missing") == text


@pytest.mark.parametrize(("changes", "reason"), [
    ({}, None),
    ({"trigger": "think", "type": "statement"}, "opinion"),
    ({"trigger": "believes", "type": "statement"}, "opinion"),
    ({"trigger": "is", "type": "other"}, "generic predicate"),
    # "what North Korea stands to gain" is no event; "the index gained 2 percent", typed, is one
    ({"trigger": "gain", "type": "other"}, "generic predicate"),
    ({"trigger": "gained", "type": "market", "actors": ("Nikkei 225",)}, None),
    ({"actors": (), "locations": ()}, "no participant or place"),
    ({"actors": (), "locations": ("Jakarta",)}, None),
    ({"date": "PAST_REF", "basis": "tense", "granularity": "ref"}, "no place in time"),
    ({"date": None, "basis": "none", "granularity": "unknown"}, "no place in time"),
])
def test_salience_not_key_reason(changes: dict[str, Any], reason: str | None) -> None:
    assert not_key_reason(entry("e1", **changes), load_settings()) == reason


def test_salience_question_is_never_key() -> None:
    e = entry("e1", source("How is the community responding to the talks?", trigger="responding"), trigger="responding")
    assert not_key_reason(e, load_settings()) == "question"


@pytest.mark.parametrize(("articles", "keys"), [(0, 0), (1, 6), (5, 11), (100, 19), (5000, 31), (10**9, 40)])
def test_salience_key_count_grows_with_the_log_of_articles(articles: int, keys: int) -> None:
    assert key_count(articles, load_settings()) == keys


def test_salience_ranks_by_signals_and_keys_one_per_headline() -> None:
    lead = source("Kim met Putin in Vladivostok on Thursday.", index=0, trigger="met")
    reported = entry("reported", lead, source("Kim met Putin in Vladivostok on Thursday.", doc="b", index=1, trigger="met"))
    same_sentence = entry("same-sentence", lead, type="visit", trigger="met")
    opinion = entry("opinion", source("Analysts think the summit will change little.", index=0, trigger="think"),
                    trigger="think", type="statement")
    tense_only = entry("tense", source("Kim has visited Russia before, officials said.", index=9, trigger="visited"),
                       trigger="visited", date="PAST_REF", basis="tense", granularity="ref")
    ranked = {e.id: e for e in rank_entries([tense_only, opinion, same_sentence, reported], n_articles=2)}
    assert ranked["reported"].rank == 1 and ranked["reported"].key
    assert ranked["reported"].salience > ranked["same-sentence"].salience > ranked["tense"].salience
    assert not ranked["same-sentence"].key  # the same headline as a key entry
    assert not ranked["opinion"].key and not ranked["tense"].key
    assert sorted(e.rank for e in ranked.values()) == [1, 2, 3, 4]
    assert all(0.0 <= e.salience <= 1.0 for e in ranked.values())
    assert ranked["reported"].headline == "Kim met Putin in Vladivostok on Thursday."


@pytest.mark.parametrize("changes", [
    {"trigger": "believes", "type": "statement"},  # an opinion
    {"trigger": "is", "type": "other"},  # a generic statement
    {"date": "PRESENT_REF", "basis": "tense", "granularity": "ref"},  # no place in time
    {"trigger": "seen", "type": "other"},  # an irregular form of a generic predicate ("is seen speaking")
])
def test_salience_entry_not_eligible_ranks_below_the_events(changes: dict[str, Any]) -> None:
    # Told in the lead of all four articles, it still ranks below an event one article dates.
    told = tuple(source("Officials said the talks are advancing.", doc=doc, index=0, trigger="said") for doc in "abcd")
    not_eligible = entry("told-everywhere", *told, **changes)
    event = entry("event", source("Kim met Putin in Vladivostok on Thursday.", doc="a", index=8, trigger="met"))
    ranked = {e.id: e for e in rank_entries([not_eligible, event], n_articles=4)}
    assert ranked["event"].rank == 1 and ranked["told-everywhere"].rank == 2
    assert not ranked["told-everywhere"].key
    assert ranked["told-everywhere"].salience <= 0.5 * rank_entries([entry("told-everywhere", *told)], n_articles=4)[0].salience


def test_salience_modality_lowers_salience() -> None:
    asserted, negated = rank_entries([entry("a"), entry("n", modality="negated")], n_articles=1)
    assert negated.salience < asserted.salience


@pytest.mark.parametrize(("edit", "message"), [
    (lambda raw: raw["weights"].update(articles=0.9), "sum to 1"),
    (lambda raw: raw["modality"].pop("negated"), "modality must list"),
    (lambda raw: raw.update(surprise=1), "unknown keys"),
    (lambda raw: raw["key"].pop("max"), "key must give"),
    (lambda raw: raw.update(not_eligible_factor=1.5), "not_eligible_factor must be a number in"),
])
def test_salience_settings_validated(edit: Any, message: str) -> None:
    import copy

    raw = copy.deepcopy(load_yaml("salience.yaml"))
    edit(raw)
    with pytest.raises(SalienceConfigError, match=message):
        parse_settings(raw)


@pytest.mark.parametrize(("at_word", "expected"), [
    ("said on", "US Vice-President Kamala Harris said on Thursday it would be a 'huge mistake' for North Korea "
                "to exchange military support with Russia."),
    ("said there", "A top former US intelligence official said there would likely be limits to what Pyongyang "
                   "would get in return."),
])
def test_headline_of_states_the_clause_of_the_sources_own_trigger(at_word, expected) -> None:
    sentence = ("US Vice-President Kamala Harris said on Thursday it would be a 'huge mistake' for North Korea to "
                "exchange military support with Russia, while a top former US intelligence official said there "
                "would likely be limits to what Pyongyang would get in return.")
    source = Source(doc_id="d", sentence_index=3, sentence=sentence, start=0, end=4, timex_text=None,
                    timex_value=None, trigger="said", trigger_in_sentence=sentence.index(at_word))
    statement = TimelineEntry(id="e", date=EventDate(), type="statement", trigger="said", summary="said",
                              actors=(), locations=(), modality="asserted", confidence=0.6, sources=(source,))
    assert headline_of(statement) == expected


def test_salience_weighs_every_event_type_of_the_taxonomy() -> None:
    """A type added to event_types.yaml gets a weight of its own, not the default of untyped predicates:
    a market's move or a court's verdict was once weighed as "other" and never reached the key list."""
    types = set(load_yaml("event_types.yaml")["types"])
    weighed = set(load_yaml("salience.yaml")["types"])
    assert types - weighed == set()
