"""The hand-set same-event rules (the merge before the learned scorer, still the default: see
`MergeSettings.learned_scorer`): scored pairs that may join, and their greedy single-link clustering."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from extractors.event_lexicon import OTHER_TYPE
from extractors.merge.blocking import _block_keys_of
from extractors.merge.clustering import (
    full_name_keys,
    full_names_clash,
    name_keys_of,
    reported_before_begun,
    roots_of,
)
from extractors.merge.dates import NEG_INF, POS_INF, UNBOUNDED, recurrence_join
from extractors.merge.participants import (
    _actor_overlaps,
    _once_match,
    _sense_participants_match,
)
from extractors.merge.prepare import _Prepared
from extractors.merge.scoring import PAIR_CHUNK, dates_exclude, full_names_disagree
from extractors.merge.settings import MergeSettings
from extractors.names import names_match


def _speaker_match(a: _Prepared, b: _Prepared, text: float, s: MergeSettings) -> bool:
    """One speaker's remarks: the same speaker (one side's name of two words or more) in one article,
    or told of the same day, or re-told in another article in words at least this alike."""
    if not names_match(a.speaker, b.speaker) or max(len(a.speaker), len(b.speaker)) < 2:
        return False
    if a.doc == b.doc:
        return True
    if a.date.binding and b.date.binding and a.date.bounded and b.date.bounded:
        return a.date.lo == a.date.hi == b.date.lo == b.date.hi
    return text >= s.speaker_retelling_min_text



class RankedEdges:
    """Scored pairs best first (ties in content order), kept as three compact arrays and handed out
    as (score, i, j) tuples while they are iterated: a list of a million tuples of Python numbers
    weighs ten times the arrays."""

    def __init__(self, score: np.ndarray, left: np.ndarray, right: np.ndarray) -> None:
        order = np.lexsort((right, left, -score))
        self.score, self.left, self.right = score[order], left[order], right[order]

    def __len__(self) -> int:
        return len(self.score)

    def __iter__(self) -> Iterator[tuple[float, int, int]]:
        for k in range(0, len(self.score), PAIR_CHUNK):
            yield from zip(self.score[k:k + PAIR_CHUNK].tolist(), self.left[k:k + PAIR_CHUNK].tolist(),
                           self.right[k:k + PAIR_CHUNK].tolist(), strict=True)


def _rule_edges(prepared: Sequence[_Prepared], pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
                s: MergeSettings, stories: Sequence[int] | None = None) -> RankedEdges:
    """Pairs that may be joined, best first (ties in content order). `stories`: each mention's story
    (-1 for none) for the same-story rule (`same_predicate.same_story`)."""
    left, right, text = pairs
    mentions = _MentionArrays(prepared, s, stories)
    # PAIR_CHUNK pairs at a time: the dozens of per-pair temporaries below are bounded by the
    # chunk, not by the millions of pairs a large collection has.
    kept = [_kept_pairs(prepared, mentions, left[k:k + PAIR_CHUNK], right[k:k + PAIR_CHUNK],
                        text[k:k + PAIR_CHUNK], s) for k in range(0, len(left), PAIR_CHUNK)]
    if not kept:
        return RankedEdges(np.zeros(0), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))
    return RankedEdges(*(np.concatenate(column) for column in zip(*kept, strict=True)))


class _MentionArrays:
    """What the rules read of each mention, as arrays indexed by mention (built once per merge)."""

    def __init__(self, prepared: Sequence[_Prepared], s: MergeSettings, stories: Sequence[int] | None = None) -> None:
        self.empty = np.array([not p.text for p in prepared])
        self.story = np.array(stories if stories is not None and s.sense_same_story else [-1] * len(prepared),
                              dtype=np.int64)
        lemma_ids = {lemma: k for k, lemma in enumerate(sorted({p.lemma for p in prepared}))}
        type_ids = {t: k for k, t in enumerate(sorted({p.type for p in prepared}))}
        self.lemma = np.array([lemma_ids[p.lemma] for p in prepared])
        self.type = np.array([type_ids[p.type] for p in prepared])
        # Two predicates outside the taxonomy ("possess", "presented") share no type: `other` says nothing.
        self.typed = self.type != type_ids.get(OTHER_TYPE, -1)
        self.named = np.array([len(p.names) for p in prepared])
        self.min_text = np.array([s.min_text_of.get(p.family, 0.0) for p in prepared])
        self.once = np.array([p.once for p in prepared])
        self.once_named = np.array([len(p.once_names) for p in prepared])
        sense_ids = {sense: k for k, sense in enumerate(sorted({p.sense for p in prepared if p.sense}))}
        self.sense = np.array([sense_ids[p.sense] if p.sense else -1 for p in prepared], dtype=np.int64)
        self.has_speaker = np.array([bool(p.speaker) for p in prepared], dtype=bool)
        self.binds = np.array([p.date.binding for p in prepared])
        self.pair_family = np.array([p.family in s.pair_families for p in prepared])
        doc_ids = {d: k for k, d in enumerate(sorted({p.doc for p in prepared}))}
        self.doc = np.array([doc_ids[p.doc] for p in prepared], dtype=np.int64)
        self.sentence = np.array([p.sentence_index for p in prepared], dtype=np.int64)
        # The sense group in every family (statements too): which predicates of one sentence differ.
        sense_key_ids = {key: k for k, key in enumerate(sorted({p.sense_key for p in prepared}))}
        self.sense_key = np.array([sense_key_ids[p.sense_key] for p in prepared], dtype=np.int64)


def _kept_pairs(prepared: Sequence[_Prepared], m: _MentionArrays, left: np.ndarray, right: np.ndarray,
                text: np.ndarray, s: MergeSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(score, left, right) of the pairs of one chunk that may be joined."""
    # Two summaries with no content word left ("the case" / "the suit") agree on nothing; rapidfuzz
    # would call two empty strings identical.
    text = np.where(m.empty[left] | m.empty[right], 0.0, text.astype(np.float64))
    lemma, type_, named, min_text = m.lemma, m.type, m.named, m.min_text
    # Wording floors: some families (statements) are told apart by what was said, not by who
    # said it; and a mention that names no actor has only its wording to show it is the same event.
    # A death, a resignation: one participant has it once, so the same participant on both sides
    # identifies it (checked below: every actor of the shorter list must be on the other), and
    # the wording needs no floor.
    once, once_named = m.once, m.once_named
    once_pair = (once[left] >= 0) & (once[left] == once[right]) & (once_named[left] > 0) & (once_named[right] > 0)
    floor = np.maximum(min_text[left], np.where((named[left] == 0) | (named[right] == 0), s.actorless_min_text, 0.0))
    # The same predicate (one sense group) naming a common participant or place, or in one article,
    # needs no wording either (checked below): "Reid checked into rehab" / "Reid has entered rehab".
    sense_pair = (m.sense[left] >= 0) & (m.sense[left] == m.sense[right])
    story_pair = sense_pair & (m.story[left] >= 0) & (m.story[left] == m.story[right])
    speaker_pair = m.has_speaker[left] & m.has_speaker[right]
    sense_pair |= speaker_pair
    strict_floor = floor
    floor = np.where(once_pair | sense_pair, min_text[left], floor)
    floor = np.where(speaker_pair, 0.0, floor)
    # A mention dated only by its tense (or not at all) that joins a dated one takes its date: shared
    # actors alone ("Apple" and "Jobs" in every Apple story) are not evidence enough for that.
    dating = m.binds[left] != m.binds[right]
    trigger = np.where(lemma[left] == lemma[right], 1.0,
                       np.where((type_[left] == type_[right]) & m.typed[left], s.same_type_trigger, 0.0))
    partial = s.w_text * text + s.w_trigger * trigger
    # An upper bound (full actor overlap) discards most pairs before the actor comparison.
    pair_family = m.pair_family[left]
    bonus_possible = np.where(pair_family & (named[left] >= 2) & (named[right] >= 2), s.shared_pair_bonus, 0.0)
    bonus_possible = np.maximum(bonus_possible, np.where(once_pair, s.once_bonus, 0.0))
    bonus_possible = np.maximum(bonus_possible, np.where(sense_pair, s.sense_bonus + s.w_trigger * (1.0 - trigger), 0.0))
    keep = (np.minimum(partial + s.w_actors + bonus_possible, 1.0) >= s.merge_threshold) & (text >= floor)
    # Two predicates of one sentence ("agreed to send", "arrested and charged", "appreciate your
    # respect") are two things it tells: their summaries overlap, so their wording always agrees. Whether
    # they are one happening is the same-sentence join's call (same_sentence.py), not this score's.
    keep &= ~((m.doc[left] == m.doc[right]) & (m.sentence[left] == m.sentence[right])
              & (m.sense_key[left] != m.sense_key[right]) & ~speaker_pair)
    keep &= ~dating | (text >= s.dating_min_text) | (bonus_possible > 0)
    left, right, partial, pair_family = left[keep], right[keep], partial[keep], pair_family[keep]
    text, dating, once_pair = text[keep], dating[keep], once_pair[keep]
    sense_pair, strict_floor, trigger = sense_pair[keep], strict_floor[keep], trigger[keep]
    story_pair = story_pair[keep]

    overlap, shared, full_disagree = _actor_overlaps(prepared, left, right, s.no_actor_overlap)
    once_match = np.zeros(len(left), dtype=bool)
    for k in np.flatnonzero(once_pair).tolist():  # rare: a few deaths and resignations per story
        a, b = prepared[left[k]].once_names, prepared[right[k]].once_names
        if _once_match(a, b):
            once_match[k] = True
            # The backdrop name counts here: it is the participant of the event.
            overlap[k], shared[k] = 1.0, max(shared[k], min(len(a), len(b)))
    # Full names on both sides, none in common: different events, whatever the wording.
    full_disagree = full_names_disagree(prepared, left, right, full_disagree)
    sense_match = np.zeros(len(left), dtype=bool)
    check = np.flatnonzero(sense_pair & ~full_disagree)
    for k, i, j, words in zip(check.tolist(), left[check].tolist(), right[check].tolist(), text[check].tolist(),
                              strict=True):
        a, b = prepared[i], prepared[j]
        if a.speaker and b.speaker:
            sense_match[k] = _speaker_match(a, b, words, s)
        elif story_pair[k]:
            sense_match[k] = True  # the same predicate in one story: names and dates (below) decide
        else:
            sense_match[k] = _sense_participants_match(
                a.sense_names, a.sense_places, b.sense_names, b.sense_places, a.doc == b.doc) or (
                (not (a.sense_names or a.sense_places) or not (b.sense_names or b.sense_places))
                and words >= s.sense_unnamed_min_text)
    overlap = np.where(sense_match, np.maximum(overlap, 1.0), overlap)
    bonus = np.where(pair_family & (shared >= 2), s.shared_pair_bonus, 0.0)
    bonus = np.maximum(bonus, np.where(once_match, s.once_bonus, 0.0))
    # Synonyms of one sense count as the same trigger.
    bonus = np.maximum(bonus, np.where(sense_match, s.sense_bonus + s.w_trigger * (1.0 - trigger), 0.0))
    # Both name their actors and none agree, or none of their full names: different events,
    # whatever the wording; the same predicate in one story needs only the full names to agree, and is
    # certain (score 1): its clusters may join though they name different sides of the event.
    story_match = sense_match & story_pair
    score = np.where(story_match, 1.0, np.minimum(partial + s.w_actors * overlap + bonus, 1.0))
    keep = (score >= s.merge_threshold) & ~full_disagree
    keep &= ~((named[left] > 0) & (named[right] > 0) & (shared == 0)) | story_match
    # Two shared participants of a meeting, or the one participant of a once-only event, stand in
    # for wording, also when they date the other side.
    # The same predicate and participant date a tense-only mention only inside one article; across
    # articles, in one story when both summaries say something ("the case" / "the case" does not):
    # a later article's re-telling dated by its tense is the event it re-tells.
    same_doc = m.doc[left] == m.doc[right]
    keep &= ~dating | (text >= s.dating_min_text) | (pair_family & (shared >= 2)) | once_match | (sense_match & same_doc) \
        | (story_match & ~m.empty[left] & ~m.empty[right])
    keep &= (text >= strict_floor) | once_pair | sense_match
    left, right, score = left[keep], right[keep], np.round(score[keep], 6)

    # Dates: only pairs where both dates bind can be incompatible; they survive only as conflicts
    # between near-identical wordings of precise, nearby dates (the rule both scorers share).
    drop = dates_exclude(prepared, left, right, score, s, s.conflict_threshold)
    return score[~drop], left[~drop], right[~drop]


