"""Publication dates from the text and estimated from the other articles of a run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from extractors.pubdate import (
    PubdateConfigError,
    apply_estimates,
    date_article_from_text,
    estimate_publication_dates,
    explain_publication_estimates,
    find_publication_date,
    load_settings,
    mark_bounded,
    mark_estimated,
    parse_settings,
    publication_date_from_text,
    read_dateline,
)
from extractors.resources import load_yaml
from extractors.schema import Article, EventDate, EventMention, Timex

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
D = dt.date


def timex(body: str, text: str, value: str, *, relative: bool = False, granularity: str = "day",
          occurrence: int = 0) -> Timex:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    day = D.fromisoformat(value) if len(value) == 10 and value[0].isdigit() else None
    return Timex(start=start, end=start + len(text), text=text, type="DATE", value=value, interval_start=day,
                 interval_end=day, granularity=granularity, relative=relative)  # type: ignore[arg-type]


# --- packaged examples -------------------------------------------------------------------------

DATELINE_EXAMPLES = [(p.name, text, expected) for p in load_settings().datelines for text, expected in p.examples]


@pytest.mark.parametrize(("name", "text", "expected"), DATELINE_EXAMPLES, ids=[f"{n}-{i}" for i, (n, *_) in enumerate(DATELINE_EXAMPLES)])
def test_pubdate_dateline_examples(name: str, text: str, expected: str) -> None:
    got_name, full, month_day = read_dateline(text)
    assert got_name == name
    if len(expected) == 10:
        assert full == D.fromisoformat(expected)
    else:
        assert full is None and month_day == tuple(int(x) for x in expected.split("-"))


@pytest.mark.parametrize("text", [c for p in load_settings().datelines for c in p.counterexamples]
                         + ["North Korea fired a missile on Tuesday.", "", "By the way, 12 people died"])
def test_pubdate_dateline_counterexamples(text: str) -> None:
    assert read_dateline(text) == ("", None, None)


@pytest.mark.parametrize(("sentence", "future"), [(e, True) for e in load_settings().future_examples]
                         + [(e, False) for e in load_settings().future_counterexamples])
def test_pubdate_future_cue_examples(sentence: str, future: bool) -> None:
    assert bool(load_settings().future_cues.search(sentence)) is future


@pytest.mark.parametrize(("patch", "message"), [
    ({"datelines": [{"name": "x", "pattern": "(", "examples": [{"text": "a", "date": "2023-01-01"}]}]}, "bad regex"),
    ({"datelines": [{"name": "x", "pattern": "\\d+", "examples": [{"text": "1", "date": "2023-01-01"}]}]}, "date"),
    ({"future_cues": {"pattern": "will"}}, "examples"),
    ({"estimate": {**load_yaml("pubdate.yaml")["estimate"], "min_similarity": 1.5}}, "min_similarity"),
    ({"estimate": {**load_yaml("pubdate.yaml")["estimate"], "min_words": 0}}, "min_words"),
])
def test_pubdate_settings_reject_bad_config(patch: dict[str, Any], message: str) -> None:
    with pytest.raises(PubdateConfigError, match=message):
        parse_settings({**load_yaml("pubdate.yaml"), **patch})


# --- from the text -----------------------------------------------------------------------------

CAPTION = ("Harris talks to Modi as they enter the room to attend the East Asia Summit in Jakarta, Indonesia, "
           "on 7 September 2023. (Photo: EPA)\n\nHarris said on Thursday it would be a huge mistake.")
FUTURE = "The summit was announced on 1 September 2023. It will be held on 12 October 2023 in Jakarta."
TWO_PAST = "Talks began on 3 August 2023. Sanctions followed on 20 August 2023. Earlier, on 1 July 2023, envoys met."
RELATIVE_ONLY = "Harris said on Thursday it would be a mistake. Last month, Washington imposed sanctions."
YEARLESS = "SEOUL, Sept. 8 (Yonhap) -- North Korea said on 6 September 2023 that it had launched a satellite."
DATELINE_FULL = "Published: 14 November 2023\nOn 7 September 2023 Harris spoke."

ANCHOR = "Israel shelled a UN school on Tuesday (6 January). The offensive began on 27 December 2008."
# 6 January 2011 is a Thursday: no Tuesday 6 January in the year after 27 December 2010.
ANCHOR_LATE = ANCHOR.replace("2008", "2010")
SPAN = "The council endorsed the mission for the January 1-October 31 2007 period."
AFTER_LEAD = ("Shanghai index rises\nThe index rose 1.2 percent on Monday.\n"
              "The index, re-based on Sept. 6, 2004, tracks 40 stocks.")
BACKGROUND = ("The index, re-based on Sept. 6, 2004, fell 1.2 percent on Tuesday.")
WEEKDAY_OTHER = "Harris spoke on 7 September 2023. On Monday she flew home."

# (name, body, timexes, date found, kind, asserted: whether it is a publication date or only a lower bound)
TEXT_CASES: list[tuple[str, str, list[Timex], D | None, str | None, bool]] = [
    ("past event told by its weekday", CAPTION, [timex(CAPTION, "7 September 2023", "2023-09-07"),
                                                 timex(CAPTION, "Thursday", "XXXX-WXX-4", relative=True)],
     D(2023, 9, 7), "past_event_weekday", True),
    ("background date with another weekday bounds only", BACKGROUND,
     [timex(BACKGROUND, "Sept. 6, 2004", "2004-09-06"), timex(BACKGROUND, "Tuesday", "XXXX-WXX-2", relative=True)],
     D(2004, 9, 6), "latest_past_event", False),
    ("a date after the lead's weekday is background", AFTER_LEAD,
     [timex(AFTER_LEAD, "Monday", "XXXX-WXX-1", relative=True), timex(AFTER_LEAD, "Sept. 6, 2004", "2004-09-06")],
     D(2004, 9, 6), "latest_past_event", False),
    ("the first weekday decides", WEEKDAY_OTHER, [timex(WEEKDAY_OTHER, "7 September 2023", "2023-09-07"),
                                                  timex(WEEKDAY_OTHER, "Monday", "XXXX-WXX-1", relative=True)],
     D(2023, 9, 7), "latest_past_event", False),
    ("future date is not evidence", FUTURE, [timex(FUTURE, "1 September 2023", "2023-09-01"),
                                             timex(FUTURE, "12 October 2023", "2023-10-12")], D(2023, 9, 1),
     "latest_past_event", False),
    ("latest of several past dates", TWO_PAST, [timex(TWO_PAST, "3 August 2023", "2023-08-03"),
                                                timex(TWO_PAST, "20 August 2023", "2023-08-20"),
                                                timex(TWO_PAST, "1 July 2023", "2023-07-01")], D(2023, 8, 20),
     "latest_past_event", False),
    ("relative dates alone give nothing", RELATIVE_ONLY, [timex(RELATIVE_ONLY, "Thursday", "XXXX-WXX-4", relative=True),
                                                          timex(RELATIVE_ONLY, "Last month", "PAST_REF", relative=True)],
     None, None, False),
    ("month-only dates give nothing", "Shoigu visited in July 2023.",
     [Timex(21, 30, "July 2023", "DATE", "2023-07", None, D(2023, 7, 1), D(2023, 7, 31), "month")], None, None, False),
    ("yearless dateline takes its year from a past event", YEARLESS, [timex(YEARLESS, "6 September 2023", "2023-09-06")],
     D(2023, 9, 8), "dateline+past_event", True),
    ("yearless dateline alone gives nothing", "SEOUL, Sept. 8 (Yonhap) -- North Korea launched a satellite.", [],
     None, None, False),
    ("full dateline beats the past event", DATELINE_FULL, [timex(DATELINE_FULL, "14 November 2023", "2023-11-14"),
                                                            timex(DATELINE_FULL, "7 September 2023", "2023-09-07")],
     D(2023, 11, 14), "dateline", True),
    ("no timexes", "Nothing dated here.", [], None, None, False),
    ("the end of a span is not reported as past", SPAN, [timex(SPAN, "October 31 2007", "2007-10-31")], None, None, False),
    ("a weekday's explicit date takes its year from the past event", ANCHOR,
     [timex(ANCHOR, "Tuesday", "XXXX-01-06", relative=True), timex(ANCHOR, "6 January", "XXXX-01-06", relative=True),
      timex(ANCHOR, "27 December 2008", "2008-12-27")], D(2009, 1, 6), "weekday_anchor+past_event", True),
    ("a weekday that does not fit its date in the year after the past event gives only the bound", ANCHOR_LATE,
     [timex(ANCHOR_LATE, "Tuesday", "XXXX-01-06", relative=True), timex(ANCHOR_LATE, "6 January", "XXXX-01-06", relative=True),
      timex(ANCHOR_LATE, "27 December 2010", "2010-12-27")], D(2010, 12, 27), "latest_past_event", False),
]


@pytest.mark.parametrize(("name", "body", "timexes", "expected", "kind", "asserted"), TEXT_CASES,
                         ids=[c[0] for c in TEXT_CASES])
def test_pubdate_from_text(name: str, body: str, timexes: list[Timex], expected: D | None, kind: str | None,
                           asserted: bool) -> None:
    found = find_publication_date(body, timexes)
    assert (found.date if found else None) == expected
    assert (found.kind if found else None) == kind
    assert publication_date_from_text(body, timexes) == (expected if asserted else None)
    dated = date_article_from_text(art("x", body), timexes)
    if expected is None:
        assert dated == art("x", body)
    elif asserted:
        assert (dated.publication_date, dated.publication_date_source, dated.publication_date_earliest) == \
            (expected, "text", None)
    else:
        assert (dated.publication_date, dated.publication_date_source, dated.publication_date_earliest) == \
            (None, "bounded", expected)
        assert dated.publication_date_evidence and "reported as past" in dated.publication_date_evidence


def test_pubdate_seed_002_caption_with_tagger() -> None:
    timex_module = pytest.importorskip("extractors.timex")
    body = (SEEDS / "002_2cd80822a07d7f9c.txt").read_text(encoding="utf-8")
    assert publication_date_from_text(body, timex_module.tag_timexes(body, None)) == D(2023, 9, 7)


# --- estimated ---------------------------------------------------------------------------------

def _seed_articles() -> list[Article]:
    dates = {"000": D(2023, 11, 6), "001": D(2023, 11, 14), "002": D(2023, 9, 7)}
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        doc = path.name[:3]
        out.append(Article(doc_id=doc, path=str(path), body=path.read_text(encoding="utf-8"),
                           publication_date=dates.get(doc), publication_date_source="header" if doc in dates else "none"))
    return out


def test_pubdate_seeds_estimated_from_shared_quotes() -> None:
    estimates = explain_publication_estimates(_seed_articles())
    assert {doc: e.date for doc, e in estimates.items()} == {"003": D(2023, 9, 7), "004": D(2023, 9, 7)}
    assert estimates["004"].basis_doc_ids[0] == "002" and estimates["004"].shared_sentences >= 1
    assert "002" in estimates["003"].describe() and estimates["003"].sentence


QUOTE = "“The worst-case scenario is that this relationship between Russia and North Korea goes to the next level,” he said."
QUOTE_2 = "The worst case scenario is that ... this relationship between Russia and North Korea goes to the next level, said Seiler."
OTHER = "A completely different story about farm subsidies in the European parliament and their effect on grain prices."
OTHER_2 = "Farm subsidies in the European parliament and their effect on grain prices, a completely different story."


BIO = "Orozco, who was arrested in 2008 after a chase through the city centre, is a former police officer."
BIO_2 = "Orozco, arrested in 2008 after a chase through the city centre, is a former police officer."


def art(doc: str, body: str, date: D | None = None, source: str | None = None) -> Article:
    return Article(doc_id=doc, path=f"{doc}.txt", body=body, publication_date=date,
                   publication_date_source=source or ("header" if date else "none"))  # type: ignore[arg-type]


ESTIMATE_CASES: list[tuple[str, list[Article], dict[str, D]]] = [
    ("shared quote", [art("a", QUOTE, D(2023, 9, 7)), art("b", QUOTE_2)], {"b": D(2023, 9, 7)}),
    ("no evidence, no estimate", [art("a", QUOTE, D(2023, 9, 7)), art("b", OTHER)], {}),
    ("no dated article, no estimate", [art("a", QUOTE), art("b", QUOTE_2)], {}),
    ("never through an estimate", [art("a", QUOTE, D(2023, 9, 7)), art("b", QUOTE_2 + "\n" + OTHER), art("c", OTHER_2)],
     {"b": D(2023, 9, 7)}),
    ("site furniture is not a shared sentence",
     [art("a", "POSTED: 05 / 02 / 07, 9: 00 PM PDT | 2 comments", D(2007, 5, 3)),
      art("b", "POSTED: 05 / 02 / 07, 9: 00 PM PDT | 2 comments")], {}),
    ("never from a bound", [art("a", QUOTE, source="bounded"), art("b", QUOTE_2)], {}),
    ("never from an estimate", [art("a", QUOTE, D(2023, 9, 7), source="estimated"), art("b", QUOTE_2)], {}),
    ("a shared background sentence is no evidence",
     [art("a", BIO, D(2011, 5, 2)), art("b", BIO_2)], {}),
    ("a shared sentence of the date's year is", [art("a", BIO, D(2008, 6, 2)), art("b", BIO_2)], {"b": D(2008, 6, 2)}),
    ("the text contradicts the borrowed date",
     [art("a", QUOTE, D(2023, 9, 7)), dataclasses.replace(art("b", QUOTE_2), publication_date_earliest=D(2023, 10, 1),
                                                          publication_date_source="bounded")], {}),
    ("a date on or after the earliest is kept",
     [art("a", QUOTE, D(2023, 9, 7)), dataclasses.replace(art("b", QUOTE_2), publication_date_earliest=D(2023, 9, 6),
                                                          publication_date_source="bounded")], {"b": D(2023, 9, 7)}),
    ("tie goes to the earliest date", [art("a", QUOTE, D(2023, 11, 6)), art("b", QUOTE, D(2023, 9, 7)), art("c", QUOTE_2)],
     {"c": D(2023, 9, 7)}),
    ("more evidence beats earlier", [art("a", QUOTE + "\n" + OTHER, D(2023, 11, 6)), art("b", QUOTE, D(2023, 9, 7)),
                                     art("c", QUOTE_2 + "\n" + OTHER_2)], {"c": D(2023, 11, 6)}),
]


@pytest.mark.parametrize(("name", "articles", "expected"), ESTIMATE_CASES, ids=[c[0] for c in ESTIMATE_CASES])
def test_pubdate_estimates(name: str, articles: list[Article], expected: dict[str, D]) -> None:
    assert estimate_publication_dates(articles) == expected
    shuffled = articles[:]
    random.Random(3).shuffle(shuffled)
    assert estimate_publication_dates(shuffled) == expected


_UNDATED = EventDate()


def _mention(doc: str, summary: str, date: EventDate = _UNDATED, start: int = 0) -> EventMention:
    return EventMention(doc_id=doc, sentence_index=0, sentence=summary, trigger="traveled", trigger_lemma="travel",
                        trigger_start=start, trigger_end=start + 8, clause_start=0, clause_end=len(summary), type="visit",
                        summary=summary, actors=("Sergei Shoigu",), locations=("Pyongyang",), date=date)


def test_pubdate_one_shared_event_is_not_enough() -> None:
    articles = [art("a", "Shoigu went to Pyongyang.", D(2023, 8, 2)), art("b", "Shoigu, in Pyongyang, met Kim.")]
    mentions = [_mention("a", "Sergei Shoigu traveled to Pyongyang"), _mention("b", "Shoigu traveled to Pyongyang")]
    assert estimate_publication_dates(articles, mentions) == {}


def _two_shared_events() -> tuple[list[Article], dict[str, list[EventMention]]]:
    articles = [art("a", "Shoigu went to Pyongyang.", D(2023, 8, 2)), art("b", "Shoigu, in Pyongyang, met Kim."),
                art("c", "Unrelated.")]
    july = EventDate("2023-07", "END", D(2023, 7, 21), D(2023, 7, 31), "month", "relative")
    sept = EventDate("2023-09", None, D(2023, 9, 1), D(2023, 9, 30), "month", "relative")
    summit = dict(type="meeting", actors=("Kim Jong Un", "Vladimir Putin"), modality="planned")
    mentions = {"a": [_mention("a", "Sergei Shoigu traveled to Pyongyang", july),
                      dataclasses.replace(_mention("a", "Kim plans to meet Putin in Russia", sept, 50), **summit)],
                "b": [_mention("b", "Shoigu traveled to Pyongyang late July"),
                      dataclasses.replace(_mention("b", "Kim to meet Putin in Russia", start=80), **summit)],
                "c": [EventMention("c", 0, "x", "rose", "rise", 0, 4, 0, 4, "other", "prices rose", ("Farmers",))]}
    return articles, mentions


def test_pubdate_shared_events_alone_are_not_the_same_event() -> None:
    # Articles about the same people share events without reporting the same event instance.
    articles, mentions = _two_shared_events()
    assert explain_publication_estimates(articles, mentions) == {}


def test_pubdate_shared_events_add_to_a_shared_sentence() -> None:
    articles, mentions = _two_shared_events()
    articles = [dataclasses.replace(a, body=a.body + "\n" + (QUOTE if a.doc_id == "a" else QUOTE_2))
                if a.doc_id in "ab" else a for a in articles]
    estimates = explain_publication_estimates(articles, mentions)
    assert set(estimates) == {"b"}
    assert estimates["b"].date == D(2023, 8, 2) and estimates["b"].shared_events == 2
    assert estimates["b"].shared_sentences >= 1 and "worst-case scenario" in estimates["b"].sentence
    assert estimate_publication_dates(articles, [m for ms in mentions.values() for m in ms]) == {"b": D(2023, 8, 2)}


def test_pubdate_apply_and_mark_estimated() -> None:
    articles = [art("a", QUOTE, D(2023, 9, 7)), art("b", QUOTE_2)]
    updated = apply_estimates(articles, {"b": D(2023, 9, 7), "a": D(2000, 1, 1)})
    assert (updated[0].publication_date, updated[0].publication_date_source) == (D(2023, 9, 7), "header")
    assert (updated[1].publication_date, updated[1].publication_date_source) == (D(2023, 9, 7), "estimated")
    rel = _mention("b", "x", EventDate("2023-07", None, D(2023, 7, 1), D(2023, 7, 31), "month", "relative"))
    exp = _mention("b", "y", EventDate("2023-07-28", None, D(2023, 7, 28), D(2023, 7, 28), "day", "explicit"))
    marked = mark_estimated([rel, exp])
    assert [m.date.basis for m in marked] == ["estimated", "explicit"]
    assert marked[0].confidence < rel.confidence and marked[1] == exp


def test_pubdate_apply_estimates_records_the_evidence() -> None:
    articles = [art("a", QUOTE, D(2023, 9, 7)), art("b", QUOTE_2)]
    updated = apply_estimates(articles, explain_publication_estimates(articles))
    assert (updated[1].publication_date, updated[1].publication_date_source) == (D(2023, 9, 7), "estimated")
    assert updated[1].publication_date_evidence.startswith("from a (2 shared sentence(s)): “The worst-case")


def test_pubdate_mark_bounded() -> None:
    rel = _mention("b", "x", EventDate("2023-07", None, D(2023, 7, 1), D(2023, 7, 31), "month", "relative"))
    tense = _mention("b", "y", EventDate("PAST_REF", None, None, D(2023, 9, 7), "ref", "tense"))
    exp = _mention("b", "z", EventDate("2023-07-28", None, D(2023, 7, 28), D(2023, 7, 28), "day", "explicit"))
    marked = mark_bounded([rel, tense, exp])
    assert marked[0].date == EventDate("2023-07", "ON_OR_AFTER", D(2023, 7, 1), None, "month", "relative")
    assert marked[1].date == EventDate() and marked[2] == exp
    assert marked[0].confidence < rel.confidence


def test_pubdate_estimates_count_shared_events_in_the_given_merge(monkeypatch) -> None:
    """Given the merge the flow made, estimating compares no events of its own: the shared events
    are counted in those entries, and the estimate is the one it would make merging by itself."""
    from extractors import merge
    from extractors.merge import merge_mentions

    articles, mentions = _two_shared_events()
    articles = [dataclasses.replace(a, body=a.body + "\n" + (QUOTE if a.doc_id == "a" else QUOTE_2))
                if a.doc_id in "ab" else a for a in articles]
    merged = merge_mentions([m for doc in sorted(mentions) for m in mentions[doc]])
    expected = explain_publication_estimates(articles, mentions)

    def no_merge(*args, **kwargs):
        raise AssertionError("estimation must not merge on its own when given the merge")

    monkeypatch.setattr(merge, "merge_mentions", no_merge)
    assert explain_publication_estimates(articles, entries=merged) == expected
    assert expected["b"].shared_events == 2
