"""Sentences end at the line breaks that end a headline, a date line or a paragraph (extractors.line_breaks)."""

from __future__ import annotations

import datetime as dt

from extractors.events import extract_events, sentences
from extractors.line_breaks import line_sentence_starts
from extractors.schema import Article
from extractors.timex import tag_timexes

HEADLINE_TEXT = ("Lindsay Lohan Leaves Betty Ford, Checks Into Malibu Rehab\n"
                 "First Published: June 13, 2013 4:59 PM EDT\n"
                 "Lindsay Lohan has left the Betty Ford Center and checked into a rehab facility in Malibu.\n")

WRAPPED_TEXT = ("The warship immediately changed its route and challenged\n"
                "the pirates ferrying the suspicious vessels. The pirates\n"
                "tried to reverse the course of the boats and tried to\n"
                "flee. Officials in New\n"
                "Delhi said the navy would\n"
                "continue to patrol the Gulf.\n")


def _sentences(nlp, text: str) -> list[str]:
    return [s.text.strip() for s in sentences(nlp(text))]


def test_headline_date_line_and_lead_are_three_sentences(nlp):
    assert _sentences(nlp, HEADLINE_TEXT) == [
        "Lindsay Lohan Leaves Betty Ford, Checks Into Malibu Rehab",
        "First Published: June 13, 2013 4:59 PM EDT",
        "Lindsay Lohan has left the Betty Ford Center and checked into a rehab facility in Malibu.",
    ]


def test_hard_wrapped_text_keeps_its_sentences_across_lines(nlp):
    found = _sentences(nlp, WRAPPED_TEXT)
    assert found[0] == "The warship immediately changed its route and challenged\nthe pirates ferrying the suspicious vessels."
    # "Officials in New / Delhi" is one name across a wrapped line, not a sentence end.
    assert found[-1].startswith("Officials in New\nDelhi said")
    assert line_sentence_starts(nlp(WRAPPED_TEXT)) == []


def test_a_line_that_reads_on_is_not_cut(nlp):
    text = "Police said the pirates were ferrying the\nSomali vessels to the coast.\nThe navy gave chase.\n"
    assert _sentences(nlp, text) == ["Police said the pirates were ferrying the\nSomali vessels to the coast.",
                                     "The navy gave chase."]


def test_a_title_line_without_a_verb_states_its_event(nlp):
    text = "Major fire at Waitrose in Wellington\nSunday, July 21, 2013\nCrews fought a blaze at the store this morning.\n"
    article = Article(doc_id="t", path="t.txt", body=text, publication_date=dt.date(2013, 7, 21),
                      publication_date_source="metadata")
    doc = nlp(text)
    mentions = extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))
    headline = [m for m in mentions if m.sentence_index == 0]
    assert [(m.trigger, m.type) for m in headline] == [("fire", "disaster")]
    assert headline[0].sentence.strip() == "Major fire at Waitrose in Wellington"
    # The date line is no event, and the lead's blaze is told in a sentence of its own.
    assert not [m for m in mentions if m.sentence_index == 1]
    assert ("blaze", 2) in {(m.trigger, m.sentence_index) for m in mentions}
