"""Whether a verb of change keeps its lemma's type, given what changes.

"The index advanced 2 percent" is a market move; "arms negotiations are actively advancing",
"Russia recovers" and "concern grows" are not. The verb lists of the taxonomy type by lemma; the
`argument_constraints` of `resources/event_types.yaml` say, per type, which verbs need which
arguments (`event_lexicon.ArgumentConstraint`): a subject or object whose head names a price, a
market or an economic quantity, a market index by name or reference, or a number the verb moves
by or to. A pure function of the parse; the caller gives the verb's subject (its own or inherited).
"""

from __future__ import annotations

from spacy.tokens import Token

from extractors.event_lexicon import OTHER_TYPE, ArgumentConstraint, EventLexicon
from extractors.references import ReferenceContext

# Dependencies under which a number is what the verb moves by or to ("fell 2 percent", "rose to
# $5 billion", "closed at 10,500", "cut 5,000"), not the number of another clause.
_QUANTITY_DEPS = frozenset({"dobj", "npadvmod", "prep", "advmod", "attr", "oprd", "nummod", "quantmod"})
_QUANTITY_PREPOSITIONS = frozenset({"to", "by", "at", "from"})
_AMOUNT_ENTITIES = frozenset({"PERCENT", "MONEY", "QUANTITY"})
_AMOUNT_SIGNS = frozenset({"%", "$", "€", "£", "¥"})
_NOT_QUANTITY_ENTITIES = frozenset({"DATE", "TIME", "ORDINAL"})
_OBJECT_DEPS = frozenset({"dobj"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# How deep under such a dependency a number may sit ("rose [to [a record [of [10,500]]]]").
_QUANTITY_DEPTH = 4


def constrained_type(token: Token, event_type: str, subject: Token | None, lex: EventLexicon,
                     refs: ReferenceContext) -> str:
    """`event_type` when the verb `token` may have it; else its event object's type ("halted
    *deliveries*": transfer, "won an *order*": business), or `other` without one: the verb is one
    of its type's constrained verbs and neither its arguments nor a number it moves by say what the
    type is about. `subject` is the verb's subject (own or inherited), None when the parse gives none."""
    constraint = lex.argument_constraints.get(event_type)
    if constraint is None or token.pos_ != "VERB" or not constraint.applies(token.lemma_.lower(), event_type):
        return event_type
    if constraint.quantity and _moves_by_quantity(token, lex.quantity_units):
        return event_type
    if subject is None and token.dep_ in ("amod", "acl") and token.head.pos_ in ("NOUN", "PROPN"):
        subject = token.head  # "declining interest rates", "calls dropped on the phone": what changes
    arguments = []
    if "subject" in constraint.roles and subject is not None:
        arguments.append(subject)
    if "object" in constraint.roles:
        arguments.extend(c for c in token.children if c.dep_ in _OBJECT_DEPS)
    if not arguments and subject is None:
        # No subject the parse gives ("after rebounding"): nothing says the lemma's type is wrong.
        return event_type
    if any(_names_it(arg, constraint, refs) for arg in arguments):
        return event_type
    # What the verb acts on says its kind better than nothing: a verb outside the taxonomy takes
    # its event object's type the same way.
    return _object_type(token, lex)


def _object_type(token: Token, lex: EventLexicon) -> str:
    """The type of the event noun a verb has as direct object ("won an *order*"), else `other`."""
    for child in token.children:
        if child.dep_ in _OBJECT_DEPS and child.lemma_.lower() in lex.noun_types:
            return lex.noun_types[child.lemma_.lower()]
    return OTHER_TYPE


def _names_it(argument: Token, constraint: ArgumentConstraint, refs: ReferenceContext) -> bool:
    """Whether an argument's head names what the constraint asks for: a noun of its groups (in a
    compound too: "oil prices", "share price"), or an entity of one of its kinds."""
    heads = [argument, *(c for c in argument.children if c.dep_ in ("compound", "nmod"))]
    if any(h.lemma_.lower() in constraint.nouns or h.lower_ in constraint.nouns for h in heads):
        return True
    phrase = " ".join(t.lower_ for t in sorted(heads, key=lambda t: t.i))
    name = refs.names.mention_at(argument)
    if phrase in constraint.nouns or (name is not None and name.canonical.lower() in constraint.nouns):
        return True  # a name that stands for a market ("Wall Street rallied")
    return bool(constraint.kinds and refs.kinds_of(argument) & constraint.kinds)


def _moves_by_quantity(token: Token, units: frozenset[str]) -> bool:
    """A number under the verb's own quantity dependencies that is an amount, not a count of
    things: a percentage or sum ("fell 2 percent", "rose to $5 billion"), a number of `units`
    ("rose 9.98 points") or a bare number ("closed at 10,500", "cut 5,000"); "would close two
    *plants*" counts plants. A date's or an ordinal's digits are no quantity, nor a number with a
    determiner ("deliveries of *the 787*")."""
    stack = [(c, 1) for c in token.children
             if c.dep_ in _QUANTITY_DEPS and (c.dep_ != "prep" or c.lower_ in _QUANTITY_PREPOSITIONS)]
    while stack:
        node, depth = stack.pop()
        if node.ent_type_ in _AMOUNT_ENTITIES or node.text in _AMOUNT_SIGNS:
            return True
        # "the 787", "the 500": a number with a determiner names a thing (a model, an index), no amount
        if (node.like_num and node.ent_type_ not in _NOT_QUANTITY_ENTITIES
                and not any(c.dep_ == "det" for c in node.children)):
            counted = node.head if node.dep_ in ("nummod", "quantmod") else None
            # "1,200 more", "2 points higher": an amount; "two plants": a count of things
            if (counted is None or counted.pos_ not in ("NOUN", "PROPN")
                    or counted.lemma_.lower() in units or counted.lower_ in units):
                return True
        if depth < _QUANTITY_DEPTH:
            stack.extend((c, depth + 1) for c in node.children if c.dep_ not in _SUBJECT_DEPS
                         and c.pos_ not in ("VERB", "AUX"))
    return False
