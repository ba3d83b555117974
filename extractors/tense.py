"""Tense from the dependency parse: of a temporal expression (which way a bare weekday, month or
season points from the publication date) and of an event trigger.

One module for both readers of tense, so that what counts as a future auxiliary or a prospective
word is said once. `timex_tense` gives "past", "present", "future", "deadline" (a year-less date
after "until", "by", "through" told in the past tense; see `timex_calendar`) or None for a
candidate timex; `tense_of` gives "past", "present", "future" or None for an event trigger
from its own or its governor's verb group.
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Span, Token

from extractors.event_modality import governor_chain
from extractors.nlp import doc_text
from extractors.timex_candidate import Candidate, tokens_of
from extractors.timex_rules import alternation, lexicon_words

# The word lists tense reads (auxiliaries, prospective words, planning verbs) are lexicon classes
# of resources/timex/lexicon.yaml, read with `lexicon_words`.

def timex_tense(doc: Doc, c: Candidate) -> str | None:
    """The tense that directs a candidate's resolution: a deadline or an earliest date ahead, a
    timetable in the present, a "since" behind, a date deadline, else the governing verb's."""
    return (_deadline_tense(doc, c) or _timetable_present(doc, c) or _since_tense(doc_text(doc), c)
            or _date_deadline(doc, c, tense_at(doc, c.start, c.end)))


def tense_at(doc: Doc, start: int, end: int) -> str | None:
    span = tokens_of(doc, start, end)
    if span is None or len(span) == 0:
        return None
    if span.end < len(doc) and doc[span.end].tag_ == "POS":
        # "Friday's session", "Wednesday's ruling": a possessive names a day already reported on,
        # unless what it owns is the subject of a clause told as ahead ("Friday's meeting will
        # decide"); "ways to get around Wednesday's ruling" is about a past ruling.
        owned = span.root.head
        ahead = (owned.dep_ in ("nsubj", "nsubjpass") and _governing_tense(owned) == "future"
                 or _under_prospective_head(owned))
        return "future" if ahead else "past"
    return _governing_tense(span.root)


@functools.cache
def _cue_before(cls: str, tail: str = "") -> re.Pattern[str]:
    """A phrase of lexicon class `cls`, then `tail`, ending where the searched text ends: the
    words just before a candidate."""
    return re.compile(r"\b" + alternation(list(lexicon_words(cls))) + r"\s+" + tail + "$", re.IGNORECASE)


# Not a tense: "the past one, unless the next one is only weeks away" (see `_date_deadline`).
DEADLINE = "deadline"


def _deadline_tense(doc: Doc, c: Candidate) -> str | None:
    """"Postponed until Tuesday", "could come as early as Tuesday": a weekday that is a deadline
    or an earliest date lies ahead even when the verb reporting it is in the past tense; not so
    in the past perfect ("Until Thursday, they had not called him a suspect")."""
    if not c.uvalue.startswith("WD:"):
        return None
    m = _cue_before("deadline_cue_weekday").search(doc_text(doc)[max(0, c.start - 24):c.start])
    if m is None:
        return None
    span = tokens_of(doc, c.start, c.end)
    if m.group(0).split()[0].lower() in ("until", "till") and span is not None and _in_past_perfect(span):
        return None
    return "future"


def _timetable_present(doc: Doc, c: Candidate) -> str | None:
    """"He and Arafat meet separately Monday", "The talks resume Tuesday": an event verb in the
    simple present that governs a weekday directly tells a schedule, so an earlier weekday of the
    DCT's week is next week's. Not a state or a report ("is in Paris Monday", "says"), nor a
    weekday the present reaches only through a participle ("statements made Thursday")."""
    if not c.uvalue.startswith("WD:"):
        return None
    span = tokens_of(doc, c.start, c.end)
    if span is None or len(span) == 0:
        return None
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head  # "comes into force on Monday in Northern Ireland and Tuesday in Scotland"
    head = root.head
    if root.dep_ not in ("npadvmod", "pobj") or head.i == root.i:
        return None
    if root.dep_ == "pobj":
        head = head.head  # "meet on Monday"
    if head.pos_ != "VERB" or head.tag_ not in ("VBP", "VBZ") or head.lemma_ in lexicon_words("stative_lemma"):
        return None
    if any(ch.dep_ in ("aux", "auxpass", "neg") for ch in head.children) or _singular_subject(head) and head.tag_ == "VBP":
        return None
    return "future"


