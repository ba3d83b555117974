"""Cross-document merging: table-driven cases, the packaged examples, determinism, properties."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import random
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.merge import (
    MergeConfigError,
    load_settings,
    merge_examples,
    merge_mentions,
    name_tokens,
    names_match,
    parse_settings,
)
from extractors.resources import load_yaml
from extractors.schema import MODALITIES, EventDate, EventMention

_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11)}


def edate(value: str | None, basis: str = "explicit", mod: str | None = None,
          published: dt.date = dt.date(2023, 11, 6)) -> EventDate:
    """An EventDate for a TIMEX3 value, with the interval a tagger would give it (PAST_REF read
    against the article's publication date)."""
    if value is None:
        return EventDate()
    if value == "PAST_REF":
        return EventDate(value=value, end=published, granularity="ref", basis=basis)
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        d = dt.date(*map(int, m.groups()))
        return EventDate(value=value, mod=mod, start=d, end=d, granularity="day", basis=basis)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        y, mo = map(int, m.groups())
        return EventDate(value=value, mod=mod, start=dt.date(y, mo, 1),
                         end=dt.date(y, mo, calendar.monthrange(y, mo)[1]), granularity="month", basis=basis)
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA)", value):
        y, (a, b) = int(m.group(1)), _SEASONS[m.group(2)]
        return EventDate(value=value, start=dt.date(y, a, 1), end=dt.date(y, b, calendar.monthrange(y, b)[1]),
                         granularity="season", basis=basis)
    if re.fullmatch(r"\d{4}", value):
        y = int(value)
        return EventDate(value=value, start=dt.date(y, 1, 1), end=dt.date(y, 12, 31), granularity="year", basis=basis)
    return EventDate(value=value, granularity="unknown", basis=basis)  # XXXX-07 and friends: no interval


def mention(doc: str, summary: str, *, type: str = "statement", actors: tuple[str, ...] = (), date: str | None = None,
            basis: str = "explicit", modality: str = "asserted", lemma: str | None = None, start: int = 0,
            confidence: float = 0.6, locations: tuple[str, ...] = (),
            published: dt.date = dt.date(2023, 11, 6)) -> EventMention:
    trigger = lemma or summary.split()[1] if len(summary.split()) > 1 else summary
    return EventMention(
        doc_id=doc, sentence_index=start // 100, sentence=summary, trigger=trigger, trigger_lemma=lemma or trigger,
        trigger_start=start, trigger_end=start + len(trigger), clause_start=start, clause_end=start + len(summary),
        type=type, summary=summary, actors=actors, locations=locations, modality=modality,  # type: ignore[arg-type]
        date=edate(date, basis, published=published), confidence=confidence,
    )


def from_example(doc: str, raw: dict[str, Any]) -> EventMention:
    published = dt.date.fromisoformat(raw["published"]) if "published" in raw else dt.date(2023, 11, 6)
    return mention(doc, raw["summary"], type=raw["type"], actors=tuple(raw.get("actors", ())), date=raw.get("date"),
                   modality=raw.get("modality", "asserted"), lemma=raw.get("lemma"), basis=raw.get("basis", "explicit"),
                   published=published)


def groups(entries: list[Any]) -> list[set[tuple[str, int]]]:
    return [{(s.doc_id, s.start) for s in e.sources} for e in entries]


# --- the packaged examples ---------------------------------------------------------------------

@pytest.mark.parametrize(("family", "a", "b", "merged"), merge_examples(),
                         ids=[f"{f}-{i}" for i, (f, *_) in enumerate(merge_examples())])
def test_merge_yaml_examples(family: str, a: dict[str, Any], b: dict[str, Any], merged: bool) -> None:
    entries = merge_mentions([from_example("doc-a", a), from_example("doc-b", b)])
    assert len(entries) == (1 if merged else 2), [e.summary for e in entries]


def test_merge_yaml_family_types_are_event_types() -> None:
    lexicon = pytest.importorskip("extractors.event_lexicon").load_lexicon()
    listed = {t for fam in load_yaml("merge.yaml")["type_families"] for t in fam["types"]}
    assert listed <= set(lexicon.types), listed - set(lexicon.types)


@pytest.mark.parametrize(("patch", "message"), [
    ({"scorer": "levenshtein_magic"}, "scorer"),
    ({"weights": {"text": 0.9, "actors": 0.3, "trigger": 0.1}}, "sum to 1"),
    ({"thresholds": {**load_yaml("merge.yaml")["thresholds"], "merge": 1.5}}, "merge"),
    ({"thresholds": {**load_yaml("merge.yaml")["thresholds"], "merge": 0.9, "conflict": 0.8}}, "conflict"),
    ({"modality_groups": [["asserted", "negated"], ["planned"]]}, "partition"),
    ({"type_families": [{"name": "x", "types": ["meeting"], "examples": [{}]},
                        {"name": "y", "types": ["meeting"], "examples": [{}]}]}, "families"),
    ({"type_families": [{"name": "x", "types": ["meeting"]}]}, "examples"),
    ({"bogus_key": 1}, "unknown keys"),
    ({"basis_weight": {"explicit": 1.0}}, "basis_weight"),
    ({"once_per_participant": [{"name": "death", "lemmas": ["die"]}]}, "examples"),
    ({"once_per_participant": [{"name": "a", "lemmas": ["die"], "examples": [{}]},
                               {"name": "b", "lemmas": ["Die"], "examples": [{}]}]}, "two once_per_participant"),
    ({"once_per_participant": [{"name": "a", "lemmas": ["die"], "examples": [{}], "types": ["x"]}]}, "unknown keys"),
    ({"bonus": {"shared_actor_pair": 0.3, "same_type_trigger": 0.5}}, "once_per_participant"),
    ({"same_predicate": {"bonus": 1.5}}, "same_predicate.bonus"),
    ({"same_predicate": {"bonus": 0.3, "surprise": 1}}, "same_predicate: unknown keys"),
    ({"same_speaker": {"families": ["statement"], "retelling_min_text": 2}}, "retelling_min_text"),
    ({"same_sentence": {"lead_types": [], "extra": 1}}, "same_sentence: unknown keys"),
    ({"same_sentence": {"lead_types": [], "told_apart_sentences": 0}}, "told_apart_sentences"),
])
def test_merge_settings_reject_bad_config(patch: dict[str, Any], message: str) -> None:
    raw = {**load_yaml("merge.yaml"), **patch}
    with pytest.raises(MergeConfigError, match=message):
        parse_settings(raw)


