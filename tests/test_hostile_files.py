"""Hostile input files (issue 18): mixed encodings, stray NUL bytes, files rewritten while read,
long and look-alike names, symbolic links out of the source folder."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest

from extractors import inputs
from extractors.articles import decode
from extractors.inputs import (
    CHANGED_REASON,
    OUTSIDE_LINK_REASON,
    discover_inputs,
    flag_lookalike_names,
    read_input,
)
from extractors.schema import Article

STORY = ("Zürich, 7 September 2023. The café owners said on Thursday that the talks had failed "
         "and that a new round would start next month in Geneva.\n")


def _read_all(folder: Path, **options) -> dict[str, Article | object]:
    return {item.path: read_input(item) for item in discover_inputs(folder, **options)}


# ---- encodings -----------------------------------------------------------------------------

@pytest.mark.parametrize("data, text, warning", [
    # UTF-8 (Zürich, café) with six cp1252 bytes pasted in: quotes, dashes, an ellipsis, a euro sign.
    ("Zürich café: ".encode() + b"\x93yes\x94 \x96 no \x97 maybe\x85 \x80", "Zürich café: “yes” – no — maybe… €",
     "6 byte(s) that are not UTF-8 read as cp1252"),
    ("Kim “met” Putin in Zürich ".encode() + b"\x92s", "Kim “met” Putin in Zürich ’s",
     "1 byte(s) that are not UTF-8 read as cp1252"),
    # A download cut inside a multi-byte character: only the cut character is replaced.
    ("Zürich said “no".encode() + "”".encode()[:2], "Zürich said “no\ufffd", "1 invalid UTF-8 byte sequence(s) replaced"),
])
def test_files_utf8_with_a_few_bad_bytes_keeps_its_utf8(data, text, warning):
    decoded = decode(data)
    assert decoded.text == text
    assert decoded.warnings == (warning,)


def test_files_cp1252_file_is_still_read_as_cp1252():
    data = ("The minister’s “plan” – agreed in Zürich – failed. " * 20).encode("cp1252")
    decoded = decode(data)
    assert decoded.text.startswith("The minister’s “plan” – agreed in Zürich – failed.")
    assert decoded.warnings == ()


@pytest.mark.parametrize("position", [0, 100, 4000])
def test_files_stray_nul_byte_is_not_binary(tmp_path, position):
    raw = (STORY * 40).encode()
    (tmp_path / "story.txt").write_bytes(raw[:position] + b"\x00" + raw[position:])
    article = _read_all(tmp_path)["story.txt"]
    assert isinstance(article, Article), article
    assert "\x00" not in article.body and "Zürich" in article.body


def test_files_binary_with_many_nul_bytes_is_still_binary(tmp_path):
    (tmp_path / "data.txt").write_bytes(b"abc\x00\x00\x01\x00" * 500)
    record = _read_all(tmp_path)["data.txt"]
    assert (record.status, record.reason) == ("skipped", "not text (binary)")


# ---- files that change while the run reads them ---------------------------------------------

@pytest.mark.parametrize("change", ["truncated", "rewritten, same size", "grew"])
def test_files_changed_between_listing_and_reading_is_reported(tmp_path, change):
    path = tmp_path / "story.txt"
    path.write_text(STORY * 10, encoding="utf-8")
    (item,) = discover_inputs(tmp_path)
    listed = path.stat()
    if change == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    elif change == "rewritten, same size":
        path.write_bytes(path.read_bytes().replace(b"Geneva", b"Zurich"))
    else:
        with path.open("ab") as handle:
            handle.write(b"More text.\n")
    os.utime(path, ns=(listed.st_atime_ns, listed.st_mtime_ns + 1_000_000))
    record = read_input(item)
    assert (record.status, record.reason) == ("failed", CHANGED_REASON)


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_files_written_to_during_the_read_is_reported(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"story{suffix}"
    text = STORY * 10
    path.write_text(text if suffix == ".txt" else json.dumps({"body": text}) + "\n", encoding="utf-8")
    (item,) = discover_inputs(tmp_path)
    real_open = Path.open
    open_input = inputs._open_regular

    class Appending:
        """The file handle, with another program appending to the file after the first read."""

        def __init__(self, handle):
            self.handle = handle
            self.appended = False

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def read(self, *args):
            data = self.handle.read(*args)
            if not self.appended:
                self.appended = True
                with real_open(path, "ab") as other:
                    other.write(b"x")
            return data

        def readline(self, *args):
            return self.read(0) + self.handle.readline(*args)

    monkeypatch.setattr(inputs, "_open_regular", lambda opened: Appending(open_input(opened))
                        if opened == path else open_input(opened))
    (record,) = inputs.read_inputs(item)
    assert (record.status, record.reason) == ("failed", CHANGED_REASON)


# ---- names -------------------------------------------------------------------------------

@pytest.mark.parametrize("length", [250, 255])
def test_files_name_at_the_length_limit_is_read(tmp_path, length):
    name = "a" * (length - len(".txt")) + ".txt"
    (tmp_path / name).write_text(STORY, encoding="utf-8")
    article = _read_all(tmp_path)[name]
    assert isinstance(article, Article), article
    assert article.body.startswith("Zürich")


def test_files_nfc_and_nfd_names_get_distinct_ids_and_a_warning(tmp_path):
    nfc, nfd = unicodedata.normalize("NFC", "café.txt"), unicodedata.normalize("NFD", "café.txt")
    (tmp_path / nfc).write_text(STORY, encoding="utf-8")
    (tmp_path / nfd).write_text(STORY.replace("Geneva", "Bern"), encoding="utf-8")
    if len(os.listdir(tmp_path)) != 2:
        pytest.skip("this filesystem folds Unicode normalization: the two names are one file")
    loaded = flag_lookalike_names([read_input(item) for item in discover_inputs(tmp_path)])
    ids = [a.doc_id for a in loaded]
    assert len(set(ids)) == 2 and all(unicodedata.is_normalized("NFC", i) for i in ids)
    assert sorted(ids) == ["café.txt", "café.txt~2"]
    for article in loaded:
        assert any("other Unicode normalization" in w for w in article.warnings), article.warnings


# ---- symbolic links ------------------------------------------------------------------------

@pytest.fixture
def linked_folder(tmp_path):
    source, outside = tmp_path / "source", tmp_path / "outside"
    (source / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("root:$6$secret:19000:0:99999:7:::\n" + STORY, encoding="utf-8")
    (source / "sub" / "real.txt").write_text(STORY, encoding="utf-8")
    os.symlink(outside / "secret.txt", source / "secret.txt")
    os.symlink("sub/real.txt", source / "inside.txt")
    os.symlink("../../outside/secret.txt", source / "sub" / "relative.txt")
    (source / "story.txt").write_text(STORY.replace("Geneva", "Bern"), encoding="utf-8")
    os.symlink(outside / "secret.txt", source / "story.meta.json")
    return source


def test_files_links_out_of_the_source_folder_are_not_followed(linked_folder):
    loaded = _read_all(linked_folder)
    for path in ("secret.txt", "sub/relative.txt"):
        assert (loaded[path].status, loaded[path].reason) == ("skipped", OUTSIDE_LINK_REASON)
    assert isinstance(loaded["inside.txt"], Article) and isinstance(loaded["sub/real.txt"], Article)
    story = loaded["story.txt"]
    assert isinstance(story, Article)
    assert story.warnings == (f"sidecar story.meta.json: {OUTSIDE_LINK_REASON}; ignored",)


def test_files_links_out_of_the_source_folder_followed_on_request(linked_folder):
    loaded = _read_all(linked_folder, follow_links_outside=True)
    assert isinstance(loaded["secret.txt"], Article)
    assert loaded["secret.txt"].body.startswith("root:")
