"""Skipped lines of a large JSON lines feed, listed compactly in the report.

A feed of 100,000 records without text would otherwise give 100,000 document entries (37 MB in
timeline.json and again in run_report.json) that all say the same thing. Above
`COMPACT_ABOVE` skipped lines in one file, the skipped lines that share a reason become one
entry per up to `MAX_RANGES` line ranges: path `feed.jsonl:2-50,52-100001`, doc_id
`feed:2-50,52-100001`, reason `no article text (…) (99,999 lines)`. Every line stays accounted
for; a smaller feed is listed line by line, as before.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from extractors.schema import DocumentRecord

COMPACT_ABOVE = 1000
MAX_RANGES = 20
_LINE_PATH = re.compile(r"\A(?P<file>.+):(?P<line>\d+)\Z")


def _ranges(numbers: list[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    return ranges


def _spelled(ranges: Sequence[tuple[int, int]]) -> str:
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def _file_id(record: DocumentRecord, line: int, file_path: str) -> str:
    """The feed's id: the line's doc_id without its `:<line number>` (a record with its own id
    does not show it: then the file's name without extension)."""
    if record.doc_id.endswith(f":{line}"):
        return record.doc_id[: -len(f":{line}")]
    name = file_path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] or name


def compact_skipped_lines(documents: Sequence[DocumentRecord], above: int = COMPACT_ABOVE,
                          max_ranges: int = MAX_RANGES) -> list[DocumentRecord]:
    """`documents` with the skipped lines of each feed that has more than `above` of them
    merged by reason into range entries; everything else unchanged, in order."""
    skipped_lines: dict[str, list[DocumentRecord]] = defaultdict(list)
    for record in documents:
        match = _LINE_PATH.match(record.path)
        if record.status == "skipped" and match and not record.warnings and record.duplicate_of is None:
            skipped_lines[match["file"]].append(record)
    compacted = {f: rs for f, rs in skipped_lines.items() if len(rs) > above}
    if not compacted:
        return list(documents)
    merged_ids = {id(r) for rs in compacted.values() for r in rs}
    out = [r for r in documents if id(r) not in merged_ids]
    for file_path, records in compacted.items():
        by_reason: dict[str, list[DocumentRecord]] = defaultdict(list)
        for record in records:
            by_reason[record.reason or ""].append(record)
        for reason, group in by_reason.items():
            numbers = [int(_LINE_PATH.match(r.path)["line"]) for r in group]  # type: ignore[index]
            file_id = _file_id(group[0], numbers[0], file_path)
            ranges = _ranges(numbers)
            for start in range(0, len(ranges), max_ranges):
                part = ranges[start:start + max_ranges]
                lines = sum(b - a + 1 for a, b in part)
                out.append(DocumentRecord(doc_id=f"{file_id}:{_spelled(part)}", path=f"{file_path}:{_spelled(part)}",
                                          status="skipped", reason=f"{reason} ({lines:,} lines)"))
    return out
