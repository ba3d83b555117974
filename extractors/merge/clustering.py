"""Joining scored pairs into clusters: average-link agglomeration over the candidate graph, under the
hard constraints of `scoring.py` lifted to whole clusters.

Two clusters join when the average probability of the scored pairs between them (each weighted by
the copies its mentions stand for) is at least the model's threshold; the best-linked clusters join
first. Pairs never compared (blocking kept them apart) do not count, so the cost stays that of the
candidate graph. A join is refused when the joined cluster would hold dates that cannot all hold
(unless the pair qualifies as a conflict), a source that reported the event as past before the
others' date began, or two sets of full names of which neither names the other's. Ties are broken by
content order, so shuffling the input does not change the output.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from extractors.merge.blocking import _block_keys_of
from extractors.merge.dates import NEG_INF, POS_INF, recurrence_join
from extractors.merge.prepare import _Prepared
from extractors.merge.settings import MergeSettings


def full_name_keys(p: _Prepared) -> frozenset[str]:
    """The full names a mention gives (backdrop included), as block keys: what `full_names_clash` compares."""
    return frozenset(_block_keys_of(p.full_names)[0])


def name_keys_of(p: _Prepared) -> frozenset[str]:
    """Every name a mention gives, full or partial, as block keys (a one-token name as "a:<token>")."""
    return frozenset(_block_keys_of(p.all_names)[0]) | {f"a:{x[0]}" for x in p.all_names if len(x) == 1}


def full_names_clash(full_a: frozenset[str], names_a: frozenset[str],
                     full_b: frozenset[str], names_b: frozenset[str]) -> bool:
    """Whether two clusters are different people's events: both give full names, and neither names
    any of the other's full names. The one statement of this veto for clusters and groups of entries."""
    return bool(full_a and full_b and full_a.isdisjoint(names_b) and full_b.isdisjoint(names_a))


def reported_before_begun(lo: int, cap: int, window: int) -> bool:
    """Whether a joined cluster whose date begins on day `lo` holds a source that reported the event as
    past on day `cap`, more than `window` days before it began (an article cannot report the future as
    past). The one statement of this veto for clusters and groups of entries."""
    return lo > NEG_INF and lo > cap + window


def _cluster(prepared: Sequence[_Prepared], edges: Sequence[tuple[float, int, int]], s: MergeSettings,
             weight: Sequence[float] | None = None, threshold: float | None = None) -> list[int]:
    """Root of each mention's cluster after average-link joining of the scored pairs."""
    n = len(prepared)
    if threshold is None:
        threshold = s.model.threshold if s.model is not None else 1.0
    conflict_threshold = s.model.conflict_threshold if s.model is not None else 1.0
    copies = list(weight) if weight is not None else [1.0] * n
    parent = list(range(n))
    lo = [NEG_INF] * n
    hi = [POS_INF] * n
    wt = [0.0] * n
    cap = [POS_INF] * n  # the earliest day a member reports the event as past
    # When a cluster of a recurring event can have happened (dates.recurrence_join).
    recurrence = [p.recurrence for p in prepared]
    # Full names (backdrop included) against every name of the other cluster: two clusters giving
    # full names of which the other names none are different people's events.
    full_keys = [full_name_keys(p) for p in prepared]
    name_keys = [name_keys_of(p) for p in prepared]
    for k, p in enumerate(prepared):
        if p.date.binding and p.date.dated:
            lo[k], hi[k] = p.date.lo, p.date.hi
            wt[k] = p.date.weight * copies[k]
        cap[k] = p.date.reported_by
    window = s.conflict_window_days
    # links[r][q] = [sum of weighted probabilities, sum of weights, best probability] between clusters r and q
    links: list[dict[int, list[float]]] = [{} for _ in range(n)]
    for probability, i, j in edges:
        w = copies[i] * copies[j]
        for a, b in ((i, j), (j, i)):
            link = links[a].setdefault(b, [0.0, 0.0, 0.0])
            link[0] += probability * w
            link[1] += w
            link[2] = max(link[2], probability)
    heap = [(-links[i][j][0] / links[i][j][1], i, j) for i in range(n) for j in links[i] if i < j]
    heapq.heapify(heap)

    def allowed(ri: int, rj: int, best: float) -> tuple[int, int] | None:
        """The joined cluster's date interval, or None when the join breaks a hard constraint."""
        new_lo, new_hi = max(lo[ri], lo[rj]), min(hi[ri], hi[rj])
        if reported_before_begun(new_lo, min(cap[ri], cap[rj]), window):
            return None
        if full_names_clash(full_keys[ri], name_keys[ri], full_keys[rj], name_keys[rj]):
            return None
        if recurrence_join(recurrence[ri], recurrence[rj]) is None:
            return None  # a recurring event told of two different days
        if new_lo > new_hi:
            gap = max(lo[rj] - hi[ri], lo[ri] - hi[rj])
            if best < conflict_threshold or gap > window or hi[ri] - lo[ri] > window or hi[rj] - lo[rj] > window:
                return None
            # The sides disagree about the date: the better-supported side keeps its interval and
            # the other's sources will surface as conflicts.
            keep = ri if (wt[ri], hi[rj] - lo[rj]) >= (wt[rj], hi[ri] - lo[ri]) else rj
            new_lo, new_hi = lo[keep], hi[keep]
        return new_lo, new_hi

    while heap:
        negative, ri, rj = heapq.heappop(heap)
        if parent[ri] != ri or parent[rj] != rj:
            continue  # a cluster that has since joined another
        link = links[ri].get(rj)
        if link is None or abs(-negative - link[0] / link[1]) > 1e-12:
            continue  # stale: the link changed since it was queued
        if -negative < threshold:
            break
        interval = allowed(ri, rj, link[2])
        if interval is None:
            del links[ri][rj], links[rj][ri]
            continue
        root, child = (ri, rj) if ri < rj else (rj, ri)
        parent[child] = root
        lo[root], hi[root] = interval
        wt[root], cap[root] = wt[ri] + wt[rj], min(cap[ri], cap[rj])
        joined_recurrence = recurrence_join(recurrence[ri], recurrence[rj])
        assert joined_recurrence is not None  # checked by allowed()
        recurrence[root] = joined_recurrence
        full_keys[root] = full_keys[ri] | full_keys[rj]
        name_keys[root] = name_keys[ri] | name_keys[rj]
        del links[root][child], links[child][root]
        for q, other in links[child].items():
            # Links to the child move to the root; only those averages change.
            mine = links[root].get(q)
            if mine is None:
                mine = links[root][q] = [0.0, 0.0, 0.0]
            mine[0] += other[0]
            mine[1] += other[1]
            mine[2] = max(mine[2], other[2])
            del links[q][child]
            links[q][root] = mine
            heapq.heappush(heap, (-mine[0] / mine[1], min(root, q), max(root, q)))
        links[child] = {}
    return roots_of(parent)


def roots_of(parent: Sequence[int]) -> list[int]:
    """The root of each element of a union-find forest given by its parent links."""
    roots = []
    for i in range(len(parent)):
        r = i
        while parent[r] != r:
            r = parent[r]
        roots.append(r)
    return roots
