"""Modality of an event trigger, read from the dependency parse (its tense: `extractors.tense`).

Modality cues (lexicon in `resources/events/modality.yaml`) are looked for on the trigger and
on the predicates that govern it *within its clause chain*: open complements ("plans to
travel"), infinitival adverbials ("would be a mistake for North Korea to exchange"), the verb a
nominal trigger is an argument of ("did not confirm these talks"). The chain stops at a finite
verb that is not the trigger's own governor through such a link, so a reporting verb's
modality never leaks into what it reports. Precedence: negated > hypothetical > possible >
planned > asserted.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Token

from extractors.event_lexicon import EventLexicon
from extractors.nlp import doc_text

_PRECEDENCE = {"negated": 4, "hypothetical": 3, "possible": 2, "planned": 1, "asserted": 0}
# Links that keep a dependent inside its governor's clause (for modality and dates).
OPEN_LINKS = frozenset({"xcomp", "pcomp", "prep", "pobj", "dobj", "nsubj", "nsubjpass", "attr", "oprd",
                        "appos", "agent", "dative", "acomp", "compound", "npadvmod", "nmod", "poss", "conj"})


# A noun in these relations to the verb of its clause is what the clause judges, not a planned act.
_JUDGED_DEPS = frozenset({"attr", "nsubj", "nsubjpass", "acomp", "oprd"})

_BREAK = re.compile(r"\n[ \t\u00a0]*\n")


def same_paragraph(a: Token, b: Token) -> bool:
    """False when a blank line separates the tokens. The parser sometimes attaches a title or
    caption to the next paragraph; no modality, subject or date may travel along such an arc."""
    doc = a.doc
    breaks = doc._.timeline_paragraph_breaks
    if breaks is None:
        breaks = [m.start() for m in _BREAK.finditer(doc_text(doc))]
        doc._.timeline_paragraph_breaks = breaks
    return not breaks or bisect.bisect(breaks, a.idx) == bisect.bisect(breaks, b.idx)


def is_finite(token: Token) -> bool:
    # Asked several times for the same token (modality, tense, dates and subjects of each trigger
    # walk the same governors), and reading morphology builds Python objects: kept per doc.
    cache: dict[int, bool] | None = token.doc._.timeline_finite
    if cache is None:
        cache = token.doc._.timeline_finite = {}
    finite = cache.get(token.i)
    if finite is None:
        finite = "Fin" in token.morph.get("VerbForm") or any(
            c.dep_ in ("aux", "auxpass") and "Fin" in c.morph.get("VerbForm") for c in token.children)
        cache[token.i] = finite
    return finite


def governor_chain(token: Token, max_hops: int = 6) -> list[Token]:
    """The trigger, then the predicates whose clause it belongs to (nearest first)."""
    chain = [token]
    node = token
    for _ in range(max_hops):
        head = node.head
        if head.i == node.i or not same_paragraph(head, node):
            break
        dep = node.dep_
        nonfinite = not is_finite(node) if node.pos_ in ("VERB", "AUX") else True
        if dep in OPEN_LINKS or (dep in ("advcl", "acl", "relcl") and nonfinite):
            # A finite verb coordinated with another keeps its own modality.
            if dep == "conj" and node.pos_ in ("VERB", "AUX") and not nonfinite:
                break
            chain.append(head)
            node = head
            if head.pos_ in ("VERB", "AUX") and is_finite(head):
                break
        else:
            break
    return chain


def _reported_in_the_past(clause: Token, lex: EventLexicon) -> bool:
    """Whether the clause of `clause` is what a statement verb in the past tense reports ("said it
    would"); a warning's "would" is the consequence it threatens ("warned that his country would pay
    a price"), not a plan."""
    head = clause.head
    lemma = head.lemma_.lower()
    return (clause.dep_ == "ccomp" and head.pos_ == "VERB" and head.tag_ == "VBD"
            and lemma in lex.reporting_verbs and lex.verb_types.get(lemma) == "statement")


def _sets_aside(node: Token, lex: EventLexicon) -> bool:
    """Whether `node` is the alternative a pair such as "rather than" or "instead of" sets aside:
    the marker on it ("Rather *than* recall"), the preposition it is the complement of ("instead *of*
    cutting"), or the conjunction before it ("raised prices rather *than* cut")."""
    def marks(marker: Token) -> bool:
        # The adverb hangs on the marker ("instead of") or beside it on the same head ("Rather than").
        adverbs = [*marker.children, *(c for c in marker.head.children if c.i < marker.i)]
        return any((c.lower_, marker.lower_) in lex.rejected_alternatives for c in adverbs if c.dep_ == "advmod")
    if not lex.rejected_alternatives:
        return False
    if any(c.dep_ in ("mark", "prep") and c.i < node.i and marks(c) for c in node.children):
        return True
    head = node.head
    if node.dep_ in ("pcomp", "pobj") and head.i < node.i and marks(head):
        return True
    return node.dep_ == "conj" and any(c.dep_ == "cc" and head.i < c.i < node.i and marks(c) for c in head.children)


def modality_of(token: Token, lex: EventLexicon, chain: list[Token] | None = None) -> str:
    """`chain` is `governor_chain(token)`, passed by a caller that has it already."""
    best = "asserted"

    def offer(value: str) -> None:
        nonlocal best
        if _PRECEDENCE[value] > _PRECEDENCE[best]:
            best = value

    if chain is None:
        chain = governor_chain(token)
    # Negating a verb does not negate the event its object names ("has not confirmed these
    # talks" does not deny the talks), so negation is read only down verb-to-verb links.
    negation_reaches = True
    # The trigger's own clause: its verb, or for an event noun the verb it hangs on ("he would be on
    # medical *leave*", "would make an *announcement*"), where "would" reads as a reported plan.
    # A subject or predicate noun of a copula is judged, not planned ("it would be a huge *mistake*",
    # "such a *move* would be a grave error"): there the trigger's own "would" only.
    own_clause = next((d for d, n in enumerate(chain) if n.pos_ in ("VERB", "AUX")), 0)
    if own_clause and chain[own_clause - 1].dep_ in _JUDGED_DEPS:
        own_clause = 0
    for depth, node in enumerate(chain):
        if depth > 0 and chain[depth - 1].pos_ not in ("VERB", "AUX"):
            negation_reaches = False
        nominal = node.pos_ in ("NOUN", "PROPN")
        for child in node.children:
            low = child.lower_
            dep = child.dep_
            if dep == "neg" or (dep in ("advmod", "det") and low in lex.negation_words):
                if negation_reaches:
                    offer("negated")
            elif dep == "aux" and low in lex.modal_auxiliaries:
                offer(lex.reported_modal_auxiliaries[low] if depth == own_clause and low in lex.reported_modal_auxiliaries
                      and _reported_in_the_past(node, lex) else lex.modal_auxiliaries[low])
            elif dep == "mark" and low in lex.conditional_marks:
                offer("hypothetical")
            elif dep == "advcl" and depth == own_clause and any(
                    c.dep_ == "mark" and c.lower_ in lex.conditional_marks for c in child.children):
                offer("hypothetical")  # "would close the plant if sales kept falling"
            elif dep == "advmod" and low in lex.modality_adverbs:
                offer(lex.modality_adverbs[low])
            elif dep == "amod" and nominal and low in lex.nominal_modifiers:
                offer(lex.nominal_modifiers[low])
        if node.lower_ == "without" and depth > 0:
            offer("negated")
        if _sets_aside(node, lex) and (depth == 0 or node.pos_ in ("VERB", "AUX")):
            offer("negated")
        if depth > 0 and node.pos_ == "VERB" and node.lemma_.lower() in lex.governing_verbs:
            offer(lex.governing_verbs[node.lemma_.lower()])
        # A condition on a governing clause ("if Pyongyang were to provide ...").
        if depth > 0 and node.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in lex.conditional_marks for c in node.children
        ):
            offer("hypothetical")
    return best
