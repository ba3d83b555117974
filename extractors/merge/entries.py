"""One timeline entry from a cluster of mentions: its date, conflicts, confidence, names and id."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from extractors.merge.dates import NEG_INF, POS_INF, _compatible, _DateInfo
from extractors.merge.participants import name_tokens
from extractors.merge.prepare import _Prepared
from extractors.merge.settings import MergeSettings
from extractors.names import names_match
from extractors.schema import DATE_BASES, Conflict, EventDate, EventMention, Source, TimelineEntry

GRANULARITY_RANK = {g: i for i, g in enumerate(
    ("time", "day", "week", "month", "season", "quarter", "half", "year", "decade", "century", "ref", "unknown"))}
BASIS_RANK = {b: i for i, b in enumerate(DATE_BASES)}

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


def _display_names(members: Sequence[int], mentions: Sequence[EventMention], attr: str,
                   titles: frozenset[str]) -> tuple[str, ...]:
    """One surface form per distinct actor (or location), most often used first."""
    lists = Counter(getattr(mentions[i], attr) for i in members)
    return _display_forms(tuple(sorted(lists.items())), titles)


@functools.lru_cache(maxsize=1 << 14)
def _display_forms(lists: tuple[tuple[tuple[str, ...], int], ...], titles: frozenset[str]) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for names, k in lists:
        for name in dict.fromkeys(names):
            if name_tokens(name, titles):
                counts[name] = counts.get(name, 0) + k
    forms = sorted(counts)
    tokens = [name_tokens(f, titles) for f in forms]
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


def _entry_id(type_: str, actors: Sequence[str], date: EventDate, first: EventMention, titles: frozenset[str]) -> str:
    payload = json.dumps([type_, sorted(" ".join(name_tokens(a, titles)) for a in actors), date.value, date.mod,
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
    actors = _display_names(members, mentions, "actors", s.name_titles)
    return TimelineEntry(
        id=_entry_id(type_, actors, date, mentions[ordered[0]], s.name_titles),
        date=date,
        type=type_,
        trigger=rep_m.trigger,
        summary=rep_m.summary,
        actors=actors,
        locations=_display_names(members, mentions, "locations", s.name_titles),
        modality=modality,  # type: ignore[arg-type]
        confidence=confidence,
        sources=sources,
        conflicts=tuple(conflicts),
    )



def _with_id(entry: TimelineEntry, new_id: str) -> TimelineEntry:
    return dataclasses.replace(entry, id=new_id)

