"""The features of a candidate pair of mentions, one row per pair: what the learned same-event scorer
(`scoring.py`) reads, and what `benchmarks/train_merge_model.py` trains it on. One function computes
them for both, so training and merging can never drift apart.

Every feature is a general signal, in [0, 1]: the trigger (same lemma, same sense group of
`event_senses.yaml`, same event type), the wording (the two summaries' and the two sentences' stem
overlap), the story (TF-IDF cosine of the two articles: an ECB+ topic, like a news collection, holds
look-alike stories, two earthquakes or two arrests, and articles about one story instance share its
names, places and numbers), participants (overlap, none in common, the same speaker, the same person
for a once-only event), places (in common, none in common), dates (both precise and equal, compatible,
only one side dated, gap), where the mentions sit (one article, one sentence, how far apart) and
whether a trigger is a back-reference ("the attack", "his remarks"); and whether the two articles tell
the same story (clusters of the articles, `_stories`), alone and with the same trigger or sense.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from extractors.event_lexicon import OTHER_TYPE
from extractors.merge.dates import _compatible_pairs, _date_arrays
from extractors.merge.participants import _actor_overlaps, _once_match
from extractors.merge.prepare import _Prepared
from extractors.merge.settings import MergeSettings
from extractors.names import any_name_matches, names_match
from extractors.schema import EventMention

FEATURE_NAMES: tuple[str, ...] = (
    "same_lemma", "same_sense", "same_type", "same_family", "both_untyped", "one_side_untyped",
    "summary_overlap", "sentence_overlap", "document_similarity",
    "same_document", "same_sentence", "sentence_nearness",
    "actor_overlap", "actors_disjoint", "one_side_unnamed", "same_speaker", "once_same_person",
    "places_shared", "places_disjoint",
    "dates_equal_precise", "dates_compatible_bound", "one_side_dated", "date_gap",
    "reference_trigger",
    "same_story", "same_lemma_same_story", "same_sense_same_story",
)

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class DocumentVectors:
    """TF-IDF vectors (L2-normalized, word -> weight) of the articles being merged, built from the
    sentences their mentions come from (merging sees mentions, not articles)."""

    vectors: dict[str, dict[str, float]]
    stories: dict[str, int]  # article -> its story cluster (empty above story_max_documents)

    def cosine(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        va, vb = self.vectors.get(a), self.vectors.get(b)
        if not va or not vb:
            return 0.0
        if len(va) > len(vb):
            va, vb = vb, va
        return min(1.0, sum(w * vb.get(word, 0.0) for word, w in va.items()))


def document_vectors(mentions: Sequence[EventMention], s: MergeSettings) -> DocumentVectors:
    """TF-IDF over the distinct sentences of each article's mentions (stopwords and roles out)."""
    sentences: dict[str, dict[int, str]] = {}
    for m in mentions:
        sentences.setdefault(m.doc_id, {})[m.sentence_index] = m.sentence
    counts: dict[str, Counter[str]] = {}
    df: Counter[str] = Counter()
    for doc, by_index in sentences.items():
        words = Counter(w for text in by_index.values() for w in _WORD.findall(text.casefold())
                        if w not in s.function_words and len(w) > 1)
        counts[doc] = words
        df.update(words.keys())
    n = len(counts)
    vectors: dict[str, dict[str, float]] = {}
    for doc, words in counts.items():
        # A word every article uses (the topic's own name) tells no story instance from another.
        weights = {w: (1.0 + math.log(c)) * math.log((n + 1) / (df[w] + 0.5)) for w, c in words.items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        vectors[doc] = {w: x / norm for w, x in weights.items() if x > 0}
    return DocumentVectors(vectors, _stories(vectors, s) if s.learned_scorer or s.sense_same_story else {})


def _stories(vectors: dict[str, dict[str, float]], s: MergeSettings) -> dict[str, int]:
    """Which story each article tells: average-link clusters of the articles' TF-IDF vectors, cut at
    `story_similarity` (scipy's hierarchical clustering). An ECB+ topic holds two look-alike stories (two
    earthquakes); articles of one story instance share its names, places and numbers. Clustering makes
    the decision transitive: a short article joins the story its neighbours tell. Above
    `story_max_documents` articles the quadratic distance matrix is not built; stories are then left
    empty and `same_story` falls back to the pair's own similarity (see pair_features)."""
    docs = sorted(vectors)
    if len(docs) < 2 or len(docs) > s.story_max_documents:
        return {}
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for r, d in enumerate(docs):
        for word, weight in vectors[d].items():
            rows.append(r)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
            values.append(weight)
    matrix = csr_matrix((np.array(values, dtype=np.float32), (rows, cols)), shape=(len(docs), max(1, len(vocabulary))))
    cosine = (matrix @ matrix.T).toarray()
    distance = np.clip(1.0 - cosine[np.triu_indices(len(docs), 1)], 0.0, 1.0).astype(np.float64)
    del cosine
    labels = fcluster(linkage(distance, method="average"), t=1.0 - s.story_similarity, criterion="distance")
    return {d: int(label) for d, label in zip(docs, labels, strict=True)}


def pair_features(prepared: Sequence[_Prepared], left: np.ndarray, right: np.ndarray, summary_overlap: np.ndarray,
                  documents: DocumentVectors, s: MergeSettings) -> np.ndarray:
    """The feature matrix (pairs x FEATURE_NAMES) of the candidate pairs (left[k], right[k])."""
    n_pairs = len(left)
    out = np.zeros((n_pairs, len(FEATURE_NAMES)), dtype=np.float64)
    if not n_pairs:
        return out
    col = {name: k for k, name in enumerate(FEATURE_NAMES)}

    def ids(values: Sequence[object]) -> np.ndarray:
        table: dict[object, int] = {}
        return np.array([table.setdefault(v, len(table)) for v in values], dtype=np.int64)

    lemma, sense, type_ = ids([p.lemma for p in prepared]), ids([p.sense_key for p in prepared]), ids([p.type for p in prepared])
    typed = np.array([p.type != OTHER_TYPE for p in prepared], dtype=bool)
    out[:, col["same_lemma"]] = lemma[left] == lemma[right]
    out[:, col["same_sense"]] = sense[left] == sense[right]
    out[:, col["same_type"]] = (type_[left] == type_[right]) & typed[left]
    family = ids([p.family for p in prepared])
    out[:, col["same_family"]] = (family[left] == family[right]) & typed[left] & typed[right]
    out[:, col["both_untyped"]] = ~typed[left] & ~typed[right]
    out[:, col["one_side_untyped"]] = typed[left] != typed[right]

    # Two summaries with no content word left ("the case" / "the suit") agree on nothing; rapidfuzz
    # would call two empty strings identical.
    empty = np.array([not p.text for p in prepared], dtype=bool)
    out[:, col["summary_overlap"]] = np.where(empty[left] | empty[right], 0.0, summary_overlap)
    context = [p.context for p in prepared]
    out[:, col["sentence_overlap"]] = [fuzz.ratio(context[i], context[j]) / 100.0 if context[i] and context[j] else 0.0
                                       for i, j in zip(left.tolist(), right.tolist(), strict=True)]
    docs = [p.doc for p in prepared]
    doc_pair_sim: dict[tuple[str, str], float] = {}
    sims = np.empty(n_pairs)
    for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        key = (docs[i], docs[j]) if docs[i] <= docs[j] else (docs[j], docs[i])
        sim = doc_pair_sim.get(key)
        if sim is None:
            sim = doc_pair_sim[key] = documents.cosine(*key)
        sims[k] = sim
    doc = ids(docs)
    same_doc = doc[left] == doc[right]
    sentence = np.array([p.sentence_index for p in prepared], dtype=np.int64)
    out[:, col["document_similarity"]] = np.where(same_doc, 0.0, sims)
    out[:, col["same_document"]] = same_doc
    out[:, col["same_sentence"]] = same_doc & (sentence[left] == sentence[right])
    out[:, col["sentence_nearness"]] = np.where(same_doc, 1.0 / (1.0 + np.abs(sentence[left] - sentence[right])), 0.0)

    overlap, shared, _ = _actor_overlaps(prepared, left, right, 0.0)
    named = np.array([len(p.names) for p in prepared], dtype=np.int64)
    both_named = (named[left] > 0) & (named[right] > 0)
    out[:, col["actor_overlap"]] = np.where(both_named, overlap, 0.0)
    out[:, col["actors_disjoint"]] = both_named & (shared == 0)
    out[:, col["one_side_unnamed"]] = (named[left] == 0) | (named[right] == 0)
    speaker = [p.speaker for p in prepared]
    once = np.array([p.once for p in prepared], dtype=np.int64)
    places = [p.places for p in prepared]
    for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        a, b = prepared[i], prepared[j]
        if speaker[i] and speaker[j] and names_match(speaker[i], speaker[j]) \
                and max(len(speaker[i]), len(speaker[j])) >= 2:
            out[k, col["same_speaker"]] = 1.0
        if once[i] >= 0 and once[i] == once[j] and _once_match(a.once_names, b.once_names):
            out[k, col["once_same_person"]] = 1.0
        if places[i] and places[j]:
            common = any_name_matches(places[i], places[j])
            out[k, col["places_shared"]] = common
            out[k, col["places_disjoint"]] = not common

    d = _date_arrays(prepared)
    dated_l, dated_r = d["dated"][left] | d["has_pattern"][left], d["dated"][right] | d["has_pattern"][right]
    bind_l, bind_r = d["binding"][left], d["binding"][right]
    compatible = _compatible_pairs(d, left, right)
    precise_l = d["dated"][left] & (d["hi"][left] - d["lo"][left] <= 0)
    precise_r = d["dated"][right] & (d["hi"][right] - d["lo"][right] <= 0)
    out[:, col["dates_equal_precise"]] = bind_l & bind_r & precise_l & precise_r & (d["lo"][left] == d["lo"][right])
    out[:, col["dates_compatible_bound"]] = bind_l & bind_r & compatible
    out[:, col["one_side_dated"]] = dated_l != dated_r
    gap = np.maximum(np.maximum(d["lo"][right] - d["hi"][left], d["lo"][left] - d["hi"][right]), 0)
    both = d["dated"][left] & d["dated"][right]
    out[:, col["date_gap"]] = np.where(both, np.minimum(np.log1p(np.minimum(gap, 10**6)) / math.log(366.0), 1.0), 0.0)

    if documents.stories:
        story = np.array([documents.stories.get(d, -1) for d in docs], dtype=np.int64)
        same_story = same_doc | ((story[left] == story[right]) & (story[left] >= 0))
    else:
        same_story = same_doc | (sims >= s.story_similarity)
    out[:, col["same_story"]] = same_story
    out[:, col["same_lemma_same_story"]] = same_story & (lemma[left] == lemma[right])
    out[:, col["same_sense_same_story"]] = same_story & (sense[left] == sense[right])

    reference = np.array([p.reference for p in prepared], dtype=bool)
    out[:, col["reference_trigger"]] = reference[left] | reference[right]
    return out

