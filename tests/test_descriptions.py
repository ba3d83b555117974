"""People named by a description (`extractors.descriptions`): the names inside a description are
not actors, and a description the article gives a named person refers to that person."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.descriptions import DescriptionResourceError, load_descriptions
from extractors.events import extract_events
from extractors.schema import Article
from extractors.timex import tag_timexes


def _actors(nlp, text: str, trigger: str) -> tuple[str, ...]:
    doc = nlp(text)
    article = Article("t", "t", text, publication_date=dt.date(2023, 9, 8), publication_date_source="metadata")
    events = [e for e in extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))
              if e.trigger == trigger]
    assert events, trigger
    return events[0].actors


@pytest.mark.parametrize("text,trigger,person,not_actor", load_descriptions().examples)
def test_descriptions_examples(nlp, text, trigger, person, not_actor):
    actors = _actors(nlp, text, trigger)
    assert not_actor not in actors
    if person is not None:
        assert person in actors


@pytest.mark.parametrize("text,trigger,actors", [
    # The description after the remark, the name in the next sentence ("as" a role held).
    ("North Korea may gain little, a former US intelligence officer on North Korea said Thursday. "
     "Maria Olsen, who retired in May as intelligence officer for Korea, spoke at a webinar.",
     "said", ("Maria Olsen",)),
    # Two people with the same kind of role: the description stays unresolved.
    ("Anna Berg, a former intelligence officer, and Tom Hale, a former intelligence officer, spoke. "
     "A former intelligence official said the plan would fail.", "said", ()),
    # A current spokesman speaks for his company.
    ("A Toyota spokesman said on Monday that the carmaker would recall 10,000 cars.", "said", ("Toyota",)),
    # Officials in the plural are the government speaking.
    ("US officials said on Monday that the talks had failed.", "said", ("US",)),
])
def test_descriptions_described_speakers(nlp, text, trigger, actors):
    assert _actors(nlp, text, trigger) == actors


def test_descriptions_reject_a_noun_in_two_families(monkeypatch):
    import extractors.descriptions as ds

    monkeypatch.setattr(ds, "load_yaml", lambda name: {"role_families": [["official"], ["official", "aide"]]})
    ds.load_descriptions.cache_clear()
    try:
        with pytest.raises(DescriptionResourceError, match="official"):
            ds.load_descriptions()
    finally:
        ds.load_descriptions.cache_clear()
