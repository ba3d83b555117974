"""How much an event mention is to be trusted: a sum of weights kept in
`resources/events/confidence.yaml`, validated at load (`ConfidenceWeightsError` with the field)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from extractors.resources import load_yaml
from extractors.schema import DATE_BASES

_UNCERTAIN_MODALITIES = frozenset({"possible", "hypothetical"})


class ConfidenceWeightsError(ValueError):
    """confidence.yaml is malformed (a programming error)."""


@dataclass(frozen=True)
class ConfidenceWeights:
    base: float
    typed: float
    date_basis: dict[str, float]
    inherited_hop: float
    uncertain_modality: float
    no_actor: float
    estimated_publication: float
    floor: float
    ceiling: float


@functools.lru_cache(maxsize=1)
def load_weights() -> ConfidenceWeights:
    raw = load_yaml("events/confidence.yaml")
    if not isinstance(raw, dict):
        raise ConfidenceWeightsError("events/confidence.yaml: a mapping of weights is required")
    fields = set(ConfidenceWeights.__dataclass_fields__)
    if set(raw) != fields:
        raise ConfidenceWeightsError(f"events/confidence.yaml: missing {sorted(fields - set(raw))}, "
                                     f"unknown {sorted(set(raw) - fields)}")
    basis = raw["date_basis"]
    if not isinstance(basis, dict) or set(basis) != set(DATE_BASES):
        raise ConfidenceWeightsError(f"events/confidence.yaml: date_basis must give exactly {list(DATE_BASES)}")
    numbers = [v for k, v in raw.items() if k != "date_basis"] + list(basis.values())
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
        raise ConfidenceWeightsError("events/confidence.yaml: every weight must be a number")
    if not 0 <= raw["floor"] <= raw["ceiling"] <= 1:
        raise ConfidenceWeightsError("events/confidence.yaml: 0 <= floor <= ceiling <= 1 is required")
    return ConfidenceWeights(**{**raw, "date_basis": {str(k): float(v) for k, v in basis.items()}})


def mention_confidence(typed: bool, date_basis: str, inherited_hops: int, modality: str, has_actor: bool,
                       estimated_publication: bool) -> float:
    """The confidence of one mention; `inherited_hops` is 0 for a timex of the trigger's own."""
    w = load_weights()
    score = w.base
    score += w.typed if typed else 0.0
    score += w.date_basis[date_basis]
    score += w.inherited_hop * inherited_hops
    if modality in _UNCERTAIN_MODALITIES:
        score += w.uncertain_modality
    if not has_actor:
        score += w.no_actor
    if estimated_publication:
        score += w.estimated_publication
    return round(min(w.ceiling, max(w.floor, score)), 3)
