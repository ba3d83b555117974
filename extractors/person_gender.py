"""Which persons "she" and "he" can stand for.

English marks gender on a few titles and role nouns (`resources/entities/gender.yaml`): a person
the article names with one ("actress Tara Reid", "Mr. Ketsoyan", "Reid, the actress,") is of that
gender. Where the article says nothing, a full name whose first word is an English given name of one
sex (`resources/entities/first_names.tsv`, from US birth records: "Jack Ketsoyan", "Tara Reid")
gives that gender; a title or role noun of the article always wins over it. `PersonGenders` follows
one article sentence by sentence and picks, for a gendered pronoun, the antecedent the plain recency
rule chose unless that person is of the other gender, or a person the article's own words give the
pronoun's gender was named in the last few sentences while the article gives the recency choice no
such word ("her rep Jack Ketsoyan told People. 'She checked in herself'": Reid). A given name only
vetoes and confirms recency's choice: it never draws a pronoun away from a person of unknown gender,
since most names of non-English origin ("Kim Jong Un") are unknown to the table and would otherwise
always lose to the English ones. With no gendered word and no known given name the recency rule
stands, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from extractors.resources import load_yaml, read_text

FEMALE, MALE = "female", "male"
# Dependents of a name that describe it: "actress Tara Reid", "Tara Reid, the actress", "Mrs. Reid".
_DESCRIBING_DEPS = frozenset({"compound", "appos", "amod", "nmod"})


class GenderLexiconError(ValueError):
    """resources/entities/gender.yaml or resources/entities/first_names.tsv is malformed."""


@dataclass(frozen=True)
class GenderLexicon:
    words: dict[str, str]  # gendered title or role noun -> FEMALE | MALE
    pronouns: dict[str, str]  # pronoun -> FEMALE | MALE
    window_sentences: int
    first_names: dict[str, str] = field(default_factory=dict)  # lower-case given name -> FEMALE | MALE


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
    return GenderLexicon(words, pronouns, window, parse_first_names(read_text("entities/first_names.tsv"), words))


def parse_first_names(text: str, titles: Mapping[str, str]) -> dict[str, str]:
    """The table of first_names.tsv: after `#` comment lines, one `name<TAB>female|male` line per
    lower-case given name, none twice, none a gendered title or role noun of gender.yaml (`titles`),
    which is the article's own word and never a given name."""
    table: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        where = f"entities/first_names.tsv line {number}"
        if len(fields) != 2 or fields[1] not in (FEMALE, MALE):
            raise GenderLexiconError(f"{where}: needs a name and female or male, tab-separated: {line!r}")
        name, gender = fields
        if not (name.isalpha() and name == name.lower()):
            raise GenderLexiconError(f"{where}: {name!r} is not a lower-case word")
        if name in table:
            raise GenderLexiconError(f"{where}: {name!r} is listed twice")
        if name in titles:
            raise GenderLexiconError(f"{where}: {name!r} is a title or role noun of gender.yaml, not a given name")
        table[name] = gender
    if not table:
        raise GenderLexiconError("entities/first_names.tsv: no names")
    return table


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


def given_name_gender(name: str, lex: GenderLexicon) -> str | None:
    """The gender the first word of a person's full name tells ("Jack Ketsoyan": male). None for a
    single word (a family name alone: "Reid"), or a first word the table does not hold: a title
    ("Judge", "President"), a unisex name ("Jordan", "Kim"), a name of another language."""
    words = name.split()
    if len(words) < 2 or not words[0][:1].isupper():
        return None
    return lex.first_names.get(words[0].lower())


@dataclass
class PersonGenders:
    """The genders the article has given the persons it names so far, and where each was last named."""

    lex: GenderLexicon = field(default_factory=load_gender_lexicon)
    gender: dict[str, str] = field(default_factory=dict)  # from the article's words
    given_name: dict[str, str] = field(default_factory=dict)  # from the first word of the full name
    last_named: dict[str, int] = field(default_factory=dict)
    sentence: int = 0

    def update(self, persons: Iterable[tuple[str, Span]]) -> None:
        """Record the persons (canonical name, name span) of the sentence just read."""
        for canonical, span in persons:
            found = name_gender(span, self.lex)
            if found is not None:
                self.gender.setdefault(canonical, found)
            if canonical not in self.given_name and (given := given_name_gender(canonical, self.lex)):
                self.given_name[canonical] = given
            self.last_named[canonical] = self.sentence
        self.sentence += 1

    def gender_of(self, person: str) -> str | None:
        """The article's word for the person's gender, else the given name's, else None."""
        return self.gender.get(person) or self.given_name.get(person)

    def antecedent(self, pronoun: str, chosen: str | None, speaker: bool = False) -> str | None:
        """The person a pronoun stands for, given the one recency `chosen` (None: no person). With
        `speaker`, `chosen` is the person last quoted and the pronoun says or tells ("he said in a
        statement"): taken as that person, the pronoun also tells the article's reader the speaker's
        gender, which later pronouns use ("... when she entered the facility" is not him)."""
        wanted = self.lex.pronouns.get(pronoun.lower())
        if wanted is None or chosen is None:
            return chosen
        said, named = self.gender.get(chosen), self.given_name.get(chosen)
        if said == wanted:
            return chosen
        if speaker and said is None and named in (None, wanted):
            self.gender[chosen] = wanted
            return chosen
        by_recency = sorted(self.last_named, key=lambda p: -self.last_named[p])
        recent = [p for p in by_recency if self.sentence - self.last_named[p] <= self.lex.window_sentences]
        if said is None:
            # The article's own word outweighs recency and given names alike.
            same = next((p for p in recent if self.gender.get(p) == wanted), None)
            if same is not None:
                return same
            # A given name confirms or vetoes recency's choice; one the table does not know ("Kim Jong
            # Un") never loses to the names it knows.
            if named in (None, wanted):
                return chosen
        # The recency choice is of the other gender: the most recent person of the pronoun's gender,
        # else of no known gender, in the last few sentences; else the last person of the pronoun's
        # gender the article named ("Bettie Page ..." eight sentences and two men back).
        for persons, gender in ((recent, wanted), (recent, None), (by_recency, wanted)):
            found = next((p for p in persons if self.gender_of(p) == gender), None)
            if found is not None:
                return found
        return None

    def compatible(self, pronoun: str, person: str) -> bool:
        """Whether the article allows `person` for the pronoun (not known to be of the other gender)."""
        wanted = self.lex.pronouns.get(pronoun.lower())
        return wanted is None or (self.gender_of(person) or wanted) == wanted
