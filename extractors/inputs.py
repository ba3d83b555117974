"""Find the input files under a source folder and read each into an `Article`.

This is the one module that reads input files. Every entry under the folder ends up either
as an Article or as a DocumentRecord saying why it was skipped or failed — including what a
folder walk would otherwise pass over silently (hidden folders, links to folders, folders
that cannot be listed); nothing raises for a bad file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import io
import os
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from extractors.articles import (
    JSONL_SUFFIXES,
    MAX_INPUT_BYTES,
    MAX_JSONL_BYTES,
    MAX_SIDECAR_BYTES,
    SIDECAR_SUFFIX,
    SUPPORTED_SUFFIXES,
    InputRejected,
    build_article,
    decode,
    jsonl_articles,
    size_text,
)
from extractors.schema import Article, DocumentRecord

# The lock file `flows.outputs` keeps in every output folder: a folder holding it is the output
# of a run (timeline.html would otherwise be read back as an article by the next run).
OUTPUT_MARKER = ".timeline.lock"
OUTPUT_NAMES = frozenset({"timeline.json", "timeline.csv", "timeline.html", "run_report.json", "articles.jsonl"})


@dataclass(frozen=True)
class InputFile:
    doc_id: str
    path: str  # relative to the source folder, with forward slashes
    absolute_path: str
    # (size, modification time in ns) when listed: a file that differs when read was being
    # rewritten, and what was read may be cut off.
    listed: tuple[int, int] | None = None
    # The source folder's real path when links must stay inside it; None: follow links anywhere.
    confined_to: str | None = None


class _ChangedWhileRead(Exception):
    pass


CHANGED_REASON = "file changed while the run read it (it was being written?); read again by the next run"
OUTSIDE_LINK_REASON = "symbolic link out of the source folder (not followed)"
NOT_REGULAR_REASON = "not a regular file (device, pipe or socket)"


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def discover_inputs(source_dir: str | os.PathLike[str], follow_links_outside: bool = False) -> list[InputFile]:
    """Every entry under `source_dir` to account for (recursively, sorted), sidecars excepted;
    a file given as `source_dir` is the one entry.

    Symbolic links to files are followed when they point inside the source folder; others are
    reported as skipped unless `follow_links_outside` (a link can point at any file the run may read).

    Files are listed wherever they are; hidden folders, links to folders and folders that
    cannot be listed are listed as one entry each (not searched), so the report names them.
    doc_id is the file stem; stems that occur more than once get their relative path without
    the extension, or with it when that is still ambiguous, so ids stay unique and stable.
    """
    root = Path(source_dir)
    if root.is_file():
        # One article file or one JSON lines feed given as the source.
        return [InputFile(doc_id=_displayable(root.stem), path=_displayable(root.name), absolute_path=str(root),
                          listed=_signature(root))]
    found: list[tuple[str, str]] = []

    def unlisted(error: OSError) -> None:
        if not error.filename or os.path.abspath(error.filename) == os.path.abspath(root):
            raise error  # the source folder itself cannot be read: a configuration error, not a bad file
        found.append((Path(error.filename).relative_to(root).as_posix(), error.filename))

    for dirpath, dirnames, filenames in _walk(str(root), unlisted):
        searched = []
        for name in sorted(dirnames):
            absolute = os.path.join(dirpath, name)
            if name.startswith(".") or os.path.islink(absolute) or _is_output_folder(absolute):
                found.append((Path(absolute).relative_to(root).as_posix(), absolute))
            else:
                searched.append(name)
        dirnames[:] = searched
        for name in sorted(filenames):
            if name.lower().endswith(SIDECAR_SUFFIX) and _has_article(Path(dirpath), name):
                continue
            absolute = os.path.join(dirpath, name)
            found.append((Path(absolute).relative_to(root).as_posix(), absolute))
    listed = sorted((_displayable(rel), absolute) for rel, absolute in found)
    confined_to = None if follow_links_outside else os.path.realpath(root)
    # Ids in NFC: a name spelled in NFC and the same name in NFD would otherwise be two ids that
    # look identical; now the second gets a visible "~2" (and both a warning, `flag_lookalike_names`).
    ids = _unique_ids([unicodedata.normalize("NFC", rel) for rel, _ in listed])
    return [InputFile(doc_id=doc_id, path=rel, absolute_path=absolute, listed=_signature(Path(absolute)),
                      confined_to=confined_to)
            for (rel, absolute), doc_id in zip(listed, ids, strict=True)]


def _walk(top: str, onerror: Callable[[OSError], None]) -> Iterator[tuple[str, list[str], list[str]]]:
    """`os.walk(top, onerror=onerror)` (top-down, links to folders listed but not entered, the
    caller may prune `dirnames` in place), without recursion: os.walk recurses once per level,
    and a folder nested 1,000 levels deep raised RecursionError and stopped the whole run."""
    stack = [top]
    while stack:
        dirpath = stack.pop()
        try:
            with os.scandir(dirpath) as listing:
                entries = list(listing)
        except OSError as error:
            onerror(error)
            continue
        dirnames, filenames = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False  # as os.walk: what cannot be told a folder is listed as a file
            (dirnames if is_dir else filenames).append(entry.name)
        yield dirpath, dirnames, filenames
        stack.extend(os.path.join(dirpath, name) for name in reversed(dirnames)
                     if not os.path.islink(os.path.join(dirpath, name)))


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _inside(path: str, folder: str) -> bool:
    real = os.path.realpath(path)
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def flag_lookalike_names(loaded: list[Article | DocumentRecord]) -> list[Article | DocumentRecord]:
    """A warning on each input whose path is another's in a different Unicode normalization
    (NFC "café" and NFD "café" are two files that print the same)."""
    spellings: dict[str, set[str]] = {}
    for record in loaded:
        spellings.setdefault(unicodedata.normalize("NFC", record.path), set()).add(record.path)
    out: list[Article | DocumentRecord] = []
    for record in loaded:
        others = sorted(spellings[unicodedata.normalize("NFC", record.path)] - {record.path})
        if others:
            note = (f"file name looks the same as {', '.join(repr(o) for o in others)} "
                    f"(same name, other Unicode normalization: NFC/NFD); id {record.doc_id!r}")
            record = dataclasses.replace(record, warnings=(*record.warnings, note))
        out.append(record)
    return out


def _displayable(name: str) -> str:
    """A file name that is valid Unicode text, for ids and reports (the file is opened by its real name).

    Names that are not UTF-8 reach Python with lone surrogates, which no UTF-8 output can hold;
    such names are nearly always cp1252/Latin-1 from older systems.
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("cp1252", errors="replace")


