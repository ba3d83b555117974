"""Make a folder of hostile inputs: what a real user's folder or feed may hold.

    python scripts/make_hostile_set.py DIR [--small]
    timeline run DIR --output OUT

Each case is written next to a few good articles; `EXPECTED` says what a demanding user
expects the run report to say about each path (status and reason), and `check_report`
compares a run's `run_report.json` with it. The full set holds a sparse 200 MB file (no disk
blocks) and a JSON lines file with a 50 MB line; `--small` (what the tests use) shrinks the
large files and leaves out the 200 MB one, whose refusal the tests check by lowering the limit.

The file is a script, not a module of the package: the tests load it by path.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import io
import json
import os
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
_ARTICLE = ("The central bank raised its main interest rate by a quarter point on Tuesday, the {n} increase "
            "this year, and said inflation in {place} had slowed in October. Markets fell after the decision.")
_PLACES = ("Norway", "Chile", "Poland", "Ghana", "Peru", "Kenya", "Canada", "Japan", "Brazil", "Turkey", "India",
           "Spain", "Mexico", "Egypt", "Korea", "Italy", "France", "Israel", "Greece", "Sweden")


def story(n: int) -> str:
    """A short distinct article text (the n-th)."""
    return _ARTICLE.format(n=f"{n + 1}th", place=_PLACES[n % len(_PLACES)]) + f" Reference {n * 7919}."


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


def _sparse(path: Path, size: int, head: bytes = b"") -> None:
    """A file of `size` bytes that takes no disk space beyond `head` (a hole after it)."""
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)


BIG_FILE_BYTES = 200 * 1024 * 1024 + 1
HUGE_LINE_BYTES = 50 * 1024 * 1024
LONG_LINE_BYTES = 5 * 1024 * 1024


def cases(small: bool) -> dict[str, tuple[Callable[[Path], None], Expected]]:
    """path → (writer of that path, what the run report must say about it)."""
    out: dict[str, tuple[Callable[[Path], None], Expected]] = {}

    def add(path: str, expected: Expected, data: bytes | str | None = None,
            writer: Callable[[Path], None] | None = None) -> None:
        def write(target: Path) -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            if writer is not None:
                writer(target)
            else:
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
    add("types.jsonl", P, _jsonl(
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
    lines_total = 2_000 if small else 10_000
    many = [json.dumps({"id": n, "body": story(n % 500) + f" Line {n}.", "date": "2023-10-31"}) if n % 97
            else '{"id": ' + str(n) + ', "body": "cut off' for n in range(lines_total)]
    add("many lines.jsonl", P, ("\n".join(many) + "\n").encode())
    huge_line = (1 if small else HUGE_LINE_BYTES // (1024 * 1024)) * 1024 * 1024 + 1024
    add("huge line.jsonl", P, writer=lambda p: _huge_line_feed(p, huge_line, story(next(counter))))
    # Encodings.
    add("utf16 bom.txt", P, text().encode("utf-16"))
    add("utf16 be bom.txt", P, codecs.BOM_UTF16_BE + text().encode("utf-16-be"))
    add("utf16 no bom.txt", P, text().encode("utf-16-le"))
    add("utf16 be no bom.txt", P, text().encode("utf-16-be"))
    add("utf32 bom.txt", P, text().encode("utf-32"))
    add("utf8 bom.txt", P, codecs.BOM_UTF8 + text().encode())
    add("utf8 bom.jsonl", P, codecs.BOM_UTF8 + _jsonl({"body": story(next(counter))}))
    add("utf16.jsonl", P, _jsonl({"body": story(next(counter))}, {"body": story(next(counter))}).decode()
        .encode("utf-16"))
    add("cp1252.txt", P, (text() + " “Quoted” – café, Zürich, 5 €.").encode("cp1252"))
    add("mixed encodings.txt", P, text().encode() + " Zürich “ok”.".encode() + " café ".encode("cp1252")
        + " Moscow ".encode() + " Ελλάδα ".encode("iso-8859-7"))
    add("nul bytes.txt", P, text().encode().replace(b" ", b" \x00", 3))
    add("nul every byte.txt", skipped("not text (binary)"), b"\x00".join(bytes([b]) for b in os.urandom(4096)))
    # Long lines and sizes.
    long_line = (512 * 1024) if small else LONG_LINE_BYTES
    add("long line.txt", skipped(re.compile(r"text longer than the 300,000-character limit \([\d,]+ characters\)")),
        writer=lambda p: p.write_bytes((("word " * 200) * (long_line // 1000 + 1)).encode()[:long_line]))
    if not small:
        add("big.txt", skipped("larger than the 10 MB limit"), writer=lambda p: _sparse(p, BIG_FILE_BYTES, b"date"))
        add("big.jsonl", skipped("larger than the 200 MB limit"),
            writer=lambda p: _sparse(p, BIG_FILE_BYTES, b'{"body": "x"}\n'))
    # HTML.
    add("deep.html", skipped(re.compile(r"HTML page (has no extractable article text|could not be parsed: .+)")),
        _html("<div>" * 10_000 + "text" + "</div>" * 10_000))
    add("deep with article.html", P,
        _html("<div>" * 10_000 + "<p>" + story(next(counter)) + "</p>" + "</div>" * 10_000))
    add("scripts only.html", skipped("HTML page has no extractable article text"),
        _html("<script>var a = 'Kim met Putin on Wednesday';</script><style>p {color: red}</style>" * 50,
              "<script>document.write('x')</script>"))
    add("huge table.html", skipped("HTML page has no extractable article text"),
        _html("<table>" + "".join(f"<tr><td>{n}</td><td>2023-10-{n % 28 + 1:02d}</td><td>value {n}</td></tr>"
                                  for n in range(20_000)) + "</table>"))
    add("login wall.html", skipped(re.compile("HTML page .*")),
        _html("<form action='/login'><h1>Sign in to continue reading</h1><label>Email</label><input name=email>"
              "<label>Password</label><input type=password name=pw><button>Log in</button></form>"
              "<p>Subscribe for $1 a week.</p>"))
    add("not found.html", skipped(re.compile("HTML page .*")),
        _html("<h1>404 Not Found</h1><p>The page you requested could not be found.</p>"
              "<a href='/'>Return to the home page</a>"))
    # Binary files under text names.
    add("archive.txt.gz.txt", skipped("not text (binary)"), gzip.compress(text().encode() * 20))
    add("archive zip.txt", skipped("not text (binary)"), _zip("a.txt", text().encode() * 20))
    add("document pdf.txt", skipped("not text (binary)"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    add("image png.txt", skipped("not text (binary)"), b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    add("image png.html", skipped("not text (binary)"), b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    add("random.txt", skipped("not text (binary)"), os.urandom(8192))
    add("gzip feed.jsonl", skipped("not text (binary)"), gzip.compress(_jsonl({"body": story(next(counter))})))
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
    add("year 0001.txt", P, " date 0001-01-01 " + story(next(counter)))
    add("year 9999.txt", P, " date 9999-12-31 " + story(next(counter)))
    add("feb 30.txt", Expected("processed", warning="invalid header date '2023-02-30' ignored"),
        " date 2023-02-30 " + story(next(counter)))
    add("year 1800.txt", P, " date 1800-06-01 " + story(next(counter)))
    add("year 2200.txt", P, " date 2200-06-01 " + story(next(counter)))
    add("year 0000.txt", Expected("processed", warning="invalid header date '0000-01-01' ignored"),
        " date 0000-01-01 " + story(next(counter)))
    add("far dates.txt", P, " date 2023-10-31 The treaty of 0001-01-01 and the deadline of 9999-12-31 were cited; "
        "officials said the year 10000 and 2023-02-30 were typing errors. On December 31, 9999 the archive "
        "closes, and on January 1, 0001 it opened.")
    add("dates.jsonl", P, _jsonl({"id": "y1", "date": "0001-01-01", "body": story(next(counter))},
                                 {"id": "y9999", "date": "9999-12-31T23:59:59Z", "body": story(next(counter))},
                                 {"id": "feb30", "date": "2023-02-30", "body": story(next(counter))},
                                 {"id": "epoch", "date": 1698710400, "body": story(next(counter))},
                                 {"id": "epoch-ms", "date": 1698710400000, "body": story(next(counter))},
                                 {"id": "words", "date": "last Tuesday", "body": story(next(counter))},
                                 {"id": "y-5", "date": "-0005-01-01", "body": story(next(counter))}))
    # Other languages.
    add("russian.txt", P, " date 2023-10-31 Президент России Владимир Путин встретился в среду с лидером КНДР "
        "Ким Чен Ыном на космодроме Восточный, сообщили в Кремле. Переговоры продолжались несколько часов.")
    add("chinese.txt", P, " date 2023-10-31 朝鲜最高领导人金正恩于9月13日在东方航天发射场与俄罗斯总统普京会面。"
        "克里姆林宫表示，两国领导人进行了数小时的会谈。")
    add("arabic.txt", P, " date 2023-10-31 التقى الرئيس الروسي فلاديمير بوتين يوم الأربعاء بالزعيم الكوري الشمالي "
        "كيم جونغ أون في قاعدة فوستوشني الفضائية، بحسب الكرملين.")
    # Degenerate texts.
    repeats = 20_000 if small else 100_000
    add("one word.txt", P, " date 2023-10-31 " + "buffalo " * repeats)
    n_dates = 2_000 if small else 10_000
    add("many dates.txt", P, " date 2023-10-31 " + " ".join(
        f"On {1 + n % 28} {('January', 'March', 'July', 'October')[n % 4]} {1990 + n % 30} prices rose."
        for n in range(n_dates)))
    add("numbers.txt", P, " date 2023-10-31 " + "\n".join(str(n * 37) for n in range(5_000)))
    # Not files.
    add("folder.txt/inside.txt", P, text())
    add("fifo.txt", skipped("not a regular file (device, pipe or socket)"), writer=lambda p: os.mkfifo(p))
    add("fifo.jsonl", skipped("not a regular file (device, pipe or socket)"), writer=lambda p: os.mkfifo(p))
    add("link outside.txt", skipped("symbolic link out of the source folder (not followed)"),
        writer=lambda p: os.symlink("/etc/hostname", p))
    add("link to dev zero.txt", skipped("symbolic link out of the source folder (not followed)"),
        writer=lambda p: os.symlink("/dev/zero", p))
    add("link loop.txt", skipped("symbolic link loop"), writer=lambda p: os.symlink(p.name, p))
    add("link dangling.txt", skipped("dangling symbolic link"), writer=lambda p: os.symlink("nowhere.txt", p))
    add("link inside.txt", skipped("duplicate of strike"), writer=lambda p: os.symlink("good/strike.txt", p))
    add("link to parent", skipped("symbolic link to a folder (not followed)"), writer=lambda p: os.symlink("..", p))
    unreadable = P if os.geteuid() == 0 else failed("cannot read file: Permission denied")
    add("unreadable.txt", unreadable, writer=lambda p: (p.write_text(text()), p.chmod(0)))
    if os.geteuid() != 0:
        add("unreadable folder", failed("cannot list folder: permission denied"),
            writer=lambda p: (p.mkdir(), (p / "a.txt").write_text(text()), p.chmod(0)))
    return out


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


# What each record of a JSON lines case must be: path of the record ("<file>:<line>") → expectation.
LINE_EXPECTATIONS: dict[str, Expected] = {}


def make_hostile_set(root: Path, small: bool = False) -> dict[str, Expected]:
    """Write the hostile folder under `root` (which must not exist or be empty); returns the
    expectations per path relative to `root`."""
    root.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expected] = {}
    # Writers that change permissions run last, so that nothing else needs to write in their folder.
    for path, (write, outcome) in cases(small).items():
        write(root / path)
        expected[path] = outcome
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--small", action="store_true", help="small files only (what the tests use)")
    args = parser.parse_args(argv)
    if args.folder.exists() and any(args.folder.iterdir()):
        parser.error(f"{args.folder} exists and is not empty")
    expected = make_hostile_set(args.folder, args.small)
    print(f"{len(expected)} entries written under {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
