"""Merge event mentions from many articles into one timeline entry per real event.

`merge_mentions(mentions) -> list[TimelineEntry]` is the whole public surface (plus
`load_settings()` for the packaged `resources/merge.yaml`).

How two mentions become one entry:

0. **Collapsing.** Mentions identical in everything scoring looks at are compared once.
1. **Blocking.** A mention is only ever compared with mentions that share its type family
   (`type_families` in merge.yaml), its modality group (asserted / planned+possible /
   hypothetical / negated never mix) and an actor token (the last token of a normalized name, and
   the first of a three-token one, so "Kim" meets "Kim Jong Un" and "Putin" meets "Vladimir
   Putin"); pairs of actors form a second, smaller set of blocks. Actors named by a large share of
   all mentions ("Russia" in a Russia story) are backdrop and neither block nor count. Dated
   mentions are further blocked by calendar buckets (open tense intervals over a horizon before
   the publication date); undated or very vague ones ("floating") are compared with their whole
   family/actor group, and mentions that name no actor with those sharing their trigger lemma.
   Oversized blocks are split by lemma or compared in sorted windows, so the cost stays near linear.
   Events a participant has once (`once_per_participant`: a death, a resignation) are also blocked
   by trigger group and participant alone, backdrop names included, whatever their dates.
2. **Scoring.** Wording is the Dice coefficient of the two summaries' content-word stems
   (Snowball; actor names, roles, the trigger, the timex and stopwords removed), computed by
   rapidfuzz as the Indel ratio of sorted one-symbol-per-stem strings, so cdist scores whole
   blocks with SIMD. The score mixes that with actor overlap (vectorized over distinct actor
   lists) and trigger-lemma equality (or, for a lesser share, type equality; `other` is no
   type). Wording floors apply where actors prove little: statements (what was said identifies
   them, not who said it), mentions naming no actor (across articles their whole sentence's
   wording may stand in for a clipped summary), and a mention dated only by tense taking
   another's date; in families whose events two participants identify (meetings), two shared
   actors stand in for wording, and for once-only events the same person does ("Jobs resigned in
   a letter" / "On August 24, Jobs resigned"). Dates must be compatible (intervals overlap, or
   one side undated; dates read only off the verb's tense never block, except that an article
   cannot report as past an event that began more than `conflict_window_days` after it was
   written). Incompatible dates merge only for near-identical wording of precise dates at most
   `conflict_window_days` apart — then the entry records a conflict; coarser or further apart,
   similar wording is a separate event. The same predicate in two articles of one story (the
   articles clustered by their TF-IDF vectors, `features._stories`; merge.yaml `stories`) is one
   event whoever each names, unless full names or dates keep them apart (`same_predicate.same_story`).
3. **Clustering.** Candidate pairs are taken best score first (ties broken by content order) and
   joined greedily; a join is refused when it would give a cluster sources whose dates cannot
   all hold, unless it qualifies as a conflict, or two sets of named participants with nothing
   in common (an actorless "he said it was time" worded like two speakers' remarks). Because the
   order is content-derived, shuffling the input does not change the output.
4. **The entry.** Its date is the resolved source date that contradicts the least source weight, then
   the most specific (day before month), then the best-founded (explicit, relative, tense,
   estimated); among tense-only dates the tightest (the earliest article reporting a past event). Sources incompatible with it become `conflicts` and lower the confidence. The id
   is a short hash of type, actors, date and earliest source, so it is stable across runs.
   Entries are sorted by date start (undated last), then id.
5. **After merging.** Entries of two parts (type families, modality groups) that tell the same
   predicate in one story are joined, one entry of each part at most (`across_parts.py`); entries
   stated in one sentence that tell one happening are joined
   (`same_sentence.py`), and an entry of a group's statement ("US officials have warned ...")
   joins the one entry of the same statement by an official the same article names
   (`group_statements.py`).
"""


from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from extractors.gc_pause import collection_paused
from extractors.merge.across_parts import join_across_parts
from extractors.merge.blocking import _candidate_pairs
from extractors.merge.clustering import _cluster
from extractors.merge.dates import _DateInfo, news_days
from extractors.merge.entries import _build_entry, _with_id
from extractors.merge.features import DocumentVectors, document_vectors, pair_features
from extractors.merge.group_statements import join_group_statements
from extractors.merge.participants import _common_names, name_tokens
from extractors.merge.prepare import _canonical_key, _prepare
from extractors.merge.rule_scoring import _cluster_greedy, _rule_edges
from extractors.merge.same_sentence import _join_same_sentence
from extractors.merge.scoring import _scored_edges
from extractors.merge.sense_types import typed_by_sense
from extractors.merge.settings import (
    MergeConfigError,
    MergeSettings,
    load_settings,
    merge_examples,
    parse_settings,
)
from extractors.names import names_match
from extractors.schema import EventDate, EventMention, TimelineEntry

__all__ = ["MergeConfigError", "MergeSettings", "load_settings", "merge_examples", "merge_mentions", "name_tokens",
           "names_match", "parse_settings"]


