"""Gendered pronouns resolve to a person of that gender when the article or the given name says who is
(issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from loader_checks import assert_refused

from extractors.events import extract_events
from extractors.person_gender import (
    GenderLexiconError,
    given_name_gender,
    load_gender_lexicon,
    name_gender,
    parse_first_names,
)
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


@pytest.mark.parametrize(("text", "trigger", "actor", "not_actor"), [
    # No gendered word and no given name the table knows (unisex, or not English): the last person
    # who was a subject, as before.
    ("Jordan Ketsoyan met Kim Reid on Monday. She resigned from the board on Friday.", "resigned",
     "Jordan Ketsoyan", "Kim Reid"),
    ("Sydney Seiler met Taylor Reid on Monday. She resigned from the board on Friday.", "resigned",
     "Sydney Seiler", "Taylor Reid"),
    # A given name the table knows never draws "he" away from a recency choice it does not know.
    ("Kim Jong Un met Vladimir Putin on Monday. He resigned from the board on Friday.", "resigned",
     "Kim Jong Un", "Vladimir Putin"),
])
def test_person_gender_unknown_given_names_leave_the_subject_rule(nlp, text, trigger, actor, not_actor):
    actors = _actors(nlp, text, trigger)
    assert actor in actors, actors
    assert not_actor not in actors, actors


@pytest.mark.parametrize(("text", "trigger", "actor", "not_actor"), [
    # No title or role noun: the given names say Ketsoyan is a man and Reid a woman.
    ("Jack Ketsoyan met Tara Reid on Monday. She resigned from the board on Friday.", "resigned",
     "Tara Reid", "Jack Ketsoyan"),
    ("Tara Reid checked into rehab on Tuesday. Her rep Jack Ketsoyan confirmed the stay to People. "
     "She entered the clinic on Monday.", "entered", "Tara Reid", "Jack Ketsoyan"),
    # The article's "Mr." wins over the table's "Vivian" (female): "she" is Berg, not Balakrishnan,
    # and not Hale, the most recent person.
    ("Vivian Balakrishnan met Anna Berg on Monday. Mr. Balakrishnan thanked Tom Hale. She resigned on Friday.",
     "resigned", "Anna Berg", "Vivian Balakrishnan"),
    # Only men in the last six sentences: the woman named before them.
    ("Anna Berg, the singer, died on Thursday in Los Angeles. Her agent Mark Roesler announced the death in a "
     "statement. Roesler said the family would hold a private service. Roesler thanked the hospital staff. "
     "Hugh Hefner praised the singer on Friday. Hefner called her songs timeless. Roesler added that a book "
     "would follow. In her old age, she refused to be photographed.", "refused", "Anna Berg", "Mark Roesler"),
])
def test_person_gender_given_name_tells_gender_when_the_article_does_not(nlp, text, trigger, actor, not_actor):
    actors = _actors(nlp, text, trigger)
    assert actor in actors, actors
    assert not_actor not in actors, actors


@pytest.mark.parametrize(("name", "gender"), [
    ("Jack Ketsoyan", "male"), ("Tara Reid", "female"), ("Vladimir Putin", "male"), ("Mary Ann Lee", "female"),
    ("Reid", None),  # a family name alone
    ("Jack", None),  # a given name alone may be anyone's nickname or a family name
    ("Kim Jong Un", None), ("Jordan Ketsoyan", None), ("Sydney Seiler", None), ("Taylor Reid", None),  # unisex
    ("Lu Kang", None), ("Andrea Pirlo", None),  # a family name written first; a man's name in Italian
    ("Judge Jeanine Pirro", None), ("General Mark Milley", None),  # titles
    ("Shinzo Abe", None), ("Xi Jinping", None),  # names the table does not know
])
def test_person_gender_given_name_gender(name, gender):
    assert given_name_gender(name, load_gender_lexicon()) == gender


def test_person_gender_shipped_first_names_leave_out_unisex_names():
    names = load_gender_lexicon().first_names
    assert 3000 < len(names) < 6000
    assert {"sydney", "jordan", "taylor", "kim", "lee", "jean", "casey"}.isdisjoint(names)
    assert (names["tara"], names["jack"], names["angela"], names["donald"]) == ("female", "male", "female", "male")


@pytest.mark.parametrize("text", [
    "tara female\n",  # not tab-separated
    "tara\tf\n",  # not female or male
    "Tara\tfemale\n",  # not lower case
    "tara\tfemale\ntara\tmale\n",  # twice
    "actress\tfemale\n",  # a role noun of gender.yaml
    "# only a comment\n",  # empty
])
def test_person_gender_first_names_loader_refuses_a_malformed_table(text):
    with pytest.raises(GenderLexiconError):
        parse_first_names(text, load_gender_lexicon().words)


def test_person_gender_reads_titles_and_appositions(nlp):
    lex = load_gender_lexicon()
    doc = nlp("The actress, Tara Reid, met Mr. Paul Ortiz and chairwoman Ann Lee.")
    spans = {e.text: e for e in doc.ents if e.label_ == "PERSON"}
    assert name_gender(spans["Tara Reid"], lex) == "female"
    assert name_gender(spans["Paul Ortiz"], lex) == "male"
    assert name_gender(spans["Ann Lee"], lex) == "female"


@pytest.mark.parametrize(("replaced", "content", "message"), [
    ("load_yaml", {"female": ["actress"], "male": ["actress"], "window_sentences": 3,
                   "pronouns": {"female": ["she"], "male": ["he"]}}, "listed twice"),
    ("read_text", "# header\njack\tmale\nkim\tunknown\n", "first_names.tsv line 3"),
])
def test_person_gender_lexicon_refuses_a_malformed_file(monkeypatch, replaced, content, message):
    import extractors.person_gender as pg

    assert_refused(monkeypatch, pg, replaced, content, pg.load_gender_lexicon, GenderLexiconError, message)


def _build_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_first_name_genders.py"
    spec = importlib.util.spec_from_file_location("build_first_name_genders", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_person_gender_build_keeps_frequent_names_of_one_sex(tmp_path):
    import gzip

    build = _build_script()
    rows = ["first_name,sex,count,year_of_birth",
            "tara,f,2990,1975", "tara,m,10,1975",  # 99.7 % female
            "jordan,f,3000,1990", "jordan,m,7000,1990",  # unisex
            "rarely,m,1999,1990",  # too few
            "oldname,m,90000,1900",  # born before the years counted
            "judge,m,5000,1950", "lu,f,4000,1960", "andrea,f,9000,1970"]  # title, family name, Italian man
    source = tmp_path / "counts.csv.gz"
    with gzip.open(source, "wt", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    counts = build.read_counts(source, 1920, 2005)
    assert "oldname" not in counts
    assert build.first_name_genders(counts, 2000, 0.97, build.excluded_words()) == {"tara": "female"}
    # The shipped table is one this script can have written: none of the words it leaves out.
    assert build.excluded_words().isdisjoint(load_gender_lexicon().first_names)
