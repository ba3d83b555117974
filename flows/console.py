"""What a run tells people on the terminal and in its log: bounded, and safe to print.

File names come from the source folder, which anyone may write: a name holding a newline
(`"x.txt\\nfailed other.txt: ..."`) or a terminal escape sequence must not forge a line or
recolour the terminal, so every name and reason goes through `printable`. A feed of 100,000
bad records must not print 100,000 lines: each kind of line is listed up to
`MAX_LINES_PER_KIND`, then summarized by reason (run_report.json lists every entry). Prefect's
own line per finished task run is bounded the same way (`bounded_task_run_lines`): a feed of
100,000 records is 6,250 extraction batches, and each printed and sent its "Finished" line.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from extractors.schema import DocumentRecord

MAX_LINES_PER_KIND = 50
# C0/C1 controls, DEL, and Unicode line/paragraph separators and bidi overrides, which
# terminals and log viewers act on instead of showing.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character written as an escape (`\\n`, `\\x1b`, `\\u2028`)
    and backslashes doubled, so that one message stays one line and means what it says."""
    text = text.replace("\\", "\\\\")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _reason_kind(reason: str | None) -> str:
    return (reason or "unknown").split(":")[0].split(" (")[0]


def _by_reason(reasons: Iterable[str | None]) -> str:
    counts = Counter(_reason_kind(r) for r in reasons)
    return ", ".join(f"{n:,} {printable(kind)}" for kind, n in counts.most_common())


def _bounded(lines: Sequence[str], more: str, limit: int) -> list[str]:
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], more.format(n=len(lines) - limit)]


def stderr_lines(documents: Sequence[DocumentRecord], limit: int = MAX_LINES_PER_KIND) -> list[str]:
    """The lines `timeline run` prints on stderr after a run: skipped files, warnings, failures."""
    skipped = [d for d in documents if d.status == "skipped"]
    warned = [(d, w) for d in documents if d.status == "processed" for w in d.warnings]
    failed = [d for d in documents if d.status == "failed"]
    lines = _bounded([f"skipped {printable(d.path)}: {printable(d.reason or '')}" for d in skipped],
                     "… and {n:,} more skipped (" + _by_reason(d.reason for d in skipped[limit:])
                     + "; all in run_report.json)", limit)
    lines += _bounded([f"warning {printable(d.path)}: {printable(w)}" for d, w in warned],
                      "… and {n:,} more warnings (all in run_report.json)", limit)
    if failed:
        lines.append(f"{len(failed):,} file(s) failed ({_by_reason(d.reason for d in failed)}):")
        lines += _bounded([f"failed {printable(d.path)}: {printable(d.reason or '')}" for d in failed],
                          "… and {n:,} more failed (all in run_report.json)", limit)
    return lines


def log_lines(documents: Sequence[DocumentRecord], limit: int = MAX_LINES_PER_KIND) -> list[tuple[str, str]]:
    """(level, message) of the run's log: every skipped or failed input up to `limit`, then one
    summary by reason; the warnings on processed articles (an ignored header date, a replaced byte)
    up to `limit`, then a count; processed articles one by one up to `limit`, then one summary line.
    "Event mentions" are the events found in each article; the timeline's entries merge them."""
    rejected = [d for d in documents if d.status != "processed"]
    processed = [d for d in documents if d.status == "processed"]
    lines = [("warning", f"{printable(d.path)}: {d.status} ({printable(d.reason or '')})") for d in rejected[:limit]]
    if len(rejected) > limit:
        rest = rejected[limit:]
        lines.append(("warning", f"… and {len(rest):,} more skipped or failed ({_by_reason(d.reason for d in rest)}); "
                                 "all in run_report.json"))
    warned = [(d, w) for d in processed for w in d.warnings]
    lines += [("warning", f"{printable(d.path)}: {printable(w)}") for d, w in warned[:limit]]
    if len(warned) > limit:
        rest = warned[limit:]
        lines.append(("warning", f"… and {len(rest):,} more warnings on {len({d.path for d, _ in rest}):,} articles "
                                 "(all in run_report.json)"))
    if len(processed) <= limit:
        lines += [("info", f"{printable(d.path)}: {d.event_count} event mentions, published "
                           f"{d.publication_date or 'unknown'} ({d.publication_date_source})") for d in processed]
    else:
        sources = Counter(d.publication_date_source or "unknown" for d in processed)
        lines.append(("info", f"{len(processed)} articles processed, {sum(d.event_count for d in processed)} event mentions; "
                              "publication dates: " + ", ".join(f"{n} {s}" for s, n in sorted(sources.items()))
                              + " (per article: run_report.json)"))
    return lines


