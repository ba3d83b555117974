"""Hostile input folders: every entry is accounted for with the right status and a human reason.

`build_hostile_folder` makes one of each hostile input next to copies of the seed articles;
the table `HOSTILE_EXPECTATIONS` says what the loader must report for each. The same folder
drives the end-to-end CLI test in test_hostile_cli.py.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from extractors import export
from extractors.articles import MAX_INPUT_BYTES
from extractors.inputs import discover_inputs, read_input
from extractors.schema import Article, DocumentRecord

SEED_NAMES = (
    "000_58f195e361b44d20.txt", "001_8b995e60514696a3.txt", "002_2cd80822a07d7f9c.txt",
    "003_5230a247bce10831.txt", "004_955dd4515aecd1ca.txt",
)
# Distinct stories (a shared text would make the files near-duplicates of each other), each with
# something the loader must keep intact: curly quotes, dashes, accents, dates.
STORIES = {
    "utf8_bom": "North Korean leader Kim Jong Un met Russian President Vladimir Putin at the Vostochny "
                "cosmodrome on 13 September 2023, the Kremlin said. The two leaders toured the launch pads.",
    "utf16_bom": "South Korea summoned the Russian ambassador on Friday to protest against the summit, the "
                 "foreign ministry in Seoul said, calling any arms trade “a clear violation” of sanctions.",
    "utf16le_no_bom": "Japan’s chief cabinet secretary said Tokyo was watching closely whether ammunition "
                      "shipments had started, adding that officials would coordinate with Washington next week.",
    "cp1252": "“It’s a huge mistake,” a U.S. official said — café owners in Vladivostok watched the armoured "
              "train leave on 17 September 2023 as police closed the station for several hours.",
    "broken_utf8": "Satellite images published on Tuesday showed “rail cars” massing at the Tumangang border "
                   "crossing, analysts at a Washington think tank said — suggesting deliveries of shells.",
    "bad_header_date": "The United Nations panel of experts reported in March that Pyongyang had evaded "
                       "sanctions through ship-to-ship transfers of refined petroleum in the Yellow Sea.",
    "impossible_header_date": "Russian Defence Minister Sergei Shoigu visited Pyongyang in July and attended "
                              "a military parade where new drones and missiles were shown to foreign guests.",
    "future_date": "Officials expect the foreign ministers to meet again next spring in Moscow to sign an "
                   "agreement on fisheries, tourism and a new bridge over the Tumen river.",
    "bad_sidecar": "The European Union added three North Korean entities to its sanctions list on Monday, "
                   "freezing assets linked to the missile programme and banning travel by two generals.",
    "sidecar_bad_date": "Chinese state media gave the summit little coverage, and Beijing’s foreign ministry "
                        "said on Wednesday that the meeting was a matter between two sovereign states.",
    "nested": "A cargo ship owned by a Russian logistics firm was tracked leaving Rajin port in October with "
              "hundreds of containers, according to open-source investigators who monitor the harbour.",
    "cyrillic_name": "Pyongyang’s state news agency said the leader returned home by train after six days, "
                     "praising the hospitality of the governor of Primorsky Krai and the Pacific Fleet sailors.",
    "elsewhere": "Ukraine’s military intelligence said in November that North Korean shells accounted for a "
                 "growing share of Russian artillery fire, though many rounds were reported to be defective.",
    "latin1_name": "Russian and North Korean officials agreed in Khabarovsk on a new air route between "
                   "Vladivostok and Pyongyang, with two flights a week from the end of the year.",
    "unreadable": "Lawmakers in Seoul debated a resolution condemning the arms cooperation, and the ruling party "
                  "urged the government to review its ban on supplying lethal weapons to Kyiv.",
}
FUTURE = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=400)
SPACY_MAX_LENGTH = 2_000_000  # what load_nlp gives spaCy
LONG_LINE_CHARS = 2_100_000
HUGE_LINE_BYTES = 50 * 1024 * 1024

_HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Kim and Putin meet | Example News</title>
<meta property="article:published_time" content="2023-09-13T08:00:00Z">
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Kim and Putin meet at spaceport</h1>
<p>North Korean leader Kim Jong Un met Russian President Vladimir Putin on Wednesday at a spaceport in
the Russian Far East, the Kremlin said.</p>
<p>The two leaders discussed military cooperation, officials said, amid Western concern about arms deals.
Washington warned Pyongyang against supplying weapons to Moscow.</p></article>
<footer>Copyright 2023 Example News</footer></body></html>
"""

# path -> (status, reason: exact string or compiled pattern, warning patterns that must be present)
Expectation = tuple[str, "str | re.Pattern[str] | None", tuple[str, ...]]
HOSTILE_EXPECTATIONS: dict[str, Expectation] = {
    **{f"seeds/{name}": ("processed", None, ()) for name in SEED_NAMES},
    "empty.txt": ("skipped", "empty file", ()),
    "whitespace only.txt": ("skipped", "empty file", ()),
    "only a bom.txt": ("skipped", "empty file", ()),
    "binary.txt": ("skipped", "not text (binary)", ()),
    "renamed.pdf.txt": ("skipped", "not text (binary)", ()),
    "report.pdf": ("skipped", "unsupported type .pdf", ()),
    "photo.JPG": ("skipped", "unsupported type .jpg", ()),
    "README": ("skipped", "unsupported type (no extension)", ()),
    "utf8_bom.txt": ("processed", None, ()),
    "utf16_bom.txt": ("processed", None, ()),
    "utf16le_no_bom.txt": ("processed", None, ()),
    "cp1252.txt": ("processed", None, ()),
    "latin1.txt": ("processed", None, ()),
    "broken_utf8.txt": ("processed", None, (r"^1 invalid UTF-8 byte sequence\(s\) replaced$",)),
    "unicode oddities.txt": ("processed", None, ()),
    # Longer than spaCy's max_length on one line: refused with a reason (extractors.articles.MAX_ARTICLE_CHARS);
    # texts over one parser piece but under the limit are processed in pieces (tests/test_hostile_cli.py).
    "long_single_line.txt": ("skipped", re.compile(r"text longer than the 300,000-character limit \([\d,]+ characters\)"), ()),
    "huge_single_line.txt": ("skipped", "larger than the 10 MB limit", ()),
    "bad_header_date.txt": ("processed", None, (r"^invalid header date '2023-13-45' ignored$",)),
    "impossible_header_date.txt": ("processed", None, (r"^invalid header date '2023-02-30' ignored$",)),
    "future_date.txt": ("processed", None, (rf"^publication date {FUTURE.isoformat()} is in the future; kept$",)),
    "bad_sidecar.txt": ("processed", None, (r"^sidecar bad_sidecar\.meta\.json is not valid JSON: Expecting property name",)),
    "sidecar_bad_date.txt": ("processed", None, (r"^invalid sidecar sidecar_bad_date\.meta\.json date '2023-02-30' ignored$",)),
    "lonely.meta.json": ("skipped", "sidecar without an article file next to it", ()),
    "page.html": ("processed", None, ()),
    "scraped_page.txt": ("processed", None, ()),
    "navigation_only.html": ("skipped", "HTML page has no extractable article text", ()),
    "only_boilerplate.txt": ("skipped", "no article text (only a header or site boilerplate)", ()),
    "header_only.txt": ("skipped", "no article text (only a header or site boilerplate)", ()),
    "nested/deeper/naïve name with spaces.txt": ("processed", None, ()),
    "nested/Пхеньян статья.txt": ("processed", None, ()),
    "nested/café in latin-1.txt": ("processed", None, ()),
    "dangling link.txt": ("skipped", "dangling symbolic link", ()),
    "loop.txt": ("skipped", "symbolic link loop", ()),
    "linked folder": ("skipped", "symbolic link to a folder (not followed)", ()),
    "elsewhere/inside.txt": ("processed", None, ()),
    ".hidden_folder": ("skipped", "hidden folder (not searched)", ()),
    ".DS_Store": ("skipped", "hidden file", ()),
    "pipe.txt": ("skipped", "not a regular file (device, pipe or socket)", ()),
    "previous output": ("skipped", "output folder of a previous run (not searched)", ()),
    "zz_exact_copy_of_001.txt": ("skipped", "duplicate of 001_8b995e60514696a3", ()),
    "zz_near_copy_of_003.txt": ("skipped", re.compile(r"near-duplicate of 003_5230a247bce10831 \(\d+% of text shared\)"), ()),
    "zz_same_bytes_as_page.htm": ("skipped", "duplicate of page", ()),
}
if os.geteuid() != 0:  # root reads files whatever their mode
    HOSTILE_EXPECTATIONS["unreadable.txt"] = ("failed", "cannot read file: Permission denied", ())

