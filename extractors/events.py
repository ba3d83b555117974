"""Event mentions of one article: trigger, type, participants, modality, date, provenance.

`find_events(doc_id, doc, extents)` reads the spaCy parse (`doc`) and the extents a temporal
expression of the same text can have; `event_dates.bind_event_dates` then dates what it found
against a publication date. `extract_events(article, doc, timexes)` does both for timexes already
resolved. No I/O.

Triggers. By the rules every content verb is an event (one per predicate), except auxiliaries,
copulas, raising/light verbs (`resources/events/stop_triggers.yaml`) and modality verbs that only
govern an open complement ("plans *to travel*": the event is "travel", planned). The learned
predicate model (`extractors.predicate_triggers`) overrules the rules both ways for verbs,
predicative adjectives and copulas ("*expected* to resume", "were *dead*" are events; "*including*"
is not); taxonomy verbs always stay events and website calls to action never are. A multi-word verb
of the taxonomy is read from the parse ("passed away", "checked into"); a title-case headline's verb
is one because the headline is parsed in sentence case (`extractors.truecase`). Nouns are events when their lemma names one in the taxonomy
(`resources/event_types.yaml`: "summit", "sanctions", "talks") unless the learned noun model
(`extractors.noun_triggers`) knows the word and rejects this use ("sales rose"), or when that model
accepts them ("the decision", "an attempt"). A noun modifying another noun ("a *piracy* attempt",
"a *driving* case") is an event only when the noun model accepts it, and of type `other`: as a
modifier it classifies a thing rather than telling a happening to place ("the iPhone 4 *return*
rate" is no trip). An event known by its name ("the Oscars", "the Super Bowl") is read by
`extractors.named_events`. The type comes from the taxonomy; predicates outside
it have type `other` and a lower confidence. A phrasal
verb's particle belongs to the trigger ("step down", "showed off").

Sentences are the parser's, also cut at blank lines (`sentences(doc)`; `sentence_index` counts
these). Sentences that cannot state news yield nothing: no verb with a subject (headings, bylines,
lists), questions and reader-addressed appeals outside reported speech (second person, "our
readers"). Photo captions have a verb and a subject and are kept. A sentence the parser ran over
single line breaks (a headline, a dateline and the lead) that fails these tests keeps the lines
that pass them on their own.

Participants. Actors are the named entities (PERSON, ORG, GPE, NORP) among the trigger's own
arguments (subject, objects, prepositional objects, possessor, agent), not in nested clauses;
an unnamed proper noun argument ("iPod") counts too. A subject the trigger shares with
another verb is inherited: open complements take the controller ("persuade North Korea to
provide" -> North Korea), coordinated verbs the first conjunct's subject, relative clauses
the noun they modify. "he"/"she" resolve to the last person named as an actor before them;
"the carmaker", "the index", "it"/"its" and aliases such as "blue chips" to the organization,
index or product they refer to (`extractors.references`).
Names are resolved within the article to the fullest form (`extractors.actors`). Places
under "in/at/to/from/into/near" are `locations`.

Dates (`EventMention.date`, an `EventDate`) are bound late (`extractors.event_dates`): finding
keeps, for each extent a timex can have, the predicate it governs, and for each mention the
predicates whose timex would date it; the timex is chosen once the timexes are resolved against
the publication date, so an estimated date re-dates the events without the parse.
A timex governs a trigger when the trigger is the first predicate on the timex's path to
the root ("Last month, Washington *imposed*", "said *on Tuesday*", "*traveled* ... late
July"). A trigger without its own timex takes the one of the predicate it depends on
through a link that stays in the same clause: open complement, infinitival or temporal
("as", "when", "while") adverbial, a noun's governing verb, or coordination with a shared
subject ("said on Tuesday ... and warned Kim" -> the warning is dated Tuesday). It never
takes a timex across a finite complement or relative clause: "said on Tuesday that X was
advancing" does not date the advancing. A verb placed at a dated event ("In a July 16 press
conference, Jobs said") takes that event's timex.
A copula heading its own clause stops the walk ("announced that QuickTime would be available
soon": "soon" is not the announcement's date), except that a timex standing between a verb
and its complement clause's subject is the verb's ("said on Thursday it would be ...", which
the parser often attaches to the complement). A timex the parser hangs on another paragraph
(a dateline above "Yesterday, Jobs unveiled ...") dates the main verb of its own sentence.
Only DATE and TIME timexes anchor; durations and sets do not. Without an anchoring timex the
date comes from the tense relative to the publication date (see `event_dates`).

Confidence (0-1): from the trigger being in the taxonomy, how the date was obtained (own
timex > inherited > tense > none), modality (possible/hypothetical lower), and whether any actor
was found; estimated publication dates lower it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IDX
from spacy.tokens import Doc, Span, Token

from extractors.actors import (
    ACTOR_LABELS,
    LOCATION_LABELS,
    ArticleNames,
    NameMention,
    clean_name,
    load_participant_roles,
    normalize_name,
    only_modifies,
)
from extractors.descriptions import speaks_as_group
from extractors.event_arguments import constrained_type
from extractors.event_dates import AnchorStep, EventsFound, Governs, bind_event_dates
from extractors.event_lexicon import OTHER_TYPE, EventLexicon, load_lexicon
from extractors.event_modality import governor_chain, is_finite, modality_of, same_paragraph
from extractors.named_events import named_event
from extractors.narrative_dates import baseline_preposition, find_narrative, is_comparison_point
from extractors.nlp import doc_text, span_text
from extractors.noun_triggers import load_noun_model
from extractors.person_gender import PersonGenders
from extractors.predicate_triggers import is_candidate, load_predicate_model
from extractors.references import ReferenceContext
from extractors.schema import Article, EventMention, Timex
from extractors.tense import tense_of

MAX_SUMMARY_WORDS = 25
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
_NOMINAL_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Event types of an act of speech: a participle of reporting under one restates it (`_speech_act_of`).
_SPEECH_TYPES = frozenset({"statement", "warning"})
_OCCASION_PREPOSITIONS = frozenset({"in", "during", "at"})
# A speech noun with one of these determiners, or a possessive pronoun, refers to a speech act told
# in the last _REFERENCE_SENTENCES sentences ("This statement", "His remarks").
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
_REFERENCE_SENTENCES = 2
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "agent", "prep", "poss", "compound",
                            "nmod", "iobj", "attr", "oprd", "appos", "npadvmod", "amod"})
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "csubj", "acl", "xcomp", "conj", "pcomp"})
_LOCATION_PREPS = frozenset({"in", "at", "to", "into", "from", "near", "inside", "across", "outside"})
_SIMULTANEOUS_MARKS = frozenset({"as", "when", "while", "whilst"})
_OCCASION_PREPS = frozenset({"at", "in", "during"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
_TAXONOMY_NOUN_VETO = 0.2
# How the parser hangs a timex standing right after the subject ("GM Tuesday said"): beside it, not in it.
_BESIDE_SUBJECT = frozenset({"appos", "npadvmod"})
_DATE_LABELS = frozenset({"DATE", "TIME"})
_PREDICATE_POS = frozenset({"VERB", "ADJ", "AUX"})
_TRIGGER_POS = _PREDICATE_POS | {"NOUN", "PROPN"}
# A product's model designation: capitals then digits ("A380", "B787", "F-150", "A320neo", "MD-11"),
# or a lower-case prefix on a capitalized name ("iPhone", "eReader").
_MODEL_DESIGNATION = re.compile(r"^(?:[A-Z]{1,3}-?\d{2,4}[a-zA-Z]{0,3}|[a-z]{1,2}[A-Z][a-z]+)$")


def extract_events(article: Article, doc: Doc, timexes: Sequence[Timex]) -> list[EventMention]:
    """Event mentions of `article`, in text order, dated with `timexes` (resolved against its
    publication date). `doc` must be the parse of `article.body`."""
    found = find_events(article.doc_id, doc, [(t.start, t.end) for t in timexes])
    return bind_event_dates(found, doc_text(doc), timexes, article)


def find_events(doc_id: str, doc: Doc, extents: Sequence[tuple[int, int]]) -> EventsFound:
    """The event mentions of a parsed text, in text order, not yet dated; `extents` are the
    (start, end) a timex of the text can have, whose governed predicates are kept for dating."""
    lex = load_lexicon()
    names = ArticleNames.from_doc(doc)
    segments = sentences(doc)
    governs = _governs(doc, extents, lex, segments)
    governing = frozenset(g.node for g in governs)
    mentions: list[EventMention] = []
    steps: list[tuple[AnchorStep, ...]] = []
    people = _People()
    refs = ReferenceContext(names)
    for s_index, sent in enumerate(segments):
        # Iterating a span creates a new Python object per token on every pass; the passes below
        # (eventive sentence, triggers, antecedents) share one list.
        tokens = list(sent)
        for group, eventive in _eventive_groups(sent, tokens, lex):
            for token in group:
                if not _is_trigger(token, lex):
                    continue
                mention = _mention(doc_id, doc, s_index, sent, token, names, people, refs, lex)
                # A title line without a clause names its event with a noun of the taxonomy ("Major fire
                # at supermarket"); an untyped noun there is page furniture ("Payment options").
                if eventive == _TITLE_LINE and mention.type == OTHER_TYPE:
                    continue
                mentions.append(mention)
                steps.append(_anchor_steps(token, governing))
        people.update(sent, tokens, names, lex)
        refs.update(sent, tokens)
    return EventsFound(tuple(mentions), tuple(steps), governs,
                       find_narrative(mentions, doc, extents, [(g.start, g.end, g.node) for g in governs]))


@dataclass
class _People:
    """Antecedents for "he"/"she": the last person named, and the last person quoted. A pronoun
    that says or tells ("he said", "his remarks") is the speaker, not the last person the quote
    talked about."""

    last: str | None = None
    speaker: str | None = None
    # "She" is not the man named last when the article said who is a woman ("actress Tara Reid").
    genders: PersonGenders = field(default_factory=PersonGenders)

    def antecedent(self, pronoun: str, chosen: str | None) -> str | None:
        return self.genders.antecedent(pronoun, chosen, speaker=chosen is not None and chosen == self.speaker)

    def update(self, sent: Span, tokens: Sequence[Token], names: ArticleNames, lex: EventLexicon) -> None:
        """`tokens` are the tokens of `sent`."""
        doc = sent.doc
        persons = [m for m in names.mentions if m.label == "PERSON" and sent.start <= m.start < sent.end]
        self.genders.update((m.canonical, doc[m.start:m.end]) for m in persons)
        subjects = [tok for tok in tokens if tok.dep_ in ("nsubj", "nsubjpass")]
        for tok in subjects:
            head_lemma = tok.head.lemma_.lower()
            if head_lemma in lex.reporting_verbs or lex.verb_types.get(head_lemma) == "statement":
                mention = names.mention_at(tok)
                if mention is not None and mention.label == "PERSON":
                    self.speaker = mention.canonical
        self.last = _last_person_in(subjects, persons, names, self.last)


_BLANK_LINE = re.compile("\n\n")


def sentences(doc: Doc) -> list[Span]:
    """The parser's sentences, also cut at blank lines: a title or caption never runs into the
    next paragraph even when the parser joins them. `EventMention.sentence_index` counts these."""
    # A token's trailing whitespace is at most one space, so a blank line is inside a space token.
    # Found in the text rather than by visiting every token (a Python object each).
    text = doc_text(doc)
    cuts: list[int] = []
    if "\n\n" in text:
        starts = doc.to_array(IDX)
        tokens = {int(numpy.searchsorted(starts, m.start(), side="right")) - 1 for m in _BLANK_LINE.finditer(text)}
        cuts = sorted(i + 1 for i in tokens if doc[i].is_space and "\n\n" in doc[i].text)
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for cut in cuts[bisect.bisect_right(cuts, sent.start):bisect.bisect_left(cuts, sent.end)]:
            out.append(doc[start:cut])
            start = cut
        out.append(doc[start:sent.end])
    return [s for s in out if any(not t.is_space for t in s)]


# --- sentences and triggers -------------------------------------------------------------------

# A title line is short: a paragraph that runs longer without a final stop is prose cut short, not a title.
_TITLE_LINE_MAX_TOKENS = 25


def _is_title_line(sent: Span, tokens: Sequence[Token]) -> bool:
    """A headline or sub-headline on a line of its own, without a final stop ("Major fire at supermarket",
    "Wellington supermarket fire"): it states its event in a noun phrase, without a clause."""
    text = doc_text(sent.doc)
    words = [t for t in tokens if not t.is_space]
    if not words or len(words) > _TITLE_LINE_MAX_TOKENS or words[-1].text in (".", "!", "?", ":", ";", ","):
        return False
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    return (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end:end + 1] == "\n")


_CLAUSE, _TITLE_LINE = "clause", "title line"


def _eventive_groups(sent: Span, tokens: Sequence[Token], lex: EventLexicon) -> list[tuple[Sequence[Token], str]]:
    """The tokens of `sent` (`tokens`) that may be triggers, with how they can state news (`_eventive`):
    all of them when the sentence can, else those of its lines that can on their own. Sentences end at
    the line breaks of headlines and date lines (`extractors.line_breaks`), but hard-wrapped text keeps
    the parser's sentences, which may run a heading into the lead ("Greek march erupts in violence /
    Wed May 5, 2010 / Three people were killed when ..."): a line that is no clause, or a date read as
    "We", must not silence the lead."""
    kind = _eventive(sent, tokens, lex)
    if kind is not None:
        return [(tokens, kind)]
    out: list[tuple[Sequence[Token], str]] = []
    for line in _lines(sent, tokens):
        line_tokens = tokens[line.start - sent.start:line.end - sent.start]
        line_kind = _eventive(line, line_tokens, lex, within=True)
        if line_kind is not None:
            out.append((line_tokens, line_kind))
    return out


def _lines(sent: Span, tokens: Sequence[Token]) -> list[Span]:
    """The lines of a sentence, when it has more than one (else none): cut after each token that
    holds or is followed by a line break."""
    cuts = [t.i + 1 for t in tokens[:-1] if "\n" in t.text_with_ws]
    if not cuts:
        return []
    bounds = [sent.start, *cuts, sent.end]
    doc = sent.doc
    return [doc[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _eventive(sent: Span, tokens: Sequence[Token], lex: EventLexicon, within: bool = False) -> str | None:
    """Whether `sent` can state events: `_CLAUSE` (it has one), `_TITLE_LINE` (a headline line without
    one), or None. `tokens` are the tokens of `sent`. `within`: `sent` is one line of a parser
    sentence, and only a subject of a predicate on that line makes a clause."""
    # One pass collects what the tests below read (several any() passes cost a Python object
    # per token each).
    has_subject = quoted = addresses = reported = False
    for t in tokens:
        if (not has_subject and t.dep_ in _SUBJECTS and t.head.pos_ in ("VERB", "AUX")
                and (not within or sent.start <= t.head.i < sent.end)):
            has_subject = True
        if not quoted and t.is_quote:
            quoted = True
        if not addresses and _addresses_reader(t, lex):
            addresses = True
        if not reported and t.pos_ == "VERB" and t.lemma_.lower() in lex.reporting_verbs:
            reported = True
    root = sent.root
    has_clause = has_subject or (
        root.pos_ in ("VERB", "AUX") and root.tag_ in ("VBD", "VBZ", "VBP", "MD") and len(tokens) >= 4)
    kind = _CLAUSE if has_clause else _TITLE_LINE if _is_title_line(sent, tokens) else None
    # Quoted speech may address its audience ("When you look at the history ..."); the site may not.
    if kind is None or (not quoted and addresses):
        return None
    if reported:
        return kind
    if span_text(sent).rstrip().rstrip("\"'”’").endswith("?"):
        return None
    # An imperative ("Support Daily Maverick", "Be part of that"): a bare verb heading the sentence.
    return None if root.tag_ == "VB" and not any(c.dep_ in _SUBJECTS for c in root.children) else kind


_FIRST_PERSON = frozenset({"we", "us", "our", "ours"})


def _addresses_reader(token: Token, lex: EventLexicon) -> bool:
    low = token.lower_
    # Pronouns only: "US" the country is not "us" the publisher.
    if token.pos_ == "PRON":
        return low in lex.reader_address_subjects or low in _FIRST_PERSON
    return low in lex.reader_address_subjects and low not in ("you", "your", "yours")


def rules_take_predicate(token: Token, lex: EventLexicon) -> bool:
    """Whether the hand-set rules make a verb an event: any content verb but participles used as
    adjectives, the stop verbs and a modality verb governing an open complement ("plans *to
    travel*": the event is "travel", planned). The learned predicate model may overrule them."""
    if token.pos_ != "VERB" or token.dep_ in ("amod", "compound", "aux", "auxpass"):
        return False
    lemma = token.lemma_.lower()
    if lemma in lex.stop_verbs or lemma in lex.never_verbs:
        return False
    return not (lemma in lex.governing_verbs and any(c.dep_ == "xcomp" for c in token.children))


def _is_trigger(token: Token, lex: EventLexicon) -> bool:
    pos = token.pos_
    # Asked of every token of a sentence: the part of speech rules out most of them cheapest.
    if pos not in _TRIGGER_POS or not token.text[:1].isalpha():
        return False
    lemma = token.lemma_.lower()
    if pos in _PREDICATE_POS:
        # Verbs, predicative adjectives and copulas: the rules, overruled by the learned model
        # where it is confident ("expected to", "was dead" are events; "including" is not). A
        # taxonomy verb is always an event: the taxonomy is the better evidence for its types.
        if lemma in lex.never_verbs or not is_candidate(token):
            return False
        model = load_predicate_model()
        if rules_take_predicate(token, lex):
            return lemma in lex.verb_types or model.probability(token) >= model.veto
        return model.probability(token) >= model.threshold
    if named_event(token) is not None:
        return True  # "the Oscars", "the Super Bowl": an event known by its name
    # "last fall", "this spring": a noun inside a date is the date, not a market's fall.
    if lemma in lex.stop_nouns or token.ent_type_ in _DATE_LABELS:
        return False
    if token.dep_ == "compound":
        return pos == "NOUN" and load_noun_model().is_event(token)
    if lemma in lex.noun_types:
        if _referenced_speech_act(token, lex) is not None:
            return True  # "This statement by the vice president": a reference to an event told before
        # A taxonomy noun in a use the model finds almost never an event ("sales rose"); only
        # for words the model learned about: elsewhere the taxonomy is the better evidence.
        model = load_noun_model()
        return (pos != "NOUN" or not model.knows(lemma)
                or model.probability(token) >= _TAXONOMY_NOUN_VETO)
    # Event nouns outside the taxonomy ("the decision", "an attempt"): the learned noun model.
    return pos == "NOUN" and load_noun_model().is_event(token)


def _trigger_tokens(token: Token, lex: EventLexicon) -> tuple[list[Token], str]:
    """The words of a trigger and its lemma: a verb with its particle ("step down", "showed off"),
    or with the particle or preposition of a multi-word verb of the taxonomy ("passed away",
    "checked into"; "checked herself into" names "check into" but, not contiguous, the trigger
    stays "checked")."""
    parts = [token]
    for child in token.children:
        if child.dep_ == "prt" and child.i == parts[-1].i + 1:
            parts.append(child)
    lemma = " ".join(p.lemma_.lower() for p in parts)
    if len(parts) == 1 and token.pos_ == "VERB":
        word = _multiword_verb_word(token, lemma, lex)
        if word is not None:
            lemma = f"{lemma} {word.lower_}"
            if word.i == token.i + 1:
                parts.append(word)
    return parts, lemma


# Dependencies of the word that completes a multi-word verb: a particle the parser takes for an
# adverb ("passed away") or the head of a prepositional phrase ("checked into rehab").
_MULTIWORD_DEPS = frozenset({"prt", "advmod", "prep"})
# At most this many words (a reflexive or object pronoun) between the verb and that word.
_MULTIWORD_GAP = 2


def _multiword_verb_word(token: Token, base: str, lex: EventLexicon) -> Token | None:
    """The particle or preposition that makes `token` (of lemma `base`) a multi-word verb of the
    taxonomy, or None."""
    for child in token.children:
        if (child.dep_ in _MULTIWORD_DEPS and token.i < child.i <= token.i + _MULTIWORD_GAP
                and f"{base} {child.lower_}" in lex.verb_types):
            return child
    return None


def _event_type(token: Token, lemma: str, lex: EventLexicon) -> str:
    if token.pos_ == "VERB":
        if token.lemma_.lower() in lex.governing_verbs and any(c.dep_ == "xcomp" for c in token.children):
            # "tried to escape", "declined to comment": the verb only frames its complement's event
            # (as a modality); the taxonomy's sense ("tried for murder", "shares declined") is not this one.
            return OTHER_TYPE
        if token.lemma_.lower() in lex.stop_verbs:
            # A light or raising verb the learned model makes an event ("accounted for 8 percent of
            # sales", "remains") states no event of its object's type.
            return OTHER_TYPE
        if token.lemma_.lower() in lex.support_verbs:
            support = _light_verb_type(token, lex)
            if support != OTHER_TYPE:
                return support
        return lex.verb_types.get(lemma) or lex.verb_types.get(token.lemma_.lower()) or _light_verb_type(token, lex)
    if token.pos_ == "ADJ":
        # "were dead", "found guilty": the state an event of the type leaves (when the predicate
        # model took the adjective as an event at all)
        return lex.adjective_types.get(token.lemma_.lower(), OTHER_TYPE)
    if (named := named_event(token)) is not None:
        return named.type
    if token.dep_ == "compound":
        return OTHER_TYPE
    noun_lemma = token.lemma_.lower()
    if noun_lemma in lex.quantity_nouns and _graded_amount(token):
        return lex.quantity_noun_type
    return lex.noun_types.get(noun_lemma, OTHER_TYPE)


def _graded_amount(noun: Token) -> bool:
    """Whether a noun is graded as an amount ("*great* demand", "*heavy* investment") and has no owner
    or clause saying who asks or what for ("Iran's demand", "the demand that he resign")."""
    graded = False
    for child in noun.children:
        if child.dep_ in ("poss", "acl", "relcl", "ccomp"):
            return False
        if child.dep_ == "amod" and child.pos_ == "ADJ":
            graded = True
    return graded


def _light_verb_type(token: Token, lex: EventLexicon) -> str:
    # "issued a warning", "held talks": a verb outside the taxonomy takes its event object's type.
    event_object = _light_verb_object(token, lex)
    return lex.noun_types[event_object.lemma_.lower()] if event_object is not None else OTHER_TYPE


def _light_verb_object(token: Token, lex: EventLexicon) -> Token | None:
    """The event noun a light or support verb states ("issued a *warning*", "held *talks*"), or None."""
    for child in token.children:
        if child.dep_ == "dobj" and child.lemma_.lower() in lex.noun_types:
            return child
    return None


def _predicate_verb_of(token: Token, lex: EventLexicon) -> Token | None:
    """The verb whose event this event noun, its object, names, or None: a light or support verb that
    takes the noun's type ("*issued* a warning", "*striking* a deal"), or a verb of the noun's own
    type ("Sanctions have been *imposed*", "*imposed* sanctions"): one predicate in two words."""
    head = token.head
    if (token.pos_ != "NOUN" or token.dep_ not in ("dobj", "nsubjpass") or head.pos_ != "VERB"
            or not same_paragraph(head, token)):
        return None
    noun = token.lemma_.lower()
    if token.dep_ == "dobj" and _event_lemma(head, head.lemma_.lower(), lex) == noun:
        return head
    own_type = lex.verb_types.get(head.lemma_.lower())
    return head if own_type is not None and own_type == lex.noun_types.get(noun) else None


def _speech_act_of(token: Token, lex: EventLexicon) -> Token | None:
    """The speech act a participle of reporting restates, or None: "US officials issued a warning
    ..., *stating* that there would be repercussions", "Harris emphasized that ..., *stating*, '…'"
    (an adverbial participle without a subject of its own, under a statement or warning predicate
    of the same sentence: one speaker's one act of speech, told twice)."""
    head = token.head
    if (token.tag_ != "VBG" or token.dep_ != "advcl" or head.i == token.i or head.pos_ != "VERB"
            or token.lemma_.lower() not in lex.reporting_verbs or _own_subject(token) is not None
            or not same_paragraph(head, token)):
        return None
    return head if _event_type(head, head.lemma_.lower(), lex) in _SPEECH_TYPES else None


def _occasion_of(token: Token, lex: EventLexicon) -> Token | None:
    """The speech act an interview or speech is the occasion of, or None: "Harris, expressing her
    views *during an interview* with CBS News", "told CBS News *in an interview*" (a speech noun
    under "in", "during" or "at" of a statement or warning verb: the reader's one remark)."""
    head = token.head
    if (token.pos_ != "NOUN" or token.dep_ != "pobj" or head.lower_ not in _OCCASION_PREPOSITIONS
            or lex.noun_types.get(token.lemma_.lower()) not in _SPEECH_TYPES or head.head.pos_ != "VERB"
            or not same_paragraph(head.head, token)):
        return None
    verb = head.head
    return verb if _event_type(verb, verb.lemma_.lower(), lex) in _SPEECH_TYPES else None


def _referenced_speech_act(token: Token, lex: EventLexicon) -> Token | None:
    """The speech act a demonstrative or possessive speech noun refers back to, or None: "*This
    statement* by the vice president comes after ...", "*His remarks* come after ..." denote the
    last statement or warning verb of the sentences before (at most `_REFERENCE_SENTENCES` back)."""
    if (token.pos_ != "NOUN" or lex.noun_types.get(token.lemma_.lower()) not in _SPEECH_TYPES
            or not any((c.dep_ == "det" and c.lower_ in _DEMONSTRATIVES)
                       or (c.dep_ == "poss" and c.pos_ == "PRON") for c in token.children)):
        return None
    doc, boundaries = token.doc, 0
    for i in range(token.sent.start - 1, -1, -1):
        candidate = doc[i]
        if (candidate.pos_ == "VERB" and _is_trigger(candidate, lex)
                and _event_type(candidate, candidate.lemma_.lower(), lex) in _SPEECH_TYPES):
            return candidate
        if candidate.is_sent_start:
            boundaries += 1
            if boundaries >= _REFERENCE_SENTENCES:
                return None
    return None


def _event_lemma(token: Token, lemma: str, lex: EventLexicon) -> str:
    """The lemma merging compares: a verb that takes its type from its event object ("issued a
    warning", "struck a deal") states that noun's event, so the two mentions of the one predicate
    carry one lemma and merge as one event; any other trigger keeps its own."""
    if token.pos_ != "VERB" or lex.verb_types.get(lemma) and token.lemma_.lower() not in lex.support_verbs:
        return lemma
    event_object = _light_verb_object(token, lex)
    if event_object is None or _event_type(token, lemma, lex) != lex.noun_types[event_object.lemma_.lower()]:
        return lemma
    return event_object.lemma_.lower()


# --- dates -------------------------------------------------------------------------------------

def _governs(doc: Doc, extents: Sequence[tuple[int, int]], lex: EventLexicon,
             segments: Sequence[Span]) -> tuple[Governs, ...]:
    """For each timex extent, the predicate it governs and how many hops up the tree; extents
    that cover no token or govern no predicate are left out."""
    out: list[Governs] = []
    for start, end in dict.fromkeys(extents):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0 or is_comparison_point(span):
            continue
        node = span.root
        hops = 0
        dates_nothing = False
        # "profit soared from $99 million a year earlier": the baseline's time, not the change's.
        baseline = baseline_preposition(span)
        while node.head.i != node.i and same_paragraph(node.head, node):
            node = node.head
            hops += 1
            if node.i in range(span.start, span.end):
                continue
            if baseline is not None and node.i == baseline.i:
                dates_nothing = True
                break
            if _is_predicate(node, lex):
                if _belongs_to_matrix(span, node):
                    continue
                break
            if (node.dep_ in _NOMINAL_SUBJECTS and node.lemma_.lower() not in lex.noun_types
                    and not (hops == 1 and span.root.dep_ in _BESIDE_SUBJECT)):
                # "the 1940s Hollywood actress ... died on 6th June", "one of the biggest stars of the
                # 1940s, died": a timex inside a subject that names no event describes the participant,
                # not the predicate. An event noun's timex ("a report this week said") dates its verb,
                # and so does a timex the parser hangs beside the subject in the wire's "Poland,
                # Hungary and the Czech Republic Friday joined NATO" (an apposition: no one is a Friday).
                dates_nothing = True
                break
        # "In contrast to Monday, *when* 40 people were arrested, ...": a clause on the timex that
        # "when" introduces happened then, whatever the timex governs above it.
        out.extend(Governs(start, end, clause.i, 1) for clause in _when_clauses(span))
        if dates_nothing:
            continue
        if node.i in range(span.start, span.end) or not _is_predicate(node, lex):
            # The parser hung the timex on another paragraph (a dateline above "Yesterday, Jobs
            # unveiled ..."): it modifies its own sentence, whose main predicate it governs.
            main = _main_predicate(span, segments)
            if main is None:
                continue
            node, hops = main, 1
        out.append(Governs(start, end, node.i, hops))
    return tuple(out)


def _when_clauses(span: Span) -> list[Token]:
    """The verbs of the relative clauses "when" introduces on a timex ("Oct. 19, 1987, when the Dow
    lost 22 percent")."""
    return [c for t in span for c in t.children if c.dep_ == "relcl" and c.i >= span.end
            and any(w.dep_ == "advmod" and w.lower_ == "when" for w in c.children)]


def _is_predicate(node: Token, lex: EventLexicon) -> bool:
    # A copula heading its own clause ("QuickTime would be available soon", "... and has been on
    # leave since January") stops the walk too: the timex belongs to that clause, not to the verb
    # reporting it or to the first verb of the coordination.
    return node.pos_ == "VERB" or (node.pos_ in ("NOUN", "PROPN") and _is_trigger(node, lex)) or (
        node.pos_ == "AUX" and (node.dep_ in ("ROOT", "conj") or any(c.dep_ in _SUBJECTS for c in node.children)))


def _belongs_to_matrix(span: Span, clause_head: Token) -> bool:
    """"said on Thursday it would be a mistake": the parser hangs the timex on the reported clause,
    but a timex standing between the reporting verb and the reported clause's subject belongs
    to the reporting verb."""
    if clause_head.dep_ != "ccomp" or not same_paragraph(clause_head.head, clause_head):
        return False
    subject = next((c for c in clause_head.children if c.dep_ in _SUBJECTS), None)
    matrix = clause_head.head
    return subject is not None and matrix.i < span.start and span.end <= subject.left_edge.i


def _main_predicate(span: Span, segments: Sequence[Span]) -> Token | None:
    """The highest verb of the paragraph-bounded sentence around `span`, if any."""
    doc = span.doc
    k = bisect.bisect_right([s.start for s in segments], span.start) - 1
    segment = segments[k] if k >= 0 and span.start < segments[k].end else None
    if segment is None:
        return None
    best: tuple[int, int] | None = None
    for tok in segment:
        if tok.pos_ != "VERB" or tok.i in range(span.start, span.end):
            continue
        depth, node = 0, tok
        while node.head.i != node.i and segment.start <= node.head.i < segment.end and depth < 50:
            node, depth = node.head, depth + 1
        if best is None or (depth, tok.i) < best:
            best = (depth, tok.i)
    return doc[best[1]] if best is not None else None


def _anchor_steps(token: Token, governing: frozenset[int]) -> tuple[AnchorStep, ...]:
    """The predicates whose timex would date `token`, in the order they are tried (only those some
    timex extent governs: `governing`); which one anchors is chosen once the timexes are resolved."""
    steps = [AnchorStep(token.i, True, 0)]
    # "a report this week said": a timex inside the subject phrase dates its verb.
    subject = _own_subject(token)
    if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
        steps.append(AnchorStep(subject.i, False, 1))
    # "In a July 16 press conference, Jobs said ...", "said in a 2009 interview": a verb placed at
    # a dated occasion happens then.
    if token.pos_ == "VERB":
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in _OCCASION_PREPS and same_paragraph(child, token):
                steps.extend(AnchorStep(occasion.i, False, 2) for occasion in child.children
                             if occasion.dep_ == "pobj" and occasion.pos_ == "NOUN")
    node = token
    for hops in range(1, 12):
        nxt = _same_clause_governor(node)
        if nxt is None:
            break
        node = nxt
        steps.append(AnchorStep(node.i, False, hops))
    return tuple(s for s in steps if s.node in governing)


def _same_clause_governor(node: Token) -> Token | None:
    head = node.head
    if head.i == node.i or not same_paragraph(head, node):
        return None
    dep = node.dep_
    if node.pos_ in ("NOUN", "PROPN"):
        # A nominal event is dated by the predicate it is an argument of, within that clause.
        return head if dep not in ("relcl",) else None
    if dep in ("xcomp", "pcomp", "prep", "pobj"):
        return head
    if dep == "acomp" and node.pos_ == "ADJ":
        # "The dividend is *payable* Jan. 2", "officials weren't *available* late yesterday": the
        # parser hangs the date on the copula of an adjectival predicate.
        return head
    if dep in ("advcl", "acl", "relcl") and not (dep == "relcl" and is_finite(node)):
        # The parser makes "when" an adverb of its clause ("took a turn Thursday *when* the senator
        # called ..."), "as" and "while" its markers: either ties the clause to its governor's time.
        marks = {c.lower_ for c in node.children if c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB")}
        if not is_finite(node) or marks & _SIMULTANEOUS_MARKS:
            return head
        return None
    if dep == "conj" and not _own_subject(node):
        return _coordination_head(node)
    return None


# --- participants ------------------------------------------------------------------------------

def _own_subject(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj") and same_paragraph(child, token):
            return child
    return None


def _coordination_head(token: Token) -> Token:
    head = token
    while head.dep_ == "conj" and head.head.i != head.i and same_paragraph(head.head, head):
        head = head.head
    # The parser often attaches "said that X were advancing and warned Kim" to the complement;
    # a conjunct whose verb form matches the complement's governor and not the complement
    # belongs to the governor.
    if head.i != token.i and head.dep_ in ("ccomp", "xcomp") and _own_subject(head) is not None:
        governor = head.head
        if token.tag_ == governor.tag_ and token.tag_ != head.tag_:
            return governor
    return head


def _inherited_subject(token: Token) -> Token | None:
    seen = 0
    node = token
    while seen < 5:
        seen += 1
        subject = _own_subject(node)
        if subject is not None and subject.dep_ != "csubj":
            if subject.tag_ in ("WP", "WDT") and node.dep_ == "relcl":
                return node.head
            return subject
        dep = node.dep_
        if dep == "conj":
            nxt = _coordination_head(node)
        elif dep == "xcomp":
            objects = [c for c in node.head.children if c.dep_ in ("dobj", "dative")]
            if objects:
                return objects[0]
            nxt = node.head
        elif dep in ("advcl", "acl") and not is_finite(node):
            if dep == "acl" and node.head.pos_ in ("NOUN", "PROPN") and node.tag_ in ("VBN", "VBG"):
                return node.head
            nxt = node.head
            if dep == "acl" and nxt.pos_ == "NOUN" and node.tag_ == "VB":
                # "GM announced plans to cut jobs", "the union's demand to raise wages": the
                # intention's holder (its possessor, else the subject of the verb it is the object of).
                possessor = next((c for c in nxt.children if c.dep_ == "poss"), None)
                if possessor is not None:
                    return possessor
                if nxt.dep_ != "dobj" or not same_paragraph(nxt.head, nxt):
                    return None
                nxt = nxt.head
        elif dep == "relcl":
            return node.head
        elif dep == "pcomp" and not is_finite(node) and node.head.dep_ == "prep":
            # "promoted the iPhone by saying ...", "rounded off by unveiling ...": the gerund's
            # subject is that of the clause its preposition attaches to.
            nxt = node.head.head
        else:
            return None
        if nxt.i == node.i or not same_paragraph(nxt, node):
            return None
        node = nxt
    return None


def _argument_tokens(root: Token, stop: Callable[[Token], bool] | None = None) -> list[Token]:
    """Tokens of a phrase without the clauses nested in it, nor the phrases of the tokens for
    which `stop` is true (another event's noun: its names are its own participants)."""
    out: list[Token] = []
    stack = [root]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            dep = child.dep_
            if dep in ("relcl", "acl", "ccomp", "advcl"):
                continue
            if dep in _CLAUSE_DEPS and child.pos_ in ("VERB", "AUX"):
                continue
            if stop is not None and stop(child):
                continue
            stack.append(child)
    return out


def _arguments(token: Token) -> list[tuple[str, Token]]:
    """(role, head) of the trigger's own arguments: role is "subject", "object" or a preposition."""
    args: list[tuple[str, Token]] = []
    for child in token.children:
        if not same_paragraph(child, token):
            continue
        dep = child.dep_
        if dep in ("nsubj", "nsubjpass"):
            args.append(("subject", child))
        elif dep in ("dobj", "dative", "iobj", "attr", "oprd", "poss", "compound", "nmod", "appos", "amod"):
            if dep == "dative" and child.pos_ == "ADP":
                args.extend(("to", g) for g in child.children if g.dep_ == "pobj")
            else:
                args.append(("object", child))
        elif dep in ("prep", "agent"):
            for grand in child.children:
                if grand.dep_ == "pobj":
                    args.append((child.lower_, grand))
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ == "appos" and same_paragraph(token.head, token):
        args.append(("object", token.head))
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ == "conj" and same_paragraph(token.head, token):
        # "discussions and potential engagement between Kim and Putin": conjoined nouns share
        # the prepositional participants.
        args.extend((role, arg) for role, arg in _arguments(token.head) if role not in ("subject", "object"))
    return args


def _participants(token: Token, names: ArticleNames, people: _People, refs: ReferenceContext,
                  lex: EventLexicon) -> tuple[tuple[str, ...], tuple[str, ...]]:
    speaking = token.lemma_.lower() in lex.reporting_verbs or _event_type(token, token.lemma_.lower(), lex) == "statement"
    last_person = (people.speaker or people.last) if speaking else people.last
    actors: list[str] = []
    locations: list[str] = []
    args = _arguments(token)
    if not any(role == "subject" for role, _ in args):
        subject = _inherited_subject(token) if token.pos_ == "VERB" else None
        if subject is not None:
            args.insert(0, ("subject", subject))
    if (token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "nsubjpass") and token.head.pos_ == "VERB"
            and same_paragraph(token.head, token)):
        # "Washington imposed sanctions": the actor of the support verb acts in the noun's event; so
        # does whom it is given to ("the board granted *him* a medical leave").
        subject = _own_subject(token.head) or _inherited_subject(token.head)
        if subject is not None:
            args.insert(0, ("subject", subject))
        if token.dep_ == "dobj":
            args.extend(("dative", c) for c in token.head.children if c.dep_ == "dative" and c.i < token.i)
    elif (token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.dep_ == "prep"
          and token.head.head.lemma_ == "be" and same_paragraph(token.head.head, token)):
        # "he would be on medical leave", "the airline is in talks": the state's holder.
        subject = _own_subject(token.head.head)
        if subject is not None:
            args.insert(0, ("subject", subject))
    not_participants = load_participant_roles().non_participant_prepositions
    for role, head in args:
        if role in not_participants:
            continue  # "retired as officer", "concerns about North Korea", "amid the invasion"
        if speaking and head.dep_ != "poss":
            possessor = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in _PERSON_PRONOUNS), None)
            if head.i == token.i and possessor is not None and last_person:
                _add(actors, people.antecedent(possessor.lower_, last_person) or last_person)  # "his remarks"
        if head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl":
            head = head.head.head  # "Seiler, who retired": the relative pronoun stands for Seiler
        if speaking and head.lower_ in _PERSON_PRONOUNS and (role == "subject" or head.dep_ == "poss") and last_person:
            _add(actors, people.antecedent(head.lower_, last_person) or last_person)
            continue
        for name, is_place in _names_in(head, names, last_person, refs, people.genders,
                                        _other_event(token, role, head, lex)):
            if is_place and role in _LOCATION_PREPS:
                _add(locations, name)
            elif is_place is None:
                _add(locations, name)
            else:
                _add(actors, name)
    return tuple(actors), tuple(locations)


