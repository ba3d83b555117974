"""The learned same-event scorer of merging: its model file is validated, its features are the values
the pair shows, and merging with it joins re-tellings of one story while the hard constraints keep
look-alikes apart."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib import resources

import numpy as np
import pytest

from extractors.merge import load_settings, merge_mentions, pair_table
from extractors.merge.features import FEATURE_NAMES
from extractors.merge.model import MergeModelError, load_model, parse_model
from extractors.schema import EventDate, EventMention


def _mention(doc: str, sentence_index: int, sentence: str, trigger: str, *, lemma: str | None = None,
             type: str = "legal", actors: tuple[str, ...] = (), locations: tuple[str, ...] = (),
             day: dt.date | None = None) -> EventMention:
    at = sentence.index(trigger)
    start = sentence_index * 1000 + at
    date = EventDate(value=day.isoformat(), start=day, end=day, granularity="day", basis="explicit") if day else EventDate()
    return EventMention(doc_id=doc, sentence_index=sentence_index, sentence=sentence, trigger=trigger,
                        trigger_lemma=lemma or trigger, trigger_start=start, trigger_end=start + len(trigger),
                        clause_start=sentence_index * 1000, clause_end=sentence_index * 1000 + len(sentence), type=type,
                        summary=sentence, actors=actors, locations=locations, date=date, trigger_in_sentence=at)


def _learned():
    return dataclasses.replace(load_settings(), learned_scorer=True)


def _raw_model() -> dict[str, object]:
    text = resources.files("extractors.resources").joinpath("merge_model.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def test_merge_model_packaged_loads_and_matches_features():
    model = load_model()
    assert model.features == FEATURE_NAMES
    assert 0.0 < model.threshold < 1.0
    probability = model.probability(np.zeros((2, len(FEATURE_NAMES))))
    assert probability.shape == (2,) and np.all((probability > 0) & (probability < 1))


@pytest.mark.parametrize(("patch", "message"), [
    ({"features": list(FEATURE_NAMES[:-1])}, "features must be exactly"),
    ({"features": list(reversed(FEATURE_NAMES))}, "features must be exactly"),
    ({"weights": [0.0]}, "one finite number per feature"),
    ({"weights": [float("nan")] * len(FEATURE_NAMES)}, "one finite number per feature"),
    ({"threshold": 1.5}, "threshold must be a probability"),
    ({"bias": "high"}, "bias must be a finite number"),
])
def test_merge_model_malformed_is_refused(patch, message):
    with pytest.raises(MergeModelError, match=message):
        parse_model({**_raw_model(), **patch}, FEATURE_NAMES)


ARREST_STORY = ("Police arrested Marcus Dell in Sacramento on Monday after a bank robbery on J Street; "
                "Dell, 34, was held at the Sacramento County jail.")
ARREST_RETOLD = ("Marcus Dell, 34, was taken into custody in Sacramento after the J Street bank robbery, "
                 "and is held at the county jail.")
OTHER_ARREST = "Police in Leeds arrested a teenager over a stabbing near the train station."


def test_merge_features_are_the_values_the_pair_shows():
    mentions = [
        _mention("a", 0, ARREST_STORY, "arrested", lemma="arrest", actors=("Marcus Dell",), locations=("Sacramento",)),
        _mention("a", 2, "The arrest followed a week-long search.", "arrest", actors=()),
        _mention("b", 0, ARREST_RETOLD, "custody", actors=("Marcus Dell",), locations=("Sacramento",)),
        _mention("c", 0, OTHER_ARREST, "arrested", lemma="arrest", locations=("Leeds",)),
    ]
    ordered, left, right, features = pair_table(mentions, _learned())
    col = {name: k for k, name in enumerate(FEATURE_NAMES)}
    row = {}
    for i, j, values in zip(left.tolist(), right.tolist(), features, strict=True):
        row[frozenset(((ordered[i].doc_id, ordered[i].sentence_index), (ordered[j].doc_id, ordered[j].sentence_index)))] = values

    same_article = row[frozenset({("a", 0), ("a", 2)})]
    assert same_article[col["same_lemma"]] == 1.0 and same_article[col["same_document"]] == 1.0
    assert same_article[col["sentence_nearness"]] == pytest.approx(1 / 3)
    assert same_article[col["reference_trigger"]] == 1.0  # "The arrest"
    assert same_article[col["document_similarity"]] == 0.0  # only across articles

    retold = row[frozenset({("a", 0), ("b", 0)})]
    assert retold[col["same_lemma"]] == 0.0 and retold[col["same_document"]] == 0.0
    assert retold[col["actor_overlap"]] == 1.0 and retold[col["places_shared"]] == 1.0
    look_alike = row[frozenset({("a", 0), ("c", 0)})]
    assert look_alike[col["same_lemma"]] == 1.0 and look_alike[col["places_disjoint"]] == 1.0
    # The re-telling shares the story's names, places and numbers; the look-alike does not.
    assert retold[col["document_similarity"]] > look_alike[col["document_similarity"]] + 0.2


def test_merge_learned_joins_retelling_in_other_words():
    """A re-telling in another article, in other words ("arrested" / "taken into custody": no sense
    group holds both), is one event."""
    mentions = [
        _mention("a", 0, ARREST_STORY, "arrested", lemma="arrest", actors=("Marcus Dell",), locations=("Sacramento",),
                 day=dt.date(2024, 3, 4)),
        _mention("b", 0, ARREST_RETOLD, "custody", lemma="custody", actors=("Dell",), locations=("Sacramento",)),
    ]
    assert len(merge_mentions(mentions, settings=_learned())) == 1


def test_merge_learned_never_joins_two_precise_dates_far_apart():
    """A hard constraint no probability overrides: the same wording on two days a month apart."""
    mentions = [
        _mention("a", 0, ARREST_STORY, "arrested", lemma="arrest", actors=("Marcus Dell",), day=dt.date(2024, 3, 4)),
        _mention("b", 0, ARREST_STORY, "arrested", lemma="arrest", actors=("Marcus Dell",), day=dt.date(2024, 4, 9)),
    ]
    assert len(merge_mentions(mentions, settings=_learned())) == 2


def test_merge_learned_never_joins_different_full_names():
    mentions = [
        _mention("a", 0, "Tara Reid checked into rehab in Malibu.", "checked", lemma="check", type="health",
                 actors=("Tara Reid",), locations=("Malibu",)),
        _mention("b", 0, "Lindsay Lohan checked into rehab in Malibu.", "checked", lemma="check", type="health",
                 actors=("Lindsay Lohan",), locations=("Malibu",)),
    ]
    assert len(merge_mentions(mentions, settings=_learned())) == 2


def _story_mentions() -> list[EventMention]:
    """Four articles, two look-alike stories: a quake near Jayapura (a, b), another near Antofagasta (c, d)."""
    texts = {
        "a": "A magnitude 7.6 earthquake struck near Jayapura in Papua on Sunday, killing four people in Sentani.",
        "b": "The Jayapura earthquake of magnitude 7.6 killed four people in Sentani, Papua officials said.",
        "c": "Chile's Antofagasta region was shaken overnight by an earthquake; Calama and Tocopilla lost power.",
        "d": "Power in Calama and Tocopilla was cut after the Antofagasta earthquake, Chilean officials reported.",
    }
    return [_mention(doc, 0, text, "earthquake", type="disaster") for doc, text in texts.items()]


def test_merge_learned_articles_cluster_into_stories():
    """Articles cluster by what they share beyond the topic's own words (names, places, numbers):
    both quake stories say "earthquake", only one says "Jayapura"."""
    mentions = _story_mentions()
    ordered, left, right, features = pair_table(mentions, _learned())
    col = {name: k for k, name in enumerate(FEATURE_NAMES)}
    same_story = {frozenset((ordered[i].doc_id, ordered[j].doc_id)): values[col["same_story"]]
                  for i, j, values in zip(left.tolist(), right.tolist(), features, strict=True)}
    assert same_story[frozenset("ab")] == 1.0 and same_story[frozenset("cd")] == 1.0
    assert same_story[frozenset("ac")] == 0.0 and same_story[frozenset("bd")] == 0.0
    lemma_and_story = {frozenset((ordered[i].doc_id, ordered[j].doc_id)): values[col["same_lemma_same_story"]]
                       for i, j, values in zip(left.tolist(), right.tolist(), features, strict=True)}
    assert lemma_and_story[frozenset("ab")] == 1.0 and lemma_and_story[frozenset("ad")] == 0.0


def test_merge_learned_stories_above_the_cap_fall_back_to_pair_similarity():
    """Above stories.max_documents no distance matrix is built; a pair's own article similarity decides."""
    mentions = _story_mentions()
    capped = dataclasses.replace(_learned(), story_max_documents=3)
    ordered, left, right, features = pair_table(mentions, capped)
    col = {name: k for k, name in enumerate(FEATURE_NAMES)}
    for i, j, values in zip(left.tolist(), right.tolist(), features, strict=True):
        similar = values[col["document_similarity"]] >= capped.story_similarity
        assert values[col["same_story"]] == float(similar), (ordered[i].doc_id, ordered[j].doc_id)
