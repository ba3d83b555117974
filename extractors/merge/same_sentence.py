"""Entries stated in one sentence that tell one happening, joined after merging."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from extractors.event_lexicon import OTHER_TYPE
from extractors.merge.blocking import SMALL_GRID
from extractors.merge.entries import _display_forms
from extractors.merge.participants import name_tokens
from extractors.merge.settings import MergeSettings
from extractors.names import any_name_matches as _any_name_matches
from extractors.names import names_match
from extractors.schema import EventMention, TimelineEntry


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
        if not (a.actors and b.actors and names_match(name_tokens(a.actors[0], s.name_titles), name_tokens(b.actors[0], s.name_titles))):
            return False
    if not a.actors or not b.actors:
        return True
    if _any_name_matches(tuple(name_tokens(x, s.name_titles) for x in a.actors),
                         tuple(name_tokens(y, s.name_titles) for y in b.actors)):
        return True
    timex_a = {src.timex_text for src in a.sources if (src.doc_id, src.sentence_index) == sentence} - {None}
    timex_b = {src.timex_text for src in b.sources if (src.doc_id, src.sentence_index) == sentence} - {None}
    return bool(timex_a & timex_b)


def _saying_and_said(a: TimelineEntry, b: TimelineEntry, sentence: tuple[str, int], s: MergeSettings,
                     mention_at: dict[tuple[str, int, int, int], EventMention]) -> bool:
    """Whether, in `sentence`, one entry is a statement (merge.yaml `same_speaker.families`) and the other
    a clause of its own, a verb with its subject ("a spokesman said Thursday *the actress checked into*
    rehab"; "*he fired*, authorities said"): two happenings, the saying and what is said, though one
    date expression and one participant serve both. A statement's occasion stays one with it ("seen
    speaking during a *webinar*", "told a webinar *hosted* by ...": a noun, or a verb whose clause
    starts at the verb, with no subject of its own)."""
    def told(e: TimelineEntry) -> list[EventMention]:
        return [m for x in e.sources if (x.doc_id, x.sentence_index) == sentence
                and (m := mention_at.get((x.doc_id, x.sentence_index, x.start, x.end))) is not None]

    def is_statement(m: EventMention) -> bool:
        return s.families.get(m.type, m.type) in s.speaker_families

    for said, other in ((a, b), (b, a)):
        if any(is_statement(m) for m in told(said)) and any(
                not is_statement(n) and n.tense is not None and n.clause_start < n.trigger_start for n in told(other)):
            return True
    return False


def _join_same_sentence(entries: Sequence[TimelineEntry], s: MergeSettings,
                        news_days: dict[str, int] | None = None,
                        mentions: Sequence[EventMention] = ()) -> list[TimelineEntry]:
    """Entries stated in one sentence that are one happening (`_one_happening`), joined across type
    families: the entry of the type listed first in merge.yaml `same_sentence.lead_types`, then the
    one named first in the shared sentence, leads (its type, trigger, summary, date,
    modality, id), the others add their sources, participants and conflicts. Linear: only entries sharing a
    sentence are compared. A join that would give an entry of a recurring family (merge.yaml
    `recurring`) sources from articles of two news days (`news_days`) is refused: one day's "the
    KOSDAQ index dropped" is not the next day's, however another entry of that sentence was merged. With
    `mentions` (those of the entries), a statement and a clause it reports stay apart (`_saying_and_said`).
    Two entries (as joined so far) each told in `told_apart_sentences` sentences the other is not stay
    apart: the articles tell them each on its own ("she checked into rehab after she left the set")."""
    ordered = sorted(entries, key=lambda e: e.id)
    days = news_days or {}
    recurring = [s.families.get(e.type, e.type) in s.recurring_families for e in ordered]
    days_of = [frozenset(days[x.doc_id] for x in e.sources if x.doc_id in days) for e in ordered]

    sentences_of = [frozenset((x.doc_id, x.sentence_index) for x in e.sources) for e in ordered]

    def spans_days(i: int, j: int) -> bool:
        return (recurring[i] or recurring[j]) and len(days_of[i] | days_of[j]) > 1

    apart_of: dict[tuple[int, int, int, int], bool] = {}

    def told_apart(i: int, j: int) -> bool:
        # Each told in sentences the other is not (merge.yaml same_sentence.told_apart_sentences): two
        # events told each on its own, which one sentence mentions together. Remembered per pair of
        # groups as they stand, so two large entries sharing many sentences are compared once.
        key = (i, j, len(sentences_of[i]), len(sentences_of[j]))
        if key not in apart_of:
            shared = len(sentences_of[i] & sentences_of[j])
            apart_of[key] = min(len(sentences_of[i]), len(sentences_of[j])) - shared >= s.told_apart_sentences
        return apart_of[key]

    def join(i: int, j: int) -> None:
        child, root_ = max(i, j), min(i, j)
        parent[child] = root_
        recurring[root_] = recurring[i] or recurring[j]
        days_of[root_] = days_of[i] | days_of[j]
        sentences_of[root_] = sentences_of[i] | sentences_of[j]

    by_sentence: dict[tuple[str, int], list[int]] = defaultdict(list)
    for k, e in enumerate(ordered):
        for key in dict.fromkeys((src.doc_id, src.sentence_index) for src in e.sources):
            by_sentence[key].append(k)
    parent = list(range(len(ordered)))
    mention_at = {(m.doc_id, m.sentence_index, m.trigger_start, m.trigger_end): m for m in mentions}

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
                ri, rj = root(i), root(j)
                if ri != rj and not spans_days(ri, rj) and not told_apart(ri, rj) and _one_happening(ordered[i], ordered[j], sentence, s) \
                        and not _saying_and_said(ordered[i], ordered[j], sentence, s, mention_at):
                    join(ri, rj)
    for k, entry in enumerate(ordered):
        lead = _detail_of(k, entry, ordered, by_sentence, root, s)
        if lead is not None and root(k) != root(lead) and not spans_days(root(k), root(lead)):
            join(root(k), root(lead))
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
        out.append(joined_entry(lead, group, s))
    return out


def joined_entry(lead: TimelineEntry, group: Sequence[TimelineEntry], s: MergeSettings) -> TimelineEntry:
    """The entries of `group` (`lead` among them) as one: the lead's type, trigger, summary, date,
    modality and id, every entry's sources, participants and conflicts, the best confidence."""
    # A list, not a set: two byte-identical mentions are two sources (every mention in exactly one entry).
    sources = sorted([src for e in group for src in e.sources], key=lambda src: (src.doc_id, src.start, src.sentence_index, src.end))
    conflicts = tuple(dict.fromkeys(c for e in [lead, *group] for c in e.conflicts))
    return dataclasses.replace(
        lead, sources=tuple(sources), conflicts=conflicts, confidence=max(e.confidence for e in group),
        actors=_joined_names([lead, *group], "actors", s), locations=_joined_names([lead, *group], "locations", s))


