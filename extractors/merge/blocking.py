"""Candidate pairs: which mentions are ever compared, block by block (never all pairs)."""

from __future__ import annotations

import functools
from array import array
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from rapidfuzz.process import cdist

from extractors.merge.prepare import _Prepared
from extractors.merge.settings import MergeSettings

SMALL_GRID = 64  # cells below which pairs are scored one by one instead of through cdist
FREE_BLOCK = 64  # blocks up to this size are compared with no wording cutoff by the who/where rules
SMALL_FLUSH = 1 << 16  # small blocks' pairs are moved into numpy arrays this many at a time
COMPACT_MIN = 1 << 20  # collected pairs are deduplicated once at least this many (and as many as are kept) wait

# --- candidate pairs ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=1 << 16)
def _block_keys_of(names: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(actor keys, pairs of actor keys) of a mention's names."""
    # The last token meets every longer form of a name ("Putin" / "Vladimir Putin"); names of three
    # or more tokens also offer their first ("Kim Jong Un" meets a bare "Kim").
    keys = sorted({f"a:{n[-1]}" for n in names} | {f"a:{n[0]}" for n in names if len(n) >= 3})
    return tuple(keys), tuple((a, b) for k, a in enumerate(keys) for b in keys[k + 1:])



def _buckets(p: _Prepared, s: MergeSettings) -> range:
    lo = (p.block_lo - s.conflict_window_days) // s.bucket_days
    hi = (p.block_hi + s.conflict_window_days) // s.bucket_days
    return range(lo, hi + 1)


class _PairSink:
    """Collects (i, j, text score) triples block by block as compact numpy arrays, duplicates removed as they come."""

    def __init__(self, prepared: Sequence[_Prepared], s: MergeSettings) -> None:
        self.prepared = prepared
        self.texts = [p.text for p in prepared]
        self.lemmas = [p.lemma for p in prepared]
        doc_ids = {d: k for k, d in enumerate(sorted({p.doc for p in prepared}))}
        self.docs = np.array([doc_ids[p.doc] for p in prepared], dtype=np.int64)
        self.s = s
        self.with_context = False
        # Pairs as compact arrays (32-bit indices and scores): blocks overlap, so the same pair is met
        # several times; those collected since the last compaction wait in `rows`/`cols`/`scores`
        # (small blocks' pairs in typed arrays, not lists of Python numbers), and `_compact` folds
        # them into `unique`, one entry per pair with its best text score, whenever they outnumber
        # it. Memory stays near that of the distinct pairs, not of every pair met.
        self.n = len(prepared)
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.scores: list[np.ndarray] = []
        self.pending = 0
        self.unique_keys = np.zeros(0, dtype=np.int64)  # i * n + j, ascending
        self.unique_scores = np.zeros(0, dtype=np.float32)
        self.small_i = array("i")
        self.small_j = array("i")
        self.small_t = array("f")

    def context(self, i: int) -> str:
        """The wording of the mention's whole sentence, for mentions whose summary is too short to say much."""
        p = self.prepared[i]
        # `p.context` is that sentence's stem bag (`prepare._prepare`), computed once per mention.
        return p.text if p.sentence_is_summary else p.context

    def grid(self, rows: Sequence[int], cols: Sequence[int], cutoff: float, query_mask: np.ndarray | None) -> None:
        if not rows or not cols:
            return
        if len(rows) * len(cols) <= SMALL_GRID:
            self._small_grid(rows, cols, cutoff, query_mask)
            return
        matrix = cdist([self.texts[i] for i in rows], [self.texts[j] for j in cols], scorer=self.s.scorer_fn,
                       processor=None, score_cutoff=cutoff, dtype=np.float32, workers=1)
        if self.with_context:
            # Across articles, an actorless mention ("Sanctions have been imposed on entities ...")
            # may share its event's wording only with the rest of the other sentence.
            context = cdist([self.context(i) for i in rows], [self.context(j) for j in cols], scorer=self.s.scorer_fn,
                            processor=None, score_cutoff=cutoff, dtype=np.float32, workers=1)
            other_doc = self.docs[np.asarray(rows)][:, None] != self.docs[np.asarray(cols)][None, :]
            matrix = np.maximum(matrix, np.where(other_doc, context, 0.0).astype(np.float32))
        # With no cutoff (pairs sharing two actors) every pair counts, even one sharing no word.
        r, c = np.nonzero(matrix) if cutoff > 0 else np.nonzero(np.ones(matrix.shape, dtype=bool))
        if not len(r):
            return
        gi, gj = np.asarray(rows, dtype=np.int32)[r], np.asarray(cols, dtype=np.int32)[c]
        keep = gi != gj
        if query_mask is not None:
            keep &= query_mask[gi] | query_mask[gj]
        self._add(np.minimum(gi, gj)[keep], np.maximum(gi, gj)[keep], matrix[r, c][keep] / np.float32(100.0))

    def _small_grid(self, rows: Sequence[int], cols: Sequence[int], cutoff: float,
                    query_mask: np.ndarray | None) -> None:
        # Most blocks hold a handful of mentions; for them cdist's per-call setup costs more than
        # scoring the pairs one by one.
        scorer, texts, docs = self.s.scorer_fn, self.texts, self.docs
        same = rows is cols
        for r, i in enumerate(rows):
            ti = texts[i]
            for j in (cols[r + 1:] if same else cols):
                if i == j or (query_mask is not None and not (query_mask[i] or query_mask[j])):
                    continue
                score = scorer(ti, texts[j], score_cutoff=cutoff)
                if self.with_context and docs[i] != docs[j]:
                    score = max(score, scorer(self.context(i), self.context(j), score_cutoff=cutoff))
                if score or cutoff <= 0:
                    self.small_i.append(i if i < j else j)
                    self.small_j.append(j if i < j else i)
                    self.small_t.append(score / 100.0)
            if len(self.small_i) >= SMALL_FLUSH:
                self._flush_small()

    def block(self, members: Sequence[int], queries: set[int] | None, query_mask: np.ndarray | None,
              prefilter: float, split: bool = True) -> None:
        """Score pairs of `members` (only pairs touching a query, when queries are given)."""
        if len(members) < 2:
            return
        cutoff = prefilter * 100.0
        limit = self.s.max_block_size
        if queries is not None:
            asking = [i for i in members if i in queries]
            if len(asking) * len(members) <= limit * limit:
                self.grid(asking, members, cutoff, None)
                return
            if split:
                # A hot actor's whole history against its undated mentions: compare within trigger
                # lemma only, which bounds the cost at the price of undated paraphrases with another verb.
                parts: dict[str, list[int]] = defaultdict(list)
                for i in members:
                    parts[self.lemmas[i]].append(i)
                for lemma in sorted(parts):
                    self.block(parts[lemma], queries, query_mask, prefilter, split=False)
                return
        if len(members) * len(members) <= SMALL_GRID * 2:
            self.grid(members, members, cutoff, query_mask)
            return
        if len(members) <= limit:
            self.grid(members, members, cutoff, query_mask)
            return
        # Oversized: neighbours in (lemma, wording) order are the likely duplicates; windows of
        # 2 * window overlapping by window cover every pair less than `window` positions apart.
        ordered = sorted(members, key=lambda i: (self.texts[i], i))
        step = self.s.window
        for begin in range(0, max(len(ordered) - step, 1), step):
            chunk = ordered[begin:begin + 2 * step]
            self.grid(chunk, chunk, cutoff, query_mask)

    def _add(self, i: np.ndarray, j: np.ndarray, t: np.ndarray) -> None:
        if not len(i):
            return
        self.rows.append(i)
        self.cols.append(j)
        self.scores.append(t)
        self.pending += len(i)
        if self.pending >= max(COMPACT_MIN, len(self.unique_keys)):
            self._compact()

    def _flush_small(self) -> None:
        if self.small_i:
            # The array module's "f" is C float: the same rounding of the score as np.float32.
            small = (np.frombuffer(self.small_i, dtype=np.intc).astype(np.int32),
                     np.frombuffer(self.small_j, dtype=np.intc).astype(np.int32),
                     np.frombuffer(self.small_t, dtype=np.float32).copy())
            self.small_i, self.small_j, self.small_t = array("i"), array("i"), array("f")
            self._add(*small)

    def _compact(self) -> None:
        """Fold the pairs collected since the last compaction into `unique`: a pair met in several
        blocks keeps its best text score (the context-aware scheme may score higher)."""
        if not self.rows:
            return
        key = np.concatenate([self.unique_keys, *(r.astype(np.int64) * self.n + c for r, c in zip(self.rows, self.cols,
                                                                                              strict=True))])
        t = np.concatenate([self.unique_scores, *self.scores])
        self.rows, self.cols, self.scores, self.pending = [], [], [], 0
        order = np.lexsort((-t, key))
        key, t = key[order], t[order]
        del order
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        self.unique_keys, self.unique_scores = key[first], t[first]

    def result(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(i, j, text score) of every distinct pair met, i < j, in (i, j) order: int32, int32, float32."""
        self._flush_small()
        self._compact()
        key, t = self.unique_keys, self.unique_scores
        self.unique_keys, self.unique_scores = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return (key // self.n).astype(np.int32), (key % self.n).astype(np.int32), t


def _candidate_pairs(prepared: Sequence[_Prepared], s: MergeSettings, stories: Sequence[int] | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, text score) of the pairs worth scoring, found block by block (never all pairs), i < j.
    `stories`: each mention's story (its article's cluster, -1 for none), for the same-story rule."""
    sink = _PairSink(prepared, s)
    n = len(prepared)
    keys_of = [_block_keys_of(p.names) for p in prepared]
    actorless = {i for i, p in enumerate(prepared) if not p.names}
    unnamed = {i for i, p in enumerate(prepared) if p.sense and not p.sense_names and not p.sense_places}
    # A scheme's cutoff is one wording similarity, or (for blocks of at most FREE_BLOCK mentions,
    # for larger ones): the rules that need no wording stay cheap where a hot name makes big blocks.
    schemes: list[tuple[Sequence[Sequence[Any]], float | tuple[float | None, ...], set[int] | None]] = [
        # In families whose events two participants identify (meetings), mentions naming two or
        # more actors are also blocked by actor pair (small blocks) with no text cutoff.
        ([pairs if p.family in s.pair_families else () for (_, pairs), p in zip(keys_of, prepared, strict=True)],
         s.pair_text_prefilter, None),
        ([keys for keys, _ in keys_of], s.text_prefilter, None),
        # Mentions that name no actor can still be the event another article attributes: they
        # meet everything sharing their type family, modality and trigger lemma.
        ([[("lemma", p.lemma)] for p in prepared], s.text_prefilter, actorless),
        # The same predicate (sense group) with a common participant or place, or in the same
        # article; a mention naming nobody and no place meets every mention of its sense (wording
        # decides). No wording cutoff: who, where and when decide.
        ([[("sense", p.sense, key) for key in _block_keys_of(tuple(sorted({*p.sense_names, *p.sense_places})))[0]]
          + [("sense-doc", p.sense, p.doc)] if p.sense else [] for p in prepared], (0.0, s.text_prefilter), None),
        ([[("sense", p.sense)] if p.sense else [] for p in prepared], (0.0, s.text_prefilter), unnamed),
        # One speaker's remarks: in one article with no cutoff, across articles with the re-telling cutoff.
        ([[("speaker-doc", p.speaker[-1], p.doc)] if p.speaker else [] for p in prepared], (0.0, s.text_prefilter), None),
        ([[("speaker-day", p.speaker[-1], p.date.lo)] if p.speaker and p.date.binding and p.date.bounded
          and p.date.lo == p.date.hi else [] for p in prepared], (0.0, s.text_prefilter), None),
        ([[("speaker", p.speaker[-1])] if p.speaker else [] for p in prepared],
         (s.speaker_retelling_min_text, s.text_prefilter), None),
    ]
    if stories is not None and s.sense_same_story:
        # The same predicate in articles of one story, whoever they name (who and when decide).
        schemes.append(([[("sense-story", p.sense, story)] if p.sense and story >= 0 else []
                         for p, story in zip(prepared, stories, strict=True)], (0.0, s.text_prefilter), None))
    # For the learned scorer type families meet (ECB+'s "checked into rehab" is untyped, its "was
    # admitted" a statement) and it weighs the types; modality groups never meet.
    heads = [(p.group,) if s.learned_scorer else (p.family, p.group) for p in prepared]
    if s.learned_scorer:
        schemes += [
            # The same sense group across the collection, whoever it names: the learned scorer weighs
            # which story each article tells (a look-alike earthquake is another story).
            ([[("sense-any", p.sense_key)] for p in prepared], (0.0, s.text_prefilter), None),
            # Every mention of a type family meets the others of its family, with no wording cutoff while
            # the block is small enough (synonyms outside the sense groups: "checked into" / "entered").
            ([[("family", p.family)] for p in prepared], (0.0, s.text_prefilter, s.family_free_block), None),
            # Small collections: every pair of a modality group and date bucket (type families meet);
            # larger blocks are left to the schemes above.
            ([[("any-family",)] for p in prepared], (0.0, None, s.family_free_block), None),
            # Inside one article every pair is a candidate, whatever its type family (an article tells
            # its event in many words: "the arrest", "was taken into custody", "charged").
            ([[("article", p.doc)] for p in prepared], (0.0, s.text_prefilter, s.family_free_block), None),
        ]
    # Events a participant has once (a death, a resignation) meet every such mention of the same
    # participant whatever the wording ("Jobs resigned ... in a letter" / "On August 24, Jobs
    # resigned") and whenever reported ("since Jobs's death" years later): blocked by group and
    # participant only, and small, since few mentions are of such events.
    once_groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, p in enumerate(prepared):
        if p.once >= 0:
            for key in _block_keys_of(p.once_names)[0]:
                once_groups[(heads[i], p.once, key)].append(i)
    for key in sorted(once_groups):
        sink.block(once_groups[key], None, None, 0.0)
    buckets_of = [() if p.floating else tuple(_buckets(p, s)) for p in prepared]
    for block_keys, prefilter, queries in schemes:
        if queries is not None and not queries:
            continue
        sink.with_context = queries is not None
        bucketed: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        floating_groups: set[tuple[Any, ...]] = set()
        for i, p in enumerate(prepared):
            floating_query = p.floating and (queries is None or i in queries)
            for key in block_keys[i]:
                group = (heads[i], key)
                groups[group].append(i)
                if floating_query:
                    floating_groups.add(group)
                for b in buckets_of[i]:
                    bucketed[(group, b)].append(i)
        def cutoff(members: Sequence[int], prefilter: float | tuple[float | None, ...] = prefilter) -> float | None:
            """The wording a pair of this block needs, or None: the block is not compared."""
            if isinstance(prefilter, tuple):
                free = prefilter[2] if len(prefilter) > 2 else FREE_BLOCK
                return prefilter[0] if len(members) <= free else prefilter[1]
            return prefilter

        mask = None if queries is None else np.array([i in queries for i in range(n)], dtype=bool)
        # In the order the blocks were met, not sorted (sorting these keys cost more than a tenth of
        # blocking): the pairs found do not depend on the order, since `_PairSink` keeps one entry
        # per pair with its best score and returns them in (i, j) order.
        for members in bucketed.values():
            needed = cutoff(members)
            if needed is None:
                continue
            if queries is None:
                sink.block(members, None, None, needed)
            elif any(i in queries for i in members):
                sink.block(members, queries, mask, needed)
        # Undated and vague mentions meet their whole group, dated or not.
        floating_queries = {i for i, p in enumerate(prepared) if p.floating and (queries is None or i in queries)}
        floating_mask = np.array([i in floating_queries for i in range(n)], dtype=bool)
        for key in sorted(floating_groups):
            needed = cutoff(groups[key])
            if needed is not None:
                sink.block(groups[key], floating_queries, floating_mask, needed)
    return sink.result(n)



