"""The README keeps its promises: the commands it names exist, its field table is the schema's, its
set-up commands are the ones CI runs, and every benchmark that prints a table has its section.

Each test reads the README as a user reads it (code spans and fenced blocks, the field table) and
compares it with the code, so a renamed option, a new field or a new benchmark fails here until the
README says so too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer.main

from extractors.export import CSV_COLUMNS
from extractors.schema import SCHEMA_VERSION
from flows.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
HISTORY = ROOT / "docs" / "benchmark-history.md"
SCHEMA = ROOT / "extractors" / "resources" / "timeline.schema.json"

RUN_COMMAND = "bash scripts/setup.sh && .venv/bin/timeline run seeds --output output"
TEST_COMMAND = "bash scripts/setup.sh --dev && .venv/bin/python -m pytest"

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
# A command as typed: `timeline run …`, `.venv/bin/timeline tag …`, `PYTHONPATH=… timeline run …`,
# `timeline run|serve …`; not `timeline.json` nor prose in code ("N timeline entries").
INVOCATION = re.compile(r"(?:^|/|^\S+=\S+ |[;&|] *)timeline ([a-z][a-z|]*)(.*)")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
TABLE_RULE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$", re.M)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ", 1)[0]
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1 :]
    stop = re.search(rf"^#{{1,{len(level)}}} ", rest, re.M)
    return rest[: stop.start()] if stop else rest


def _subsections(text: str, level: str) -> dict[str, str]:
    titles = re.findall(rf"^{level} (.+)$", text, re.M)
    return {title: _section(text, f"{level} {title}") for title in titles}


def _code(text: str) -> list[str]:
    """Every line of a fenced block and every inline code span, in order."""
    pieces = [line for block in FENCE.findall(text) for line in block.splitlines()]
    prose = FENCE.sub("", text)
    return pieces + CODE_SPAN.findall(prose)


def _cli_options() -> dict[str, set[str]]:
    group = typer.main.get_command(app)
    return {
        name: {
            opt
            for param in command.params
            for opt in (*param.opts, *param.secondary_opts)
            if opt.startswith("-")
        }
        | {"--help"}
        for name, command in group.commands.items()
    }


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _schema() -> dict:
    return json.loads(_text(SCHEMA))


def _backticked(text: str) -> set[str]:
    return set(CODE_SPAN.findall(text))


# --- set-up commands --------------------------------------------------------------------------


def test_readme_setup_commands_are_the_two_commands_and_ci_runs_the_test_one():
    setup = _section(_text(README), "## Set-up: the two commands")
    blocks = [block.strip() for block in FENCE.findall(setup)]
    assert blocks == [RUN_COMMAND, TEST_COMMAND]
    ci_lines = [line.strip() for line in _text(ROOT / ".ci" / "run").splitlines()]
    assert TEST_COMMAND in ci_lines, ".ci/run must run the README's test command as written"


# --- the command line -------------------------------------------------------------------------


def _synopsis() -> dict[str, set[str]]:
    """Options per command in the Command line's synopsis block (an indented line continues)."""
    block = FENCE.findall(_section(_text(README), "## Command line"))[0]
    entries: list[str] = []
    for line in block.splitlines():
        if line.startswith(" ") and entries:
            entries[-1] += line
        elif line.strip():
            entries.append(line)
    named: dict[str, set[str]] = {}
    for entry in entries:
        match = INVOCATION.search(entry)
        assert match, f"not a command: {entry!r}"
        for command in match.group(1).split("|"):
            named.setdefault(command, set()).update(OPTION.findall(match.group(2)))
    return named


def test_readme_command_line_synopsis_gives_every_command_and_option():
    synopsis = _synopsis()
    for command, options in _cli_options().items():
        assert command in synopsis, f"`timeline {command}` is not in the README's Command line"
        missing = {opt for opt in options if opt.startswith("--")} - {"--help"} - synopsis[command]
        assert not missing, f"timeline {command}: {sorted(missing)} missing from the README's synopsis"


def test_readme_command_line_names_no_option_the_cli_lacks():
    section = _section(_text(README), "## Command line")
    every_option = set().union(*_cli_options().values())
    unknown = set(OPTION.findall(section)) - every_option
    assert not unknown, f"the README's Command line names options no command has: {sorted(unknown)}"


def _invocations(text: str) -> list[tuple[str, list[str], list[str]]]:
    found = []
    for piece in _code(text):
        match = INVOCATION.search(piece.strip())
        if match:
            found.append((piece, match.group(1).split("|"), OPTION.findall(match.group(2))))
    return found


def test_readme_invocations_are_found():
    """The scanner itself: the README's examples are read, so the next test checks something."""
    commands = {command for _, names, _ in _invocations(_text(README)) for command in names}
    assert {"run", "tag", "entity", "serve"} <= commands


@pytest.mark.parametrize("document", [README, HISTORY], ids=lambda p: p.name)
def test_readme_every_timeline_invocation_uses_real_commands_and_options(document):
    cli = _cli_options()
    problems = []
    for piece, names, options in _invocations(_text(document)):
        for name in names:
            if name not in cli:
                problems.append(f"{piece!r}: no command `timeline {name}`")
                continue
            problems += [
                f"{piece!r}: `timeline {name}` has no {opt}" for opt in options if opt not in cli[name]
            ]
    assert not problems, "\n".join(problems)


# --- the output contract ----------------------------------------------------------------------


