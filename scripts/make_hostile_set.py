"""Make a folder of hostile inputs: what a real user's folder or feed may hold.

    python scripts/make_hostile_set.py DIR [--small]
    timeline run DIR --output OUT
    python scripts/make_hostile_set.py DIR [--small] --check OUT/run_report.json

Each case is written next to a few good articles; `cases` says what a demanding user expects the
run report to say about each path (status, reason, a warning), and `--check` compares a run's
`run_report.json` with it. The full set holds sparse files of 200 MB (no disk blocks), a JSON
lines file with a 50 MB line and one of 10,000 lines; `--small` (what the tests use) makes the
large ones smaller: a 1 MB line, 150 lines, 20,000 words.

The file is a script, not a module of the package: the tests load it by path.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import io
import json
import os
import random
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Stories of distinct content (identical texts would be reported as duplicates of each other).
GOOD = {
    "good/eruption.txt": " date 2023-11-10 Authorities evacuated the town of Grindavik on Friday after a series "
                         "of earthquakes, the Icelandic Meteorological Office said. Police closed the roads "
                         "into the town and residents were told to leave within hours.",
    "good/summit.txt": " date 2023-09-13 North Korean leader Kim Jong Un met Russian President Vladimir Putin at "
                       "the Vostochny cosmodrome on Wednesday, the Kremlin said. The two leaders toured the "
                       "launch pads and held talks that lasted several hours.",
    "good/strike.txt": " date 2023-10-30 Workers at the Ford plant in Louisville ended their strike on Monday "
                       "after the union reached a tentative agreement with the carmaker, officials said. The "
                       "walkout had lasted six weeks.",
}
_SUBJECTS = ("The central bank", "The finance ministry", "A regional court", "The port authority", "The city council",
             "The national railway", "A mining company", "The health agency", "The electoral commission", "A carmaker",
             "The coast guard", "The weather office", "A software firm", "The football league", "The energy regulator")
_VERBS = ("raised its forecast", "opened an inquiry", "announced new rules", "suspended operations", "signed a contract",
          "rejected the appeal", "reported a loss", "closed two offices", "hired a new chief", "cut prices",
          "delayed the vote", "approved the plan", "recalled a product", "issued a warning", "ended the strike")
_PLACES = ("Norway", "Chile", "Poland", "Ghana", "Peru", "Kenya", "Canada", "Japan", "Brazil", "Turkey", "India",
           "Spain", "Mexico", "Egypt", "Korea", "Italy", "France", "Israel", "Greece", "Sweden", "Vietnam", "Nigeria")
_WHEN = ("on Tuesday", "on Monday", "last week", "in October", "on Friday", "yesterday", "on 3 October 2023")
_WHY = ("after months of talks", "citing rising costs", "despite protests", "under pressure from investors",
        "following a report by auditors", "amid a dispute with unions", "to meet new safety standards")


def story(n: int) -> str:
    """A short article text, the n-th of many that share too little to be near-duplicates."""
    pick = random.Random(n)
    sentences = [f"{pick.choice(_SUBJECTS)} in {pick.choice(_PLACES)} {pick.choice(_VERBS)} {pick.choice(_WHEN)} "
                 f"{pick.choice(_WHY)}, officials said." for _ in range(4)]
    return " ".join(sentences) + f" Figures cited: {pick.randrange(10**6)} and {pick.randrange(10**6)}."


@dataclass(frozen=True)
class Expected:
    status: str
    reason: str | re.Pattern[str] | None = None  # exact text or a pattern the whole reason matches
    warning: str | None = None  # a pattern one of the warnings must match


P = Expected("processed")


def skipped(reason: str | re.Pattern[str]) -> Expected:
    return Expected("skipped", reason)


def failed(reason: str | re.Pattern[str]) -> Expected:
    return Expected("failed", reason)


def _html(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>Page</title>{head}</head><body>{body}</body></html>"


def _jsonl(*records: object) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


def _zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _noise(size: int) -> bytes:
    """`size` random bytes, the same every time (a test must not pass or fail by chance)."""
    return random.Random(size).randbytes(size)


def _sparse(path: Path, size: int, head: bytes = b"") -> None:
    """A file of `size` bytes that takes no disk space beyond `head` (a hole after it)."""
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)


BIG_FILE_BYTES = 200 * 1024 * 1024 + 1
HUGE_LINE_BYTES = 50 * 1024 * 1024
LONG_LINE_BYTES = 5 * 1024 * 1024


Outcome = Expected | dict[int, Expected]  # a JSON lines file that is read: what each line must be


def cases(small: bool) -> dict[str, tuple[Callable[[Path], None], Outcome]]:
    """path → (writer of that path, what the run report must say about it: one expectation, or
    one per line number of a JSON lines file)."""
    out: dict[str, tuple[Callable[[Path], None], Outcome]] = {}

    def add(path: str, expected: Outcome, data: bytes | str | None = None,
            writer: Callable[[Path], None] | None = None) -> None:
        def write(root: Path) -> None:
            target = root / path
            if writer is not None:
                writer(target)  # in the folder made first (writers make their own sub-folders)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data.encode() if isinstance(data, str) else data or b"")
        out[path] = (write, expected)

    counter = iter(range(10_000))

    def text(date: str = "2023-10-31") -> str:
        return f" date {date} {story(next(counter))}"

    for path, body in GOOD.items():
        add(path, P, body)
    # Empty and invisible.
    add("empty.txt", skipped("empty file"), b"")
    add("whitespace.txt", skipped("empty file"), " \n\t\r\n\u3000\u00a0\n")
    add("empty.jsonl", skipped("empty file"), b"")
    add("blank lines.jsonl", skipped("empty file"), b"\n\n  \n")
    # JSON lines with wrong types: each line its own entry.
    not_text = "no article text (no body, text, content, maintext, article, html, raw_html field)"
    add("types.jsonl", {
        1: Expected("processed"), 2: skipped("record body is not a string"), 3: skipped(not_text),
        4: skipped("record body is not a string"),
        5: Expected("processed", warning="record title is not a string; ignored"),
        6: P, 7: Expected("processed", warning="invalid record date true ignored"),
        8: Expected("processed", warning="invalid record date 1000000000000000000000000000000 ignored"), 9: P, 10: P,
        11: skipped("not a JSON object (string)"), 12: skipped("not a JSON object (number)"),
        13: skipped("not a JSON object (null)"), 14: skipped("not a JSON object (list)"),
        15: Expected("processed", warning="record has the key\\(s\\) 'body' more than once; the last one read"),
        16: Expected("processed", warning="invalid record date NaN ignored"),
        17: skipped("not valid JSON (a number too long to read)"), 18: skipped("not valid JSON (nested too deeply)"),
        19: skipped("not valid JSON (nested too deeply)"),
    }, _jsonl(
        {"id": "date-number", "date": 20231031, "body": story(next(counter))},
        {"id": "body-list", "body": ["a", "list"]},
        {"id": "nulls", "body": None, "title": None, "date": None, "url": None},
        {"id": "nested", "body": {"text": "nested"}},
        {"id": "title-object", "title": {"x": 1}, "url": ["http://x"], "body": story(next(counter))},
        {"id": "date-object", "date": {"$date": "2023-10-31"}, "body": story(next(counter))},
        {"id": "date-bool", "date": True, "body": story(next(counter))},
        {"id": "date-huge-number", "date": 10 ** 30, "body": story(next(counter))},
        {"id": ["id", "list"], "body": story(next(counter))},
        {"id": 1.5e300, "body": story(next(counter))},
        "just a string", 42, None, [1, 2],
    ) + (b'{"id": "dup", "body": "first", "body": "' + story(next(counter)).encode() + b'"}\n')
      + b'{"id": "nan", "date": NaN, "body": "' + story(next(counter)).encode() + b'"}\n'
      + b'{"id": "big-int", "date": 1' + b"0" * 5000 + b', "body": "' + story(next(counter)).encode() + b'"}\n'
      + b'[' * 100_000 + b'\n'
      + b'{"id": "deep", "body": ' + b'{"a": ' * 10_000 + b'1' + b'}' * 10_000 + b'}\n')
    lines_total = 150 if small else 10_000
    many = [json.dumps({"id": n, "body": story(1000 + n), "date": "2023-10-31"}) if n % 97
            else '{"id": ' + str(n) + ', "body": "cut off' for n in range(lines_total)]
    add("many lines.jsonl", {
        n + 1: skipped(re.compile(r"not valid JSON \(Unterminated string starting at column \d+\)")) if n % 97 == 0 else P
        for n in range(lines_total)}, ("\n".join(many) + "\n").encode())
    huge_line = (1 if small else HUGE_LINE_BYTES // (1024 * 1024)) * 1024 * 1024 + 1024
    too_long = (skipped(re.compile(r"text longer than the 300,000-character limit \([\d,]+ characters\)")) if small
                else skipped("line larger than the 10 MB limit"))
    add("huge line.jsonl", {1: too_long, 2: P}, writer=lambda p: _huge_line_feed(p, huge_line, story(next(counter))))
    # Encodings.
    add("utf16 bom.txt", P, text().encode("utf-16"))
    add("utf16 be bom.txt", P, codecs.BOM_UTF16_BE + text().encode("utf-16-be"))
    add("utf16 no bom.txt", P, text().encode("utf-16-le"))
    add("utf16 be no bom.txt", P, text().encode("utf-16-be"))
    add("utf32 bom.txt", P, text().encode("utf-32"))
    add("utf8 bom.txt", P, codecs.BOM_UTF8 + text().encode())
    add("utf8 bom.jsonl", {1: P}, codecs.BOM_UTF8 + _jsonl({"body": story(next(counter))}))
    add("utf16.jsonl", {1: P, 2: P}, _jsonl({"body": story(next(counter))}, {"body": story(next(counter))}).decode()
        .encode("utf-16"))
    add("cp1252.txt", P, (text() + " “Quoted” – café, Zürich, 5 €.").encode("cp1252"))
    add("mixed encodings.txt", P, text().encode() + " Zürich “ok”.".encode() + " café ".encode("cp1252")
        + b" Moscow " + " Ελλάδα ".encode("iso-8859-7"))
    add("nul bytes.txt", P, text().encode().replace(b" ", b" \x00", 3))
    add("nul every byte.txt", skipped("not text (binary)"), b"\x00".join(bytes([b]) for b in _noise(4096)))
    # Long lines and sizes.
    long_line = (512 * 1024) if small else LONG_LINE_BYTES
    add("long line.txt", skipped(re.compile(r"text longer than the 300,000-character limit \([\d,]+ characters\)")),
        writer=lambda p: p.write_bytes((("word " * 200) * (long_line // 1000 + 1)).encode()[:long_line]))
    # Sparse: refused by their size before a byte is read, so they cost no time or disk.
    add("big.txt", skipped("larger than the 10 MB limit"), writer=lambda p: _sparse(p, BIG_FILE_BYTES, b"date"))
    add("big.jsonl", skipped("larger than the 200 MB limit"),
        writer=lambda p: _sparse(p, BIG_FILE_BYTES, b'{"body": "x"}\n'))
    # HTML.
    add("deep table.html", skipped(re.compile(r"HTML page nested too deeply to read \([\d,]+ levels; .*\)")),
        _html("<table><tr><td>" * 3_400 + story(next(counter)) + "</td></tr></table>" * 3_400))
    add("deep with article.html", P,
        _html("<div>" * 10_000 + "<p>" + story(next(counter)) + "</p>" + "</div>" * 10_000))
    add("scripts only.html", skipped("HTML page has no extractable article text"),
        _html("<script>var a = 'Kim met Putin on Wednesday';</script><style>p {color: red}</style>" * 50,
              "<script>document.write('x')</script>"))
    add("huge table.html", skipped("HTML page has no extractable article text"),
        _html("<table>" + "".join(f"<tr><td>{n}</td><td>2023-10-{n % 28 + 1:02d}</td><td>value {n}</td></tr>"
                                  for n in range(20_000)) + "</table>"))
    add("login wall.html", skipped("not an article (login or subscription page: 'Sign in to continue reading')"),
        _html("<form action='/login'><h1>Sign in to continue reading</h1><label>Email</label><input name=email>"
              "<label>Password</label><input type=password name=pw><button>Log in</button></form>"
              "<p>Subscribe for $1 a week.</p>"))
    add("not found.html", skipped("not an article (error page: 'Page not found')"),
        _html("<h1>Page not found</h1><p>The page you requested could not be found.</p>"
              "<a href='/'>Return to the home page</a>"))
    # Binary files under text names.
    add("archive.txt.gz.txt", skipped("not text (binary)"), gzip.compress(text().encode() * 20))
    add("archive zip.txt", skipped("not text (binary)"), _zip("a.txt", text().encode() * 20))
    add("document pdf.txt", skipped("not text (binary)"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    add("image png.txt", skipped("not text (binary)"), b"\x89PNG\r\n\x1a\n" + _noise(2048))
    add("image png.html", skipped("not text (binary)"), b"\x89PNG\r\n\x1a\n" + _noise(2048))
    add("random.txt", skipped("not text (binary)"), _noise(8192))
    add("rich text.txt", skipped("not text (an RTF document; save it as plain text)"),
        r"{\rtf1\ansi\ansicpg1252\cocoartf2639 {\fonttbl\f0\fswiss Helvetica;} \f0\fs24 " + story(next(counter)) + "}")
    add("gzip feed.jsonl", skipped("not text (binary)"), gzip.compress(_jsonl({"body": story(next(counter))})))
    add("front matter.md", P, "---\ntitle: Hugo post\ndate: 2023-10-31T08:00:00Z\n---\n" + story(next(counter)))
    # Names.
    add("name\nwith newline.txt", P, text())
    add("  spaces  .txt", P, text())
    add("-leading-dash.txt", P, text())
    add("--help.txt", P, text())
    add("ユニコード 名前 ✓.txt", P, text())
    add("CON.txt", P, text())
    add("nul.txt", P, text())
    add("trailing dot..txt", P, text())
    # Dates.
    add("year 0001.txt", Expected("processed", warning="publication date 0001-01-01 is before the first newspapers"), " date 0001-01-01 " + story(next(counter)))
    add("year 9999.txt", Expected("processed", warning="publication date 9999-12-31 is more than 10 years in the future"), " date 9999-12-31 " + story(next(counter)))
    add("feb 30.txt", Expected("processed", warning="invalid header date '2023-02-30' ignored"),
        " date 2023-02-30 " + story(next(counter)))
    add("year 1800.txt", P, " date 1800-06-01 " + story(next(counter)))
    add("year 2200.txt", Expected("processed", warning="publication date 2200-06-01 is more than 10 years in the future"), " date 2200-06-01 " + story(next(counter)))
    add("year 0000.txt", Expected("processed", warning="invalid header date '0000-01-01' ignored"),
        " date 0000-01-01 " + story(next(counter)))
    add("far dates.txt", P, " date 2023-10-31 The treaty of 0001-01-01 and the deadline of 9999-12-31 were cited; "
        "officials said the year 10000 and 2023-02-30 were typing errors. On December 31, 9999 the archive "
        "closes, and on January 1, 0001 it opened.")
    add("dates.jsonl", {
        1: Expected("processed", warning="publication date 0001-01-01 is before the first newspapers"),
        2: Expected("processed", warning="publication date 9999-12-31 is more than 10 years in the future"),
        3: Expected("processed", warning="invalid record date '2023-02-30' ignored"), 4: P, 5: P,
        6: Expected("processed", warning="invalid record date 'last Tuesday' ignored"),
        7: Expected("processed", warning="publication date 0005-01-01 is before the first newspapers"),
        8: Expected("processed", warning="invalid record date 'October 2023' ignored"),
        9: Expected("processed", warning="invalid record date 2023 ignored"),
    }, _jsonl({"id": "y1", "date": "0001-01-01", "body": story(next(counter))},
                                 {"id": "y9999", "date": "9999-12-31T23:59:59Z", "body": story(next(counter))},
                                 {"id": "feb30", "date": "2023-02-30", "body": story(next(counter))},
                                 {"id": "epoch", "date": 1698710400, "body": story(next(counter))},
                                 {"id": "epoch-ms", "date": 1698710400000, "body": story(next(counter))},
                                 {"id": "words", "date": "last Tuesday", "body": story(next(counter))},
                                 {"id": "y-5", "date": "-0005-01-01", "body": story(next(counter))},
                                 {"id": "month", "date": "October 2023", "body": story(next(counter))},
                                 {"id": "year", "date": 2023, "body": story(next(counter))}))
    # Other languages.
    foreign = "{}, not English: dates and events are found in English text only"
    add("russian.txt", Expected("processed", warning=foreign.format("text is mostly in Cyrillic script")), " date 2023-10-31 Президент России Владимир Путин встретился в среду с лидером КНДР "
        "Ким Чен Ыном на космодроме Восточный, сообщили в Кремле. Переговоры продолжались несколько часов.")
    add("chinese.txt", Expected("processed", warning=foreign.format("text is mostly in Chinese \\(CJK\\) script")), " date 2023-10-31 朝鲜最高领导人金正恩于9月13日在东方航天发射场与俄罗斯总统普京会面。"
        "克里姆林宫表示，两国领导人进行了数小时的会谈。")
    add("arabic.txt", Expected("processed", warning=foreign.format("text is mostly in Arabic script")), " date 2023-10-31 التقى الرئيس الروسي فلاديمير بوتين يوم الأربعاء بالزعيم الكوري الشمالي "
        "كيم جونغ أون في قاعدة فوستوشني الفضائية، بحسب الكرملين.")
    # Degenerate texts.
    repeats = 20_000 if small else 99_000  # 297,000 characters: under the limit
    add("one word.txt", skipped(re.compile(r"text longer than the 300,000-character limit \([\d,]+ characters\)")),
        " date 2023-10-31 " + "buffalo " * 100_000)  # refused before it is parsed: cheap at any size
    add("one short word.txt", P, " date 2023-10-31 " + "ok " * repeats)
    n_dates = 2_000 if small else 10_000
    months = ("Jan.", "March", "July", "Oct.")
    add("many dates.txt", P, " date 2023-10-31 Prices rose on " + ", ".join(
        f"{1 + n % 28} {months[n % 4]} {1990 + n % 30}" for n in range(n_dates)) + ".")
    add("numbers.txt", P, " date 2023-10-31 " + "\n".join(str(n * 37) for n in range(5_000)))
    # Folders.
    add("deep/" + "d/" * DEEP_FOLDERS + "a.txt", P, writer=lambda p: _deep_file(p, DEEP_FOLDERS, text()))
    # Not files.
    add("folder.txt/inside.txt", P, text())
    add("fifo.txt", skipped("not a regular file (device, pipe or socket)"), writer=lambda p: os.mkfifo(p))
    add("fifo.jsonl", skipped("not a regular file (device, pipe or socket)"), writer=lambda p: os.mkfifo(p))
    add("fifo sidecar.txt", Expected("processed", warning=r"sidecar fifo sidecar\.meta\.json is not a regular file"),
        text())
    out["fifo sidecar.meta.json"] = (lambda root: os.mkfifo(root / "fifo sidecar.meta.json"), {})  # no entry of its own
    add("link outside.txt", skipped("symbolic link out of the source folder (not followed)"),
        writer=lambda p: os.symlink("/etc/hostname", p))
    add("link to dev zero.txt", skipped("symbolic link out of the source folder (not followed)"),
        writer=lambda p: os.symlink("/dev/zero", p))
    add("link loop.txt", skipped("symbolic link loop"), writer=lambda p: os.symlink(p.name, p))
    add("link dangling.txt", skipped("dangling symbolic link"), writer=lambda p: os.symlink("nowhere.txt", p))
    add("link inside.txt", skipped("duplicate of strike"), writer=lambda p: os.symlink("good/strike.txt", p))
    add("link to parent", skipped("symbolic link out of the source folder (not followed)"),
        writer=lambda p: os.symlink("..", p))
    add("link to own folder", skipped("symbolic link to a folder (not followed)"), writer=lambda p: os.symlink(".", p))
    unreadable = P if os.geteuid() == 0 else failed("cannot read file: Permission denied")
    add("unreadable.txt", unreadable, writer=lambda p: (p.write_text(text()), p.chmod(0)))
    if os.geteuid() != 0:
        add("unreadable folder", failed("cannot list folder: permission denied"),
            writer=lambda p: (p.mkdir(), (p / "a.txt").write_text(text()), p.chmod(0)))
    return out


# Deeper than Python's recursion limit (os.walk recursed once per level).
DEEP_FOLDERS = 1_100


def _deep_file(path: Path, levels: int, text: str) -> None:
    """`text` in the file `path`, `levels` folders below the first one of its name, made one
    level at a time from inside (one call with the whole path is itself recursive)."""
    top = path.parents[levels]
    top.mkdir(parents=True, exist_ok=True)
    fd = os.open(top, os.O_RDONLY)
    try:
        for name in path.relative_to(top).parts[:-1]:
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        written = os.open(path.name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(written, text.encode())
        os.close(written)
    finally:
        os.close(fd)


def remove_tree(top: Path) -> None:
    """Remove the folder `top` and everything in it, however deep (`shutil.rmtree` recurses once
    per level and fails on the deep folders of this set, and so does pytest's clean-up of its
    temporary folders): one level at a time, through folder descriptors, so that no path grows
    past the system's limit."""
    if not top.exists():
        return
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    stack: list[tuple[int, str, list[str] | None]] = [(os.open(top, flags), "", None)]
    try:
        while stack:
            fd, name, subfolders = stack[-1]
            if subfolders is None:
                subfolders = []
                for entry in list(os.scandir(fd)):
                    if entry.is_dir(follow_symlinks=False):
                        subfolders.append(entry.name)
                    else:
                        os.unlink(entry.name, dir_fd=fd)
                stack[-1] = (fd, name, subfolders)
            if subfolders:
                child = subfolders.pop()
                stack.append((os.open(child, flags, dir_fd=fd), child, None))
                continue
            os.close(fd)
            stack.pop()
            if stack:
                os.rmdir(name, dir_fd=stack[-1][0])
    finally:
        for fd, _, _ in stack:
            os.close(fd)
    os.rmdir(top)


