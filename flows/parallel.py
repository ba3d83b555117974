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
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

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
