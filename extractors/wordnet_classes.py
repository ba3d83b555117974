"""The WordNet lexicographer classes of a noun or verb: what kind of thing a word names.

The trigger models (`noun_triggers.py`, `predicate_triggers.py`) learned mostly the lemmas of the
topics they were trained on; a word of another domain ("the derailment", "the index plunged") had
no weight. Its WordNet classes ("event", "act", "phenomenon" for nouns; "motion", "change",
"competition" for verbs) are shared by words of every domain, so a model that weighs them scores
an unseen word by its kind. Classes of the first three senses, most frequent first, from
`resources/events/wordnet_classes.tsv` (written by `benchmarks/build_wordnet_classes.py` from
WordNet 3.0), validated at load. The classes are of the word, not of its sense in the sentence:
the models weigh them beside the parse.
"""

from __future__ import annotations

import functools

from extractors.resources import read_text

WHERE = "events/wordnet_classes.tsv"
CLASSES = {
    "noun": frozenset({
        "Tops", "act", "animal", "artifact", "attribute", "body", "cognition", "communication", "event",
        "feeling", "food", "group", "location", "motive", "object", "person", "phenomenon", "plant",
        "possession", "process", "quantity", "relation", "shape", "state", "substance", "time"}),
    "verb": frozenset({
        "body", "change", "cognition", "communication", "competition", "consumption", "contact", "creation",
        "emotion", "motion", "perception", "possession", "social", "stative", "weather"}),
}


class WordNetClassesError(ValueError):
    """The packaged WordNet class table is malformed."""


def parse_wordnet_classes(text: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """{"noun": {lemma: classes}, "verb": {...}} from the table's text; raises
    `WordNetClassesError` naming the line when a part of speech or class is unknown."""
    out: dict[str, dict[str, tuple[str, ...]]] = {"noun": {}, "verb": {}}
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        try:
            pos, classes, words = line.split("\t")
        except ValueError:
            raise WordNetClassesError(f"{WHERE}:{number}: expected pos, classes, lemmas") from None
        names = tuple(classes.split(","))
        if pos not in CLASSES or not set(names) <= CLASSES[pos] or not words:
            raise WordNetClassesError(f"{WHERE}:{number}: unknown part of speech or class in {pos!r} {classes!r}")
        table = out[pos]
        for word in words.split(" "):
            table[word] = names
    return out


@functools.lru_cache(maxsize=1)
def load_wordnet_classes() -> dict[str, dict[str, tuple[str, ...]]]:
    return parse_wordnet_classes(read_text(WHERE))


def word_classes(lemma: str, pos: str) -> tuple[str, ...]:
    """The classes of a lower-case `lemma` as a "noun" or "verb", most frequent sense first; ()
    when WordNet does not hold it (names, numbers, misspellings)."""
    return load_wordnet_classes()[pos].get(lemma, ())
