"""Terminal and log messages: one line per message whatever a file is named, bounded in number."""

from __future__ import annotations

import pytest

from extractors.schema import DocumentRecord
from flows.console import MAX_LINES_PER_KIND, log_lines, printable, stderr_lines


@pytest.mark.parametrize("name, shown", [
    ("x.txt\nfailed other.txt: extraction failed: boom", "x.txt\\nfailed other.txt: extraction failed: boom"),
    ("red\x1b[31m.txt", "red\\x1b[31m.txt"),
    ("cr\rover.txt", "cr\\rover.txt"),
    ("sep\u2028line.txt", "sep\\u2028line.txt"),
    ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
    ("back\\n-slash.txt", "back\\\\n-slash.txt"),  # a real backslash-n stays tellable from an escape
    ("Zürich café 北京.txt", "Zürich café 北京.txt"),
])
def test_console_printable_escapes_what_terminals_act_on(name, shown):
    assert printable(name) == shown


def test_console_a_newline_in_a_file_name_cannot_forge_a_line():
    forged = "x.txt\nfailed other.txt: extraction failed: boom"
    documents = [DocumentRecord(doc_id="x", path=forged, status="skipped", reason="empty file"),
                 DocumentRecord(doc_id="y", path="y.txt", status="processed", warnings=(f"sidecar {forged} is bad",)),
                 DocumentRecord(doc_id="z", path=forged, status="failed", reason=f"cannot read file: {forged}")]
    lines = stderr_lines(documents)
    text = "\n".join(lines)
    assert not any(line.startswith("failed other.txt") for line in text.split("\n"))
    assert len(text.split("\n")) == len(lines) == 4
    for _, line in log_lines(documents):
        assert "\n" not in line


def test_console_many_bad_records_are_summarized():
    documents = [DocumentRecord(doc_id=f"feed:{i}", path=f"feed.jsonl:{i}", status="skipped",
                                reason="no article text (no body, text field)") for i in range(1, 100_001)]
    documents += [DocumentRecord(doc_id=f"w{i}", path=f"w{i}.txt", status="processed", warnings=("w",))
                  for i in range(200)]
    documents += [DocumentRecord(doc_id=f"f{i}", path=f"f{i}.txt", status="failed", reason="cannot read file: EIO")
                  for i in range(300)]
    lines = stderr_lines(documents)
    assert len(lines) == 3 * (MAX_LINES_PER_KIND + 1) + 1
    assert lines[MAX_LINES_PER_KIND] == ("… and 99,950 more skipped (99,950 no article text; "
                                         "all in run_report.json)")
    assert "300 file(s) failed (300 cannot read file):" in lines
    logged = log_lines(documents)
    # skipped/failed up to the limit and a summary; warnings up to the limit and a count; one line for the processed
    assert len(logged) == 2 * (MAX_LINES_PER_KIND + 1) + 1
    assert logged[-2] == ("warning", "… and 150 more warnings on 150 articles (all in run_report.json)")
    assert logged[MAX_LINES_PER_KIND] == ("warning", "… and 100,250 more skipped or failed (99,950 no article "
                                                     "text, 300 cannot read file); all in run_report.json")
