"""Organizations, products and indices referred to without their name: "the carmaker", "the
index", "its", and alias phrases that are common nouns ("blue chips").

`load_references()` reads `resources/entities/references.yaml` (validated at load).
`ReferenceContext` follows one article sentence by sentence: the last entity named of each class
(company, index, product) and the last organization or product that was a sentence's subject.
`referent(token)` gives the name a reference token stands for, or None when the parse or the
article does not make it clear:
- a definite description ("the carmaker", "this company") whose head lemma is a class noun -> the
  last entity of that class named before it (earlier in the same sentence, else the context);
- "it"/"its" as a subject or possessor -> the organization or product that was the subject of the
  current or the previous sentence, when no person was the subject since;
- a common-noun phrase that is an alias of a known entity ("blue chips") -> that entity.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from extractors.actors import ArticleNames, NameMention, normalize_name
from extractors.descriptions import DescribedPeople
from extractors.entity_match import alias_name, entity_kind, load_aliases
from extractors.resources import load_yaml

_THING_LABELS = frozenset({"ORG", "PRODUCT"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj"})


class ReferenceResourceError(ValueError):
    """entities/references.yaml is malformed."""


@dataclass(frozen=True)
class ReferenceLexicon:
    class_of_noun: dict[str, str]  # head lemma -> class
    determiners: frozenset[str]
    index_heads: frozenset[str]
    pronouns: frozenset[str]
    examples: tuple[tuple[str, str, str], ...]  # (sentence, reference word, entity)


@functools.lru_cache(maxsize=1)
def load_references() -> ReferenceLexicon:
    raw = load_yaml("entities/references.yaml")
    if not isinstance(raw, dict) or not isinstance(raw.get("classes"), dict):
        raise ReferenceResourceError("entities/references.yaml: no `classes` mapping")
    class_of: dict[str, str] = {}
    for cls, nouns in raw["classes"].items():
        if cls not in ("company", "index", "product"):
            raise ReferenceResourceError(f"entities/references.yaml: unknown class {cls!r}")
        for noun in nouns:
            noun = str(noun).lower()
            if noun in class_of:
                raise ReferenceResourceError(f"entities/references.yaml: {noun!r} under {class_of[noun]!r} and {cls!r}")
            class_of[noun] = cls
    examples = []
    for ex in raw.get("examples") or ():
        if not isinstance(ex, dict) or str(ex.get("reference", "")) not in str(ex.get("sentence", "")).split():
            raise ReferenceResourceError(f"entities/references.yaml: bad example {ex!r}")
        examples.append((str(ex["sentence"]), str(ex["reference"]), str(ex["entity"])))
    return ReferenceLexicon(
        class_of, frozenset(str(w).lower() for w in raw.get("determiners") or ()),
        frozenset(str(w).lower() for w in raw.get("index_heads") or ()),
        frozenset(str(w).lower() for w in raw.get("pronouns") or ()), tuple(examples))


def class_of_name(mention: NameMention, lex: ReferenceLexicon) -> str | None:
    """The reference class of a named entity: a known entity's kind, else an ORG whose last word
    is an index head ("the Shanghai Composite") is an index, another ORG a company, a PRODUCT a product."""
    kind = entity_kind(mention.canonical)
    if kind is not None:
        return kind
    if mention.label == "ORG":
        words = normalize_name(mention.canonical).split()
        return "index" if words and words[-1] in lex.index_heads else "company"
    if mention.label == "PRODUCT":
        return "product"
    return None


@dataclass
class ReferenceContext:
    """What the article has named so far; `update` after each sentence."""

    names: ArticleNames
    lex: ReferenceLexicon = field(default_factory=load_references)
    last: dict[str, str] = field(default_factory=dict)  # class -> canonical name
    subject_thing: str | None = None
    subject_age: int = 0
    _starts: list[int] = field(default_factory=list)
    _described: DescribedPeople | None = None

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.names.mentions]

    def update(self, sent: Span, tokens: Sequence[Token]) -> None:
        """`tokens` are the tokens of `sent` (the caller has them listed already)."""
        named: list[tuple[int, str, str]] = []  # (token index, class, name), applied in text order
        for m in self._mentions_in(sent.start, sent.end):
            cls = class_of_name(m, self.lex)
            if cls is not None:
                named.append((m.start, cls, m.canonical))
        self.subject_age += 1
        subject_seen = False
        for tok in tokens:
            dep = tok.dep_
            if dep in _ARGUMENT_DEPS and tok.pos_ in ("NOUN", "PROPN") and not tok.ent_type_:
                # Index names the recognizer misses ("the Dow Jones industrial average").
                alias = _alias_phrase(tok)
                kind = entity_kind(alias) if alias is not None else None
                if alias is not None and kind is not None:
                    named.append((tok.i, kind, alias))
            if dep in ("nsubj", "nsubjpass") and not subject_seen:
                # The sentence's first named subject decides what "it" can be next.
                mention = self.names.mention_at(tok)
                if mention is not None and mention.label in _THING_LABELS:
                    self.subject_thing, self.subject_age = mention.canonical, 0
                    subject_seen = True
                elif mention is not None and mention.label == "PERSON":
                    self.subject_thing = None
                    subject_seen = True
        for _, cls, name in sorted(named):
            self.last[cls] = name

    def _mentions_in(self, start: int, end: int) -> tuple[NameMention, ...]:
        # Mentions are in text order: a slice, not a scan of the article's names per sentence.
        return self.names.mentions[bisect.bisect_left(self._starts, start):bisect.bisect_left(self._starts, end)]

    def referent(self, token: Token) -> str | None:
        low = token.lower_
        if low in self.lex.pronouns and token.pos_ == "PRON":
            return self._pronoun_referent(token)
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        alias = _alias_phrase(token)
        if alias is not None:
            return alias
        if token.pos_ != "NOUN":
            return None
        person = self.described(token).person(token)
        if person is not None:
            return person  # "a former US intelligence official" described by name elsewhere
        cls = self.lex.class_of_noun.get(token.lemma_.lower())
        if cls is None or not any(c.dep_ == "det" and c.lower_ in self.lex.determiners for c in token.children):
            return None
        # Named earlier in the same sentence ("GM said the carmaker would ..."), else before it.
        for m in reversed(self._mentions_in(token.sent.start, token.i)):
            if class_of_name(m, self.lex) == cls:
                return m.canonical
        for tok in reversed(token.doc[token.sent.start:token.i]):
            if tok.dep_ in _ARGUMENT_DEPS and tok.pos_ in ("NOUN", "PROPN") and not tok.ent_type_:
                alias = _alias_phrase(tok)
                if alias is not None and entity_kind(alias) == cls:
                    return alias
        return self.last.get(cls)

    def described(self, token: Token) -> DescribedPeople:
        """The article's descriptions of its named people (collected on first use)."""
        if self._described is None:
            self._described = DescribedPeople.from_doc(token.doc, self.names)
        return self._described

    def hides(self, root: Token, label: str) -> bool:
        """Whether a name (its root token and entity label) only describes an unnamed person
        ("US" in "a former US intelligence official"): not a participant."""
        return self.described(root).hides(root, label)

    def _pronoun_referent(self, token: Token) -> str | None:
        if token.dep_ not in ("nsubj", "nsubjpass", "poss"):
            return None
        # A person named as subject earlier in the same sentence is the likelier antecedent.
        for tok in token.sent:
            if tok.i >= token.i:
                break
            if tok.dep_ in ("nsubj", "nsubjpass"):
                mention = self.names.mention_at(tok)
                if mention is not None and mention.label in _THING_LABELS:
                    return mention.canonical
                if mention is not None and mention.label == "PERSON":
                    return None
        return self.subject_thing if self.subject_age <= 1 else None


def _alias_phrase(token: Token) -> str | None:
    """"blue chips", "the Dow Jones industrial average", "Nikkei": a noun with its modifiers
    before it (adjectives, compounds, nominal modifiers) that is a known alias; for a common noun
    only with a modifier ("chips" alone is not the Dow)."""
    if token.lower_ not in load_aliases().last_words:
        return None
    mods = [c for c in token.children if c.dep_ in _MODIFIER_DEPS and c.i < token.i]
    if not mods and token.pos_ != "PROPN":
        return None
    start = min((c.left_edge.i for c in mods), default=token.i)
    while start < token.i and token.doc[start].dep_ in ("det", "poss", "case"):
        start += 1
    return alias_name(token.doc[start:token.i + 1].text)
