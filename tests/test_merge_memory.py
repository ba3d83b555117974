"""The merge's memory bounds change nothing it decides: candidate pairs kept compact (32-bit indices
and scores, duplicates folded in as they are collected) and pairs scored in chunks give the same
pairs and the same entries as one pass over everything, on merge_scale's synthetic collection."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import load_benchmark

from extractors.merge import blocking, load_settings, merge_mentions, rule_scoring, scoring
from extractors.merge.participants import _common_names
from extractors.merge.prepare import _canonical_key, _prepare


@pytest.fixture(scope="module")
def mentions():
    return [m for m, _ in load_benchmark("merge_scale").synthesize(1_500, 7)]


def _pairs(mentions, settings):
    ordered = sorted(mentions, key=_canonical_key)
    common = _common_names(ordered, settings)
    date_cache: dict = {}
    return blocking._candidate_pairs([_prepare(m, settings, common, date_cache) for m in ordered], settings)


def test_merge_candidate_pairs_compact_and_unique(mentions, monkeypatch):
    s = load_settings()
    left, right, text = _pairs(mentions, s)
    assert (left.dtype, right.dtype, text.dtype) == (np.int32, np.int32, np.float32)
    key = left.astype(np.int64) * len(mentions) + right
    assert len(key) > 1_000 and np.all(left < right) and np.all(np.diff(key) > 0)  # each pair once, in order
    # Folding the pairs in after every block (and every small block's pair) gives the same result.
    monkeypatch.setattr(blocking, "COMPACT_MIN", 1)
    monkeypatch.setattr(blocking, "SMALL_FLUSH", 1)
    again = _pairs(mentions, s)
    assert all(np.array_equal(a, b) for a, b in zip((left, right, text), again, strict=True))


@pytest.mark.parametrize("learned", [False, True])
def test_merge_chunked_scoring_changes_nothing(mentions, monkeypatch, learned):
    s = dataclasses.replace(load_settings(), learned_scorer=learned)
    subset = mentions if not learned else mentions[:600]
    whole = merge_mentions(subset, settings=s)
    # Chunks of 97 pairs: every chunk boundary a pair can fall on.
    monkeypatch.setattr(scoring, "PAIR_CHUNK", 97)
    monkeypatch.setattr(rule_scoring, "PAIR_CHUNK", 97)
    assert merge_mentions(subset, settings=s) == whole
