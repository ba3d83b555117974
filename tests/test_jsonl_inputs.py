"""JSON lines input: one article per line, every line accounted for, a bad line never stops the others."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from extractors.articles import InputRejected, jsonl_articles
from extractors.inputs import discover_inputs, read_input, read_inputs
from extractors.schema import Article, DocumentRecord

TODAY = dt.date(2026, 11, 23)
TALKS = ("Kim Jong Un will meet Vladimir Putin next week in Vladivostok, "
         "officials said on Thursday after a day of talks.")
SANCTIONS = "Washington imposed sanctions on three Russian firms last month, the Treasury said."
SIGNING = ("Russia and North Korea signed a military cooperation deal on 13 September 2023 "
           "in a ceremony at the Vostochny cosmodrome that lasted several hours.")
PAGE = f"<html><head><title>Deal signed</title></head><body><article><p>{SIGNING}</p></article></body></html>"


def _lines(*records: object) -> list[bytes]:
    return [(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)).encode("utf-8") + b"\n"
            for r in records]


def _by_id(found: list[Article | DocumentRecord]) -> dict[str, Article | DocumentRecord]:
    return {r.doc_id: r for r in found}


FEED = _lines(
    {"id": "a1", "title": "Summit planned", "published": "2023-09-07", "text": TALKS, "url": "https://x.test/a1"},
    {"id": "a1", "body": SANCTIONS},                       # the same id again
    {"content": SANCTIONS.replace("three", "four"), "date": "2023-13-45"},  # no id, broken date
    {"html": PAGE, "date_publish": "2023-09-14 08:00:00"},   # news-please style
    {"title": "only a title"},
    [1, 2],
    "",
    "{not json",
    {"text": 5},
    {"maintext": "   "},
)


# (doc_id, path, status or None for an article, reason, publication date, title)
FEED_EXPECTATIONS = [
    ("feed:a1", "feed.jsonl:1", None, None, dt.date(2023, 9, 7), "Summit planned"),
    ("feed:a1~2", "feed.jsonl:2", None, None, None, None),
    ("feed:3", "feed.jsonl:3", None, None, None, None),
    ("feed:4", "feed.jsonl:4", None, None, dt.date(2023, 9, 14), "Deal signed"),
    ("feed:5", "feed.jsonl:5", "skipped",
     "no article text (no body, text, content, maintext, article, html, raw_html field)", None, None),
    ("feed:6", "feed.jsonl:6", "skipped", "not a JSON object (list)", None, None),
    ("feed:8", "feed.jsonl:8", "skipped",
     "not valid JSON (Expecting property name enclosed in double quotes at column 2)", None, None),
    ("feed:9", "feed.jsonl:9", "skipped", "record text is not a string", None, None),
    ("feed:10", "feed.jsonl:10", "skipped", "no article text (no body, text, content, maintext, article, html, "
     "raw_html field)", None, None),
]


@pytest.mark.parametrize(("doc_id", "path", "status", "reason", "date", "title"), FEED_EXPECTATIONS,
                         ids=[e[0] for e in FEED_EXPECTATIONS])
def test_jsonl_each_line_is_an_article_or_a_reasoned_record(doc_id, path, status, reason, date, title):
    found = _by_id(list(jsonl_articles("feed", "feed.jsonl", FEED, today=TODAY)))
    assert set(found) == {e[0] for e in FEED_EXPECTATIONS}, "every non-blank line, and only those, is accounted for"
    record = found[doc_id]
    assert record.path == path
    if status is None:
        assert isinstance(record, Article)
        assert record.publication_date == date
        assert record.publication_date_source == ("metadata" if date else "none")
        assert record.title == title
    else:
        assert isinstance(record, DocumentRecord)
        assert (record.status, record.reason) == (status, reason)


def test_jsonl_record_text_metadata_and_warnings_are_kept():
    found = _by_id(list(jsonl_articles("feed", "feed.jsonl", FEED, today=TODAY)))
    assert found["feed:a1"].body == TALKS
    assert found["feed:a1"].url == "https://x.test/a1"
    assert found["feed:a1~2"].body == SANCTIONS
    assert found["feed:3"].warnings == ("invalid record date '2023-13-45' ignored",)
    assert found["feed:4"].body == SIGNING  # HTML reduced to its article text
    # Each line has its own content hash, so the extraction cache keys articles apart.
    assert len({found[i].sha256 for i in ("feed:a1", "feed:a1~2", "feed:3", "feed:4")}) == 4


def test_jsonl_text_field_wins_over_html_and_header_date_is_read():
    [article] = jsonl_articles("f", "f.jsonl", _lines({"text": "date 2023-09-05\n" + TALKS, "html": PAGE}))
    assert article.body == TALKS
    assert (article.publication_date, article.publication_date_source) == (dt.date(2023, 9, 5), "header")


@pytest.mark.parametrize(("lines", "reason"), [
    ([b"id,text\n", b"1,hello\n"], "not JSON lines (line 1: Expecting value at column 1)"),
    ([b"\n", b"[1, 2]\n", b"[3]\n"], "not JSON lines (line 2: a JSON list, not an object)"),
    ([b"a,b\n"] * 25 + [b'{"text": "too late to tell"}\n'], "not JSON lines (line 1: Expecting value at column 1)"),
    ([b"\n", b"  \n"], "empty file"),
    ([], "empty file"),
])
def test_jsonl_file_that_is_not_json_lines_is_one_rejection(lines, reason):
    with pytest.raises(InputRejected) as raised:
        list(jsonl_articles("f", "f.jsonl", lines))
    assert raised.value.reason == reason


@pytest.mark.parametrize("head", [
    [b'{"text": "Kim met Putin on 13 September 2023.", \n'],  # a record cut in the middle
    [b"\n", b"[1, 2]\n"],
    [b"id,text\n", b"\xef\xbb\xbf{broken\n"],
])
def test_jsonl_bad_first_lines_do_not_lose_the_valid_records(head):
    good = [json.dumps({"id": f"r{i}", "text": TALKS}).encode() + b"\n" for i in range(3)]
    found = list(jsonl_articles("f", "f.jsonl", head + good + [b"[oops\n"]))
    articles = [r for r in found if isinstance(r, Article)]
    assert [a.doc_id for a in articles] == ["f:r0", "f:r1", "f:r2"]
    bad = [r for r in found if not isinstance(r, Article)]
    blank = sum(1 for line in head if not line.strip())
    assert [r.path for r in bad] == [f"f.jsonl:{n}" for n in range(1 + blank, len(head) + 1)] + [f"f.jsonl:{len(head) + 4}"]
    assert all(r.status == "skipped" and r.reason.startswith(("not valid JSON", "not a JSON object")) for r in bad)


def test_jsonl_line_in_another_encoding_is_read_not_lost():
    line = json.dumps({"text": "Le café de Séoul a fermé le 13 septembre 2023, a dit la police."},
                      ensure_ascii=False).encode("cp1252") + b"\n"
    [article] = jsonl_articles("f", "f.jsonl", [line])
    assert "café de Séoul" in article.body


def _write_feed(folder: Path, name: str, lines: list[bytes]) -> Path:
    path = folder / name
    path.write_bytes(b"".join(lines))
    return path


def test_jsonl_read_inputs_reads_a_feed_next_to_text_files(tmp_path, seeds_dir):
    _write_feed(tmp_path, "feed.jsonl", FEED)
    _write_feed(tmp_path, "wire.ndjson", _lines({"uuid": 7, "text": SIGNING}))
    (tmp_path / "story.txt").write_text("date 2023-09-06\n" + SANCTIONS, encoding="utf-8")
    found = _by_id([r for item in discover_inputs(tmp_path) for r in read_inputs(item, today=TODAY)])
    assert set(found) == {e[0] for e in FEED_EXPECTATIONS} | {"wire:7", "story"}
    assert isinstance(found["wire:7"], Article) and found["wire:7"].path == "wire.ndjson:1"
    assert isinstance(found["story"], Article)


def test_jsonl_line_ids_stay_unique_next_to_a_file_named_like_one(tmp_path):
    from extractors.inputs import with_unique_ids

    _write_feed(tmp_path, "feed.jsonl", _lines({"text": SIGNING}, {"text": TALKS}))
    (tmp_path / "feed:2.txt").write_text(SANCTIONS, encoding="utf-8")
    loaded = with_unique_ids([r for item in discover_inputs(tmp_path) for r in read_inputs(item, today=TODAY)])
    assert sorted(r.doc_id for r in loaded) == ["feed:1", "feed:2", "feed:2~2"]
    assert {r.doc_id: r.path for r in loaded}["feed:2~2"] == "feed:2.txt"


def test_jsonl_binary_file_is_one_rejection(tmp_path):
    _write_feed(tmp_path, "feed.jsonl", [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40])
    [item] = discover_inputs(tmp_path)
    [record] = read_inputs(item)
    assert (record.doc_id, record.status, record.reason) == ("feed", "skipped", "not text (binary)")


def test_jsonl_oversized_line_is_refused_and_the_next_line_still_read(tmp_path):
    huge = json.dumps({"text": "x " * 5000}).encode() + b"\n"
    _write_feed(tmp_path, "feed.jsonl", [huge, *_lines({"id": "ok", "text": SIGNING})])
    [item] = discover_inputs(tmp_path)
    found = _by_id(read_inputs(item, max_bytes=4096, today=TODAY))
    assert (found["feed:1"].status, found["feed:1"].reason) == ("skipped", "line larger than the 4,096 byte limit")
    assert isinstance(found["feed:ok"], Article) and found["feed:ok"].path == "feed.jsonl:2"


def test_jsonl_read_input_of_a_one_record_feed_is_that_article(tmp_path):
    _write_feed(tmp_path, "one.jsonl", _lines({"text": SIGNING}))
    [item] = discover_inputs(tmp_path)
    article = read_input(item)
    assert isinstance(article, Article) and article.doc_id == "one:1"


def test_jsonl_a_file_given_as_the_source_is_its_one_entry(tmp_path):
    feed = _write_feed(tmp_path, "feed.jsonl", FEED)
    [item] = discover_inputs(feed)
    assert (item.doc_id, item.path) == ("feed", "feed.jsonl")
    assert {r.doc_id for r in read_inputs(item, today=TODAY)} == {e[0] for e in FEED_EXPECTATIONS}


@pytest.mark.slow
def test_jsonl_flow_reports_every_line_and_dates_events_by_the_record(prefect_harness, tmp_path):
    from flows.build_timeline import build_timeline

    feed = _write_feed(tmp_path, "feed.jsonl", FEED)  # the feed itself is the source
    result = build_timeline(source_dir=str(feed), output_dir=str(tmp_path / "out"))
    report = json.loads((tmp_path / "out" / "run_report.json").read_text(encoding="utf-8"))
    statuses = {d["doc_id"]: (d["status"], d.get("reason")) for d in report["documents"]}
    assert statuses == {e[0]: (e[2] or "processed", e[3]) for e in FEED_EXPECTATIONS}
    # The record's own publication date anchors its relative dates: "next week" in a record
    # published on 7 September 2023 is ISO week 37.
    dated = {(e.date.value, s.doc_id) for e in result.entries for s in e.sources}
    assert ("2023-W37", "feed:a1") in dated
    assert ("2023-09-13", "feed:4") in dated



@pytest.mark.slow
def test_jsonl_flow_large_feed_of_bad_records_keeps_outputs_and_log_small(prefect_harness, tmp_path, caplog):
    from flows.build_timeline import build_timeline

    lines = [b'{"text": "cut off\n']  # a broken first line must not cost the valid records
    lines += _lines({"id": "talks", "text": TALKS}, {"id": "signing", "text": SIGNING})
    lines += [json.dumps({"id": f"n{i}", "title": f"no text {i}"}).encode() + b"\n" for i in range(5000)]
    feed = _write_feed(tmp_path, "feed.jsonl", lines)
    with caplog.at_level("INFO"):
        result = build_timeline(source_dir=str(feed), output_dir=str(tmp_path / "out"))
    counts = {s: sum(1 for d in result.documents if d.status == s) for s in ("processed", "skipped", "failed")}
    assert counts == {"processed": 2, "skipped": 5001, "failed": 0}
    report = json.loads((tmp_path / "out" / "run_report.json").read_text(encoding="utf-8"))
    assert report["counts"]["skipped"] == 5001 and report["counts"]["processed"] == 2
    listed = {d["path"]: d["reason"] for d in report["documents"] if d["status"] == "skipped"}
    assert set(listed) == {"feed.jsonl:1", "feed.jsonl:4-5003"}
    assert listed["feed.jsonl:1"].startswith("not valid JSON (")
    assert listed["feed.jsonl:4-5003"] == ("no article text (no body, text, content, maintext, article, html, "
                                           "raw_html field) (5,000 lines)")
    assert (tmp_path / "out" / "timeline.json").stat().st_size < 200_000
    skipped_lines = [r for r in caplog.records if "skipped (" in r.getMessage()]
    assert len(skipped_lines) <= 50
