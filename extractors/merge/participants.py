"""Who an event involves: name keys of mentions, the story's backdrop names, and the participant tests
of the same-event rules (scalar and vectorized over candidate pairs). Name matching itself is
`extractors.names`, shared with `actors.py`."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from extractors.merge.settings import load_settings
from extractors.names import any_name_matches as _any_name_matches
from extractors.names import name_tokens as _name_tokens
from extractors.names import names_match
from extractors.schema import EventMention

if TYPE_CHECKING:
    from extractors.merge.prepare import _Prepared
    from extractors.merge.settings import MergeSettings


# --- names -------------------------------------------------------------------------------------

def name_tokens(name: str, titles: frozenset[str] | None = None) -> tuple[str, ...]:
    """`extractors.names.name_tokens` with the given roles removed: the caller's settings'
    `name_titles`, or the packaged merge.yaml's when none are given."""
    return _name_tokens(name, load_settings().name_titles if titles is None else titles)



@functools.lru_cache(maxsize=1 << 16)
def _actor_tokens(actors: tuple[str, ...], titles: frozenset[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(t for t in (name_tokens(a, titles) for a in actors) if t)


def _common_names(mentions: Sequence[EventMention], s: MergeSettings) -> frozenset[tuple[str, ...]]:
    """Actors named by so many mentions ("Russia" in a Russia story) that sharing them says nothing."""
    counts: Counter[tuple[str, ...]] = Counter()
    for actors, k in Counter(m.actors for m in mentions).items():
        for t in _actor_tokens(actors, s.name_titles):
            counts[t] += k
    floor = max(s.common_actor_min_mentions, s.common_actor_share * len(mentions))
    return frozenset(name for name, c in counts.items() if c >= floor)




def _once_match(a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...]) -> bool:
    """Whether two mentions of a once-only event name the same participant: every name of the
    shorter list is on the other, and one of the matches is a person's full name ("Steve Jobs"
    / "Jobs"). One-word names ("Israelis", "Indiana", "CJD") are groups, places or things, whose
    deaths are many."""
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    if not small:
        return False
    full_name = False
    for x in small:
        matches = [y for y in big if names_match(x, y)]
        if not matches:
            return False
        full_name = full_name or any(max(len(x), len(y)) >= 2 and not x[0].startswith("#") for y in matches)
    return full_name


@functools.lru_cache(maxsize=1 << 18)
def _full_names_disagree(a_full: tuple[tuple[str, ...], ...], a_all: tuple[tuple[str, ...], ...],
                         b_full: tuple[tuple[str, ...], ...], b_all: tuple[tuple[str, ...], ...]) -> bool:
    return not _any_name_matches(a_full, b_all) and not _any_name_matches(b_full, a_all)


@functools.lru_cache(maxsize=1 << 16)
def _sense_participants_match(a: tuple[tuple[str, ...], ...], a_places: tuple[tuple[str, ...], ...],
                              b: tuple[tuple[str, ...], ...], b_places: tuple[tuple[str, ...], ...], same_doc: bool) -> bool:
    """Whether two mentions of one predicate are one event by who and where: a place or a person in
    common (one side giving a full name: "Tara Reid" / "Reid"; a one-word "Turkish" is a group, whose
    deaths are many); in one article also when a side names none (a later "the arrest" of the lead's)."""
    if same_doc and (not (a or a_places) or not (b or b_places)):
        return True
    if _any_name_matches(a_places, b_places):
        return True
    return any(names_match(x, y) and max(len(x), len(y)) >= 2 and not x[0].startswith("#") for x in a for y in b)


def _speaker(actors: Sequence[str], titles: frozenset[str]) -> tuple[str, ...]:
    tokens = name_tokens(actors[0], titles) if actors else ()
    return tokens if tokens and not tokens[0].startswith("#") else ()



# --- clustering --------------------------------------------------------------------------------

def _name_matches(names: Sequence[tuple[str, ...]]) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """A vectorized `names_match` over ids into `names` (-1 = no name, never matches).

    A name matches another that ends with it, or a one-word name one that starts with it; with
    every suffix of every name given an id, both tests are integer comparisons.
    """
    longest = max((len(n) for n in names), default=1)
    suffix_ids: dict[tuple[str, ...], int] = {}
    full = np.empty(len(names) + 1, dtype=np.int64)
    first = np.empty(len(names) + 1, dtype=np.int64)
    length = np.zeros(len(names) + 1, dtype=np.int64)
    suffix = np.full((len(names) + 1, longest + 1), -2, dtype=np.int64)
    for k, n in enumerate(names):
        for m in range(1, len(n) + 1):
            suffix[k, m] = suffix_ids.setdefault(n[len(n) - m:], len(suffix_ids))
        full[k], first[k], length[k] = suffix[k, len(n)], suffix_ids.setdefault(n[:1], len(suffix_ids)), len(n)
    full[-1], first[-1] = -3, -3  # the padding slot (-1)

    def match(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        la, lb = length[a], length[b]
        short, long_ = np.where(la <= lb, a, b), np.where(la <= lb, b, a)
        ls = length[short]
        ends_with = suffix[long_, ls] == full[short]
        family_first = (ls == 1) & (first[long_] == first[short])
        return (la > 0) & (lb > 0) & (ends_with | family_first)

    return match


def _actor_overlaps(prepared: Sequence[_Prepared], left: np.ndarray, right: np.ndarray,
                    neutral: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(share of the shorter actor list found in the other, number found, full names disagree) per
    pair. The first two are `_actor_overlap`'s; the third says both sides give full names (two or
    more words: "Steve Jobs", "Tim Cook") and none of them is found on the other side, whatever
    one-word names they share ("Apple"): Jobs's resignation is not Cook's."""
    lists: dict[tuple[tuple[str, ...], ...], int] = {}
    list_of = np.array([lists.setdefault(p.names, len(lists)) for p in prepared], dtype=np.int64)
    distinct = sorted({n for names in lists for n in names})
    name_id = {n: k for k, n in enumerate(distinct)}
    width = max((len(names) for names in lists), default=0)
    slots = np.full((len(lists), max(width, 1)), -1, dtype=np.int64)
    counts = np.zeros(len(lists), dtype=np.int64)
    for names, k in lists.items():
        slots[k, :len(names)] = [name_id[n] for n in names]
        counts[k] = len(names)
    # Each distinct pair of actor lists is compared once.
    combo, inverse = np.unique(list_of[left] * len(lists) + list_of[right], return_inverse=True)
    la, lb = combo // len(lists), combo % len(lists)
    match = _name_matches(distinct)
    full_name = np.array([len(n) >= 2 and not n[0].startswith("#") for n in distinct] + [False], dtype=bool)
    hits_a = np.zeros(len(combo), dtype=np.int64)
    hits_b = np.zeros(len(combo), dtype=np.int64)
    found_b = np.zeros((len(combo), slots.shape[1]), dtype=bool)
    full_a = np.zeros(len(combo), dtype=bool)
    full_found = np.zeros(len(combo), dtype=bool)
    for x in range(slots.shape[1]):
        found_a = np.zeros(len(combo), dtype=bool)
        for y in range(slots.shape[1]):
            hit = match(slots[la, x], slots[lb, y])
            found_a |= hit
            found_b[:, y] |= hit
        hits_a += found_a
        full_a |= full_name[slots[la, x]]
        full_found |= found_a & full_name[slots[la, x]]
    hits_b = found_b.sum(axis=1)
    full_b = full_name[slots[lb]].any(axis=1)
    full_found |= (found_b & full_name[slots[lb]]).any(axis=1)
    full_disagree = full_a & full_b & ~full_found
    na, nb = counts[la], counts[lb]
    small_is_a = na <= nb
    hits = np.where(small_is_a, hits_a, hits_b)
    small = np.where(small_is_a, na, nb)
    overlap = np.where((na == 0) | (nb == 0), neutral, hits / np.maximum(small, 1))
    shared = np.where((na == 0) | (nb == 0), 0, hits)
    inverse = inverse.reshape(-1)
    return overlap[inverse], shared[inverse], full_disagree[inverse]



