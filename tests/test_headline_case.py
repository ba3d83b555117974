"""Verbs of title-case headlines (`extractors/headline_case.py`): the parser reads them as proper
nouns; an inflected taxonomy verb there is an event of the verb's type."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.events import extract_events
from extractors.headline_case import inflection_bases
from extractors.schema import Article
from extractors.timex import tag_timexes


def _events(nlp, text: str):
    doc = nlp(text)
    article = Article("t", "t", text, publication_date=dt.date(2013, 5, 3), publication_date_source="metadata")
    return extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))


@pytest.mark.parametrize("text,trigger,lemma,type_", [
    ("Lindsay Lohan Checks Into Rehab Again\n\nThe actress is in rehab.", "Checks Into", "check into", "health"),
    ("LINDSAY LOHAN CHECKS INTO REHAB\n\nThe actress is in rehab.", "CHECKS INTO", "check into", "health"),
    ("Legendary Aquatic Star Esther Williams Dies At 91\n\nShe was 91.", "Dies", "die", "retirement"),
    ("Dow Rallies As Oil Prices Tumble\n\nStocks rose on Friday.", "Rallies", "rally", "market"),
])
def test_headline_case_verb_is_an_event(nlp, text, trigger, lemma, type_):
    found = {e.trigger: e for e in _events(nlp, text)}
    assert trigger in found
    assert (found[trigger].trigger_lemma, found[trigger].type) == (lemma, type_)


@pytest.mark.parametrize("text,word", [
    ("Burns Night Celebrations Across Scotland\n\nPeople met on Friday.", "Burns"),  # first word: the subject
    ("Related Reports And Coverage\n\nPeople met on Friday.", "Reports"),  # no name before it: page furniture
    ("He met Ms. Burns in Paris on Friday.", "Burns"),  # a name in an ordinary sentence
])
def test_headline_case_names_are_not_verbs(nlp, text, word):
    assert word not in {e.trigger for e in _events(nlp, text)}


@pytest.mark.parametrize("word,base", [
    ("checks", "check"), ("dies", "die"), ("rallies", "rally"), ("fired", "fire"),
    ("slipped", "slip"), ("hosting", "host"), ("tried", "try"),
])
def test_headline_case_inflection_bases(word, base):
    assert base in inflection_bases(word)


@pytest.mark.parametrize("text,name,actors", [
    ("Esther Williams Dies At 91\nThe swimmer died on Thursday.", "Esther Williams", ("Esther Williams",)),
    ("Lindsay Lohan Checks Into Betty Ford Clinic\nThe actress is in rehab.", "Lindsay Lohan",
     ("Lindsay Lohan", "Betty Ford Clinic")),
])
def test_headline_case_verb_is_not_part_of_the_name_before_it(nlp, text, name, actors):
    # The recognizer runs the name into the verb ("Esther Williams Dies"); the participant is the name.
    from extractors.actors import ArticleNames

    assert ArticleNames.from_doc(nlp(text)).mentions[0].text == name
    (headline,) = [e for e in _events(nlp, text) if e.sentence_index == 0]
    assert headline.actors == actors


@pytest.mark.parametrize("text,names", [
    # Capitalized common words of a title, written in lower case in the text: no name.
    ("Texas Lifer Escapes Prison Van Near Houston\nA Texas inmate escaped from a prison van near Houston.",
     ["Texas", "Houston", "Texas", "Houston"]),
    ("'Hunger Games' Director Gary Ross in Tough Negotiation for Sequel\n"
     "The director Gary Ross is in negotiations for the sequel.", ["Gary Ross", "Gary Ross"]),
    # Named again, or never written otherwise: a name.
    ("LINDSAY LOHAN CHECKS INTO REHAB\nLindsay Lohan has checked into rehab.", ["LINDSAY LOHAN", "Lindsay Lohan"]),
])
def test_headline_case_names_of_a_title_line_are_confirmed_by_the_text(nlp, text, names):
    from extractors.actors import ArticleNames

    assert [m.text for m in ArticleNames.from_doc(nlp(text)).mentions] == names