def _other_event(trigger: Token, role: str, head: Token, lex: EventLexicon) -> Callable[[Token], bool]:
    """Which tokens of the argument (`role`, `head`) of `trigger` open the phrase of another event,
    whose names are that event's participants, not the trigger's: an event noun nested in the
    phrase ("support for his *war* on Ukraine", "sanctions on entities tied to *deals* between ...");
    and the head itself when it is an event noun under a preposition ("*for use* in Ukraine",
    "*during an interview* with CBS News", "recovers *from the pandemic*"). A subject's or
    object's event noun keeps its own name modifiers ("attended the Asean summit")."""
    prepositional = role not in ("subject", "object", "to", "dative")

    def stops(tok: Token) -> bool:
        if tok.i == trigger.i or tok.pos_ != "NOUN":
            return False
        if tok.i == head.i:
            return prepositional and _is_trigger(tok, lex)
        return tok.dep_ not in ("compound", "amod", "nmod", "poss") and _is_trigger(tok, lex)
    return stops


def _names_in(head: Token, names: ArticleNames, last_person: str | None,
              refs: ReferenceContext, genders: PersonGenders | None = None,
              other_event: Callable[[Token], bool] | None = None) -> list[tuple[str, bool | None]]:
    """Names in an argument phrase: (name, is_place); is_place None = a place under a locative
    preposition nested in the phrase ("the summit ... in Jakarta"), always a location. The phrase
    stops at the tokens `other_event` marks (their phrases belong to another event)."""
    found: list[tuple[str, bool | None]] = []
    seen_mentions: set[int] = set()
    if other_event is not None and other_event(head):
        return found
    for tok in sorted(_argument_tokens(head, other_event), key=lambda t: t.i):
        mention = names.mention_at(tok)
        if mention is not None:
            if mention.start in seen_mentions:
                continue
            seen_mentions.add(mention.start)
            if mention.label in ACTOR_LABELS or mention.label in LOCATION_LABELS or mention.label == "PRODUCT":
                is_place: bool | None = mention.label in LOCATION_LABELS
                root = tok.doc[mention.start:mention.end].root
                if mention.label != "PERSON" and (_modifies_person(root, names) or refs.hides(root, mention.label)
                                                  or only_modifies(mention, root, names)):
                    continue  # a title's organization, a reference's hidden name, "Korean" in "Korean peninsula"
                if root.dep_ == "appos":
                    root = root.head
                if is_place and root.i != head.i and root.dep_ == "pobj" and root.head.lower_ in _LOCATION_PREPS:
                    is_place = None
                found.append((mention.canonical, is_place))
        elif tok.lower_ in _PERSON_PRONOUNS and (tok.i == head.i or (tok.dep_ == "poss" and tok.head.i == head.i)):
            antecedent = _person_before(tok, names, genders) or (
                genders.antecedent(tok.lower_, last_person) if genders is not None else last_person)
            if antecedent:
                found.append((antecedent, False))
        elif ((tok.i == head.i or (tok.dep_ == "poss" and tok.head.i == head.i))
              and (referents := refs.referents(tok))):
            # "the carmaker", "its", "they", "stocks", "blue chips": organizations, products or
            # indices named before.
            found.extend((referent, False) for referent in referents)
        elif ((tok.pos_ == "PROPN" or (tok.pos_ == "NOUN" and _MODEL_DESIGNATION.match(tok.text)))
              and tok.i == head.i and tok.dep_ != "compound" and not tok.ent_type_):
            # A proper noun the recognizer missed ("iPod"), or a model designation the tagger takes
            # for a common noun ("the first A380"): the head with its compounds and model numbers
            # ("iPhone 4", "3G iPhone"), widened to whole words ("3G" is two tokens).
            text = names.expand_acronym(clean_name(_proper_name_text(tok)))
            if text and not text.islower():
                found.append((text, False))
    return found


