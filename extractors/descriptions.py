"""People named by a description instead of their name: "a top former US intelligence official
said ...", "the former US intelligence official insisted ...".

`load_descriptions()` reads `resources/entities/descriptions.yaml` (validated at load).
`DescribedPeople.from_doc(doc, names)` collects, once per article, the role descriptions the
article gives its named people: an apposition ("Sydney Seiler, former national intelligence
officer on North Korea"), a role the person held ("who retired as National Intelligence Officer
for North Korea") or a title before the name ("intelligence officer Sydney Seiler"). Then:
- `person(token)`: the named person a description (the head noun of an argument) refers to,
  when exactly one described person of the article has a role of the same family and a
  description word in common; else None (an unnamed person stays unnamed);
- `hides(root, label)`: whether a name inside a description only describes the person ("US" in
  "a former US intelligence official", "North Korea" in "an officer on North Korea"), so that it
  is not a participant of the person's event.
Only a singular noun describes one person: "US officials said" is the government speaking, and
`speaks_as_group(subject)` says so: a subject that is a group or an institution (the plural of a
member noun, a body noun, or the name of an organization, country or people), which merging lets
join the same statement by one of its named officials (extractors/merge/group_statements.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from extractors.actors import LOCATION_LABELS, ArticleNames
from extractors.resources import load_yaml

# How a name sits inside a description: a modifier of its head, or under one of its prepositions.
_INSIDE_DEPS = frozenset({"compound", "amod", "nmod", "pobj", "prep"})
_PLACE_LABELS = LOCATION_LABELS | frozenset({"NORP"})
_SINGULAR_NOUN_TAGS = frozenset({"NN", "NNP"})


class DescriptionResourceError(ValueError):
    """entities/descriptions.yaml is malformed."""


@dataclass(frozen=True)
class DescriptionLexicon:
    family_of: dict[str, int]  # role noun lemma -> family number
    generic: frozenset[str]
    former: frozenset[str]
    examples: tuple[tuple[str, str, str | None, str], ...]  # (text, trigger, person or None, not an actor)
    group_members: frozenset[str] = frozenset()  # "officials": their plural is a group speaking
    group_bodies: frozenset[str] = frozenset()  # "administration", "ministry": a body speaking


@functools.lru_cache(maxsize=1)
def load_descriptions() -> DescriptionLexicon:
    raw = load_yaml("entities/descriptions.yaml")
    if not isinstance(raw, dict) or not isinstance(raw.get("role_families"), list):
        raise DescriptionResourceError("entities/descriptions.yaml: no `role_families` list")
    family_of: dict[str, int] = {}
    for k, family in enumerate(raw["role_families"]):
        if not isinstance(family, list) or not family:
            raise DescriptionResourceError(f"entities/descriptions.yaml: family {k} is not a list of nouns")
        for noun in family:
            noun = str(noun).lower()
            if noun in family_of:
                raise DescriptionResourceError(f"entities/descriptions.yaml: {noun!r} in two families")
            family_of[noun] = k
    examples = []
    for ex in raw.get("examples") or ():
        if not isinstance(ex, dict) or str(ex.get("trigger", "")) not in str(ex.get("text", "")).split():
            raise DescriptionResourceError(f"entities/descriptions.yaml: bad example {ex!r}")
        person = ex.get("person")
        examples.append((str(ex["text"]), str(ex["trigger"]), None if person is None else str(person),
                         str(ex.get("not_actor", ""))))
    groups = raw.get("group_speakers") or {}
    if not isinstance(groups, dict) or set(groups) - {"members", "bodies"} \
            or not all(isinstance(groups.get(k, []), list) for k in ("members", "bodies")):
        raise DescriptionResourceError("entities/descriptions.yaml: `group_speakers` holds lists `members` and `bodies`")
    members = frozenset(str(w).lower() for w in groups.get("members") or ())
    bodies = frozenset(str(w).lower() for w in groups.get("bodies") or ())
    if any(" " in w for w in members | bodies):
        raise DescriptionResourceError("entities/descriptions.yaml: `group_speakers` nouns are single lemmas")
    return DescriptionLexicon(
        family_of, frozenset(str(w).lower() for w in raw.get("generic_words") or ()),
        frozenset(str(w).lower() for w in raw.get("former_words") or ()), tuple(examples), members, bodies)


_GROUP_LABELS = frozenset({"ORG", "GPE", "NORP"})
_PLURAL_NOUN_TAGS = frozenset({"NNS", "NNPS"})


def speaks_as_group(subject: Token | None, names: ArticleNames | None = None) -> bool:
    """Whether an event's subject is a group or an institution rather than one person: the plural of
    a member noun ("US officials"), a body noun ("the Biden administration"), or an organization,
    country or people by name ("Washington", "the National Security Council"). With the article's
    `names`, a name takes their label (a surname the recognizer labels ORG is the person's)."""
    if subject is None:
        return False
    lex = load_descriptions()
    lemma = subject.lemma_.lower()
    if subject.tag_ in _PLURAL_NOUN_TAGS and lemma in lex.group_members:
        return True
    if subject.pos_ in ("NOUN", "PROPN") and lemma in lex.group_bodies:
        return True
    name = names.mention_at(subject) if names is not None else None
    return (subject.ent_type_ if name is None else name.label) in _GROUP_LABELS


@dataclass(frozen=True)
class PersonDescription:
    person: str  # the article's fullest name of the person
    family: int
    words: frozenset[str]


@dataclass(frozen=True)
class DescribedPeople:
    descriptions: tuple[PersonDescription, ...]
    lex: DescriptionLexicon

    @classmethod
    def from_doc(cls, doc: Doc, names: ArticleNames) -> DescribedPeople:
        lex = load_descriptions()
        found: list[PersonDescription] = []
        for mention in names.mentions:
            if mention.label != "PERSON":
                continue
            root = doc[mention.start:mention.end].root
            for role in _roles_of(root, mention.start, lex):
                found.append(PersonDescription(mention.canonical, lex.family_of[role.lemma_.lower()],
                                               _description_words(role, lex)))
        return cls(tuple(found), lex)

    def family(self, token: Token) -> int | None:
        """The role family of a noun that describes one unnamed person, else None."""
        if token.tag_ not in _SINGULAR_NOUN_TAGS or token.ent_type_ == "PERSON":
            return None
        return self.lex.family_of.get(token.lemma_.lower())

    def person(self, token: Token) -> str | None:
        family = self.family(token)
        if family is None or not self.descriptions:
            return None
        words = _description_words(token, self.lex)
        people = {d.person for d in self.descriptions if d.family == family and words & d.words}
        return people.pop() if len(people) == 1 else None

    def hides(self, root: Token, label: str) -> bool:
        """Whether the name whose root is `root` (of entity label `label`) sits inside a
        description of an unnamed person and only tells who that person is."""
        node = root
        for _ in range(4):
            if node.dep_ not in _INSIDE_DEPS or node.head.i == node.i:
                return False
            node = node.head
            if node.pos_ == "NOUN" and self.family(node) is not None:
                former = any(c.lower_ in self.lex.former for c in node.children if c.dep_ in ("amod", "advmod"))
                return label in _PLACE_LABELS or former
        return False


def _roles_of(root: Token, name_start: int, lex: DescriptionLexicon) -> list[Token]:
    """Role nouns the article attaches to a named person (see the module docstring)."""
    roles = []
    for child in root.children:
        dep = child.dep_
        if dep == "appos" and child.lemma_.lower() in lex.family_of:
            roles.append(child)
        elif dep == "compound" and child.i < name_start and child.lemma_.lower() in lex.family_of:
            roles.append(child)
        elif dep in ("relcl", "acl"):
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ == "as":
                    roles.extend(p for p in prep.children if p.dep_ == "pobj" and p.lemma_.lower() in lex.family_of)
    if root.dep_ == "appos" and root.head.lemma_.lower() in lex.family_of:
        roles.append(root.head)  # "the former official, Sydney Seiler,"
    return roles


def _description_words(role: Token, lex: DescriptionLexicon) -> frozenset[str]:
    """Content words of a role's description: its modifiers and prepositional phrases, lower case,
    without the role noun itself, function words and generic words ("former", "top")."""
    words = set()
    stack = [c for c in role.children if c.dep_ in _INSIDE_DEPS]
    while stack:
        tok = stack.pop()
        low = tok.lower_
        # A proper noun is never a function word ("US" is not "us").
        if (tok.is_alpha and (tok.pos_ == "PROPN" or not tok.is_stop) and low not in lex.generic
                and tok.pos_ in ("NOUN", "PROPN", "ADJ")):
            words.add(low)
        stack.extend(c for c in tok.children if c.dep_ in _INSIDE_DEPS)
    return frozenset(words)