def _joined_names(entries: Sequence[TimelineEntry], attr: str, s: MergeSettings) -> tuple[str, ...]:
    """The names of joined entries as one entry shows them: one form per person or place ("Kim Jong Un"
    and "Kim Jong-un" are one; the form every entry's names get), in the order the entries name them
    (the lead's participants first)."""
    weights: Counter[tuple[str, ...]] = Counter()
    for e in entries:
        weights[getattr(e, attr)] += len(e.sources)
    forms = _display_forms(tuple(sorted(weights.items())), s.name_titles)
    form_tokens = [name_tokens(f, s.name_titles) for f in forms]
    ordered: dict[str, None] = {}
    for name in (n for e in entries for n in getattr(e, attr)):
        tokens = name_tokens(name, s.name_titles)
        form = next((f for f, t in zip(forms, form_tokens, strict=True) if f == name or names_match(t, tokens)), None)
        if form is not None:
            ordered.setdefault(form)
    return tuple(ordered) + tuple(f for f in forms if f not in ordered)


def _detail_of(k: int, entry: TimelineEntry, ordered: Sequence[TimelineEntry],
               by_sentence: dict[tuple[str, int], list[int]], root: Any, s: MergeSettings) -> int | None:
    """The typed entry an untyped predicate is a detail of, or None.

    A predicate outside the taxonomy told once, in a sentence that states one typed happening of the
    same date and participants ("Shoigu traveled to Pyongyang late July in what officials called an
    attempt to persuade North Korea to provide weapons for use in Ukraine": the attempt, the
    persuading and the use), is the purpose, manner or content of that happening, not an entry of
    its own. It joins only when exactly one typed happening of the sentence qualifies, so that it
    never bridges two happenings the sentence keeps apart. Told in several sentences of one article,
    it joins when each of them gives the same one happening (a photo caption the page prints twice:
    "Seiler is seen speaking during a webinar on Thursday")."""
    if entry.type != OTHER_TYPE or len({x.doc_id for x in entry.sources}) != 1:
        return None
    leads: set[int] = set()
    for sentence in dict.fromkeys((x.doc_id, x.sentence_index) for x in entry.sources):
        lead = _detail_lead_in(k, entry, sentence, ordered, by_sentence, root, s)
        if lead is None:
            return None
        leads.add(lead)
    return next(iter(leads)) if len(leads) == 1 else None


def _detail_lead_in(k: int, entry: TimelineEntry, sentence: tuple[str, int], ordered: Sequence[TimelineEntry],
                    by_sentence: dict[tuple[str, int], list[int]], root: Any, s: MergeSettings) -> int | None:
    """The one typed happening of `sentence` the untyped entry `k` is a detail of there, or None."""
    candidates = [j for j in by_sentence[sentence]
                  if j != k and ordered[j].type != OTHER_TYPE and _one_happening(ordered[j], entry, sentence, s, details=True)]
    if len({root(j) for j in candidates}) > 1:
        # Several happenings fit: the one whose mention here is anchored by the same date expression
        # ("told CBS News in an interview broadcast on Thursday": the telling and the broadcast).
        timex = next((x.timex_text for x in entry.sources if (x.doc_id, x.sentence_index) == sentence), None)
        candidates = [j for j in candidates if timex is not None and any(
            (x.doc_id, x.sentence_index) == sentence and x.timex_text == timex for x in ordered[j].sources)]
    leads = {root(j) for j in candidates}
    return next(iter(leads)) if len(leads) == 1 else None