class _WithoutTraceback(logging.Formatter):
    """Formats a record as `inner` does, without its traceback or stack."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return self.inner.format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def hide_tracebacks() -> int:
    """Keep tracebacks off the terminal: every handler that writes to stderr or stdout (Prefect's
    console handler among them) prints the message line only. Handlers that send logs to the
    Prefect API keep the traceback. Returns how many handlers were changed."""
    loggers = [logging.getLogger()] + [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    changed = 0
    for handler in {h for lg in loggers for h in getattr(lg, "handlers", ())}:
        if (isinstance(handler, logging.StreamHandler) and getattr(handler, "stream", None) in (sys.stderr, sys.stdout)
                and not isinstance(handler.formatter, _WithoutTraceback)):
            handler.setFormatter(_WithoutTraceback(handler.formatter or logging.Formatter()))
            changed += 1
    return changed


# Libraries that read pages and guess encodings; they log their doubts about a page ("discarding
# data: None") without naming the file, while the run reports every file's outcome by name.
PARSER_LOGGERS = ("trafilatura", "htmldate", "justext", "courlan", "charset_normalizer")


def quiet_parser_logs() -> None:
    """Only errors from the page and encoding libraries reach the terminal (`--debug` shows all)."""
    for name in PARSER_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


# Prefect logs one INFO line per task run that completes, on this logger (console and API alike).
TASK_RUN_LOGGER = "prefect.task_runs"
_COMPLETED = "Finished in state Completed"


class TaskRunLines(logging.Filter):
    """Lets through, per flow run and task name, the first `limit` lines saying a task run
    completed; counts the rest. Every other line (retries, failures, warnings, a task's own
    messages) passes."""

    def __init__(self, limit: int = MAX_LINES_PER_KIND) -> None:
        super().__init__()
        self.limit = limit
        self._seen: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()  # task runs finish on several threads

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING or not str(record.msg).startswith(_COMPLETED):
            return True
        key = (str(getattr(record, "flow_run_id", "")), str(getattr(record, "task_name", "")))
        with self._lock:
            self._seen[key] += 1
            return self._seen[key] <= self.limit

    def hidden(self) -> dict[str, int]:
        """Completed task runs whose line was not let through, per task name."""
        hidden: Counter[str] = Counter()
        with self._lock:
            for (_, task_name), seen in self._seen.items():
                hidden[task_name] += max(0, seen - self.limit)
        return {name: n for name, n in sorted(hidden.items()) if n}


@contextmanager
def bounded_task_run_lines(logger: Any, limit: int = MAX_LINES_PER_KIND) -> Iterator[None]:
    """Within the block, at most `limit` "Finished in state Completed()" lines per task name and
    flow run (its subflows included) reach the terminal and the Prefect API; at its end `logger`
    gets one line per task name counting those not shown."""
    target = logging.getLogger(TASK_RUN_LOGGER)
    lines = TaskRunLines(limit)
    target.addFilter(lines)
    try:
        yield
    finally:
        target.removeFilter(lines)
        for task_name, n in lines.hidden().items():
            logger.info("… and %s more %s task runs completed (lines not shown)", f"{n:,}", printable(task_name))
