"""Every example attached to a timex rule, modifier, negative pattern and lexicon class is a test."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.timex import tag_timexes
from extractors.timex_rules import Example, TimexResourceError, _compile_pattern, load_resources

RES = load_resources()

RULE_EXAMPLES = [pytest.param(ex, id=f"{rule.name}:{ex.span}") for rule in RES.rules for ex in rule.examples]
MODIFIER_EXAMPLES = [pytest.param(ex, id=f"{m.name}:{ex.span}") for m in RES.modifiers for ex in m.examples]
NEGATIVE_EXAMPLES = [pytest.param(ex, id=f"{n.name}:{ex.span}") for n in RES.negatives for ex in n.examples]
LEXICON_EXAMPLES = [pytest.param(cls, surface, value, id=f"{cls}:{surface}")
                    for cls, examples in RES.lexicon_examples.items() for surface, value in examples.items()]


def _tag(ex: Example, nlp) -> list:
    dct = dt.date.fromisoformat(ex.dct) if ex.dct else None
    return tag_timexes(ex.text, dct, nlp(ex.text))


def _check(ex: Example, nlp) -> None:
    found = _tag(ex, nlp)
    if ex.value is None:
        assert all(t.text != ex.span for t in found), found
        return
    matches = [t for t in found if t.text == ex.span]
    assert matches, f"{ex.span!r} not tagged in {ex.text!r}; got {[(t.text, t.value) for t in found]}"
    assert matches[0].value == ex.value
    if ex.mod is not None:
        assert matches[0].mod == ex.mod
    if ex.type is not None:
        assert matches[0].type == ex.type


@pytest.mark.parametrize("ex", RULE_EXAMPLES)
def test_timex_rule_examples(ex: Example, nlp) -> None:
    _check(ex, nlp)


@pytest.mark.parametrize("ex", MODIFIER_EXAMPLES)
def test_timex_modifier_examples(ex: Example, nlp) -> None:
    _check(ex, nlp)


@pytest.mark.parametrize("ex", NEGATIVE_EXAMPLES)
def test_timex_negative_examples(ex: Example, nlp) -> None:
    _check(ex, nlp)


@pytest.mark.parametrize("cls,surface,value", LEXICON_EXAMPLES)
def test_timex_lexicon_examples(cls: str, surface: str, value: str) -> None:
    assert RES.lexicon[cls][surface.lower()] == value


def test_timex_resources_every_rule_has_examples() -> None:
    assert all(rule.examples for rule in RES.rules)
    assert all(m.examples for m in RES.modifiers)
    assert all(n.examples for n in RES.negatives)


@pytest.mark.parametrize("pattern,message", [
    ("{nosuchclass}", "unknown placeholder"),
    ("{month} {month}", "used twice"),
    ("{month}(", "bad regex"),
])
def test_timex_resources_malformed_pattern_raises(pattern: str, message: str) -> None:
    with pytest.raises(TimexResourceError, match=message):
        _compile_pattern(pattern, RES.lexicon, "test")


def test_timex_resources_every_rule_operation_is_registered() -> None:
    """Every rule's value is a registered operation or a finished value: whether a value is
    relative, and what it reads, comes from the registry alone."""
    import re

    from extractors.timex_resolve import OPERATIONS
    from extractors.timex_value import TIMEX3_VALUE

    for rule in RES.rules:
        op = rule.value.split("|T")[0].split(":")[0]
        if op in OPERATIONS:
            continue
        assert not re.fullmatch(r"[A-Z]+", op), (rule.name, rule.value)  # an operation missing from the registry
        assert "{" in rule.value or TIMEX3_VALUE.match(rule.value), (rule.name, rule.value)


# One value per operation; the declarations are checked by varying what each may read.
_OPERATION_SAMPLES = {
    "DCT": "DCT:-1", "REF": "REF:M:-1", "QY": "QY:1988", "QAGO": "QAGO", "QREF": "QREF", "YEND": "YEND",
    "WKND": "WKND", "AGO": "AGO:2:W:-", "MD": "MD:10:12", "M": "M:07", "MY": "MY:06:-1", "WD": "WD:4",
    "SEASON": "SEASON:SU", "Q": "Q:3", "H": "H:2", "HOL": "HOL:12-25", "HOLW": "HOLW:E", "DUR": "DUR:3:Y",
    "ANA": "ANA:Y:+1", "ANAWD": "ANAWD:5:-1",
}
_DCTS = [dt.date(2023, m, d) for m, d in ((1, 15), (3, 1), (4, 7), (6, 30), (9, 7), (11, 20), (12, 28))]
_TENSES = ("past", "present", "future", "deadline", None)
_ANCHORS = (None, "1995-05-22", "1998-06")


@pytest.mark.parametrize(("uvalue", "relative"), [("HOL:05-01:1600", False), ("HOL:05-01", True),
                                                  ("Q:3:-1", True), ("1988-Q3", False)])
def test_timex_resources_value_needs_follow_its_arguments(uvalue: str, relative: bool) -> None:
    """A value reads what its operation declares for it: with its arguments sparing the publication
    date (a holiday's year given), the value does not vary with it and is not relative."""
    from extractors.timex_resolve import Underspecified, resolve

    assert Underspecified.parse(uvalue).relative is relative
    if not relative:
        assert len({resolve(uvalue, d, t) for d in (None, *_DCTS) for t in _TENSES}) == 1


def test_timex_resources_operation_samples_cover_the_registry() -> None:
    from extractors.timex_resolve import OPERATIONS

    assert set(_OPERATION_SAMPLES) == set(OPERATIONS)


@pytest.mark.parametrize("op", sorted(_OPERATION_SAMPLES))
def test_timex_resources_operation_reads_only_what_it_declares(op: str) -> None:
    """An operation whose value changes with the publication date, the tense or the last date
    told declares it; one declaring the publication date or the last date told does read it."""
    from extractors.timex_resolve import LAST_DATE_TOLD, OPERATIONS, PUBLICATION_DATE, TENSE, resolve

    needs = OPERATIONS[op].needs
    uvalue = _OPERATION_SAMPLES[op]
    values = {(d, t, a): resolve(uvalue, d, t, a) for d in (None, *_DCTS) for t in _TENSES for a in _ANCHORS}
    by_dct = any(len({values[(d, t, a)] for d in (None, *_DCTS)}) > 1 for t in _TENSES for a in _ANCHORS)
    by_tense = any(len({values[(d, t, a)] for t in _TENSES}) > 1 for d in (None, *_DCTS) for a in _ANCHORS)
    by_anchor = any(len({values[(d, t, a)] for a in _ANCHORS}) > 1 for d in (None, *_DCTS) for t in _TENSES)
    assert by_dct == (PUBLICATION_DATE in needs), op
    assert by_anchor == (LAST_DATE_TOLD in needs), op
    assert not by_tense or TENSE in needs, op


@pytest.mark.parametrize(("text", "span", "relative"), [
    ("up from $5 million in the 1988 period", "the 1988 period", True),  # QY: the quarter the DCT names
    ("The talks were held on 7 September 2023 in Vladivostok.", "7 September 2023", False),
    ("Last month, Washington imposed sanctions.", "Last month", True),
    # A holiday with its year written reads no publication date (HOL with a year argument).
    ("Workers marched on May Day 1600 in the square.", "May Day 1600", False),
    ("Workers marched on May Day in the square.", "May Day", True),
])
def test_timex_relative_flag_follows_the_operation(nlp, text: str, span: str, relative: bool) -> None:
    (timex,) = [t for t in tag_timexes(text, dt.date(1989, 10, 27), nlp(text)) if t.text == span]
    assert timex.relative is relative


def _context_examples():
    from extractors.timex_rules import load_context_patterns

    return [(name, text, match) for name, p in load_context_patterns().items() for text, match in p.examples]


@pytest.mark.parametrize(("name", "text", "match"), _context_examples())
def test_timex_resources_context_pattern_examples(name: str, text: str, match: bool) -> None:
    from extractors.timex_rules import context_pattern

    assert (context_pattern(name).search(text) is not None) is match


@pytest.mark.parametrize(("content", "code"), [
    ("rules: []\n", "TX101"),
    ("patterns: {anchored_before: {pattern: 'x', examples: [{text: x, match: true}]}}\n", "TX102"),
])
def test_timex_resources_context_file_errors_are_coded(monkeypatch, content: str, code: str) -> None:
    import yaml

    from extractors import timex_rules

    monkeypatch.setattr(timex_rules, "_read_yaml", lambda name: yaml.safe_load(content))
    timex_rules.load_context_patterns.cache_clear()
    try:
        with pytest.raises(TimexResourceError) as raised:
            timex_rules.load_context_patterns()
        assert raised.value.code == code
    finally:
        timex_rules.load_context_patterns.cache_clear()