def _event_table() -> dict[str, str]:
    """First column (field names, comma-separated code spans) → meaning, of the events table."""
    output = _section(_text(README), "## Output files (a contract)")
    table = output[output.index("| field | meaning |") :].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        for name in CODE_SPAN.findall(cells[0]):
            rows[name.removesuffix("[]")] = cells[1]
    return rows


def test_readme_event_field_table_is_the_schema():
    documented = set(_event_table())
    in_schema = set(_schema()["$defs"]["event"]["properties"])
    assert documented - in_schema == set(), f"README fields not in the schema: {documented - in_schema}"
    assert in_schema - documented == set(), f"schema fields not in the README: {in_schema - documented}"


@pytest.mark.parametrize("field, definition", [("sources", "source"), ("conflicts", "conflict")])
def test_readme_nested_fields_are_the_schema(field, definition):
    documented = _backticked(_event_table()[field])
    assert documented == set(_schema()["$defs"][definition]["properties"])


@pytest.mark.parametrize("field", ["date_granularity", "date_basis", "modality"])
def test_readme_event_enumerations_are_the_schema(field):
    enum = set(_schema()["$defs"]["event"]["properties"][field]["enum"])
    assert _backticked(_event_table()[field]) == enum


def test_readme_top_level_and_document_fields_are_the_schema():
    output = _section(_text(README), "## Output files (a contract)")
    schema = _schema()
    named = {span.removesuffix("[]") for span in _backticked(output)}
    assert set(schema["properties"]) <= named
    documents = output[output.index("- `documents[]`") : output.index("- `events[]`")]
    named_in_documents = _backticked(documents)
    properties = schema["$defs"]["document"]["properties"]
    assert set(properties) <= named_in_documents
    for field in ("publication_date_source", "status"):
        assert set(properties[field]["enum"]) <= named_in_documents, field


def test_readme_schema_version_is_the_code():
    output = _section(_text(README), "## Output files (a contract)")
    assert f"`schema_version` (`{SCHEMA_VERSION}`" in output


def test_readme_csv_columns_are_as_described():
    """The README: the fields of an event in its order, `sources` replaced by `source_count`, `doc_ids`."""
    output = _section(_text(README), "## Output files (a contract)")
    assert "with `sources` replaced by `source_count` and `doc_ids`" in output
    fields = list(_schema()["$defs"]["event"]["properties"])
    at = fields.index("sources")
    assert list(CSV_COLUMNS) == [*fields[:at], "source_count", "doc_ids", *fields[at + 1 :]]


# --- benchmarks -------------------------------------------------------------------------------


def _benchmark_scripts() -> list[Path]:
    """The scripts of benchmarks/ that are run (they print tables), not the modules they share."""
    return sorted(p for p in (ROOT / "benchmarks").glob("*.py") if 'if __name__ == "__main__"' in _text(p))


def _benchmark_sections() -> dict[str, str]:
    return _subsections(_section(_text(README), "## Benchmarks"), "###")


def test_readme_mentions_every_benchmark_script():
    readme = _text(README)
    scripts = _benchmark_scripts()
    assert len(scripts) >= 10
    missing = [p.name for p in scripts if f"benchmarks/{p.name}" not in readme]
    assert not missing, f"benchmarks not in the README: {missing}"


def test_readme_benchmark_sections_give_command_split_and_one_latest_table():
    sections = _benchmark_sections()
    assert len(sections) >= 10
    for title, body in sections.items():
        script = re.search(r"`(benchmarks/\w+\.py)`", title)
        assert script and (ROOT / script.group(1)).exists(), f"{title}: names no benchmark script"
        commands = "\n".join(FENCE.findall(body))
        assert script.group(1) in commands, f"{title}: no command running {script.group(1)}"
        assert len(TABLE_RULE.findall(body)) == 1, (
            f"{title}: one table of the latest figures (history: docs/)"
        )
        assert re.search(r"Latest[a-z ]*\([^)]*?\d{1,2} [A-Z][a-z]+ 20\d\d", body), (
            f"{title}: no dated latest figures"
        )
        assert re.search(r"\btune\b|No split|no split", body), f"{title}: which split is not said"


def test_readme_benchmark_commands_use_real_options():
    """Every `benchmarks/x.py --option` the README writes (its history may name retired ones)."""
    problems = []
    for line in _code(_text(README)):
        for script in re.findall(r"benchmarks/\w+\.py", line):
            source = _text(ROOT / script)
            after = line.split(script, 1)[1].split("#", 1)[0].split("benchmarks/", 1)[0]
            problems += [f"{script} {opt}" for opt in OPTION.findall(after) if f'"{opt}"' not in source]
    assert not problems, f"options the scripts do not define: {problems}"


def test_benchmark_history_keeps_every_benchmark_and_is_linked():
    history = _text(HISTORY)
    assert "docs/benchmark-history.md" in _section(_text(README), "## Benchmarks")
    kept = set(re.findall(r"^## (.+)$", history, re.M))
    assert set(_benchmark_sections()) <= kept


# --- links --------------------------------------------------------------------------------------


@pytest.mark.parametrize("document", [README, HISTORY], ids=lambda p: p.name)
def test_readme_links_resolve(document):
    text = _text(document)
    problems = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if "://" in target or target.startswith("mailto:"):
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists():
            problems.append(f"{target}: no file {linked}")
            continue
        if anchor and linked.suffix == ".md":
            anchors = {_slug(h) for h in re.findall(r"^#+ (.+)$", FENCE.sub("", _text(linked)), re.M)}
            if anchor not in anchors:
                problems.append(f"{target}: no heading with that anchor")
    assert not problems, "\n".join(problems)
