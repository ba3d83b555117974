"""The self-contained timeline page: data embedded safely, labels at the right granularity.

These tests read the HTML string and the view model; tests/test_browser.py renders the page
in Chromium and looks at what a person sees.
"""

from __future__ import annotations

import copy
import json
import random
import re
from typing import Any

import pytest

from extractors.export import validate_timeline
from extractors.html_view import date_label, day_number, render_timeline_html, type_colours, view_model

DOC_A = "002_2cd80822a07d7f9c"
DOC_B = "001_8b995e60514696a3"


def _source(doc_id: str, index: int, sentence: str, timex: str | None = None, value: str | None = None) -> dict:
    return {"doc_id": doc_id, "sentence_index": index, "sentence": sentence, "start": 10 * index,
            "end": 10 * index + 5, "timex_text": timex, "timex_value": value}


def _event(event_id: str, summary: str, *, type: str, date: str | None, start: str | None, end: str | None,
           granularity: str, mod: str | None = None, modality: str = "asserted", actors: tuple[str, ...] = (),
           sources: tuple[dict, ...] = (), conflicts: tuple[dict, ...] = (), trigger: str = "said",
           basis: str = "explicit", confidence: float = 0.8, key: bool = False, rank: int = 1) -> dict:
    return {
        "id": event_id, "date": date, "date_mod": mod, "date_start": start, "date_end": end,
        "date_granularity": granularity, "date_basis": basis if date else "none", "type": type,
        "headline": summary + ".", "salience": 0.5, "rank": rank, "key": key,
        "trigger": trigger, "summary": summary, "actors": list(actors), "locations": [],
        "modality": modality, "confidence": confidence, "sources": list(sources), "conflicts": list(conflicts),
    }


def sample_timeline() -> dict[str, Any]:
    """A small timeline shaped like the seeds': a late-July trip, a month of sanctions, a planned
    September summit, statements on their days, a date conflict and an undated event."""
    return {
        "schema_version": "1.1",
        "generated_at": "2023-11-20T12:00:00+00:00",
        "documents": [
            {"doc_id": DOC_B, "path": "seeds/001.txt", "title": "US warns North Korea", "publication_date": "2023-11-14",
             "publication_date_source": "header", "status": "processed", "reason": None, "event_count": 2,
             "warnings": [], "duplicate_of": None},
            {"doc_id": DOC_A, "path": "seeds/002.txt", "title": "Harris says support would be a huge mistake",
             "publication_date": "2023-09-07", "publication_date_source": "text", "status": "processed",
             "reason": None, "event_count": 5, "warnings": [], "duplicate_of": None},
        ],
        "events": [
            _event("evt-shoigu-trip", "Sergei Shoigu travelled to Pyongyang", type="visit", date="2023-07", mod="END",
                   start="2023-07-21", end="2023-07-31", granularity="month", trigger="travelled",
                   actors=("Sergei Shoigu",),
                   sources=(_source(DOC_A, 6, "Russian Defence Minister Sergei Shoigu travelled to Pyongyang late July.",
                                    "late July", "2023-07"),)),
            _event("evt-sanctions", "Washington imposed sanctions on entities tied to arms deals", type="sanction",
                   date="2023-08", start="2023-08-01", end="2023-08-31", granularity="month", trigger="imposed",
                   basis="relative", actors=("Washington",),
                   sources=(_source(DOC_A, 8, "Last month, Washington imposed sanctions on entities tied to arms deals.",
                                    "Last month", "2023-08"),)),
            _event("evt-summit", "Kim Jong Un to meet Vladimir Putin in Russia", type="meeting", date="2023-09",
                   start="2023-09-01", end="2023-09-30", granularity="month", modality="planned", trigger="meet",
                   basis="relative", actors=("Kim Jong Un", "Vladimir Putin"),
                   sources=(_source(DOC_A, 4, "Kim Jong Un plans to travel to Russia this month to meet Vladimir Putin.",
                                    "this month", "2023-09"),)),
            _event("evt-harris", "Kamala Harris said military support would be a huge mistake", type="statement",
                   date="2023-09-07", start="2023-09-07", end="2023-09-07", granularity="day", basis="relative",
                   actors=("Kamala Harris",),
                   sources=(_source(DOC_A, 2, "Kamala Harris said on Thursday it would be a 'huge mistake'.",
                                    "Thursday", "2023-09-07"),
                            _source(DOC_B, 3, "Harris told CBS News it would be a huge mistake.")),
                   conflicts=({"date": "2023-09-06", "date_start": "2023-09-06", "date_end": "2023-09-06",
                               "doc_ids": [DOC_B]},)),
            _event("evt-sullivan", "Jake Sullivan warned Pyongyang would pay a price", type="warning",
                   date="2023-09-05", start="2023-09-05", end="2023-09-05", granularity="day", trigger="warned",
                   basis="relative", actors=("Jake Sullivan",),
                   sources=(_source(DOC_B, 1, "On Tuesday Jake Sullivan warned that Pyongyang would pay a price.",
                                    "Tuesday", "2023-09-05"),)),
            _event("evt-undated", "Russia and North Korea negotiated over arms", type="negotiation", date=None,
                   start=None, end=None, granularity="unknown", modality="possible", trigger="negotiated",
                   actors=("Russia", "North Korea"),
                   sources=(_source(DOC_B, 5, "Arms negotiations between Russia and North Korea are advancing."),)),
        ],
    }


