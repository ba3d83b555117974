"""Gendered pronouns resolve to a person of that gender when the article says who is (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.events import extract_events
from extractors.person_gender import GenderLexiconError, load_gender_lexicon, name_gender
from extractors.schema import Article
from extractors.timex import tag_timexes


def _actors(nlp, text: str, trigger: str) -> tuple[str, ...]:
    article = Article(doc_id="a", path="a.txt", body=text, publication_date=dt.date(2008, 5, 20))
    doc = nlp(text)
    found = [m for m in extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))
             if m.trigger == trigger]
    assert found, [m.trigger for m in extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))]
    return found[-1].actors


@pytest.mark.parametrize(("text", "trigger", "actor", "not_actor"), [
    # The rep is named last; "she" is the actress the article named as one.
    ("Actress Tara Reid has entered a rehab facility in Malibu. Her representative Jack Ketsoyan confirmed "
     "the stay to People on Tuesday. \"She checked in herself,\" a friend said.", "checked in", "Tara Reid", "Jack Ketsoyan"),
    ("Mrs. Anna Berg met the mayor, Tom Hale, on Monday. She resigned from the council on Friday.",
     "resigned", "Anna Berg", "Tom Hale"),
    # "He" is not the woman named last.
    ("Mr. Paul Ortiz praised Queen Margrethe on Monday. He resigned from the board on Friday.",
     "resigned", "Paul Ortiz", "Margrethe"),
])
def test_person_gender_pronoun_takes_person_of_its_gender(nlp, text, trigger, actor, not_actor):
    actors = _actors(nlp, text, trigger)
    assert any(actor in a or a in actor for a in actors), actors
    assert not any(not_actor in a for a in actors), actors


def test_person_gender_a_speakers_pronoun_tells_the_speakers_gender(nlp):
    # "he said" of the person quoted last makes him a man: "she" later is not him.
    text = ("Tara Reid has entered a rehab facility in Malibu. Her representative Jack Ketsoyan confirmed the "
            "stay to People. \"We appreciate your respect for her privacy,\" he said in a statement. "
            "She arrived there on Tuesday.")
    actors = _actors(nlp, text, "arrived")
    assert any("Reid" in a for a in actors), actors
    assert not any("Ketsoyan" in a for a in actors), actors


def test_person_gender_without_gendered_words_the_subject_rule_stands(nlp):
    # No gendered word: the last person who was a subject, as before.
    actors = _actors(nlp, "Jack Ketsoyan met Tara Reid on Monday. She resigned from the board on Friday.", "resigned")
    assert any("Ketsoyan" in a for a in actors), actors


def test_person_gender_reads_titles_and_appositions(nlp):
    lex = load_gender_lexicon()
    doc = nlp("The actress, Tara Reid, met Mr. Paul Ortiz and chairwoman Ann Lee.")
    spans = {e.text: e for e in doc.ents if e.label_ == "PERSON"}
    assert name_gender(spans["Tara Reid"], lex) == "female"
    assert name_gender(spans["Paul Ortiz"], lex) == "male"
    assert name_gender(spans["Ann Lee"], lex) == "female"


def test_person_gender_lexicon_rejects_a_word_listed_twice(monkeypatch):
    import extractors.person_gender as pg

    monkeypatch.setattr(pg, "load_yaml", lambda _: {"female": ["actress"], "male": ["actress"], "window_sentences": 3,
                                                     "pronouns": {"female": ["she"], "male": ["he"]}})
    pg.load_gender_lexicon.cache_clear()
    try:
        with pytest.raises(GenderLexiconError):
            pg.load_gender_lexicon()
    finally:
        pg.load_gender_lexicon.cache_clear()