# --- names -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "expected"), [
    ("Kim Jong-un", "Kim Jong Un", True),
    ("Kim", "Kim Jong Un", True),
    ("Kim Jong Un's", "Kim Jong Un", True),
    ("Putin", "Vladimir Putin", True),
    ("Vladimir Putin", "Russian President Vladimir Putin", True),
    ("Kamala Harris", "Harris", True),
    ("UN", "Kim Jong Un", False),
    ("U.S.", "US", True),
    ("Sergei Shoigu", "Vladimir Putin", False),
    ("North Korea", "South Korea", False),
    ("Jong", "Kim Jong Un", False),
])
def test_merge_names_match(a: str, b: str, expected: bool) -> None:
    assert names_match(name_tokens(a), name_tokens(b)) is expected


# --- table-driven merge cases ------------------------------------------------------------------

HARRIS = [
    mention("002", "Harris said it would be a huge mistake for North Korea to exchange military support with Russia",
            actors=("Kamala Harris",), date="2023-09-07", basis="relative", lemma="say", start=300),
    mention("003", "Harris expressed concerns that supplying ammunition to Russia would be a huge mistake",
            actors=("Vice President Kamala Harris",), lemma="express", start=120),
    mention("000", "Harris believes military support exchange between North Korea and Russia would be a huge mistake",
            actors=("Harris",), date="PAST_REF", basis="tense", lemma="believe", start=500),
    mention("004", "Harris said military support between North Korea and Russia would be a huge mistake",
            actors=("Kamala Harris",), lemma="say", start=40),
]