def _modifies_person(root: Token, names: ArticleNames) -> bool:
    """"White House national security adviser Jake Sullivan", "Russian Defense Minister Sergei
    Shoigu": a name inside a person's title describes the person; it is not another actor."""
    node = root
    for _ in range(4):
        if node.dep_ not in ("compound", "amod", "nmod") or node.head.i == node.i:
            return False
        node = node.head
        mention = names.mention_at(node)
        if mention is not None and mention.label == "PERSON":
            return True
    return False


def _person_before(token: Token, names: ArticleNames, genders: PersonGenders | None = None) -> str | None:
    """The last person named earlier in the same sentence ("warned Kim that his country ..."), not one
    the article says is of the pronoun's other gender."""
    sent_start = token.sent.start
    best = None
    for m in names.mentions:
        if (m.label == "PERSON" and sent_start <= m.start and m.end <= token.i
                and (genders is None or genders.compatible(token.lower_, m.canonical))):
            best = m.canonical
    return best


def _proper_name_text(tok: Token) -> str:
    doc = tok.doc
    start, end = tok.i, tok.i + 1
    for child in sorted(tok.children, key=lambda c: -c.i):
        if child.i == start - 1 and child.dep_ in ("compound", "nummod") and (child.pos_ == "PROPN" or child.like_num):
            start = child.i
    subtree = {t.i for t in tok.subtree}
    if end < len(doc) and end in subtree and (doc[end].like_num or doc[end].pos_ == "PROPN"):
        end += 1
    while start > 0 and not doc[start - 1].whitespace_ and doc[start - 1].is_alpha | doc[start - 1].like_num:
        start -= 1
    while end < len(doc) and not doc[end - 1].whitespace_ and (doc[end].is_alpha or doc[end].like_num):
        end += 1
    return span_text(doc[start:end])


