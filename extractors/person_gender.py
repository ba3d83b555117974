"""Which persons "she" and "he" can stand for.

English marks gender on a few titles and role nouns (`resources/entities/gender.yaml`): a person
the article names with one ("actress Tara Reid", "Mr. Ketsoyan", "Reid, the actress,") is of that
gender. `PersonGenders` follows one article sentence by sentence and picks, for a gendered pronoun,
the antecedent the plain recency rule chose unless the article says that person is of the other
gender, or a person of the pronoun's gender was named in the last few sentences while the recency
choice has no gendered word ("her rep Jack Ketsoyan told People. 'She checked in herself'": Reid).
With no gendered word anywhere the recency rule stands, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from extractors.resources import load_yaml

FEMALE, MALE = "female", "male"
# Dependents of a name that describe it: "actress Tara Reid", "Tara Reid, the actress", "Mrs. Reid".
_DESCRIBING_DEPS = frozenset({"compound", "appos", "amod", "nmod"})


class GenderLexiconError(ValueError):
    """resources/entities/gender.yaml is malformed."""


@dataclass(frozen=True)
class GenderLexicon:
    words: dict[str, str]  # gendered title or role noun -> FEMALE | MALE
    pronouns: dict[str, str]  # pronoun -> FEMALE | MALE
    window_sentences: int


@functools.lru_cache(maxsize=1)
def load_gender_lexicon() -> GenderLexicon:
    raw = load_yaml("entities/gender.yaml")

    def need(cond: bool, message: str) -> None:
        if not cond:
            raise GenderLexiconError(f"entities/gender.yaml: {message}")

    need(isinstance(raw, dict) and set(raw) == {"female", "male", "pronouns", "window_sentences"},
         "needs exactly female, male, pronouns, window_sentences")
    words: dict[str, str] = {}
    pronouns: dict[str, str] = {}
    for table, source in ((words, raw), (pronouns, raw["pronouns"])):
        need(isinstance(source, dict), "pronouns must be a mapping of female and male")
        for gender in (FEMALE, MALE):
            entries = source.get(gender)
            need(isinstance(entries, list) and all(isinstance(w, str) and w == w.lower() for w in entries),
                 f"{gender} must be a list of lower-case words")
            for word in entries:
                need(word not in table, f"{word!r} is listed twice")
                table[word] = gender
    window = raw["window_sentences"]
    need(isinstance(window, int) and window > 0, "window_sentences must be a positive integer")
    return GenderLexicon(words, pronouns, window)


def name_gender(name: Span, lex: GenderLexicon) -> str | None:
    """The gender the text gives a named person: a gendered title or role noun describing the name
    (a compound or apposition of it, the title before it, or the noun it stands in apposition to)."""
    doc = name.doc
    candidates: list[Token] = []
    if name.start > 0:
        candidates.append(doc[name.start - 1])  # "Mrs. Reid", "actress Tara Reid" when not parsed as compound
    root = name.root
    candidates.extend(c for tok in name for c in tok.children if c.dep_ in _DESCRIBING_DEPS and not (name.start <= c.i < name.end))
    if root.dep_ == "appos":
        candidates.append(root.head)  # "the actress, Tara Reid,"
    found = {lex.words[w] for tok in candidates if (w := tok.lower_.rstrip(".")) in lex.words}
    return found.pop() if len(found) == 1 else None


@dataclass
class PersonGenders:
    """The genders the article has given the persons it names so far, and where each was last named."""

    lex: GenderLexicon = field(default_factory=load_gender_lexicon)
    gender: dict[str, str] = field(default_factory=dict)
    last_named: dict[str, int] = field(default_factory=dict)
    sentence: int = 0

    def update(self, persons: Iterable[tuple[str, Span]]) -> None:
        """Record the persons (canonical name, name span) of the sentence just read."""
        for canonical, span in persons:
            found = name_gender(span, self.lex)
            if found is not None:
                self.gender.setdefault(canonical, found)
            self.last_named[canonical] = self.sentence
        self.sentence += 1

    def antecedent(self, pronoun: str, chosen: str | None, speaker: bool = False) -> str | None:
        """The person a pronoun stands for, given the one recency `chosen` (None: no person). With
        `speaker`, `chosen` is the person last quoted and the pronoun says or tells ("he said in a
        statement"): taken as that person, the pronoun also tells the article's reader the speaker's
        gender, which later pronouns use ("... when she entered the facility" is not him)."""
        wanted = self.lex.pronouns.get(pronoun.lower())
        if wanted is None or chosen is None or self.gender.get(chosen) == wanted:
            return chosen
        if speaker and chosen not in self.gender:
            self.gender[chosen] = wanted
            return chosen
        recent = [p for p, at in sorted(self.last_named.items(), key=lambda x: -x[1])
                  if self.sentence - at <= self.lex.window_sentences]
        same = next((p for p in recent if self.gender.get(p) == wanted), None)
        if same is not None:
            return same
        if self.gender.get(chosen) is None:
            return chosen
        # The recency choice is of the other gender: the most recent person of no known gender.
        return next((p for p in recent if p not in self.gender), None)

    def compatible(self, pronoun: str, person: str) -> bool:
        """Whether the article allows `person` for the pronoun (not known to be of the other gender)."""
        wanted = self.lex.pronouns.get(pronoun.lower())
        return wanted is None or self.gender.get(person, wanted) == wanted