CASES: list[tuple[str, list[EventMention], list[set[tuple[str, int]]] | None]] = [
    # 003 re-tells the same remark months later in other words ("expressed concerns ... a huge mistake"):
    # the same speaker and enough shared wording make it the same statement (issue 15).
    ("same event, different wording, merges", HARRIS, [{("002", 300), ("000", 500), ("004", 40), ("003", 120)}]),
    # What was said identifies a statement: one speaker's remarks on other matters stay apart.
    ("one speaker's different remarks stay apart", [
        mention("002", "Seiler said Kim could be looking to fill shortfalls in military resources and food supplies",
                actors=("Sydney Seiler",), lemma="say", start=1),
        mention("004", "Seiler said Russia could agree to provide North Korea with satellite imagery",
                actors=("Seiler",), lemma="say", start=2),
        mention("000", "Seiler speculates that Russia's support might be aimed at filling shortfalls in military resources and food supplies",
                actors=("Sydney Seiler",), lemma="speculate", start=3),
    ], [{("002", 1), ("000", 3)}, {("004", 2)}]),
    ("an anonymous report does not join a named speaker's statement", [
        mention("002", "Harris said it would be a huge mistake for North Korea to supply Russia", actors=("Kamala Harris",),
                date="2023-09-07", lemma="say", start=1),
        mention("002", "a report this week said that Kim plans to travel to Russia this month to meet Putin",
                date="2023-W36", lemma="say", start=2),
    ], [{("002", 1)}, {("002", 2)}]),
    ("name variants merge", [
        mention("a", "Kim Jong-un plans to travel to Russia to meet Putin", type="visit", actors=("Kim Jong-un", "Vladimir Putin"),
                date="2023-09", basis="relative", modality="planned", lemma="travel", start=10),
        mention("b", "possible meeting between Kim Jong Un and Putin", type="meeting", actors=("Kim Jong Un", "Putin"),
                modality="possible", lemma="meeting", start=20),
        mention("c", "Kim's potential meeting with Russian President Vladimir Putin", type="meeting",
                actors=("Kim", "Russian President Vladimir Putin"), modality="possible", lemma="meeting", start=30),
    ], [{("a", 10), ("b", 20), ("c", 30)}]),
    # A plan and its occurrence, told in two articles of one story, are one event (across_parts.py)...
    ("a plan and its occurrence in one story are one event", [
        mention("a", "Kim plans to meet Putin in Russia", type="meeting", actors=("Kim Jong Un", "Putin"), date="2023-09",
                modality="planned", lemma="meet", start=1),
        mention("b", "Kim met Putin in Russia", type="meeting", actors=("Kim Jong Un", "Putin"), date="2023-09",
                lemma="meet", start=2),
    ], [{("a", 1), ("b", 2)}]),
    # ... but what could happen is no telling of what happened.
    ("possible is not asserted", [
        mention("a", "Kim could meet Putin in Russia", type="meeting", actors=("Kim Jong Un", "Putin"), date="2023-09",
                modality="possible", lemma="meet", start=1),
        mention("b", "Kim met Putin in Russia", type="meeting", actors=("Kim Jong Un", "Putin"), date="2023-09",
                lemma="meet", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("asserted is not negated", [
        mention("a", "Russia confirmed the talks with North Korea", actors=("Russia",), date="2023-09-05", lemma="confirm", start=1),
        mention("b", "Russia has not confirmed the talks with North Korea", actors=("Russia",), date="2023-09-05",
                modality="negated", lemma="confirm", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("undated joins dated", [
        mention("a", "Sydney Seiler retired as National Intelligence Officer for North Korea", type="retirement",
                actors=("Sydney Seiler",), date="2023-SU", basis="relative", lemma="retire", start=1),
        mention("b", "Seiler, who retired as national intelligence officer", type="retirement", actors=("Seiler",),
                lemma="retire", start=2),
    ], [{("a", 1), ("b", 2)}]),
    ("different actors stay apart", [
        mention("a", "Sergei Shoigu traveled to Pyongyang", type="visit", actors=("Sergei Shoigu",), date="2023-07", lemma="travel", start=1),
        mention("b", "Sergei Lavrov traveled to Pyongyang", type="visit", actors=("Sergei Lavrov",), date="2023-07", lemma="travel", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("a recurrence a month later is another event", [
        mention("a", "North Korea fired a ballistic missile into the East Sea", type="test_launch", actors=("North Korea",),
                date="2023-08-01", lemma="fire", start=1),
        mention("b", "North Korea fired a ballistic missile into the East Sea", type="test_launch", actors=("North Korea",),
                date="2023-09-01", lemma="fire", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("an undated mention does not bridge two dated events", [
        mention("a", "North Korea fired a ballistic missile into the East Sea", type="test_launch", actors=("North Korea",),
                date="2023-08-01", lemma="fire", start=1),
        mention("b", "North Korea fired a ballistic missile into the East Sea", type="test_launch", actors=("North Korea",),
                date="2023-09-01", lemma="fire", start=2),
        mention("c", "North Korea fired a ballistic missile into the East Sea", type="test_launch", actors=("North Korea",),
                lemma="fire", start=3),
    ], [{("a", 1), ("c", 3)}, {("b", 2)}]),
    ("summaries with no content word left do not match", [
        mention("a", "the case", type="legal", actors=("Apple Corps",), date="2023-09-05", lemma="case", start=1),
        mention("b", "the case", type="legal", date="PAST_REF", basis="tense", lemma="case", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("disjoint years are two claims, not a conflict", [
        mention("a", "the stock capital of Apple tripled", type="other", actors=("Apple Inc.",), date="2004", lemma="triple", start=1),
        mention("b", "the stock capital of Apple tripled", type="other", actors=("Apple Inc.",), date="2005", lemma="triple", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("one participant identifies a resignation, across wordings and articles", [
        mention("a", "Jobs resigned in a letter to the board of directors", type="retirement", actors=("Steve Jobs", "Apple"),
                date="PAST_REF", basis="tense", lemma="resign", start=1),
        mention("b", "On August 24, Jobs resigned from his post as CEO", type="retirement", actors=("Jobs",),
                date="2011-08-24", basis="relative", lemma="resign", start=2),
        mention("a", "his resignation", type="retirement", actors=("Steve Jobs",), date="PAST_REF", basis="tense",
                lemma="resignation", start=3),
    ], [{("a", 1), ("b", 2), ("a", 3)}]),
    ("a once-only event of another participant is another event", [
        mention("a", "Jobs resigned in a letter to his directors", type="retirement", actors=("Steve Jobs", "Apple"),
                date="2011-08-24", lemma="resign", start=1),
        mention("b", "Cook resigned from the board of Nike", type="retirement", actors=("Tim Cook", "Apple"),
                date="2011-08-24", lemma="resign", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("two people's resignations from one company on one day, worded alike, are two events", [
        mention("a", "Jobs resigned from the board of directors", type="retirement", actors=("Steve Jobs", "Apple"),
                date="2011-08-24", lemma="resign", start=1),
        mention("b", "Cook resigned from the board of Nike", type="retirement", actors=("Tim Cook", "Apple"),
                date="2011-08-24", lemma="resign", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("the same predicate's synonym with the same participant is one event however worded", [
        mention("a", "Tara Reid has checked herself into Promises Treatment Center", type="other",
                actors=("Tara Reid", "Promises Treatment Center"), date="2008-12-09", basis="relative", lemma="check", start=1),
        mention("b", "Reid has finally entered a rehab program on Tuesday", type="other", actors=("Reid",),
                date="2008-12-09", basis="relative", lemma="enter", start=2),
    ], [{("a", 1), ("b", 2)}]),
    ("the same predicate with two people's full names is two events", [
        mention("a", "Tara Reid has checked into rehab", type="other", actors=("Tara Reid",), date="PAST_REF",
                basis="tense", lemma="check", start=1),
        mention("b", "Lindsay Lohan has checked into a rehab facility", type="other", actors=("Lindsay Lohan",),
                date="PAST_REF", basis="tense", lemma="check", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("a later reference to the lead's event in the same article is that event", [
        mention("a", "Police arrested Bill Smith in Austin", type="other", actors=("Bill Smith",), locations=("Austin",),
                date="2009-01-05", basis="relative", lemma="arrest", start=1),
        mention("a", "the detention came after a long search", type="other", lemma="detention", start=500),
    ], [{("a", 1), ("a", 500)}]),
    ("the same predicate at one place, different articles, is one event", [
        mention("a", "A strong earthquake struck near Eureka on Saturday", type="other", locations=("Eureka",),
                date="2010-01-09", basis="relative", lemma="earthquake", start=1),
        mention("b", "the quake rattled buildings across the coast of Eureka", type="other", locations=("Eureka",),
                date="2010-01-09", basis="relative", lemma="quake", start=2),
    ], [{("a", 1), ("b", 2)}]),
    ("the same predicate at different places is two events", [
        mention("a", "A strong earthquake struck near Eureka", type="other", locations=("Eureka",),
                date="2010-01-09", basis="relative", lemma="earthquake", start=1),
        mention("b", "An earthquake struck near Padang", type="other", locations=("Padang",),
                date="2009-09-30", basis="relative", lemma="earthquake", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("one speaker's remarks in one article are one statement (an interview)", [
        mention("002", "Harris said on Thursday it would be a huge mistake", actors=("Kamala Harris",),
                date="2023-09-07", basis="relative", lemma="say", start=300),
        mention("002", "I also believe very strongly this will further isolate them, Harris said", actors=("Kamala Harris",),
                date="PAST_REF", basis="tense", lemma="say", start=900),
        mention("002", "Sullivan said on Tuesday that arms negotiations were advancing", actors=("Jake Sullivan",),
                date="2023-09-05", basis="relative", lemma="say", start=1200),
    ], [{("002", 300), ("002", 900)}, {("002", 1200)}]),
    ("one speaker's remarks told of one day in two articles are one statement", [
        mention("002", "Harris told CBS News in an interview that Russia was desperate", actors=("Kamala Harris", "CBS News"),
                date="2023-09-07", basis="relative", lemma="tell", start=300),
        mention("004", "Vice President Kamala Harris said military support would be a mistake", actors=("Kamala Harris",),
                date="2023-09-07", basis="relative", lemma="say", start=40),
    ], [{("002", 300), ("004", 40)}]),
    ("a full name and its surname agree beside other names", [
        mention("a", "Kim Jong Un will travel to Vladivostok for a summit", type="visit", actors=("Kim Jong Un", "North Korea"),
                date="2023-09", basis="relative", lemma="travel", modality="planned", start=1),
        mention("b", "Kim will travel to Vladivostok for the summit", type="visit", actors=("Kim", "Vladimir Putin"),
                date="2023-09", basis="relative", lemma="travel", modality="planned", start=2),
    ], [{("a", 1), ("b", 2)}]),
    ("a repeatable event needs more than its participant", [
        mention("a", "Jobs took medical leave to treat cancer", type="retirement", actors=("Steve Jobs",),
                date="2009-01", lemma="leave", start=1),
        mention("b", "Jobs was granted leave by the board", type="retirement", actors=("Steve Jobs",),
                date="PAST_REF", basis="tense", lemma="leave", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("an article cannot report as past what began after it was written", [
        mention("a", "the new hardware revealed at the annual Worldwide Developers Conference", type="meeting",
                actors=("Worldwide Developers Conference",), date="PAST_REF", basis="tense", lemma="conference", start=1),
        mention("b", "this year's Worldwide Developers Conference where the new hardware was revealed", type="meeting",
                actors=("Worldwide Developers Conference",), date="2023-12", basis="relative", lemma="conference", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("an article reporting an earlier event as past still joins it", [
        mention("a", "the new hardware revealed at the annual Worldwide Developers Conference", type="meeting",
                actors=("Worldwide Developers Conference",), date="PAST_REF", basis="tense", lemma="conference", start=1),
        mention("b", "this year's Worldwide Developers Conference where the new hardware was revealed", type="meeting",
                actors=("Worldwide Developers Conference",), date="2023-06", basis="relative", lemma="conference", start=2),
    ], [{("a", 1), ("b", 2)}]),
    ("a possessive 's is not a shared word", [
        mention("a", "Apple Computer's purchase of NeXT", type="transfer", actors=("Apple Computer", "NeXT"), date="1996",
                lemma="purchase", start=1),
        mention("b", "Justice Mann agreed with Apple Computer's defence", type="agreement", actors=("Anthony Mann", "Apple Computer"),
                date="PAST_REF", basis="tense", lemma="agree", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("predicates outside the taxonomy share no type", [
        mention("a", "the company to possess the trademark for iPhone", type="other", actors=("iPhone",), date="2007-01-10",
                lemma="possess", start=1),
        mention("b", "last week the company presented the iPhone", type="other", actors=("iPhone",), date="2007-01-10",
                basis="relative", lemma="present", start=2),
    ], [{("a", 1)}, {("b", 2)}]),
    ("an actorless mention does not chain two named speakers into one statement", [
        mention("a", "It is time for reform, he said", actors=("Michel Camdessus",), date="PAST_REF", basis="tense",
                lemma="say", start=1),
        mention("b", "The premier said it was time for reform", date="PAST_REF", basis="tense", lemma="say", start=2),
        mention("c", "he said it was time for reform", actors=("Tony Blair",), date="PAST_REF", basis="tense",
                lemma="say", start=3),
    ], None),
    ("actorless passive joins the named agent", [
        mention("a", "Washington imposed sanctions on entities tied to arms deals between North Korea and Russia", type="sanction",
                actors=("Washington",), date="2023-08", basis="relative", lemma="impose", start=1),
        mention("b", "Sanctions have already been imposed on entities allegedly involved in past arms deals", type="sanction",
                date="PAST_REF", basis="tense", lemma="impose", start=2),
    ], [{("a", 1), ("b", 2)}]),
]


@pytest.mark.parametrize(("name", "mentions", "expected"), CASES, ids=[c[0] for c in CASES])
def test_merge_groups_mentions(name: str, mentions: list[EventMention],
                               expected: list[set[tuple[str, int]]] | None) -> None:
    got = groups(merge_mentions(mentions))
    if expected is None:  # only that the first and last mention stay apart
        first, last = mentions[0], mentions[-1]
        assert not any({(first.doc_id, first.trigger_start), (last.doc_id, last.trigger_start)} <= g for g in got)
        return
    assert sorted(map(sorted, got)) == sorted(map(sorted, expected))


DATE_CASES: list[tuple[str, list[EventMention], str | None, str, list[tuple[str, tuple[str, ...]]]]] = [
    ("day beats month", [
        mention("a", "Sullivan warned Kim would pay a price", type="warning", actors=("Jake Sullivan",), date="2023-09",
                lemma="warn", start=1),
        mention("b", "Sullivan warned Kim that his country would pay a price", type="warning", actors=("Sullivan",),
                date="2023-09-05", basis="relative", lemma="warn", start=2),
    ], "2023-09-05", "relative", []),
    ("relative beats tense, undated ignored", [m for m in HARRIS if m.doc_id != "003"], "2023-09-07", "relative", []),
    ("tense dates: the earliest report bounds the event", [
        dataclasses.replace(
            mention("a", "Jobs went on medical leave from Apple", type="retirement", actors=("Steve Jobs",), lemma="leave",
                    start=1),
            date=EventDate(value="PAST_REF", end=dt.date(2011, 8, 25), granularity="ref", basis="tense")),
        EventMention(doc_id="b", sentence_index=0, sentence="s", trigger="leave", trigger_lemma="leave", trigger_start=5,
                     trigger_end=10, clause_start=0, clause_end=20, type="retirement", summary="Jobs went on medical leave from Apple",
                     actors=("Jobs",), date=EventDate(value="PAST_REF", end=dt.date(2011, 1, 17), granularity="ref", basis="tense")),
    ], "PAST_REF", "tense", []),
    ("incompatible days conflict", [
        mention("a", "Sullivan warned North Korea would pay a price for supplying Russia", type="warning",
                actors=("Jake Sullivan",), date="2023-09-05", basis="relative", lemma="warn", start=1),
        mention("b", "Sullivan warned North Korea would pay a price for supplying Russia", type="warning",
                actors=("Jake Sullivan",), date="2023-09-06", lemma="warn", start=2),
        mention("c", "Sullivan warned North Korea would pay a price for supplying Russia weapons", type="warning",
                actors=("Sullivan",), date="2023-09-06", basis="relative", lemma="warn", start=3),
    ], "2023-09-06", "explicit", [("2023-09-05", ("a",))]),
    ("tense date neither outvotes nor conflicts", [
        mention("a", "Kim plans to travel to Russia to meet Putin", type="visit", actors=("Kim Jong Un", "Putin"),
                date="2023-09", basis="relative", modality="planned", lemma="travel", start=1),
        EventMention(doc_id="b", sentence_index=0, sentence="s", trigger="meeting", trigger_lemma="meeting",
                     trigger_start=5, trigger_end=12, clause_start=0, clause_end=20, type="meeting",
                     summary="Kim's potential meeting with Putin in Russia", actors=("Kim", "Putin"), modality="possible",
                     date=EventDate(value="FUTURE_REF", start=dt.date(2023, 11, 6), granularity="ref", basis="tense")),
    ], "2023-09", "relative", []),
]


@pytest.mark.parametrize(("name", "mentions", "value", "basis", "conflicts"), DATE_CASES, ids=[c[0] for c in DATE_CASES])
def test_merge_entry_date(name: str, mentions: list[EventMention], value: str | None, basis: str,
                          conflicts: list[tuple[str, tuple[str, ...]]]) -> None:
    entries = merge_mentions(mentions)
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.date.value, entry.date.basis) == (value, basis)
    if name.startswith("tense dates"):
        assert entry.date.end == dt.date(2011, 1, 17)
    assert [(c.date, c.doc_ids) for c in entry.conflicts] == conflicts


def test_merge_conflict_lowers_confidence() -> None:
    agreeing = [mention(d, "Sullivan warned North Korea would pay a price", type="warning", actors=("Jake Sullivan",),
                        date="2023-09-05", lemma="warn", start=1) for d in ("a", "b", "c")]
    disputed = agreeing[:2] + [mention("c", "Sullivan warned North Korea would pay a price", type="warning",
                                       actors=("Jake Sullivan",), date="2023-09-08", lemma="warn", start=1)]
    (clean,), (conflicted,) = merge_mentions(agreeing), merge_mentions(disputed)
    assert not clean.conflicts and conflicted.conflicts[0].doc_ids == ("c",)
    assert conflicted.confidence < clean.confidence


def test_merge_entry_fields() -> None:
    names_case = next(ms for name, ms, _ in CASES if name == "name variants merge")
    (entry,) = merge_mentions(names_case)
    assert entry.actors == ("Kim Jong Un", "Vladimir Putin") or entry.actors == ("Kim Jong-un", "Vladimir Putin")
    assert entry.modality in ("planned", "possible")
    assert entry.date.value == "2023-09"
    assert [s.doc_id for s in entry.sources] == ["a", "b", "c"]
    assert re.fullmatch(r"[0-9a-f]{12}", entry.id)
    corroborated = entry.confidence
    (single,) = merge_mentions(names_case[:1])
    assert corroborated > single.confidence


def test_merge_sorted_by_date_undated_last() -> None:
    mentions = [
        mention("a", "Shoigu traveled to Pyongyang", type="visit", actors=("Shoigu",), date="2023-07", lemma="travel", start=1),
        mention("b", "Seiler spoke at a webinar", type="meeting", actors=("Seiler",), lemma="speak", start=2),
        mention("c", "Harris said it would be a huge mistake", actors=("Harris",), date="2023-09-07", lemma="say", start=3),
        mention("d", "Washington imposed sanctions", type="sanction", actors=("Washington",), date="2023-08", lemma="impose", start=4),
    ]
    entries = merge_mentions(mentions)
    assert [e.sources[0].doc_id for e in entries] == ["a", "d", "c", "b"]


def test_merge_ids_stable_and_unique() -> None:
    mentions = [m for _, ms, _ in CASES for m in ms]
    first = merge_mentions(mentions)
    again = merge_mentions(list(reversed(mentions)))
    assert [e.id for e in first] == [e.id for e in again]
    assert len({e.id for e in first}) == len(first)


def test_merge_empty() -> None:
    assert merge_mentions([]) == []


# --- determinism and properties ----------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_merge_shuffled_input_gives_identical_output(seed: int) -> None:
    mentions = [m for _, ms, _ in CASES for m in ms] + [m for _, ms, *_ in DATE_CASES for m in ms]
    expected = merge_mentions(mentions)
    shuffled = mentions[:]
    random.Random(seed).shuffle(shuffled)
    assert merge_mentions(shuffled) == expected


_NAMES = ["Kim Jong Un", "Kim Jong-un", "Kim", "Vladimir Putin", "Putin", "Kamala Harris", "Harris", "UN", "Russia",
          "North Korea", "", "  ", "Ünïcödé Nâme", "O'Brien", "-", "U.S."]
_WORDS = ["said", "huge", "mistake", "meet", "summit", "sanctions", "missile", "fired", "the", "a", "—", "", "Ü", "123"]


@st.composite
def mentions_strategy(draw: st.DrawFn) -> EventMention:
    start = draw(st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))))
    span = draw(st.integers(0, 800))
    end = draw(st.one_of(st.none(), st.just(start + dt.timedelta(days=span) if start else None),
                         st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))))
    value = draw(st.one_of(st.none(), st.sampled_from(["2023-09-07", "2023-09", "XXXX-07", "2023-SU", "PAST_REF",
                                                       "FUTURE_REF", "garbage", "", "2023-W36"])))
    date = EventDate(value=value, start=start, end=end,
                     granularity=draw(st.sampled_from(["day", "month", "season", "year", "ref", "unknown"])),
                     basis=draw(st.sampled_from(["explicit", "relative", "tense", "estimated", "none"])))
    summary = " ".join(draw(st.lists(st.sampled_from(_WORDS), max_size=8)))
    pos = draw(st.integers(0, 5000))
    return EventMention(
        doc_id=draw(st.sampled_from(["a", "b", "c", "d"])), sentence_index=draw(st.integers(0, 50)), sentence=summary,
        trigger=draw(st.sampled_from(_WORDS)), trigger_lemma=draw(st.sampled_from(_WORDS)), trigger_start=pos,
        trigger_end=pos + 3, clause_start=pos, clause_end=pos + 10,
        type=draw(st.sampled_from(["statement", "warning", "meeting", "visit", "other", "sanction"])),
        summary=summary, actors=tuple(draw(st.lists(st.sampled_from(_NAMES), max_size=3))),
        locations=tuple(draw(st.lists(st.sampled_from(_NAMES), max_size=2))),
        modality=draw(st.sampled_from(MODALITIES)), date=date,
        confidence=draw(st.floats(0.0, 1.0)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mentions_strategy(), max_size=30))
def test_merge_every_mention_in_exactly_one_entry(mentions: list[EventMention]) -> None:
    entries = merge_mentions(mentions)
    got = sorted((s.doc_id, s.sentence_index, s.start, s.end, s.sentence) for e in entries for s in e.sources)
    want = sorted((m.doc_id, m.sentence_index, m.trigger_start, m.trigger_end, m.sentence) for m in mentions)
    assert got == want
    assert len({e.id for e in entries}) == len(entries)
    for e in entries:
        assert 0.0 <= e.confidence <= 1.0
        assert e.modality in MODALITIES
        assert all(c.doc_ids for c in e.conflicts)
    keys = [(e.date.start is None, e.date.start or dt.date.min, e.id) for e in entries]
    assert keys == sorted(keys)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mentions_strategy(), max_size=20), st.randoms(use_true_random=False))
def test_merge_order_independent(mentions: list[EventMention], rnd: random.Random) -> None:
    shuffled = mentions[:]
    rnd.shuffle(shuffled)
    assert merge_mentions(shuffled) == merge_mentions(mentions)


def test_merge_settings_load() -> None:
    s = load_settings()
    assert s.families["visit"] == s.families["meeting"]
    assert s.modality_group_of["planned"] == s.modality_group_of["possible"] != s.modality_group_of["asserted"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mentions_strategy(), max_size=30))
def test_merge_in_independent_parts_equals_merging_at_once(mentions: list[EventMention]) -> None:
    """Type families and modality groups never meet, so merging them part by part (as the flow
    does in parallel) gives exactly the entries, ids and order of one merge."""
    assert merge_mentions(mentions, map_parts=map) == merge_mentions(mentions)


def test_merge_in_parts_numbers_colliding_ids_as_one_merge() -> None:
    # Found by the property test above: one trigger with two modalities gives two entries with one
    # id, in different parts; the parallel merge must suffix them as the serial merge does.
    base = EventMention(doc_id="a", sentence_index=0, sentence="said", trigger="said", trigger_lemma="said",
                        trigger_start=0, trigger_end=3, clause_start=0, clause_end=10, type="statement",
                        summary="said", actors=("Kim Jong Un",), locations=(), modality="asserted",
                        date=EventDate(value=None, start=None, end=None, granularity="day", basis="explicit"))
    mentions = [dataclasses.replace(base, sentence="", summary="", modality="planned"), base]
    serial = merge_mentions(mentions)
    assert len(serial) == 2 and len({e.id for e in serial}) == 2
    assert merge_mentions(mentions, map_parts=map) == serial == merge_mentions(mentions[::-1])


def test_merge_parts_in_worker_processes_equal_one_merge() -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    mentions = [
        mention("a", "Putin said the talks went well", actors=("Vladimir Putin",), date="2023-09-13"),
        mention("b", "Putin said talks went well", actors=("Putin",), date="2023-09-13"),
        mention("a", "Kim met Putin at the cosmodrome", type="meeting", actors=("Kim Jong Un", "Vladimir Putin"),
                date="2023-09-13"),
        mention("c", "Kim will meet Putin", type="meeting", actors=("Kim Jong Un", "Putin"), date="2023-09",
                modality="planned"),
        mention("c", "Washington imposed sanctions on entities", type="sanction", actors=("Washington",), date="2023-08"),
    ]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert merge_mentions(mentions, map_parts=pool.map) == merge_mentions(mentions)


def test_merge_event_senses_are_valid_groups() -> None:
    raw = load_yaml("event_senses.yaml")
    lemmas = [lemma for group in raw["groups"] for lemma in group]
    assert len(lemmas) == len(set(lemmas))
    senses = load_settings().sense_of
    assert senses["quake"] == senses["earthquake"] and senses["detain"] == senses["arrest"]
    assert senses["arrest"] != senses["earthquake"]


def _in_sentence(doc: str, trigger: str, start: int, *, type: str, actors: tuple[str, ...] = (),
                 date: str = "2023-07", sentence: int = 3) -> EventMention:
    sentence_text = ("Shoigu traveled to Pyongyang late July in an attempt to persuade North Korea to provide "
                     "weapons, and Kim met him; officials said so.")
    return EventMention(
        doc_id=doc, sentence_index=sentence, sentence=sentence_text, trigger=trigger, trigger_lemma=trigger,
        trigger_start=start, trigger_end=start + len(trigger), clause_start=0, clause_end=len(sentence_text),
        type=type, summary=f"{trigger} ...", actors=actors, locations=(), modality="asserted",
        date=edate(date, "relative"), confidence=0.6)


@pytest.mark.parametrize(("others", "joined"), [
    # the attempt and the persuading are details of the one trip the sentence tells
    ([("attempt", 40, "other", ())], {"traveled", "attempt"}),
    ([("attempt", 40, "other", ()), ("persuade", 54, "other", ("Shoigu",))], {"traveled", "attempt", "persuade"}),
    # a different date is another happening
    ([("attempt", 40, "other", (), "2023-08")], {"traveled"}),
])
def test_merge_untyped_details_join_the_one_typed_happening_of_their_sentence(others, joined):
    trip = _in_sentence("d", "traveled", 7, type="visit", actors=("Sergei Shoigu",))
    details = [_in_sentence("d", o[0], o[1], type=o[2], actors=o[3], date=o[4] if len(o) > 4 else "2023-07")
               for o in others]
    entries = merge_mentions([trip, *details])
    lead = next(e for e in entries if e.type == "visit")
    assert {s.trigger for s in lead.sources} == joined
    assert len(entries) == 1 + len(details) - (len(joined) - 1)


@pytest.mark.parametrize(("second_lead", "joined"), [
    # a caption the page prints twice: in each sentence the same happening, so one entry
    (True, True),
    # in the second sentence nothing typed: it may be a happening of its own
    (False, False),
])
def test_merge_untyped_detail_told_in_two_sentences_of_one_happening(second_lead, joined):
    leads = [_in_sentence("d", "webinar", 7, type="meeting", actors=("Sydney Seiler",), sentence=1)]
    if second_lead:
        leads.append(_in_sentence("d", "webinar", 207, type="meeting", actors=("Sydney Seiler",), sentence=2))
    seen = [_in_sentence("d", "seen", 40, type="other", actors=("Sydney Seiler",), sentence=1),
            _in_sentence("d", "seen", 240, type="other", actors=("Sydney Seiler",), sentence=2)]
    entries = merge_mentions([*leads, *seen])
    lead = next(e for e in entries if e.type == "meeting")
    assert ("seen" in {s.trigger for s in lead.sources}) is joined
    assert len(entries) == (1 if joined else 2)


def test_merge_joined_details_show_one_form_per_name():
    # "Kim Jong Un" and "Kim Jong-un" are one person when a sentence's details join its happening.
    trip = _in_sentence("d", "traveled", 7, type="visit", actors=("Kim Jong Un", "Vladimir Putin"))
    detail = _in_sentence("d", "attempt", 40, type="other", actors=("Kim Jong-un",))
    [entry] = merge_mentions([trip, detail])
    assert {s.trigger for s in entry.sources} == {"traveled", "attempt"}
    assert entry.actors == ("Kim Jong Un", "Vladimir Putin")


def test_merge_untyped_detail_never_bridges_two_happenings_of_one_sentence():
    trip = _in_sentence("d", "traveled", 7, type="visit", actors=("Sergei Shoigu",))
    talks = _in_sentence("d", "met", 90, type="meeting", actors=("Kim Jong Un",))
    said = _in_sentence("d", "said", 110, type="statement", actors=("officials",))
    attempt = _in_sentence("d", "attempt", 40, type="other")
    entries = merge_mentions([trip, talks, said, attempt])
    by_trigger = {frozenset(s.trigger for s in e.sources) for e in entries}
    # the visit and the meeting name different people: apart; the unnamed attempt fits both: joins neither
    assert frozenset({"attempt"}) in by_trigger


def test_merge_untyped_detail_joins_the_happening_its_date_expression_anchors():
    def anchored(trigger: str, start: int, type: str, actors: tuple[str, ...], timex: str) -> EventMention:
        return dataclasses.replace(_in_sentence("d", trigger, start, type=type, actors=actors), timex_text=timex)

    told = anchored("told", 30, "statement", ("Kamala Harris",), "Thursday")
    summit = anchored("summit", 10, "meeting", ("Asean",), "7 September")
    broadcast = anchored("broadcast", 60, "other", (), "Thursday")
    entries = merge_mentions([told, summit, broadcast])
    assert {frozenset(s.trigger for s in e.sources) for e in entries} == {frozenset({"told", "broadcast"}),
                                                                         frozenset({"summit"})}


def test_merge_reads_name_titles_from_the_callers_settings():
    # A role merge.yaml does not list, given by the caller: the entry's actors and id are those of
    # the bare name. (Merging read the packaged settings' titles whatever settings it was handed.)
    packaged = load_settings()
    custom = dataclasses.replace(packaged, name_titles=packaged.name_titles | {"commissar"})
    titled = mention("a", "Commissar Ivan Petrov resigned", type="resignation", actors=("Commissar Ivan Petrov",),
                     date="2023-05-02")
    bare = dataclasses.replace(titled, actors=("Ivan Petrov",))
    assert name_tokens("Commissar Ivan Petrov", custom.name_titles) == ("ivan", "petrov")
    assert name_tokens("Commissar Ivan Petrov") != ("ivan", "petrov")
    [with_title] = merge_mentions([titled], settings=custom)
    [without] = merge_mentions([bare], settings=custom)
    assert with_title.id == without.id
    assert merge_mentions([titled])[0].id != merge_mentions([bare])[0].id


# --- the same-story rule -------------------------------------------------------------------------

def _story_article(doc: str, background: str, summary: str, *, actors: tuple[str, ...], date: str | None,
                   basis: str = "explicit") -> list[EventMention]:
    """An article: a sentence of background (which story it tells) and the arrest it reports."""
    return [mention(doc, background, type="other", lemma="be", start=0),
            mention(doc, summary, type="legal", actors=actors, date=date, basis=basis, lemma="arrest", start=100)]


def test_merge_same_predicate_in_one_story_is_one_event_across_participants_named():
    """Two articles of one story (the Harlan Creek fire and its suspect) name different sides of its
    arrest ("deputies" / "Marcus Dell"): one event. The look-alike arrest of another story (a Leeds
    robbery) stays apart though it is the same predicate on the same day."""
    mentions = [
        *_story_article("a", "The Harlan Creek fire near Sacramento burned 4,000 acres before crews contained it.",
                        "Deputies arrested a suspect in the Harlan Creek fire on Monday", actors=("Deputies",),
                        date="2024-03-04"),
        *_story_article("b", "Marcus Dell is accused of starting the Harlan Creek fire that burned 4,000 acres near Sacramento.",
                        "Marcus Dell was arrested over the Harlan Creek fire", actors=("Marcus Dell",),
                        date=None, basis="none"),
        *_story_article("c", "Two men robbed a jewellery shop in Leeds city centre, West Yorkshire Police said.",
                        "Police arrested two men over the Leeds jewellery robbery on Monday", actors=("West Yorkshire Police",),
                        date="2024-03-04"),
    ]
    arrests = [sorted(s.doc_id for s in e.sources) for e in merge_mentions(mentions) if e.type == "legal"]
    assert sorted(arrests) == [["a", "b"], ["c"]]
    off = dataclasses.replace(load_settings(), sense_same_story=False)
    assert sorted(sorted(s.doc_id for s in e.sources) for e in merge_mentions(mentions, settings=off)
                  if e.type == "legal") == [["a"], ["b"], ["c"]]


def test_merge_same_story_plural_noun_is_the_same_predicate():
    """A plural noun names the story's event as well as the verb does ("the arrests" of the suspects
    another article says were arrested): in one story it is the same predicate (issue 15; ECB+)."""
    background = "Two suspects were held after the Harlan Creek fire burned 4,000 acres near Sacramento."
    plural = dataclasses.replace(
        mention("b", "The arrests followed a week of searches around Harlan Creek", type="legal", lemma="arrest",
                start=100), trigger="arrests")
    mentions = [
        mention("a", background, type="other", lemma="be", start=0),
        mention("a", "Deputies arrested two suspects over the Harlan Creek fire", type="legal", actors=("Deputies",),
                date="2024-03-04", lemma="arrest", start=100),
        mention("b", background, type="other", lemma="be", start=0),
        plural,
    ]
    arrests = [sorted(s.doc_id for s in e.sources) for e in merge_mentions(mentions) if e.type == "legal"]
    assert arrests == [["a", "b"]]


def test_merge_same_story_pair_joins_clusters_naming_different_sides():
    """The same predicate in one story is certain: it joins clusters that each name another side of
    the event ("deputies" arrested / "Marcus Dell" was arrested) however little their wording shares."""
    mentions = [
        *_story_article("a", "The Harlan Creek fire near Sacramento burned 4,000 acres before crews contained it.",
                        "Deputies arrested him", actors=("Deputies",), date="2024-03-04"),
        *_story_article("b", "Marcus Dell is accused of starting the Harlan Creek fire that burned 4,000 acres near Sacramento.",
                        "Marcus Dell was arrested at his home in Auburn after a tip", actors=("Marcus Dell",),
                        date="2024-03-04"),
    ]
    arrests = [sorted(s.doc_id for s in e.sources) for e in merge_mentions(mentions) if e.type == "legal"]
    assert arrests == [["a", "b"]]


# --- one sense per collection (merge/sense_types.py) ---------------------------------------------

def test_untyped_mention_takes_the_type_of_its_sense_and_joins_its_event() -> None:
    from extractors.merge.sense_types import typed_by_sense

    typed = [mention(f"doc-{k}", "Tara Reid checked into Promises Treatment Center", type="health", lemma="check into",
                     actors=("Tara Reid", "Promises Treatment Center"), date="2008-12-09", start=0) for k in "ab"]
    untyped = dataclasses.replace(mention("doc-c", "Reid checked in on Tuesday", type="other", lemma="check into",
                                          actors=("Tara Reid",), date="2008-12-09", start=0), tense="past")
    other_sense = dataclasses.replace(mention("doc-c", "the actress thanked fans", type="other", lemma="thank",
                                              start=200), tense="past")
    # A noun left untyped (no tense: "the check-in desk") keeps its type.
    noun = mention("doc-d", "the check-in desk", type="other", lemma="check into", start=300)
    retyped = typed_by_sense([*typed, untyped, other_sense, noun], load_settings())
    assert [m.type for m in retyped] == ["health", "health", "health", "other", "other"]
    entries = merge_mentions([*typed, untyped, other_sense])
    assert sorted(len(e.sources) for e in entries) == [1, 3]
    assert len(merge_mentions([*typed, dataclasses.replace(untyped, tense=None), other_sense])) == 3
    assert {e.type for e in entries if len(e.sources) == 3} == {"health"}


def test_typed_mentions_keep_their_type_and_one_typed_mention_proves_nothing() -> None:
    from extractors.merge.sense_types import typed_by_sense

    raid = mention("doc-a", "troops killed ten militants", type="military_action", lemma="kill", actors=("Army",))
    verdict = mention("doc-b", "the jury found he killed ten people", type="legal", lemma="kill", actors=("Smith",))
    untyped = dataclasses.replace(mention("doc-c", "the man killed ten", type="other", lemma="kill"), tense="past")
    # Two typed mentions, split one to one: no type holds the share; the untyped one stays untyped.
    assert [m.type for m in typed_by_sense([raid, verdict, untyped], load_settings())] == [
        "military_action", "legal", "other"]
    assert [m.type for m in typed_by_sense([raid, untyped], load_settings())] == ["military_action", "other"]


# --- the same predicate across type families and modality groups (merge/across_parts.py) ----------

def _oscars_article(doc: str, summary: str, **kw: Any) -> list[EventMention]:
    """An article of the story of Ellen DeGeneres hosting the Oscars: a sentence of background and the event."""
    background = "Ellen DeGeneres returns to the Academy Awards stage at the Dolby Theatre in Hollywood."
    return [mention(doc, background, type="other", lemma="return", start=0),
            mention(doc, summary, actors=("Ellen DeGeneres",), start=100, **kw)]


ACROSS_CASES = [
    # (name, second article's mention, joined)
    ("a plan joins its occurrence", dict(summary="Ellen DeGeneres will host the Oscars ceremony", type="meeting",
                                         lemma="host", modality="planned", date="FUTURE_REF", basis="tense"), True),
    ("one trigger typed two ways is one event", dict(summary="Ellen DeGeneres hosts the Oscars ceremony", type="ceremony",
                                                     lemma="host", date="PAST_REF", basis="tense"), True),
    ("what would happen is not what happened", dict(summary="Ellen DeGeneres would host the Oscars ceremony",
                                                    type="meeting", lemma="host", modality="hypothetical"), False),
    ("another year's ceremony is another event", dict(summary="Ellen DeGeneres will host the Oscars ceremony",
                                                      type="meeting", lemma="host", modality="planned", date="2030"), False),
]


@pytest.mark.parametrize(("name", "second", "joined"), ACROSS_CASES, ids=[c[0] for c in ACROSS_CASES])
def test_merge_across_parts_same_predicate_in_one_story(name: str, second: dict[str, Any], joined: bool) -> None:
    first = _oscars_article("a", "Ellen DeGeneres hosted the Oscars ceremony on Sunday", type="meeting", lemma="host",
                            date="2014-03-02", basis="relative")
    summary = second.pop("summary")
    mentions = [*first, *_oscars_article("b", summary, **second)]
    hosts = [sorted(s.doc_id for s in e.sources) for e in merge_mentions(mentions) if e.trigger != "return"]
    assert sorted(hosts) == ([["a", "b"]] if joined else [["a"], ["b"]])
    if joined:
        (entry,) = [e for e in merge_mentions(mentions) if e.trigger != "return"]
        assert entry.date.value == "2014-03-02"  # the best-dated source's date
        off = dataclasses.replace(load_settings(), across_modalities=frozenset())
        assert sorted(sorted(s.doc_id for s in e.sources) for e in merge_mentions(mentions, settings=off)
                      if e.trigger != "return") == [["a"], ["b"]]


def test_merge_across_parts_one_entry_per_part():
    """Two hostings the merge keeps apart (2014, 2007) stay apart: an undated plan of the story joins
    one of them at most, never both."""
    mentions = [
        *_oscars_article("a", "Ellen DeGeneres hosted the Oscars ceremony in 2014", type="meeting", lemma="host", date="2014"),
        *_oscars_article("b", "Ellen DeGeneres hosted the Oscars ceremony in 2007", type="meeting", lemma="host", date="2007"),
        *_oscars_article("c", "Ellen DeGeneres will host the Oscars ceremony", type="meeting", lemma="host",
                         modality="planned"),
    ]
    hosts = [sorted(s.doc_id for s in e.sources) for e in merge_mentions(mentions) if e.trigger != "return"]
    assert len(hosts) == 2 and ["a", "b"] not in hosts and not any({"a", "b"} <= set(h) for h in hosts)


# --- a statement and the clause it reports (merge/same_sentence.py) ---------------------------------

@pytest.mark.parametrize(("name", "reported", "joined"), [
    ("a clause with its own subject is what is said", ("the actress checked into rehab", "health", "checked into", 40, "past"), False),
    ("an occasion with no subject of its own is the saying's", ("webinar", "meeting", "webinar", 70, None), True),
])
def test_merge_same_sentence_saying_and_said(name: str, reported: tuple[str, str, str, int, str | None], joined: bool) -> None:
    sentence = "A spokesman said on Thursday the actress checked into rehab, speaking at a webinar."
    said = dataclasses.replace(mention("a", sentence, type="statement", actors=("Jack Ketsoyan",), date="2013-05-02",
                                       basis="relative", lemma="say", start=1), trigger="said",
                               trigger_start=12, trigger_end=16, clause_start=0, clause_end=len(sentence), tense="past")
    clause, type_, trigger, at, tense = reported
    start = sentence.index(trigger)
    # Named by neither (the one participant, the date): only what each predicate is tells them apart.
    other = dataclasses.replace(mention("a", clause, type=type_, date="2013-05-02",
                                        basis="relative", lemma=trigger, start=1), sentence=sentence, trigger=trigger,
                                trigger_start=start, trigger_end=start + len(trigger), tense=tense,
                                clause_start=sentence.index("the actress") if tense else start, clause_end=len(sentence))
    entries = merge_mentions([said, other])
    assert len(entries) == (1 if joined else 2)


# --- two events one sentence mentions together (merge/same_sentence.py) ----------------------------

def _told_in(sentences: int, summary: str, *, type: str, lemma: str, first: int, elsewhere: int) -> Any:
    """The entry of one event of article "a" told in the shared sentence (index 0) and in `sentences`
    more, from sentence index `elsewhere` on."""
    told = [mention("a", summary, type=type, actors=("Kim Jong Un",), date="2023-09-12", basis="relative",
                    lemma=lemma, start=100 * (elsewhere + k if k else 0) + first) for k in range(sentences + 1)]
    (entry,) = merge_mentions(told)
    assert len(entry.sources) == sentences + 1
    return entry


@pytest.mark.parametrize(("trip_elsewhere", "talks_elsewhere", "joined"), [
    (0, 0, True),    # one sentence only: "Kim travelled to Vladivostok to hold talks with Putin"
    (0, 3, True),    # the purpose told only in the trip's sentence
    (1, 1, True),    # each told once more (a re-telling): still one happening
    (2, 2, False),   # each told on its own again and again: two events one sentence mentions together
    (3, 2, False),
])
def test_merge_same_sentence_events_told_apart_stay_apart(trip_elsewhere: int, talks_elsewhere: int, joined: bool) -> None:
    from extractors.merge.same_sentence import _join_same_sentence

    trip = _told_in(trip_elsewhere, "Kim travelled to Vladivostok", type="visit", lemma="travel", first=1, elsewhere=1)
    talks = _told_in(talks_elsewhere, "Kim held talks with Putin", type="negotiation", lemma="talk", first=50, elsewhere=10)
    out = _join_same_sentence([trip, talks], load_settings())
    assert len(out) == (1 if joined else 2)