@collection_paused()
def merge_mentions(mentions: Iterable[EventMention], settings: MergeSettings | None = None,
                   map_parts: Callable[..., Iterable[list[TimelineEntry]]] | None = None) -> list[TimelineEntry]:
    """One timeline entry per real event, every mention in exactly one entry, in timeline order.

    Mentions of different type families or modality groups are never compared, so each such part
    is merged on its own; `map_parts`, a `map`-like callable (an executor's `map`), merges the
    parts in parallel with the same result as merging them one after the other.
    """
    s = settings or load_settings()
    ordered = sorted(typed_by_sense(mentions, s), key=_canonical_key)
    common = _common_names(ordered, s)
    # Which story each article tells is read over all of them, so that the parts agree on it: the
    # learned scorer's features and the rules' same-story rule read it. One vector per article (0.1
    # GB for 20,000 articles), so the rules do without it where stories are not clustered anyway.
    clustered = len({m.doc_id for m in ordered}) <= s.story_max_documents
    documents = document_vectors(ordered, s) if s.learned_scorer or (s.sense_same_story and clustered) else None
    # Which day each article reports on, read over all of them: recurring events (an index rising)
    # are told apart by it.
    days = news_days(ordered, s)
    if map_parts is None:
        entries = _merge_part(ordered, s, common, documents, days)
    else:
        parts = _independent_parts(ordered, s)
        # The rules read only the stories of the vectors: a part sent to a worker process carries no more.
        shared = documents if documents is None or s.learned_scorer else DocumentVectors({}, documents.stories)
        entries = [e for part in map_parts(_merge_part, parts, [settings] * len(parts), [common] * len(parts),
                                           [shared] * len(parts), [days] * len(parts))
                   for e in part]
    if documents is not None and s.sense_same_story:
        entries = join_across_parts(entries, ordered, s, documents.stories, common, days)
    entries = _join_same_sentence(entries, s, days, ordered)
    entries = join_group_statements(entries, ordered, s)
    # Ids come from where an entry's first mention sits, so they collide only for mentions at one
    # place: byte-identical duplicates kept apart, or (in made-up input) one trigger given two
    # modalities, whose entries fall in different parts. Suffixes follow the entries' content,
    # not the order the parts came back in, so a parallel merge numbers them as a serial one does.
    by_id: dict[str, list[TimelineEntry]] = defaultdict(list)
    for e in entries:
        by_id[e.id].append(e)
    unique: list[TimelineEntry] = []
    for same_id in by_id.values():
        if len(same_id) > 1:
            same_id = sorted(same_id, key=repr)
        unique.extend(e if k == 0 else _with_id(e, f"{e.id}-{k + 1}") for k, e in enumerate(same_id))
    return sorted(unique, key=lambda e: (e.date.start is None, e.date.start.toordinal() if e.date.start else 0, e.id))


def pair_table(mentions: Iterable[EventMention], settings: MergeSettings | None = None
               ) -> tuple[list[EventMention], np.ndarray, np.ndarray, np.ndarray]:
    """(mentions in canonical order, left, right, feature matrix) of the candidate pairs merging scores:
    what `benchmarks/train_merge_model.py` learns from, computed by the path merging takes."""
    s = settings or load_settings()
    ordered = sorted(typed_by_sense(mentions, s), key=_canonical_key)
    common = _common_names(ordered, s)
    date_cache: dict[EventDate, tuple[_DateInfo, bool, int, int, int]] = {}
    days = news_days(ordered, s)
    prepared = [_prepare(m, s, common, date_cache, days) for m in ordered]
    left, right, text = _candidate_pairs(prepared, s)
    return ordered, left, right, pair_features(prepared, left, right, text, document_vectors(ordered, s), s)


def _independent_parts(ordered: Sequence[EventMention], s: MergeSettings) -> list[list[EventMention]]:
    """The mentions split by what blocking never compares across (modality group; for the rules also
    type family), each part in `ordered` order; largest first, so that the longest part does not start last."""
    parts: dict[tuple[str, int], list[EventMention]] = defaultdict(list)
    for m in ordered:
        family = "" if s.learned_scorer else s.families.get(m.type, m.type)
        parts[(family, s.modality_group_of.get(m.modality, 0))].append(m)
    return [parts[key] for key in sorted(parts, key=lambda k: (-len(parts[k]), k))]


@collection_paused()
def _merge_part(ordered: Sequence[EventMention], settings: MergeSettings | None,
                common: frozenset[tuple[str, ...]], documents: DocumentVectors | None = None,
                days: dict[str, int] | None = None) -> list[TimelineEntry]:
    """Entries of mentions in canonical order, in the order of their first mention; ids not yet unique."""
    s = settings or load_settings()
    date_cache: dict[EventDate, tuple[_DateInfo, bool, int, int, int]] = {}
    prepared = [_prepare(m, s, common, date_cache, days) for m in ordered]
    # Mentions that look the same to every comparison (syndicated copies, a story repeated in
    # one article) are one event: compare one representative of each, weighted by its copies.
    rep_of: dict[tuple[Any, ...], int] = {}
    owner = [rep_of.setdefault(p.learned_identity if s.learned_scorer else p.identity, i) if p.text else i
             for i, p in enumerate(prepared)]
    reps = sorted(set(owner))
    copies = Counter(owner)
    rep_prepared = [prepared[i] for i in reps]
    if documents is None and s.learned_scorer:
        documents = document_vectors(ordered, s)
    stories = [documents.stories.get(p.doc, -1) for p in rep_prepared] if documents is not None else None
    pairs = _candidate_pairs(rep_prepared, s, stories)
    if s.learned_scorer and documents is not None:
        rep_roots = _cluster(rep_prepared, _scored_edges(rep_prepared, pairs, s, documents), s,
                             weight=[copies[i] for i in reps])
    else:
        rep_roots = _cluster_greedy(rep_prepared, _rule_edges(rep_prepared, pairs, s, stories), s, weight=[copies[i] for i in reps])
    root_of_rep = {reps[k]: reps[r] for k, r in enumerate(rep_roots)}
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ordered)):
        clusters[root_of_rep[owner[i]]].append(i)
    return [_build_entry(members, ordered, prepared, s) for _, members in sorted(clusters.items())]


