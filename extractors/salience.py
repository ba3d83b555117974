"""How important each timeline entry is, its rank, and which entries are key.

`rank_entries(entries, n_articles)` returns the entries (same order) with `headline`, `salience`,
`rank` and `key` set. Salience (0-1) is the weighted mean of five signals a reader can check,
weighted in `resources/salience.yaml`, times a modality factor:

- **articles**: how many distinct articles report the event (log-scaled against the most
  reported entry of the run);
- **date**: how the date is known: given by the text (explicit or relative) over estimated over
  read off the verb's tense; coarse dates (a year, `PAST_REF`) count half;
- **position**: the earliest sentence of any source: title and lead first;
- **participants**: named participants or places;
- **type**: the event type's weight (a summit over an unclassified predicate).

Entries that are not events a reader would list stay in the full timeline, with their salience
multiplied by `not_eligible_factor` so that they rank below the events, but are never key:
opinions ("think", "believe"), questions, generic predicates ("be",
"have", "function"), and predicates with neither a participant nor a place in time (no actor and
no place, or no date beyond "recently", "now" or the verb's tense). The number of key entries grows with the
logarithm of the number of articles (`key` in salience.yaml), so a handful of articles gives
about ten and thousands a list a person still reads.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import snowballstemmer

from extractors.event_lexicon import OTHER_TYPE
from extractors.headline import headline_of
from extractors.resources import load_yaml
from extractors.schema import DATE_BASES, MODALITIES, TimelineEntry

SIGNALS = ("articles", "date", "position", "participants", "type")
_STEMMER = snowballstemmer.stemmer("english")


class SalienceConfigError(ValueError):
    """resources/salience.yaml is malformed."""


@dataclass(frozen=True)
class SalienceSettings:
    weights: tuple[tuple[str, float], ...]
    date_basis: tuple[tuple[str, float], ...]
    specific_granularities: frozenset[str]
    lead_sentences: int
    modality: tuple[tuple[str, float], ...]
    types: tuple[tuple[str, float], ...]
    default_type: float
    key_base: float
    key_per_doubling: float
    key_max: int
    key_min_salience: float
    not_eligible_factor: float
    opinion_stems: frozenset[str]
    generic_stems: frozenset[str]

    @functools.cached_property
    def weight_of(self) -> dict[str, float]:
        return dict(self.weights)

    @functools.cached_property
    def basis_of(self) -> dict[str, float]:
        return dict(self.date_basis)

    @functools.cached_property
    def modality_of(self) -> dict[str, float]:
        return dict(self.modality)

    @functools.cached_property
    def type_of(self) -> dict[str, float]:
        return dict(self.types)


def _need(cond: bool, message: str) -> None:
    if not cond:
        raise SalienceConfigError(f"salience.yaml: {message}")


def _unit(raw: Any, where: str) -> float:
    _need(isinstance(raw, (int, float)) and 0.0 <= float(raw) <= 1.0, f"{where} must be a number in [0, 1], got {raw!r}")
    return float(raw)


def _unit_map(raw: Any, where: str, required: Sequence[str] | None = None) -> tuple[tuple[str, float], ...]:
    _need(isinstance(raw, dict), f"{where} must be a mapping")
    if required is not None:
        _need(set(raw) == set(required), f"{where} must list exactly {tuple(required)}")
    return tuple(sorted((str(k), _unit(v, f"{where}.{k}")) for k, v in raw.items()))


def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.casefold()))


def parse_settings(raw: Any) -> SalienceSettings:
    """Validate the salience.yaml mapping; raises SalienceConfigError on anything unexpected."""
    _need(isinstance(raw, dict), "top level must be a mapping")
    known = {"weights", "date_basis", "specific_granularities", "lead_sentences", "modality", "types", "default_type",
             "key", "not_eligible_factor", "opinion_predicates", "generic_predicates"}
    _need(not set(raw) - known, f"unknown keys {sorted(set(raw) - known)}")
    weights = _unit_map(raw.get("weights"), "weights", SIGNALS)
    _need(abs(sum(w for _, w in weights) - 1.0) < 1e-6, "weights must sum to 1")
    key = raw.get("key") or {}
    _need(isinstance(key, dict) and set(key) == {"base", "per_doubling", "max", "min_salience"},
          "key must give base, per_doubling, max and min_salience")
    _need(all(isinstance(key[k], (int, float)) and key[k] >= 0 for k in ("base", "per_doubling", "max")),
          "key.base, key.per_doubling and key.max must be non-negative numbers")
    lead = raw.get("lead_sentences")
    _need(isinstance(lead, int) and lead > 0, "lead_sentences must be a positive integer")
    words = {}
    for name in ("opinion_predicates", "generic_predicates"):
        listed = raw.get(name) or []
        _need(isinstance(listed, list) and all(isinstance(w, str) and w for w in listed), f"{name} must be a list of words")
        words[name] = frozenset(stem(w) for w in listed)
    return SalienceSettings(
        weights=weights,
        date_basis=_unit_map(raw.get("date_basis"), "date_basis", DATE_BASES),
        specific_granularities=frozenset(str(g) for g in raw.get("specific_granularities") or ()),
        lead_sentences=lead,
        modality=_unit_map(raw.get("modality"), "modality", MODALITIES),
        types=_unit_map(raw.get("types"), "types"),
        default_type=_unit(raw.get("default_type"), "default_type"),
        key_base=float(key["base"]),
        key_per_doubling=float(key["per_doubling"]),
        key_max=int(key["max"]),
        key_min_salience=_unit(key["min_salience"], "key.min_salience"),
        not_eligible_factor=_unit(raw.get("not_eligible_factor"), "not_eligible_factor"),
        opinion_stems=words["opinion_predicates"],
        generic_stems=words["generic_predicates"],
    )


@functools.lru_cache(maxsize=1)
def load_settings() -> SalienceSettings:
    return parse_settings(load_yaml("salience.yaml"))


def key_count(n_articles: int, s: SalienceSettings) -> int:
    """How many entries are key for a collection of `n_articles` articles."""
    if n_articles <= 0:
        return 0
    return min(s.key_max, round(s.key_base + s.key_per_doubling * math.log2(max(n_articles, 1))))


def _articles(entry: TimelineEntry) -> int:
    return len({src.doc_id for src in entry.sources})


def signals(entry: TimelineEntry, most_articles: int, s: SalienceSettings) -> dict[str, float]:
    """Each signal of `SIGNALS`, 0-1."""
    n = _articles(entry)
    date = s.basis_of.get(entry.date.basis, 0.0) if entry.date.value else 0.0
    if entry.date.granularity not in s.specific_granularities:
        date *= 0.5
    first = min((src.sentence_index for src in entry.sources), default=s.lead_sentences)
    return {
        "articles": math.log1p(n) / math.log1p(max(most_articles, 1)) if most_articles > 1 else 1.0,
        "date": date,
        "position": max(0.0, 1.0 - first / s.lead_sentences),
        "participants": 1.0 if entry.actors else 0.5 if entry.locations else 0.0,
        "type": s.type_of.get(entry.type, s.default_type),
    }


def not_key_reason(entry: TimelineEntry, s: SalienceSettings) -> str | None:
    """Why an entry is not an event a reader would list first, or None when it may be key."""
    trigger = stem(entry.trigger.split()[0]) if entry.trigger.split() else ""
    if trigger in s.opinion_stems:
        return "opinion"
    if all(src.sentence.rstrip(" \"'”’»)").endswith("?") for src in entry.sources) and entry.sources:
        return "question"
    # A taxonomy type says the predicate tells a happening of that kind ("the index gained 2
    # percent" is a market move), whatever it says elsewhere ("what North Korea stands to gain").
    if trigger in s.generic_stems and entry.type == OTHER_TYPE:
        return "generic predicate"
    if not entry.actors and not entry.locations:
        return "no participant or place"
    # PAST_REF / PRESENT_REF / FUTURE_REF ("recently", "now", a verb's tense) place nothing in time.
    if not entry.date.value or entry.date.granularity in ("ref", "unknown") or entry.date.basis == "none":
        return "no place in time"
    return None


def salience_of(entry: TimelineEntry, most_articles: int, s: SalienceSettings) -> float:
    """The weighted mean of the signals, times the modality factor, times `not_eligible_factor` for
    an entry that is not an event a reader would list (`not_key_reason`): an opinion or a generic
    statement many articles repeat in their lead would otherwise rank above the events they report."""
    return _salience(entry, most_articles, s, not_key_reason(entry, s) is None)


def _salience(entry: TimelineEntry, most_articles: int, s: SalienceSettings, eligible: bool) -> float:
    values = signals(entry, most_articles, s)
    mean = sum(s.weight_of[name] * values[name] for name in SIGNALS)
    return round(mean * s.modality_of.get(entry.modality, 0.0) * (1.0 if eligible else s.not_eligible_factor), 4)


def rank_entries(entries: Sequence[TimelineEntry], n_articles: int,
                 settings: SalienceSettings | None = None) -> list[TimelineEntry]:
    """The entries, in the same order, with headline, salience, rank and key set."""
    s = settings or load_settings()
    most = max((_articles(e) for e in entries), default=0)
    # Whether each entry may be key is read once: salience and the key list both need it.
    eligible = [not_key_reason(e, s) is None for e in entries]
    scored = [(_salience(e, most, s, ok), e) for e, ok in zip(entries, eligible, strict=True)]
    order = sorted(range(len(scored)), key=lambda k: (-scored[k][0], scored[k][1].id))
    rank = {k: r + 1 for r, k in enumerate(order)}
    budget = key_count(n_articles, s)
    headlines = [headline_of(e) for _, e in scored]
    key: set[int] = set()
    # One key entry per headline sentence: the predicates of one sentence ("plans to travel to Russia
    # to meet Putin and discuss supplying weapons") are one happening to a reader.
    shown: set[str] = set()
    for k in order:
        if len(key) >= budget:
            break
        value = scored[k][0]
        if value >= s.key_min_salience and eligible[k] and headlines[k] not in shown:
            key.add(k)
            shown.add(headlines[k])
    return [dataclasses.replace(e, headline=headlines[k], salience=value, rank=rank[k], key=k in key)
            for k, (value, e) in enumerate(scored)]
