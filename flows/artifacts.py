"""What a run shows in the Prefect UI: a table of the timeline, a run summary, a link to the page.

The builders are pure functions of the documents the run writes anyway (`timeline.json`,
`run_report.json`), so the UI never says something the files do not. `publish_run_artifacts`
is the only part that talks to the Prefect API.

Keys are stable, so that one key's history in the UI's Artifacts page is one timeline: a
deployment's runs use `<base>-<deployment name>` (`timeline-table-daily`), other runs
`<base>-<source folder name>-<8 hex digits of its absolute path>` (`timeline-table-seeds-1a2b3c4d`),
so runs over different folders never share a history. Prefect accepts only lowercase letters,
digits and dashes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from extractors.html_view import date_label

TABLE_KEY = "timeline-table"
SUMMARY_KEY = "timeline-run-summary"
LINK_KEY = "timeline-page"
TABLE_ROWS = 100
# Longer lists in the summary are cut; run_report.json has them all.
SUMMARY_LIST_ROWS = 50
PAGE_NAMES = ("timeline.html", "timeline.json")

_KEY_RE = re.compile(r"^[a-z0-9-]+$")
# Of a folder name in a key: the hash of the whole path tells folders apart, the name is for people.
_KEY_NAME_CHARS = 40


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def artifact_key(base: str, deployment_name: str | None = None, source_dir: str | None = None) -> str:
    """`base-<deployment>`, else `base-<source folder>-<hash of its absolute path>`, else `base`,
    in Prefect's key alphabet."""
    if not _KEY_RE.match(base):
        raise ValueError(f"artifact key {base!r} must be lowercase letters, digits and dashes")
    if deployment_name and _slug(deployment_name):
        return f"{base}-{_slug(deployment_name)}"
    if source_dir:
        path = Path(source_dir).resolve()
        digest = hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:8]
        name = _slug(path.name)[:_KEY_NAME_CHARS].strip("-")
        return f"{base}-{name}-{digest}" if name else f"{base}-{digest}"
    return base


def _cell(value: Any) -> str:
    # Table cells of a markdown artifact: one line, no column separators.
    return " ".join(str(value).split()).replace("|", "\\|")


def timex_label(event: Mapping[str, Any]) -> str:
    """`2023-07 END`, `2023-09-07`, or empty: the normalized TIMEX3 value and modifier."""
    value = event.get("date")
    if not value:
        return ""
    mod = event.get("date_mod")
    return f"{value} {mod}" if mod else str(value)


def timeline_table(timeline: Mapping[str, Any], limit: int = TABLE_ROWS) -> list[dict[str, str]]:
    """The first `limit` events of a timeline.json document as table rows: the key events first
    (chronologically), then the others by rank."""
    events = list(timeline.get("events", []))
    keyed = [e for e in events if e.get("key")]
    others = sorted((e for e in events if not e.get("key")), key=lambda e: e.get("rank") or len(events) + 1)
    rows = []
    for event in (keyed + others)[:limit]:
        doc_ids = sorted({s["doc_id"] for s in event.get("sources", [])})
        conflicts = [f"{c['date']} ({', '.join(c['doc_ids'])})" for c in event.get("conflicts", [])]
        rows.append({
            # The same words as the HTML page ("late July 2023"), then the value they come from.
            "date": date_label(event.get("date"), event.get("date_mod"), event.get("date_start"),
                               event.get("date_end")),
            "timex": timex_label(event),
            "key": "key" if event.get("key") else "",
            "headline": str(event.get("headline") or event.get("summary", "")),
            "type": str(event.get("type", "")),
            "modality": str(event.get("modality", "")),
            "sources": ", ".join(doc_ids),
            "conflicts": "; ".join(conflicts),
        })
    return rows


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def _cut(rows: list[Any], noun: str) -> tuple[list[Any], list[str]]:
    if len(rows) <= SUMMARY_LIST_ROWS:
        return rows, []
    return rows[:SUMMARY_LIST_ROWS], ["", f"… and {len(rows) - SUMMARY_LIST_ROWS} more {noun} (see run_report.json)."]


