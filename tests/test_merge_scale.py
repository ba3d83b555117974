"""benchmarks/merge_scale.py synthesizes a collection the merge can be judged on: its articles tell
stories as news articles do (the merge's same-story rule reads them), each mention stands in a
sentence of its own, and one speaker's statements of one story fall on different days (what one
speaker says on one day is one statement, as the merge defines it)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict

import pytest
from conftest import load_benchmark

from extractors.merge import load_settings
from extractors.merge.features import document_vectors

merge_scale = load_benchmark("merge_scale")


@pytest.fixture(scope="module")
def synthesized():
    return merge_scale.synthesize(1_500, 7)


def test_merge_scale_articles_cluster_into_many_stories(synthesized):
    # Articles made of unrelated events all look alike to the story clustering: it once put 94 % of
    # them in one "story", where the same predicate anywhere became one event.
    stories = document_vectors([m for m, _ in synthesized], load_settings()).stories
    sizes = Counter(stories.values())
    assert len(sizes) >= 20
    assert max(sizes.values()) <= len(stories) // 4


def test_merge_scale_article_tells_one_story(synthesized):
    # Each event belongs to one story, and the articles reporting it belong to that story only.
    story_of_event: dict[int, set[str]] = defaultdict(set)
    for m, event in synthesized:
        story_of_event[event].add(m.doc_id.split("-")[0])
    assert all(len(stories) == 1 for stories in story_of_event.values())
    assert len({m.doc_id for m, _ in synthesized}) < len(synthesized) / 2  # articles report several events


def test_merge_scale_one_mention_per_sentence(synthesized):
    places = Counter((m.doc_id, m.sentence_index) for m, _ in synthesized)
    assert places.most_common(1)[0][1] == 1
    assert all(m.sentence_index * merge_scale.SENTENCE_CHARS <= m.trigger_start
               < (m.sentence_index + 1) * merge_scale.SENTENCE_CHARS for m, _ in synthesized)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_merge_scale_one_statement_per_speaker_and_day(seed):
    rng = random.Random(seed)
    people = merge_scale._people(rng, 50)
    vocabulary = merge_scale._vocabulary(rng, 300)
    story = merge_scale._Story(cast=tuple(people[:2]), places=("Seoul",), topic=tuple(vocabulary[-5:]),
                               first_day=dt.date(2023, 9, 1), days=3)
    occasions: set = set()
    events = [merge_scale._story_event(rng, story, people, vocabulary, occasions) for _ in range(200)]
    statements = [(cast[0], day) for type_, _, cast, _, _, day, _ in events if type_ in merge_scale.STATEMENT_TYPES]
    assert len(statements) > 20  # more than the cast has days: other speakers take the rest
    assert len(set(statements)) == len(statements)
    assert all(story.first_day <= day <= story.first_day + dt.timedelta(days=story.days) for _, day in statements)
