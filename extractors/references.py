"""Organizations, products, indices and people referred to without their name: "the carmaker",
"the index", "stocks", "it", "they", "a former US intelligence official", and alias phrases that
are common nouns ("blue chips").

`load_references()` reads `resources/entities/references.yaml` (validated at load).
`ReferenceContext` follows one article sentence by sentence: the entities named of each class
(company, index, product), in order, and the organizations or products that were a sentence's
subject. `referents(token)` gives the names a reference token stands for, empty when the parse or
the article does not make it clear:
- a definite description whose noun is the last word of an organization or product named before
  ("the store" -> "iTunes Store") -> that name;
- a definite description ("the carmaker", "this company") whose head lemma is a class noun -> the
  last entity of that class named before it (earlier in the same sentence, else the context),
  preferring one whose name has a cue word of the noun ("the airline" -> "Delta Air Lines");
- the market as a whole ("stocks", "shares", "the market", "trading") -> the last index named, else
  the first index named later in the same sentence;
- "it"/"its" as a subject or possessor -> the organization or product that was the subject of the
  current or the previous sentence, when no person was the subject since; "they"/"their" -> the
  organizations or products that were the subject together ("Ford and GM said they ...") or one
  named in the plural ("the iPods ... they");
- a plural of an organization or product the article names ("iPods" -> "iPod") or of a one-word
  alias ("the superjumbos") -> that entity; a common noun the text uses for a name (apposition,
  predicate noun, a product's own noun: "the Nano, a tiny car" ... "the car") -> that name;
- "I"/"we" in reported words -> the speaker (`extractors.quote_speakers`); "we" the organization
  named in the speaker's phrase ("a Renault spokesman") when there is one;
- a common-noun phrase that is an alias of a known entity ("blue chips") -> that entity;
- a singular role noun describing a person the article names ("a former US intelligence
  official") -> that person (`extractors.descriptions`).
`is_market_move(token)` says whether a verb tells a price movement or a session's state of an
index or the market ("the market lost 3 percent"), which makes it a `market` event.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from extractors.actors import ArticleNames, NameMention, normalize_name
from extractors.descriptions import DescribedPeople, load_descriptions
from extractors.entity_match import alias_name, entity_kind, load_aliases, singular_keys
from extractors.event_lexicon import load_lexicon
from extractors.nlp import doc_text
from extractors.quote_speakers import colon_passages, quote_spans, speaker_of
from extractors.resources import load_yaml

_THING_LABELS = frozenset({"ORG", "PRODUCT"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "NORP"})
_CLASSES = ("company", "index", "product")
# "shares of Toyota", "Toyota's shares", "Tokyo shares", "stock markets": of someone or something.
_OWNER_DEPS = frozenset({"poss", "compound", "nmod"})
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})


class ReferenceResourceError(ValueError):
    """entities/references.yaml is malformed."""


@dataclass(frozen=True)
class ReferenceLexicon:
    class_of_noun: dict[str, str]  # head lemma -> class
    determiners: frozenset[str]
    index_heads: frozenset[str]
    pronouns: frozenset[str]
    examples: tuple[tuple[str, str, str], ...]  # (sentence, reference word, entity)
    plural_pronouns: frozenset[str] = frozenset()
    name_cues: dict[str, frozenset[str]] = field(default_factory=dict)  # class noun -> name words
    cue_required: frozenset[str] = frozenset()
    market_nouns: frozenset[str] = frozenset()
    plural_only: frozenset[str] = frozenset()
    market_verbs: frozenset[str] = frozenset()
    speaker_pronouns: frozenset[str] = frozenset()
    speaker_plural_pronouns: frozenset[str] = frozenset()


def _words(raw: dict, key: str) -> frozenset[str]:
    value = raw.get(key) or ()
    if not isinstance(value, list):
        raise ReferenceResourceError(f"entities/references.yaml: `{key}` is not a list")
    return frozenset(str(w).lower() for w in value)


@functools.lru_cache(maxsize=1)
def load_references() -> ReferenceLexicon:
    raw = load_yaml("entities/references.yaml")
    if not isinstance(raw, dict) or not isinstance(raw.get("classes"), dict):
        raise ReferenceResourceError("entities/references.yaml: no `classes` mapping")
    class_of: dict[str, str] = {}
    for cls, nouns in raw["classes"].items():
        if cls not in _CLASSES:
            raise ReferenceResourceError(f"entities/references.yaml: unknown class {cls!r}")
        for noun in nouns:
            noun = str(noun).lower()
            if noun in class_of:
                raise ReferenceResourceError(f"entities/references.yaml: {noun!r} under {class_of[noun]!r} and {cls!r}")
            class_of[noun] = cls
    cues: dict[str, frozenset[str]] = {}
    for noun, words in (raw.get("name_cues") or {}).items():
        if str(noun).lower() not in class_of or not isinstance(words, list) or not words:
            raise ReferenceResourceError(f"entities/references.yaml: name_cues of {noun!r}: not a class noun with words")
        cues[str(noun).lower()] = frozenset(str(w).lower() for w in words)
    cue_required = _words(raw, "cue_required")
    if not cue_required <= set(cues):
        raise ReferenceResourceError(f"entities/references.yaml: cue_required without cues: {sorted(cue_required - set(cues))}")
    market_nouns, plural_only = _words(raw, "market_nouns"), _words(raw, "plural_only")
    if not plural_only <= market_nouns:
        raise ReferenceResourceError("entities/references.yaml: plural_only names nouns not in market_nouns")
    examples = []
    for ex in raw.get("examples") or ():
        if not isinstance(ex, dict) or str(ex.get("reference", "")) not in str(ex.get("sentence", "")).split():
            raise ReferenceResourceError(f"entities/references.yaml: bad example {ex!r}")
        examples.append((str(ex["sentence"]), str(ex["reference"]), str(ex["entity"])))
    return ReferenceLexicon(
        class_of, _words(raw, "determiners"), _words(raw, "index_heads"), _words(raw, "pronouns"), tuple(examples),
        plural_pronouns=_words(raw, "plural_pronouns"), name_cues=cues, cue_required=cue_required,
        market_nouns=market_nouns, plural_only=plural_only, market_verbs=_words(raw, "market_verbs"),
        speaker_pronouns=_words(raw, "speaker_pronouns"), speaker_plural_pronouns=_words(raw, "speaker_plural_pronouns"))


def class_of_name(mention: NameMention, lex: ReferenceLexicon, root: Token | None = None) -> str | None:
    """The reference class of a named entity: a known entity's kind, else an ORG whose last word
    is an index head ("the Shanghai Composite") or that modifies an index noun in the text ("the
    FTSE 100 index", when `root`, the mention's root token, is given) is an index, another ORG a
    company, a PRODUCT a product."""
    kind = entity_kind(mention.canonical)
    if kind is not None:
        return kind
    if mention.label == "ORG":
        words = normalize_name(mention.canonical).split()
        if words and words[-1] in lex.index_heads:
            return "index"
        if (root is not None and root.dep_ in _MODIFIER_DEPS
                and lex.class_of_noun.get(root.head.lemma_.lower()) == "index"):
            return "index"
        return "company"
    if mention.label == "PRODUCT":
        return "product"
    return None


@dataclass
class ReferenceContext:
    """What the article has named so far; `update` after each sentence."""

    names: ArticleNames
    lex: ReferenceLexicon = field(default_factory=load_references)
    named: dict[str, list[str]] = field(default_factory=dict)  # class -> names, last named last
    subject_things: tuple[str, ...] = ()
    subject_plural: bool = False
    subject_age: int = 0
    # last word of an organization's or product's name -> the name, last named last
    by_head: dict[str, str] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)
    _described: DescribedPeople | None = None
    # key of every organization or product the article names -> its name: what a plural may be
    # the plural of ("the iPods" when "iPod" is named anywhere in the article).
    _thing_keys: dict[str, str] = field(default_factory=dict)
    _plurals: dict[str, str | None] = field(default_factory=dict)  # name -> what it is the plural of
    _quotes: list[tuple[int, int]] | None = None  # quoted passages of the text, found on first use
    _sentences: list[Span] | None = None
    _passages: list[tuple[int, int]] = field(default_factory=list)
    # Salience of what was named: the number of the sentence each name was last named in, and the
    # names whose last mention was a subject ("Apple launched the iPhone. The company ...": Apple).
    _sentence_no: int = 0
    _named_at: dict[str, int] = field(default_factory=dict)
    _named_as_subject: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.names.mentions]
        for m in self.names.mentions:
            if m.label in _THING_LABELS:
                self._thing_keys.setdefault(normalize_name(m.canonical), m.canonical)

    def _plural_of_named(self, text: str, doc_text: str) -> str | None:
        """The organization or product a name is the plural of ("iPods" -> "iPod"), when the
        article names it, or writes the singular as a capitalized word of its own ("the Zephyrs"
        after "the Zephyr music player"); None otherwise ("General Motors": no "General Motor")."""
        if text in self._plurals:
            return self._plurals[text]
        self._plurals[text] = found = self._find_singular(text, doc_text)
        return found

    def _find_singular(self, text: str, doc_text: str) -> str | None:
        singulars = singular_keys(normalize_name(text))
        for key in singulars:
            if key in self._thing_keys:
                return self._thing_keys[key]
        if not singulars or not text[:1].isupper():
            return None
        for k in range(1, 4):  # the ending removed from the written form: "s", "es", "ies"
            stem = text[:-k] if len(text) > k + 1 else ""
            for written in (stem, stem + "e", stem + "y"):
                if (normalize_name(written) in singulars
                        and re.search(rf"(?<![\w-]){re.escape(written)}(?![\w-])", doc_text)):
                    return written
        return None

    def _thing(self, mention: NameMention, doc_text: str) -> tuple[str, bool]:
        """(name, plural) of a named organization or product: "iPods" is the plural of the
        "iPod" the article names, a name the recognizer gives as is ("General Motors") is one."""
        singular = self._plural_of_named(mention.canonical, doc_text)
        return (singular, True) if singular is not None else (mention.canonical, False)

    @property
    def last(self) -> dict[str, str]:
        """class -> the last entity of that class named."""
        return {cls: names[-1] for cls, names in self.named.items() if names}

    def update(self, sent: Span, tokens: Sequence[Token]) -> None:
        """`tokens` are the tokens of `sent` (the caller has them listed already)."""
        doc = sent.doc
        named: list[tuple[int, str, str]] = []  # (token index, class, name), applied in text order
        self._sentence_no += 1
        for m in self._mentions_in(sent.start, sent.end):
            root = doc[m.start:m.end].root
            cls = class_of_name(m, self.lex, root)
            if cls is not None:
                named.append((m.start, cls, m.canonical))
                self._named_at[m.canonical] = self._sentence_no
                if _is_subject(root):
                    self._named_as_subject.add(m.canonical)
                else:
                    self._named_as_subject.discard(m.canonical)
            if m.label in _THING_LABELS and (head := _head_word(m.canonical)):
                self.by_head[head] = m.canonical
            if m.label in _THING_LABELS:
                root = doc[m.start:m.end].root
                for noun in _described_as(root, m.label):
                    self.by_head[noun.lemma_.lower()] = m.canonical
        self.subject_age += 1
        subject_seen = False
        for tok in tokens:
            dep = tok.dep_
            if dep in _ARGUMENT_DEPS and tok.pos_ in ("NOUN", "PROPN", "NUM") and not tok.ent_type_:
                # Index names the recognizer misses ("the Dow Jones industrial average", "Nikkei 225").
                alias = _alias_phrase(tok)
                kind = entity_kind(alias) if alias is not None else None
                if alias is not None and kind is not None:
                    named.append((tok.i, kind, alias))
            if dep in _SUBJECT_DEPS and not subject_seen:
                subject_seen = self._note_subject(tok)
        for _, cls, name in sorted(named):
            names = self.named.setdefault(cls, [])
            if name in names:
                names.remove(name)
            names.append(name)

    def _note_subject(self, tok: Token) -> bool:
        """The sentence's first subject naming someone decides what "it"/"they" can be next:
        organizations, products or indices (with their conjuncts), named or referred to ("the
        index", "stocks", "it": a chain of subjects), or a person (then nothing)."""
        mention = self.names.mention_at(tok)
        if (mention is not None and mention.label == "PERSON") or self.described(tok).family(tok) is not None:
            self.subject_things = ()
            return True
        things: list[str] = []
        plural = False
        for node in (tok, *(c for c in tok.children if c.dep_ == "conj")):
            m = self.names.mention_at(node)
            if m is None:
                found = self.referents(node)
                things.extend(found)
                # A plural common noun or a plural of a name ("the phones", "stocks", "iPods").
                plural = plural or (bool(found) and node.tag_ in _PLURAL_TAGS)
            elif m.label in _THING_LABELS:
                name, plural_name = self._thing(m, doc_text(tok.doc))
                things.append(name)
                plural = plural or plural_name
        if not things:
            return False
        self.subject_things = tuple(dict.fromkeys(things))
        # A name's tag is no guide ("General Motors" is tagged plural): several things, or one
        # named in the plural.
        self.subject_plural = len(self.subject_things) > 1 or plural
        self.subject_age = 0
        return True

    def _mentions_in(self, start: int, end: int) -> tuple[NameMention, ...]:
        # Mentions are in text order: a slice, not a scan of the article's names per sentence.
        return self.names.mentions[bisect.bisect_left(self._starts, start):bisect.bisect_left(self._starts, end)]

    def referent(self, token: Token) -> str | None:
        """The first of `referents(token)`, or None."""
        found = self.referents(token)
        return found[0] if found else None

    def referents(self, token: Token) -> tuple[str, ...]:
        low = token.lower_
        if token.pos_ == "PRON":
            if low in self.lex.pronouns:
                return self._pronoun_referents(token, plural=False)
            if low in self.lex.plural_pronouns:
                return self._pronoun_referents(token, plural=True)
            if low in self.lex.speaker_pronouns:
                return self._speaker_referents(token, plural=False)
            if low in self.lex.speaker_plural_pronouns:
                return self._speaker_referents(token, plural=True)
            return ()
        if token.pos_ not in ("NOUN", "PROPN", "NUM"):
            return ()
        alias = _alias_phrase(token)
        if alias is not None:
            return (alias,)
        if token.tag_ in _PLURAL_TAGS and self.names.mention_at(token) is None:
            named = self._plural_of_named(token.text, doc_text(token.doc)) or _plural_alias(token)
            if named is not None:
                return (named,)  # "the iPods" after "iPod", "the superjumbos", "A380s"
        if token.pos_ != "NOUN":
            return ()
        lemma = token.lemma_.lower()
        if lemma in self.lex.market_nouns and self._means_the_market(token, lemma):
            index = self._class_referent(token, "index", None)
            return (index,) if index is not None else ()
        person = self.described(token).person(token)
        if person is not None:
            return (person,)  # "a former US intelligence official" described by name elsewhere
        if not any(c.dep_ == "det" and c.lower_ in self.lex.determiners for c in token.children):
            return ()
        named = self._head_match(token, lemma)
        if named is not None:
            return (named,)
        cls = self.lex.class_of_noun.get(lemma)
        if cls is None:
            return ()
        found = self._class_referent(token, cls, lemma)
        return (found,) if found is not None else ()

    def _head_match(self, token: Token, lemma: str) -> str | None:
        """"the store" after "the iTunes Store", "the council" after "the National Intelligence
        Council": a definite description whose noun is the last word of an organization or
        product named before it (earlier in the same sentence first)."""
        if token.tag_ != "NN":
            return None
        for m in reversed(self._mentions_in(token.sent.start, token.i)):
            if m.label in _THING_LABELS and _head_word(m.canonical) == lemma:
                return m.canonical
        return self.by_head.get(lemma)

    def _means_the_market(self, token: Token, lemma: str) -> bool:
        """"Stocks", "the market", "trading", but not "shares of Toyota", "Tokyo shares", "trading
        in Tokyo" (the market of someone or somewhere named with it)."""
        if lemma in self.lex.plural_only and token.tag_ != "NNS":
            return False
        return not any(c.dep_ in _OWNER_DEPS or (c.dep_ == "prep" and c.lower_ in ("of", "in", "on"))
                       for c in token.children)

    def _class_referent(self, token: Token, cls: str, noun: str | None) -> str | None:
        """The entity of class `cls` a reference at `token` stands for: named earlier in the same
        sentence ("GM said the carmaker would ..."), else before it; for an index, else the first
        named later in the same sentence ("Stocks rebounded, and the Nasdaq closed higher")."""
        sent = token.sent
        earlier = [name for _, name in self._named_in(sent, sent.start, token.i, cls)]
        candidates = [*self.named.get(cls, ()), *earlier]
        # Words of the description that a name may share: "the computer company" is Apple
        # Computer rather than Apple Corps named since.
        described = {c.lower_ for c in token.children if c.dep_ in ("compound", "amod") and c.is_alpha}
        for cues in (described, self.lex.name_cues.get(noun or "", frozenset())):
            if not cues:
                continue
            for name in reversed(candidates):
                if cues & set(normalize_name(name).replace("-", " ").split()):
                    return name
        if noun in self.lex.cue_required:
            return None
        if earlier:
            return earlier[-1]
        # Of the entities named in the last sentence that named one, a subject before an object:
        # "Airbus delivered the first A380 to Singapore Airlines. The company said" is Airbus.
        latest = max((self._named_at.get(n, 0) for n in candidates), default=0)
        subjects = [n for n in candidates if self._named_at.get(n, 0) == latest and n in self._named_as_subject]
        if subjects:
            return subjects[-1]
        if candidates:
            return candidates[-1]
        if cls == "index":
            later = self._named_in(sent, token.i + 1, sent.end, cls)
            if not later and sent.end < len(token.doc) and not self.named.get(cls):
                # A lead about the market before any index is named ("Stocks tumbled on Monday. The
                # Dow lost 512 points"): the first index of the next sentence.
                following = token.doc[sent.end].sent
                later = self._named_in(following, following.start, following.end, cls)
            return later[0][1] if later else None
        return None

    def _named_in(self, sent: Span, start: int, end: int, cls: str) -> list[tuple[int, str]]:
        """(token index, name) of the entities of class `cls` named in sent[start:end], in order."""
        doc = sent.doc
        found = [(m.start, m.canonical) for m in self._mentions_in(start, end)
                 if class_of_name(m, self.lex, doc[m.start:m.end].root) == cls]
        for tok in doc[start:end]:
            if tok.dep_ in _ARGUMENT_DEPS and tok.pos_ in ("NOUN", "PROPN", "NUM") and not tok.ent_type_:
                alias = _alias_phrase(tok)
                if alias is not None and entity_kind(alias) == cls:
                    found.append((tok.i, alias))
        return sorted(found)

    def is_market_move(self, token: Token) -> bool:
        """"The market lost 3 percent", "the index ended the session lower", "Antofagasta shares lost
        2.21 percent": a movement or state verb whose subject is an index, or stocks and shares, the
        market's or a company's (no lawsuit lost)."""
        if token.pos_ != "VERB" or token.lemma_.lower() not in self.lex.market_verbs:
            return False
        subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is None:
            return False
        lemma = subject.lemma_.lower()
        if subject.pos_ == "NOUN" and (self.lex.class_of_noun.get(lemma) == "index" or lemma in self.lex.market_nouns):
            return True
        mention = self.names.mention_at(subject)
        if mention is not None:
            return class_of_name(mention, self.lex, subject.doc[mention.start:mention.end].root) == "index"
        alias = _alias_phrase(subject)
        return alias is not None and entity_kind(alias) == "index"

    def kinds_of(self, token: Token) -> frozenset[str]:
        """The reference classes (index, company, product) of what an argument's head `token`
        names or refers to: a name ("the Nikkei 225"), an alias ("the Dow"), the market ("stocks"),
        a class noun ("the index"), a pronoun for one ("it")."""
        mention = self.names.mention_at(token)
        if mention is not None:
            cls = class_of_name(mention, self.lex, token.doc[mention.start:mention.end].root)
            return frozenset({cls}) if cls is not None else frozenset()
        alias = _alias_phrase(token)
        if alias is not None:
            kind = entity_kind(alias)
            return frozenset({kind}) if kind is not None else frozenset()
        lemma = token.lemma_.lower()
        if token.pos_ == "NOUN" and lemma in self.lex.market_nouns and self._means_the_market(token, lemma):
            return frozenset({"index"})
        if token.pos_ == "NOUN" and lemma in self.lex.class_of_noun:
            return frozenset({self.lex.class_of_noun[lemma]})
        if token.pos_ == "PRON":
            referents = set(self.referents(token))
            return frozenset(cls for cls, names in self.named.items() if referents & set(names))
        return frozenset()

    def described(self, token: Token) -> DescribedPeople:
        """The article's descriptions of its named people (collected on first use)."""
        if self._described is None:
            self._described = DescribedPeople.from_doc(token.doc, self.names)
        return self._described

    def hides(self, root: Token, label: str) -> bool:
        """Whether a name (its root token and entity label) only describes an unnamed person
        ("US" in "a former US intelligence official") or a referring noun ("Irish" in "the Irish
        carrier", "European" in "European stocks"): not a participant."""
        if label in _PLACE_LABELS and root.dep_ in ("amod", "compound") and root.head.pos_ == "NOUN":
            lemma = root.head.lemma_.lower()
            if lemma in self.lex.class_of_noun or (lemma in self.lex.market_nouns
                                                   and self._means_the_market(root.head, lemma)):
                return True
        return self._in_apposition(root) or self.described(root).hides(root, label)

    def _in_apposition(self, root: Token) -> bool:
        """"Sensex, the benchmark index of the Bombay Stock Exchange, rose": a name inside an
        apposition that describes another name tells what that is; it does not take part."""
        node = root
        for _ in range(5):
            dep = node.dep_
            if dep == "appos":
                return node.i != root.i and (node.head.pos_ == "PROPN" or self.names.mention_at(node.head) is not None)
            if dep not in ("compound", "amod", "nmod", "pobj", "prep") or node.head.i == node.i:
                return False
            node = node.head
        return False

    def _pronoun_referents(self, token: Token, plural: bool) -> tuple[str, ...]:
        if token.dep_ not in ("nsubj", "nsubjpass", "poss") or _is_expletive(token):
            return ()
        # The nearest named subject earlier in the same sentence is the likelier antecedent ("Apple
        # said it would", "Ford and GM said they would", "the judge agreed that, while the store is
        # branded, the music it sells is not"); a person there means the pronoun is not a thing.
        nearest: Token | None = None
        for tok in token.sent:
            if tok.i >= token.i:
                break
            if tok.dep_ not in _SUBJECT_DEPS or _reported_apart(tok, token):
                continue
            if self.names.mention_at(tok) is not None or (tok.pos_ != "PRON" and self.referents(tok)):
                nearest = tok
        if nearest is not None:
            mention = self.names.mention_at(nearest)
            if mention is None:
                # Named by alias or description: "The Dow dropped 300 points, its biggest fall",
                # "Sales fell, the automaker said, and its profit dropped", "the iPods ... they".
                found = self.referents(nearest)
                return found if plural == (len(found) > 1 or nearest.tag_ in _PLURAL_TAGS) else ()
            if mention.label == "PERSON":
                return ()
            if mention.label in _THING_LABELS:
                text = doc_text(token.doc)
                named = [self._thing(mention, text), *(self._thing(m, text) for c in nearest.children if c.dep_ == "conj"
                                                 and (m := self.names.mention_at(c)) is not None
                                                 and m.label in _THING_LABELS)]
                things = tuple(dict.fromkeys(name for name, _ in named))
                several = len(things) > 1 or any(p for _, p in named)
                return things if plural == several else ()
        if self.subject_age > 1 or not self.subject_things or plural != self.subject_plural:
            return ()
        return self.subject_things


    def _speaker_referents(self, token: Token, plural: bool) -> tuple[str, ...]:
        """"I" and "we" in reported words: the speaker (`extractors.quote_speakers`). "I" is a
        person; "we" the organization the speaker speaks for when the speaker's phrase names one
        ("a Renault spokesman", "Alan Mulally, Ford's chief executive", "Ford said"), else the
        speaker."""
        # The recipient too: "the board has granted *me* a medical leave".
        if token.dep_ not in ("nsubj", "nsubjpass", "poss", "dative"):
            return ()
        doc = token.doc
        if self._quotes is None:
            self._quotes = quote_spans(doc_text(doc))
            self._passages = colon_passages(doc_text(doc))
            self._sentences = list(doc.sents)
        speaker = speaker_of(token, doc_text(doc), self._quotes, self._sentences or (),
                             load_lexicon().reporting_verbs, self._passages)
        if speaker is None:
            return ()
        person: str | None = None
        mention = self.names.mention_at(speaker)
        if mention is not None and mention.label == "PERSON":
            person = mention.canonical
        elif mention is None and speaker.lower_ in _THIRD_PERSON:
            person = self._person_named_before(speaker)
        elif mention is None:
            person = self.described(speaker).person(speaker)
        if not plural:
            return (person,) if person is not None else ()
        organization = self._organization_in(speaker)
        if organization is not None:
            return (organization,)
        if mention is not None and mention.label in _THING_LABELS:
            return (self._thing(mention, doc_text(doc))[0],)
        if person is not None:
            return (person,)
        return tuple(self.referents(speaker)) if speaker.pos_ != "PRON" or speaker.lower_ in _THING_PRONOUNS else ()

    def _organization_in(self, speaker: Token) -> str | None:
        """An organization named in the speaker's phrase other than the speaker ("a Renault
        spokesman", "Airbus chief executive Tom Enders", "Mulally, Ford's chief executive")."""
        own = self.names.mention_at(speaker)
        for tok in speaker.subtree:
            m = self.names.mention_at(tok)
            if m is not None and m is not own and m.label == "ORG" and tok.dep_ in _MODIFIER_DEPS | {"poss"}:
                return m.canonical
        return None

    def _person_named_before(self, token: Token) -> str | None:
        """The last person named before `token` ("..., he said": the speaker named earlier)."""
        k = bisect.bisect_left(self._starts, token.i) - 1
        while k >= 0:
            m = self.names.mentions[k]
            if m.label == "PERSON":
                return m.canonical
            k -= 1
        return None


def _described_as(root: Token, label: str) -> list[Token]:
    """Common nouns the text uses for a named organization or product, read from the parse, so that
    a later "the car" or "the superjumbo" is that name: an apposition ("the Nano, a tiny car,";
    "the tiny car, the Nano,"), a predicate noun ("The A380 is a double-decker superjumbo"), and
    for a product the noun it names ("the E195 jetliner"; not "the Toyota plant", an organization's).
    Role nouns of people ("Mulally, Ford's chief executive") are left to `extractors.descriptions`."""
    found: list[Token] = []
    roles = load_descriptions().family_of
    for child in root.children:
        if child.dep_ == "appos" and child.tag_ == "NN" and child.pos_ == "NOUN":
            found.append(child)
    head = root.head
    if head.i != root.i and head.tag_ == "NN" and head.pos_ == "NOUN":
        if root.dep_ == "appos" or (root.dep_ == "compound" and label == "PRODUCT"):
            found.append(head)
    if root.dep_ == "nsubj" and head.lemma_ == "be":
        found.extend(c for c in head.children if c.dep_ == "attr" and c.tag_ == "NN" and c.pos_ == "NOUN")
    return [noun for noun in found if noun.lemma_.lower() not in roles]


_THIRD_PERSON = frozenset({"he", "she"})
_THING_PRONOUNS = frozenset({"it", "they"})


@functools.lru_cache(maxsize=4096)
def _is_subject(root: Token) -> bool:
    """Whether a name's root is a clause's subject, or a conjunct or apposition of one."""
    node = root
    while node.dep_ in ("conj", "appos") and node.head.i != node.i:
        node = node.head
    return node.dep_ in _SUBJECT_DEPS


def _head_word(name: str) -> str:
    """The last word of a name in lower case ("iTunes Store" -> "store"), "" for none."""
    words = normalize_name(name).split()
    return words[-1] if words and words[-1].isalpha() else ""


def _is_expletive(pronoun: Token) -> bool:
    """"It feels great to resolve this", "it is likely that ...": a subject "it" of an adjective
    predicate with a clause after it stands for that clause, not for a thing."""
    head = pronoun.head
    if pronoun.dep_ != "nsubj" or not any(c.dep_ == "acomp" for c in head.children):
        return False
    return any(c.dep_ in ("xcomp", "ccomp", "csubj") and c.i > pronoun.i for c in head.children)


def _reported_apart(subject: Token, pronoun: Token) -> bool:
    """Whether `subject` is the subject of reported content that does not hold the pronoun: in
    "the planemaker said the superjumbo would enter service, and it expects ...", "it" is the
    planemaker, not the superjumbo."""
    verb = subject.head
    return verb.dep_ == "ccomp" and not verb.left_edge.i <= pronoun.i <= verb.right_edge.i


@functools.lru_cache(maxsize=1)
def _common_noun_aliases() -> frozenset[str]:
    """One-word aliases written in lower case in aliases.yaml ("superjumbo"): common nouns that
    name one entity by themselves, unlike "chips" of "blue chips"."""
    return frozenset(a for g in load_aliases().groups for a in g.aliases if a.islower() and " " not in a)


def _plural_alias(token: Token) -> str | None:
    """The entity a plural names when its singular is an alias that names it alone: a one-word
    common-noun alias ("superjumbos") or a proper name ("A380s")."""
    for key in singular_keys(normalize_name(token.text)):
        if key in _common_noun_aliases() or (token.pos_ == "PROPN" and " " not in key):
            found = alias_name(key)
            if found is not None:
                return found
    return None


def _alias_phrase(token: Token) -> str | None:
    """"blue chips", "the Dow Jones industrial average", "Nikkei 225": a noun (or a model number)
    with its modifiers before it (adjectives, compounds, nominal modifiers) that is a known alias;
    for a common noun or a number only with a modifier ("chips" alone is not the Dow)."""
    last_words = load_aliases().last_words
    low = token.lower_
    if low not in last_words:
        # Alias keys are normalized ("S&P" is "s p"); normalize only words with other characters.
        words = [] if low.isalnum() else normalize_name(token.text).split()
        if not words or words[-1] not in last_words:
            return None
    mods = [c for c in token.children if c.dep_ in _MODIFIER_DEPS and c.i < token.i]
    if not mods and token.pos_ != "PROPN" and low not in _common_noun_aliases():
        return None
    start = min((c.left_edge.i for c in mods), default=token.i)
    while start < token.i and token.doc[start].dep_ in ("det", "poss", "case"):
        start += 1
    return alias_name(token.doc[start:token.i + 1].text)