def _unique_ids(paths: list[str]) -> list[str]:
    stems = Counter(Path(rel).stem for rel in paths)
    ids = [Path(rel).stem if stems[Path(rel).stem] == 1 else Path(rel).with_suffix("").as_posix() for rel in paths]
    taken = Counter(ids)
    # "a.txt" and "a.html" side by side share even their suffix-less path; the full path is unique
    # (unless two undecodable names read the same, hence the numbering).
    ids = [rel if taken[doc_id] > 1 or not doc_id else doc_id for rel, doc_id in zip(paths, ids, strict=True)]
    seen: Counter[str] = Counter()
    unique = []
    for doc_id in ids:
        seen[doc_id] += 1
        unique.append(doc_id if seen[doc_id] == 1 else f"{doc_id}~{seen[doc_id]}")
    return unique


def _is_output_folder(path: str | os.PathLike[str]) -> bool:
    return os.path.isfile(os.path.join(path, OUTPUT_MARKER))


def _has_article(directory: Path, sidecar_name: str) -> bool:
    stem = sidecar_name[: -len(SIDECAR_SUFFIX)]
    return any(
        (directory / f"{stem}{suffix}").exists() or (directory / f"{stem}{suffix.upper()}").exists()
        for suffix in SUPPORTED_SUFFIXES
    )


def _sidecar_path(absolute_path: str) -> Path:
    path = Path(absolute_path)
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def read_inputs(item: InputFile, max_bytes: int = MAX_INPUT_BYTES, today: dt.date | None = None,
                ) -> list[Article | DocumentRecord]:
    """The articles of one input file (several for JSON lines), or the record of why there are none.

    Never raises for a bad file; every line of a JSON lines file is accounted for.
    """
    if _suffix(item.path) not in JSONL_SUFFIXES:
        return [read_input(item, max_bytes, today)]
    limit = max(max_bytes, MAX_JSONL_BYTES)
    checked = _checked_file(item, limit)
    if isinstance(checked, DocumentRecord):
        return [checked]
    run_date = today or dt.datetime.now(dt.timezone.utc).date()
    try:
        with _open_regular(checked) as handle:
            before = os.fstat(handle.fileno())
            head = handle.read(64 * 1024)
            encoding = decode(head).encoding  # a binary file is one reason, not one per "line"
            handle.seek(0)
            lines = _wide_lines(handle, encoding, max_bytes) if encoding.startswith(_WIDE) else _lines(handle, max_bytes)
            records = list(jsonl_articles(item.doc_id, item.path, lines, today=run_date, max_line=max_bytes))
            _unchanged(item, handle, before, handle.tell())
            return records
    except _ChangedWhileRead:
        return [_rejected(item, CHANGED_REASON, "failed")]
    except _NotRegular:
        return [_rejected(item, NOT_REGULAR_REASON)]
    except InputRejected as exc:
        return [_rejected(item, exc.reason, exc.status)]
    except FileNotFoundError:
        return [_rejected(item, "file disappeared during the run", "failed")]
    except OSError as exc:
        return [_rejected(item, f"cannot read file: {exc.strerror or exc}", "failed")]
    except Exception as exc:  # noqa: BLE001 — a loader bug on one file must not stop the run
        return [_rejected(item, f"could not be loaded: {type(exc).__name__}: {str(exc)[:200]}", "failed")]


