"""benchmarks/pubdate_eval.py: how it judges a date, reads its truth, and splits its sets."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from extractors.schema import Article
from tests.conftest import load_benchmark, shared_data

D = dt.date
bench = load_benchmark("pubdate_eval")
A = Article(doc_id="a", path="a.txt", body="x")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"publication_date": D(2023, 9, 7)}, "exact"),
    ({"publication_date": D(2023, 9, 10)}, "near"),
    ({"publication_date": D(2023, 9, 11)}, "wrong"),
    ({"publication_date": D(2022, 9, 7)}, "wrong"),
    ({"publication_date_earliest": D(2023, 9, 1)}, "bounded"),
    ({"publication_date_earliest": D(2023, 9, 12)}, "wrong"),  # a bound after the true date is wrong
    ({}, "none"),
])
def test_pubdate_eval_verdict(changes: dict, expected: str) -> None:
    assert bench.verdict(dataclasses.replace(A, **changes), D(2023, 9, 7)) == expected
    assert bench.verdict(None, D(2023, 9, 7)) == "none"


@pytest.mark.parametrize(("url", "expected"), [
    ("http://nypost.com/2013/05/02/lindsay-lohan-is-mia/", D(2013, 5, 2)),
    ("http://www.presstelegram.com/technology/20070503/judge-sentences-orozco", D(2007, 5, 3)),
    ("http://sportzassassin2.blogspot.nl/2005_05_01_archive.html", None),
    ("http://www.mlbtraderumors.com/2008/12/red-sox-make--1.html", None),
    (None, None),
])
def test_pubdate_eval_url_truth(url: str | None, expected: D | None) -> None:
    assert bench.url_date(url) == expected


def test_pubdate_eval_splits_do_not_overlap() -> None:
    data = shared_data("ecbplus").parent
    tune = {c.doc_id for g in bench.ecbplus(data, "tune", withheld=False) for c in g}
    confirm = {c.doc_id for g in bench.ecbplus(data, "confirm", withheld=False) for c in g}
    assert tune and confirm and not tune & confirm
    assert all(int(doc.split("_")[0]) <= 20 for doc in tune)
    assert bench._half(list(range(10)), "tune") == [0, 2, 4, 6, 8]
    assert bench._half(list(range(10)), "confirm") == [1, 3, 5, 7, 9]


def test_pubdate_eval_seeds(nlp) -> None:
    (group,) = bench.seeds(bench.DEFAULT_DATA, "tune")
    outcomes = {o.case.doc_id[:3]: o for o in bench.run_group(group, nlp)}
    # 002 dates itself from its text; 000 and 001, their headers withheld, get no wrong date.
    assert outcomes["002"].verdict == "exact" and outcomes["002"].article.publication_date_source == "text"
    assert {outcomes[d].verdict for d in ("000", "001")} <= {"exact", "near", "bounded", "none"}
