"""A content-addressed store of per-article extraction results, for incremental runs.

Why not Prefect's own task cache: Prefect caches per *task run*, and extraction runs one task
per batch of articles, so one new article in a batch would recompute the whole batch; one task
per article instead costs ≈ 5 ms of bookkeeping per article even on a cache hit (measured against
a local server), ≈ 12 s per run over 2,500 documents. A lookup here costs a file read.

A key is the sha256 of (task name, extraction version, article content). What is cached does
not depend on the publication date (`date_binding.DateFreeExtraction`: timexes and events as found,
dated later by a pure step), so the content is what extraction reads: the article's id and body.
An edited body misses; a corrected or newly estimated publication date, a renamed file or a new
title hit, and only the dates are bound again. The extraction version combines
`EXTRACTOR_VERSION` with the spaCy model package and version: a different model parses
differently. Entries are JSON of the frozen dataclasses (`flows.cache_codec`): reading one never
runs code, whoever wrote the folder. They are written atomically (temp file + rename), so
concurrent runs and killed runs never leave a half-written entry; an unreadable or tampered entry
is a miss, logged as a warning, and is overwritten by the next result.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from extractors.gc_pause import collection_paused
from extractors.schema import Article
from flows import cache_codec
from flows.outputs import TMP_SUFFIX, write_atomic

# Bump when the layout or the envelope below changes; old entries then read as misses.
# Format 1 was pickle: its ".pkl" entries are never read (and are removed by `prune`).
STORE_FORMAT = 2
ENTRY_SUFFIX = ".json"
LEGACY_SUFFIXES = (".pkl",)
# What extraction behaviour is made of: code and the data files under extractors/resources/.
SOURCE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".jsonl", ".txt", ".tsv", ".csv")


def content_fingerprint(article: Article) -> str:
    """sha256 of what extraction reads of an article: its id (the mentions carry it) and its body;
    not its publication date, which is bound after extraction."""
    return hashlib.sha256(json.dumps([article.doc_id, article.body], ensure_ascii=False).encode("utf-8")).hexdigest()


def cache_key(task_name: str, version: str, article: Article) -> str:
    """Key of an article's extraction: its content alone (`content_fingerprint`)."""
    # Keys of different tasks share one store: the task name keeps them apart.
    material = "\0".join((task_name, version, content_fingerprint(article)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def dated_key(extraction_key: str, article: Article) -> str:
    """Key of an extraction with a publication date bound: the extraction's key and what binding
    reads of the article's date (the date, where it comes from, the earliest date)."""
    dates = (article.publication_date, article.publication_date_source, article.publication_date_earliest)
    material = "\0".join((extraction_key, *(str(v) for v in dates)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def schema_signature(*classes: type) -> str:
    """Short hash of the field names of the record dataclasses.

    Entries hold these records field by field; when a field is added or renamed without a
    version bump, old entries would no longer fit the class. Keying on the layout turns that
    into a miss.
    """
    from extractors import schema

    if not classes:
        classes = tuple(v for v in vars(schema).values()
                        if dataclasses.is_dataclass(v) and isinstance(v, type) and v.__module__ == schema.__name__)
    layout = sorted((c.__qualname__, tuple(f.name for f in dataclasses.fields(c))) for c in classes)
    return hashlib.sha256(repr(layout).encode()).hexdigest()[:12]


# Parts of `extractors` that shape the output files, not what is extracted: editing them must
# not invalidate every cached extraction.
PRESENTATION_FILES = ("html_view.py", "export.py", "resources/html/", "resources/timeline.schema.json")


def tree_fingerprint(root: str | os.PathLike[str], suffixes: tuple[str, ...] = SOURCE_SUFFIXES,
                     exclude: tuple[str, ...] = ()) -> str:
    """Short sha256 of the relative paths and bytes of the files under `root` with these suffixes,
    except those whose relative path starts with one of `exclude`."""
    digest = hashlib.sha256()
    base = Path(root)
    for path in sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in suffixes
                       and "__pycache__" not in p.parts
                       and not path_startswith(p.relative_to(base).as_posix(), exclude)):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


@functools.lru_cache(maxsize=1)
def extractors_fingerprint() -> str:
    """Fingerprint of the `extractors` package: its code and its rule and lexicon files.

    Forgetting to bump EXTRACTOR_VERSION after editing a rule would otherwise serve stale
    results (Prefect's TASK_SOURCE policy has the same blind spot for helper functions). An
    installed release does not change between runs, so this costs nothing there; in development
    any edit of the package recomputes, which is what one wants after an edit.
    """
    import extractors

    # A namespace package (no __init__.py): its folder is the one entry of __path__.
    return tree_fingerprint(Path(next(iter(extractors.__path__))), exclude=PRESENTATION_FILES)


def path_startswith(relative: str, prefixes: tuple[str, ...]) -> bool:
    return any(relative == p or relative.startswith(p) for p in prefixes)


def extraction_version(extractor_version: str, model_name: str | None = None,
                       records: tuple[type, ...] = (), code: str | None = None) -> str:
    """`EXTRACTOR_VERSION`, the spaCy model package and version (read without loading the model),
    the layout of the schema records plus `records` (the cached result types) and the
    fingerprint of the extractors' code and resources (`code`, default: computed)."""
    if model_name is None:
        from extractors.nlp import resolve_model_name

        model_name = resolve_model_name()
    try:
        model_version = importlib.metadata.version(model_name)
    except importlib.metadata.PackageNotFoundError:
        model_version = "unknown"
    layout = schema_signature() + (f"-{schema_signature(*records)}" if records else "")
    code = extractors_fingerprint() if code is None else code
    return f"{extractor_version}+{model_name}-{model_version}+{layout}+{code}"


def _warn(message: str, *args: Any) -> None:
    """A warning in the run's log when called inside a flow or task, else in Python's logging."""
    try:
        from prefect.exceptions import MissingContextError
        from prefect.logging import get_run_logger

        try:
            get_run_logger().warning(message, *args)
            return
        except MissingContextError:
            pass
    except ImportError:  # pragma: no cover
        pass
    logging.getLogger(__name__).warning(message, *args)


class ResultCache:
    """Values by key under `root/<namespace>/<key[:2]>/<key>.json`."""

    def __init__(self, root: str | os.PathLike[str], namespace: str = "extract") -> None:
        self.root = Path(root)
        self.folder = self.root / namespace

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{ENTRY_SUFFIX}"

    @collection_paused()
    def get(self, key: str) -> Any | None:
        """The stored value, or None when absent or unreadable (stale format, truncated, foreign:
        a warning names the entry)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            _warn("cache entry %s cannot be read (%s); extracting again", path, exc.strerror or exc)
            return None
        try:
            envelope = cache_codec.decode(data)
        except cache_codec.EntryUnreadable as exc:
            _warn("cache entry %s is unreadable (%s); treated as a miss", path, exc)
            return None
        if (not isinstance(envelope, dict) or set(envelope) != {"format", "key", "value"}
                or envelope["key"] != key):
            _warn("cache entry %s is not the entry of its key; treated as a miss", path)
            return None
        if envelope["format"] != STORE_FORMAT:
            return None  # written by another version of the store: quietly recomputed
        try:
            # Touching on a hit lets `prune` drop what no run has used for a while.
            os.utime(path)
        except OSError:
            pass
        return envelope["value"]

    @collection_paused()  # rebuilding thousands of records at once is otherwise largely collector time
    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        found = {}
        for key in keys:
            value = self.get(key)
            if value is not None:
                found[key] = value
        return found

    def present(self, keys: Iterable[str]) -> set[str]:
        """The keys that have an entry (readable or not: `get` decides), without decoding any."""
        return {key for key in keys if self._path(key).is_file()}

    def put(self, key: str, value: Any) -> None:
        data = cache_codec.encode({"format": STORE_FORMAT, "key": key, "value": value})
        write_atomic(self._path(key), data, durable=False)

    def put_many(self, items: Mapping[str, Any]) -> None:
        for key, value in items.items():
            self.put(key, value)

    def keep_only(self, *keys: str) -> None:
        """Delete every entry of this namespace but those of `keys` (for results of which only the
        latest are worth keeping)."""
        kept = {self._path(key).name for key in keys}
        for old in self.folder.glob("*/*"):
            if old.is_file() and old.name not in kept:
                old.unlink(missing_ok=True)

    def remove_stale_temporaries(self, max_age_seconds: float = 3600, now: float | None = None) -> int:
        """Delete the temporary files of entries whose writer was killed before its rename (older
        than `max_age_seconds`, so a concurrent run's write in progress is left alone); returns how many."""
        if not self.folder.exists():
            return 0
        cutoff = (time.time() if now is None else now) - max_age_seconds
        removed = 0
        for path in self.folder.glob(f"*/.*{TMP_SUFFIX}"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    def __len__(self) -> int:
        return sum(1 for _ in self.folder.glob(f"*/*{ENTRY_SUFFIX}")) if self.folder.exists() else 0

    def prune(self, max_age_days: float, now: float | None = None) -> int:
        """Delete entries neither written nor read for `max_age_days`, and entries of the old
        pickle format; returns how many."""
        if not self.folder.exists():
            return 0
        cutoff = (time.time() if now is None else now) - max_age_days * 86_400
        removed = 0
        for path in self.folder.glob("*/*"):
            try:
                if path.suffix in LEGACY_SUFFIXES or (path.suffix == ENTRY_SUFFIX and path.stat().st_mtime < cutoff):
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed
