"""The hostile-file set of `scripts/make_hostile_set.py`: what a real user's folder or feed may hold.

Every entry of the set must be reported with the status, reason and warning the script expects,
first by the loader alone (fast, no parser), then by the real `timeline run` command (exit code,
stderr without tracebacks or library noise, outputs, good files beside the bad ones processed).
The smaller tests below pin each fault this set found, at the function that had it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

from extractors.articles import InputRejected, build_article, decode, html_to_text, parse_metadata_date
from extractors.inputs import discover_inputs, read_inputs
from extractors.language import not_english_warning
from extractors.non_article import not_an_article
from extractors.resources import load_yaml
from extractors.schema import Article, DocumentRecord

TODAY = dt.date(2026, 1, 15)


def _load_script():
    spec = importlib.util.spec_from_file_location("make_hostile_set", PROJECT_ROOT / "scripts" / "make_hostile_set.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_hostile_set"] = module  # its dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


hostile = _load_script()


@pytest.fixture(scope="module")
def hostile_set(tmp_path_factory) -> Iterator[tuple[Path, dict]]:
    root = tmp_path_factory.mktemp("hostile-set") / "in"
    try:
        yield root, hostile.make_hostile_set(root, small=True)
    finally:
        # pytest's own clean-up recurses once per level: it would fail on the deep folder, in
        # the session of whoever runs pytest next on this machine.
        hostile.remove_tree(root)


def _as_reported(loaded: Article | DocumentRecord) -> dict:
    if isinstance(loaded, Article):
        return {"path": loaded.path, "status": "processed", "reason": None, "warnings": list(loaded.warnings)}
    return {"path": loaded.path, "status": loaded.status, "reason": loaded.reason, "warnings": list(loaded.warnings)}


def test_hostile_set_loader_reports_every_entry_as_expected(hostile_set):
    root, expected = hostile_set
    reported = [_as_reported(r) for item in discover_inputs(root) for r in read_inputs(item, today=TODAY)]
    # Telling duplicates apart is the flow's step: the loader reads them as articles.
    loader_expected = {path: hostile.P if "duplicate" in str(want.reason) else want for path, want in expected.items()}
    assert hostile.mismatches(loader_expected, reported) == []


def test_hostile_set_checker_finds_a_wrong_report():
    expected = {"a.txt": hostile.P, "b.txt": hostile.skipped("empty file")}
    reported = [{"path": "a.txt", "status": "skipped", "reason": "empty file"},
                {"path": "c.txt", "status": "processed", "reason": None}]
    problems = hostile.mismatches(expected, reported)
    assert len(problems) == 3, problems


@pytest.mark.slow
def test_hostile_set_cli_run(hostile_set, tmp_path):
    from test_hostile_cli import _require_pipeline, run_timeline

    _require_pipeline()
    root, expected = hostile_set
    output = tmp_path / "out"
    run = run_timeline(["run", str(root), "--output", str(output)], tmp_path / "work")
    print(run.describe("hostile set"))
    failed = [want for want in expected.values() if want.status == "failed"]
    assert run.returncode == (1 if failed else 0), run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert "trafilatura" not in run.stderr  # page-library doubts without a file name are not shown
    # A newline in a file name never forges a line: each stderr line is a log line or a report line.
    assert not any(line.startswith("with newline") for line in run.stderr.splitlines())
    report = json.loads((output / "run_report.json").read_text(encoding="utf-8"))
    assert hostile.mismatches(expected, report["documents"]) == []
    timeline = json.loads((output / "timeline.json").read_text(encoding="utf-8"))
    sources = {s["doc_id"] for event in timeline["events"] for s in event["sources"]}
    assert {"eruption", "summit", "strike"} <= sources
    # No event is dated by a placeholder publication date (the articles' text has no year of its own).
    placeholders = {"year 0001", "year 9999", "year 2200", "dates:y1", "dates:y9999", "dates:y-5"}
    assert not [e for e in timeline["events"] if {s["doc_id"] for s in e["sources"]} & placeholders
                and e["date_start"] and not "1605" <= e["date_start"][:4] <= "2100"]
    assert run.peak_process_rss < 2 * 1024**3


# Faults the set found, each at the function that had it.

def _jsonl_records(tmp_path: Path, data: bytes) -> list[Article | DocumentRecord]:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(data)
    [item] = discover_inputs(tmp_path)
    return read_inputs(item, today=TODAY)


BODY = "The port authority in Chile suspended operations on Tuesday after a strike, officials said."


@pytest.mark.parametrize(("line", "reason"), [
    # A 5,000-digit number made json raise a bare ValueError, which failed the whole file.
    (b'{"date": 1' + b"0" * 5000 + b', "body": "x"}', "not valid JSON (a number too long to read)"),
    # A string cut off at the line end was an "Invalid control character at at column …".
    (b'{"body": "cut off', "not valid JSON (Unterminated string starting at column 10)"),
    (b"null", "not a JSON object (null)"),
    (b'"text"', "not a JSON object (string)"),
    (b'{"body": null}', "no article text (no body, text, content, maintext, article, html, raw_html field)"),
])
def test_hostile_set_bad_json_line_is_one_skipped_line(tmp_path, line, reason):
    records = _jsonl_records(tmp_path, line + b"\n" + json.dumps({"body": BODY}).encode() + b"\n")
    assert [(r.path, getattr(r, "status", "processed"), getattr(r, "reason", None)) for r in records] == [
        ("feed.jsonl:1", "skipped", reason), ("feed.jsonl:2", "processed", None)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_hostile_set_utf16_json_lines_are_read(tmp_path, encoding):
    text = json.dumps({"id": "a", "body": BODY + " Zürich."}) + "\r\n" + json.dumps({"id": "b", "body": "Ελλάδα " + BODY}) + "\r\n"
    records = _jsonl_records(tmp_path, text.encode(encoding))
    assert [(r.doc_id, r.body[:6]) for r in records] == [("feed:a", "The po"), ("feed:b", "Ελλάδα")]


def test_hostile_set_repeated_keys_of_a_record_are_reported(tmp_path):
    [record] = _jsonl_records(tmp_path, b'{"body": "first", "body": "' + BODY.encode() + b'"}\n')
    assert record.body == BODY
    assert "record has the key(s) 'body' more than once; the last one read" in record.warnings


def test_hostile_set_mongo_export_date_is_read(tmp_path):
    [record] = _jsonl_records(tmp_path, json.dumps({"body": BODY, "date": {"$date": "2023-10-31T08:00:00Z"}}).encode())
    assert record.publication_date == dt.date(2023, 10, 31)


def test_hostile_set_sidecar_with_a_huge_number_is_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "a.meta.json").write_bytes(b'{"date": 1' + b"0" * 5000 + b"}")
    [item] = discover_inputs(tmp_path)
    [article] = read_inputs(item, today=TODAY)
    assert isinstance(article, Article)
    assert "sidecar a.meta.json is not valid JSON: a number too long to read" in article.warnings


def test_hostile_set_few_nul_bytes_in_a_short_text_are_stray():
    data = BODY.encode().replace(b" ", b" \x00", 3)  # 3 NULs: more than 1 % of this short text
    assert decode(data).text.replace("\x00", "") == BODY
    assert build_article("a", "a.txt", ".txt", data).body == BODY


@pytest.mark.parametrize(("raw", "date"), [
    ("October 2023", None),  # was 2023-10-01: a day the metadata does not name
    ("2023", None),  # was 2023-12-01
    ("Oct 31", None),  # was 2031-10-01
    ("12", None),
    ("31 October 2023", dt.date(2023, 10, 31)),
    ("Tue, 31 Oct 2023 08:00:00 GMT", dt.date(2023, 10, 31)),
    ("1698710400", dt.date(2023, 10, 31)),
])
def test_hostile_set_metadata_date_must_name_a_day(raw, date):
    assert parse_metadata_date(raw) == date


@pytest.mark.parametrize(("header", "date", "warning"), [
    ("0001-01-01", None, "publication date 0001-01-01 is before the first newspapers (1605): a placeholder, not a date; ignored"),
    ("9999-12-31", None, "publication date 9999-12-31 is more than 10 years in the future: a placeholder or a typing error; ignored"),
    ("2200-06-01", None, "publication date 2200-06-01 is more than 10 years in the future: a placeholder or a typing error; ignored"),
    ("1800-06-01", dt.date(1800, 6, 1), None),  # newspaper archives go back that far
    ("2027-03-01", dt.date(2027, 3, 1), "publication date 2027-03-01 is in the future; kept"),
])
def test_hostile_set_implausible_publication_date_is_ignored(header, date, warning):
    article = build_article("a", "a.txt", ".txt", f" date {header} {BODY}".encode(), today=TODAY)
    assert article.publication_date == date
    assert article.publication_date_source == ("header" if date else "none")
    assert (warning in article.warnings) if warning else not article.warnings


def test_hostile_set_placeholder_metadata_date_gives_way_to_the_header():
    sidecar = b'{"published": "0001-01-01T00:00:00Z"}'
    article = build_article("a", "a.txt", ".txt", f" date 2023-10-31 {BODY}".encode(), sidecar, today=TODAY,
                            sidecar_name="a.meta.json")
    assert (article.publication_date, article.publication_date_source) == (dt.date(2023, 10, 31), "header")


_PAGE = "<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(("title", "body", "reason"), [
    ("404 Not Found", "<h1>404 Not Found</h1><p>The page you requested could not be found.</p>",
     "not an article (error page: '404 Not Found')"),
    ("Example News", "<h1>Sign in to continue reading</h1><form><input name=email></form><p>Subscribe for $1 a week.</p>",
     "not an article (login or subscription page: 'Sign in to continue reading')"),
    ("Just a moment...", "<p>Checking your browser before accessing example.com</p><p>Please enable JavaScript and cookies to continue.</p>",
     "not an article (browser check page: 'Just a moment...')"),
    ("Redirecting...", "<p>If you are not redirected automatically, follow <a href='/a'>this link</a>.</p>",
     "not an article (redirect page: 'Redirecting...')"),
])
def test_hostile_set_error_and_login_pages_are_not_articles(title, body, reason):
    with pytest.raises(InputRejected) as caught:
        build_article("p", "p.html", ".html", _PAGE.format(title=title, body=body).encode())
    assert caught.value.reason == reason


def test_hostile_set_short_article_quoting_an_error_line_is_an_article():
    body = "<p>Searchers said the missing hiker could not be found after three days.</p><p>Access denied.</p>" + \
        "<p>" + " ".join(["The rescue teams were joined by volunteers from nearby villages."] * 15) + "</p>"
    article = build_article("p", "p.html", ".html", _PAGE.format(title="Hiker still missing", body=body).encode())
    assert article.body.startswith("Searchers said")


def test_hostile_set_non_article_rules_keep_their_examples():
    rules = load_yaml("non_article_pages.yaml")
    for kind in rules["kinds"]:
        for rule in kind["patterns"]:
            for example in rule["examples"]:
                assert not_an_article(example, "a short text") is not None, example
    for article in rules["not_pages"]:
        assert not_an_article(None, article) is None, article


@pytest.mark.parametrize(("text", "found"), [
    ("Президент России Владимир Путин встретился в среду с лидером КНДР Ким Чен Ыном, сообщили в Кремле.",
     "text is mostly in Cyrillic script"),
    ("朝鲜最高领导人金正恩于9月13日在东方航天发射场与俄罗斯总统普京会面。克里姆林宫表示，两国领导人进行了数小时的会谈。",
     "text is mostly in Chinese (CJK) script"),
    ("التقى الرئيس الروسي فلاديمير بوتين يوم الأربعاء بالزعيم الكوري الشمالي كيم جونغ أون في قاعدة فوستوشني الفضائية",
     "text is mostly in Arabic script"),
    ("Le président Poutine a rencontré Kim à Vostotchny, a déclaré le Kremlin. Les deux dirigeants ont discuté de "
     "coopération militaire, selon des responsables à Séoul, jeudi.", "text looks like French"),
    (BODY + " " + BODY, None),
    ("Spanish league results on Saturday: Valencia 1 (Vicente 74) Athletic Bilbao 1 (Etxeberria 57) Real Sociedad v "
     "Villarreal - late kickoff Sunday Atletico Madrid v Alaves, Deportivo La Coruna v Cadiz", None),
])
def test_hostile_set_article_not_in_english_is_warned_about(text, found):
    warning = not_english_warning(text)
    if found is None:
        assert warning is None
    else:
        assert warning == f"{found}, not English: dates and events are found in English text only"


def test_hostile_set_russian_article_is_processed_with_a_warning():
    text = " date 2023-10-31 Президент России Владимир Путин встретился в среду с лидером КНДР Ким Чен Ыном на " \
        "космодроме Восточный, сообщили в Кремле. Переговоры продолжались несколько часов."
    article = build_article("ru", "ru.txt", ".txt", text.encode(), today=TODAY)
    assert article.body.startswith("Президент России")
    assert article.warnings == ("text is mostly in Cyrillic script, not English: dates and events are found in "
                                "English text only",)


def test_hostile_set_language_lexicon_keeps_its_examples():
    data = load_yaml("languages.yaml")
    for name, spec in data["languages"].items():
        for example in spec["examples"]:
            assert not_english_warning(example) == f"text looks like {name}, not English: dates and events are found in English text only"
    for example in data["english_examples"]:
        assert not_english_warning(example) is None


@pytest.mark.parametrize("tag", ["div", "font", "span"])
def test_hostile_set_page_nested_deeper_than_the_parser_is_read(tag):
    page = _PAGE.format(title="Deep", body=f"<{tag}>" * 10_000 + f"<p>{BODY}</p>" + f"</{tag}>" * 10_000)
    text, _, _, _ = html_to_text(page)
    assert text.strip() == BODY


def test_hostile_set_page_too_deep_even_without_layout_tags_says_so():
    page = _PAGE.format(title="Deep", body="<table><tr><td>" * 300 + f"<p>{BODY}</p>" + "</td></tr></table>" * 300)
    with pytest.raises(InputRejected) as caught:
        html_to_text(page)
    assert caught.value.reason.startswith("HTML page nested too deeply to read (")


@pytest.mark.parametrize(("make", "warning"), [
    (lambda p: __import__("os").mkfifo(p), "sidecar a.meta.json is not a regular file (folder, device, pipe or socket); ignored"),
    (lambda p: p.mkdir(), "sidecar a.meta.json is not a regular file (folder, device, pipe or socket); ignored"),
    (lambda p: p.symlink_to("missing.json"), "sidecar a.meta.json is a dangling symbolic link; ignored"),
])
def test_hostile_set_sidecar_that_cannot_be_read_is_named_on_its_article(tmp_path, make, warning):
    (tmp_path / "a.txt").write_text(BODY)
    make(tmp_path / "a.meta.json")
    item = next(i for i in discover_inputs(tmp_path) if i.path == "a.txt")
    [article] = read_inputs(item, today=TODAY)
    assert isinstance(article, Article) and warning in article.warnings


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", ["a.txt", "a.jsonl"])
def test_hostile_set_file_replaced_by_a_pipe_before_it_is_opened_does_not_hang(tmp_path, monkeypatch, name):
    import os

    from extractors import inputs

    (tmp_path / name).write_text(json.dumps({"body": BODY}) if name.endswith(".jsonl") else BODY)
    [item] = discover_inputs(tmp_path)
    checked = inputs._checked_file

    def swapped_after_the_check(*args):
        found = checked(*args)  # a regular file when checked ...
        os.remove(tmp_path / name)
        os.mkfifo(tmp_path / name)  # ... a pipe with no writer when opened: open() would wait forever
        return found

    monkeypatch.setattr(inputs, "_checked_file", swapped_after_the_check)
    [record] = read_inputs(item, today=TODAY)
    assert (record.status, record.reason) == ("skipped", "not a regular file (device, pipe or socket)")


def _feed_articles(n: int, undated_every: int) -> list[Article]:
    return [Article(doc_id=f"d{i:04d}", path=f"d{i}", body=hostile.story(i), title=None, url=None,
                    publication_date=None if i % undated_every == 0 else dt.date(2023, 10, 31),
                    publication_date_source="none" if i % undated_every == 0 else "metadata",
                    publication_date_evidence=None, sha256=str(i), warnings=()) for i in range(n)]


def test_hostile_set_estimation_compares_only_pairs_with_an_undated_article():
    """A feed whose articles share sentences and events made every pair of them (8 GB for 10,000
    records); the estimates need only the pairs with an article to date, and find the same."""
    from types import SimpleNamespace

    from extractors.pubdate import _shared_sentences, load_settings, shared_events

    articles = _feed_articles(120, undated_every=40)
    undated = {a.doc_id for a in articles if a.publication_date is None}
    every = _shared_sentences(articles, load_settings())
    wanted = _shared_sentences(articles, load_settings(), involving=undated)
    assert wanted and wanted == {pair: found for pair, found in every.items() if set(pair) & undated}
    assert len(every) > 5 * len(wanted)
    # One event reported by all of them (what shared_events reads of an entry: its sources' doc ids).
    entry = SimpleNamespace(sources=[SimpleNamespace(doc_id=a.doc_id) for a in articles])
    counted = shared_events([entry], involving=undated)
    assert counted == {pair: 1 for pair in shared_events([entry]) if set(pair) & undated}
    assert len(counted) == 3 * 119 - 3  # three undated articles: each with the 119 others, their own pairs once


@pytest.mark.slow
def test_hostile_set_tag_command_escapes_names(tmp_path):
    import subprocess

    source = tmp_path / "feed\nskipped forged.jsonl"
    source.write_text('"not an object"\n' + json.dumps({"body": BODY}) + "\n")
    result = subprocess.run([str(Path(sys.executable).with_name("timeline")), "tag", str(source), "--dct", "2023-10-31"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "skipped feed\\nskipped forged.jsonl:1: not a JSON object (string)" in result.stderr
    assert not any(line.startswith("skipped forged") for line in result.stderr.splitlines())


def test_hostile_set_folder_deeper_than_the_system_allows_is_one_failed_entry(tmp_path):
    """2,100 levels: the path of the deepest folders is longer than the system's limit (4,096 bytes)."""
    root = tmp_path / "in"
    try:
        hostile._deep_file(root / ("d/" * 2_100 + "a.txt"), 2_100, BODY)
        (root / "top.txt").write_text(BODY.replace("Chile", "Peru"))
        loaded = [_as_reported(r) for item in discover_inputs(root) for r in read_inputs(item, today=TODAY)]
    finally:
        hostile.remove_tree(root)  # see the hostile_set fixture
    assert [(r["status"], r["reason"]) for r in loaded] == [
        ("failed", "cannot read file: File name too long"), ("processed", None)]
    assert loaded[0]["path"].startswith("d/d/d/")


