"""Event confidence weights come from resources/events/confidence.yaml, validated at load."""

from __future__ import annotations

import pytest
from loader_checks import assert_refused

from extractors import event_confidence
from extractors.event_confidence import ConfidenceWeightsError, mention_confidence


@pytest.mark.parametrize(("kwargs", "expected"), [
    (dict(typed=True, date_basis="explicit", inherited_hops=0, modality="asserted", has_actor=True,
          estimated_publication=False), 0.85),
    (dict(typed=False, date_basis="tense", inherited_hops=0, modality="possible", has_actor=False,
          estimated_publication=True), 0.22),
    (dict(typed=True, date_basis="relative", inherited_hops=2, modality="asserted", has_actor=True,
          estimated_publication=False), 0.72),
    (dict(typed=False, date_basis="none", inherited_hops=0, modality="hypothetical", has_actor=False,
          estimated_publication=True), 0.12),
])
def test_event_confidence_sums_the_weights(kwargs, expected) -> None:
    assert mention_confidence(**kwargs) == pytest.approx(expected)


@pytest.mark.parametrize(("raw", "message"), [
    ({"base": 0.3}, "missing"),
    ({"base": 0.35, "typed": 0.2, "date_basis": {"explicit": 0.3}, "inherited_hop": -0.04, "uncertain_modality": -0.1,
      "no_actor": -0.08, "estimated_publication": -0.05, "floor": 0.05, "ceiling": 0.95}, "date_basis"),
    ({"base": "high", "typed": 0.2, "date_basis": {b: 0.1 for b in ("explicit", "relative", "tense", "estimated",
                                                                      "none")},
      "inherited_hop": -0.04, "uncertain_modality": -0.1, "no_actor": -0.08, "estimated_publication": -0.05,
      "floor": 0.05, "ceiling": 0.95}, "number"),
])
def test_event_confidence_malformed_weights_raise(monkeypatch, raw, message) -> None:
    assert_refused(monkeypatch, event_confidence, "load_yaml", raw, event_confidence.load_weights,
                   ConfidenceWeightsError, message)
