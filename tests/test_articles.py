"""Loading articles: header, sidecar, encodings, boilerplate, titles, rejects."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from extractors.articles import (
    InputRejected,
    build_article,
    clean_text,
    decode,
    decode_bytes,
    future_date_warning,
    looks_like_html,
    parse_header,
    parse_metadata_date,
    parse_sidecar,
    strip_boilerplate,
)
from extractors.inputs import discover_inputs, read_input
from extractors.resources import load_yaml
from extractors.schema import Article, DocumentRecord


@pytest.mark.parametrize(
    ("text", "body", "date", "warnings"),
    [
        (" date 2023-11-06 Recent reports of talks.", "Recent reports of talks.", dt.date(2023, 11, 6), ()),
        ("date 2023-11-14\nUS officials warned.", "US officials warned.", dt.date(2023, 11, 14), ()),
        ("Date 2023-1-5 Text.", "Text.", dt.date(2023, 1, 5), ()),
        (" date 2023-13-45 Text.", "Text.", None, ("invalid header date '2023-13-45' ignored",)),
        ("The date 2023-11-06 is not a header.", "The date 2023-11-06 is not a header.", None, ()),
        ("No header here.", "No header here.", None, ()),
    ],
)
def test_articles_parse_header(text, body, date, warnings):
    assert parse_header(text) == (body, date, warnings)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Harris said “huge mistake” — café".encode(), "Harris said “huge mistake” — café"),
        (b"\xef\xbb\xbfWith BOM", "With BOM"),
        ("UTF-16 “text” here".encode("utf-16"), "UTF-16 “text” here"),
        ("Smart “quotes” – and café, in cp1252 from a legacy site".encode("cp1252"),
         "Smart “quotes” – and café, in cp1252 from a legacy site"),
        ("Latin-1 café résumé naïve text from an old archive".encode("latin-1"),
         "Latin-1 café résumé naïve text from an old archive"),
    ],
)
def test_articles_decode_bytes(data, expected):
    assert decode_bytes(data) == expected


def test_articles_decode_bytes_rejects_binary():
    with pytest.raises(InputRejected, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")


def _boilerplate_examples():
    rules = load_yaml("boilerplate.yaml")
    return [(kind, rule["pattern"], example) for kind in ("cut", "drop") for rule in rules[kind]
            for example in rule["examples"]]


@pytest.mark.parametrize(("kind", "pattern", "example"), _boilerplate_examples())
def test_articles_boilerplate_rule_examples_match(kind, pattern, example):
    import re

    assert re.fullmatch(pattern, example.strip(), re.IGNORECASE), (kind, pattern, example)


def test_articles_strip_boilerplate_cuts_trailing_furniture_only():
    story = "\n\n".join(f"Paragraph {i} says officials met in Jakarta." for i in range(6))
    page = f"Back To Top\n\n{story}\n\nMOST POPULAR\nLATEST NEWS\nsubscribe\nSome teaser headline"
    body, removed = strip_boilerplate(page)
    assert body == story
    assert removed == 5


def test_articles_strip_boilerplate_keeps_early_mentions_of_cue_words():
    text = "Comments\nThe minister's comments drew anger.\n\n" + "More text about the visit. " * 20
    body, _ = strip_boilerplate(text)
    assert "The minister's comments drew anger." in body


def test_articles_build_article_sidecar_wins_over_header():
    sidecar = json.dumps({"title": "T", "url": "https://example.org/a", "publication_date": "2023-09-08"}).encode()
    article = build_article("a", "a.txt", ".txt", b" date 2023-11-06 Body text.", sidecar)
    assert (article.publication_date, article.publication_date_source) == (dt.date(2023, 9, 8), "metadata")
    assert (article.title, article.url, article.body) == ("T", "https://example.org/a", "Body text.")


def test_articles_build_article_bad_sidecar_is_a_warning():
    article = build_article("a", "a.txt", ".txt", b" date 2023-11-06 Body text.", b"{not json")
    assert article.publication_date_source == "header"
    assert article.warnings[0].startswith("sidecar is not valid JSON")


@pytest.mark.parametrize(("data", "reason"), [(b"", "empty file"), (b"  \n\t\n", "empty file"),
                                              (b"\x00\x01\x02binary\x00", "not text (binary)")])
def test_articles_build_article_rejects(data, reason):
    with pytest.raises(InputRejected) as info:
        build_article("a", "a.txt", ".txt", data)
    assert info.value.reason == reason


def test_articles_seed_loading(seeds_dir):
    loaded = {item.doc_id: read_input(item) for item in discover_inputs(seeds_dir)}
    assert len(loaded) == 5 and all(isinstance(a, Article) for a in loaded.values())
    dates = {k: (a.publication_date, a.publication_date_source) for k, a in loaded.items()}
    assert dates["000_58f195e361b44d20"] == (dt.date(2023, 11, 6), "header")
    assert dates["001_8b995e60514696a3"] == (dt.date(2023, 11, 14), "header")
    assert {dates[k] for k in loaded if k[:3] in {"002", "003", "004"}} == {(None, "none")}
    assert loaded["000_58f195e361b44d20"].body.startswith("Recent reports of advancing arms negotiations")
    maverick, yonhap = loaded["002_2cd80822a07d7f9c"], loaded["004_955dd4515aecd1ca"]
    assert maverick.body.endswith("“All this stuff is potentially troubling,” he said.")
    assert "Maverick" not in maverick.body and "Reporting by" not in maverick.body
    assert yonhap.body.startswith("N. Korea-Russia partnership may benefit both")
    assert yonhap.body.endswith("(Yonhap)") and "MOST POPULAR" not in yonhap.body
    assert yonhap.title == "N. Korea-Russia partnership may benefit both but will have limits: former intelligence officer"
    assert maverick.title.startswith("US Vice-President Harris says")


def test_articles_every_file_is_accounted_for(tmp_path: Path):
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    (tmp_path / "good.txt").write_text(" date 2023-09-07 Harris spoke on Thursday.")
    (tmp_path / "nested" / "deeper" / "naïve name.txt").write_text("Kim met Putin.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "good.meta.json").write_text('{"title": "Good"}')
    results = {item.path: read_input(item) for item in discover_inputs(tmp_path)}
    assert set(results) == {"good.txt", "nested/deeper/naïve name.txt", "empty.txt", "report.pdf", "dangling.txt"}
    reasons = {p: r.reason for p, r in results.items() if isinstance(r, DocumentRecord)}
    assert reasons == {"empty.txt": "empty file", "report.pdf": "unsupported type .pdf",
                       "dangling.txt": "dangling symbolic link"}
    assert results["good.txt"].title == "Good"


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("Pyong\u200byang", "Pyongyang"),
        ("soft\u00adhyphen", "softhyphen"),
        ("bell\x07 escape\x1b nul\x00", "bell escape nul"),
        ("line\u2028separator\u2029paragraph\x85next\x0cpage", "line\nseparator\nparagraph\nnext\npage"),
        ("\u202eMoscow\u202c", "Moscow"),
        ("Se\u0301oul", "Séoul"),
        ("family \U0001F468\u200d\U0001F469\u200d\U0001F467 \U0001F44D\U0001F3FD", "family \U0001F468\u200d\U0001F469\u200d\U0001F467 \U0001F44D\U0001F3FD"),
        ("mid\ufefftext", "midtext"),
    ],
)
def test_articles_clean_text(text, cleaned):
    assert clean_text(text) == cleaned


@pytest.mark.parametrize(
    ("text", "is_html"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("  \n<html lang='en'><body>x</body></html>", True),
        ("<?xml version='1.0'?>\n<!-- saved page -->\n<html>", True),
        ("<htmlish> is not a page", False),
        ("The <html> tag was mentioned in the article.", False),
        ("Plain text.", False),
    ],
)
def test_articles_looks_like_html(text, is_html):
    assert looks_like_html(text) is is_html


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2023-09-08", dt.date(2023, 9, 8)),
        ("2023-09-08T22:10:00Z", dt.date(2023, 9, 8)),
        ("7 September 2023", dt.date(2023, 9, 7)),
        ("2023-13-45", None),
        ("2023-02-30", None),
        ("next Thursday", None),
        ("x" * 200, None),
        ("", None),
    ],
)
def test_articles_parse_metadata_date(raw, date):
    assert parse_metadata_date(raw) == date


@pytest.mark.parametrize(
    ("published", "today", "warnings"),
    [
        (dt.date(2023, 9, 8), dt.date(2023, 9, 8), ()),
        (dt.date(2023, 9, 9), dt.date(2023, 9, 8), ()),  # a day ahead: time zones
        (dt.date(2023, 9, 10), dt.date(2023, 9, 8), ("publication date 2023-09-10 is in the future; kept",)),
        (None, dt.date(2023, 9, 8), ()),
        (dt.date(2031, 1, 1), None, ()),
    ],
)
def test_articles_future_date_warning(published, today, warnings):
    assert future_date_warning(published, today) == warnings


@pytest.mark.parametrize(
    ("data", "text", "warnings"),
    [
        ("Kim “met” Putin".encode("utf-16-le"), "Kim “met” Putin", ()),
        ("Kim “met” Putin".encode("utf-16-be"), "Kim “met” Putin", ()),
        # Short text whose one astral character puts zeros in two low bytes (surrogates D800 DC00).
        (" date 2000-01-01 𐀀".encode("utf-16-le"), " date 2000-01-01 𐀀", ()),
        ("Kim 一 met Putin Ā".encode("utf-16-be"), "Kim 一 met Putin Ā", ()),
        ("“Kim” met — Putin".encode() + b"\xff", "“Kim” met — Putin\ufffd", ("1 invalid UTF-8 byte sequence(s) replaced",)),
        ("Kim met Putin".encode("utf-32"), "Kim met Putin", ()),
    ],
)
def test_articles_decode_with_warnings(data, text, warnings):
    decoded = decode(data)
    assert (decoded.text, decoded.warnings) == (text, warnings)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n%\xe2\xe3", b"PK\x03\x04\x14\x00", b"\x1f\x8b\x08\x00", b"\x7fELF\x02\x01",
                                  bytes(range(1, 32)) * 20])
def test_articles_decode_rejects_binary_formats(data):
    with pytest.raises(InputRejected, match=r"^not text \(binary\)$"):
        decode(data)


@pytest.mark.parametrize(
    ("sidecar", "warning"),
    [
        (b"{not json", "sidecar is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        (b"[1, 2]", "sidecar is not a JSON object (list); ignored"),
        (b'{"title": ["a"]}', "sidecar title is not a string; ignored"),
        (b'{"date": "2023-02-30"}', "invalid sidecar date '2023-02-30' ignored"),
        (b'{"date": {"y": 2023}}', 'invalid sidecar date {"y": 2023} ignored'),
        (b"[" * 100_000, "sidecar is not valid JSON: nested too deeply"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "sidecar is not valid JSON: not text (binary)"),
    ],
)
def test_articles_parse_sidecar_warnings(sidecar, warning):
    assert parse_sidecar(sidecar).warnings == (warning,)
    # Given its file name, every warning names the sidecar, so the report accounts for the file.
    named = warning.replace("sidecar", "sidecar story.meta.json", 1)
    assert parse_sidecar(sidecar, "story.meta.json").warnings == (named,)
