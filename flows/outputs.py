"""Writing output files so that a reader never sees half of one.

Each file is written to a temporary file in the same folder and renamed over the target
(`os.replace` is atomic on one filesystem). Concurrent runs writing the same folder take
an exclusive lock for the whole set, so the three files always come from the same run:
the last writer wins.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from filelock import FileLock

LOCK_NAME = ".timeline.lock"


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    `durable=False` skips the fsync: for cache entries, whose loss in a crash costs only a
    recomputation, an fsync per article would dominate a large incremental run on slow disks.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output_set(output_dir: Path, files: Mapping[str, bytes], lock_timeout: float = 600) -> dict[str, str]:
    """Write `{file name: content}` under one lock; returns {name: absolute path}."""
    output_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(output_dir / LOCK_NAME), timeout=lock_timeout):
        for name, data in files.items():
            write_atomic(output_dir / name, data)
    return {name: str((output_dir / name).resolve()) for name in files}
