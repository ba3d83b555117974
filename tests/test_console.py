"""Terminal and log messages: one line per message whatever a file is named, bounded in number."""

from __future__ import annotations

import json
import logging

import pytest

from extractors.schema import DocumentRecord
from flows.console import (
    MAX_LINES_PER_KIND,
    TASK_RUN_LOGGER,
    TaskRunLines,
    log_lines,
    printable,
    stderr_lines,
)


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


def _task_run_record(task_name: str, message: str, level: int = logging.INFO, flow_run_id: str = "f1") -> logging.LogRecord:
    record = logging.LogRecord(TASK_RUN_LOGGER, level, __file__, 1, message, None, None)
    record.task_name, record.flow_run_id = task_name, flow_run_id
    return record


def test_console_task_run_lines_are_bounded_per_task_name():
    lines = TaskRunLines(limit=3)
    passed = [lines.filter(_task_run_record(name, "Finished in state Completed()"))
              for name in ["extract-batch"] * 5 + ["write-outputs"] + ["extract-batch"] * 2]
    assert passed == [True] * 3 + [False] * 2 + [True] + [False] * 2
    # Another flow run has its own count; failures, retries and a task's own messages always pass.
    assert lines.filter(_task_run_record("extract-batch", "Finished in state Completed()", flow_run_id="f2"))
    assert lines.filter(_task_run_record("extract-batch", "Finished in state Failed('boom')", logging.ERROR))
    assert lines.filter(_task_run_record("extract-batch", "Task run failed with exception: X - Retry 1/2 will start"))
    assert lines.hidden() == {"extract-batch": 4}


@pytest.mark.slow
def test_console_a_feed_of_many_batches_logs_a_bounded_number_of_task_run_lines(prefect_harness, tmp_path):
    from flows.build_timeline import build_timeline

    feed = tmp_path / "src" / "briefs.jsonl"
    feed.parent.mkdir()
    records = (json.dumps({"id": f"r{i}", "published": "2023-05-02", "text": f"Anna Berg met Carl Lund {i} times in Oslo."})
               for i in range(MAX_LINES_PER_KIND + 20))
    feed.write_text("\n".join(records) + "\n", encoding="utf-8")
    seen: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = seen.append  # type: ignore[method-assign]
    loggers = [logging.getLogger(TASK_RUN_LOGGER), logging.getLogger("prefect.flow_runs")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        build_timeline(source_dir=str(feed.parent), output_dir=str(tmp_path / "out"), batch_size=1, n_process=1)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    finished = [r for r in seen if getattr(r, "task_name", "") == "extract-batch"
                and r.getMessage().startswith("Finished in state Completed")]
    assert len(finished) == MAX_LINES_PER_KIND
    assert "… and 20 more extract-batch task runs completed (lines not shown)" in [r.getMessage() for r in seen]