def _cluster_greedy(prepared: Sequence[_Prepared], edges: Iterable[tuple[float, int, int]], s: MergeSettings,
             weight: Sequence[float] | None = None) -> list[int]:
    """Union-find roots after greedy, constraint-checked joining of scored pairs."""
    n = len(prepared)
    parent = list(range(n))
    lo = [NEG_INF] * n
    hi = [POS_INF] * n
    wt = [0.0] * n
    cap = [POS_INF] * n  # the earliest day a member reports the event as past
    # When a cluster of a recurring event can have happened (dates.recurrence_join).
    recurrence = [p.recurrence for p in prepared]
    # Actor keys of each cluster: two clusters that both name participants, none shared, are
    # different events even when an actorless mention is worded like both ("he said it was time").
    actor_keys: list[frozenset[str]] = [frozenset(_block_keys_of(p.names)[0]) for p in prepared]
    # Full names (backdrop included) against every name of the other cluster: two clusters giving
    # full names of which the other names none are different people's events.
    full_keys: list[frozenset[str]] = [full_name_keys(p) for p in prepared]
    name_keys: list[frozenset[str]] = [name_keys_of(p) for p in prepared]
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
        if reported_before_begun(new_lo, new_cap, window):
            continue
        rec_i, rec_j = recurrence[ri], recurrence[rj]
        # (most clusters are of no recurring family: no call for them, the loop meets millions of pairs)
        joined_recurrence = UNBOUNDED if rec_i is UNBOUNDED and rec_j is UNBOUNDED else recurrence_join(rec_i, rec_j)
        if joined_recurrence is None:
            continue  # a recurring event told of two different days
        keys_i, keys_j = actor_keys[ri], actor_keys[rj]
        # ... unless the pair is certain (score 1: the same predicate in one story, a once-only event
        # of one person), where the clusters name different sides of one event ("police" / "Dell").
        if keys_i and keys_j and keys_i.isdisjoint(keys_j) and score < 1.0:
            continue
        full_i, full_j = full_keys[ri], full_keys[rj]
        if full_names_clash(full_i, name_keys[ri], full_j, name_keys[rj]):
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
        recurrence[root] = joined_recurrence
        actor_keys[root] = keys_i | keys_j if keys_i and keys_j else keys_i or keys_j
        full_keys[root] = full_i | full_j
        name_keys[root] = name_keys[ri] | name_keys[rj]
    return roots_of(parent)



