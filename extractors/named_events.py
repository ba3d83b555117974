"""Events known by a name: "the Oscars", "the Academy Awards", "the Super Bowl", "Hurricane Katrina".

The verb rules and the noun model read predicates and common nouns; a named event is a proper
noun, which the recognizer mostly calls an organization ("Oscars", "Academy Awards": ORG) or
labels `EVENT` ("World War II"). A capitalized proper or common noun is a named event when it
heads its name (its syntactic head lies outside the name: "Academy *Awards*", "*Oscar* host") and
either its lower-case form is a head word of `resources/events/named_events.yaml` (type from the
file), or its name is labelled `EVENT` by the recognizer (type `other`: such names in news are
mostly points of reference, "the worst storm since Hurricane Hugo", and TimeML does not tag them).
Names labelled as works or products ("The Hunger Games") never are. The trigger is the head word,
as for any noun: "the East Asia *Summit*" keeps the lemma "summit" that "the summit" has, so that
merging meets the two. Cost: a look-up for capitalized nouns only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Token

from extractors.event_lexicon import OTHER_TYPE, Example, LexiconError, load_lexicon
from extractors.resources import load_yaml

_WHERE = "events/named_events.yaml"
_EVENT_LABEL = "EVENT"
_NAME_POS = frozenset({"PROPN", "NOUN"})
# Dependencies of a word of a name on a later word of it ("*Academy* Awards", "*Super* Bowl").
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})


@dataclass(frozen=True)
class NamedEventLexicon:
    heads: dict[str, str]  # lower-case head word -> event type
    excluded_labels: frozenset[str]
    not_event_heads: frozenset[str]
    examples: tuple[Example, ...]  # `expected` is the type


@dataclass(frozen=True)
class NamedEvent:
    type: str
    start: int  # token indices of the name: its entity, else its run of capitalized words
    end: int


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise LexiconError(f"{_WHERE}: {message}")


@functools.lru_cache(maxsize=1)
def load_named_events() -> NamedEventLexicon:
    raw = load_yaml(_WHERE)
    _require(isinstance(raw, dict) and isinstance(raw.get("heads"), dict), "needs a `heads` mapping")
    known_types = set(load_lexicon().types)
    heads: dict[str, str] = {}
    for event_type, words in raw["heads"].items():
        _require(event_type in known_types, f"unknown event type {event_type!r}")
        _require(isinstance(words, list) and words, f"{event_type}: needs a list of head words")
        for word in words:
            word = str(word).lower()
            _require(word.isalpha(), f"head {word!r} must be one word")
            _require(word not in heads, f"head {word!r} under {heads.get(word)!r} and {event_type!r}")
            heads[word] = event_type
    not_event_heads = frozenset(str(w).lower() for w in raw.get("not_event_heads") or ())
    _require(not not_event_heads & heads.keys(), "a word is both a head and a not_event_head")
    examples = []
    for ex in raw.get("examples") or ():
        _require(isinstance(ex, dict) and {"sentence", "trigger", "type"} <= ex.keys(), f"bad example {ex!r}")
        _require(str(ex["trigger"]) in str(ex["sentence"]), f"trigger {ex['trigger']!r} not in {ex['sentence']!r}")
        _require(ex["type"] in known_types | {OTHER_TYPE}, f"example type {ex['type']!r} unknown")
        examples.append(Example(str(ex["sentence"]), str(ex["trigger"]), str(ex["type"])))
    _require(bool(examples), "needs examples")
    return NamedEventLexicon(heads, frozenset(str(x) for x in raw.get("excluded_labels") or ()),
                             not_event_heads, tuple(examples))


def named_event(token: Token) -> NamedEvent | None:
    """The named event `token` heads, or None."""
    if token.pos_ not in _NAME_POS or not token.text[:1].isupper():
        return None
    lexicon = load_named_events()
    label = token.ent_type_
    low = token.lower_
    event_type = lexicon.heads.get(low)
    if event_type is None and (label != _EVENT_LABEL or low in lexicon.not_event_heads):
        return None
    if label in lexicon.excluded_labels:
        return None
    start, end = _name_extent(token)
    if token.dep_ in _MODIFIER_DEPS and start <= token.head.i < end and token.head.i != token.i:
        return None  # it modifies the name's head ("Cup" in "World Cup Final")
    # A name only the recognizer calls an event is kept untyped: in news it is mostly a point of
    # reference ("the worst storm since Hurricane Hugo", "since World War II"), not the news itself.
    return NamedEvent(event_type or OTHER_TYPE, start, end)


def _name_extent(token: Token) -> tuple[int, int]:
    """(start, end) token indices of the name holding `token`: its entity, else its run of
    capitalized words."""
    doc = token.doc
    if token.ent_iob_ in ("B", "I"):
        start = token.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        end = token.i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return start, end
    start = token.i
    while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].pos_ in _NAME_POS:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].text[:1].isupper() and doc[end].pos_ in _NAME_POS:
        end += 1
    return start, end