def _lines(handle: BinaryIO, max_line: int) -> Iterator[bytes]:
    """The lines of a binary file; a line longer than `max_line` is cut to max_line + 1 bytes (the
    reader reports it as too long) and the rest of it skipped, so memory stays bounded."""
    while line := handle.readline(max_line + 1):
        if len(line) > max_line and not line.endswith(b"\n"):
            while (rest := handle.readline(1024 * 1024)) and not rest.endswith(b"\n"):
                pass
        yield line


# Encodings whose line ends are not the byte b"\n" (Windows tools write JSON lines in UTF-16).
_WIDE = ("utf-16", "utf-32")


def _wide_lines(handle: BinaryIO, encoding: str, max_line: int) -> Iterator[bytes]:
    """The lines of a UTF-16 or UTF-32 file, each re-encoded as UTF-8, memory bounded as `_lines`
    (a line is cut at `max_line` characters and the rest of it skipped)."""
    text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline=None)
    try:
        while line := text.readline(max_line + 1):
            if len(line) > max_line and not line.endswith("\n"):
                while (rest := text.readline(1024 * 1024)) and not rest.endswith("\n"):
                    pass
            yield line.encode("utf-8", errors="replace")
    finally:
        text.detach()  # the caller's `with` closes the file and still asks it for its position


def with_unique_ids(loaded: list[Article | DocumentRecord]) -> list[Article | DocumentRecord]:
    """The loaded records with ids unique across the run: a feed's line ids ("feed:3") could meet
    a file named like one ("feed:3.txt"); the later one gets "~2", "~3", as repeated stems do."""
    seen: Counter[str] = Counter()
    out: list[Article | DocumentRecord] = []
    for record in loaded:
        seen[record.doc_id] += 1
        if seen[record.doc_id] > 1:
            new_id = f"{record.doc_id}~{seen[record.doc_id]}"
            while new_id in seen:
                seen[record.doc_id] += 1
                new_id = f"{record.doc_id}~{seen[record.doc_id]}"
            seen[new_id] += 1
            record = dataclasses.replace(record, doc_id=new_id)
        out.append(record)
    return out


def _rejected(item: InputFile, reason: str, status: str = "skipped") -> DocumentRecord:
    return DocumentRecord(doc_id=item.doc_id, path=item.path, status=status, reason=reason)  # type: ignore[arg-type]


def read_input(item: InputFile, max_bytes: int = MAX_INPUT_BYTES, today: dt.date | None = None) -> Article | DocumentRecord:
    """The Article of one input file, or the record of why there is none. Never raises for a bad file.

    `today` is the run date against which future publication dates are flagged (default: today, UTC).
    A JSON lines file holding one record is read as that record; one holding several needs
    `read_inputs` (asking for one result of several is a caller's mistake: ValueError).
    """
    if _suffix(item.path) in JSONL_SUFFIXES:
        found = read_inputs(item, max_bytes, today)
        if len(found) != 1:
            raise ValueError(f"{item.path} holds {len(found)} records: read it with read_inputs")
        return found[0]
    checked = _checked_file(item, max_bytes)
    if isinstance(checked, DocumentRecord):
        return checked
    path = checked
    suffix = _suffix(item.path)

    def rejected(reason: str, status: str = "skipped") -> DocumentRecord:
        return _rejected(item, reason, status)

    try:
        with _open_regular(path) as handle:
            before = os.fstat(handle.fileno())
            data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:  # grew past the limit since it was listed
                return rejected(f"larger than the {size_text(max_bytes)} limit")
            _unchanged(item, handle, before, len(data))
        sidecar_bytes, sidecar_warnings = _read_sidecar(item)
    except _ChangedWhileRead:
        return rejected(CHANGED_REASON, "failed")
    except _NotRegular:
        return rejected(NOT_REGULAR_REASON)
    except FileNotFoundError:
        return rejected("file disappeared during the run", "failed")
    except OSError as exc:
        return rejected(f"cannot read file: {exc.strerror or exc}", "failed")
    run_date = today or dt.datetime.now(dt.timezone.utc).date()
    try:
        article = build_article(item.doc_id, item.path, suffix, data, sidecar_bytes, today=run_date,
                                sidecar_name=_sidecar_path(item.absolute_path).name)
        return dataclasses.replace(article, warnings=(*sidecar_warnings, *article.warnings)) if sidecar_warnings else article
    except InputRejected as exc:
        return rejected(exc.reason, exc.status)
    except Exception as exc:  # noqa: BLE001 — a loader bug on one file must not stop the run
        return rejected(f"could not be loaded: {type(exc).__name__}: {str(exc)[:200]}", "failed")


