"""Names of the participants of events: cleaning, within-article resolution, comparison keys.

- `normalize_name(name)` is a comparison key, not a display form: "Kim Jong-un", "Kim Jong Un"
  and "KIM JONG UN" all give "kim jong un". The cross-article merger compares actors with it.
- `ArticleNames.from_doc(doc)` collects the named entities (PERSON, ORG, GPE, NORP, plus
  FAC/LOC/EVENT/PRODUCT for locations and things) of one parsed article and maps every mention to
  the fullest name the article uses for the same referent: "Seiler" -> "Sydney Seiler",
  "Kim" -> "Kim Jong Un". A short name is resolved only when exactly one longer name of the same
  kind starts or ends with it; when two do ("Apple" with "Apple Inc." and "Apple Corps" in one
  article) the short name is left as it is, because guessing would merge different actors.
  A surname the recognizer labels ORG or PRODUCT ("Jobs") when the article names that person in
  full is the person, so that "he" in the next sentence finds him.
- Titles and determiners are stripped ("the US National Intelligence Council" ->
  "US National Intelligence Council", "North Korea's" -> "North Korea"); "Washington" stays
  "Washington": as an actor it names the government acting, which is what the reader needs.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

# Mention texts are read from the cached document text: `Span.text` rebuilds them token by token,
# and each mention is read several times while resolving names.
# clean_name and normalize_name are part of this module's surface (events.py reads them here).
from extractors.names import abbreviates, clean_name, extends, name_with_titles, normalize_name  # noqa: F401
from extractors.nlp import doc_text, span_text
from extractors.resources import load_yaml
from extractors.truecase import is_title_case

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
LOCATION_LABELS = frozenset({"GPE", "LOC", "FAC"})
NAME_LABELS = ACTOR_LABELS | LOCATION_LABELS | frozenset({"EVENT", "PRODUCT", "WORK_OF_ART"})
# Dependencies of a word that modifies a noun rather than heading an argument.
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})


class ParticipantResourceError(ValueError):
    """`resources/entities/participants.yaml` is malformed."""


@dataclass(frozen=True)
class ParticipantRoles:
    """Which names of an argument phrase are participants (`resources/entities/participants.yaml`)."""

    non_participant_prepositions: frozenset[str]
    head_only_labels: frozenset[str]


@functools.cache
def load_participant_roles() -> ParticipantRoles:
    raw = load_yaml("entities/participants.yaml")
    preps = raw.get("non_participant_prepositions") if isinstance(raw, dict) else None
    labels = raw.get("head_only_labels") if isinstance(raw, dict) else None
    if not isinstance(preps, dict) or not all(
            isinstance(v, list) and all(isinstance(w, str) and w.strip() for w in v) for v in preps.values()):
        raise ParticipantResourceError("entities/participants.yaml: `non_participant_prepositions` must map "
                                       "groups to lists of words")
    if not isinstance(labels, list) or not all(isinstance(x, str) and x.isupper() for x in labels):
        raise ParticipantResourceError("entities/participants.yaml: `head_only_labels` must be a list of "
                                       "entity labels")
    return ParticipantRoles(frozenset(w.lower() for v in preps.values() for w in v), frozenset(labels))


def only_modifies(mention: NameMention, root: Token, names: ArticleNames) -> bool:
    """Whether a mention of a head-only label (a nationality, "Korean") is no participant here: it
    modifies a common noun ("the Korean peninsula", "Russian weapons") instead of heading an
    argument ("the Russians")."""
    if mention.label not in load_participant_roles().head_only_labels:
        return False
    head = root.head
    return root.dep_ in _MODIFIER_DEPS and head.i != root.i and head.pos_ == "NOUN" and names.mention_at(head) is None



@dataclass(frozen=True)
class NameMention:
    start: int  # token indices into the doc, end exclusive
    end: int
    label: str
    text: str  # cleaned surface form
    canonical: str  # fullest name of the referent in this article


@dataclass(frozen=True)
class ArticleNames:
    """Named-entity mentions of one article, each resolved to the article's fullest name."""

    mentions: tuple[NameMention, ...]
    by_token: dict[int, NameMention]
    # Key of an organization's acronym -> the full name the article gives it ("asean" ->
    # "Association of Southeast Asian Nations"), `_acronyms`.
    acronyms: dict[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: Doc) -> ArticleNames:
        named = (e for e in doc.ents if e.label_ in NAME_LABELS)
        spans = _person_labels_agree(
            [_with_model_number(ent) for ent in (_confirmed_title_name(e) for e in named)
             if ent is not None and clean_name(span_text(ent))])
        full_by_kind = _fullest_names(spans)
        acronyms = _acronyms(spans)
        mentions: list[NameMention] = []
        by_token: dict[int, NameMention] = {}
        for ent in spans:
            text = _display_name(ent)
            key = normalize_name(text)
            canonical = (acronyms.get(key) if ent.label_ == "ORG" else None) or full_by_kind.get((_kind(ent.label_), key), text)
            mention = NameMention(ent.start, ent.end, ent.label_, text, canonical)
            mentions.append(mention)
            for i in range(ent.start, ent.end):
                by_token[i] = mention
        return cls(tuple(mentions), by_token, acronyms)

    def expand_acronym(self, text: str) -> str:
        """The full name of an organization's acronym the article expands, else `text` as it is."""
        return self.acronyms.get(normalize_name(text), text)

    def mention_at(self, token: Token) -> NameMention | None:
        return self.by_token.get(token.i)

    def canonical(self, text: str, label: str = "PERSON") -> str:
        """Fullest name for a bare string, using this article's names (for pronoun antecedents, tests)."""
        key = normalize_name(text)
        for m in self.mentions:
            if _kind(m.label) == _kind(label) and normalize_name(m.text) == key:
                return m.canonical
        return clean_name(text)