def synthetic_timeline(n_events: int, seed: int = 7) -> dict[str, Any]:
    """`n_events` varied events over three years from 40 articles, deterministic for a seed."""
    rng = random.Random(seed)
    types = ["statement", "meeting", "visit", "sanction", "warning", "transfer", "military_action", "other"]
    actors = [f"Actor {i}" for i in range(60)]
    docs = [f"doc_{i:03d}" for i in range(40)]
    events = []
    for i in range(n_events):
        day = 19358 + rng.randrange(1100)  # from 2023-01-01
        start = f"{_iso(day)}"
        kind = rng.random()
        if kind < 0.6:
            date, end, gran, mod = start, start, "day", None
        elif kind < 0.85:
            date, gran, mod = start[:7], "month", rng.choice([None, "END", "START"])
            end = start  # span filled below
            start, end = start[:7] + "-01", _month_end(start[:7])
        elif kind < 0.95:
            date, start, end, gran, mod = None, None, None, "unknown", None
        else:
            date, gran, mod = start[:4], "year", None
            start, end = start[:4] + "-01-01", start[:4] + "-12-31"
        doc = rng.choice(docs)
        sentence = f"Sentence {i} says {rng.choice(actors)} did something notable on that date."
        conflicts = []
        if date and rng.random() < 0.03:
            conflicts = [{"date": "2022-05-04", "date_start": "2022-05-04", "date_end": "2022-05-04",
                          "doc_ids": [rng.choice(docs)]}]
        events.append(_event(
            f"syn-{i:06d}", f"Synthetic event number {i} with a summary of ordinary length",
            type=rng.choice(types), date=date, start=start, end=end, granularity=gran, mod=mod,
            modality=rng.choice(["asserted"] * 6 + ["planned", "possible", "negated"]),
            actors=tuple(rng.sample(actors, rng.randrange(0, 3))), trigger="did",
            sources=tuple(_source(rng.choice(docs) if k else doc, rng.randrange(40), sentence)
                          for k in range(rng.randrange(1, 4))),
            conflicts=tuple(conflicts), confidence=round(rng.random(), 3)))
    documents = [{"doc_id": d, "path": f"in/{d}.txt", "title": f"Article {d}", "publication_date": "2024-06-01",
                  "publication_date_source": "header", "status": "processed", "reason": None, "event_count": 1,
                  "warnings": [], "duplicate_of": None} for d in docs]
    return {"schema_version": "1.0", "generated_at": "2024-06-02T00:00:00+00:00", "documents": documents,
            "events": events}


def _iso(day: int) -> str:
    import datetime as dt

    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()


def _month_end(month: str) -> str:
    import calendar

    year, mon = map(int, month.split("-"))
    return f"{month}-{calendar.monthrange(year, mon)[1]:02d}"


