"""Writing the output files so that readers only ever see one whole set, from one run.

Layout of an output folder:

    timeline.json  -> .current/timeline.json      (one symbolic link per output file, made once)
    timeline.csv   -> .current/timeline.csv
    ...
    .current       -> .generations/<generation>   (the one link a run switches)
    .generations/<generation>/timeline.json ...   (the files of one run)

A run writes all its files into a new generation folder, flushes them to disk, and then switches
`.current` to it with one `rename` of a symbolic link, which is atomic: before it every path shows
the previous run's file, after it the new one's, and a crash (kill -9, full disk, power loss) at
any moment leaves either the previous set or the new set, never a mixture. A program that opens
`timeline.json` sees a whole file. One that reads several files and must have them from the same
run resolves `.current` once (`os.path.realpath`) and reads inside that folder: it is kept
while it is current, through the next run, and removed when the run after that starts.

Concurrent runs writing the same folder take an exclusive lock for the whole set: the last
writer wins. Leftovers of killed runs (generation folders never switched in, temporary files and
links) are removed by the next run, under the lock.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from filelock import FileLock

LOCK_NAME = ".timeline.lock"
GENERATIONS = ".generations"
CURRENT = ".current"
TMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    `durable=False` skips the fsync: for cache entries, whose loss in a crash costs only a
    recomputation, an fsync per article would dominate a large incremental run on slow disks.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
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


def _fsync_folder(folder: Path) -> None:
    """Make the folder's entries (new files, renames) durable."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems do not fsync folders; the rename is still atomic
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)


def _link_atomic(link: Path, target: str) -> None:
    """Make `link` a symbolic link to `target`, replacing what was there in one rename."""
    tmp = link.with_name(f".{link.name.lstrip('.')}.{os.getpid()}.{os.urandom(4).hex()}{TMP_SUFFIX}")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def current_generation(output_dir: Path) -> Path | None:
    """The folder holding the current output set, or None before the first run of this layout."""
    link = output_dir / CURRENT
    if not link.is_symlink():
        return None
    target = output_dir / os.readlink(link)
    return target if target.is_dir() else None


def _new_generation(output_dir: Path) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    folder = output_dir / GENERATIONS / f"{stamp}-{os.getpid()}-{os.urandom(3).hex()}"
    folder.mkdir(parents=True)
    return folder


def _adopt_plain_files(output_dir: Path, names: list[str]) -> None:
    """Turn the plain output files of an older layout into links to a generation holding the same
    bytes, before anything new is switched in, so a crash during the change shows no mixture."""
    plain = [name for name in names if (output_dir / name).is_file() and not (output_dir / name).is_symlink()]
    if not plain or current_generation(output_dir) is not None:
        return
    folder = _new_generation(output_dir)
    for name in plain:
        try:
            os.link(output_dir / name, folder / name)
        except OSError:
            shutil.copy2(output_dir / name, folder / name)
    _fsync_folder(folder)
    _link_atomic(output_dir / CURRENT, os.path.relpath(folder, output_dir))
    for name in plain:
        _link_atomic(output_dir / name, f"{CURRENT}/{name}")
    _fsync_folder(output_dir)


def remove_leftovers(output_dir: Path, keep: set[Path], names: Iterable[str] = ()) -> list[str]:
    """Delete what killed runs leave behind: the temporary files and links of the output files
    `names`, of `.current` and of the write check, and generation folders other than those in
    `keep`. Returns the names removed. Call under the lock."""
    prefixes = tuple(f".{name}." for name in (*names, CURRENT.lstrip("."), "write-check"))
    removed = []
    for entry in output_dir.iterdir():
        if entry.name.startswith(prefixes) and entry.name.endswith(TMP_SUFFIX) and not entry.is_dir():
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    generations = output_dir / GENERATIONS
    if generations.is_dir():
        kept = {k.resolve() for k in keep}
        for folder in generations.iterdir():
            if folder.resolve() not in kept:
                if folder.is_dir() and not folder.is_symlink():
                    shutil.rmtree(folder, ignore_errors=True)
                else:
                    folder.unlink(missing_ok=True)
                removed.append(f"{GENERATIONS}/{folder.name}")
    return removed


def check_writable(output_dir: Path) -> None:
    """Raises OSError when the output folder cannot be created or written (read-only, no
    permission), so a run fails at its start rather than after the extraction."""
    output_dir.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=".write-check.", suffix=TMP_SUFFIX, dir=output_dir)
    os.close(fd)
    os.unlink(probe)


# Test seam: called with a step name at every point where a crash would matter.
_crash_point: Callable[[str], None] = lambda step: None  # noqa: E731


def write_output_set(output_dir: Path, files: Mapping[str, bytes], lock_timeout: float = 600) -> dict[str, str]:
    """Write `{file name: content}` as one set, switched in by a single rename; returns
    {name: absolute path of the stable link}. Raises OSError (full disk, read-only folder)
    with the previous set left whole and nothing of this run left behind."""
    output_dir.mkdir(parents=True, exist_ok=True)
    names = list(files)
    with FileLock(str(output_dir / LOCK_NAME), timeout=lock_timeout):
        previous = current_generation(output_dir)
        remove_leftovers(output_dir, keep={p for p in (previous,) if p is not None}, names=names)
        _adopt_plain_files(output_dir, names)
        previous = current_generation(output_dir)
        folder = _new_generation(output_dir)
        try:
            for name, data in files.items():
                _write_file(folder / name, data)
                _crash_point(f"wrote {name}")
            _fsync_folder(folder)
            _crash_point("before switch")
            _link_atomic(output_dir / CURRENT, os.path.relpath(folder, output_dir))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        _crash_point("after switch")
        for name in names:
            link = output_dir / name
            if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
                _link_atomic(link, f"{CURRENT}/{name}")
        _fsync_folder(output_dir)
        _crash_point("linked")
        # The previous set stays for readers that resolved `.current` just before the switch.
        remove_leftovers(output_dir, keep={p for p in (folder, previous) if p is not None}, names=names)
    return {name: os.path.abspath(output_dir / name) for name in names}
