"""Which verbs, copulas and adjectives name events: a small logistic regression learned from the
TimeML EVENT tags and ECB+ mentions, beside the noun model (`extractors/noun_triggers.py`).

The rules of `events.py` make every content verb an event, except the light, raising and modality
verbs of `resources/events/stop_triggers.yaml` and `modality.yaml` ("became closer", "plans to
travel") and participles used as adjectives. Both corpora tag many of those as events of their
own ("expected to", "tried to", "remained", "was injured"), tag predicative adjectives that state
a condition ("was dead", "is responsible", "were unwilling"), and leave out some verbs the rules
take ("including", "compared with", "based in"). The model scores a candidate predicate from its
parse: lemma, the lemma's last three letters, part-of-speech tag, dependency, its governor's lemma
and part of speech, which complements it governs (open or finite clause, object, particle,
subject) and the lemma with an open complement ("expect" + to-clause).

Candidates (`is_candidate`): verbs, adjectives, and copulas that head a clause (not auxiliaries).
How `events.py` uses the score: a predicate the rules leave out becomes an event when the score
reaches the threshold; a verb the rules take outside the taxonomy stops being one when its score
falls under `veto` (taxonomy verbs are kept: the taxonomy is the better evidence for the types it
names).

Weights: `resources/events/predicate_triggers.json`, written by
`benchmarks/train_predicate_triggers.py` from the tuning half of the development data only
(TimeBank+AQUAINT half A, ECB+ topics 1-20), validated at load.
"""

from __future__ import annotations

import functools
import math

from spacy.tokens import Token

from extractors.noun_triggers import logistic_parameters
from extractors.resources import load_json

# Clause and argument dependencies whose presence under a predicate the model reads.
_CHILD_DEPS = frozenset({"xcomp", "ccomp", "dobj", "prt", "nsubj", "nsubjpass", "acomp", "attr", "prep", "agent"})
# Where a copula heads a clause of its own; as a helper of another verb it is never an event.
_AUXILIARY_DEPS = frozenset({"aux", "auxpass"})


class PredicateModelError(ValueError):
    """The packaged predicate-trigger model is malformed."""


def is_candidate(token: Token) -> bool:
    """Whether the model scores `token`: a verb, an adjective, or a copula heading a clause."""
    pos = token.pos_
    if pos == "AUX":
        return token.dep_ not in _AUXILIARY_DEPS and token.text[:1].isalpha()
    return pos in ("VERB", "ADJ") and token.text[:1].isalpha()


def predicate_features(token: Token) -> list[str]:
    """The model's features of a candidate (the training script uses this same function)."""
    lemma = token.lemma_.lower()
    head = token.head
    dep = token.dep_
    feats = [f"lemma={lemma}", f"suf3={lemma[-3:]}", f"tag={token.tag_}", f"dep={dep}",
             f"head={head.pos_}:{dep}", f"hlemma={head.lemma_.lower()}" if head.i != token.i else "hlemma=ROOT"]
    children = {c.dep_ for c in token.children if c.dep_ in _CHILD_DEPS}
    feats.extend(f"child={d}" for d in sorted(children))
    if "xcomp" in children:
        feats.append(f"lemma_xcomp={lemma}")
    if token.pos_ == "ADJ":
        feats.append(f"adj_dep={dep}")
    return feats


class PredicateTriggerModel:
    """Logistic regression over `predicate_features`; `veto` is the score under which a verb the
    rules take is not an event."""

    def __init__(self, weights: dict[str, float], bias: float, threshold: float, veto: float) -> None:
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.veto = veto

    def probability(self, token: Token) -> float:
        weights = self.weights
        z = self.bias + sum(weights.get(f, 0.0) for f in predicate_features(token))
        return 1.0 / (1.0 + math.exp(-z))


@functools.lru_cache(maxsize=1)
def load_predicate_model() -> PredicateTriggerModel:
    where = "events/predicate_triggers.json"
    raw = load_json(where)
    weights, bias, threshold = logistic_parameters(raw, where, PredicateModelError)
    try:
        veto = float(raw["veto"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PredicateModelError(f"{where}: veto: {exc}") from exc
    if not 0.0 <= veto <= threshold:
        raise PredicateModelError(f"{where}: veto must lie in [0, threshold]")
    return PredicateTriggerModel(weights, bias, threshold, veto)