def embedded_model(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', page, re.S)
    assert match, "the page carries no embedded data"
    return json.loads(match.group(1))


# ---- fixtures are valid timeline.json documents -------------------------------------------------

@pytest.mark.parametrize("timeline", [sample_timeline(), synthetic_timeline(300)], ids=["sample", "synthetic"])
def test_html_view_fixtures_match_the_output_schema(timeline):
    assert validate_timeline(timeline) == []


# ---- date labels ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "mod", "start", "end", "label"), [
    ("2023-09-07", None, "2023-09-07", "2023-09-07", "7 September 2023"),
    ("2023-07", "END", "2023-07-21", "2023-07-31", "late July 2023"),
    ("2023-07", "START", "2023-07-01", "2023-07-10", "early July 2023"),
    ("2023-07", "MID", "2023-07-11", "2023-07-20", "mid-July 2023"),
    ("2023-08", None, "2023-08-01", "2023-08-31", "August 2023"),
    ("2023-SU", None, "2023-06-01", "2023-08-31", "summer 2023"),
    ("2023-Q3", None, "2023-07-01", "2023-09-30", "Q3 2023"),
    ("2023-H2", None, "2023-07-01", "2023-12-31", "H2 2023"),
    ("2023-W36", None, "2023-09-04", "2023-09-10", "week 36 of 2023"),
    ("2023", "APPROX", "2023-01-01", "2023-12-31", "about 2023"),
    ("2023-09-07TEV", None, "2023-09-07", "2023-09-07", "7 September 2023, evening"),
    ("199", None, "1990-01-01", "1999-12-31", "the 1990s"),
    ("2023-09", "BEFORE", None, "2023-08-31", "before September 2023"),
    ("PAST_REF", None, None, None, "in the past"),
    ("PAST_REF", None, None, "2023-09-07", "before 7 September 2023"),
    ("FUTURE_REF", None, "2023-09-07", None, "after 7 September 2023"),
    ("PRESENT_REF", None, "2023-11-14", "2023-11-14", "as of 14 November 2023"),
    ("XXXX-09-07", None, None, None, "undated (XXXX-09-07)"),
    ("2023-XX-07", None, "2023-01-07", "2023-12-07", "7 January – 7 December 2023"),
    (None, None, None, None, "undated"),
])
def test_html_view_date_label(value, mod, start, end, label):
    assert date_label(value, mod, start, end) == label


@pytest.mark.parametrize(("iso", "day"), [("1970-01-01", 0), ("2023-09-07", 19607), (None, None)])
def test_html_view_day_number(iso, day):
    assert day_number(iso) == day


# ---- the view model -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_page() -> str:
    return render_timeline_html(sample_timeline())


@pytest.mark.parametrize(("event_id", "label", "start", "end"), [
    ("evt-shoigu-trip", "late July 2023", "2023-07-21", "2023-07-31"),
    ("evt-sanctions", "August 2023", "2023-08-01", "2023-08-31"),
    ("evt-summit", "September 2023", "2023-09-01", "2023-09-30"),
    ("evt-harris", "7 September 2023", "2023-09-07", "2023-09-07"),
    ("evt-sullivan", "5 September 2023", "2023-09-05", "2023-09-05"),
])
def test_html_view_events_carry_their_dates(sample_page, event_id, label, start, end):
    events = {e["id"]: e for e in embedded_model(sample_page)["events"]}
    assert events[event_id]["label"] == label
    assert (events[event_id]["s"], events[event_id]["e"]) == (day_number(start), day_number(end))


def test_html_view_events_carry_headline_and_key():
    timeline = sample_timeline()
    timeline["events"][0]["key"] = True
    model = view_model(timeline)
    by_id = {e["id"]: e for e in model["events"]}
    first = timeline["events"][0]
    assert by_id[first["id"]]["headline"] == first["headline"] and by_id[first["id"]]["key"] is True
    assert sum(e["key"] for e in model["events"]) == 1


