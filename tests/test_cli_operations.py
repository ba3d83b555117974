"""What an operator reads before anything runs: help texts, exit codes, refusals."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from flows import cli
from flows.cli import app

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", ["run", "serve", "tag"])
def test_cli_operations_help_shows_no_type_after_plain_flags(command):
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert "--debug" in result.output


def test_cli_operations_run_help_documents_every_exit_code_and_output_file():
    text = " ".join(CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "200"}).output.split())
    for code in ("0 every input", "1 some inputs failed", "2 a usage", "3 the outputs were written", "130", "143"):
        assert code in text
    for name in ("timeline.json", "timeline.csv", "timeline.html", "run_report.json", "articles.jsonl"):
        assert name in text.split("--output")[1].split("--batch-size")[0], name


def test_cli_operations_validation_errors_do_not_show_the_library_prefix(tmp_path):
    result = CliRunner().invoke(app, ["run", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: source_dir: source '{tmp_path / 'missing'}' does not exist"


def test_cli_operations_serve_refuses_without_a_server(seeds_dir, monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    # Also when a test harness of the session has set the setting (not the variable).
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        result = CliRunner().invoke(app, ["serve", str(seeds_dir)])
    assert result.exit_code == 2
    assert "timeline serve needs a running Prefect server" in result.output
    assert "ephemeral" not in result.output


def test_cli_operations_serve_refuses_when_no_server_answers(seeds_dir, monkeypatch):
    from process_helpers import free_port

    url = f"http://127.0.0.1:{free_port()}/api"
    monkeypatch.setenv("PREFECT_API_URL", url)
    result = CliRunner().invoke(app, ["serve", str(seeds_dir)])
    assert result.exit_code == 2
    assert f"no Prefect server answers at PREFECT_API_URL={url}" in result.output


def test_cli_operations_serve_and_the_daily_deployment_run_alike():
    deployments = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())["deployments"]
    (daily,) = [d for d in deployments if d["name"] == "daily"]
    defaults = inspect.signature(cli.serve).parameters
    for name in ("batch_size", "n_process"):
        assert daily["parameters"][name] == defaults[name].default, name


def test_cli_operations_prefect_yaml_refers_to_files_that_exist():
    text = (PROJECT_ROOT / "prefect.yaml").read_text()
    for name in re.findall(r"[\w./-]+\.md\b", text):
        assert (PROJECT_ROOT / name).is_file(), name
