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
   similar wording is a separate event.
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
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import snowballstemmer
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from extractors.event_lexicon import OTHER_TYPE
from extractors.gc_pause import collection_paused
from extractors.names import any_name_matches as _any_name_matches
from extractors.names import name_tokens as _name_tokens
from extractors.names import names_match
from extractors.resources import load_yaml
from extractors.schema import DATE_BASES, MODALITIES, Conflict, EventDate, EventMention, Source, TimelineEntry


class MergeConfigError(ValueError):
    """resources/merge.yaml is malformed."""


NEG_INF = -(10**9)
POS_INF = 10**9
GRANULARITY_RANK = {g: i for i, g in enumerate(
    ("time", "day", "week", "month", "season", "quarter", "half", "year", "decade", "century", "ref", "unknown"))}
BASIS_RANK = {b: i for i, b in enumerate(DATE_BASES)}
SMALL_GRID = 64  # cells below which pairs are scored one by one instead of through cdist
FREE_BLOCK = 64  # blocks up to this size are compared with no wording cutoff by the who/where rules
# Wording is compared as sorted strings of one symbol per stem (see `_bag`): only the Indel ratio
# reads those as sets (it is then their Dice coefficient); token-based scorers would see one token.
ALLOWED_SCORERS = ("ratio",)


@dataclass(frozen=True)
class MergeSettings:
    scorer: str
    w_text: float
    w_actors: float
    w_trigger: float
    shared_pair_bonus: float
    same_type_trigger: float
    text_prefilter: float
    pair_text_prefilter: float
    merge_threshold: float
    conflict_threshold: float
    no_actor_overlap: float
    conflict_window_days: int
    bucket_days: int
    max_bucketed_span_days: int
    max_block_size: int
    tense_horizon_days: int
    window: int
    corroboration: float
    conflict_penalty: float
    basis_weight: tuple[tuple[str, float], ...]
    modality_groups: tuple[tuple[str, ...], ...]
    type_family: tuple[tuple[str, str], ...]  # type -> family name
    stopwords: frozenset[str]
    common_actor_share: float
    common_actor_min_mentions: int
    name_titles: frozenset[str]
    actorless_min_text: float
    dating_min_text: float
    family_min_text: tuple[tuple[str, float], ...]  # family -> wording similarity a pair needs at least
    pair_families: frozenset[str]  # families whose events two shared participants identify
    once_bonus: float
    once_lemmas: tuple[tuple[str, int], ...]  # trigger lemma -> group of events a participant has once
    # The same-predicate rule: trigger lemma -> its sense group (event_senses.yaml); families where
    # predicate and participant do not identify an event; the bonus a matching pair earns.
    senses: tuple[tuple[str, str], ...] = ()
    sense_excluded_families: frozenset[str] = frozenset()
    sense_bonus: float = 0.0
    sense_unnamed_min_text: float = 1.0
    # The same-speaker rule: families whose events are identified by who speaks (statements); the
    # wording two articles' tellings of one speaker's remarks need at least when not told of one day.
    speaker_families: frozenset[str] = frozenset()
    lead_types: tuple[str, ...] = ()
    speaker_retelling_min_text: float = 1.0

    @functools.cached_property
    def function_words(self) -> frozenset[str]:
        """Words that never identify an event: stopwords and the roles in front of names."""
        return self.stopwords | self.name_titles

    @functools.cached_property
    def once_group_of(self) -> dict[str, int]:
        return dict(self.once_lemmas)

    @functools.cached_property
    def lead_rank_of(self) -> dict[str, int]:
        return {t: k for k, t in enumerate(self.lead_types)}

    @functools.cached_property
    def sense_of(self) -> dict[str, str]:
        return dict(self.senses)

    @functools.cached_property
    def min_text_of(self) -> dict[str, float]:
        return dict(self.family_min_text)

    @functools.cached_property
    def basis_weights(self) -> dict[str, float]:
        return dict(self.basis_weight)

    @functools.cached_property
    def families(self) -> dict[str, str]:
        return dict(self.type_family)

    @functools.cached_property
    def modality_group_of(self) -> dict[str, int]:
        return {m: i for i, group in enumerate(self.modality_groups) for m in group}

    @functools.cached_property
    def scorer_fn(self) -> Callable[..., float]:
        return getattr(fuzz, self.scorer)  # type: ignore[no-any-return]


def _need(cond: bool, message: str) -> None:
    if not cond:
        raise MergeConfigError(f"merge.yaml: {message}")


def _unit(raw: Any, where: str) -> float:
    _need(isinstance(raw, (int, float)) and 0.0 <= float(raw) <= 1.0, f"{where} must be a number in [0, 1], got {raw!r}")
    return float(raw)


def _positive_int(raw: Any, where: str) -> int:
    _need(isinstance(raw, int) and raw > 0, f"{where} must be a positive integer, got {raw!r}")
    return int(raw)