def test_html_view_events_sorted_by_date_undated_last(sample_page):
    ids = [e["id"] for e in embedded_model(sample_page)["events"]]
    assert ids == ["evt-shoigu-trip", "evt-sanctions", "evt-summit", "evt-sullivan", "evt-harris", "evt-undated"]


def test_html_view_undated_events_have_no_position(sample_page):
    events = {e["id"]: e for e in embedded_model(sample_page)["events"]}
    assert events["evt-undated"]["s"] is None and events["evt-undated"]["e"] is None
    assert events["evt-undated"]["label"] == "undated"
    assert 'id="undated-table"' in sample_page


@pytest.mark.parametrize(("event_id", "modality"), [("evt-summit", "planned"), ("evt-undated", "possible"),
                                                    ("evt-harris", "asserted")])
def test_html_view_modality_kept(sample_page, event_id, modality):
    events = {e["id"]: e for e in embedded_model(sample_page)["events"]}
    assert events[event_id]["modality"] == modality


@pytest.mark.parametrize(("value", "basis", "start", "end", "placed", "open_side", "vague"), [
    ("2023-09-07", "explicit", "2023-09-07", "2023-09-07", True, None, False),
    ("PRESENT_REF", "tense", "2023-11-14", "2023-11-14", True, None, True),
    ("PAST_REF", "tense", None, "2023-11-14", False, "before", True),
    ("FUTURE_REF", "estimated", "2023-09-07", None, False, "after", True),
    (None, "none", None, None, False, None, False),
])
def test_html_view_only_closed_intervals_on_the_axis(value, basis, start, end, placed, open_side, vague):
    timeline = sample_timeline()
    event = timeline["events"][0]
    event.update(date=value, date_mod=None, date_basis=basis, date_start=start, date_end=end)
    assert validate_timeline(timeline) == []
    shown = next(e for e in view_model(timeline)["events"] if e["id"] == event["id"])
    assert (shown["s"] is not None, shown["open"], shown["vague"]) == (placed, open_side, vague)
    assert shown["bound"] == (day_number(start or end) if open_side else None)


def test_html_view_loosely_dated_listed_after_dated_before_undated():
    timeline = sample_timeline()
    loose = copy.deepcopy(timeline["events"][0])
    loose.update(id="evt-loose", date="PAST_REF", date_mod=None, date_start=None, date_end="2023-09-07",
                 date_granularity="ref", date_basis="tense")
    timeline["events"].insert(0, loose)
    ids = [e["id"] for e in view_model(timeline)["events"]]
    assert ids[-2:] == ["evt-loose", "evt-undated"]


def test_html_view_catch_all_type_last():
    timeline = sample_timeline()
    for index in range(3):
        extra = copy.deepcopy(timeline["events"][0])
        extra.update(id=f"evt-other-{index}", type="other")
        timeline["events"].append(extra)
    assert [t["name"] for t in view_model(timeline)["types"]][-1] == "other"


def test_html_view_conflicts_kept_with_their_articles(sample_page):
    events = {e["id"]: e for e in embedded_model(sample_page)["events"]}
    assert events["evt-harris"]["conflicts"] == [
        {"label": "6 September 2023", "s": day_number("2023-09-06"), "e": day_number("2023-09-06"), "docs": [DOC_B]}]
    assert events["evt-sullivan"]["conflicts"] == []


def test_html_view_sources_resolve_to_sentences_and_articles(sample_page):
    model = embedded_model(sample_page)
    harris = next(e for e in model["events"] if e["id"] == "evt-harris")
    sources = [(model["sentences"][ref][0], model["sentences"][ref][2], timex) for ref, timex, _ in harris["src"]]
    assert sources == [(DOC_A, "Kamala Harris said on Thursday it would be a 'huge mistake'.", "Thursday"),
                       (DOC_B, "Harris told CBS News it would be a huge mistake.", None)]
    assert model["docs"][DOC_A]["published"] == "2023-09-07"


