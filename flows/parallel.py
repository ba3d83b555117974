"""Extraction on several cores of one machine: a pool of worker processes, each with its own spaCy.

Why a pool of whole-extraction workers and not spaCy's `nlp.pipe(n_process=...)`: spaCy's
workers only parse; every `Doc` is serialized back to the parent, which then tags timexes and
finds events alone, so the parent becomes the bottleneck and the copies cost CPU. Here each
worker parses, tags and extracts a batch and returns the small `DateFreeExtraction` records.
Why not Prefect's `ProcessPoolTaskRunner`: it starts a Prefect task engine in the worker for
every task, which on this machine cost more CPU than the extraction it wrapped (see
benchmarks/throughput.py). The flow's tasks stay in the flow process (one per batch, visible in
the UI, caching there); only the batch's computation crosses to a worker.

Workers are started with "spawn": the flow process runs Prefect's threads and event loop, and
forking a threaded process can copy a held lock into the child. Each worker loads the model
once (a few seconds) and keeps it; BLAS threads are pinned to one per worker, since two workers
already fill two cores and idle BLAS threads spinning for work only steal CPU from them.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from flows.orphan_guard import ensure_guard

# Nothing heavy at import: a spawned worker imports this module before its initializer can pin
# the BLAS threads, and numpy reads the limits when it is first imported.
if TYPE_CHECKING:
    from extractors.date_binding import DateFreeExtraction
    from extractors.schema import Article, DocumentRecord

_THREAD_LIMITS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def _init_worker() -> None:
    # Ctrl-C reaches the whole process group; stopping the workers is the parent's job, and a
    # worker interrupted while it loads its model would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in _THREAD_LIMITS:
        os.environ[name] = "1"
    from extractors.nlp import load_nlp

    load_nlp()


def _extract_in_worker(articles: list[Article]) -> list[DateFreeExtraction | DocumentRecord]:
    from extractors.pipeline import extract_batch_safely

    return extract_batch_safely(articles, 1)


def worker_pool(n_process: int) -> ProcessPoolExecutor:
    """The shared pool of `n_process` extraction workers, started on first use."""
    global _pool, _pool_size
    ensure_guard()  # the workers end with this process, even when it is SIGKILLed
    with _lock:
        if _pool is None or _pool_size != n_process:
            if _pool is not None:
                _pool.shutdown(wait=True, cancel_futures=True)
            _pool = ProcessPoolExecutor(max_workers=n_process, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_init_worker)
            _pool_size = n_process
        return _pool


def shutdown_pool() -> None:
    """Stop the workers (they hold a model each, ≈ 0.5 GB); the next use starts new ones."""
    global _pool, _pool_size
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
        _pool, _pool_size = None, 0


atexit.register(shutdown_pool)


def _init_merge_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in _THREAD_LIMITS:
        os.environ[name] = "1"
    from extractors.merge import load_settings

    load_settings()  # imported and read once, before the first part arrives


def _call(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    return fn(*args)


class LaneMap:
    """A `map`-like callable that runs its calls in this process and in `extra` worker processes at once.

    For the merge's independent parts (`merge_mentions(map_parts=...)`): this process takes the next
    call whenever it is free, starting with the first (the largest part stays here: shipping it
    would cost pickling both ways), and one thread per worker hands the next call to its worker
    whenever that is free. Results come back in call order, so the output is that of `map`.

    Why workers of their own rather than the extraction workers: those hold a spaCy model each
    (≈ 0.35 GB) that merging does not need; these import only the merge. They are started when the
    map is created (before the parts are prepared, so their start overlaps that work) and stopped
    by `close`.
    """

    def __init__(self, extra: int) -> None:
        ensure_guard()  # the workers end with this process, even when it is SIGKILLed
        self._pool = ProcessPoolExecutor(max_workers=extra, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_init_merge_worker)
        self._extra = extra
        for _ in range(extra):  # start the processes now (the executor starts them on demand)
            self._pool.submit(os.getpid)

    def __call__(self, fn: Callable[..., Any], *iterables: Iterable[Any]) -> list[Any]:
        calls = list(zip(*iterables, strict=True))
        results: list[Any] = [None] * len(calls)
        queue = deque(range(len(calls)))
        lock = threading.Lock()
        failure: list[BaseException] = []

        def take() -> int | None:
            with lock:
                return queue.popleft() if queue and not failure else None

        first = take()

        def lane() -> None:
            try:
                while (k := take()) is not None:
                    results[k] = self._pool.submit(_call, fn, calls[k]).result()
            except BaseException as exc:  # noqa: BLE001 — re-raised in the caller's thread
                failure.append(exc)

        threads = [threading.Thread(target=lane, name=f"merge-lane-{n}", daemon=True) for n in range(self._extra)]
        for thread in threads:
            thread.start()
        k = first
        try:
            while k is not None:
                results[k] = fn(*calls[k])
                k = take()
        finally:
            with lock:
                queue.clear()  # on an error here, the lanes stop after their current call
            for thread in threads:
                thread.join()
        if failure:
            raise failure[0]
        return results

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def lane_map(extra: int) -> Iterator[Callable[..., list[Any]]]:
    """A `LaneMap` with `extra` merge workers, stopped when the block ends; plain `map` when `extra` is 0."""
    if extra <= 0:
        yield lambda fn, *iterables: list(map(fn, *iterables))
        return
    lanes = LaneMap(extra)
    try:
        yield lanes
    finally:
        lanes.close()


@contextlib.contextmanager
def workers_released() -> Iterator[None]:
    """Stops the workers (if any started) when the block ends, however it ends."""
    try:
        yield
    finally:
        shutdown_pool()


def extract_in_processes(articles: Sequence[Article], n_process: int) -> list[DateFreeExtraction | DocumentRecord]:
    """Extraction of one batch in a worker of the shared pool (same results as in-process).

    A worker that dies (killed, out of memory) breaks the pool; the batch is then extracted in
    this process and the next batch starts a new pool.
    """
    try:
        return worker_pool(n_process).submit(_extract_in_worker, list(articles)).result()
    except BrokenProcessPool:
        shutdown_pool()
        from extractors.pipeline import extract_batch_safely

        return extract_batch_safely(articles, 1)
