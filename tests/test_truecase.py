"""Title-case headlines parsed in sentence case (`extractors/truecase.py`): the parser reads a
title-case line's capitalized words as proper nouns and finds no verb; re-cased for the parse, the
line's verbs and event nouns are events, while every text the extractors give back keeps the
article's own case."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.events import extract_events
from extractors.schema import Article
from extractors.timex import tag_timexes
from extractors.truecase import TRUECASE_COMPONENT, inflection_bases


def _events(nlp, text: str):
    doc = nlp(text)
    article = Article("t", "t", text, publication_date=dt.date(2013, 5, 3), publication_date_source="metadata")
    return extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))


def _recased_first_line(nlp, text: str) -> str | None:
    doc = nlp.make_doc(text)
    words = nlp.get_pipe(TRUECASE_COMPONENT).truecaser.words(doc)
    if words is None:
        return None
    return "".join(w + t.whitespace_ for w, t in zip(words, doc, strict=True)).split("\n")[0]


@pytest.mark.parametrize("text,recased", [
    # A name the article writes capitalized after another word stays ("Promises" the clinic); the
    # common words it writes in lower case, or nowhere, go lower case; the first word keeps its capital.
    ("Tara Reid Checks Into Promises Clinic\n\nActress Tara Reid entered Promises on Friday, her rep said.",
     "Tara Reid checks into Promises clinic"),
    # Acronyms and mixed-case words keep their case; months and weekdays their capital.
    ("US Envoy Praises iPhone Maker On Monday\n\nThe envoy met the company's executives.",
     "US envoy praises iPhone maker on Monday"),
    # A line in capitals: the article's acronyms stay, the rest reads as a sentence.
    ("SENATE PASSES NASA BUDGET BILL\n\nThe Senate passed the bill, NASA said.", "Senate passes NASA budget bill"),
    # A given name and the surname after it, written nowhere else, are a person's name.
    ("Mayor Says Jane Hollister Resigns\n\nThe mayor spoke on Friday.", "Mayor says Jane Hollister resigns"),
    # ... but a function word, an adverb or a verb form after a given name is no surname ("Brooklyn").
    ("Riot Breaks Out In Brooklyn During Vigil\n\nThe riot in Brooklyn began at night.",
     "Riot breaks out in Brooklyn during vigil"),
    # Written more often in lower case than capitalized after a word: a common word.
    ("Court Blocks Sale Of Museum Building\n\nThe court said the museum sold it, the Museum said the "
     "museum did not.", "Court blocks sale of museum building"),
])
def test_truecase_recases_a_title_line_as_a_sentence(nlp, text, recased):
    assert _recased_first_line(nlp, text) == recased


@pytest.mark.parametrize("text", [
    "Tara Reid Checks Into Rehab",  # no text in sentence case to read the article's case from
    "Tara Reid checked into rehab on Friday.\nHer rep confirmed it.",  # no title line
    "Prices of Oil and Gold\n\nThey rose.",  # a lower-case content word ("of" is short, "and" too; but 2 long words)
])
def test_truecase_leaves_other_texts_alone(nlp, text):
    assert _recased_first_line(nlp, text) is None


def test_truecase_parse_keeps_the_original_text(nlp):
    text = "Tara Reid Checks Into Rehab\n\nActress Tara Reid has checked into Promises. Her rep said Reid entered rehab."
    doc = nlp(text)
    assert doc.text == text
    headline = doc[:5]
    assert [t.text for t in headline] == ["Tara", "Reid", "Checks", "Into", "Rehab"]
    assert [t.pos_ for t in headline[2:5]] == ["VERB", "ADP", "NOUN"]
    assert (headline[2].lemma_, headline[1].lemma_) == ("check", "Reid")
    assert [(e.text, e.label_) for e in doc.ents][0] == ("Tara Reid", "PERSON")
    assert [s.text for s in doc.sents][0] == "Tara Reid Checks Into Rehab\n\n"


@pytest.mark.parametrize("text,trigger,lemma,type_", [
    ("Lindsay Lohan Checks Into Rehab Again\n\nThe actress is in rehab.", "Checks Into", "check into", "health"),
    ("LINDSAY LOHAN CHECKS INTO REHAB\n\nThe actress is in rehab.", "CHECKS INTO", "check into", "health"),
    ("Legendary Aquatic Star Esther Williams Dies At 91\n\nShe was 91.", "Dies", "die", "retirement"),
    ("Dow Rallies As Oil Prices Tumble\n\nStocks rose on Friday.", "Tumble", "tumble", "market"),
    # Verbs outside the taxonomy, found by the parse once the line reads as a sentence.
    ("Storm Batters Fishing Villages Along Coast\n\nA storm battered fishing villages on Monday, officials said.",
     "Batters", "batter", "other"),
    ("FACTORY WORKERS WALK OUT OVER PAY\n\nWorkers at the factory walked out on Monday.", "WALK", "walk", "other"),
])
def test_truecase_headline_verb_is_an_event(nlp, text, trigger, lemma, type_):
    found = {e.trigger: e for e in _events(nlp, text) if e.sentence_index == 0}
    assert trigger in found
    assert (found[trigger].trigger_lemma, found[trigger].type) == (lemma, type_)


@pytest.mark.parametrize("text,word", [
    ("Burns Night Celebrations Across Scotland\n\nPeople met on Friday.", "Night"),  # nouns of a title
    ("Related Stories And Coverage\n\nPeople met on Friday.", "Stories"),  # page furniture
    ("He met Ms. Burns in Paris on Friday.", "Burns"),  # a name in an ordinary sentence
])
def test_truecase_names_and_nouns_are_not_verbs(nlp, text, word):
    assert word not in {e.trigger for e in _events(nlp, text)}


@pytest.mark.parametrize("word,base", [
    ("checks", "check"), ("dies", "die"), ("rallies", "rally"), ("fired", "fire"),
    ("slipped", "slip"), ("hosting", "host"), ("tried", "try"),
])
def test_truecase_inflection_bases(word, base):
    assert base in inflection_bases(word)


@pytest.mark.parametrize("text,name,actors", [
    ("Esther Williams Dies At 91\nThe swimmer died on Thursday.", "Esther Williams", ("Esther Williams",)),
    ("Lindsay Lohan Checks Into Betty Ford Clinic\nThe actress Lindsay Lohan is in rehab at Betty Ford.",
     "Lindsay Lohan", ("Lindsay Lohan", "Betty Ford")),
])
def test_truecase_headline_participants_keep_their_written_names(nlp, text, name, actors):
    # The verb is no longer run into the name ("Esther Williams Dies"); names are given as written.
    from extractors.actors import ArticleNames

    assert name in [m.text for m in ArticleNames.from_doc(nlp(text)).mentions]
    (headline,) = [e for e in _events(nlp, text) if e.sentence_index == 0 and e.trigger[:1].isupper()
                   and e.trigger not in name]
    assert headline.actors == actors
    assert headline.summary == headline.summary.strip() and headline.summary in text.split("\n")[0]


@pytest.mark.parametrize("text,names", [
    # Capitalized common words of a title, written in lower case in the text: no name.
    ("Texas Lifer Escapes Prison Van Near Houston\nA Texas inmate escaped from a prison van near Houston.",
     ["Texas", "Houston", "Texas", "Houston"]),
    ("'Hunger Games' Director Gary Ross in Tough Negotiation for Sequel\n"
     "The director Gary Ross is in negotiations for the sequel.", ["Gary Ross", "Gary Ross"]),
    # Named again: a name, as written.
    ("LINDSAY LOHAN CHECKS INTO REHAB\nLindsay Lohan has checked into rehab.", ["LINDSAY LOHAN", "Lindsay Lohan"]),
])
def test_truecase_names_of_a_title_line_are_confirmed_by_the_text(nlp, text, names):
    from extractors.actors import ArticleNames

    assert [m.text for m in ArticleNames.from_doc(nlp(text)).mentions] == names


def test_truecase_pipeline_without_a_parser_keeps_words_and_sentences():
    # A pipeline with no parser: the sentence starts of the re-cased parse are what is copied.
    import spacy

    from extractors.truecase import add_truecasing

    nlp = add_truecasing(spacy.blank("en"))
    nlp.add_pipe("sentencizer", before="timeline_restore_case")
    text = "Mayor Says Jane Hollister Resigns. Aides Agree.\n\nThe mayor spoke on Friday. Aides agreed."
    assert nlp.get_pipe(TRUECASE_COMPONENT).truecaser.words(nlp.make_doc(text))[1] == "says"
    doc = nlp(text)
    assert doc.text == text and [t.text for t in doc][:5] == ["Mayor", "Says", "Jane", "Hollister", "Resigns"]
    assert [s.text.strip() for s in doc.sents][:2] == ["Mayor Says Jane Hollister Resigns.", "Aides Agree."]
    assert not doc.user_data  # the re-cased words are not carried along
