"""What a run shows in the Prefect UI: a table of the timeline, a run summary, a link to the page.

The builders are pure functions of the documents the run writes anyway (`timeline.json`,
`run_report.json`), so the UI never says something the files do not. `publish_run_artifacts`
is the only part that talks to the Prefect API.

Keys are stable (`timeline-table`, `timeline-run-summary`, `timeline-page`), suffixed with the
deployment name when the run belongs to one, so "the latest table of the daily deployment" is
one key in the UI's Artifacts page. Prefect accepts only lowercase letters, digits and dashes.
"""

from __future__ import annotations

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


def artifact_key(base: str, deployment_name: str | None = None) -> str:
    """`base`, or `base-<deployment>` with the name folded to Prefect's key alphabet."""
    if not _KEY_RE.match(base):
        raise ValueError(f"artifact key {base!r} must be lowercase letters, digits and dashes")
    if not deployment_name:
        return base
    slug = re.sub(r"[^a-z0-9]+", "-", deployment_name.lower()).strip("-")
    return f"{base}-{slug}" if slug else base


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
    """The run report (run_report.json content) as a markdown page."""
    counts = report.get("counts", {})
    lines = [
        f"# Timeline run: {counts.get('events', 0)} events from {counts.get('processed', 0)} articles",
        "",
        f"Source `{report.get('source_dir')}` → output `{report.get('output_dir')}`, "
        f"generated {report.get('generated_at')}.",
        "",
        *_table(("documents processed", "skipped", "failed", "events", "mentions", "conflicts"),
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
    estimated = sorted(report.get("estimated_publication_dates", {}).items())
    lines += ["", "## Estimated publication dates", ""]
    if estimated:
        shown, more = _cut(estimated, "documents")
        lines += _table(("document", "estimated publication date"), shown) + more
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
    """Create the table, markdown and link artifacts of the current run; returns {kind: key}."""
    from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

    keys = {kind: artifact_key(base, deployment_name)
            for kind, base in (("table", TABLE_KEY), ("summary", SUMMARY_KEY), ("link", LINK_KEY))}
    events = len(timeline.get("events", []))
    rows = timeline_table(timeline)
    create_table_artifact(
        table=rows, key=keys["table"],
        description=f"{sum(1 for e in timeline.get('events', []) if e.get('key'))} key events first, then the most "
                    f"important others: {len(rows)} of {events} (date, headline, type, modality, sources, conflicts).",
    )
    create_markdown_artifact(markdown=run_summary_markdown(report, outputs), key=keys["summary"],
                             description="Documents processed/skipped/failed, events, conflicts, timings.")
    link = page_link(outputs)
    if link is not None:
        url, name = link
        create_link_artifact(link=url, link_text=f"{name} ({events} events)", key=keys["link"],
                             description=f"Output folder {report.get('output_dir')}")
    else:
        keys.pop("link")
    return keys
