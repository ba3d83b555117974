"""Publication dates as the extraction step sets them: asserted from the text, bounded, anchored."""

from __future__ import annotations

import datetime as dt

from extractors import pipeline
from extractors.schema import Article

D = dt.date


def _extract(nlp, body: str) -> pipeline.ArticleExtraction:
    (result,) = pipeline.extract_articles([Article(doc_id="a", path="a.txt", body=body)], nlp)
    return result


def test_pubdate_pipeline_background_date_only_bounds_the_article(nlp) -> None:
    body = ("Stocks fell in Tokyo.\n\nThe index, re-based on Sept. 6, 2004, fell 1.2 percent on Tuesday. "
            "Last month the central bank raised its key rate, and traders sold shares.")
    result = _extract(nlp, body)
    article = result.article
    assert (article.publication_date, article.publication_date_source) == (None, "bounded")
    assert article.publication_date_earliest == D(2004, 9, 6)
    assert "Sept. 6, 2004" in (article.publication_date_evidence or "")
    # The article's own timexes are not resolved against the bound: no invented day.
    values = {t.text: t.value for t in result.timexes}
    assert values["Tuesday"] == "XXXX-WXX-2" and values["Sept. 6, 2004"] == "2004-09-06"
    # Events dated by a relative expression are "on or after" the earliest they can be.
    raised = [m for m in result.mentions if m.trigger_lemma == "raise"]
    assert raised and raised[0].date.mod == "ON_OR_AFTER" and raised[0].date.end is None
    assert raised[0].date.start == D(2004, 8, 1)
    assert all(m.date.basis != "tense" for m in result.mentions)


def test_pubdate_pipeline_weekday_with_its_date_fixes_the_year(nlp) -> None:
    body = ("UN school shelled in Gaza\n\nIsraeli tanks shelled a UN school in Jabaliya on Tuesday (6 January), "
            "killing at least 40 people. The offensive began on 27 December 2008.")
    article = _extract(nlp, body).article
    assert (article.publication_date, article.publication_date_source) == (D(2009, 1, 6), "text")


def test_pubdate_pipeline_date_line_after_the_title(nlp) -> None:
    body = "Apple introduces new iPod\n\nOctober 13 , 2005\n\nOn Wednesday, Apple introduced an iPod that plays video."
    article = _extract(nlp, body).article
    assert (article.publication_date, article.publication_date_source) == (D(2005, 10, 13), "text")
    assert article.publication_date_evidence == "October 13 , 2005"
