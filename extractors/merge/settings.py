"""merge.yaml and event_senses.yaml as one validated `MergeSettings`; refused at load when malformed."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from extractors.merge.model import SameEventModel, load_model
from extractors.resources import load_yaml
from extractors.schema import DATE_BASES, MODALITIES


class MergeConfigError(ValueError):
    """resources/merge.yaml is malformed."""



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
    sense_same_story: bool = False  # the same predicate in articles of one story (features._stories)
    # The same predicate in one story across type families and modality groups (across_parts.py): the
    # modalities every mention of the joined entries must have (empty: no such join); the largest
    # (sense, story) block of entries compared.
    across_modalities: frozenset[str] = frozenset()
    across_max_block: int = 64
    # Families whose events recur day after day with the same participants (an index rises, a market
    # closes): a mention with no date of its own is about its article's news day (dates.recurrence_join).
    recurring_families: frozenset[str] = frozenset()
    # An untyped mention takes the type of its sense group's typed mentions (sense_types.py) when at
    # least this many are typed (0: never) and their most common type holds more than this share of them.
    untyped_min_typed: int = 0
    untyped_min_share: float = 1.0
    # The same-speaker rule: families whose events are identified by who speaks (statements); the
    # wording two articles' tellings of one speaker's remarks need at least when not told of one day.
    speaker_families: frozenset[str] = frozenset()
    lead_types: tuple[str, ...] = ()
    # Two entries each told in at least this many sentences the other is not are two events one
    # sentence mentions together, not one happening (same_sentence.told_apart_sentences).
    told_apart_sentences: int = 2
    speaker_retelling_min_text: float = 1.0
    # Words that introduce a trigger as already told ("the attack", "his remarks"), and the learned
    # same-event scorer (resources/merge_model.json).
    reference_determiners: frozenset[str] = frozenset()
    model: SameEventModel | None = None
    family_free_block: int = 64
    # Articles whose TF-IDF vectors are at least this similar on average tell one story; above
    # story_max_documents articles, stories are not clustered (the matrix is quadratic).
    story_similarity: float = 0.05
    story_max_documents: int = 3000
    # Whether the learned scorer (features.py, model.py, average-link clustering) merges, or the
    # hand-set rules (rule_scoring.py). Off by default until the product's own expectations hold with
    # it (see README, Known limitations); coref_eval.py --learned measures it.
    learned_scorer: bool = False

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

    def sense_key(self, lemma: str) -> str:
        """The sense group of a casefolded trigger lemma, or the lemma itself outside every group."""
        return self.sense_of.get(lemma, lemma)

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


def _count(raw: Any, where: str) -> int:
    _need(isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0,
          f"{where} must be a non-negative integer, got {raw!r}")
    return int(raw)


def parse_settings(raw: Any) -> MergeSettings:
    """Validate the merge.yaml mapping; raises MergeConfigError on anything unexpected."""
    _need(isinstance(raw, dict), "top level must be a mapping")
    known = {"scorer", "weights", "bonus", "thresholds", "conflict_window_days", "blocking", "confidence", "basis_weight",
             "modality_groups", "type_families", "stopwords", "name_titles", "once_per_participant", "same_predicate",
             "same_speaker", "same_sentence",
             "reference_determiners", "learned_scorer", "stories"}
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
    recurring: set[str] = set()
    for fam in raw.get("type_families") or []:
        _need(isinstance(fam, dict) and fam.get("name") and fam.get("types"), f"bad type family {fam!r}")
        _need(bool(fam.get("examples")), f"type family {fam['name']!r} needs examples")
        _need(not set(fam) - {"name", "types", "examples", "min_text", "participants_identify", "recurring"},
              f"type family {fam['name']!r}: unknown keys")
        if fam.get("participants_identify"):
            pair_families.add(str(fam["name"]))
        if fam.get("recurring"):
            recurring.add(str(fam["name"]))
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
    _need(isinstance(same_sentence, dict) and not set(same_sentence) - {"lead_types", "told_apart_sentences"}, "same_sentence: unknown keys")
    _need(isinstance(same_speaker, dict) and not set(same_speaker) - {"families", "retelling_min_text"},
          "same_speaker: unknown keys")
    _need(isinstance(same_predicate, dict) and not set(same_predicate) - {"bonus", "exclude_families", "unnamed_min_text",
                                                                          "same_story", "untyped", "across_parts"},
          "same_predicate: unknown keys")
    untyped = same_predicate.get("untyped") or {}
    across = same_predicate.get("across_parts") or {}
    _need(isinstance(across, dict) and not set(across) - {"modalities", "max_block"},
          "same_predicate.across_parts: unknown keys")
    across_modalities = across.get("modalities") or []
    _need(isinstance(across_modalities, list) and set(across_modalities) <= set(MODALITIES),
          f"same_predicate.across_parts.modalities must be a list of {MODALITIES}")
    _need(isinstance(untyped, dict) and not set(untyped) - {"min_typed", "min_share"}, "same_predicate.untyped: unknown keys")
    settings = MergeSettings(
        senses=_load_senses(),
        sense_excluded_families=frozenset(str(f) for f in same_predicate.get("exclude_families") or ()),
        sense_bonus=_unit(same_predicate.get("bonus", 0.0), "same_predicate.bonus"),
        sense_unnamed_min_text=_unit(same_predicate.get("unnamed_min_text", 1.0), "same_predicate.unnamed_min_text"),
        sense_same_story=bool(same_predicate.get("same_story", False)),
        across_modalities=frozenset(str(m) for m in across_modalities),
        across_max_block=_positive_int(across.get("max_block", 64), "same_predicate.across_parts.max_block"),
        recurring_families=frozenset(recurring),
        untyped_min_typed=_count(untyped.get("min_typed", 0), "same_predicate.untyped.min_typed"),
        untyped_min_share=_unit(untyped.get("min_share", 1.0), "same_predicate.untyped.min_share"),
        speaker_families=frozenset(str(f) for f in same_speaker.get("families") or ()),
        lead_types=tuple(str(x) for x in same_sentence.get("lead_types") or ()),
        told_apart_sentences=_positive_int(same_sentence.get("told_apart_sentences", 2), "same_sentence.told_apart_sentences"),
        reference_determiners=frozenset(str(w).casefold() for w in raw.get("reference_determiners") or ()),
        model=load_model(),
        learned_scorer=bool(raw.get("learned_scorer", False)),
        family_free_block=_positive_int(blocking.get("family_free_block", 64), "blocking.family_free_block"),
        story_similarity=_unit((raw.get("stories") or {}).get("similarity", 0.05), "stories.similarity"),
        story_max_documents=_positive_int((raw.get("stories") or {}).get("max_documents", 3000), "stories.max_documents"),
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