def _huge_line_feed(path: Path, line_bytes: int, good_body: str) -> None:
    """A JSON lines feed whose first line is one record of `line_bytes` bytes, then a good record."""
    with path.open("wb") as handle:
        handle.write(b'{"id": "huge", "body": "')
        chunk = b"Kim met Putin. " * 4096
        written = 0
        while written < line_bytes:
            handle.write(chunk)
            written += len(chunk)
        handle.write(b'"}\n')
        handle.write(_jsonl({"id": "after", "body": good_body}))


def make_hostile_set(root: Path, small: bool = False) -> dict[str, Expected]:
    """Write the hostile folder under `root` (which must not exist or be empty); returns the
    expectations per path relative to `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for write, _ in cases(small).values():
        write(root)
    return _expectations(root, small)


def mismatches(expected: dict[str, Expected], documents: list[dict]) -> list[str]:
    """How the `documents` of a run report differ from `expected`: one line per path reported
    wrongly, missing, reported twice or not expected."""
    problems = []
    seen: dict[str, dict] = {}
    for document in documents:
        path = document["path"]
        if path in seen:
            problems.append(f"{path!r}: reported twice")
        seen[path] = document
    for path, want in expected.items():
        got = seen.get(path)
        if got is None:
            problems.append(f"{path!r}: not in the report")
            continue
        reason, warnings = got.get("reason"), got.get("warnings") or []
        reason_ok = (want.reason is None and reason is None or isinstance(want.reason, str) and reason == want.reason
                     or isinstance(want.reason, re.Pattern) and reason is not None and want.reason.fullmatch(reason))
        warning_ok = want.warning is None or any(re.search(want.warning, w) for w in warnings)
        if got["status"] != want.status or not reason_ok or not warning_ok:
            problems.append(f"{path!r}: {got['status']} {reason!r} {warnings} (expected {want.status} "
                            f"{getattr(want.reason, 'pattern', want.reason)!r}, warning {want.warning!r})")
    problems.extend(f"{path!r}: reported ({seen[path]['status']} {seen[path].get('reason')!r}) but not expected"
                    for path in sorted(set(seen) - set(expected)))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--small", action="store_true", help="small files only (what the tests use)")
    parser.add_argument("--check", type=Path, metavar="RUN_REPORT",
                        help="compare the run_report.json of a run over the folder with what is expected")
    args = parser.parse_args(argv)
    if args.check is not None:
        expected = {path: outcome for path, outcome in _expectations(args.folder, args.small).items()}
        problems = mismatches(expected, json.loads(args.check.read_text(encoding="utf-8"))["documents"])
        print("\n".join(problems) or f"all {len(expected)} entries reported as expected")
        return 1 if problems else 0
    if args.folder.exists() and any(args.folder.iterdir()):
        parser.error(f"{args.folder} exists and is not empty")
    expected = make_hostile_set(args.folder, args.small)
    print(f"{len(expected)} entries written under {args.folder}")
    return 0


def _expectations(root: Path, small: bool) -> dict[str, Expected]:
    """What `make_hostile_set(root, small)` returned, without writing anything."""
    expected: dict[str, Expected] = {}
    for path, (_, outcome) in cases(small).items():
        if isinstance(outcome, dict):
            expected.update({f"{path}:{line}": line_outcome for line, line_outcome in outcome.items()})
        else:
            expected[path] = outcome
    return expected


if __name__ == "__main__":
    sys.exit(main())
