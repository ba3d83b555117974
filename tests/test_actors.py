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
