"""Joining scored pairs into clusters under the hard constraints."""

from __future__ import annotations

from collections.abc import Sequence

from extractors.merge.blocking import _block_keys_of
from extractors.merge.dates import NEG_INF, POS_INF
from extractors.merge.prepare import _Prepared
from extractors.merge.settings import MergeSettings


def _cluster(prepared: Sequence[_Prepared], edges: Sequence[tuple[float, int, int]], s: MergeSettings,
             weight: Sequence[float] | None = None) -> list[int]:
    """Union-find roots after greedy, constraint-checked joining of scored pairs."""
    n = len(prepared)
    parent = list(range(n))
    lo = [NEG_INF] * n
    hi = [POS_INF] * n
    wt = [0.0] * n
    cap = [POS_INF] * n  # the earliest day a member reports the event as past
    # Actor keys of each cluster: two clusters that both name participants, none shared, are
    # different events even when an actorless mention is worded like both ("he said it was time").
    actor_keys: list[frozenset[str]] = [frozenset(_block_keys_of(p.names)[0]) for p in prepared]
    # Full names (backdrop included) against every name of the other cluster: two clusters giving
    # full names of which the other names none are different people's events.
    full_keys: list[frozenset[str]] = [frozenset(_block_keys_of(p.full_names)[0]) for p in prepared]
    name_keys: list[frozenset[str]] = [frozenset(_block_keys_of(p.all_names)[0]) | {f"a:{n[0]}" for n in p.all_names if len(n) == 1}
                                       for p in prepared]
    for k, p in enumerate(prepared):
        if p.date.binding and p.date.dated:
            lo[k], hi[k] = p.date.lo, p.date.hi
            wt[k] = p.date.weight * (weight[k] if weight is not None else 1.0)
        cap[k] = p.date.reported_by
    threshold, window = s.conflict_threshold, s.conflict_window_days

    for score, i, j in edges:
        ri = i
        while parent[ri] != ri:
            parent[ri] = parent[parent[ri]]
            ri = parent[ri]
        rj = j
        while parent[rj] != rj:
            parent[rj] = parent[parent[rj]]
            rj = parent[rj]
        if ri == rj:
            continue
        new_lo, new_hi = max(lo[ri], lo[rj]), min(hi[ri], hi[rj])
        new_cap = min(cap[ri], cap[rj])
        if new_lo > NEG_INF and new_lo > new_cap + window:
            continue  # a source reported it as past before the others' date began
        keys_i, keys_j = actor_keys[ri], actor_keys[rj]
        if keys_i and keys_j and keys_i.isdisjoint(keys_j):
            continue
        full_i, full_j = full_keys[ri], full_keys[rj]
        if full_i and full_j and full_i.isdisjoint(name_keys[rj]) and full_j.isdisjoint(name_keys[ri]):
            continue
        if new_lo > new_hi:
            gap = max(lo[rj] - hi[ri], lo[ri] - hi[rj])
            if (score < threshold or gap > window or hi[ri] - lo[ri] > window or hi[rj] - lo[rj] > window):
                continue
            # The sides disagree about the date: the better-supported side keeps its interval and
            # the other's sources will surface as conflicts.
            keep = ri if (wt[ri], hi[rj] - lo[rj]) >= (wt[rj], hi[ri] - lo[ri]) else rj
            new_lo, new_hi = lo[keep], hi[keep]
        root, child = (ri, rj) if ri < rj else (rj, ri)
        parent[child] = root
        lo[root], hi[root], wt[root], cap[root] = new_lo, new_hi, wt[ri] + wt[rj], new_cap
        actor_keys[root] = keys_i | keys_j if keys_i and keys_j else keys_i or keys_j
        full_keys[root] = full_i | full_j
        name_keys[root] = name_keys[ri] | name_keys[rj]
    roots = []
    for i in range(n):
        r = i
        while parent[r] != r:
            r = parent[r]
        roots.append(r)
    return roots



