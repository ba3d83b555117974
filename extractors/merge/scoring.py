"""Scoring candidate pairs: the learned scorer's probability that two mentions tell one event, and the
hard constraints no probability overrides. Each same-event rule is stated here once:

- two mentions giving full names (two words or more, the story's backdrop included), none of which
  the other names ("Tara Reid" / "Lindsay Lohan"), are different events;
- two dates that both bind (read from the text, not from the verb's tense) and cannot both hold are
  different events, unless the pair is near-certain (`conflict_threshold`) and both dates are
  precise and at most `conflict_window_days` apart: then it is one event with a date conflict;
- an article cannot report as past an event that began more than `conflict_window_days` after
  it was written;
- two mentions of a recurring event (merge.yaml `recurring`: an index rises every day) told of two
  different days (`dates.recurrence_join`) are different events, never one with a conflict.

`clustering.py` applies the same rules to whole clusters.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from extractors.merge.dates import (
    NEG_INF,
    POS_INF,
    UNBOUNDED,
    _compatible_pairs,
    _date_arrays,
    _precise,
    recurrences_disagree,
)
from extractors.merge.features import DocumentVectors, pair_features
from extractors.merge.participants import _actor_overlaps, _full_names_disagree
from extractors.merge.prepare import _Prepared
from extractors.merge.settings import MergeSettings

# Candidate pairs scored at once: what the scorers hold per pair (features, temporaries) is bounded
# by this many pairs, whatever the number of pairs (millions in a collection of 100,000 mentions).
PAIR_CHUNK = 1 << 18


def full_names_disagree(prepared: Sequence[_Prepared], left: np.ndarray, right: np.ndarray,
                        by_actors: np.ndarray | None = None) -> np.ndarray:
    """Per pair: both sides give full names and neither side names any of the other's (actors, and
    the backdrop names the actors leave out: a story of two rehab stays names both actresses
    everywhere). `by_actors`: the actors' verdict when the caller has it (`_actor_overlaps`)."""
    disagree = (_actor_overlaps(prepared, left, right, 0.0)[2] if by_actors is None else by_actors).copy()
    has_full = np.array([bool(p.full_names) for p in prepared], dtype=bool)
    check = np.flatnonzero(has_full[left] & has_full[right] & ~disagree)
    for k, i, j in zip(check.tolist(), left[check].tolist(), right[check].tolist(), strict=True):
        a, b = prepared[i], prepared[j]
        if _full_names_disagree(a.full_names, a.all_names, b.full_names, b.all_names):
            disagree[k] = True
    return disagree


def dates_exclude(prepared: Sequence[_Prepared], left: np.ndarray, right: np.ndarray, probability: np.ndarray,
                  s: MergeSettings, conflict_threshold: float) -> np.ndarray:
    """Per pair: the dates say these are different events (see the module docstring)."""
    d = _date_arrays(prepared)
    binding = d["binding"][left] & d["binding"][right]
    lo_l, hi_l, lo_r, hi_r = d["lo"][left], d["hi"][left], d["lo"][right], d["hi"][right]
    gap = np.maximum(np.maximum(lo_r - hi_l, lo_l - hi_r), 0)
    gap = np.where(d["dated"][left] & d["dated"][right], gap, POS_INF)
    recurrence = np.array([p.recurrence for p in prepared], dtype=np.int64).reshape(-1, 4)
    other_day = recurrences_disagree(recurrence[left], recurrence[right])
    recurring = np.any(recurrence[left] != UNBOUNDED, axis=1) & np.any(recurrence[right] != UNBOUNDED, axis=1)
    as_conflict = ((probability >= conflict_threshold) & (gap <= s.conflict_window_days)
                   & _precise(lo_l, hi_l, s) & _precise(lo_r, hi_r, s) & ~recurring)
    exclude = binding & ~_compatible_pairs(d, left, right) & ~as_conflict
    exclude |= other_day
    # A past event in an article of 2008 is not the 2010 edition of an annual conference.
    starts_l = np.where(d["binding"][left] & d["dated"][left], lo_l, NEG_INF)
    starts_r = np.where(d["binding"][right] & d["dated"][right], lo_r, NEG_INF)
    window = s.conflict_window_days
    exclude |= (starts_l > d["reported_by"][right] + window) | (starts_r > d["reported_by"][left] + window)
    return exclude  # type: ignore[no-any-return]


def _scored_edges(prepared: Sequence[_Prepared], pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
                  s: MergeSettings, documents: DocumentVectors) -> list[tuple[float, int, int]]:
    """(probability, i, j) of the pairs that may be joined, best first (ties in content order)."""
    left, right, text = pairs
    if not len(left) or s.model is None:
        return []
    # PAIR_CHUNK pairs at a time: the feature matrix and the constraints' temporaries are bounded
    # by the chunk, not by the millions of pairs a large collection has.
    kept = [_kept_pairs(prepared, left[k:k + PAIR_CHUNK], right[k:k + PAIR_CHUNK], text[k:k + PAIR_CHUNK], s,
                        documents) for k in range(0, len(left), PAIR_CHUNK)]
    probability, left, right = (np.concatenate(column) for column in zip(*kept, strict=True))
    order = np.lexsort((right, left, -probability))
    return list(zip(probability[order].tolist(), left[order].tolist(), right[order].tolist(), strict=True))


def _kept_pairs(prepared: Sequence[_Prepared], left: np.ndarray, right: np.ndarray, text: np.ndarray,
                s: MergeSettings, documents: DocumentVectors) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(probability, left, right) of the pairs of one chunk that no hard constraint keeps apart."""
    assert s.model is not None
    probability = s.model.probability(pair_features(prepared, left, right, text, documents, s))
    keep = ~full_names_disagree(prepared, left, right)
    keep &= ~dates_exclude(prepared, left, right, probability, s, s.model.conflict_threshold)
    return np.round(probability[keep], 6), left[keep], right[keep]