def _add(values: list[str], name: str) -> None:
    key = normalize_name(name)
    if key and all(normalize_name(v) != key for v in values):
        values.append(name)


def _last_person_in(subjects: Sequence[Token], persons: Sequence[NameMention], names: ArticleNames,
                    current: str | None) -> str | None:
    """`subjects`: the tokens of a sentence with an nsubj or nsubjpass dependency, in order; `persons`:
    the persons named in it, in order."""
    for tok in subjects:
        mention = names.mention_at(tok)
        if mention is not None and mention.label == "PERSON":
            return mention.canonical
    if persons:
        return persons[0].canonical
    return current


# --- summary -----------------------------------------------------------------------------------

def _clause_tokens(token: Token, lex: EventLexicon) -> list[Token]:
    keep_ccomp = token.pos_ == "VERB" and token.lemma_.lower() in lex.reporting_verbs
    out: list[Token] = []
    stack = [token]
    while stack:
        tok = stack.pop()
        out.append(tok)
        at_trigger = tok.i == token.i
        for child in tok.children:
            dep = child.dep_
            if dep == "relcl":
                continue
            if dep in ("parataxis", "advcl", "acl") and at_trigger and child.pos_ in ("VERB", "AUX"):
                continue
            if dep == "ccomp" and not (keep_ccomp and at_trigger):
                continue
            if dep == "conj" and child.pos_ in ("VERB", "AUX"):
                continue
            if dep == "cc" and at_trigger:
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _summary(token: Token, clause: list[Token], subject: Token | None) -> str:
    kept = {t.i for t in clause}
    # Punctuation survives only between two kept neighbours: removing a relative clause must
    # not leave ", ," behind.
    words = [t for t in clause if not t.is_punct or (t.i - 1 in kept and t.i + 1 in kept and t.text not in ".;:")]
    while words and words[0].dep_ in ("cc", "mark", "punct"):
        words = words[1:]
    if len(words) > MAX_SUMMARY_WORDS:
        at = next((k for k, t in enumerate(words) if t.i == token.i), 0)
        lo = max(0, min(at - 10, len(words) - MAX_SUMMARY_WORDS))
        words = words[lo:lo + MAX_SUMMARY_WORDS]
    text = _join_tokens(words)
    if subject is not None and not any(t.i == subject.i for t in clause) and subject.sent == token.sent:
        subject_text = _join_tokens(_argument_tokens(subject))
        if subject.tag_ not in ("WP", "WDT") and len(subject_text.split()) <= 8:
            text = f"{subject_text} {text}"
    text = _REPEATED_PUNCT.sub(r"\1 ", " ".join(text.split()))
    return text.strip(" ,;:-–—")


