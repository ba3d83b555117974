"""A mention as merging sees it (`_Prepared`): its family, modality group, names, wording as a stem
bag, date interval and the keys of the same-event rules; computed once per mention."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any

import snowballstemmer

from extractors.merge.dates import NEG_INF, POS_INF, UNBOUNDED, Recurrence, _date_info, _DateInfo, recurrence_of
from extractors.merge.participants import _actor_tokens, _speaker
from extractors.merge.settings import MergeSettings
from extractors.schema import EventDate, EventMention

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
    # For the learned scorer (features.py): the trigger's sense group in every family, the places
    # named, the stems of the whole sentence, where the sentence is, and whether the trigger is
    # introduced as already told ("the attack", "his remarks").
    sense_key: str = ""
    places: tuple[tuple[str, ...], ...] = ()
    context: str = ""
    sentence_index: int = 0
    reference: bool = False
    # For recurring families (merge.yaml `recurring`): when the mention can have happened
    # (dates.recurrence_of); unbounded for every other family.
    recurrence: Recurrence = UNBOUNDED

    @property
    def identity(self) -> tuple[Any, ...]:
        """What the hand-set rules look at, bar the sentence: mentions equal here are scored once."""
        return (self.family, self.type, self.group, self.names, self.text, self.lemma, self.date_id, self.once_names,
                self.sense, self.sense_names, self.sense_places, self.doc if self.sense else "", self.full_names, self.all_names, self.speaker,
                self.doc if self.speaker else "", self.recurrence)

    @property
    def learned_identity(self) -> tuple[Any, ...]:
        """What the learned scorer looks at (the article and sentence too): mentions equal here are scored once."""
        return (*self.identity, self.doc, self.sense_key, self.places, self.context, self.sentence_index, self.reference)


def _canonical_key(m: EventMention) -> tuple[Any, ...]:
    """A total order over mentions that depends only on their content, never on input order."""
    d = m.date
    return (m.doc_id, m.trigger_start, m.trigger_end, m.sentence_index, m.clause_start, m.clause_end, m.type,
            m.trigger, m.trigger_lemma, m.summary, m.sentence, m.actors, m.locations, m.modality, m.tense or "",
            d.value or "", d.mod or "", d.start.toordinal() if d.start else 0, d.end.toordinal() if d.end else 0,
            d.granularity, d.basis, m.timex_text or "", m.timex_value or "", m.confidence)



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


def _prepare(m: EventMention, s: MergeSettings, common: frozenset[tuple[str, ...]] = frozenset(),
             date_cache: dict[EventDate, tuple[_DateInfo, bool, int, int, int]] | None = None,
             news_days: dict[str, int] | None = None, wording: bool = True) -> _Prepared:
    """The mention as merging sees it; with `wording` False its stem bags (`text`, `context`) are left
    empty, for readers that compare no wording (a third of the cost)."""
    all_names = _actor_tokens(m.actors, s.name_titles)
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
    sense = "" if family in s.sense_excluded_families else s.sense_key(lemma)
    recurrence = (recurrence_of(info, (news_days or {}).get(m.doc_id)) if family in s.recurring_families
                  else UNBOUNDED)
    return _Prepared(
        family=s.families.get(m.type, m.type),
        type=m.type,
        group=s.modality_group_of.get(m.modality, 0),
        names=names,
        text=_bag(summary, skip, s.function_words) if wording else "",
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
        sense_places=tuple(sorted(_actor_tokens(m.locations, s.name_titles))) if sense else (),
        full_names=tuple(sorted(n for n in all_names if len(n) >= 2 and not n[0].startswith("#"))),
        all_names=tuple(sorted(all_names)),
        speaker=_speaker(m.actors, s.name_titles) if family in s.speaker_families else (),
        sense_key=s.sense_key(lemma),
        places=tuple(sorted(_actor_tokens(m.locations, s.name_titles))),
        context=_bag(m.sentence, skip, s.function_words) if wording else "",
        sentence_index=m.sentence_index,
        reference=_is_reference(m, s.reference_determiners),
        recurrence=recurrence,
    )


def _is_reference(m: EventMention, determiners: frozenset[str]) -> bool:
    """Whether the trigger is introduced as something already told ("the attack", "his remarks")."""
    at = m.trigger_in_sentence if m.trigger_in_sentence >= 0 else m.sentence.find(m.trigger)
    if at <= 0:
        return False
    before = _WORD.findall(m.sentence[max(0, at - 40):at].casefold())
    return bool(before) and before[-1] in determiners



