"""Exact and near-duplicate articles: who is a copy of whom, deterministically and at scale."""

from __future__ import annotations

import dataclasses
import random
import re
import time

import pytest
from conftest import shared_data

from extractors.duplicates import DuplicateMatch, duplicate_matches, find_duplicates
from extractors.inputs import discover_inputs, read_input
from extractors.schema import Article


def _article(doc_id: str, body: str) -> Article:
    return Article(doc_id=doc_id, path=f"{doc_id}.txt", body=body)


@pytest.fixture(scope="module")
def seeds(seeds_dir) -> list[Article]:
    return [read_input(item) for item in discover_inputs(seeds_dir)]


def _edit(body: str, kind: str) -> str:
    paragraphs = body.split("\n\n")
    return {
        "furniture": "Back To Top\n\n" + body + "\n\nMOST POPULAR\nSubscribe to our newsletter",
        "case and punctuation": body.upper().replace(",", "").replace("“", '"'),
        "few words edited": body.replace("Harris", "Ms Harris", 2).replace("huge", "big").replace("said", "stated", 1),
        "new headline": "EXCLUSIVE: a new headline for the same wire copy\n\n" + body,
        "last paragraph dropped": "\n\n".join(paragraphs[:-1]),
    }[kind]


def test_duplicates_seeds_are_distinct(seeds):
    # Five write-ups of the same story by different outlets are five sources.
    assert find_duplicates(seeds) == {}


@pytest.mark.parametrize("kind", ["furniture", "case and punctuation", "few words edited", "new headline",
                                  "last paragraph dropped"])
@pytest.mark.parametrize("seed_index", [0, 2, 3])
def test_duplicates_near_copy_points_at_original(seeds, kind, seed_index):
    original = seeds[seed_index]
    copy = _article("zz_copy", _edit(original.body, kind))
    matches = duplicate_matches([*seeds, copy])
    assert set(matches) == {"zz_copy"}
    match = matches["zz_copy"]
    assert (match.original, match.exact) == (original.doc_id, False)
    assert 0.8 <= match.similarity <= 1.0
    assert re.fullmatch(rf"near-duplicate of {original.doc_id} \(\d+% of text shared\)", match.reason)


def test_duplicates_exact_copies_point_at_first_in_input_order(seeds):
    copies = [dataclasses.replace(seeds[1], doc_id=f"copy{i}") for i in range(3)]
    matches = duplicate_matches([copies[0], *seeds, copies[1], copies[2]])
    # The first occurrence is the original, even when it is the "copy"; all others point at it.
    assert matches == {seeds[1].doc_id: DuplicateMatch("copy0", 1.0, True),
                       "copy1": DuplicateMatch("copy0", 1.0, True), "copy2": DuplicateMatch("copy0", 1.0, True)}
    assert matches["copy1"].reason == "duplicate of copy0"


def test_duplicates_chain_points_at_root_not_at_a_duplicate(seeds):
    base = seeds[2].body
    one = _edit(base, "furniture")
    two = _edit(one, "few words edited")
    matches = find_duplicates([_article("a", base), _article("b", one), _article("c", two)])
    assert matches == {"b": "a", "c": "a"}


@pytest.mark.parametrize(
    ("bodies", "expected"),
    [
        (["Kim met Putin.", "Kim met Putin!"], {}),  # short bodies: exact only
        (["Kim met Putin.", "Kim met Putin."], {"d1": "d0"}),
        (["", ""], {"d1": "d0"}),
        (["word " * 30, "other " * 30], {}),
    ],
)
def test_duplicates_short_and_degenerate_bodies(bodies, expected):
    assert find_duplicates([_article(f"d{i}", b) for i, b in enumerate(bodies)]) == expected


def test_duplicates_excerpt_is_a_separate_source(seeds):
    body = seeds[2].body
    excerpt = body[: len(body) // 3]
    assert find_duplicates([_article("full", body), _article("excerpt", excerpt)]) == {}


def test_duplicates_deterministic_and_order_stable(seeds):
    articles = [*seeds] + [_article(f"c{i}", _edit(seeds[i % 5].body, "furniture")) for i in range(5)]
    first = duplicate_matches(articles)
    assert all(duplicate_matches(articles) == first for _ in range(3))
    assert {k: v.original for k, v in first.items()} == {f"c{i}": seeds[i % 5].doc_id for i in range(5)}


def test_duplicates_rejects_repeated_ids_and_bad_threshold(seeds):
    with pytest.raises(ValueError, match="occurs twice"):
        duplicate_matches([seeds[0], seeds[0]])
    with pytest.raises(ValueError, match="threshold"):
        duplicate_matches(seeds, threshold=0)


def test_duplicates_long_body_signature_is_bounded(seeds):
    import tracemalloc

    long_body = " ".join(random.Random(7).choice(("kim", "putin", "met", "arms", "deal", "talks", "seoul"))
                         for _ in range(150_000))
    tracemalloc.start()
    find_duplicates([_article("long", long_body), _article("long copy", long_body + " extra words here")])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # The body itself is 0.9 MB; word lists and (permutations x shingles) arrays are bounded by chunks.
    assert peak < 40 * 1024 * 1024, peak


def test_duplicates_scale_on_news_silver():
    folder = shared_data("news-silver")
    articles = []
    for path in sorted(folder.glob("*.tml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        match = re.search(r"<TEXT>(.*?)</TEXT>", text, re.S)
        articles.append(_article(path.stem, re.sub(r"<[^>]+>", "", match.group(1) if match else text)))
    start = time.perf_counter()
    matches = duplicate_matches(articles)
    elapsed = time.perf_counter() - start
    print(f"\nnews-silver: {len(articles)} docs, {len(matches)} near/exact duplicates, {elapsed:.1f} s")
    # Real newswire: a handful of re-filed stories, not a collapse of same-topic coverage.
    assert len(matches) < 0.01 * len(articles)
    assert elapsed < 60
