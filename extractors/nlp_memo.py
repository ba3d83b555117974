"""Memoized stand-ins for spaCy's attribute ruler and rule lemmatizer, with identical output.

Both stock components run Python code for every token: the attribute ruler builds a `Span` per
match and the lemmatizer a `MorphAnalysis` per lookup. On news text they cost about a fifth of
the parse. Their result for a token depends on a few integer attributes only (the attribute
ruler's one-token patterns on the text, tag and dependency label; the lemmatizer on the text,
part of speech and morphology), so each distinct combination is computed once, by the stock
code, and applied to whole documents through `Doc.to_array` / `Doc.from_array`.

What cannot be keyed that way is left to the stock code: the attribute ruler's few
multi-token patterns ("gon na", "there is") run through a matcher of their own, and any token
they touch gets all its patterns applied in the stock order. A model whose patterns test
attributes outside `_KEYED_PATTERN_ATTRS` keeps its stock components (`install`).
`tests/test_nlp_memo.py` compares both with the stock components token by token.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

# Token attributes a one-token pattern may test for its result to be a function of
# (ORTH, TAG, DEP): LOWER and IS_SPACE follow from the text.
_KEYED_PATTERN_ATTRS = frozenset({"ORTH", "LOWER", "TAG", "DEP", "IS_SPACE", "TEXT"})
# What the attribute ruler may set, and reads back as the token's prior value.
_RULER_OUTPUT = [TAG, POS, MORPH, LEMMA, DEP]

# A worker that parses millions of documents meets ever more rare words; past this many entries a
# memo starts afresh, so its memory stays bounded (tens of MB) whatever the collection.
MAX_MEMO_ENTRIES = 300_000

ATTRIBUTE_RULER_FACTORY = "timeline_memoized_attribute_ruler"
LEMMATIZER_FACTORY = "timeline_memoized_lemmatizer"


class MemoizedAttributeRuler:
    def __init__(self, stock: AttributeRuler) -> None:
        self.vocab = stock.vocab
        self.attrs = list(stock.attrs)
        self.indices = list(stock.indices)
        self.single = Matcher(self.vocab)
        self.multi = Matcher(self.vocab)
        for attr_id in range(len(self.attrs)):
            _, patterns = stock.matcher.get(str(attr_id))
            single = [p for p in patterns if len(p) == 1]
            multi = [p for p in patterns if len(p) != 1]
            for pattern in single:
                unkeyed = {key.upper() for spec in pattern for key in spec} - _KEYED_PATTERN_ATTRS
                if unkeyed:
                    raise ValueError(f"attribute ruler pattern tests {sorted(unkeyed)}: not memoizable")
            if single:
                self.single.add(str(attr_id), single)
            if multi:
                self.multi.add(str(attr_id), multi)
        for attrs in self.attrs:
            unknown = set(attrs) - set(_RULER_OUTPUT)
            if unknown:
                raise ValueError(f"attribute ruler sets attributes {sorted(unknown)}: not memoizable")
        # (orth, tag, dep) -> ids of the one-token patterns that match
        self._matching: dict[tuple[int, int, int], tuple[int, ...]] = {}
        # (orth, prior tag, pos, morph, lemma, dep) -> the values after the one-token patterns
        self._result: dict[tuple[int, ...], tuple[int, ...]] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, *_RULER_OUTPUT]).tolist()
        out = [self._after(row) for row in rows]
        for i, ids in self._multi_token_matches(doc).items():
            prior = rows[i][1:]
            out[i] = self._apply(prior, sorted(set(ids) | set(self._single_ids(rows[i]))))
        doc.from_array(_RULER_OUTPUT, numpy.array(out, dtype=numpy.uint64))
        return doc

    def _after(self, row: list[int]) -> tuple[int, ...]:
        key = tuple(row)
        result = self._result.get(key)
        if result is None:
            if len(self._result) >= MAX_MEMO_ENTRIES:
                self._result.clear()
                self._matching.clear()
            result = self._result[key] = self._apply(row[1:], self._single_ids(row))
        return result

    def _single_ids(self, row: list[int]) -> tuple[int, ...]:
        orth, tag, dep = row[0], row[1], row[5]
        ids = self._matching.get((orth, tag, dep))
        if ids is None:
            probe = Doc(self.vocab, words=[self.vocab.strings[orth]], spaces=[False])
            probe.from_array([TAG, DEP], numpy.array([[tag, dep]], dtype=numpy.uint64))
            ids = tuple(sorted(int(self.vocab.strings[key]) for key, _, _ in self.single(probe, allow_missing=True)))
            self._matching[(orth, tag, dep)] = ids
        return ids

    def _apply(self, prior: list[int] | tuple[int, ...], ids: Iterable[int]) -> tuple[int, ...]:
        values = dict(zip(_RULER_OUTPUT, prior, strict=True))
        for attr_id in ids:
            for name, value in self.attrs[attr_id].items():
                values[name] = value
        return tuple(values[name] for name in _RULER_OUTPUT)

    def _multi_token_matches(self, doc: Doc) -> dict[int, list[int]]:
        touched: dict[int, list[int]] = {}
        for key, start, end in self.multi(doc, allow_missing=True):
            attr_id = int(self.vocab.strings[key])
            index = self.indices[attr_id]
            token = start + index if index >= 0 else end + index
            touched.setdefault(token, []).append(attr_id)
        return touched


class MemoizedLemmatizer:
    def __init__(self, stock: Lemmatizer) -> None:
        if stock.mode != "rule" or stock.overwrite:
            raise ValueError(f"lemmatizer mode {stock.mode!r} (overwrite={stock.overwrite}): not memoizable")
        self.stock = stock
        self.strings = stock.vocab.strings
        # (orth, pos, morph) -> lemma
        self._lemma: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma:  # set by the attribute ruler: the stock lemmatizer keeps it too
                lemmas.append(lemma)
                continue
            found = self._lemma.get((orth, pos, morph))
            if found is None:
                if len(self._lemma) >= MAX_MEMO_ENTRIES:
                    self._lemma.clear()
                    self.stock.cache.clear()
                found = self._lemma[(orth, pos, morph)] = self.strings.add(self.stock.lemmatize(doc[i])[0])
            lemmas.append(found)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))
        return doc


@Language.factory(ATTRIBUTE_RULER_FACTORY)
def _make_attribute_ruler(nlp: Language, name: str, stock_name: str = "attribute_ruler") -> MemoizedAttributeRuler:
    return MemoizedAttributeRuler(nlp.get_pipe(stock_name))


@Language.factory(LEMMATIZER_FACTORY)
def _make_lemmatizer(nlp: Language, name: str, stock_name: str = "lemmatizer") -> MemoizedLemmatizer:
    return MemoizedLemmatizer(nlp.get_pipe(stock_name))


def install(nlp: Language) -> list[str]:
    """Put the memoized components in place of the stock ones they can stand in for (the stock
    ones stay loaded, disabled). Returns the names of the components replaced."""
    replaced = []
    for stock_name, stock_type, factory in (("attribute_ruler", AttributeRuler, ATTRIBUTE_RULER_FACTORY),
                                            ("lemmatizer", Lemmatizer, LEMMATIZER_FACTORY)):
        if stock_name not in nlp.pipe_names or not isinstance(nlp.get_pipe(stock_name), stock_type):
            continue
        try:
            nlp.add_pipe(factory, name=f"memoized_{stock_name}", before=stock_name,
                         config={"stock_name": stock_name})
        except (ValueError, AttributeError, TypeError):
            # A model whose patterns or mode the memo cannot reproduce, or a spaCy whose component
            # internals differ from 3.8's: keep the stock component (a test checks 3.8 is memoized).
            continue
        nlp.disable_pipe(stock_name)
        replaced.append(stock_name)
    return replaced
