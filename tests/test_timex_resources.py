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


def test_timex_resources_every_operation_declares_its_needs() -> None:
    """`resolve` handles exactly the operations of OPERATION_NEEDS, and every rule's value is a
    literal value or one of them: whether a value is relative is read from that one table."""
    import inspect
    import re

    from extractors import timex_resolve

    source = inspect.getsource(timex_resolve.resolve)
    handled = set(re.findall(r'op == "([A-Z]+)"', source))
    handled |= {op for group in re.findall(r"op in \(([^)]*)\)", source) for op in re.findall(r'"([A-Z]+)"', group)}
    assert handled == set(timex_resolve.OPERATION_NEEDS)
    for rule in RES.rules:
        op = rule.value.split("|T")[0].split(":")[0]
        if re.fullmatch(r"[A-Z]+", op):
            assert op in timex_resolve.OPERATION_NEEDS, (rule.name, rule.value)


@pytest.mark.parametrize(("text", "span", "relative"), [
    ("up from $5 million in the 1988 period", "the 1988 period", True),  # QY: the quarter the DCT names
    ("The talks were held on 7 September 2023 in Vladivostok.", "7 September 2023", False),
    ("Last month, Washington imposed sanctions.", "Last month", True),
])
def test_timex_relative_flag_follows_the_operation(nlp, text: str, span: str, relative: bool) -> None:
    (timex,) = [t for t in tag_timexes(text, dt.date(1989, 10, 27), nlp(text)) if t.text == span]
    assert timex.relative is relative