def test_hostile_set_rtf_saved_as_text_is_not_read_as_an_article():
    data = rb"{\rtf1\ansi\ansicpg1252\cocoartf2639 {\fonttbl\f0\fswiss Helvetica;} \f0\fs24 " + BODY.encode() + b"}"
    with pytest.raises(InputRejected) as caught:
        build_article("r", "r.txt", ".txt", data)
    assert caught.value.reason == "not text (an RTF document; save it as plain text)"


@pytest.mark.parametrize(("data", "title", "date", "body", "warnings"), [
    # Jekyll/Hugo front matter: metadata, not the article's first sentences.
    (b'---\ntitle: "Grindavik evacuated"\ndate: 2023-11-10T08:00:00+00:00\ntags: [iceland]\n---\n' + BODY.encode(),
     "Grindavik evacuated", dt.date(2023, 11, 10), BODY, ()),
    # Nested aliases (a "billion laughs") are never expanded: only scalar fields are read.
    (b"---\na: &a [1, 1, 1, 1]\nb: &b [*a, *a, *a, *a]\ntitle: *b\ndate: 2023-11-10\n---\n" + BODY.encode(),
     None, dt.date(2023, 11, 10), BODY, ()),
    (b"---\ntitle: [unclosed\n---\n" + BODY.encode(), "---", None, "---\ntitle: [unclosed\n---\n" + BODY,
     ("front matter is not valid YAML (expected ',' or ']', but got '<stream end>'); read as text",)),
    # A Markdown rule above a paragraph is text.
    (b"---\n" + BODY.encode() + b"\n---\nMore.", "---", None, "---\n" + BODY + "\n---\nMore.", ()),
])
def test_hostile_set_markdown_front_matter_is_metadata(data, title, date, body, warnings):
    article = build_article("p", "p.md", ".md", data, today=TODAY)
    assert (article.title, article.publication_date, article.body, article.warnings) == (title, date, body, warnings)