def run_summary_markdown(report: Mapping[str, Any], outputs: Mapping[str, str]) -> str:
    """The run report (run_report.json content) as a markdown page.

    Counts are named as in run_report.json: `events` are timeline entries (merged events),
    `mentions` the event mentions in the articles they were merged from.
    """
    counts = report.get("counts", {})
    lines = [
        f"# Timeline run: {counts.get('events', 0)} timeline entries from {counts.get('processed', 0)} articles",
        "",
        f"Source `{report.get('source_dir')}` → output `{report.get('output_dir')}`, "
        f"generated {report.get('generated_at')}.",
        "",
        *_table(("documents processed", "skipped", "failed", "timeline entries", "event mentions", "conflicts"),
                [[counts.get(k, 0) for k in ("processed", "skipped", "failed", "events", "mentions", "conflicts")]]),
    ]
    not_processed = [d for d in report.get("documents", []) if d.get("status") != "processed"]
    lines += ["", "## Skipped and failed documents", ""]
    if not_processed:
        shown, more = _cut(not_processed, "documents")
        lines += _table(("path", "status", "reason"), [[d["path"], d["status"], d.get("reason") or ""] for d in shown])
        lines += more
    else:
        lines.append("None: every document was processed.")
    warnings = [(d["path"], w) for d in report.get("documents", []) if d.get("status") == "processed"
                for w in d.get("warnings") or ()]
    lines += ["", "## Warnings on processed articles", ""]
    if warnings:
        shown, more = _cut(warnings, "warnings")
        lines += _table(("path", "warning"), shown) + more
    else:
        lines.append("None.")
    estimated = sorted(report.get("estimated_publication_dates", {}).items())
    evidence = report.get("publication_date_evidence", {})
    lines += ["", "## Estimated publication dates", ""]
    if estimated:
        shown, more = _cut(estimated, "documents")
        lines += _table(("document", "estimated publication date", "evidence"),
                        [[doc, date, (evidence.get(doc) or {}).get("publication_date_evidence") or ""]
                         for doc, date in shown]) + more
    else:
        lines.append("None: every processed article carried its publication date.")
    cache = report.get("cache")
    if cache:
        lines += ["", "## Extraction cache", ""]
        if cache.get("enabled"):
            lines.append(f"{cache.get('hits', 0)} articles from the cache, {cache.get('misses', 0)} extracted "
                         f"(cache `{cache.get('dir')}`, version `{cache.get('version')}`).")
        else:
            lines.append("Disabled for this run: every article was extracted.")
    followed = report.get("sources")
    if followed:
        lines += ["", "## Followed sources", "",
                  f"{followed.get('archived_this_run', 0)} pages archived by this run (archive `{followed.get('archive')}`).", ""]
        shown, more = _cut(list(followed.get("followed", [])), "sources")
        lines += _table(("URL", "kind", "status", "new pages", "failed", "archived"),
                        [[s["url"], s.get("kind") or "", s["status"], s.get("new", 0), s.get("failed", 0),
                          "" if s.get("archived") is None else s["archived"]] for s in shown]) + more
    timings = report.get("timings_seconds", {})
    if timings:
        lines += ["", "## Stage timings", ""]
        lines += _table(("stage", "seconds"), [[stage, f"{seconds:.3f}"] for stage, seconds in timings.items()])
    lines += ["", "## Output files", ""]
    lines += [f"- [{name}]({Path(path).as_uri()}) `{path}`" for name, path in sorted(outputs.items())]
    return "\n".join(lines) + "\n"


def page_link(outputs: Mapping[str, str]) -> tuple[str, str] | None:
    """(file URL, name) of the page a person should open: the HTML view, else timeline.json."""
    for name in PAGE_NAMES:
        if name in outputs:
            return Path(outputs[name]).as_uri(), name
    return None


def publish_run_artifacts(timeline: Mapping[str, Any], report: Mapping[str, Any], outputs: Mapping[str, str],
                          deployment_name: str | None = None) -> dict[str, str]:
    """Create the table, markdown and link artifacts of the current run; returns {kind: key}.

    Folders are shown absolute: a relative `output` on a card in the UI says nothing about where
    the files are. Prefect 3 stores a link artifact as markdown `[text](url)` (its UI has no link
    type) and shows it as a link.
    """
    from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

    keys = {kind: artifact_key(base, deployment_name, report.get("source_dir"))
            for kind, base in (("table", TABLE_KEY), ("summary", SUMMARY_KEY), ("link", LINK_KEY))}
    report = {**report, **{name: str(Path(report[name]).resolve())
                           for name in ("source_dir", "output_dir") if report.get(name)}}
    events = len(timeline.get("events", []))
    rows = timeline_table(timeline)
    create_table_artifact(
        table=rows, key=keys["table"],
        description=f"{sum(1 for e in timeline.get('events', []) if e.get('key'))} key events first, then the most "
                    f"important others: {len(rows)} of {events} timeline entries of {report.get('source_dir')} "
                    "(date, headline, type, modality, sources, conflicts).",
    )
    create_markdown_artifact(markdown=run_summary_markdown(report, outputs), key=keys["summary"],
                             description="Documents processed/skipped/failed, warnings, timeline entries, event "
                                         "mentions, conflicts, timings.")
    link = page_link(outputs)
    if link is not None:
        url, name = link
        create_link_artifact(link=url, link_text=f"{name} ({events} timeline entries)", key=keys["link"],
                             description=f"Output folder {report.get('output_dir')}")
    else:
        keys.pop("link")
    return keys