def test_html_view_shared_sentences_stored_once():
    timeline = sample_timeline()
    twin = copy.deepcopy(timeline["events"][0])
    twin["id"] = "evt-shoigu-twin"
    timeline["events"].append(twin)
    model = view_model(timeline)
    assert len(model["sentences"]) == len({(s[0], s[1], s[2]) for s in model["sentences"]})
    refs = [e["src"][0][0] for e in model["events"] if e["id"] in ("evt-shoigu-trip", "evt-shoigu-twin")]
    assert refs[0] == refs[1]


def test_html_view_type_colours_stable_and_distinct():
    colours = type_colours(["statement", "meeting", "visit", "other", "unheard_of"])
    assert colours == type_colours(["unheard_of", "other", "visit", "meeting", "statement"])
    assert len({colours[t] for t in ("statement", "meeting", "visit", "unheard_of")}) == 4
    assert "#d62728" not in colours.values()  # red means "dates disagree" on the page


# ---- the page ---------------------------------------------------------------------------------------

def test_html_view_deterministic():
    assert render_timeline_html(sample_timeline()) == render_timeline_html(sample_timeline())


def test_html_view_self_contained(sample_page):
    # No resource is fetched: no external scripts, styles, images, fonts or frames.
    assert not re.search(r"<(script|link|img|iframe|source)\b[^>]*\b(src|href)\s*=", sample_page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", sample_page, re.I)
    assert "@import" not in sample_page
    assert "default-src 'none'" in sample_page  # and the browser is told to refuse any fetch


def test_html_view_title_counts(sample_page):
    assert "<title>Timeline: 6 events from 2 articles</title>" in sample_page


@pytest.mark.parametrize("hostile", [
    "</script><script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- <script> -->",
    "@@DATA@@ @@SCRIPT@@ & &amp; \u2028 end",
])
def test_html_view_hostile_text_stays_text(hostile):
    timeline = sample_timeline()
    event = timeline["events"][3]
    event["summary"] = hostile
    event["actors"] = [hostile]
    event["sources"][0]["sentence"] = hostile
    timeline["documents"][0]["title"] = hostile
    page = render_timeline_html(timeline)
    # Exactly the template's own two script elements, and the hostile markup never appears raw.
    assert len(re.findall(r"<script\b", page, re.I)) == 2
    assert len(re.findall(r"</script", page, re.I)) == 2
    assert "<img" not in page and "<!--" not in page.split("<body>", 1)[1]
    assert page.count("const data = JSON.parse(") == 1  # the script was inlined once, not into the data
    model = embedded_model(page)
    harris = next(e for e in model["events"] if e["id"] == "evt-harris")
    assert harris["summary"] == hostile and harris["actors"] == [hostile]
    assert model["sentences"][harris["src"][0][0]][2] == hostile


def test_html_view_script_never_parses_data_as_html():
    from extractors.resources import read_text

    script = read_text("html/timeline.js")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", script)


def test_html_view_empty_timeline_renders():
    page = render_timeline_html({"schema_version": "1.0", "generated_at": "2024-01-01T00:00:00+00:00",
                                 "documents": [], "events": []})
    assert embedded_model(page)["events"] == []
    assert "<title>Timeline: 0 events from 0 articles</title>" in page


@pytest.mark.parametrize(("n_events", "max_bytes"), [(5, 100_000), (5_000, 3_500_000)])
def test_html_view_size_scales_with_events(n_events, max_bytes):
    page = render_timeline_html(synthetic_timeline(n_events))
    size = len(page.encode("utf-8"))
    assert size < max_bytes, f"{n_events} events make a {size:,}-byte page"
    assert len(embedded_model(page)["events"]) == n_events


@pytest.mark.parametrize("actors,query,expected", [
    ([("Dow Jones Industrial Average",), ("Dow",), ("Nasdaq",)], "dow", ["dow", "dow jones industrial average"]),
    ([("General Motors",), ("GM",), ("Ford",)], "general motors", ["general motors", "gm"]),
    ([("Vladimir Putin",), ("Putin",), ("Kim Jong Un",)], "putin", ["putin", "vladimir putin"]),
])
def test_html_view_actor_filter_matches_as_the_entity_command(actors, query, expected):
    from extractors.html_view import actor_matches

    assert actor_matches([{"actors": list(a)} for a in actors])[query] == expected
