"""Verbs of headlines written in title case, which the parser reads as proper nouns.

"Lindsay Lohan Checks Into Rehab", "Esther Williams Dies At 91", "Dow Falls 200 Points": in a
line whose words are all capitalized, the small English model tags every word a proper noun and
finds no verb, so the headline, the one sentence that states the article's event, yields nothing.
A capitalized word of such a line that is an English inflection of a verb of the taxonomy, alone
or with the word after it ("Checks Into" of "check into", "Dies" of "die", "Rallies" of "rally"),
is that verb.

Only taxonomy verbs are read this way (a title-case word that is a verb form outside it, "Sets",
"Plans", is as likely a noun), never the first word of the line, and only after a name the line
begins with (a headline states its subject first: "Burns Night", "Related Reports" have none), in
lines with at least `_MIN_WORDS` capitalized words of four letters or more and no lower-case word
but short function words ("to", "at", "in", "into" may stay lower case in a title).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from spacy.tokens import Token

_MIN_WORDS = 3
# Entity labels that are no name a headline can start with.
_NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
_MIN_LETTERS = 4
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


def headline_verb(token: Token, verb_types: Mapping[str, str]) -> str | None:
    """The taxonomy verb lemma a capitalized proper-noun token of a title-case line inflects, or None."""
    if token.pos_ != "PROPN" or not (token.is_title or token.is_upper):
        return None
    # The look-up first: most proper nouns inflect no taxonomy verb, and the line is not read then.
    following = token.nbor().lower_ if token.i + 1 < len(token.doc) else ""
    lemma = next((base for base in inflection_bases(token.lower_)
                  if base in verb_types or f"{base} {following}" in verb_types), None)
    if lemma is None or not _in_title_case_line(token):
        return None
    return lemma


def _in_title_case_line(token: Token) -> bool:
    """Whether `token` stands, not first, in a line of at least `_MIN_WORDS` long words that are all
    capitalized. A line ends at a token that holds or is followed by a line break."""
    doc = token.doc
    start = token.i
    while start > 0 and "\n" not in doc[start - 1].text_with_ws:
        start -= 1
    end = token.i + 1
    while end < len(doc) and "\n" not in doc[end - 1].text_with_ws:
        end += 1
    words = [t for t in doc[start:end] if t.is_alpha]
    if not words or words[0].i == token.i or not is_title_case(words):
        return False
    # A headline states its subject first: a name ends before the verb, or the recognizer took the
    # verb into it ("Lindsay Lohan Checks Into" as one person).
    return any(start <= ent.start < token.i and ent.label_ not in _NOT_NAMES for ent in doc.ents)


def is_title_case(words: Sequence[Token]) -> bool:
    """Whether the alphabetic tokens of a line are written in title case (or capitals): at least
    `_MIN_WORDS` capitalized words of four letters or more, no lower-case word but short function words."""
    capitalized = sum(1 for t in words if len(t) >= _MIN_LETTERS and (t.is_title or t.is_upper))
    return capitalized >= _MIN_WORDS and not any(_lower_content_word(t) for t in words)


def _lower_content_word(token: Token) -> bool:
    """A lower-case word a title would capitalize: anything but a short function word ("in", "at")."""
    return token.is_lower and not (token.is_stop and len(token) < _MIN_LETTERS + 1)
