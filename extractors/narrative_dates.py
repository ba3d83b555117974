"""Dates an event takes from the narrative around it when its own clause has none: the dated
clause that governs it, or the dated happening the article reports.

A clause conjoined with or governed by a dated event, told in the same simple past, happened
then: "Shares of Ford fell 3 percent on Tuesday after the carmaker *cut* its forecast", "Airbus
delivered the first jet on Monday and *handed* it over". The parse's chain (conjunction, clausal
complement, adverbial clause, parataxis, open complement) leads from the event to the first
predicate that is an event dated by a temporal expression; it dates the event when both verbs are
in the simple past. An infinitive completing a movement dates it the other way round ("rose 120
points to close at a record on Friday"). A present, perfect or modal verb keeps its own reading
of tense ("said on Tuesday it *expects* ...", "said on Tuesday it *has cut* ...").

A news report about a happening dates it in its lead ("Apple announced Friday that ...", "Shares
of Ford fell 3 percent on Tuesday ...") and tells the rest in the simple past without repeating the
day ("Jobs acknowledged ...", "The carmaker cut its forecast"). Those events happened then, not on
the publication date, which is where their tense alone would place them. Present and present
perfect ("has caused", "have called") report the state at publication and keep its date.

`find_narrative(mentions, doc, extents, governed)` reads what these rules need of the parse once;
`narrative_dates(mentions, facts, timexes, publication_date, ...)`, a pure step run whenever a
publication date is bound (`event_dates.bind_event_dates`), gives the mentions with these dates
applied, the governing clause's first; for the happening:
- the happening's date is the own timex of the first dated, asserted, past event of the article's
  first sentences with mentions (`lead_sentences` of `resources/events/narrative_dates.yaml`),
  when it is 1 to `max_days_before_publication` days before the publication date (a report written
  after the happening, not a background date);
- an event takes it when it is dated only by tense, asserted, its verb (or the verb governing a
  nominal trigger, or governing a participle or infinitive without a subject: "dismissed ...,
  saying", "fell 370 points to close at 9,955") is in the simple past (no "have", no modal), and no
  temporal expression of its sentence scopes over it: none governs the event or a predicate above
  it ("In February, the carmaker cut 2,000 jobs" keeps February; "Shares of Ford tumbled after the
  carmaker said its sales fell in February" takes the lead's day, February dating only the sales).
  A duration or the reference point of a comparison ("its worst day since 2008") scopes over
  nothing. Until issue 16 any date of the sentence kept the lead's day off all its events;
- a market movement placed in the session the report tells, named without a date or an owner of
  its own (`session_nouns`: "had dropped 800 points earlier in the session", "in early trading"),
  takes it too, even in the past perfect: it was before the close, not before the day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from extractors.event_confidence import mention_confidence
from extractors.event_lexicon import OTHER_TYPE
from extractors.resources import load_yaml
from extractors.schema import EventDate, EventMention, Timex


class NarrativeSettingsError(ValueError):
    """events/narrative_dates.yaml is malformed."""


@dataclass(frozen=True)
class NarrativeSettings:
    lead_sentences: int
    max_days_before_publication: int
    session_nouns: frozenset[str]
    since_words: frozenset[str]
    baseline_prepositions: frozenset[str]
    change_units: frozenset[str]
    change_directions: frozenset[str]
    comparing_lemmas: frozenset[str]


_COUNTS = ("lead_sentences", "max_days_before_publication")
_COMPARISON_WORDS = ("since_words", "baseline_prepositions", "change_units", "change_directions", "comparing_lemmas")


@functools.lru_cache(maxsize=1)
def load_settings() -> NarrativeSettings:
    raw = load_yaml("events/narrative_dates.yaml")
    fields = (*_COUNTS, "session_nouns", "comparison")
    if not isinstance(raw, dict) or set(raw) != set(fields):
        raise NarrativeSettingsError(f"events/narrative_dates.yaml: needs exactly {list(fields)}")
    if not all(isinstance(raw[f], int) and not isinstance(raw[f], bool) and raw[f] >= 1 for f in _COUNTS):
        raise NarrativeSettingsError("events/narrative_dates.yaml: every setting is a whole number of at least 1")
    if not _word_list(raw["session_nouns"]):
        raise NarrativeSettingsError("events/narrative_dates.yaml: session_nouns is a list of words")
    comparison = raw["comparison"]
    if not isinstance(comparison, dict) or set(comparison) != set(_COMPARISON_WORDS):
        raise NarrativeSettingsError(f"events/narrative_dates.yaml: comparison needs exactly {list(_COMPARISON_WORDS)}")
    for name in _COMPARISON_WORDS:
        if not _word_list(comparison[name]):
            raise NarrativeSettingsError(f"events/narrative_dates.yaml: comparison.{name} is a list of words")
    words = {name: frozenset(w.lower() for w in comparison[name]) for name in _COMPARISON_WORDS}
    return NarrativeSettings(raw["lead_sentences"], raw["max_days_before_publication"],
                             frozenset(w.lower() for w in raw["session_nouns"]), **words)


def _word_list(words: object) -> bool:
    return isinstance(words, list) and bool(words) and all(isinstance(w, str) and w.strip() for w in words)


# Far from the trigger: the date is the lead's, not the sentence's (for the confidence weights).
_NARRATIVE_HOPS = 3
_DATING_TYPES = frozenset({"DATE", "TIME"})
_CHAIN_DEPS = frozenset({"conj", "ccomp", "advcl", "parataxis", "xcomp"})
_TIMEX_BASES = frozenset({"explicit", "relative", "estimated"})


@dataclass(frozen=True)
class NarrativeFacts:
    """What the narrative rules read of the parse, per mention (index in text order), kept so that
    a publication date can be bound later without the parse (`event_dates.bind_event_dates`):
    whether the mention is told by a simple-past verb; the mention of the first predicate up its
    clause chain when that predicate is told in the simple past too (-1: none); the infinitives
    completing it ("rose ... to close at a record on Friday"); and the timex extents that are the
    reference point of a comparison ("its worst day since 2008"); and, per mention, the timex
    extents that govern the mention or a predicate above it (the dates that scope over it), and
    whether it is an asserted past market movement placed in the session a market report tells
    ("had dropped earlier in the session")."""

    simple_past: tuple[bool, ...]
    chain: tuple[int, ...]
    purposes: tuple[tuple[int, ...], ...]
    comparison_points: tuple[tuple[int, int], ...]
    scoping: tuple[tuple[tuple[int, int], ...], ...]
    in_session: tuple[bool, ...]


def find_narrative(mentions: Sequence[EventMention], doc: Doc, extents: Sequence[tuple[int, int]],
                   governed: Sequence[tuple[int, int, int]] = ()) -> NarrativeFacts:
    """The parse facts the narrative rules need for `mentions` (one article's, text order);
    `governed` gives, for each timex extent that governs a predicate, (start, end, token index of
    the predicate)."""
    by_trigger = {m.trigger_start: k for k, m in enumerate(mentions)}
    # Only an asserted past event can be dated by tense alone, whatever date is bound later; the
    # parse is not read for the others (this runs for every mention of every article).
    verbs = [_simple_past_verb(doc, m.trigger_start) if m.modality == "asserted" and m.tense == "past" else None
             for m in mentions]
    chain = tuple(_chain_mention(v, by_trigger, m.trigger_start) if v is not None else -1
                  for v, m in zip(verbs, mentions, strict=True))
    purposes = tuple(_purpose_mentions(v, by_trigger) if v is not None and v.idx == m.trigger_start else ()
                     for v, m in zip(verbs, mentions, strict=True))
    points = tuple(e for e in dict.fromkeys(extents) if _comparison_point(doc, e))
    extents_of: dict[int, list[tuple[int, int]]] = {}
    for start, end, node in governed:
        extents_of.setdefault(node, []).append((start, end))
    sessions = load_settings().session_nouns
    in_session = tuple(m.type == _MARKET_TYPE and m.modality == "asserted" and m.tense == "past"
                       and _placed_in_session(doc, m.trigger_start, sessions) for m in mentions)
    scoping = tuple(_scoping_extents(doc, m.trigger_start, extents_of) if v is not None or session else ()
                    for v, m, session in zip(verbs, mentions, in_session, strict=True))
    return NarrativeFacts(tuple(v is not None for v in verbs), chain, purposes, points, scoping, in_session)


def _placed_in_session(doc: Doc, char: int, sessions: frozenset[str]) -> bool:
    """Whether the verb at `char` is placed in a session named without a date or an owner of its
    own ("earlier in the session", "in early trading", "at the close"; not "in Tokyo trading",
    "at Friday's close")."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0 or span[0].pos_ not in ("VERB", "AUX"):
        return False
    verb = span[0]
    holders = [verb, *(c for c in verb.children if c.dep_ == "advmod")]
    for prep in (c for h in holders for c in h.children):
        if prep.dep_ != "prep" or prep.lower_ not in _SESSION_PREPOSITIONS:
            continue
        for noun in prep.children:
            if (noun.dep_ == "pobj" and noun.lemma_.lower() in sessions
                    and not any(c.dep_ in _OWNER_DEPS for c in noun.children)):
                return True
    return False


# Only a market's movement is part of the trading session a report tells (a parliament's
# "session" is no day).
_MARKET_TYPE = "market"
_SESSION_PREPOSITIONS = frozenset({"in", "at", "during"})
_OWNER_DEPS = frozenset({"poss", "compound", "nmod", "nummod", "prep", "npadvmod"})


def _scoping_extents(doc: Doc, char: int, extents_of: dict[int, list[tuple[int, int]]]) -> tuple[tuple[int, int], ...]:
    """The timex extents governing the trigger at `char` or a predicate above it in its sentence:
    "Jobs *acknowledged* on Friday ..." but not "Shares *tumbled* after GM said its sales fell in
    September" (the month dates the sales, below the trigger) nor "a service planned for Saturday
    was *canceled*" (the day dates the plan)."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return ()
    token = span[0]
    return tuple(e for t in (token, *token.ancestors) for e in extents_of.get(t.i, ()))


def narrative_dates(mentions: Sequence[EventMention], facts: NarrativeFacts, timexes: Sequence[Timex],
                    publication_date: dt.date | None, estimated_publication: bool = False) -> list[EventMention]:
    """`mentions` of one article (text order, dated by their own timexes or tense) with the dates of
    the narrative applied (module docstring). Pure: `facts` holds what it reads of the parse."""
    if not mentions:
        return []
    out = list(mentions)
    undated = [k for k, m in enumerate(out) if m.date.basis in ("tense", "estimated")
               and m.date.value == "PAST_REF" and m.modality == "asserted"]
    for k in undated:
        if not facts.simple_past[k]:
            continue
        governor = _dated(out, facts.chain[k])
        if governor is None:
            governor = next((out[j] for j in facts.purposes[k] if _timex_dated(out[j])), None)
        if governor is not None:
            out[k] = _redated(out[k], governor.date, hops=2, estimated_publication=estimated_publication)
    happening = _happening(out, publication_date, load_settings()) if publication_date is not None else None
    if happening is None:
        return out
    points = set(facts.comparison_points)
    dating = {(t.start, t.end) for t in timexes if t.type in _DATING_TYPES and (t.start, t.end) not in points}
    basis = "estimated" if estimated_publication else "relative"
    date = EventDate(happening.isoformat(), None, happening, happening, "day", basis)
    for k in undated:
        m = out[k]
        if (m.date.value == "PAST_REF" and (facts.simple_past[k] or facts.in_session[k])
                and dating.isdisjoint(facts.scoping[k])):
            out[k] = _redated(m, date, hops=_NARRATIVE_HOPS, estimated_publication=estimated_publication)
    return out


def _timex_dated(m: EventMention) -> bool:
    return bool(m.timex_value) and m.date.basis in _TIMEX_BASES


def _dated(mentions: Sequence[EventMention], k: int) -> EventMention | None:
    """The chain's event when a temporal expression dates it and it is asserted."""
    if k < 0:
        return None
    governor = mentions[k]
    return governor if _timex_dated(governor) and governor.modality == "asserted" else None


def is_comparison_point(span: Span) -> bool:
    """Whether a temporal expression is the reference point of a comparison after "since" ("its
    worst day since 2008", "the highest level since March", "the first loss since 2009"): the
    event is compared with that time, it did not happen then, so the expression dates no event.
    A "since" without a comparison ("has been on leave since January") still dates its event."""
    since = span[0] if span[0].lower_ == "since" else span.root.head
    if since.lower_ != "since" or (since.i != span.start - 1 and since.i != span.start):
        return False
    head = since.head
    near = [head, *head.children, *(g for c in head.children if c.dep_ in ("dobj", "attr", "prep", "pobj")
                                    for g in c.children)]
    return any(t.tag_ in _COMPARING_TAGS or t.lower_ in load_settings().since_words for t in near)


def baseline_preposition(span: Span) -> Token | None:
    """The preposition of comparison whose phrase holds a temporal expression, when the phrase
    gives the baseline a change is measured from: "soared to $155 million *from* $99 million a
    year earlier", "fell 45 percent *from* a year earlier", "down *from* 10,325 on Friday",
    "compared *with* a loss of $9 million a year ago". The expression dates what the phrase names
    ("a loss ... a year ago") but not the change above it. A possessive timex dates its own noun
    ("from Friday's close": the close was on Friday)."""
    settings = load_settings()
    node = span.root
    if node.dep_ == "poss":
        return None
    for _ in range(_BASELINE_DEPTH):
        head = node.head
        if head.i == node.i or head.pos_ in ("VERB", "AUX"):
            return None
        if head.dep_ == "prep" or head.pos_ == "ADP":
            if head.lower_ in settings.baseline_prepositions and _measured_change(head, span, settings):
                return head
            if head.lower_ in ("with", "to") and head.head.lemma_.lower() in settings.comparing_lemmas:
                return head
        node = head
    return None


def _measured_change(preposition: Token, span: Span, settings: NarrativeSettings) -> bool:
    """A "from" that gives the baseline of a change: its phrase holds a number besides the timex
    ("from $99 million a year earlier"), it follows "up"/"down" ("up from"), or the verb it
    completes is measured in a unit of change ("fell 45 percent from a year earlier")."""
    if any(t.like_num and not (span.start <= t.i < span.end) for t in preposition.subtree):
        return True
    head = preposition.head
    if head.lower_ in settings.change_directions:
        return True
    return any(c.lemma_.lower() in settings.change_units and c.dep_ in ("npadvmod", "dobj")
               for c in head.children if c.i != preposition.i)


_BASELINE_DEPTH = 5
_COMPARING_TAGS = frozenset({"JJS", "RBS"})


def _comparison_point(doc: Doc, extent: tuple[int, int]) -> bool:
    span = doc.char_span(extent[0], extent[1], alignment_mode="expand")
    return span is not None and len(span) > 0 and is_comparison_point(span)


def _redated(m: EventMention, date: EventDate, hops: int, estimated_publication: bool) -> EventMention:
    return dataclasses.replace(m, date=date, confidence=mention_confidence(
        typed=m.type != OTHER_TYPE, date_basis=date.basis, inherited_hops=hops, modality=m.modality,
        has_actor=bool(m.actors), estimated_publication=estimated_publication))


def _chain_mention(verb: Token, by_trigger: dict[int, int], trigger: int) -> int:
    """The mention of the first predicate up the clause chain from `verb` that is a mention, when it
    is told in the simple past too; else -1. When `verb` is not the trigger's own word but the verb
    that tells its time (a participle's or infinitive's governor: "fell 3 percent on Tuesday,
    *closing* at 9,800"), that verb's own mention is the first."""
    if verb.idx != trigger and verb.idx in by_trigger:
        return by_trigger[verb.idx]
    node = verb
    for _ in range(4):
        if node.dep_ == "pcomp" and node.head.dep_ == "prep" and node.head.head.pos_ == "VERB":
            node = node.head.head  # "fell on Tuesday after saying ...": through the preposition
        elif node.dep_ not in _CHAIN_DEPS or node.head.i == node.i or node.head.pos_ != "VERB":
            return -1
        else:
            node = node.head
        k = by_trigger.get(node.idx)
        if k is None:
            continue
        told = _simple_past_verb(node.doc, node.idx)
        return k if told is not None and told.i == node.i else -1
    return -1


def _happening(mentions: Sequence[EventMention], publication_date: dt.date,
               settings: NarrativeSettings) -> dt.date | None:
    lead = sorted({m.sentence_index for m in mentions})[:settings.lead_sentences]
    for m in mentions:
        if m.sentence_index not in lead:
            break
        d = m.date
        if (m.timex_value and m.modality == "asserted" and m.tense == "past" and d.granularity == "day"
                and d.start is not None and d.start == d.end):
            days = (publication_date - d.start).days
            return d.start if 0 < days <= settings.max_days_before_publication else None
    return None


def _purpose_mentions(verb: Token, by_trigger: dict[int, int]) -> tuple[int, ...]:
    """"The index rose 120 points to close at a record on Friday", "fell 2 percent to end at 9,800
    on Tuesday": the mentions of infinitives completing a simple-past verb; the first dated by its
    own temporal expression tells when the movement it completes happened."""
    out = []
    for child in verb.children:
        if child.dep_ not in ("xcomp", "advcl") or child.pos_ != "VERB" or child.i < verb.i:
            continue
        if not any(c.lower_ == "to" and c.dep_ == "aux" for c in child.children):
            continue
        k = by_trigger.get(child.idx)
        if k is not None:
            out.append(k)
    return tuple(out)


def _simple_past_verb(doc: Doc, char: int) -> Token | None:
    """The simple-past verb that tells the time of the trigger at `char` (itself, the verb of a
    nominal trigger, the governor of a subjectless participle), else None."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verb: Token = span[0]
    if verb.pos_ in ("NOUN", "PROPN"):
        if verb.head.pos_ != "VERB" or verb.dep_ not in ("nsubj", "nsubjpass", "dobj"):
            return None
        verb = verb.head
    for _ in range(3):
        # "dismissed the claim, saying ...", "fell 370 points to close at 9,955": a participle or
        # infinitive without a subject of its own tells its governor's time.
        if (verb.tag_ in ("VBG", "VB") and verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.pos_ == "VERB"
                and not any(c.dep_ in ("nsubj", "nsubjpass", "auxpass") or (c.dep_ == "aux" and c.lower_ != "to")
                            for c in verb.children)):
            verb = verb.head
    if verb.pos_ != "VERB":
        return None
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lemma_ == "have" or a.tag_ == "MD" or a.lower_ == "to" for a in auxes):
        return None
    if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and any(a.dep_ == "auxpass" and a.tag_ == "VBD" for a in auxes)):
        return verb
    return None