def _checked_file(item: InputFile, max_bytes: int) -> Path | DocumentRecord:
    """The path of an input that is a readable regular file of a supported type within the size
    limit, or the record of why it is not read."""
    try:
        return _checked_path(item, max_bytes)
    except OSError as exc:  # a path too long for the system (a folder 2,000 levels deep), an I/O error
        return _rejected(item, f"cannot read file: {exc.strerror or exc}", "failed")


def _checked_path(item: InputFile, max_bytes: int) -> Path | DocumentRecord:
    def rejected(reason: str, status: str = "skipped") -> DocumentRecord:
        return _rejected(item, reason, status)

    name = Path(item.path).name
    suffix = _suffix(name)
    path = Path(item.absolute_path)
    if item.confined_to is not None and path.is_symlink() and not _inside(item.absolute_path, item.confined_to):
        return rejected(OUTSIDE_LINK_REASON)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return rejected("dangling symbolic link")
        return rejected("file disappeared during the run", "failed")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return rejected("symbolic link loop")
        return rejected(f"cannot read file: {exc.strerror or exc}", "failed")
    if stat.S_ISDIR(info.st_mode):
        if path.is_symlink():
            return rejected("symbolic link to a folder (not followed)")
        if name.startswith("."):
            return rejected("hidden folder (not searched)")
        if _is_output_folder(path):
            return rejected("output folder of a previous run (not searched)")
        return rejected("cannot list folder: permission denied", "failed")
    if name.startswith("."):
        return rejected("hidden file")
    if name in OUTPUT_NAMES and _is_output_folder(path.parent):
        return rejected("output file of a previous run")
    if not stat.S_ISREG(info.st_mode):
        return rejected(NOT_REGULAR_REASON)
    if name.lower().endswith(SIDECAR_SUFFIX):
        return rejected("sidecar without an article file next to it")
    if suffix not in SUPPORTED_SUFFIXES and suffix not in JSONL_SUFFIXES:
        return rejected(f"unsupported type {suffix or '(no extension)'}")
    if info.st_size > max_bytes:
        return rejected(f"larger than the {size_text(max_bytes)} limit")
    return path


def _unchanged(item: InputFile, handle: BinaryIO, before: os.stat_result, read: int) -> None:
    """Raises _ChangedWhileRead when the file's size or modification time is not what the listing
    saw, moved during the read, or fewer bytes were read than it holds (cut off under the reader)."""
    after = os.fstat(handle.fileno())
    seen = (before.st_size, before.st_mtime_ns)
    if ((item.listed is not None and seen != item.listed) or (after.st_size, after.st_mtime_ns) != seen
            or read != after.st_size):
        raise _ChangedWhileRead


def _read_sidecar(item: InputFile) -> tuple[bytes | None, tuple[str, ...]]:
    """The bytes of the article's sidecar (None when it has none) and warnings about it."""
    sidecar = _sidecar_path(item.absolute_path)
    try:
        if not os.path.lexists(sidecar):
            return None, ()
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:  # the article's name is too long for a sidecar beside it
            return None, ()
        raise
    if item.confined_to is not None and not _inside(str(sidecar), item.confined_to):
        return None, (f"sidecar {sidecar.name}: {OUTSIDE_LINK_REASON}; ignored",)
    # The sidecar is not listed on its own (it belongs to its article), so whatever keeps it from
    # being read is said on the article: a sidecar is never ignored silently.
    try:
        # One byte over the limit is enough for parse_sidecar to report the size.
        return _read_prefix(sidecar, MAX_SIDECAR_BYTES + 1), ()
    except _NotRegular:
        return None, (f"sidecar {sidecar.name} is not a regular file (folder, device, pipe or socket); ignored",)
    except FileNotFoundError:
        return None, (f"sidecar {sidecar.name} is a dangling symbolic link; ignored",)
    except OSError as exc:
        return None, (f"sidecar {sidecar.name} cannot be read: {exc.strerror or exc}; ignored",)


class _NotRegular(OSError):
    pass


def _open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading when it is a regular file; raises _NotRegular otherwise.

    Opened without blocking and checked on the open file: a FIFO put where a listed file was
    would otherwise make the read wait forever for a writer.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular(errno.EINVAL, "not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_prefix(path: Path, size: int) -> bytes:
    """At most `size` bytes from the start of the file, so a huge file never enters memory whole."""
    with _open_regular(path) as handle:
        return handle.read(size)
