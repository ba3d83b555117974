"""The publication date is bound late: extraction keeps what does not depend on it, cached by
content, and a pure step (no parse) dates timexes and events against any date; an article whose
date is estimated from the other articles is re-dated without being parsed or extracted again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("spacy")

from extractors import nlp as nlp_module  # noqa: E402
from extractors import pipeline  # noqa: E402
from extractors.date_binding import bind_publication_date  # noqa: E402
from extractors.events import extract_events  # noqa: E402
from extractors.nlp import remember_text  # noqa: E402
from extractors.schema import Article  # noqa: E402
from extractors.timex import tag_timexes  # noqa: E402
from flows import cache_codec  # noqa: E402

TEXTS = [
    # Own timexes, inherited through a complement, a timex between a verb and its complement's subject.
    "Kim met Putin on Thursday. US officials said on Tuesday that the talks were advancing and warned Kim.\n\n"
    "Harris said on Thursday it would be a huge mistake. The two leaders plan to meet again next month.",
    # A unit counted from a date the text gave ("One year later") dates its event, not the timex.
    "He joined the company in 1984. One year later he was fired by the board.",
    # "the day after Oct. 12" is widened over its anchor only when Oct. 12 resolves to a day.
    "The strike began the day after Oct. 12, and the union said last week it would end.",
    # A timex in the subject phrase, an occasion, a reference value and a hypothetical.
    "A report this week said sales fell. In a July 16 press conference, Jobs said the phone was fine. "
    "Prices have risen recently. If the talks failed, the company would close the plant.",
]
DATES = [(dt.date(2023, 9, 7), "header"), (dt.date(1989, 10, 27), "estimated"), (dt.date(2024, 2, 29), "metadata")]


def _dated(body: str, day: dt.date, source: str) -> Article:
    return Article(doc_id="a", path="a.txt", body=body, publication_date=day, publication_date_source=source)


@pytest.mark.parametrize("body", TEXTS)
def test_late_binding_dates_without_the_parse_as_extraction_with_the_date_did(nlp, monkeypatch, body):
    """What extraction keeps (through the cache's codec) bound to any date gives the timexes and
    event dates that tagging and extracting with that date from the parse give."""
    found, = pipeline.extract_date_free([Article(doc_id="a", path="a.txt", body=body)], nlp)
    kept = cache_codec.decode(cache_codec.encode(found))
    assert kept == found
    doc = remember_text(nlp(body), body)
    expected = {}
    for day, source in DATES:
        article = _dated(body, day, source)
        timexes = tag_timexes(body, day, doc)
        expected[day] = (tuple(timexes), tuple(extract_events(article, doc, timexes)))

    def no_parse(*args, **kwargs):
        raise AssertionError("binding a date must not parse")

    monkeypatch.setattr(nlp_module, "load_nlp", no_parse)
    monkeypatch.setattr(pipeline, "load_nlp", no_parse)
    for day, source in DATES:
        bound = bind_publication_date(_dated(body, day, source), kept)
        assert (bound.timexes, bound.mentions) == expected[day]
    assert any(m.timex_value for m in expected[DATES[0][0]][1])


@pytest.mark.parametrize(("body", "trigger", "values"), [
    # The counted date follows the publication date only through the year it counts from.
    ("He joined the company in 1984. One year later he was fired by the board.", "fired",
     {dt.date(2023, 9, 7): "1985", dt.date(1989, 10, 27): "1985"}),
    ("Kim met Putin on Thursday in Vladivostok.", "met",
     {dt.date(2023, 9, 7): "2023-09-07", dt.date(1989, 10, 27): "1989-10-26"}),
    ("The strike began the day after Oct. 12, officials said.", "began",
     {dt.date(2023, 9, 7): "2023-10-13", dt.date(1989, 10, 27): "1989-10-13"}),
])
def test_late_binding_event_anchor_follows_the_bound_date(nlp, body, trigger, values):
    found, = pipeline.extract_date_free([Article(doc_id="a", path="a.txt", body=body)], nlp)
    for day, value in values.items():
        bound = bind_publication_date(_dated(body, day, "header"), found)
        mention = next(m for m in bound.mentions if m.trigger == trigger)
        assert mention.timex_value == value


# -- the flow: an estimated date is bound, not extracted again ------------------------------------

LENDER = "002_2cd80822a07d7f9c"  # dated by its text; the seeds 003 and 004 borrow its date


def _parse_counter(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = pipeline.extract_parsed

    def counting(article, pieces):
        parsed.append(article.doc_id)
        return real(article, pieces)

    monkeypatch.setattr(pipeline, "extract_parsed", counting)
    return parsed


def _timeline(output: Path) -> tuple[list[dict], list[dict]]:
    doc = json.loads((output / "timeline.json").read_text())
    return doc["events"], doc["documents"]


@pytest.mark.slow
def test_late_binding_estimated_articles_are_parsed_once(prefect_harness, seeds_dir, tmp_path, monkeypatch):
    from flows.build_timeline import build_timeline

    parsed = _parse_counter(monkeypatch)
    result = build_timeline(source_dir=str(seeds_dir), output_dir=str(tmp_path), use_cache=False)
    estimated = {d.doc_id for d in result.documents if d.publication_date_source == "estimated"}
    assert estimated  # the seeds 003 and 004 borrow 002's date
    assert sorted(parsed) == sorted(d.doc_id for d in result.documents if d.status == "processed")


@pytest.mark.slow
def test_late_binding_moved_estimate_rebinds_from_the_cache(seeds_run, seeds_dir, tmp_path, monkeypatch):
    """The lender's date corrected by a sidecar moves the estimates of the articles that borrow it:
    the rerun extracts nothing (the cache key holds no date) and gives what a cold run gives."""
    from flows.build_timeline import build_timeline

    first, first_output = seeds_run
    source = tmp_path / "source"
    shutil.copytree(seeds_dir, source)
    (source / f"{LENDER}.meta.json").write_text(json.dumps({"publication_date": "2023-09-08"}))
    parsed = _parse_counter(monkeypatch)
    moved = build_timeline(source_dir=str(source), output_dir=str(tmp_path / "moved"),
                           cache_dir=str(first_output / ".cache"))
    assert moved.extracted == () and parsed == []
    dates = {d.doc_id: (d.publication_date, d.publication_date_source) for d in moved.documents}
    borrowers = {d.doc_id for d in first.documents if d.publication_date_source == "estimated"}
    assert borrowers and all(dates[b] == (dt.date(2023, 9, 8), "estimated") for b in borrowers)
    assert dates[LENDER] == (dt.date(2023, 9, 8), "metadata")

    cold = build_timeline(source_dir=str(source), output_dir=str(tmp_path / "cold"), use_cache=False)
    assert sorted(parsed) == sorted(d.doc_id for d in cold.documents if d.status == "processed")
    assert _timeline(tmp_path / "moved") == _timeline(tmp_path / "cold")
    assert _timeline(tmp_path / "moved")[0] != _timeline(first_output)[0]


def test_late_binding_cached_entry_holds_no_parse(nlp):
    """An entry is plain data: the codec refuses anything else, spaCy objects included."""
    body = TEXTS[0]
    found, = pipeline.extract_date_free([Article(doc_id="a", path="a.txt", body=body)], nlp)
    assert b"spacy" not in cache_codec.encode(found)
    assert all(dataclasses.is_dataclass(p) for p in found.pieces)


def test_late_binding_narrative_dates_bound_without_the_parse(nlp, monkeypatch):
    """The narrative's dates (a simple-past event after a lead that dates the happening) are bound
    from what extraction kept, through the cache's codec, with the parser blocked, and follow the
    publication date: the lead's Tuesday is the one before each date, and it dates the rest."""
    body = ("Shares of Ford fell 3 percent on Tuesday after the carmaker cut its forecast. "
            "The company dismissed two senior executives.")
    found, = pipeline.extract_date_free([Article(doc_id="a", path="a.txt", body=body)], nlp)
    kept = cache_codec.decode(cache_codec.encode(found))

    def no_parse(*args, **kwargs):
        raise AssertionError("binding a date must not parse")

    monkeypatch.setattr(nlp_module, "load_nlp", no_parse)
    monkeypatch.setattr(pipeline, "load_nlp", no_parse)

    def value_of(day: dt.date, trigger: str) -> str | None:
        bound = bind_publication_date(_dated(body, day, "header"), kept)
        return next(m.date.value for m in bound.mentions if m.trigger == trigger)

    assert value_of(dt.date(2023, 9, 7), "fell") == "2023-09-05"
    assert value_of(dt.date(2023, 9, 7), "dismissed") == "2023-09-05"  # the lead's happening
    assert value_of(dt.date(2023, 9, 14), "fell") == "2023-09-12"
    assert value_of(dt.date(2023, 9, 14), "dismissed") == "2023-09-12"
