"""Find the input files under a source folder and read each into an `Article`.

This is the one module that reads input files. Every file under the folder ends up either
as an Article or as a DocumentRecord saying why it was skipped or failed; nothing raises
for a bad file.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from extractors.articles import (
    MAX_INPUT_BYTES,
    SIDECAR_SUFFIX,
    SUPPORTED_SUFFIXES,
    InputRejected,
    build_article,
)
from extractors.schema import Article, DocumentRecord


@dataclass(frozen=True)
class InputFile:
    doc_id: str
    path: str  # relative to the source folder, with forward slashes
    absolute_path: str


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def discover_inputs(source_dir: str | os.PathLike[str]) -> list[InputFile]:
    """Every file under `source_dir` (recursively, sorted), sidecars excepted.

    doc_id is the file stem; stems that occur more than once get their relative path instead,
    so ids stay unique and stable.
    """
    root = Path(source_dir)
    found: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().endswith(SIDECAR_SUFFIX) and _has_article(Path(dirpath), name):
                continue
            absolute = os.path.join(dirpath, name)
            found.append((Path(absolute).relative_to(root).as_posix(), absolute))
    found.sort()
    stems = Counter(Path(rel).stem for rel, _ in found)
    inputs = []
    for rel, absolute in found:
        stem = Path(rel).stem
        doc_id = stem if stems[stem] == 1 else str(Path(rel).with_suffix("")).replace(os.sep, "/")
        inputs.append(InputFile(doc_id=doc_id, path=rel, absolute_path=absolute))
    return inputs


def _has_article(directory: Path, sidecar_name: str) -> bool:
    stem = sidecar_name[: -len(SIDECAR_SUFFIX)]
    return any((directory / f"{stem}{suffix}").exists() for suffix in SUPPORTED_SUFFIXES)


def _sidecar_path(absolute_path: str) -> Path:
    path = Path(absolute_path)
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def read_input(item: InputFile, max_bytes: int = MAX_INPUT_BYTES) -> Article | DocumentRecord:
    """The Article of one input file, or the record of why there is none."""
    def rejected(reason: str, status: str = "skipped") -> DocumentRecord:
        return DocumentRecord(doc_id=item.doc_id, path=item.path, status=status, reason=reason)  # type: ignore[arg-type]

    name = Path(item.path).name
    suffix = _suffix(name)
    path = Path(item.absolute_path)
    if name.startswith("."):
        return rejected("hidden file")
    if path.is_symlink() and not path.exists():
        return rejected("dangling symbolic link")
    if suffix not in SUPPORTED_SUFFIXES:
        return rejected(f"unsupported type {suffix or '(no extension)'}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return rejected(f"larger than the {max_bytes // (1024 * 1024)} MB limit")
        data = path.read_bytes()
        sidecar = _sidecar_path(item.absolute_path)
        sidecar_bytes = sidecar.read_bytes() if sidecar.is_file() else None
    except FileNotFoundError:
        return rejected("file disappeared during the run", "failed")
    except OSError as exc:
        return rejected(f"cannot read file: {exc.strerror or exc}", "failed")
    try:
        return build_article(item.doc_id, item.path, suffix, data, sidecar_bytes)
    except InputRejected as exc:
        return rejected(exc.reason, exc.status)
