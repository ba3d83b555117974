"""The tagger's window prefilter: what a rule requires is read soundly from its pattern, so
skipping windows without it never changes what is tagged."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import timex
from extractors.timex_rules import DIGIT_MARK, fold_case, load_resources, required_text

LEXICON = {"month": {"january": "01", "jan": "01", "sept": "09", "september": "09"}}


@pytest.mark.parametrize("pattern,classes,expected", [
    # A literal word is required; an optional one is not.
    (r"(?:the\s+)?weekend", {}, [{"weekend"}]),
    # Alternatives require one of what each requires.
    (r"(?:last|next)\s+week", {}, [{"week"}, {"last", "next"}]),
    # A class group requires one of its surfaces (the shortest that the others contain).
    (r"(?P<month>(?:january|jan|september|sept)\.?)\s+\d+", {"month": "month"}, [{"jan", "sept"}, {DIGIT_MARK}]),
    # A digit, and a branch that may be a digit or a word.
    (r"\d\d?\s*(?:am|noon)", {}, [{DIGIT_MARK}]),
    (r"(?:\d+|noon)\s+sharp", {}, [{"sharp"}, {DIGIT_MARK, "noon"}]),
    # Lookarounds and optional groups require nothing.
    (r"(?<=\bon\s)(?:early\s+)?x", {}, []),
])
def test_timex_prefilter_required_text(pattern: str, classes: dict[str, str], expected: list[set[str]]) -> None:
    regex = re.compile(pattern, re.IGNORECASE)
    assert [set(r) for r in required_text(regex, classes, LEXICON)] == expected


def _contains(text: str, requirement: frozenset[str]) -> bool:
    return any(s in fold_case(text) for s in requirement if s != DIGIT_MARK) or (
        DIGIT_MARK in requirement and re.search(r"\d", text) is not None)


def test_timex_prefilter_every_example_match_holds_its_rule_requirements() -> None:
    res = load_resources()
    checked = 0
    for rule in res.rules:
        for example in rule.examples:
            for m in rule.regex.finditer(example.text):
                for requirement in rule.requirements:
                    assert _contains(m.group(0), requirement), (rule.name, m.group(0), sorted(requirement))
                checked += 1
    assert checked > 150
    assert sum(1 for rule in res.rules if rule.requirements) > 0.8 * len(res.rules)


def test_timex_prefilter_case_folding_covers_every_character_that_matches_ascii() -> None:
    # Unicode has a few characters that a case-insensitive regex matches to an ASCII letter
    # (the Kelvin sign to "k", the long s to "s", dotted and dotless i): each must fold to it.
    letter = re.compile("[a-z]", re.IGNORECASE)
    for code in range(0x110000):
        char = chr(code)
        if letter.fullmatch(char):
            folded = fold_case(char)
            assert len(folded) == 1 and re.fullmatch(folded, char, re.IGNORECASE), hex(code)
    assert fold_case("KELVIN \u212a, \u017fpring, \u0130STANBUL") == "kelvin k, spring, istanbul"


@pytest.fixture(scope="module")
def unfiltered_resources():
    res = load_resources()
    return dataclasses.replace(
        res, rules=tuple(dataclasses.replace(r, requirements=()) for r in res.rules),
        negatives=tuple(dataclasses.replace(n, requirements=()) for n in res.negatives))


_WORDS = st.sampled_from(["Sept.", "7", "2023", "last", "week", "the", "Friday", "night", "MARCH", "\u212aelvin",
                          "quarter", "third", "fiscal", "1990", "years", "ago", "now", "$", "5", "million", "noon",
                          "Christmas", "Eve", "early", "\u017fummer", "spring", "a", "day", "earlier", "two",
                          "decade", "per", "hour", "10:30", "p.m.", "\u0130n", "recent", "days", ",", "\n\n"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(_WORDS, min_size=1, max_size=40), dct=st.one_of(st.none(), st.dates()))
def test_timex_prefilter_changes_nothing(nlp, unfiltered_resources, monkeypatch_module, words, dct) -> None:
    text = " ".join(words)
    doc = nlp(text)
    filtered = timex.tag_timexes(text, dct, doc)
    with monkeypatch_module.context() as patch:
        patch.setattr(timex, "load_resources", lambda: unfiltered_resources)
        assert timex.tag_timexes(text, dct, doc) == filtered


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_timex_prefilter_skips_windows(nlp) -> None:
    text = "Shares rose 5 percent to $30 in trading on Friday, the company said. " * 3
    windows = timex._Windows(text, timex._windows(text, load_resources()))
    month_rules = [r for r in load_resources().rules if r.name == "month_day_year"]
    assert windows.windows and month_rules
    assert windows.holding(month_rules[0].requirements) == []
    assert [t.value for t in timex.tag_timexes(text, dt.date(2023, 9, 8), nlp(text))] == ["2023-09-08"] * 3
