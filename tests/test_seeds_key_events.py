"""The key events of the seeds as a reader lists them (issue 15), through the real flow.

My reading of the five seed articles (002 and 004 report the events in September 2023; 000, 001
and 003 re-tell them in November) gives these dated events. Each must be exactly one key entry
with its right date, none may be spread over more than two entries, at least 70 % of the key
entries must be such events, and every key headline must read as a sentence.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from extractors.headline import is_complete

pytestmark = pytest.mark.slow

# (what, headline pattern, date value the entry must have, modalities allowed)
READERS_EVENTS = [
    ("Shoigu in Pyongyang in late July", r"Shoigu.*Pyongyang", "2023-07", {"asserted"}),
    ("Washington's sanctions last month", r"Washington imposed sanctions", "2023-08", {"asserted"}),
    ("Seiler retired this summer", r"Seiler.*retired", "2023-SU", {"asserted"}),
    ("Sullivan's Tuesday warning", r"Sullivan", "2023-09-05", {"asserted"}),
    ("Harris: a 'huge mistake', Thursday, CBS interview", r"Harris.*(huge mistake|CBS)", "2023-09-07", {"asserted"}),
    # Seiler's remarks, whether the sentence names him or describes him ("a top former US
    # intelligence official said", "a former US intelligence officer on North Korea said").
    ("Seiler's webinar remarks on Thursday", r"Seiler(?!.*retired)|former U\.?S\.? intelligence offic(ial|er)",
     "2023-09-07", {"asserted"}),
    ("the East Asia Summit in Jakarta", r"East Asia Summit", "2023-09-07", {"asserted"}),
    ("Kim's planned trip to meet Putin this month", r"Kim Jong.un.*(travel|meet).*Putin", "2023-09",
     {"planned", "possible"}),
]


@pytest.fixture(scope="module")
def timeline(seeds_run) -> dict[str, Any]:
    _, output = seeds_run
    return json.loads((output / "timeline.json").read_text(encoding="utf-8"))


def _is(event: dict[str, Any], pattern: str, date: str) -> bool:
    return event["date"] == date and re.search(pattern, event["headline"]) is not None


@pytest.mark.parametrize(("what", "pattern", "date", "modalities"), READERS_EVENTS, ids=[e[0] for e in READERS_EVENTS])
def test_seeds_key_events_each_readers_event_is_one_key_entry(timeline, what, pattern, date, modalities):
    key = [e for e in timeline["events"] if e["key"] and _is(e, pattern, date)]
    assert len(key) == 1, (what, [(e["date"], e["headline"]) for e in key])
    assert key[0]["modality"] in modalities, (what, key[0]["modality"])


@pytest.mark.parametrize(("what", "pattern", "date", "modalities"), READERS_EVENTS, ids=[e[0] for e in READERS_EVENTS])
def test_seeds_key_events_no_readers_event_spread_over_more_than_two_entries(timeline, what, pattern, date, modalities):
    entries = [e for e in timeline["events"] if _is(e, pattern, date) and e["modality"] in modalities]
    assert 1 <= len(entries) <= 2, (what, [(e["type"], e["trigger"], e["headline"][:60]) for e in entries])


def test_seeds_key_events_are_mostly_readers_events(timeline):
    key = [e for e in timeline["events"] if e["key"]]
    readers = [e for e in key if any(_is(e, pattern, date) for _, pattern, date, _ in READERS_EVENTS)]
    assert len(readers) / len(key) >= 0.7, [e["headline"][:80] for e in key if e not in readers]
    assert len(key) <= 12  # a handful of articles: about ten


def test_seeds_key_events_headlines_are_sentences(timeline):
    for event in timeline["events"]:
        if event["key"]:
            assert is_complete(event["headline"]), event["headline"]
            assert "\n" not in event["headline"]


def test_seeds_key_events_ranked_and_salient(timeline):
    events = timeline["events"]
    assert sorted(e["rank"] for e in events) == list(range(1, len(events) + 1))
    key = [e for e in events if e["key"]]
    others = [e for e in events if not e["key"]]
    # Key entries are chosen from the top of the ranking (one per headline sentence, eligible only).
    assert min(e["salience"] for e in key) >= 0.35
    assert max(e["rank"] for e in key) < len(events) / 2
    assert all(0.0 <= e["salience"] <= 1.0 for e in others)
