"""Which nouns name events: a small logistic-regression model learned from TimeML EVENT tags.

The taxonomy (`resources/event_types.yaml`) names the nouns of its types; most event nouns of
news are outside it ("the decision", "an attempt", "the sale of ..."), and some of its nouns are
events in one use and not in another ("sales rose" is a quantity). The model scores a noun from
a few features of its parse: lemma, the lemma's last three letters, dependency, its governor's
lemma and part of speech, determiner, number, entity label, whether an "of" phrase follows, and
the lemma's WordNet classes (`wordnet_classes.py`: "event", "act", "artifact"), which carry to
words the training data never held.

Weights: `resources/events/noun_triggers.json`, written by `benchmarks/train_noun_triggers.py`
from the tuning half of the development data only (TimeBank+AQUAINT half A, ECB+ topics 1-20;
see `benchmarks/event_eval.py`), validated at load. Scoring is a handful of dictionary look-ups.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from extractors.resources import load_json
from extractors.wordnet_classes import word_classes


class NounModelError(ValueError):
    """The packaged noun-trigger model is malformed."""


@dataclass(frozen=True)
class NounTriggerModel:
    weights: dict[str, float]
    bias: float
    threshold: float

    @functools.cached_property
    def _by_kind(self) -> dict[str, dict[str, float]]:
        """Weights split by feature kind ("lemma", "suf3", ...) and keyed by the value alone."""
        out: dict[str, dict[str, float]] = {}
        for feature, weight in self.weights.items():
            kind, _, value = feature.partition("=")
            out.setdefault(kind, {})[value] = weight
        return out

    def probability(self, token: Token) -> float:
        """The model's probability that `token` (a noun) names an event. Computed as the sum of the
        weights of `noun_features(token)`, by look-ups per feature kind (no feature strings built:
        this runs for every noun of every eventive sentence)."""
        w = self._by_kind
        empty: dict[str, float] = {}
        lemma = token.lemma_.lower()
        dep = token.dep_
        head = token.head
        det = "none"
        of_phrase = False
        for child in token.children:
            child_dep = child.dep_
            if child_dep == "det" and det == "none":
                det = child.lower_
            elif child_dep == "poss":
                det = "poss"
            elif child_dep == "prep" and child.lower_ == "of":
                of_phrase = True
        z = (self.bias + w.get("lemma", empty).get(lemma, 0.0) + w.get("suf3", empty).get(lemma[-3:], 0.0)
             + w.get("dep", empty).get(dep, 0.0) + w.get("head", empty).get(f"{head.pos_}:{dep}", 0.0)
             + w.get("hlemma", empty).get(head.lemma_.lower() if head.i != token.i else "ROOT", 0.0)
             + w.get("det", empty).get(det, 0.0) + w.get("tag", empty).get(token.tag_, 0.0)
             + w.get("ent", empty).get(token.ent_type_ or "none", 0.0)
             + (self.weights.get("of_phrase", 0.0) if of_phrase else 0.0))
        classes = word_classes(lemma, "noun")
        z += w.get("wn1", empty).get(classes[0] if classes else "none", 0.0)
        by_class = w.get("wn", empty)
        for name in classes:
            z += by_class.get(name, 0.0)
        return 1.0 / (1.0 + math.exp(-z))

    def knows(self, lemma: str) -> bool:
        """Whether the training data taught the model about this word (it has a weight)."""
        return f"lemma={lemma}" in self.weights

    def is_event(self, token: Token) -> bool:
        return self.probability(token) >= self.threshold


def noun_features(token: Token) -> Iterator[str]:
    """The model's features of a noun token (the training script uses this same function)."""
    lemma = token.lemma_.lower()
    head = token.head
    yield f"lemma={lemma}"
    yield f"suf3={lemma[-3:]}"
    yield f"dep={token.dep_}"
    yield f"head={head.pos_}:{token.dep_}"
    yield f"hlemma={head.lemma_.lower()}" if head.i != token.i else "hlemma=ROOT"
    det = "none"
    of_phrase = False
    for child in token.children:
        if child.dep_ == "det" and det == "none":
            det = child.lower_
        elif child.dep_ == "poss":
            det = "poss"
        elif child.dep_ == "prep" and child.lower_ == "of":
            of_phrase = True
    yield f"det={det}"
    yield f"tag={token.tag_}"
    yield f"ent={token.ent_type_ or 'none'}"
    if of_phrase:
        yield "of_phrase"
    classes = word_classes(lemma, "noun")
    yield f"wn1={classes[0] if classes else 'none'}"
    for name in classes:
        yield f"wn={name}"


def logistic_parameters(raw: object, where: str, error: type[ValueError]) -> tuple[dict[str, float], float, float]:
    """(weights, bias, threshold) of a packaged logistic-regression trigger model, validated:
    `error` names the file when a field is missing or malformed or the threshold is not in (0, 1)."""
    try:
        weights = {str(k): float(v) for k, v in raw["weights"].items()}  # type: ignore[index]
        bias, threshold = float(raw["bias"]), float(raw["threshold"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise error(f"{where}: {exc}") from exc
    if not 0.0 < threshold < 1.0 or not weights:
        raise error(f"{where}: needs weights and a threshold in (0, 1)")
    return weights, bias, threshold


@functools.lru_cache(maxsize=1)
def load_noun_model() -> NounTriggerModel:
    return NounTriggerModel(*logistic_parameters(load_json("events/noun_triggers.json"),
                                                 "events/noun_triggers.json", NounModelError))
