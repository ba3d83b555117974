"""Recurring events (merge.yaml `recurring`): daily market reports name the same index with the same
verbs every day; each day's move is its own timeline entry, dated by its own article.

The articles are written for this test (three days of closing reports, one morning report of the
day before), not taken from a corpus."""

from __future__ import annotations

import datetime as dt

from extractors.merge import merge_mentions
from extractors.pipeline import extract_articles
from extractors.schema import Article

REPORTS = {
    dt.date(2006, 11, 7): "Kuala Lumpur stocks close higher\n\n"
                          "The benchmark Kuala Lumpur Composite Index rose 9.98 points to close at 1,003.28 points. "
                          "Losers led gainers by 675 to 172.",
    dt.date(2006, 11, 8): "Kuala Lumpur stocks close higher\n\n"
                          "The benchmark Kuala Lumpur Composite Index rose 4.01 points to close at 1,007.29 points. "
                          "Gainers led losers by 419 to 389.",
    dt.date(2006, 11, 9): "Kuala Lumpur stocks close lower\n\n"
                          "The benchmark Kuala Lumpur Composite Index fell 2.15 points to close at 1,005.14 points. "
                          "Losers led gainers by 501 to 287.",
}


def _articles(reports: dict[dt.date, str]) -> list[Article]:
    return [Article(f"klci-{day.isoformat()}", f"klci-{day.isoformat()}.txt", text, publication_date=day,
                    publication_date_source="metadata") for day, text in reports.items()]


def _index_moves(nlp, reports: dict[dt.date, str]):
    mentions = [m for x in extract_articles(_articles(reports), nlp) for m in x.mentions]
    entries = merge_mentions(mentions)
    return [e for e in entries if e.type == "market" and any("Composite Index" in a for a in e.actors)]


def test_each_days_index_move_is_its_own_entry(nlp):
    moves = _index_moves(nlp, REPORTS)
    docs_of = [{s.doc_id for s in e.sources} for e in moves]
    # No entry holds two days' reports...
    assert all(len(docs) == 1 for docs in docs_of), docs_of
    # ...and every day's report has its move.
    assert {d for docs in docs_of for d in docs} == {f"klci-{day.isoformat()}" for day in REPORTS}
    rises = [e for e in moves if e.trigger in ("rose", "fell")]
    assert sorted({s.doc_id for e in rises for s in e.sources}) == sorted(f"klci-{d.isoformat()}" for d in REPORTS)


def test_a_dated_retelling_joins_its_day_not_the_next(nlp):
    reports = dict(REPORTS)
    # A morning report of the 10th tells the 9th's close by its weekday.
    reports[dt.date(2006, 11, 10)] = ("Asian markets open mixed\n\n"
                                      "On Thursday, the benchmark Kuala Lumpur Composite Index fell 2.15 points to close "
                                      "at 1,005.14 points.")
    moves = _index_moves(nlp, reports)
    fell = [e for e in moves if e.trigger == "fell"]
    joined = [e for e in fell if {s.doc_id for s in e.sources} == {"klci-2006-11-09", "klci-2006-11-10"}]
    assert joined, [(e.trigger, e.date.value, sorted({s.doc_id for s in e.sources})) for e in fell]
    assert joined[0].date.value == "2006-11-09"
    # The rises of the 7th and 8th stay apart from it and from each other.
    rose = [e for e in moves if e.trigger == "rose"]
    assert all(len({s.doc_id for s in e.sources}) == 1 for e in rose)