def _date_deadline(doc: Doc, c: Candidate, tense: str | None) -> str | None:
    """A year-less month or day after "until", "by", "through", told in the past tense: "an order
    that he remain in Miami until March 6" (said in January), "has extended loans through
    January" (said in October) are deadlines just ahead, while "the ban lasted until March" (said
    in October) is behind. `timex_resolve` takes the next occurrence when it is a few months away
    at most, else the past one; the past perfect keeps the past."""
    if tense != "past" or not c.uvalue.startswith(("MD:", "M:")):
        return tense
    if not _cue_before("deadline_cue_date", r"(?:(?:early|mid|late)[-\s]+)?").search(
            doc_text(doc), max(0, c.start - 24), c.start):
        return tense
    span = tokens_of(doc, c.start, c.end)
    return tense if span is not None and _in_past_perfect(span) else DEADLINE


def _since_tense(text: str, c: Candidate) -> str | None:
    """"Since year-end", "since March": what a span is counted from lies behind the DCT, whatever
    the tense of the verb ("The percentage change is since year-end"). "By year-end" is a
    deadline, still ahead in a past-tense report ("paving the way for talks by the year's end")."""
    if _cue_before("since_cue", r"(?:the\s+)?").search(text, max(0, c.start - 16), c.start):
        return "past"
    if c.uvalue == "YEND" and _cue_before("deadline_cue_yearend", r"(?:the\s+)?").search(
            text, max(0, c.start - 16), c.start):
        return "future"
    return None


def _in_past_perfect(span: Span) -> bool:
    if not span.doc.has_annotation("SENT_START"):
        return False
    return any(t.lower_ == "had" and t.dep_ in ("aux", "auxpass") for t in span.sent)


def _is_prospective(tok: Token) -> bool:
    """A word that puts what it governs ahead: "due", "scheduled", ..., and "ahead of" ("factions
    within the ruling camp ahead of the presidential election in December")."""
    if tok.lower_ in lexicon_words("prospective_head"):
        return True
    return tok.lower_ == "ahead" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "of"


def _under_prospective_head(tok: Token) -> bool:
    """"Expected to win Sunday's elections", "scheduled for Tuesday's vote": what the date owns is
    governed by a word that puts it ahead, unless told in the past perfect."""
    for _ in range(6):
        if _is_prospective(tok):
            return not _has_past_perfect(tok)
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _governing_tense(tok: Token) -> str | None:
    origin = tok
    for _ in range(6):
        if _is_prospective(tok):
            # "payable Dec. 7", "due Nov. 6", "scheduled for Tuesday": the date lies ahead, unless
            # it was already behind when told in the past perfect ("had been due to expire Friday").
            return "past" if _has_past_perfect(tok) else "future"
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            if _between_reporter_and_report(origin, tok):
                tok = tok.head
                continue
            tense = _verb_tense(tok, planning=not _fronted(origin, tok))
            if tense is not None:
                return tense
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return _sentence_tense(tok.sent) if tok.doc.has_annotation("SENT_START") else None


def _between_reporter_and_report(tok: Token, verb: Token) -> bool:
    """"GM said on Wednesday it would recall ...": the parser hangs the date on the reported clause,
    but a date between the reporting verb and the reported clause's subject is the reporting's."""
    if verb.dep_ != "ccomp" or verb.head.i == verb.i or not verb.head.i < tok.i:
        return False
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and tok.i < subject.left_edge.i < verb.i


