"""The learned same-event scorer: a logistic regression over `features.FEATURE_NAMES`, its weights in
`resources/merge_model.json` (written by `benchmarks/train_merge_model.py`), validated at load.

Inference is one matrix product; the clustering threshold and the probability a pair with
disagreeing precise dates needs to be kept as one event with a date conflict travel with the weights,
because they were chosen together by cross-validation.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np


class MergeModelError(ValueError):
    """resources/merge_model.json is malformed or does not match the features merging computes."""


@dataclass(frozen=True)
class SameEventModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float  # average-link probability at which two clusters join
    conflict_threshold: float  # probability above which disagreeing precise dates are a conflict, not two events

    def probability(self, matrix: np.ndarray) -> np.ndarray:
        z = matrix @ np.asarray(self.weights, dtype=np.float64) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))


def parse_model(raw: Any, expected: tuple[str, ...]) -> SameEventModel:
    """Validate a model mapping against the feature names merging computes."""
    def need(cond: bool, message: str) -> None:
        if not cond:
            raise MergeModelError(f"merge_model.json: {message}")

    need(isinstance(raw, dict), "top level must be a mapping")
    features = raw.get("features")
    need(isinstance(features, list) and tuple(features) == expected,
         f"features must be exactly {list(expected)} in that order, got {features!r}")
    weights = raw.get("weights")
    need(isinstance(weights, list) and len(weights) == len(expected)
         and all(isinstance(w, (int, float)) and np.isfinite(w) for w in weights), "weights must be one finite number per feature")
    for key in ("bias", "threshold", "conflict_threshold"):
        need(isinstance(raw.get(key), (int, float)) and np.isfinite(raw[key]), f"{key} must be a finite number")
    for key in ("threshold", "conflict_threshold"):
        need(0.0 < float(raw[key]) < 1.0, f"{key} must be a probability strictly between 0 and 1")
    return SameEventModel(tuple(features), tuple(float(w) for w in weights), float(raw["bias"]),
                          float(raw["threshold"]), float(raw["conflict_threshold"]))


@functools.lru_cache(maxsize=1)
def load_model() -> SameEventModel:
    from extractors.merge.features import FEATURE_NAMES

    text = resources.files("extractors.resources").joinpath("merge_model.json").read_text(encoding="utf-8")
    return parse_model(json.loads(text), FEATURE_NAMES)
