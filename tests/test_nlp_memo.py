"""The memoized attribute ruler and lemmatizer give exactly the stock components' annotations."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

from extractors import nlp_memo
from extractors.nlp import add_line_breaks, load_nlp, resolve_model_name

ANNOTATIONS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]

# Each line exercises a kind of attribute-ruler pattern: multi-token ones ("gon na", "there is",
# "y'all", "let's", "c'mon", "ai n't"), word-specific ones (pronouns, determiners, modals,
# "'d"), space tokens with and without a dependency label, and one-token exceptions ("gets").
SENTENCES = [
    "We're gonna meet them on Thursday, y'all, and there is nothing they can do.",
    "Let's go. C'mon, he ain't here and I'd say she isn't either.",
    "Everyone gets what they got: something for somebody, anything for anybody.",
    "Kim Jong Un will travel to Vladivostok.\n\n\nPutin met him   on Sept. 13, 2023.",
    "That is the plan that those officials would approve, whether or not it works.",
    "  \n Leading spaces, then a headline\n\nFollowed by  a  body.  ",
    "Sanctions were imposed; the U.S. said it had \"no choice\" — and Russia denied it.",
    "",
    "\n",
]


@pytest.fixture(scope="module")
def stock_nlp():
    return load_nlp(memoized=False)


def _assert_same(stock, memo, texts):
    for text, expected, got in zip(texts, stock.pipe(texts), memo.pipe(texts), strict=True):
        same = numpy.array_equal(expected.to_array(ANNOTATIONS), got.to_array(ANNOTATIONS))
        assert same, [text[:60]] + [(t.text, t.pos_, str(t.morph), t.lemma_, u.pos_, str(u.morph), u.lemma_)
                      for t, u in zip(expected, got, strict=True)
                      if (t.pos_, str(t.morph), t.lemma_) != (u.pos_, str(u.morph), u.lemma_)]


def test_nlp_memo_replaces_stock_components(nlp):
    assert "memoized_attribute_ruler" in nlp.pipe_names and "memoized_lemmatizer" in nlp.pipe_names
    assert "attribute_ruler" not in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names
    assert set(nlp.disabled) >= {"attribute_ruler", "lemmatizer"}


def test_nlp_memo_same_annotations_on_constructed_sentences(nlp, stock_nlp):
    # Twice: the second pass answers from the memo.
    _assert_same(stock_nlp, nlp, SENTENCES)
    _assert_same(stock_nlp, nlp, SENTENCES)


def test_nlp_memo_same_annotations_on_seeds(nlp, stock_nlp, seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    assert texts
    _assert_same(stock_nlp, nlp, texts)


def test_nlp_memo_rule_results_are_readable_attributes(nlp):
    doc = nlp("We're gonna go, y'all. There is a man. He gets it.")
    by_text = {t.text: t for t in doc}
    assert by_text["gon"].lemma_ == "go" and by_text["na"].lemma_ == "to"
    assert by_text["is"].pos_ == "VERB"  # "there is": a multi-token pattern
    assert by_text["gets"].lemma_ == "get"
    assert by_text["He"].lemma_ == "he" and "Case=Nom" in str(by_text["He"].morph)


def test_nlp_memo_keeps_stock_component_it_cannot_reproduce():
    nlp = spacy.load(resolve_model_name())
    # A pattern on LENGTH makes the ruler's result depend on more than (text, tag, dependency)
    # in general; the memo refuses rather than guess.
    nlp.get_pipe("attribute_ruler").add([[{"LENGTH": 3, "TAG": "NN"}]], {"POS": "X"})
    assert nlp_memo.install(nlp) == ["lemmatizer"]
    assert "attribute_ruler" in nlp.pipe_names
    assert nlp("The cat sat on the mat.")[1].pos_ == "X"


def test_nlp_memo_stays_bounded_and_exact(monkeypatch, stock_nlp):
    memo = add_line_breaks(spacy.load(resolve_model_name()))  # as load_nlp builds the stock pipeline
    assert nlp_memo.install(memo) == ["attribute_ruler", "lemmatizer"]
    monkeypatch.setattr(nlp_memo, "MAX_MEMO_ENTRIES", 5)
    _assert_same(stock_nlp, memo, SENTENCES)
    ruler = memo.get_pipe("memoized_attribute_ruler")
    lemmatizer = memo.get_pipe("memoized_lemmatizer")
    assert 0 < len(ruler._result) <= 5 and 0 < len(lemmatizer._lemma) <= 5