def parse_settings(raw: Any) -> MergeSettings:
    """Validate the merge.yaml mapping; raises MergeConfigError on anything unexpected."""
    _need(isinstance(raw, dict), "top level must be a mapping")
    known = {"scorer", "weights", "bonus", "thresholds", "conflict_window_days", "blocking", "confidence", "basis_weight",
             "modality_groups", "type_families", "stopwords", "name_titles", "once_per_participant", "same_predicate",
             "same_speaker", "same_sentence"}
    _need(not set(raw) - known, f"unknown keys {sorted(set(raw) - known)}")
    _need(raw.get("scorer") in ALLOWED_SCORERS, f"scorer must be one of {ALLOWED_SCORERS}")
    weights, thresholds, blocking, confidence = (raw.get(k) or {} for k in ("weights", "thresholds", "blocking", "confidence"))
    w = {k: _unit(weights.get(k), f"weights.{k}") for k in ("text", "actors", "trigger")}
    _need(abs(sum(w.values()) - 1.0) < 1e-6, "weights must sum to 1")
    basis = raw.get("basis_weight") or {}
    _need(set(basis) == set(DATE_BASES), f"basis_weight must list exactly {DATE_BASES}")
    groups = raw.get("modality_groups") or []
    flat = [m for g in groups for m in g]
    _need(sorted(flat) == sorted(MODALITIES), f"modality_groups must partition {MODALITIES}")
    type_family: dict[str, str] = {}
    min_text: dict[str, float] = {}
    pair_families: set[str] = set()
    for fam in raw.get("type_families") or []:
        _need(isinstance(fam, dict) and fam.get("name") and fam.get("types"), f"bad type family {fam!r}")
        _need(bool(fam.get("examples")), f"type family {fam['name']!r} needs examples")
        _need(not set(fam) - {"name", "types", "examples", "min_text", "participants_identify"},
              f"type family {fam['name']!r}: unknown keys")
        if fam.get("participants_identify"):
            pair_families.add(str(fam["name"]))
        if "min_text" in fam:
            min_text[str(fam["name"])] = _unit(fam["min_text"], f"type family {fam['name']!r} min_text")
        for t in fam["types"]:
            _need(t not in type_family, f"type {t!r} is in families {type_family.get(t)!r} and {fam['name']!r}")
            type_family[str(t)] = str(fam["name"])
    once_lemmas: dict[str, int] = {}
    for k, group in enumerate(raw.get("once_per_participant") or []):
        _need(isinstance(group, dict) and group.get("name") and group.get("lemmas"), f"bad once_per_participant group {group!r}")
        _need(not set(group) - {"name", "lemmas", "examples"}, f"once_per_participant {group['name']!r}: unknown keys")
        _need(bool(group.get("examples")), f"once_per_participant {group['name']!r} needs examples")
        for lemma in group["lemmas"]:
            key = str(lemma).casefold()
            _need(key not in once_lemmas, f"lemma {lemma!r} is in two once_per_participant groups")
            once_lemmas[key] = k
    same_predicate = raw.get("same_predicate") or {}
    same_speaker = raw.get("same_speaker") or {}
    same_sentence = raw.get("same_sentence") or {}
    _need(isinstance(same_sentence, dict) and not set(same_sentence) - {"lead_types"}, "same_sentence: unknown keys")
    _need(isinstance(same_speaker, dict) and not set(same_speaker) - {"families", "retelling_min_text"},
          "same_speaker: unknown keys")
    _need(isinstance(same_predicate, dict) and not set(same_predicate) - {"bonus", "exclude_families", "unnamed_min_text"},
          "same_predicate: unknown keys")
    settings = MergeSettings(
        senses=_load_senses(),
        sense_excluded_families=frozenset(str(f) for f in same_predicate.get("exclude_families") or ()),
        sense_bonus=_unit(same_predicate.get("bonus", 0.0), "same_predicate.bonus"),
        sense_unnamed_min_text=_unit(same_predicate.get("unnamed_min_text", 1.0), "same_predicate.unnamed_min_text"),
        speaker_families=frozenset(str(f) for f in same_speaker.get("families") or ()),
        lead_types=tuple(str(x) for x in same_sentence.get("lead_types") or ()),
        speaker_retelling_min_text=_unit(same_speaker.get("retelling_min_text", 1.0), "same_speaker.retelling_min_text"),
        scorer=str(raw["scorer"]),
        w_text=w["text"], w_actors=w["actors"], w_trigger=w["trigger"],
        shared_pair_bonus=_unit((raw.get("bonus") or {}).get("shared_actor_pair"), "bonus.shared_actor_pair"),
        once_bonus=_unit((raw.get("bonus") or {}).get("once_per_participant"), "bonus.once_per_participant"),
        once_lemmas=tuple(sorted(once_lemmas.items())),
        same_type_trigger=_unit((raw.get("bonus") or {}).get("same_type_trigger"), "bonus.same_type_trigger"),
        text_prefilter=_unit(thresholds.get("text_prefilter"), "thresholds.text_prefilter"),
        pair_text_prefilter=_unit(thresholds.get("pair_text_prefilter"), "thresholds.pair_text_prefilter"),
        merge_threshold=_unit(thresholds.get("merge"), "thresholds.merge"),
        conflict_threshold=_unit(thresholds.get("conflict"), "thresholds.conflict"),
        no_actor_overlap=_unit(thresholds.get("no_actor_overlap"), "thresholds.no_actor_overlap"),
        conflict_window_days=_positive_int(raw.get("conflict_window_days"), "conflict_window_days"),
        bucket_days=_positive_int(blocking.get("bucket_days"), "blocking.bucket_days"),
        max_bucketed_span_days=_positive_int(blocking.get("max_bucketed_span_days"), "blocking.max_bucketed_span_days"),
        max_block_size=_positive_int(blocking.get("max_block_size"), "blocking.max_block_size"),
        tense_horizon_days=_positive_int(blocking.get("tense_horizon_days"), "blocking.tense_horizon_days"),
        window=_positive_int(blocking.get("window"), "blocking.window"),
        corroboration=_unit(confidence.get("corroboration"), "confidence.corroboration"),
        conflict_penalty=_unit(confidence.get("conflict_penalty"), "confidence.conflict_penalty"),
        basis_weight=tuple((b, _unit(basis[b], f"basis_weight.{b}")) for b in DATE_BASES),
        modality_groups=tuple(tuple(str(m) for m in g) for g in groups),
        type_family=tuple(sorted(type_family.items())),
        stopwords=frozenset(str(s).lower() for s in raw.get("stopwords") or ()),
        common_actor_share=_unit(blocking.get("common_actor_share"), "blocking.common_actor_share"),
        common_actor_min_mentions=_positive_int(blocking.get("common_actor_min_mentions"),
                                                "blocking.common_actor_min_mentions"),
        name_titles=frozenset(str(s).lower() for s in raw.get("name_titles") or ()),
        actorless_min_text=_unit(thresholds.get("actorless_min_text"), "thresholds.actorless_min_text"),
        dating_min_text=_unit(thresholds.get("dating_min_text"), "thresholds.dating_min_text"),
        family_min_text=tuple(sorted(min_text.items())),
        pair_families=frozenset(pair_families),
    )
    _need(settings.conflict_threshold >= settings.merge_threshold, "thresholds.conflict must be >= thresholds.merge")
    _need(settings.window * 2 <= settings.max_block_size, "blocking.window must be at most half of max_block_size")
    return settings


def _load_senses() -> tuple[tuple[str, str], ...]:
    """lemma -> sense group name (its first lemma) from resources/event_senses.yaml, validated."""
    raw = load_yaml("event_senses.yaml")
    _need(isinstance(raw, dict) and isinstance(raw.get("groups"), list), "event_senses.yaml: needs a list 'groups'")
    sense: dict[str, str] = {}
    for group in raw["groups"]:
        _need(isinstance(group, list) and group and all(isinstance(w, str) and w == w.casefold() for w in group),
              f"event_senses.yaml: a group must be a list of lowercase strings, got {group!r}")
        for lemma in group:
            _need(lemma not in sense, f"event_senses.yaml: {lemma!r} is in two groups")
            sense[lemma] = group[0]
    return tuple(sorted(sense.items()))


@functools.lru_cache(maxsize=1)
def load_settings() -> MergeSettings:
    return parse_settings(load_yaml("merge.yaml"))


def merge_examples() -> list[tuple[str, dict[str, Any], dict[str, Any], bool]]:
    """(family, mention a, mention b, should merge) for every example in merge.yaml."""
    raw = load_yaml("merge.yaml")
    return [(fam["name"], ex["a"], ex["b"], bool(ex["merged"]))
            for fam in [*raw["type_families"], *(raw.get("once_per_participant") or [])] for ex in fam["examples"]]


# --- names -------------------------------------------------------------------------------------

def name_tokens(name: str) -> tuple[str, ...]:
    """`extractors.names.name_tokens` with the roles of merge.yaml `name_titles` removed."""
    return _name_tokens(name, load_settings().name_titles)


@functools.lru_cache(maxsize=1 << 18)
def _actor_overlap(a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...], neutral: float) -> tuple[float, int]:
    """(share of the shorter actor list found in the other, number found); `neutral` when a side has none."""
    if not a or not b:
        return neutral, 0
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    hits = sum(1 for x in small if any(names_match(x, y) for y in big))
    return hits / len(small), hits


# --- dates -------------------------------------------------------------------------------------