# Files the loader turns into articles but the flow reports as duplicates of earlier ones.
DUPLICATES = {p for p, (_, reason, _) in HOSTILE_EXPECTATIONS.items() if "duplicate" in str(getattr(reason, "pattern", reason))}


def build_hostile_folder(root: Path, seeds_dir: Path, long_line_chars: int = LONG_LINE_CHARS) -> Path:
    """One of each hostile input next to copies of the seed articles; returns `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir()
    for name in SEED_NAMES:
        shutil.copyfile(seeds_dir / name, root / "seeds" / name)
    write = lambda name, data: (root / name).write_bytes(data)  # noqa: E731

    def article(key: str, date: str = "2023-09-14") -> str:
        return f" date {date} {STORIES[key]}"

    write("empty.txt", b"")
    write("whitespace only.txt", " \n\t  \r\n\u3000".encode())
    write("only a bom.txt", codecs.BOM_UTF8 + "\u200b\n".encode())
    write("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    write("renamed.pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
    write("report.pdf", b"%PDF-1.4\n")
    write("photo.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF")
    write("README", b"Not an article, and has no extension.")
    write("utf8_bom.txt", codecs.BOM_UTF8 + article("utf8_bom").encode())
    write("utf16_bom.txt", article("utf16_bom").encode("utf-16"))
    write("utf16le_no_bom.txt", article("utf16le_no_bom").encode("utf-16-le"))
    write("cp1252.txt", article("cp1252").encode("cp1252"))
    write("latin1.txt", " date 2023-09-15 Le président Poutine a rencontré Kim à Vostotchny, a déclaré "
          "le Kremlin. Les deux dirigeants ont discuté de coopération militaire, selon des responsables "
          "à Séoul, jeudi.".encode("latin-1"))
    head, tail = article("broken_utf8").split(" massing")
    write("broken_utf8.txt", head.encode() + b"\xff" + f" massing{tail}".encode())
    write("unicode oddities.txt", (
        " date 2023-09-16 Kim\u200b Jong\u00ad Un arrived in Pyong\u200byang \U0001F1F0\U0001F1F5 on Friday.\x07\x1b "
        "The visit, Se\u0301oul said, lasted three days \U0001F44D\U0001F3FD.\u2028Officials in "
        "\u202eMoscow\u202c confirmed it. Family \U0001F468\u200d\U0001F469\u200d\U0001F467 photos followed.\x0c"
    ).encode())
    with (root / "long_single_line.txt").open("w", encoding="utf-8") as handle:
        # Prose with dates, then a minified-script-like run of long tokens: longer than spaCy's
        # max_length on one line, yet cheap enough to parse in a test.
        handle.write(" date 2023-09-17 " + " ".join(STORIES.values()) + " ")
        token = "x7" * 60 + " "
        handle.write(token * ((long_line_chars - handle.tell()) // len(token) + 1))
    with (root / "huge_single_line.txt").open("wb") as handle:
        chunk = b"Kim met Putin. " * 65536
        for _ in range(HUGE_LINE_BYTES // len(chunk) + 1):
            handle.write(chunk)
    write("bad_header_date.txt", article("bad_header_date", "2023-13-45").encode())
    write("impossible_header_date.txt", f"date 2023-02-30\n{STORIES['impossible_header_date']}".encode())
    write("future_date.txt", article("future_date", FUTURE.isoformat()).encode())
    write("bad_sidecar.txt", article("bad_sidecar").encode())
    write("bad_sidecar.meta.json", b"{title: 'single quotes, no keys'")
    write("sidecar_bad_date.txt", article("sidecar_bad_date").encode())
    write("sidecar_bad_date.meta.json", b'{"title": "Kim and Putin", "publication_date": "2023-02-30"}')
    write("lonely.meta.json", b'{"title": "no article"}')
    write("page.html", _HTML_PAGE.encode())
    write("zz_same_bytes_as_page.htm", _HTML_PAGE.encode())
    write("scraped_page.txt", _HTML_PAGE.replace("Wednesday", "Tuesday").replace("Washington", "The White House")
          .replace("spaceport", "launch site").encode())
    write("navigation_only.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    write("only_boilerplate.txt", b"Back To Top\nADVERTISEMENT\nSkip to content\n")
    write("header_only.txt", b" date 2023-09-14 \n")
    (root / "nested" / "deeper").mkdir(parents=True)
    write("nested/deeper/naïve name with spaces.txt", article("nested").encode())
    write("nested/Пхеньян статья.txt", article("cyrillic_name").encode())
    # A name written by an older system in Latin-1: not valid UTF-8, so Python sees lone surrogates.
    with open(root.joinpath("nested").as_posix().encode() + "/café in latin-1.txt".encode("latin-1"), "wb") as handle:
        handle.write(article("latin1_name").encode())
    os.symlink(root / "missing.txt", root / "dangling link.txt")
    os.symlink(root / "loop.txt", root / "loop.txt")
    (root / "elsewhere").mkdir()
    write("elsewhere/inside.txt", article("elsewhere").encode())
    os.symlink(root / "elsewhere", root / "linked folder")
    (root / ".hidden_folder").mkdir()
    write(".hidden_folder/secret.txt", article("elsewhere").encode())
    write(".DS_Store", b"\x00\x00\x00\x01Bud1")
    os.mkfifo(root / "pipe.txt")
    (root / "previous output").mkdir()
    write("previous output/.timeline.lock", b"")
    write("previous output/timeline.html", _HTML_PAGE.replace("Wednesday", "Sunday").encode())
    shutil.copyfile(seeds_dir / SEED_NAMES[1], root / "zz_exact_copy_of_001.txt")
    near = (seeds_dir / SEED_NAMES[3]).read_text(encoding="utf-8")
    near = "Back To Top\n\n" + near.replace("grave error", "serious error").replace("Harris", "Harris,", 1) \
        + "\n\nMOST POPULAR\nSubscribe to our newsletter"
    write("zz_near_copy_of_003.txt", near.encode())
    if "unreadable.txt" in HOSTILE_EXPECTATIONS:
        write("unreadable.txt", article("unreadable").encode())
        (root / "unreadable.txt").chmod(0)
    return root


def assert_record_matches(path: str, status: str, reason: str | None, warnings: tuple[str, ...] | list[str]) -> None:
    expected_status, expected_reason, warning_patterns = HOSTILE_EXPECTATIONS[path]
    assert status == expected_status, (path, status, reason)
    if isinstance(expected_reason, re.Pattern):
        assert reason and expected_reason.fullmatch(reason), (path, reason)
    else:
        assert reason == expected_reason, (path, reason)
    for pattern in warning_patterns:
        assert any(re.search(pattern, w) for w in warnings), (path, pattern, warnings)


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory, seeds_dir) -> Path:
    return build_hostile_folder(tmp_path_factory.mktemp("hostile"), seeds_dir)


@pytest.fixture(scope="module")
def loaded(hostile_folder) -> dict[str, Article | DocumentRecord]:
    return {item.path: read_input(item) for item in discover_inputs(hostile_folder)}


def test_inputs_every_entry_is_listed_once(loaded):
    assert set(loaded) == set(HOSTILE_EXPECTATIONS)
    ids = [r.doc_id for r in loaded.values()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", sorted(HOSTILE_EXPECTATIONS))
def test_inputs_hostile_entry_status_and_reason(loaded, path):
    result = loaded[path]
    if isinstance(result, Article):
        # The loader only loads; telling duplicates apart is the flow's step (test_duplicates.py).
        expected_status, _, warning_patterns = HOSTILE_EXPECTATIONS[path]
        assert expected_status == "processed" or path in DUPLICATES, (path, "loaded but expected", expected_status)
        for pattern in warning_patterns:
            assert any(re.search(pattern, w) for w in result.warnings), (path, pattern, result.warnings)
    else:
        assert_record_matches(path, result.status, result.reason, result.warnings)


_CONTROL_OR_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u00ad\u202a-\u202e\u2028\u2029\ufeff]")


@pytest.mark.parametrize("path", sorted(p for p, e in HOSTILE_EXPECTATIONS.items() if e[0] == "processed"))
def test_inputs_loaded_bodies_are_clean_and_serializable(loaded, path):
    article = loaded[path]
    assert isinstance(article, Article)
    assert article.body and article.body == article.body.strip()
    assert not _CONTROL_OR_INVISIBLE.search(article.body)
    assert unicodedata.is_normalized("NFC", article.body)
    assert "\ufffd" not in article.body or path == "broken_utf8.txt"
    record = DocumentRecord(doc_id=article.doc_id, path=article.path, status="processed", title=article.title,
                            publication_date=article.publication_date,
                            publication_date_source=article.publication_date_source, warnings=article.warnings)
    document = export.timeline_document([record], [], dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert export.validate_timeline(document) == []


@pytest.mark.parametrize(
    ("path", "must_contain"),
    [
        ("cp1252.txt", STORIES["cp1252"]),
        ("utf8_bom.txt", STORIES["utf8_bom"]),
        ("utf16_bom.txt", STORIES["utf16_bom"]),
        ("utf16le_no_bom.txt", STORIES["utf16le_no_bom"]),
        ("latin1.txt", "Le président Poutine a rencontré Kim à Vostotchny, a déclaré le Kremlin."),
        ("broken_utf8.txt", STORIES["broken_utf8"].replace(" massing", "\ufffd massing")),
        ("unicode oddities.txt", "Kim Jong Un arrived in Pyongyang \U0001F1F0\U0001F1F5 on Friday."),
        ("unicode oddities.txt", "Séoul said"),
        ("unicode oddities.txt", "three days \U0001F44D\U0001F3FD.\nOfficials in Moscow confirmed it."),
        ("unicode oddities.txt", "Family \U0001F468\u200d\U0001F469\u200d\U0001F467 photos followed."),
        ("page.html", "North Korean leader Kim Jong Un met Russian President Vladimir Putin on Wednesday"),
        ("scraped_page.txt", "The White House warned Pyongyang"),
        ("nested/deeper/naïve name with spaces.txt", STORIES["nested"]),
        ("nested/Пхеньян статья.txt", STORIES["cyrillic_name"]),
    ],
)
def test_inputs_text_decoded_without_garbling(loaded, path, must_contain):
    assert must_contain in loaded[path].body


@pytest.mark.parametrize(
    ("path", "date", "source", "title"),
    [
        ("utf8_bom.txt", dt.date(2023, 9, 14), "header", None),
        ("bad_header_date.txt", None, "none", None),
        ("future_date.txt", FUTURE, "header", None),
        ("bad_sidecar.txt", dt.date(2023, 9, 14), "header", None),
        ("sidecar_bad_date.txt", dt.date(2023, 9, 14), "header", "Kim and Putin"),
        ("page.html", dt.date(2023, 9, 13), "metadata", "Kim and Putin meet at spaceport"),
        ("scraped_page.txt", dt.date(2023, 9, 13), "metadata", "Kim and Putin meet at launch site"),
        ("seeds/000_58f195e361b44d20.txt", dt.date(2023, 11, 6), "header", None),
    ],
)
def test_inputs_publication_date_and_title(loaded, path, date, source, title):
    article = loaded[path]
    assert (article.publication_date, article.publication_date_source, article.title) == (date, source, title)


def test_inputs_long_single_line_refused_with_its_length(loaded):
    record = loaded["long_single_line.txt"]
    assert isinstance(record, DocumentRecord) and record.status == "skipped"
    length = int(re.search(r"\(([\d,]+) characters\)", record.reason).group(1).replace(",", ""))
    assert length > SPACY_MAX_LENGTH


def test_inputs_huge_file_refused_without_reading_it(hostile_folder, monkeypatch):
    import extractors.inputs as inputs

    reads: list[int] = []
    original = inputs._read_prefix
    monkeypatch.setattr(inputs, "_read_prefix", lambda path, size: reads.append(size) or original(path, size))
    item = next(i for i in discover_inputs(hostile_folder) if i.path == "huge_single_line.txt")
    assert read_input(item).reason == "larger than the 10 MB limit"
    assert reads == []


def test_inputs_file_growing_past_the_limit_is_refused(tmp_path):
    item_path = tmp_path / "growing.txt"
    item_path.write_bytes(b"Kim met Putin. " * 10)
    (item,) = discover_inputs(tmp_path)
    assert read_input(item, max_bytes=100).reason == "larger than the 100 byte limit"
    assert isinstance(read_input(item, max_bytes=MAX_INPUT_BYTES), Article)


def test_inputs_file_disappearing_during_the_run_fails_with_reason(tmp_path):
    (tmp_path / "gone.txt").write_text("Kim met Putin.")
    (item,) = discover_inputs(tmp_path)
    (tmp_path / "gone.txt").unlink()
    record = read_input(item)
    assert (record.status, record.reason) == ("failed", "file disappeared during the run")


def test_inputs_loader_bug_is_reported_not_raised(tmp_path, monkeypatch):
    import extractors.inputs as inputs

    (tmp_path / "a.txt").write_text("Kim met Putin.")
    (item,) = discover_inputs(tmp_path)

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(inputs, "build_article", broken)
    record = read_input(item)
    assert (record.status, record.reason) == ("failed", "could not be loaded: KeyError: 'boom'")


@pytest.mark.parametrize(
    ("names", "ids"),
    [
        (["a.txt", "b.txt"], ["a", "b"]),
        (["a.txt", "sub/a.txt"], ["a", "sub/a"]),
        (["a.html", "a.txt"], ["a.html", "a.txt"]),
        (["a.txt", "a.meta.json", "b.meta.json"], ["a", "b.meta"]),
    ],
)
def test_inputs_doc_ids_unique_and_stable(tmp_path, names, ids):
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    assert [i.doc_id for i in discover_inputs(tmp_path)] == ids


def test_inputs_unreadable_source_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        discover_inputs(tmp_path / "missing")


def test_inputs_output_marker_matches_the_writer():
    from extractors.inputs import OUTPUT_MARKER
    from flows.outputs import LOCK_NAME

    assert OUTPUT_MARKER == LOCK_NAME


def test_inputs_outputs_inside_the_source_folder_are_not_read_back(tmp_path):
    (tmp_path / "a.txt").write_text(" date 2023-09-14 " + STORIES["nested"])
    for name in ("timeline.html", "timeline.json", ".timeline.lock"):
        (tmp_path / name).write_text(_HTML_PAGE if name.endswith("html") else "")
    results = {item.path: read_input(item) for item in discover_inputs(tmp_path)}
    assert {p: getattr(r, "reason", None) for p, r in results.items()} == {
        "a.txt": None, ".timeline.lock": "hidden file", "timeline.html": "output file of a previous run",
        "timeline.json": "output file of a previous run"}


@pytest.mark.parametrize(
    ("raw_names", "ids"),
    [
        ([b"caf\xe9.txt"], ["café"]),
        ([b"caf\xe9.txt", "café.txt".encode()], ["café.txt", "café.txt~2"]),
    ],
)
def test_inputs_undecodable_file_names_get_unicode_ids(tmp_path, raw_names, ids):
    for raw in raw_names:
        with open(bytes(tmp_path) + b"/" + raw, "wb") as handle:
            handle.write(b"Kim met Putin.")
    items = discover_inputs(tmp_path)
    assert sorted(i.doc_id for i in items) == sorted(ids)
    for item in items:
        item.path.encode("utf-8")  # reports and ids are valid Unicode text
        assert isinstance(read_input(item), Article)  # and the file is still read by its real name