def _fronted(tok: Token, verb: Token) -> bool:
    """"On Friday, the government planned to pay ...": a date set off by a comma before the
    clause's subject frames the clause as told (the planning happened then), unlike "planned a
    rally on Saturday", where the date belongs to the planned event."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or not tok.i < subject.i < verb.i:
        return False
    return any(t.text == "," for t in tok.doc[tok.i + 1:subject.left_edge.i])


def _verb_tense(verb: Token, depth: int = 0, planning: bool = True) -> str | None:
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in aux}
    # Modals and infinitives look ahead from their reference time ("would extend it to Nov. 6",
    # "planned to leave Thursday"); for choosing a weekday or month they count as future.
    if words & lexicon_words("future_aux") or words & lexicon_words("prospective_aux"):
        return "future"
    if words & lexicon_words("possibility_aux") and not words & {"have", "'ve"}:
        # "may soon seek an indictment", "might resign Friday"; not "may have left Friday".
        return "future"
    if any(a.tag_ == "TO" for a in aux):
        # "planned to leave Thursday" looks ahead; "voted to support it Friday" is the vote's day.
        head = verb.head
        if verb.dep_ == "csubj":
            # "The first countries to accede on Friday were Poland and ...": a subject clause
            # takes the tense of the verb it is the subject of ("be" is not prospective there).
            return _verb_tense(head, depth + 1) if head.i != verb.i and depth < 3 else None
        if verb.dep_ == "acl" and head.lemma_.lower() in lexicon_words("prospective_noun"):
            # "an agreement to acquire the bank in January", "a plan to close it Friday".
            return "future"
        if head.lemma_ in lexicon_words("prospective_verb") or head.lower_ in lexicon_words("prospective_head"):
            return "past" if _has_past_perfect(head) else "future"
        if head.i != verb.i and head.pos_ in ("VERB", "AUX") and depth < 3:
            return _verb_tense(head, depth + 1)
        return None
    if planning and verb.lemma_ in lexicon_words("planning_lemma") and verb.tag_ in ("VBD", "VBN", "VBZ", "VBP", "VBG"):
        return "past" if "had" in words else "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux) or words & lexicon_words("past_aux"):
        return "past"
    if verb.tag_ == "VBN" and not aux:
        return "past"
    if verb.tag_ == "VBP" and not aux and _singular_subject(verb):
        # "Weakness hurt the index on Friday", "The company cut its dividend": a bare form after a
        # singular subject is the past of a verb whose past looks like its base (hurt, cut, set).
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in aux):
        return "present"
    if verb.tag_ == "MD":
        return "future" if verb.lower_ in lexicon_words("future_aux") | lexicon_words("prospective_aux") else None
    return None




def _singular_subject(verb: Token) -> bool:
    """A third-person singular subject ("the index", "he"); relative pronouns count when the
    noun they stand for is singular ("the index, which fell ...")."""
    for c in verb.children:
        if c.dep_ != "nsubj":
            continue
        if c.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
            c = verb.head
        if any(cc.dep_ == "conj" for cc in c.children):
            # "He and Arafat meet Monday": a coordinated subject is plural, the verb a present.
            return False
        if c.lower_ in lexicon_words("singular_pronoun") and c.dep_ == "nsubj":
            return c.lower_ in ("he", "she", "it", "this")
        return c.tag_ in ("NN", "NNP") and not any(cc.dep_ == "conj" for cc in c.children)
    return False


def _has_past_perfect(tok: Token) -> bool:
    """"had" on the word or on the verbs it complements ("had been scheduled to expire")."""
    for _ in range(3):
        if any(c.lower_ == "had" and c.dep_ in ("aux", "auxpass") for c in tok.children):
            return True
        if tok.dep_ not in ("xcomp", "acomp") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _sentence_tense(sent: Span) -> str | None:
    for tok in sent:
        if tok.dep_ == "ROOT":
            return _verb_tense(tok)
    return None


def past_event_verb(tok: Token) -> Token | None:
    """The verb a month hangs from when it tells a past event: the first verb up the chain, in
    the past tense or a gerund, with no "to" or modal of its own, and no prospective word on
    the way ("the slated visit ... in September", "orders to start the first trading day for
    November") ."""
    for _ in range(6):
        if tok.lower_ in lexicon_words("prospective_head") or any(
                ch.dep_ in ("amod", "acl") and ch.lower_ in lexicon_words("prospective_head") for ch in tok.children):
            return None
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            if tok.tag_ not in ("VBD", "VBG", "VBN") or any(
                    ch.dep_ in ("aux", "auxpass") and (ch.tag_ in ("MD", "TO") or ch.lower_ == "to")
                    for ch in tok.children):
                return None
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def tense_of(token: Token, chain: list[Token] | None = None) -> str | None:
    """"past" | "present" | "future" | None for a trigger, from its own or its governor's verb group.
    `chain` is `governor_chain(token)`, passed by a caller that has it already."""
    for node in chain if chain is not None else governor_chain(token):
        if node.pos_ not in ("VERB", "AUX"):
            continue
        auxes = [c for c in node.children if c.dep_ in ("aux", "auxpass")]
        lowers = {a.lower_ for a in auxes}
        if lowers & lexicon_words("future_aux") or ("going" in lowers and any(a.lower_ == "to" for a in auxes)):
            return "future"
        if lowers & lexicon_words("modal_aux"):
            return None
        tenses = [t for a in auxes for t in a.morph.get("Tense")]
        perfect = any(a.lemma_ == "have" for a in auxes)
        if perfect:
            return "past"  # present perfect reports a past event in news
        if "Past" in tenses:
            return "past"
        if "Pres" in tenses:
            return "present"
        if node.tag_ == "VBD":
            return "past"
        if node.tag_ in ("VBZ", "VBP"):
            return "present"
        if node.tag_ == "VBN" and node.dep_ in ("acl", "amod"):
            return "past"
    return None