def _join_tokens(tokens: Sequence[Token]) -> str:
    """The text of tokens as written: adjacent tokens keep their own spacing, gaps become one space."""
    by_index = {t.i: t for t in tokens}
    order = sorted(by_index)
    last = len(order) - 1
    return "".join(
        by_index[i].text_with_ws if k < last and order[k + 1] == i + 1 else by_index[i].text + " "
        for k, i in enumerate(order)
    ).strip()


_REPEATED_PUNCT = re.compile(r"\s*([,;:])(?:\s*[,;:])+\s*")


# --- assembly ----------------------------------------------------------------------------------

def _mention(doc_id: str, doc: Doc, s_index: int, sent: Span, token: Token,
             names: ArticleNames, people: _People, refs: ReferenceContext, lex: EventLexicon) -> EventMention:
    """The mention of `token`, not yet dated (`event_dates.bind_event_dates` sets its date,
    timex and confidence)."""
    parts, lemma = _trigger_tokens(token, lex)
    trigger = doc[parts[0].i: parts[-1].i + 1]
    event_type = _event_type(token, lemma, lex)
    subject = _own_subject(token) or (_inherited_subject(token) if token.pos_ == "VERB" else None)
    if event_type != "market" and token.lemma_.lower() not in lex.stop_verbs and refs.is_market_move(token):
        event_type = "market"  # "the market lost 3 percent" is no lawsuit lost
    else:
        # "arms negotiations are advancing", "concern grows": no market move, no business change
        event_type = constrained_type(token, event_type, subject, lex, refs)
    chain = governor_chain(token)
    modality = modality_of(token, lex, chain)
    tense = tense_of(token, chain)
    actors, locations = _participants(token, names, people, refs, lex)
    start, end = sent.start, sent.end
    clause = [t for t in _clause_tokens(token, lex) if start <= t.i < end] or [token]
    summary = _summary(token, clause, subject)
    event_lemma = _event_lemma(token, lemma, lex)
    restated = (_predicate_verb_of(token, lex) or _speech_act_of(token, lex) or _occasion_of(token, lex)
                or _referenced_speech_act(token, lex))
    if restated is not None:
        # "issued a warning that North Korea would pay a price", "warned ..., stating that", "This
        # statement": one predicate told in two words, summarised and named as the word it restates
        # is, so that the two mentions merge as one event.
        lo, hi = (start, end) if start <= restated.i < end else (restated.sent.start, restated.sent.end)
        head_clause = [t for t in _clause_tokens(restated, lex) if lo <= t.i < hi] or [restated]
        summary = _summary(restated, head_clause, _own_subject(restated) or _inherited_subject(restated))
        if restated.pos_ == "VERB":
            event_lemma = _event_lemma(restated, restated.lemma_.lower(), lex)
    raw_sentence = span_text(sent)
    # Who speaks: the predicate's subject, else that of the predicate it restates or of its support
    # verb ("the administration issued a warning").
    speaker = subject or (None if restated is None else _own_subject(restated) or _inherited_subject(restated))
    if speaker is None and token.pos_ == "NOUN" and token.dep_ == "dobj" and token.head.pos_ == "VERB":
        speaker = _own_subject(token.head) or _inherited_subject(token.head)
    sentence_start = sent.start_char + len(raw_sentence) - len(raw_sentence.lstrip())
    return EventMention(
        doc_id=doc_id,
        sentence_index=s_index,
        sentence=span_text(sent).strip(),
        trigger=span_text(trigger),
        trigger_lemma=event_lemma,
        trigger_start=trigger.start_char,
        trigger_end=trigger.end_char,
        clause_start=clause[0].idx,
        clause_end=clause[-1].idx + len(clause[-1].text),
        type=event_type,
        summary=summary,
        actors=actors,
        locations=locations,
        modality=modality,  # type: ignore[arg-type]
        tense=tense,
        trigger_in_sentence=trigger.start_char - sentence_start,
        group_speaker=speaks_as_group(speaker, names),
    )
