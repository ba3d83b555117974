"""`timeline tag`: the temporal expressions of one article file, or of every record of a feed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app

TALKS = ("Kim Jong Un will meet Vladimir Putin next week in Vladivostok, "
         "officials said on Thursday after a day of talks.")
SIGNING = ("Russia and North Korea signed a military cooperation deal on 13 September 2023 "
           "in a ceremony at the Vostochny cosmodrome that lasted several hours.")


def _write_feed(folder: Path, name: str, records: list[object]) -> Path:
    path = folder / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_cli_tag_prints_the_timexes_of_every_record(tmp_path):
    feed = _write_feed(tmp_path, "feed.jsonl", [
        {"id": "a", "published": "2023-09-07", "text": TALKS}, {"text": 5}, {"id": "b", "text": SIGNING}])
    result = CliRunner().invoke(app, ["tag", str(feed)])
    assert result.exit_code == 0, result.output
    printed = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {(t["doc_id"], t["text"], t["value"]) for t in printed} >= {
        ("feed:a", "next week", "2023-W37"), ("feed:a", "Thursday", "2023-09-07"),
        ("feed:b", "13 September 2023", "2023-09-13")}
    assert "skipped feed.jsonl:2: record text is not a string" in result.stderr


def test_cli_tag_fails_clearly_without_an_article(tmp_path):
    feed = _write_feed(tmp_path, "feed.jsonl", [{"title": "no text"}])
    result = CliRunner().invoke(app, ["tag", str(feed)])
    assert result.exit_code == 2
    assert "no article to tag" in result.stderr


def test_cli_tag_dates_an_undated_article_from_its_dateline(tmp_path):
    article = tmp_path / "story.txt"
    article.write_text("SEOUL, 7 September 2023 (AFP) - North Korea said on Thursday that talks had ended.\n"
                       "Officials met again last month.", encoding="utf-8")
    result = CliRunner().invoke(app, ["tag", str(article)])
    assert result.exit_code == 0, result.output
    printed = {t["text"]: t["value"] for t in map(json.loads, result.stdout.splitlines())}
    assert printed["Thursday"] == "2023-09-07"
    assert printed["last month"] == "2023-08"
    assert "story: publication date 2023-09-07 found in the text" in result.stderr


def test_cli_tag_says_when_an_article_is_only_bounded(tmp_path):
    article = tmp_path / "index.txt"
    article.write_text("Stocks fell in Tokyo.\n\nThe index, re-based on Sept. 6, 2004, fell 1.2 percent on Tuesday.\n",
                       encoding="utf-8")
    result = CliRunner().invoke(app, ["tag", str(article)])
    assert result.exit_code == 0, result.output
    assert "index: no publication date; on or after 2004-09-06" in result.stderr
    printed = {t["text"]: t["value"] for t in map(json.loads, result.stdout.splitlines())}
    assert printed == {"Sept. 6, 2004": "2004-09-06", "Tuesday": "XXXX-WXX-2"}  # no day invented from the bound