_VALUE_PARTS = re.compile(r"^([0-9X]{4})(?:-([0-9X]{2})(?:-([0-9X]{2}))?)?")


def _value_pattern(value: str | None) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) a TIMEX3 value pins down, None for parts it leaves open."""
    if not value:
        return None
    m = _VALUE_PARTS.match(value)
    if not m:
        return None
    parts = tuple(None if p is None or "X" in p else int(p) for p in m.groups())
    if parts == (None, None, None):
        return None
    return parts  # type: ignore[return-value]


def _patterns_agree(p: tuple[int | None, ...], q: tuple[int | None, ...]) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(p, q, strict=True))


@dataclass(frozen=True)
class _DateInfo:
    lo: int  # ordinal days, NEG_INF/POS_INF when open
    hi: int
    dated: bool  # has at least one interval bound
    pattern: tuple[int | None, int | None, int | None] | None
    weight: float
    # Dates read off the verb's tense (PAST_REF before the publication date, whether that date is
    # known or estimated) say when the article was written more than when the event happened:
    # they never block a merge, only show as conflicts...
    binding: bool
    # ...except that an article cannot report as past what began after it was written: the last
    # day a PAST_REF read against a known publication date allows (POS_INF for every other date).
    reported_by: int = POS_INF

    @property
    def bounded(self) -> bool:
        return self.dated and self.lo > NEG_INF and self.hi < POS_INF


def _date_info(date: EventDate, weights: dict[str, float]) -> _DateInfo:
    lo = date.start.toordinal() if date.start else NEG_INF
    hi = date.end.toordinal() if date.end else POS_INF
    dated = date.start is not None or date.end is not None
    if dated and lo > hi:  # a malformed interval: trust neither bound
        lo, hi, dated = NEG_INF, POS_INF, False
    pattern = _value_pattern(date.value)
    if dated and pattern is None and lo > NEG_INF and hi < POS_INF:
        s, e = date.start, date.end
        assert s is not None and e is not None
        pattern = (s.year if s.year == e.year else None,
                   s.month if (s.year, s.month) == (e.year, e.month) else None,
                   s.day if s == e else None)
    has_date = dated or pattern is not None
    binding = has_date and date.basis not in ("tense", "none") and date.granularity != "ref"
    reported_by = hi if (not binding and date.value == "PAST_REF" and date.basis in ("tense", "relative")
                         and lo == NEG_INF and hi < POS_INF) else POS_INF
    return _DateInfo(lo, hi, dated, pattern, weights.get(date.basis, 0.0) if has_date else 0.0, binding, reported_by)


def _compatible(a: _DateInfo, b: _DateInfo) -> bool:
    """Whether both dates can hold at once (unknown parts are compatible with anything)."""
    if a.dated and b.dated:
        return a.lo <= b.hi and b.lo <= a.hi
    if a.pattern is not None and b.pattern is not None:
        return _patterns_agree(a.pattern, b.pattern)
    return True


def _gap_days(a: _DateInfo, b: _DateInfo) -> int:
    """Days between two disjoint intervals (0 when they overlap; huge when unknown)."""
    if not (a.dated and b.dated):
        return POS_INF
    return max(b.lo - a.hi, a.lo - b.hi, 0)


# --- prepared mentions -------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Prepared:
    family: str
    type: str
    group: int
    names: tuple[tuple[str, ...], ...]
    text: str
    lemma: str
    date: _DateInfo
    floating: bool
    block_lo: int  # the interval used for blocking: open ends clipped to tense_horizon_days
    block_hi: int
    doc: str
    skip: frozenset[str]  # words left out of the wording besides stopwords and roles: names, trigger, timex
    sentence: str
    sentence_is_summary: bool  # the sentence adds no words to the summary
    date_id: int  # equal dates, equal ids: cheaper to hash than the date itself
    once: int  # the once_per_participant group of the trigger lemma, -1 for none
    # For those: every name, the story's backdrop included (a story about Jobs names him everywhere,
    # yet his death is still identified by him).
    once_names: tuple[tuple[str, ...], ...]
    # The same-predicate rule: the trigger's sense group ("" where the family is excluded) and every
    # participant and place the mention names, the story's backdrop included.
    sense: str = ""
    sense_names: tuple[tuple[str, ...], ...] = ()
    sense_places: tuple[tuple[str, ...], ...] = ()
    # Every full name (two words or more: "Tara Reid", "Lindsay Lohan") among the actors, backdrop
    # included: two mentions that both give full names and share none are different events.
    full_names: tuple[tuple[str, ...], ...] = ()
    all_names: tuple[tuple[str, ...], ...] = ()
    # In families whose events a speaker identifies: the first actor named, when a person's or
    # body's name of two words or more ("Kamala Harris"; not "US", not a bare "Harris" alone).
    speaker: tuple[str, ...] = ()

    @property
    def identity(self) -> tuple[Any, ...]:
        """What scoring looks at, bar the sentence: mentions equal here are scored once."""
        return (self.family, self.type, self.group, self.names, self.text, self.lemma, self.date_id, self.once_names,
                self.sense, self.sense_names, self.sense_places, self.doc if self.sense else "", self.full_names, self.all_names, self.speaker,
                self.doc if self.speaker else "")


def _canonical_key(m: EventMention) -> tuple[Any, ...]:
    """A total order over mentions that depends only on their content, never on input order."""
    d = m.date
    return (m.doc_id, m.trigger_start, m.trigger_end, m.sentence_index, m.clause_start, m.clause_end, m.type,
            m.trigger, m.trigger_lemma, m.summary, m.sentence, m.actors, m.locations, m.modality, m.tense or "",
            d.value or "", d.mod or "", d.start.toordinal() if d.start else 0, d.end.toordinal() if d.end else 0,
            d.granularity, d.basis, m.timex_text or "", m.timex_value or "", m.confidence)


@functools.lru_cache(maxsize=1 << 16)
def _actor_tokens(actors: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset(t for t in (name_tokens(a) for a in actors) if t)


def _common_names(mentions: Sequence[EventMention], s: MergeSettings) -> frozenset[tuple[str, ...]]:
    """Actors named by so many mentions ("Russia" in a Russia story) that sharing them says nothing."""
    counts: Counter[tuple[str, ...]] = Counter()
    for actors, k in Counter(m.actors for m in mentions).items():
        for t in _actor_tokens(actors):
            counts[t] += k
    floor = max(s.common_actor_min_mentions, s.common_actor_share * len(mentions))
    return frozenset(name for name, c in counts.items() if c >= floor)


_STEMMER = snowballstemmer.stemmer("english")


class _Symbols(dict[str, str]):
    """word -> one character standing for its stem ("sanctions", "sanctioned" -> the same one).

    The code point is a hash of the stem, so it never depends on which mentions are merged
    together; at a million code points, two stems rarely share one. A dict (not lru_cache) so
    that lookups stay in C when mapped over a summary's words.
    """

    def __missing__(self, word: str) -> str:
        stem = _STEMMER.stemWord(word)
        symbol = self[word] = chr(0x10000 + zlib.crc32(stem.encode("utf-8")) % 0x100000)
        return symbol


_SYMBOLS = _Symbols()


def _word_symbol(word: str) -> str:
    return _SYMBOLS[word]


def _bag(text: str, skip: frozenset[str], common: frozenset[str] = frozenset()) -> str:
    """The distinct stems of the content words as a sorted string of one symbol per stem.

    Between two such strings rapidfuzz's `ratio` (Indel similarity, SIMD-fast in cdist) is exactly
    the Dice coefficient of the two stem sets, since the longest common subsequence of two sorted
    sequences of distinct symbols is their intersection: word overlap, blind to word order, with
    no credit for unrelated words that merely share letters.
    """
    words = set(_WORD.findall(text.casefold()))
    words.difference_update(common)
    words.difference_update(skip)
    return "".join(sorted(set(map(_SYMBOLS.__getitem__, words))))


def _plural_noun(trigger: str, lemma: str) -> bool:
    word, base = trigger.casefold(), (lemma or "").casefold()
    return word != base and word in (base + "s", base + "es")


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


def _speaker(actors: Sequence[str]) -> tuple[str, ...]:
    tokens = name_tokens(actors[0]) if actors else ()
    return tokens if tokens and not tokens[0].startswith("#") else ()


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


def _prepare(m: EventMention, s: MergeSettings, common: frozenset[tuple[str, ...]] = frozenset(),
             date_cache: dict[EventDate, tuple[_DateInfo, bool, int, int, int]] | None = None) -> _Prepared:
    all_names = _actor_tokens(m.actors)
    names = tuple(sorted(all_names - common))
    # Names, the trigger and the date are scored on their own terms; left in the wording they
    # would make every "Putin said ..." or "last month ..." look alike.
    skip = frozenset().union(*all_names, _WORD.findall(m.trigger.casefold()), _WORD.findall((m.timex_text or "").casefold()))
    if date_cache is None:
        date_cache = {}
    cached = date_cache.get(m.date)
    if cached is None:
        info = _date_info(m.date, s.basis_weights)
        # "Has been imposed" (PAST_REF up to the publication date) is nearly always recent news, so an
        # open interval is blocked over the tense horizon before its known end (or after its start).
        if info.dated and info.lo == NEG_INF:
            block_lo, block_hi = info.hi - s.tense_horizon_days, info.hi
        elif info.dated and info.hi == POS_INF:
            block_lo, block_hi = info.lo, info.lo + s.tense_horizon_days
        else:
            block_lo, block_hi = info.lo, info.hi
        floating = not info.dated or block_hi - block_lo > max(s.max_bucketed_span_days, s.tense_horizon_days)
        cached = date_cache[m.date] = (info, floating, block_lo, block_hi, len(date_cache))
    info, floating, block_lo, block_hi, date_id = cached
    summary = m.summary or m.sentence
    once = s.once_group_of.get((m.trigger_lemma or m.trigger).casefold(), -1)
    if once >= 0 and _plural_noun(m.trigger, m.trigger_lemma):
        once = -1  # "five deaths per year": many events
    lemma = (m.trigger_lemma or m.trigger).casefold()
    family = s.families.get(m.type, m.type)
    sense = "" if family in s.sense_excluded_families or _plural_noun(m.trigger, m.trigger_lemma) \
        else s.sense_of.get(lemma, lemma)
    return _Prepared(
        family=s.families.get(m.type, m.type),
        type=m.type,
        group=s.modality_group_of.get(m.modality, 0),
        names=names,
        text=_bag(summary, skip, s.function_words),
        lemma=(m.trigger_lemma or m.trigger).casefold(),
        date=info,
        floating=floating,
        block_lo=block_lo,
        block_hi=block_hi,
        doc=m.doc_id,
        skip=skip,
        sentence=m.sentence,
        sentence_is_summary=m.sentence.rstrip(" .!?\"'”’") == summary.rstrip(" .!?\"'”’"),
        date_id=date_id,
        once=once,
        once_names=tuple(sorted(all_names)) if once >= 0 else (),
        sense=sense,
        sense_names=tuple(sorted(all_names)) if sense else (),
        sense_places=tuple(sorted(_actor_tokens(m.locations))) if sense else (),
        full_names=tuple(sorted(n for n in all_names if len(n) >= 2 and not n[0].startswith("#"))),
        all_names=tuple(sorted(all_names)),
        speaker=_speaker(m.actors) if family in s.speaker_families else (),
    )


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
    """Collects (i, j, text score) triples block by block as numpy arrays; duplicates removed at the end."""

    def __init__(self, prepared: Sequence[_Prepared], s: MergeSettings) -> None:
        self.prepared = prepared
        self.texts = [p.text for p in prepared]
        self.lemmas = [p.lemma for p in prepared]
        doc_ids = {d: k for k, d in enumerate(sorted({p.doc for p in prepared}))}
        self.docs = np.array([doc_ids[p.doc] for p in prepared], dtype=np.int64)
        self.s = s
        self.with_context = False
        self._contexts: dict[int, str] = {}
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.scores: list[np.ndarray] = []
        self.small_i: list[int] = []
        self.small_j: list[int] = []
        self.small_t: list[float] = []

    def context(self, i: int) -> str:
        """The wording of the mention's whole sentence, for mentions whose summary is too short to say much."""
        text = self._contexts.get(i)
        if text is None:
            p = self.prepared[i]
            text = self._contexts[i] = p.text if p.sentence_is_summary else _bag(p.sentence, p.skip, self.s.function_words)
        return text

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
        gi, gj = np.asarray(rows, dtype=np.int64)[r], np.asarray(cols, dtype=np.int64)[c]
        keep = gi != gj
        if query_mask is not None:
            keep &= query_mask[gi] | query_mask[gj]
        self.rows.append(np.minimum(gi, gj)[keep])
        self.cols.append(np.maximum(gi, gj)[keep])
        self.scores.append(matrix[r, c][keep] / 100.0)

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

    def result(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self.small_i:
            self.rows.append(np.array(self.small_i, dtype=np.int64))
            self.cols.append(np.array(self.small_j, dtype=np.int64))
            self.scores.append(np.array(self.small_t, dtype=np.float32))
            self.small_i, self.small_j, self.small_t = [], [], []
        if not self.rows:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.float32)
        i, j, t = np.concatenate(self.rows), np.concatenate(self.cols), np.concatenate(self.scores)
        # A pair met in several blocks keeps its best text score (the context-aware scheme may score higher).
        key = i * n + j
        order = np.lexsort((-t, key))
        key, t = key[order], t[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        key, t = key[first], t[first]
        return key // n, key % n, t


def _candidate_pairs(prepared: Sequence[_Prepared], s: MergeSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, text score) of the pairs worth scoring, found block by block (never all pairs), i < j."""
    sink = _PairSink(prepared, s)
    n = len(prepared)
    keys_of = [_block_keys_of(p.names) for p in prepared]
    actorless = {i for i, p in enumerate(prepared) if not p.names}
    unnamed = {i for i, p in enumerate(prepared) if p.sense and not p.sense_names and not p.sense_places}
    # A scheme's cutoff is one wording similarity, or (for blocks of at most FREE_BLOCK mentions,
    # for larger ones): the rules that need no wording stay cheap where a hot name makes big blocks.
    schemes: list[tuple[Sequence[Sequence[Any]], float | tuple[float, float], set[int] | None]] = [
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
    heads = [(p.family, p.group) for p in prepared]
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
        def cutoff(members: Sequence[int], prefilter: float | tuple[float, float] = prefilter) -> float:
            if isinstance(prefilter, tuple):
                return prefilter[0] if len(members) <= FREE_BLOCK else prefilter[1]
            return prefilter

        mask = None if queries is None else np.array([i in queries for i in range(n)], dtype=bool)
        for key in sorted(bucketed):
            members = bucketed[key]
            if queries is None:
                sink.block(members, None, None, cutoff(members))
            elif any(i in queries for i in members):
                sink.block(members, queries, mask, cutoff(members))
        # Undated and vague mentions meet their whole group, dated or not.
        floating_queries = {i for i, p in enumerate(prepared) if p.floating and (queries is None or i in queries)}
        floating_mask = np.array([i in floating_queries for i in range(n)], dtype=bool)
        for key in sorted(floating_groups):
            sink.block(groups[key], floating_queries, floating_mask, cutoff(groups[key]))
    return sink.result(n)


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


def _date_arrays(prepared: Sequence[_Prepared]) -> dict[str, np.ndarray]:
    """Date fields as arrays over mentions, built once per distinct date."""
    ids = {p.date_id: k for k, p in enumerate(prepared)}
    order = sorted(ids)
    infos = [prepared[ids[d]].date for d in order]
    position = {d: k for k, d in enumerate(order)}
    which = np.array([position[p.date_id] for p in prepared], dtype=np.int64)
    pattern = np.array([[-1 if x is None else x for x in (i.pattern or (None, None, None))] for i in infos],
                       dtype=np.int64).reshape(-1, 3)
    return {
        "lo": np.array([i.lo for i in infos], dtype=np.int64)[which],
        "hi": np.array([i.hi for i in infos], dtype=np.int64)[which],
        "dated": np.array([i.dated for i in infos], dtype=bool)[which],
        "has_pattern": np.array([i.pattern is not None for i in infos], dtype=bool)[which],
        "pattern": pattern[which],
        "binding": np.array([i.binding for i in infos], dtype=bool)[which],
        "reported_by": np.array([i.reported_by for i in infos], dtype=np.int64)[which],
    }


def _compatible_pairs(d: dict[str, np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`_compatible` over index arrays."""
    both_dated = d["dated"][a] & d["dated"][b]
    overlap = (d["lo"][a] <= d["hi"][b]) & (d["lo"][b] <= d["hi"][a])
    pa, pb = d["pattern"][a], d["pattern"][b]
    agree = np.all((pa < 0) | (pb < 0) | (pa == pb), axis=1)
    both_pattern = d["has_pattern"][a] & d["has_pattern"][b]
    return np.where(both_dated, overlap, np.where(both_pattern, agree, True))


def _precise(lo: np.ndarray | int, hi: np.ndarray | int, s: MergeSettings) -> np.ndarray | bool:
    """Whether an interval is narrow enough for a disagreement about it to be a slip (a weekday
    misresolved) rather than two different claims ("in 2004" / "in 2005")."""
    return (hi - lo) <= s.conflict_window_days  # type: ignore[operator, no-any-return]


def _scored_edges(prepared: Sequence[_Prepared], pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
                  s: MergeSettings) -> list[tuple[float, int, int]]:
    """Pairs that may be joined, best first (ties in content order)."""
    left, right, text = pairs
    if not len(left):
        return []
    # Two summaries with no content word left ("the case" / "the suit") agree on nothing; rapidfuzz
    # would call two empty strings identical.
    empty = np.array([not p.text for p in prepared])
    text = np.where(empty[left] | empty[right], 0.0, text.astype(np.float64))
    lemma_ids = {lemma: k for k, lemma in enumerate(sorted({p.lemma for p in prepared}))}
    type_ids = {t: k for k, t in enumerate(sorted({p.type for p in prepared}))}
    lemma = np.array([lemma_ids[p.lemma] for p in prepared])
    type_ = np.array([type_ids[p.type] for p in prepared])
    named = np.array([len(p.names) for p in prepared])
    min_text = np.array([s.min_text_of.get(p.family, 0.0) for p in prepared])
    # Wording floors: some families (statements) are told apart by what was said, not by who
    # said it; and a mention that names no actor has only its wording to show it is the same event.
    # A death, a resignation: one participant has it once, so the same participant on both sides
    # identifies it (checked below: every actor of the shorter list must be on the other), and
    # the wording needs no floor.
    once = np.array([p.once for p in prepared])
    once_named = np.array([len(p.once_names) for p in prepared])
    once_pair = (once[left] >= 0) & (once[left] == once[right]) & (once_named[left] > 0) & (once_named[right] > 0)
    floor = np.maximum(min_text[left], np.where((named[left] == 0) | (named[right] == 0), s.actorless_min_text, 0.0))
    # The same predicate (one sense group) naming a common participant or place, or in one article,
    # needs no wording either (checked below): "Reid checked into rehab" / "Reid has entered rehab".
    sense_ids = {sense: k for k, sense in enumerate(sorted({p.sense for p in prepared if p.sense}))}
    sense = np.array([sense_ids[p.sense] if p.sense else -1 for p in prepared], dtype=np.int64)
    sense_pair = (sense[left] >= 0) & (sense[left] == sense[right])
    has_speaker = np.array([bool(p.speaker) for p in prepared], dtype=bool)
    speaker_pair = has_speaker[left] & has_speaker[right]
    sense_pair |= speaker_pair
    strict_floor = floor
    floor = np.where(once_pair | sense_pair, min_text[left], floor)
    floor = np.where(speaker_pair, 0.0, floor)
    # A mention dated only by its tense (or not at all) that joins a dated one takes its date: shared
    # actors alone ("Apple" and "Jobs" in every Apple story) are not evidence enough for that.
    binds = np.array([p.date.binding for p in prepared])
    dating = binds[left] != binds[right]
    # Two predicates outside the taxonomy ("possess", "presented") share no type: `other` says nothing.
    typed = type_ != type_ids.get(OTHER_TYPE, -1)
    trigger = np.where(lemma[left] == lemma[right], 1.0,
                       np.where((type_[left] == type_[right]) & typed[left], s.same_type_trigger, 0.0))
    partial = s.w_text * text + s.w_trigger * trigger
    # An upper bound (full actor overlap) discards most pairs before the actor comparison.
    pair_family = np.array([p.family in s.pair_families for p in prepared])[left]
    bonus_possible = np.where(pair_family & (named[left] >= 2) & (named[right] >= 2), s.shared_pair_bonus, 0.0)
    bonus_possible = np.maximum(bonus_possible, np.where(once_pair, s.once_bonus, 0.0))
    bonus_possible = np.maximum(bonus_possible, np.where(sense_pair, s.sense_bonus + s.w_trigger * (1.0 - trigger), 0.0))
    keep = (np.minimum(partial + s.w_actors + bonus_possible, 1.0) >= s.merge_threshold) & (text >= floor)
    keep &= ~dating | (text >= s.dating_min_text) | (bonus_possible > 0)
    left, right, partial, pair_family = left[keep], right[keep], partial[keep], pair_family[keep]
    text, dating, once_pair = text[keep], dating[keep], once_pair[keep]
    sense_pair, strict_floor, trigger = sense_pair[keep], strict_floor[keep], trigger[keep]

    overlap, shared, full_disagree = _actor_overlaps(prepared, left, right, s.no_actor_overlap)
    once_match = np.zeros(len(left), dtype=bool)
    for k in np.flatnonzero(once_pair).tolist():  # rare: a few deaths and resignations per story
        a, b = prepared[left[k]].once_names, prepared[right[k]].once_names
        if _once_match(a, b):
            once_match[k] = True
            # The backdrop name counts here: it is the participant of the event.
            overlap[k], shared[k] = 1.0, max(shared[k], min(len(a), len(b)))
    # Full names on both sides, none in common (backdrop names included: a story of two rehab stays
    # names both actresses everywhere): different events, whatever the wording.
    has_full = np.array([bool(p.full_names) for p in prepared], dtype=bool)
    check = np.flatnonzero(has_full[left] & has_full[right] & ~full_disagree)
    for k, i, j in zip(check.tolist(), left[check].tolist(), right[check].tolist(), strict=True):
        a, b = prepared[i], prepared[j]
        if _full_names_disagree(a.full_names, a.all_names, b.full_names, b.all_names):
            full_disagree[k] = True
    sense_match = np.zeros(len(left), dtype=bool)
    check = np.flatnonzero(sense_pair & ~full_disagree)
    for k, i, j, words in zip(check.tolist(), left[check].tolist(), right[check].tolist(), text[check].tolist(),
                              strict=True):
        a, b = prepared[i], prepared[j]
        if a.speaker and b.speaker:
            sense_match[k] = _speaker_match(a, b, words, s)
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
    score = np.minimum(partial + s.w_actors * overlap + bonus, 1.0)
    # Both name their actors and none agree, or none of their full names: different events,
    # whatever the wording.
    keep = (score >= s.merge_threshold) & ~((named[left] > 0) & (named[right] > 0) & (shared == 0)) & ~full_disagree
    # Two shared participants of a meeting, or the one participant of a once-only event, stand in
    # for wording, also when they date the other side.
    # The same predicate and participant date a tense-only mention only inside one article.
    doc_ids = {d: k for k, d in enumerate(sorted({p.doc for p in prepared}))}
    doc_of = np.array([doc_ids[p.doc] for p in prepared], dtype=np.int64)
    same_doc = doc_of[left] == doc_of[right]
    keep &= ~dating | (text >= s.dating_min_text) | (pair_family & (shared >= 2)) | once_match | (sense_match & same_doc)
    keep &= (text >= strict_floor) | once_pair | sense_match
    left, right, score = left[keep], right[keep], np.round(score[keep], 6)

    # Dates: only pairs where both dates bind can be incompatible; they survive only as conflicts
    # between near-identical wordings of precise, nearby dates.
    d = _date_arrays(prepared)
    binding = d["binding"][left] & d["binding"][right]
    lo_l, hi_l, lo_r, hi_r = d["lo"][left], d["hi"][left], d["lo"][right], d["hi"][right]
    gap = np.maximum(np.maximum(lo_r - hi_l, lo_l - hi_r), 0)
    gap = np.where(d["dated"][left] & d["dated"][right], gap, POS_INF)
    as_conflict = ((score >= s.conflict_threshold) & (gap <= s.conflict_window_days)
                   & _precise(lo_l, hi_l, s) & _precise(lo_r, hi_r, s))
    drop = binding & ~_compatible_pairs(d, left, right) & ~as_conflict
    # A past event in an article of 2008 is not the 2010 edition of an annual conference.
    starts_l = np.where(d["binding"][left] & d["dated"][left], lo_l, NEG_INF)
    starts_r = np.where(d["binding"][right] & d["dated"][right], lo_r, NEG_INF)
    window = s.conflict_window_days
    drop |= (starts_l > d["reported_by"][right] + window) | (starts_r > d["reported_by"][left] + window)
    left, right, score = left[~drop], right[~drop], score[~drop]
    order = np.lexsort((right, left, -score))
    return list(zip(score[order].tolist(), left[order].tolist(), right[order].tolist(), strict=True))


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


# --- entries -----------------------------------------------------------------------------------

def _date_sort_key(date: EventDate, info: _DateInfo) -> tuple[Any, ...]:
    width = info.hi - info.lo if info.bounded else POS_INF
    # Of open intervals the tightest: an event reported as past by articles of 6 and 14 November
    # happened before 6 November.
    tightness = info.hi if info.lo == NEG_INF else -info.lo if info.hi == POS_INF else 0
    return (0 if info.bounded else 1, GRANULARITY_RANK.get(date.granularity, 99), BASIS_RANK.get(date.basis, 99), width,
            tightness, date.value or "", date.mod or "")


def _choose_date(members: Sequence[int], mentions: Sequence[EventMention], prepared: Sequence[_Prepared]) -> int | None:
    """Index of the member whose date the entry takes, or None when no source dates it."""
    if len(members) == 1:
        info = prepared[members[0]].date
        return members[0] if info.dated or info.pattern else None
    dated = [i for i in members if prepared[i].date.dated or prepared[i].date.pattern]
    if not dated:
        return None
    # Tense-only dates (PAST_REF before the publication date) are candidates only when nothing
    # better dates the event, and never outvote a resolved date.
    binding = [i for i in dated if prepared[i].date.binding]
    candidates = binding or dated
    binding_weight: dict[_DateInfo, float] = defaultdict(float)
    for j in binding:
        binding_weight[prepared[j].date] += prepared[j].date.weight
    contradiction: dict[_DateInfo, float] = {}
    best: tuple[Any, ...] | None = None
    chosen: int | None = None
    for i in candidates:
        info = prepared[i].date
        if info not in contradiction:
            contradiction[info] = round(sum(w for other, w in binding_weight.items() if not _compatible(info, other)), 6)
        key = (contradiction[info], *_date_sort_key(mentions[i].date, info), i)
        if best is None or key < best:
            best, chosen = key, i
    return chosen


def _display_names(members: Sequence[int], mentions: Sequence[EventMention], attr: str) -> tuple[str, ...]:
    """One surface form per distinct actor (or location), most often used first."""
    lists = Counter(getattr(mentions[i], attr) for i in members)
    return _display_forms(tuple(sorted(lists.items())))


@functools.lru_cache(maxsize=1 << 14)
def _display_forms(lists: tuple[tuple[tuple[str, ...], int], ...]) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for names, k in lists:
        for name in dict.fromkeys(names):
            if name_tokens(name):
                counts[name] = counts.get(name, 0) + k
    forms = sorted(counts)
    tokens = [name_tokens(f) for f in forms]
    group_of = list(range(len(forms)))
    # Variants of one name (one group per connected set of matching forms).
    for a_idx in range(len(forms)):
        for b_idx in range(a_idx + 1, len(forms)):
            if group_of[a_idx] != group_of[b_idx] and names_match(tokens[a_idx], tokens[b_idx]):
                old, new = max(group_of[a_idx], group_of[b_idx]), min(group_of[a_idx], group_of[b_idx])
                group_of = [new if g == old else g for g in group_of]
    variants: dict[int, list[int]] = defaultdict(list)
    for k, g in enumerate(group_of):
        variants[g].append(k)
    chosen: list[tuple[int, str]] = []
    for group in variants.values():
        total = sum(counts[forms[k]] for k in group)
        # The most used form; on ties a two-to-three word name ("Kim Jong Un") over a bare
        # surname or a title-laden one, then the longer, then alphabetical.
        best = min(group, key=lambda k: (-counts[forms[k]], 0 if 2 <= len(tokens[k]) <= 3 else 1, -len(forms[k]), forms[k]))
        chosen.append((total, forms[best]))
    return tuple(name for _, name in sorted(chosen, key=lambda t: (-t[0], t[1])))


def _entry_id(type_: str, actors: Sequence[str], date: EventDate, first: EventMention) -> str:
    payload = json.dumps([type_, sorted(" ".join(name_tokens(a)) for a in actors), date.value, date.mod,
                          first.doc_id, first.sentence_index, first.trigger_start, first.trigger_end],
                         ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:12]


def _build_entry(members: Sequence[int], mentions: Sequence[EventMention], prepared: Sequence[_Prepared],
                 s: MergeSettings) -> TimelineEntry:
    chosen = _choose_date(members, mentions, prepared)
    date = mentions[chosen].date if chosen is not None else EventDate()
    chosen_info = prepared[chosen].date if chosen is not None else None

    conflicting: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    if chosen_info is not None:
        for i in members:
            info = prepared[i].date
            if info.binding and info.weight > 0 and not _compatible(chosen_info, info):
                d = mentions[i].date
                key = (d.value or "", d.start.toordinal() if d.start else 0, d.end.toordinal() if d.end else 0)
                conflicting[key].append(i)
    conflicts = []
    for key in sorted(conflicting, key=lambda k: (k[1] or POS_INF, k[2], k[0])):
        group = conflicting[key]
        d = mentions[group[0]].date
        conflicts.append(Conflict(date=d.value or "", date_start=d.start, date_end=d.end,
                                  doc_ids=tuple(sorted({mentions[i].doc_id for i in group}))))

    in_conflict = {i for group in conflicting.values() for i in group}
    agreeing = [i for i in members if i not in in_conflict]
    if chosen is not None:
        rep = min(agreeing, key=lambda i: (mentions[i].date != date, -mentions[i].confidence, i))
    else:
        rep = min(members, key=lambda i: (-mentions[i].confidence, i))
    rep_m = mentions[rep]

    type_counts = Counter(mentions[i].type for i in members) if len(members) > 1 else {rep_m.type: 1}
    top = max(type_counts.values())
    type_ = rep_m.type if type_counts[rep_m.type] == top else min(t for t, c in type_counts.items() if c == top)

    group = s.modality_groups[prepared[rep].group]
    mod_counts = Counter(mentions[i].modality for i in members) if len(members) > 1 else {rep_m.modality: 1}
    modality = min(group, key=lambda m: (-mod_counts.get(m, 0), group.index(m)))

    per_doc: dict[str, float] = {}
    for i in members:
        per_doc[mentions[i].doc_id] = max(per_doc.get(mentions[i].doc_id, 0.0), mentions[i].confidence)
    base = sum(per_doc.values()) / len(per_doc)
    confidence = base + (1.0 - base) * s.corroboration * (1.0 - 1.0 / len(per_doc))
    total_weight = sum(prepared[i].date.weight for i in members)
    if in_conflict and total_weight > 0:
        confidence *= 1.0 - s.conflict_penalty * sum(prepared[i].date.weight for i in in_conflict) / total_weight
    confidence = round(min(max(confidence, 0.0), 1.0), 4)

    ordered = sorted(members, key=lambda i: (mentions[i].doc_id, mentions[i].trigger_start, mentions[i].sentence_index, i))
    sources = tuple(Source(doc_id=m.doc_id, sentence_index=m.sentence_index, sentence=m.sentence,
                           start=m.trigger_start, end=m.trigger_end, timex_text=m.timex_text, timex_value=m.timex_value,
                           trigger=m.trigger, trigger_in_sentence=m.trigger_in_sentence)
                    for m in (mentions[i] for i in ordered))
    actors = _display_names(members, mentions, "actors")
    return TimelineEntry(
        id=_entry_id(type_, actors, date, mentions[ordered[0]]),
        date=date,
        type=type_,
        trigger=rep_m.trigger,
        summary=rep_m.summary,
        actors=actors,
        locations=_display_names(members, mentions, "locations"),
        modality=modality,  # type: ignore[arg-type]
        confidence=confidence,
        sources=sources,
        conflicts=tuple(conflicts),
    )


@collection_paused()
def merge_mentions(mentions: Iterable[EventMention], settings: MergeSettings | None = None,
                   map_parts: Callable[..., Iterable[list[TimelineEntry]]] | None = None) -> list[TimelineEntry]:
    """One timeline entry per real event, every mention in exactly one entry, in timeline order.

    Mentions of different type families or modality groups are never compared, so each such part
    is merged on its own; `map_parts`, a `map`-like callable (an executor's `map`), merges the
    parts in parallel with the same result as merging them one after the other.
    """
    s = settings or load_settings()
    ordered = sorted(mentions, key=_canonical_key)
    common = _common_names(ordered, s)
    if map_parts is None:
        entries = _merge_part(ordered, s, common)
    else:
        parts = _independent_parts(ordered, s)
        entries = [e for part in map_parts(_merge_part, parts, [settings] * len(parts), [common] * len(parts))
                   for e in part]
    entries = _join_same_sentence(entries, s)
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


def _one_happening(a: TimelineEntry, b: TimelineEntry, sentence: tuple[str, int], s: MergeSettings,
                   details: bool = False) -> bool:
    """Whether two entries stated in one sentence are one happening: the predicates of "Kim plans to
    travel to Russia this month to meet Putin and discuss supplying weapons", or of a caption ("Harris
    talks to Modi as they enter the room to attend the East Asia Summit on 7 September"). They must
    carry the same date read from the text (not the tense), the same modality group, and share a
    participant, or one names none, or both take their date from the same expression; two speakers'
    remarks in one sentence stay apart. With `details`, predicates outside the taxonomy may join (see
    `_detail_of`)."""
    da, db = a.date, b.date
    if da.value is None or (da.value, da.mod) != (db.value, db.mod) or da.basis in ("tense", "none") \
            or db.basis in ("tense", "none") or da.granularity in ("ref", "unknown"):
        return False
    if s.modality_group_of.get(a.modality, 0) != s.modality_group_of.get(b.modality, 0):
        return False
    # Predicates outside the taxonomy ("enter", "persuade") are not joined: one sentence often tells
    # two distinct happenings ("checked into rehab, her representative told People").
    if OTHER_TYPE in (a.type, b.type) and not details:
        return False
    family_a, family_b = s.families.get(a.type, a.type), s.families.get(b.type, b.type)
    if family_a in s.speaker_families and family_b in s.speaker_families:
        if not (a.actors and b.actors and names_match(name_tokens(a.actors[0]), name_tokens(b.actors[0]))):
            return False
    if not a.actors or not b.actors:
        return True
    if _any_name_matches(tuple(name_tokens(x) for x in a.actors), tuple(name_tokens(y) for y in b.actors)):
        return True
    timex_a = {src.timex_text for src in a.sources if (src.doc_id, src.sentence_index) == sentence} - {None}
    timex_b = {src.timex_text for src in b.sources if (src.doc_id, src.sentence_index) == sentence} - {None}
    return bool(timex_a & timex_b)


def _join_same_sentence(entries: Sequence[TimelineEntry], s: MergeSettings) -> list[TimelineEntry]:
    """Entries stated in one sentence that are one happening (`_one_happening`), joined across type
    families: the entry of the type listed first in merge.yaml `same_sentence.lead_types`, then the
    one named first in the shared sentence, leads (its type, trigger, summary, date,
    modality, id), the others add their sources, participants and conflicts. Linear: only entries sharing a
    sentence are compared."""
    ordered = sorted(entries, key=lambda e: e.id)
    by_sentence: dict[tuple[str, int], list[int]] = defaultdict(list)
    for k, e in enumerate(ordered):
        for key in dict.fromkeys((src.doc_id, src.sentence_index) for src in e.sources):
            by_sentence[key].append(k)
    parent = list(range(len(ordered)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for sentence in sorted(by_sentence):
        members = by_sentence[sentence]
        if len(members) < 2 or len(members) > SMALL_GRID:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if root(i) != root(j) and _one_happening(ordered[i], ordered[j], sentence, s):
                    parent[max(root(i), root(j))] = min(root(i), root(j))
    for k, entry in enumerate(ordered):
        lead = _detail_of(k, entry, ordered, by_sentence, root, s)
        if lead is not None:
            parent[root(k)] = root(lead)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(len(ordered)):
        groups[root(k)].append(k)
    out = []
    for members in groups.values():
        if len(members) == 1:
            out.append(ordered[members[0]])
            continue
        group = [ordered[k] for k in members]
        # Among equals the sentence's first predicate is its main one in news style ("Shoigu traveled to
        # Pyongyang ... to persuade North Korea to provide weapons ... for its war").
        seen: Counter[tuple[str, int]] = Counter(key for e in group for key in {(x.doc_id, x.sentence_index) for x in e.sources})
        shared = {key for key, n in seen.items() if n > 1}
        lead_rank = s.lead_rank_of
        lead = min(group, key=lambda e: (
            # the kind of event a reader names first (same_sentence.lead_types: the summit over the talks
            # at it, the trip over the war it serves), then the first named
            lead_rank.get(e.type, len(lead_rank)), e.type == OTHER_TYPE,
            min((x.doc_id, x.start) for x in e.sources if (x.doc_id, x.sentence_index) in shared), e.id))
        sources = sorted({src for e in group for src in e.sources}, key=lambda src: (src.doc_id, src.start, src.sentence_index, src.end))
        conflicts = tuple(dict.fromkeys(c for e in [lead, *group] for c in e.conflicts))
        out.append(dataclasses.replace(
            lead, sources=tuple(sources), conflicts=conflicts, confidence=max(e.confidence for e in group),
            actors=tuple(dict.fromkeys(a for e in [lead, *group] for a in e.actors)),
            locations=tuple(dict.fromkeys(x for e in [lead, *group] for x in e.locations))))
    return out


def _detail_of(k: int, entry: TimelineEntry, ordered: Sequence[TimelineEntry],
               by_sentence: dict[tuple[str, int], list[int]], root: Any, s: MergeSettings) -> int | None:
    """The typed entry an untyped predicate is a detail of, or None.

    A predicate outside the taxonomy told once, in a sentence that states one typed happening of the
    same date and participants ("Shoigu traveled to Pyongyang late July in what officials called an
    attempt to persuade North Korea to provide weapons for use in Ukraine": the attempt, the
    persuading and the use), is the purpose, manner or content of that happening, not an entry of
    its own. It joins only when exactly one typed happening of the sentence qualifies, so that it
    never bridges two happenings the sentence keeps apart."""
    if entry.type != OTHER_TYPE or len({(x.doc_id, x.sentence_index) for x in entry.sources}) != 1:
        return None
    sentence = (entry.sources[0].doc_id, entry.sources[0].sentence_index)
    candidates = [j for j in by_sentence[sentence]
                  if j != k and ordered[j].type != OTHER_TYPE and _one_happening(ordered[j], entry, sentence, s, details=True)]
    if len({root(j) for j in candidates}) > 1:
        # Several happenings fit: the one whose mention here is anchored by the same date expression
        # ("told CBS News in an interview broadcast on Thursday": the telling and the broadcast).
        timex = entry.sources[0].timex_text
        candidates = [j for j in candidates if timex is not None and any(
            (x.doc_id, x.sentence_index) == sentence and x.timex_text == timex for x in ordered[j].sources)]
    leads = {root(j) for j in candidates}
    return next(iter(leads)) if len(leads) == 1 else None


def _independent_parts(ordered: Sequence[EventMention], s: MergeSettings) -> list[list[EventMention]]:
    """The mentions split by (type family, modality group), each part in `ordered` order; largest
    first, so that the longest part does not start last."""
    parts: dict[tuple[str, int], list[EventMention]] = defaultdict(list)
    for m in ordered:
        parts[(s.families.get(m.type, m.type), s.modality_group_of.get(m.modality, 0))].append(m)
    return [parts[key] for key in sorted(parts, key=lambda k: (-len(parts[k]), k))]


@collection_paused()
def _merge_part(ordered: Sequence[EventMention], settings: MergeSettings | None,
                common: frozenset[tuple[str, ...]]) -> list[TimelineEntry]:
    """Entries of mentions in canonical order, in the order of their first mention; ids not yet unique."""
    s = settings or load_settings()
    date_cache: dict[EventDate, tuple[_DateInfo, bool, int, int, int]] = {}
    prepared = [_prepare(m, s, common, date_cache) for m in ordered]
    # Mentions that look the same to every comparison (syndicated copies, a story repeated in
    # one article) are one event: compare one representative of each, weighted by its copies.
    rep_of: dict[tuple[Any, ...], int] = {}
    owner = [rep_of.setdefault(p.identity, i) if p.text else i for i, p in enumerate(prepared)]
    reps = sorted(set(owner))
    copies = Counter(owner)
    rep_prepared = [prepared[i] for i in reps]
    rep_roots = _cluster(rep_prepared, _scored_edges(rep_prepared, _candidate_pairs(rep_prepared, s), s), s,
                         weight=[copies[i] for i in reps])
    root_of_rep = {reps[k]: reps[r] for k, r in enumerate(rep_roots)}
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ordered)):
        clusters[root_of_rep[owner[i]]].append(i)
    return [_build_entry(members, ordered, prepared, s) for _, members in sorted(clusters.items())]


def _with_id(entry: TimelineEntry, new_id: str) -> TimelineEntry:
    return dataclasses.replace(entry, id=new_id)
