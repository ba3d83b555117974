"""benchmarks/coref_pairs.py: mention pairs counted by what they share and what the merge did with them."""

from __future__ import annotations

import pytest

from extractors.merge import load_settings
from tests.conftest import load_benchmark
from tests.test_merge import mention

cp = load_benchmark("coref_pairs")


def scored(doc: str, lemma: str, entry: str, gold: str, story: int = 1, type: str = "legal",
           modality: str = "asserted") -> object:
    return cp.Scored(mention(doc, f"police {lemma} a man", type=type, lemma=lemma, modality=modality), entry, gold, story)


@pytest.mark.parametrize(("a", "b", "kind", "outcome"), [
    (scored("a", "arrest", "e1", "g1"), scored("a", "arrest", "e1", "g1"),
     ("article", "lemma", "one family", "one modality group"), "joined"),
    (scored("a", "arrest", "e1", "g1"), scored("b", "arrest", "e2", "g1", modality="planned"),
     ("story", "lemma", "one family", "two modality groups"), "split"),
    (scored("a", "shoot", "e1", "g1", type="military_action"), scored("b", "shooting", "e1", "g2", story=2),
     ("two stories", "sense", "two families", "one modality group"), "wrong"),
    (scored("a", "arrest", "e1", "g1"), scored("b", "charge", "e2", "g2"),
     ("story", "other sense", "one family", "one modality group"), "apart"),
])
def test_coref_pairs_kind_and_outcome(a, b, kind, outcome):
    s = load_settings()
    assert cp.kind_of(a, b, s) == kind
    assert cp.outcome(a, b) == outcome


def test_coref_pairs_counts_every_pair_once():
    s = load_settings()
    items = [scored("a", "arrest", "e1", "g1"), scored("b", "arrest", "e1", "g1"), scored("c", "arrest", "e2", "g1")]
    counts = cp.count_pairs(items, s)
    kind = ("story", "lemma", "one family", "one modality group")
    assert counts == {(kind, "joined"): 1, (kind, "split"): 2}
    assert "| story | lemma | one family | one modality group | 2 | 1 | 0 | 0 |" in cp.table(counts)