def _confirmed_title_name(ent: Span) -> Span | None:
    """A name found in a line written in title case, cut to its longest beginning the article also
    writes elsewhere as a name (capitalized); a name it never writes again is kept unless one of its
    words is written elsewhere in lower case (then None). The recognizer reads capitalized words of a
    headline as names ("Tough Negotiation for Sequel" of "negotiations" on the sequel, "Prison Van
    Near" of a "prison van near Houston"), while a headline's true participants are named again
    ("Lindsay Lohan") or are names in every case ("Esther Williams Dies At 91" / "The swimmer died")."""
    tokens = [t for t in ent if not t.is_space]
    if not tokens:
        return None
    text = doc_text(ent.doc)
    line_start = text.rfind("\n", 0, tokens[0].idx) + 1
    line_end = text.find("\n", tokens[-1].idx)
    line_end = len(text) if line_end < 0 else line_end
    if line_start == 0 and line_end == len(text):
        return ent  # a one-line text has nothing else to confirm its names
    line = ent.doc.char_span(line_start, line_end, alignment_mode="expand")
    if line is None or not is_title_case([t for t in line if t.is_alpha]):
        return ent
    elsewhere = text[:line_start] + "\n" + text[line_end:]
    for end in range(len(tokens), 0, -1):
        words = [t.text for t in tokens[:end]]
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
        for found in re.finditer(pattern, elsewhere, flags=re.IGNORECASE):
            if all(not w[:1].islower() or len(w) <= 3 for w in found.group().split()):
                stop = tokens[end - 1].i + 1
                return ent if stop == ent.end else Span(ent.doc, ent.start, stop, label=ent.label_)
    # Not named again: a name all the same unless the article writes one of its words in lower case,
    # as the common word a title capitalized ("negotiation", "sequel").
    common = {t.lower_ for t in tokens if t.is_alpha and len(t) >= 4}
    if any(re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", elsewhere) for word in common):
        return None
    return ent


def _with_model_number(ent: Span) -> Span:
    """"iPhone 4", "Windows 7": a number right after a product or organization name, attached to
    it by the parser, is part of the name (the recognizer often stops before it)."""
    doc = ent.doc
    if ent.label_ in ("ORG", "PRODUCT") and ent.end < len(doc):
        nxt = doc[ent.end]
        if nxt.like_num and nxt.dep_ == "nummod" and nxt.head.i == ent.end - 1 and not nxt.ent_type_ == "DATE":
            return Span(doc, ent.start, ent.end + 1, label=ent.label_)
    return ent


# Labels the recognizer gives a person's bare surname when it misreads it ("Jobs" as an ORG, a
# surname as a product); places (GPE) are left alone: "Jordan" the country is not Michael Jordan.
_SURNAME_MISLABELS = frozenset({"ORG", "PRODUCT", "NORP", "WORK_OF_ART"})


def _person_labels_agree(spans: list[Span]) -> list[Span]:
    """One referent, one kind: a mention the recognizer labels ORG or PRODUCT whose words are a
    person's full name or surname named elsewhere in the same article ("Steve Jobs" ... "that
    Jobs, aged 55, has taken medical leave") is that person. Without this, "he" in the next
    sentence resolves to whichever person happened to be labelled last. A company named after
    its founder stays a company where the article treats it as one: more often an organization
    than the person is named, or part of a longer organization name ("Ford" beside "Ford Motor")."""
    people: Counter[str] = Counter()
    org_words: set[str] = set()
    others: Counter[str] = Counter()
    for ent in spans:
        words = normalize_name(clean_name(span_text(ent))).split()
        if not words:
            continue
        if ent.label_ == "PERSON":
            people[" ".join(words)] += 1
            if 2 <= len(words) <= 3:
                people[words[-1]] += 1
        elif ent.label_ in _SURNAME_MISLABELS:
            others[" ".join(words)] += 1
            if len(words) > 1:
                org_words.update(words)
    if not people:
        return spans
    out = []
    for ent in spans:
        text = clean_name(span_text(ent))
        key = normalize_name(text)
        # "UN" is the United Nations, not the end of "Kim Jong Un".
        acronym = text.replace(".", "").isupper()
        if (ent.label_ in _SURNAME_MISLABELS and not acronym and people[key] >= others[key] > 0
                and key not in org_words):
            ent = Span(ent.doc, ent.start, ent.end, label="PERSON")
        out.append(ent)
    return out


def _acronyms(spans: list[Span]) -> dict[str, str]:
    """Acronyms of the article's organizations, keyed by `normalize_name`, to the full name: one
    the article declares in brackets right after the name ("Association of Southeast Asian Nations
    (Asean)", "General Motors (GM)"), or an organization written in capitals that abbreviates
    exactly one longer organization name of the article ("GM" beside "General Motors"). The letters
    must fit the name's words (`names.abbreviates`), so that "(left)" or "(centre)" declares nothing."""
    longer = {}
    for ent in spans:
        if ent.label_ == "ORG" and len(_display_name(ent).split()) >= 2:
            longer.setdefault(normalize_name(_display_name(ent)), _display_name(ent))
    if not longer:
        return {}
    found: dict[str, str] = {}
    for ent in spans:
        if ent.label_ != "ORG" or normalize_name(_display_name(ent)) not in longer:
            continue
        doc = ent.doc
        if ent.end + 2 < len(doc) and doc[ent.end].text == "(" and doc[ent.end + 2].text == ")":
            short = doc[ent.end + 1].text
            if short[:1].isupper() and abbreviates(short, _display_name(ent)):
                found[normalize_name(short)] = _display_name(ent)
    for ent in spans:
        text = _display_name(ent)
        key = normalize_name(text)
        if ent.label_ != "ORG" or key in found or " " in text or not text.isupper():
            continue
        expansions = {full for full in longer.values() if abbreviates(text, full)}
        if len(expansions) == 1:
            found[key] = expansions.pop()
    return found


def _kind(label: str) -> str:
    # GPE and LOC name the same kind of referent often enough ("Washington"): resolve across them.
    return "PLACE" if label in ("GPE", "LOC", "FAC") else label


def _fullest_names(spans: list[Span]) -> dict[tuple[str, str], str]:
    """(kind, key of a mention) -> display form of the longest unambiguous name that extends it."""
    surface: dict[tuple[str, str], str] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for ent in spans:
        text = _display_name(ent)
        k = (_kind(ent.label_), normalize_name(text))
        if not k[1]:
            continue
        counts[k] += 1
        surface.setdefault(k, text)
    keys = sorted(surface, key=lambda k: (k[0], -len(k[1].split()), k[1]))
    result: dict[tuple[str, str], str] = {}
    for kind, key in keys:
        words = key.split()
        longer = [
            other for (other_kind, other) in keys
            if other_kind == kind and len(other.split()) > len(words) and extends(other.split(), words)
            # A "person" of four or more words is usually a recognizer overrun ("Steve Jobs Apple
            # Computer"); it must not absorb the real name.
            and not (kind == "PERSON" and len(other.split()) > 3)
        ]
        # Keep only maximal extensions: "Kim" -> {"kim jong un"} not also {"kim jong"}.
        maximal = [o for o in longer if not any(p != o and extends(p.split(), o.split()) for p in longer)]
        if len(maximal) == 1:
            result[(kind, key)] = surface[(kind, maximal[0])]
        else:
            result[(kind, key)] = surface[(kind, key)]
    return result


def _display_name(ent: Span) -> str:
    return _organization_text(ent) or clean_name(span_text(ent))


def _organization_text(ent: Span) -> str | None:
    """Display form of an organization whose name begins with a title word ("General Motors",
    not "Motors"); None for every other mention (cleaned as usual)."""
    if ent.label_ != "ORG":
        return None
    text = clean_name(span_text(ent))
    kept = name_with_titles(span_text(ent))
    return kept if len(kept.split()) > len(text.split()) and kept.lower() != text.lower() else None
