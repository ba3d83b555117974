"""Participant names: comparison keys and within-article resolution to the fullest name."""

from __future__ import annotations

import pytest

from extractors.actors import ArticleNames, clean_name, normalize_name


@pytest.mark.parametrize("a,b", [
    ("Kim Jong-un", "Kim Jong Un"),
    ("KIM JONG UN", "Kim Jong Un"),
    ("Kim Jong‐un", "kim jong un"),  # a Unicode hyphen
    ("North Korea’s", "North Korea"),
    ("the Kremlin", "Kremlin"),
    ("President Vladimir Putin", "Vladimir Putin"),
    ("Zelenskyy", "Zelenskyy"),
    ("Ali Khamene'i", "Ali Khamene i"),
    ("Bašić", "Basic"),
])
def test_actors_normalize_name_equal(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize("a,b", [
    ("Kim Jong Un", "Kim Yo Jong"),
    ("Apple Inc.", "Apple Corps"),
    ("North Korea", "South Korea"),
])
def test_actors_normalize_name_different(a, b):
    assert normalize_name(a) != normalize_name(b)


@pytest.mark.parametrize("raw,clean", [
    ("the US National Intelligence Council", "US National Intelligence Council"),
    ("North Korea’s", "North Korea"),
    ("N. Korea-", "N. Korea"),
    ("Apple Inc.", "Apple Inc."),
])
def test_actors_clean_name(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize("text,short,label,full", [
    ("Sydney Seiler, a former intelligence officer, spoke on Thursday. Seiler said the talks were advancing.",
     "Seiler", "PERSON", "Sydney Seiler"),
    ("North Korean leader Kim Jong Un plans to visit Russia. Officials warned Kim on Tuesday.",
     "Kim", "PERSON", "Kim Jong Un"),
    ("Washington imposed sanctions. Officials in Washington said more would follow.", "Washington", "GPE",
     "Washington"),
])
def test_actors_resolve_to_fullest_name(nlp, text, short, label, full):
    names = ArticleNames.from_doc(nlp(text))
    assert names.canonical(short, label) == full
    assert any(m.text == short and m.canonical == full for m in names.mentions)


def test_actors_ambiguous_short_name_is_kept(nlp):
    text = ("Apple Corps sued Apple Inc. in London. Apple Corps, the Beatles' company, said Apple Inc. "
            "had broken a 1991 agreement. Apple said it would appeal.")
    names = ArticleNames.from_doc(nlp(text))
    bare = [m for m in names.mentions if m.text == "Apple"]
    assert bare and all(m.canonical == "Apple" for m in bare)


def _with_ents(nlp, text: str, ents: list[tuple[str, str]]):
    """A doc with the given entities (in text order), whatever the model predicts."""
    doc = nlp.make_doc(text)
    spans, end = [], 0
    for surface, label in ents:
        start = text.index(surface, end)
        end = start + len(surface)
        span = doc.char_span(start, end, label=label)
        assert span is not None, surface
        spans.append(span)
    doc.ents = spans
    return doc


@pytest.mark.parametrize("text,ents,surface,label,canonical", [
    # The recognizer labels a bare surname ORG: the article's person it is the surname of.
    ("Steve Jobs announced a leave. It is the third time that Jobs has taken leave.",
     [("Steve Jobs", "PERSON"), ("Jobs", "ORG")], "Jobs", "PERSON", "Steve Jobs"),
    ("Tim Cook will run Apple. Cook said the products are ready.",
     [("Tim Cook", "PERSON"), ("Apple", "ORG"), ("Cook", "PRODUCT")], "Cook", "PERSON", "Tim Cook"),
    # A place keeps its label: Jordan the country is not Michael Jordan.
    ("Michael Jordan visited Jordan.", [("Michael Jordan", "PERSON"), ("Jordan", "GPE")], "Jordan", "GPE", "Jordan"),
    # An acronym is an organization even when a person's name ends with it.
    ("Kim Jong Un spoke. The UN said he would travel.", [("Kim Jong Un", "PERSON"), ("UN", "ORG")], "UN", "ORG", "UN"),
    # A company named after its founder, treated as a company by the article, stays one.
    ("Bill Ford said Ford will cut jobs. Ford Motor shares fell.",
     [("Bill Ford", "PERSON"), ("Ford", "ORG"), ("Ford Motor", "ORG")], "Ford", "ORG", "Ford Motor"),
    # An organization that is not a person's name stays one.
    ("Steve Jobs left Apple.", [("Steve Jobs", "PERSON"), ("Apple", "ORG")], "Apple", "ORG", "Apple"),
])
def test_actors_person_labels_agree_within_article(nlp, text, ents, surface, label, canonical):
    names = ArticleNames.from_doc(_with_ents(nlp, text, ents))
    last = [m for m in names.mentions if m.text == surface][-1]
    assert (last.label, last.canonical) == (label, canonical)
