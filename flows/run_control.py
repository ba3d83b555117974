"""Running the flow from the command line: stop on Ctrl-C or SIGTERM within seconds, and do not
wait for a Prefect API that has gone away once the outputs are written.

The flow runs in a worker thread; the main thread supervises it. Signals are delivered to the
main thread only, so Prefect's own SIGTERM handling (which reports the crash to the API and can
wait minutes when the API is the thing that died) never takes over, and the supervisor can end
the process itself:

- on SIGINT / SIGTERM: let an output set being written finish (a few seconds at most), tell a
  configured server that the run crashed (one short request), stop the child processes, exit
  130 / 143;
- when the API stops answering after the outputs were written: say so once, report the run as
  usual, stop the child processes, exit 3 (`EXIT_API_LOST`).

The flow tells the supervisor where it is through `writing_outputs()` and `outputs_written()`;
both are harmless when no supervisor runs (a deployment's run in a worker).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flows.orphan_guard import stop_descendants

EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130, as a shell reports Ctrl-C
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143
EXIT_API_LOST = 3
# A stop waits this long for an output set being written to be in place.
WRITE_GRACE_SECONDS = 60.0
# The API is lost when this many health checks in a row fail (connection refused fails at once,
# so a stopped server is noticed in about this many seconds; a slow one gets HEALTH_TIMEOUT each).
HEALTH_FAILURES = 3
HEALTH_INTERVAL_SECONDS = 1.0
HEALTH_TIMEOUT_SECONDS = 5.0

T = TypeVar("T")


def exit_code_for(signum: int) -> int:
    return EXIT_INTERRUPTED if signum == signal.SIGINT else EXIT_TERMINATED


class StopRequested(BaseException):
    """SIGINT or SIGTERM while `stop_raises` is in force (a BaseException, like KeyboardInterrupt,
    so that no `except Exception` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def stop_raises() -> Iterator[None]:
    """Within the block (main thread: starting the temporary API), SIGINT and SIGTERM raise
    StopRequested, so that the caller ends the run as `run_supervised` would."""
    def raise_stop(signum: int, frame: Any) -> None:
        raise StopRequested(signum)

    previous = {signum: signal.signal(signum, raise_stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@dataclass(frozen=True)
class WrittenOutputs:
    """What the run had written when its outputs were in place: enough to report it."""

    output_dir: str
    outputs: dict[str, str]
    documents: tuple[Any, ...]  # DocumentRecord
    entries: int


class _Progress:
    """Shared by the flow thread (writer) and the supervisor (reader)."""

    def __init__(self) -> None:
        self.writing = threading.Lock()
        self.written: WrittenOutputs | None = None
        self.flow_run_id: Any = None


_progress = _Progress()


@contextlib.contextmanager
def writing_outputs() -> Iterator[None]:
    """While the output set is written: a stop requested meanwhile waits until it is in place."""
    with _progress.writing:
        yield


def outputs_written(output_dir: str, outputs: dict[str, str], documents: Sequence[Any], entries: int) -> None:
    """The flow's outputs are complete on disk."""
    _progress.written = WrittenOutputs(output_dir, dict(outputs), tuple(documents), entries)


def remember_flow_run(flow: Any, flow_run: Any, state: Any) -> None:
    """`on_running` hook: the id of the run, to mark it crashed on the server if it is stopped."""
    _progress.flow_run_id = flow_run.id


@dataclass
class Outcome(Generic[T]):
    """How a supervised run ended: a value, or an exception raised by the flow."""

    value: T | None = None
    error: BaseException | None = None


def api_answers(api_url: str, timeout: float = HEALTH_TIMEOUT_SECONDS) -> bool:
    import httpx

    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def _mark_crashed(api_url: str | None, flow_run_id: Any, reason: str) -> None:
    """Best effort, one short request: a run the server still shows as Running would stay so."""
    if not api_url or flow_run_id is None:
        return
    import httpx

    with contextlib.suppress(httpx.HTTPError):
        httpx.post(f"{api_url.rstrip('/')}/flow_runs/{flow_run_id}/set_state", timeout=3.0,
                   json={"state": {"type": "CRASHED", "name": "Crashed", "message": reason}, "force": True})


def _silence_prefect() -> None:
    # Prefect's clients log kilobytes of retries and tracebacks per attempt against a dead API,
    # some through loggers with levels of their own: switch logging off; our messages are echoed.
    logging.disable(logging.CRITICAL)


def end_process(code: int) -> None:
    """Stop the child processes and leave now, without the atexit handlers (they would wait for
    the API and the workers this function has just stopped)."""
    stop_descendants()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def run_supervised(call: Callable[[], T], api_url: str | None, *, record_url: str | None = None,
                   on_interrupt: Callable[[int, WrittenOutputs | None], None],
                   on_api_lost: Callable[[WrittenOutputs], int],
                   on_api_lost_early: Callable[[str], None] | None = None) -> Outcome[T]:
    """Run `call` (the flow) in a thread and supervise it from this, the main, thread.

    `api_url` is watched for health; `record_url` is the server to tell that an interrupted run
    crashed (a configured server; a temporary API keeps nothing). `on_interrupt(signum, written)`
    reports a stop before the process ends with 130/143; `on_api_lost(written)` reports a run
    whose API went away after the outputs were written and returns the exit code;
    `on_api_lost_early(url)` warns once when it goes away before.
    """
    outcome: Outcome[T] = Outcome()
    stop: list[int] = []
    _progress.written, _progress.flow_run_id = None, None

    def target() -> None:
        try:
            outcome.value = call()
        except BaseException as exc:  # noqa: BLE001 — handed to the caller in the main thread
            outcome.error = exc

    def request_stop(signum: int, frame: Any) -> None:
        stop.append(signum)

    previous = {signum: signal.signal(signum, request_stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        # In a copy of this context: Prefect's settings and client contexts are context variables.
        worker = threading.Thread(target=contextvars.copy_context().run, args=(target,), name="timeline-flow",
                                  daemon=True)
        worker.start()
        failures, lost, next_check = 0, False, time.monotonic()
        while worker.is_alive():
            worker.join(0.2)
            if stop:
                _stop(stop[0], record_url, on_interrupt)
            if not worker.is_alive():
                break
            if api_url is not None and not lost and time.monotonic() >= next_check:
                next_check = time.monotonic() + HEALTH_INTERVAL_SECONDS
                failures = 0 if api_answers(api_url) else failures + 1
                if failures >= HEALTH_FAILURES:
                    lost = True
                    _silence_prefect()
                    if _progress.written is None and on_api_lost_early is not None:
                        on_api_lost_early(api_url)
            # Without an API the run can still finish its outputs: wait for them, not for the API.
            if lost and _progress.written is not None:
                end_process(on_api_lost(_progress.written))
        return outcome
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stop(signum: int, record_url: str | None, on_interrupt: Callable[[int, WrittenOutputs | None], None]) -> None:
    # Never leave half an output set: wait for one being written, briefly; the lock is then held
    # until the process ends, so no output set is started after this point.
    _progress.writing.acquire(timeout=WRITE_GRACE_SECONDS)
    _silence_prefect()
    on_interrupt(signum, _progress.written)
    _mark_crashed(record_url, _progress.flow_run_id,
                  f"Stopped by {signal.Signals(signum).name} on the command line.")
    end_process(exit_code_for(signum))
