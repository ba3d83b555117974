"""Title-case and all-capitals lines written in sentence case for the parse, the text left as it was.

In a headline written in title case ("Tara Reid Checks Into Rehab", "Earthquake Levels Villages")
the small English model tags every capitalized word a proper noun and the parser finds no verb, so
the line that states the article's event yields nothing, and the recognizer runs the verb into the
name ("Tara Reid Checks Into Rehab" as one person). So before the tagger runs, each such line is
re-cased as a sentence would be written: a capitalized word becomes lower case unless the article
itself writes it capitalized elsewhere, where capitals tell a name ("Tara Reid", the clinic
"Promises"), more often than in lower case. The line's first word keeps its capital, and so do months
and weekdays (the temporal tagger's words) and "I"; acronyms and mixed-case words ("US", "iPhone")
keep their case. A word the article writes nowhere else goes lower case too ("Checks", "Levels"),
unless it is an English given name followed by a word that is no verb form, adverb or function word,
or that word: a person named only in the headline ("Esther Williams Dies At 91";
`resources/entities/first_names.tsv`).
In a line in capitals, a word the article writes in capitals elsewhere is an acronym and stays.

Only the case of letters changes, never a character count, so every offset of the parse indexes the
original text; and the `Doc` the pipeline returns holds the original words with the annotations of
the re-cased parse (`restore_case`): what the extractors read of a token or a span is what the
article says. A line is title case when it has at least `MIN_TITLE_WORDS` capitalized words of
`MIN_TITLE_LETTERS` letters or more and no lower-case word but short function words ("to", "at",
"into"); an all-capitals line when its cased words are all in capitals. The text outside such lines
is the evidence; a text without any (a lone headline) is left as it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterator, Sequence

from spacy.attrs import DEP, ENT_IOB, ENT_KB_ID, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc, Token

TRUECASE_COMPONENT = "timeline_truecase"
RESTORE_CASE_COMPONENT = "timeline_restore_case"

MIN_TITLE_WORDS = 3
MIN_TITLE_LETTERS = 4
# A lower-case word of this many letters or more cannot stand in a title-case line ("rehab"); shorter
# ones may when they are function words ("to", "at", "into", "with").
_LOWER_CONTENT_LETTERS = MIN_TITLE_LETTERS + 1
# A candidate title line, read from the text before its tokens are looked at: enough long capitalized
# words and no long lower-case one (most lines of prose fail this at once).
_CAPITALIZED_WORD = re.compile(rf"(?<![\w'’])[A-Z][A-Za-z]{{{MIN_TITLE_LETTERS - 1},}}")
_LONG_LOWER_WORD = re.compile(rf"(?<![\w'’])[a-z]{{{_LOWER_CONTENT_LETTERS},}}(?![\w'’])")
# Some word in lower case outside the title lines: text in sentence case to read the article's case from.
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z]{2,}(?![\w'’])")
# Evidence of a capital that tells a name: the word stands after a word, a number or a comma on its
# line, not where any word is capitalized (after a stop, a colon, a quotation mark, a dash).
_NON_INITIAL_BEFORE = re.compile(r"[\w,%$&]")


def title_lines(doc: Doc) -> list[list[Token]]:
    """The non-space tokens of each title-case or all-capitals line of `doc`."""
    text = doc.text
    candidates = [(m.start(), m.end()) for m in _lines(text) if _may_be_title(text[m.start():m.end()])]
    if not candidates:
        return []
    out = []
    for start, end in candidates:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        tokens = [t for t in span if not t.is_space]
        if is_title_case([t for t in tokens if t.is_alpha]):
            out.append(tokens)
    return out


def _lines(text: str) -> Iterator[re.Match[str]]:
    return re.finditer(r"[^\n]+", text)


def _may_be_title(line: str) -> bool:
    return len(_CAPITALIZED_WORD.findall(line)) >= MIN_TITLE_WORDS and _LONG_LOWER_WORD.search(line) is None


def is_title_case(words: Sequence[Token]) -> bool:
    """Whether the alphabetic tokens of a line are written in title case (or capitals): at least
    `MIN_TITLE_WORDS` capitalized words of `MIN_TITLE_LETTERS` letters or more, no lower-case word
    but short function words."""
    capitalized = sum(1 for t in words if len(t) >= MIN_TITLE_LETTERS and (t.is_title or t.is_upper))
    return capitalized >= MIN_TITLE_WORDS and not any(_lower_content_word(t) for t in words)


def _lower_content_word(token: Token) -> bool:
    """A lower-case word a title would capitalize: anything but a short function word ("in", "at")."""
    return token.is_lower and not (token.is_stop and len(token) < _LOWER_CONTENT_LETTERS)


@functools.cache
def _always_capitalized() -> frozenset[str]:
    """Lower-case forms of the words English writes capitalized wherever they stand: months and
    weekdays (the temporal tagger's lexicon), and "I"."""
    from extractors.timex_rules import lexicon_words

    return lexicon_words("month") | lexicon_words("weekday") | lexicon_words("weekdays_plural") | {"i"}


class CaseEvidence:
    """How the article writes a word outside its title lines: capitalized after another word of
    its line, or in lower case."""

    def __init__(self, text: str, title_spans: Sequence[tuple[int, int]]) -> None:
        parts, last = [], 0
        for start, end in title_spans:
            parts.append(text[last:start])
            last = end
        parts.append(text[last:])
        self.text = "\n".join(parts)
        self._counts: dict[str, tuple[int, int, int]] = {}

    def counts(self, word: str) -> tuple[int, int, int]:
        """(capitalized after a word, in capitals, in lower case) occurrences of `word` (any case)."""
        key = word.lower()
        if key not in self._counts:
            title = upper = lower = 0
            pattern = re.compile(r"(?<![\w'’-])" + re.escape(key) + r"(?![\w-])", re.IGNORECASE)
            for found in pattern.finditer(self.text):
                written = found.group()
                if written.islower():
                    lower += 1
                elif not _after_word(self.text, found.start()):
                    continue
                elif written.isupper() and len(written) > 1:
                    upper += 1
                elif written[:1].isupper():
                    title += 1
            self._counts[key] = (title, upper, lower)
        return self._counts[key]


def _after_word(text: str, position: int) -> bool:
    """Whether something other than a sentence or line start comes before `position` on its line."""
    i = position - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i >= 0 and _NON_INITIAL_BEFORE.match(text[i]) is not None


class Truecaser:
    """Re-cases the title lines of a tokenized `Doc`. `common_word(word)` says whether a lower-case
    word is one no surname is (`CommonWords`); `given_names` are lower-case English given names."""

    def __init__(self, common_word: Callable[[str], bool], given_names: Collection[str]) -> None:
        self.common_word = common_word
        self.given_names = given_names

    def words(self, doc: Doc) -> list[str] | None:
        """The words of `doc` with its title-case and all-capitals lines in sentence case, or None
        when no word changes (no such line, or no text outside them to read the article's case from)."""
        lines = title_lines(doc)
        if not lines:
            return None
        spans = [(line[0].idx, line[-1].idx + len(line[-1].text)) for line in lines]
        evidence = CaseEvidence(doc.text, spans)
        if _LOWER_WORD.search(evidence.text) is None:
            return None  # nothing written in sentence case to read the article's case from
        words = [t.text for t in doc]
        changed = False
        for line in lines:
            alphabetic = [t for t in line if t.is_alpha]
            for token, recased in zip(alphabetic, self.line([t.text for t in alphabetic], evidence), strict=True):
                if recased != token.text:
                    words[token.i] = recased
                    changed = True
        return words if changed else None

    def line(self, words: Sequence[str], evidence: CaseEvidence) -> list[str]:
        """The alphabetic words of one title line as a sentence would write them (each of the same length)."""
        all_capitals = all(w.isupper() for w in words if len(w) > 1)
        out = []
        for position, word in enumerate(words):
            if not (word.istitle() or (all_capitals and word.isupper())):
                out.append(word)  # "iPhone", "McDonald", a function word already in lower case
                continue
            if word.isupper() and len(word) > 1 and not all_capitals:
                out.append(word)  # "US", "CEO" in a title-case line
                continue
            title, upper, lower = evidence.counts(word)
            as_title = word[0] + word[1:].lower()
            if all_capitals and len(word) > 1 and upper > max(title, lower):
                out.append(word)  # an acronym the article writes in capitals: "NBA"
            elif position == 0 or word.lower() in _always_capitalized() or title > lower:
                out.append(as_title)
            elif not (title or upper or lower) and self._unseen_name(words, position, evidence):
                out.append(as_title)
            else:
                lowered = word.lower()
                out.append(lowered if len(lowered) == len(word) else word)
        return out

    def _unseen_name(self, words: Sequence[str], position: int, evidence: CaseEvidence) -> bool:
        """Whether a word the article writes nowhere else is part of a person's name by its form: an
        English given name followed by a capitalized word that is no verb form, adverb or function
        word ("Tara Reid Checks Into Rehab", not "Brooklyn During Vigil"), or that word."""
        def given_and_surname(first: int) -> bool:
            if first < 0 or first + 1 >= len(words):
                return False
            name, surname = words[first], words[first + 1]
            return (name.lower() in self.given_names and surname[:1].isupper()
                    and not evidence.counts(surname)[2] and not self.common_word(surname.lower()))
        return given_and_surname(position) or given_and_surname(position - 1)


# Annotations of the re-cased parse copied onto the original words.
_PARSE_ATTRS = (TAG, POS, MORPH, LEMMA, HEAD, DEP, ENT_IOB, ENT_TYPE, ENT_KB_ID)
_SENTENCE_ATTRS = (TAG, POS, MORPH, LEMMA, SENT_START, ENT_IOB, ENT_TYPE, ENT_KB_ID)
_ORIGINAL_KEY = "timeline_cased_original"


class TruecaseComponent:
    """First component: a `Doc` of the re-cased words when a line changes (the original kept with it
    for `restore_case`), else `doc` itself."""

    def __init__(self, truecaser: Truecaser) -> None:
        self.truecaser = truecaser

    def __call__(self, doc: Doc) -> Doc:
        words = self.truecaser.words(doc)
        if words is None:
            return doc
        recased = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
        recased.user_data.update(doc.user_data)
        recased.user_data[_ORIGINAL_KEY] = (doc, [i for i, (t, w) in enumerate(zip(doc, words, strict=True)) if t.text != w])
        return recased


@Language.factory(TRUECASE_COMPONENT)
def make_truecase(nlp: Language, name: str) -> TruecaseComponent:
    from extractors.person_gender import load_gender_lexicon

    return TruecaseComponent(Truecaser(CommonWords.of_pipeline(nlp), load_gender_lexicon().first_names))


_VOWELS = frozenset("aeiou")


def inflection_bases(word: str) -> Iterator[str]:
    """The base forms a lower-case English verb form can have, most likely first: "checks" ->
    check; "dies" -> die; "rallies" -> rally; "fired" -> fire; "slipped" -> slip; "hosting" -> host."""
    yield word
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y"
    if word.endswith("es") and len(word) > 3:
        yield word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        yield word[:-1]
    for ending in ("ed", "ing"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            yield stem
            yield stem + "e"
            if stem[-1] == "i":
                yield stem[:-1] + "y"
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
                yield stem[:-1]


class CommonWords:
    """Whether a lower-case word is one no surname is: a form of a verb the pipeline's rule lemmatizer
    knows (a base in its verb index, "checks", "levels", or an irregular form, "ran"), an adverb of
    its index ("dead" of "dead tired", "finally") or a stop word ("during"). Adjectives are not
    among them: "Bush", "Brown", "Young" are surnames as often."""

    def __init__(self, verbs: Collection[str], irregular: Collection[str], adverbs: Collection[str],
                 stop_words: Collection[str]) -> None:
        self.verbs = frozenset(verbs)
        self.others = frozenset(irregular) | frozenset(adverbs) | frozenset(stop_words)

    def __call__(self, word: str) -> bool:
        return word in self.others or any(base in self.verbs for base in inflection_bases(word))

    @classmethod
    def of_pipeline(cls, nlp: Language) -> CommonWords:
        """The words of `nlp`'s rule lemmatizer and stop list (stop words only, without a lemmatizer)."""
        stop_words = nlp.Defaults.stop_words
        lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
        lookups = getattr(lemmatizer, "lookups", None)
        if lookups is None or not lookups.has_table("lemma_index"):
            return cls((), (), (), stop_words)
        index = lookups.get_table("lemma_index")
        irregular = lookups.get_table("lemma_exc").get("verb", {}) if lookups.has_table("lemma_exc") else {}
        return cls(index.get("verb", ()), irregular, index.get("adv", ()), stop_words)


@Language.component(RESTORE_CASE_COMPONENT)
def restore_case(doc: Doc) -> Doc:
    """Last component: the original words with the annotations the re-cased words were given."""
    kept = doc.user_data.pop(_ORIGINAL_KEY, None)
    if kept is None:
        return doc
    original, changed = kept
    attrs = list(_PARSE_ATTRS if doc.has_annotation("DEP") else _SENTENCE_ATTRS)
    original.from_array(attrs, doc.to_array(attrs))
    for i in changed:
        # A name re-cased for the parse keeps its own lemma ("Lohan", not "lohan").
        if original[i].pos_ == "PROPN" and original[i].lemma_ == doc[i].text:
            original[i].lemma_ = original[i].text
    original.tensor = doc.tensor
    original.user_data.update(doc.user_data)
    return original


def add_truecasing(nlp: Language) -> Language:
    """`nlp` that parses title-case lines in sentence case and returns the original words."""
    nlp.add_pipe(TRUECASE_COMPONENT, first=True)
    nlp.add_pipe(RESTORE_CASE_COMPONENT, last=True)
    return nlp
