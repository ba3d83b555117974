"""One index's timeline from a market story (sentences written for this test, no corpus text):
every movement and session event of the index is found with the index as participant and dated,
through "the index", "stocks", "shares", "trading" and "it"."""

from __future__ import annotations

import datetime as dt

from extractors.entity_match import matches
from extractors.events import extract_events
from extractors.schema import Article
from extractors.timex import tag_timexes

STORY = (
    "The Hang Seng index fell 2.1 percent on Monday as property developers slid.\n\n"
    "Stocks rebounded on Tuesday. The index closed at 24,310 on Tuesday. It gained another 1.4 percent on Wednesday.\n\n"
    "Trading was halted for an hour on Thursday after a typhoon warning. Shares closed at a record on Friday.\n\n"
    "Shares of Lenovo rose 3 percent on Friday."
)


def test_market_story_index_timeline(nlp):
    doc = nlp(STORY)
    article = Article("m", "m", STORY, publication_date=dt.date(2021, 3, 6), publication_date_source="metadata")
    events = extract_events(article, doc, tag_timexes(STORY, article.publication_date, doc=doc))
    index_events = {(e.trigger, e.date.value) for e in events
                    if e.type == "market" and any(matches("Hang Seng", a) for a in e.actors)}
    assert index_events >= {("fell", "2021-03-01"), ("rebounded", "2021-03-02"), ("closed", "2021-03-02"),
                            ("gained", "2021-03-03"), ("halted", "2021-03-04"), ("closed", "2021-03-05")}
    # Lenovo's shares are Lenovo's, not the index's.
    assert ("rose", "2021-03-05") not in index_events
