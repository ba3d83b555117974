"""The event taxonomy and event lexicons, loaded from packaged data and validated once.

Files (under `extractors/resources/`):
- `event_types.yaml`: type -> verb lemmas, noun lemmas, adjective lemmas, examples.
- `events/modality.yaml`: negation words, modal auxiliaries, modifiers, governing verbs.
- `events/reporting.yaml`: reporting verbs (statement events whose complement is another event).
- `events/stop_triggers.yaml`: predicates the rules never make events of their own (`verbs`, `nouns`;
  the learned predicate model may overrule the verbs) and verbs that never are (`never_verbs`).

Misconfiguration (a lemma under two types, an unknown modality, an example without its
trigger word) raises `LexiconError` at load time, not wrong output later.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Any

from extractors.resources import load_yaml
from extractors.schema import MODALITIES

OTHER_TYPE = "other"


class LexiconError(ValueError):
    """A packaged event resource is malformed."""


@dataclass(frozen=True)
class Example:
    sentence: str
    trigger: str
    expected: str  # the type, modality or "stop" the example demonstrates


@dataclass(frozen=True)
class ArgumentConstraint:
    """When a verb of change keeps its lemma's type (`argument_constraints` of event_types.yaml):
    an argument of one of `roles` with a head lemma in `nouns` or a name of one of `kinds`, or
    (`quantity`) a number it moves by or to."""

    event_type: str
    verbs: frozenset[str]  # lemmas of the type's own verbs (not light verbs typed by their object)
    roles: frozenset[str]
    nouns: frozenset[str]
    kinds: frozenset[str]
    quantity: bool
    examples: tuple[Example, ...]  # `expected`: the type the trigger gets

    def applies(self, lemma: str, event_type: str) -> bool:
        return event_type == self.event_type and lemma in self.verbs


_ARGUMENT_ROLES = frozenset({"subject", "object"})
_ARGUMENT_KINDS = frozenset({"index", "company", "product"})


@dataclass(frozen=True)
class EventLexicon:
    verb_types: dict[str, str]
    noun_types: dict[str, str]
    adjective_types: dict[str, str]  # predicative adjectives of a state an event of the type leaves ("dead")
    type_examples: tuple[tuple[str, Example], ...]
    reporting_verbs: frozenset[str]
    reporting_examples: tuple[Example, ...]
    negation_words: frozenset[str]
    modal_auxiliaries: dict[str, str]
    # Auxiliaries read otherwise in a clause a past reporting verb reports ("said it would cut").
    reported_modal_auxiliaries: dict[str, str]
    nominal_modifiers: dict[str, str]
    modality_adverbs: dict[str, str]
    governing_verbs: dict[str, str]
    conditional_marks: frozenset[str]
    # (adverb, marker) pairs that set an alternative aside: ("rather", "than"), ("instead", "of")
    rejected_alternatives: frozenset[tuple[str, str]]
    modality_examples: tuple[Example, ...]
    stop_verbs: frozenset[str]
    stop_nouns: frozenset[str]
    never_verbs: frozenset[str]  # not even the learned predicate model makes these events
    never_examples: tuple[tuple[str, str], ...]  # (lemma, sentence)
    stop_examples: tuple[tuple[str, str], ...]  # (lemma, sentence)
    support_verbs: frozenset[str]
    support_examples: tuple[Example, ...]
    reader_address_subjects: frozenset[str]
    argument_constraints: dict[str, ArgumentConstraint] = dataclasses.field(default_factory=dict)
    quantity_units: frozenset[str] = frozenset()  # what a moved amount is counted in ("points")
    # Nouns that name an amount of the economy when graded ("great demand"), and the type they then have.
    quantity_nouns: frozenset[str] = frozenset()
    quantity_noun_type: str = OTHER_TYPE

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.verb_types.values()) | set(self.noun_types.values())
                            | set(self.adjective_types.values())))


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise LexiconError(message)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w'’-]+", text))


def _modality_map(raw: Any, where: str) -> dict[str, str]:
    _require(isinstance(raw, dict), f"{where} must be a mapping")
    out: dict[str, str] = {}
    for key, value in raw.items():
        _require(value in MODALITIES, f"{where}: {key!r} has unknown modality {value!r}")
        out[str(key).lower()] = str(value)
    return out


def _word_pairs(raw: Any, where: str) -> frozenset[tuple[str, str]]:
    _require(raw is None or isinstance(raw, list), f"{where} must be a list of word pairs")
    pairs = []
    for pair in raw or ():
        _require(isinstance(pair, list) and len(pair) == 2 and all(isinstance(w, str) and w for w in pair),
                 f"{where}: {pair!r} is not a pair of words")
        pairs.append((pair[0].lower(), pair[1].lower()))
    return frozenset(pairs)


def _example(raw: Any, where: str, expected_key: str | None) -> Example:
    _require(isinstance(raw, dict) and "sentence" in raw and "trigger" in raw, f"{where}: bad example {raw!r}")
    sentence, trigger = str(raw["sentence"]), str(raw["trigger"])
    _require(trigger in _words(sentence), f"{where}: trigger {trigger!r} not in example {sentence!r}")
    expected = str(raw.get(expected_key, "")) if expected_key else ""
    return Example(sentence, trigger, expected)


def _build_types(raw: Any) -> tuple[dict[str, str], dict[str, str], dict[str, str], tuple[tuple[str, Example], ...]]:
    """(verb, noun and adjective lemma -> type, the types' examples) of event_types.yaml."""
    _require(isinstance(raw, dict) and isinstance(raw.get("types"), dict), "event_types.yaml: no `types` mapping")
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    examples: list[tuple[str, Example]] = []
    for name, spec in raw["types"].items():
        _require(name != OTHER_TYPE, f"event_types.yaml: {OTHER_TYPE!r} is reserved")
        _require(isinstance(spec, dict) and spec.get("examples"), f"event_types.yaml: type {name!r} needs examples")
        for kind, table in (("verbs", verbs), ("nouns", nouns), ("adjectives", adjectives)):
            for lemma in spec.get(kind) or ():
                lemma = str(lemma).lower()
                _require(lemma not in table, f"event_types.yaml: {kind[:-1]} {lemma!r} under {table.get(lemma)!r} and {name!r}")
                table[lemma] = name
        for ex in spec["examples"]:
            examples.append((name, _example(ex, f"event_types.yaml:{name}", None)))
    return verbs, nouns, adjectives, tuple(examples)


def _argument_groups(raw: Any) -> dict[str, frozenset[str]]:
    groups_raw = raw.get("argument_nouns") or {}
    _require(isinstance(groups_raw, dict), "event_types.yaml: argument_nouns must be a mapping")
    return {str(k): frozenset(str(w).lower() for w in v or ()) for k, v in groups_raw.items()}


def _quantity_nouns(raw: Any, types: set[str]) -> tuple[frozenset[str], str]:
    """(nouns, type) of event_types.yaml's `quantity_nouns`: the argument groups named and a type
    of the taxonomy."""
    spec = raw.get("quantity_nouns") or {}
    groups = _argument_groups(raw)
    where = "event_types.yaml:quantity_nouns"
    _require(isinstance(spec, dict), f"{where} must be a mapping")
    unknown = sorted(str(g) for g in spec.get("groups") or () if str(g) not in groups)
    _require(not unknown, f"{where}: unknown argument_nouns groups {unknown}")
    kind = str(spec.get("type", OTHER_TYPE))
    _require(kind in types | {OTHER_TYPE}, f"{where}: unknown type {kind!r}")
    return frozenset().union(*(groups[str(g)] for g in spec.get("groups") or ())), kind


def _build_argument_constraints(raw: Any, verbs: dict[str, str]) -> dict[str, ArgumentConstraint]:
    """type -> its `argument_constraints` entry of event_types.yaml, checked against the taxonomy."""
    groups = _argument_groups(raw)
    out: dict[str, ArgumentConstraint] = {}
    for name, spec in (raw.get("argument_constraints") or {}).items():
        where = f"event_types.yaml:argument_constraints:{name}"
        _require(isinstance(spec, dict) and name in set(verbs.values()), f"{where}: not a type with verbs")
        listed = spec.get("verbs")
        if listed == "all":
            constrained = frozenset(v for v, t in verbs.items() if t == name)
        else:
            _require(isinstance(listed, list) and listed, f"{where}: verbs must be `all` or a list")
            constrained = frozenset(str(v).lower() for v in listed)
            strays = sorted(v for v in constrained if verbs.get(v) != name)
            _require(not strays, f"{where}: verbs not of the type: {strays}")
        roles = frozenset(str(r) for r in spec.get("roles") or ())
        _require(bool(roles) and roles <= _ARGUMENT_ROLES, f"{where}: roles must be some of {sorted(_ARGUMENT_ROLES)}")
        unknown = sorted(str(g) for g in spec.get("nouns") or () if str(g) not in groups)
        _require(not unknown, f"{where}: unknown argument_nouns groups {unknown}")
        kinds = frozenset(str(k) for k in spec.get("kinds") or ())
        _require(kinds <= _ARGUMENT_KINDS, f"{where}: kinds must be some of {sorted(_ARGUMENT_KINDS)}")
        examples = tuple(_example(ex, where, "type") for ex in spec.get("examples") or ())
        _require(bool(examples), f"{where}: needs examples")
        out[name] = ArgumentConstraint(
            event_type=name, verbs=constrained, roles=roles,
            nouns=frozenset().union(*(groups[str(g)] for g in spec.get("nouns") or ())),
            kinds=kinds, quantity=bool(spec.get("quantity")),
            examples=examples)
    return out


@functools.lru_cache(maxsize=1)
def load_lexicon() -> EventLexicon:
    raw_types = load_yaml("event_types.yaml")
    verbs, nouns, adjectives, type_examples = _build_types(raw_types)
    support_examples = []
    for entry in raw_types.get("support_verbs") or ():
        _require(isinstance(entry, dict) and entry.get("lemma") and entry.get("type") in set(verbs.values()) | set(nouns.values()),
                 f"event_types.yaml: support verb {entry!r} needs a lemma and a known type")
        support_examples.append(Example(str(entry["example"]), str(entry["trigger"]), str(entry["type"])))
        _require(str(entry["trigger"]) in _words(str(entry["example"])), f"event_types.yaml: bad support example {entry!r}")
    support_verbs = frozenset(str(e["lemma"]).lower() for e in raw_types.get("support_verbs") or ())
    quantity_nouns, quantity_noun_type = _quantity_nouns(raw_types, set(verbs.values()) | set(nouns.values()))

    modality = load_yaml("events/modality.yaml")
    _require(isinstance(modality, dict), "events/modality.yaml must be a mapping")
    mod_examples = tuple(_example(ex, "events/modality.yaml", "modality") for ex in modality.get("examples") or ())
    for ex in mod_examples:
        _require(ex.expected in MODALITIES, f"events/modality.yaml: example modality {ex.expected!r}")
    governing = _modality_map(modality.get("governing_verbs", {}), "events/modality.yaml:governing_verbs")

    reporting = load_yaml("events/reporting.yaml")
    rep_verbs = frozenset(str(v).lower() for v in reporting.get("verbs") or ())
    for lemma in rep_verbs:
        _require(verbs.get(lemma) in ("statement", "warning"),
                 f"events/reporting.yaml: {lemma!r} must be a statement or warning verb in event_types.yaml")
    rep_examples = tuple(_example(ex, "events/reporting.yaml", None) for ex in reporting.get("examples") or ())

    stop = load_yaml("events/stop_triggers.yaml")
    stop_examples: list[tuple[str, str]] = []
    never_examples: list[tuple[str, str]] = []
    stop_verbs: set[str] = set()
    stop_nouns: set[str] = set()
    never_verbs: set[str] = set()
    for kind, target in (("verbs", stop_verbs), ("nouns", stop_nouns), ("never_verbs", never_verbs)):
        for entry in stop.get(kind) or ():
            _require(isinstance(entry, dict) and entry.get("lemma") and entry.get("example"),
                     f"events/stop_triggers.yaml: {kind} entry {entry!r} needs lemma and example")
            lemma = str(entry["lemma"]).lower()
            _require(lemma not in (nouns if kind == "nouns" else verbs),
                     f"events/stop_triggers.yaml: {lemma!r} is also an event trigger")
            target.add(lemma)
            (never_examples if kind == "never_verbs" else stop_examples).append((lemma, str(entry["example"])))

    return EventLexicon(
        verb_types=verbs,
        noun_types=nouns,
        adjective_types=adjectives,
        type_examples=type_examples,
        reporting_verbs=rep_verbs,
        reporting_examples=rep_examples,
        negation_words=frozenset(str(w).lower() for w in modality.get("negation_words") or ()),
        modal_auxiliaries=_modality_map(modality.get("modal_auxiliaries", {}), "events/modality.yaml:modal_auxiliaries"),
        reported_modal_auxiliaries=_modality_map(modality.get("reported_modal_auxiliaries", {}),
                                                 "events/modality.yaml:reported_modal_auxiliaries"),
        nominal_modifiers=_modality_map(modality.get("nominal_modifiers", {}), "events/modality.yaml:nominal_modifiers"),
        modality_adverbs=_modality_map(modality.get("adverbs", {}), "events/modality.yaml:adverbs"),
        governing_verbs=governing,
        conditional_marks=frozenset(str(w).lower() for w in modality.get("conditional_marks") or ()),
        rejected_alternatives=_word_pairs(modality.get("rejected_alternatives"), "events/modality.yaml:rejected_alternatives"),
        modality_examples=mod_examples,
        stop_verbs=frozenset(stop_verbs),
        stop_nouns=frozenset(stop_nouns),
        never_verbs=frozenset(never_verbs),
        never_examples=tuple(never_examples),
        stop_examples=tuple(stop_examples),
        support_verbs=support_verbs,
        support_examples=tuple(support_examples),
        reader_address_subjects=frozenset(str(w).lower() for w in stop.get("reader_address_subjects") or ()),
        argument_constraints=_build_argument_constraints(raw_types, verbs),
        quantity_units=frozenset(str(w).lower() for w in raw_types.get("quantity_units") or ()),
        quantity_nouns=quantity_nouns,
        quantity_noun_type=quantity_noun_type,
    )
