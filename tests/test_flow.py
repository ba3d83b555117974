"""The build_timeline flow: incremental runs through the per-article cache, failure isolation,
retries, artifacts, deployment configuration and the `serve` command.

Flow runs share the session's Prefect harness and the `seeds_run` fixture; the rest call plain
functions.
"""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import flows.build_timeline as bt
from extractors import pipeline
from extractors.date_binding import DateFreeExtraction
from extractors.schema import Article, DocumentRecord
from flows.artifacts import LINK_KEY, SUMMARY_KEY, TABLE_KEY, artifact_key
from flows.cache import ResultCache, cache_key

PROJECT_ROOT = Path(__file__).resolve().parents[1]
OUTPUT_FILES = {"timeline.json", "timeline.csv", "run_report.json", "articles.jsonl", "timeline.html"}

NEW_ARTICLE = """ date 2023-11-21 Japan's coast guard said on Tuesday that North Korea had notified it of a plan
to launch a satellite between November 22 and December 1.

Tokyo protested the notice and said it would consult Washington and Seoul. South Korea's military
warned last week that the launch could come within days.
"""


def _article(doc_id: str, body: str = "Officials met on Monday.") -> Article:
    return Article(doc_id=doc_id, path=f"{doc_id}.txt", body=body)


def _events(output: Path) -> list[dict]:
    return json.loads((output / "timeline.json").read_text())["events"]


def _processed(result: bt.RunResult) -> set[str]:
    return {d.doc_id for d in result.documents if d.status == "processed"}


def _estimated(result: bt.RunResult) -> set[str]:
    return {d.doc_id for d in result.documents if d.publication_date_source == "estimated"}


def _task_run_names(flow_run_id) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return [r.name for r in runs]


def _artifacts(flow_run_id) -> dict:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return {a.key: a for a in found}


# -- plain functions -------------------------------------------------------------------------

def test_flow_extract_batch_isolates_the_failing_article(monkeypatch):
    def fake_extract(articles, nlp, n_process=1):
        if any(a.doc_id == "bad" for a in articles):
            raise ValueError("cannot parse")
        return [DateFreeExtraction(doc_id=a.doc_id, pieces=()) for a in articles]

    monkeypatch.setattr(pipeline, "load_nlp", lambda: None)
    monkeypatch.setattr(pipeline, "extract_date_free", fake_extract)
    results = pipeline.extract_batch_safely([_article("a"), _article("bad"), _article("c")])
    assert [type(r).__name__ for r in results] == ["DateFreeExtraction", "DocumentRecord", "DateFreeExtraction"]
    assert results[1].status == "failed"
    assert results[1].reason == "extraction failed: ValueError: cannot parse"


def test_flow_store_extractions_caches_successes_only(tmp_path):
    good, bad = _article("good"), _article("bad", "Another body.")
    results = [DateFreeExtraction(doc_id=good.doc_id, pieces=()),
               DocumentRecord(doc_id="bad", path="bad.txt", status="failed", reason="extraction failed: X")]
    bt.store_extractions(str(tmp_path), "v1", [good, bad], results)
    cache = ResultCache(tmp_path)
    assert cache.get(cache_key(bt.EXTRACT_TASK, "v1", good)) == results[0]
    # A failed article is tried again by the next run, never within one.
    assert cache.get(cache_key(bt.EXTRACT_TASK, "v1", bad)) is None
    assert len(cache) == 1


@pytest.mark.parametrize("task, retries", [
    (bt.discover_task, 2), (bt.load_task, 2), (bt.write_task, 2), (bt.publish_task, 2),
    (bt.extract_task, 0), (bt.read_cache_task, 0), (bt.merge_task, 0),
])
def test_flow_retries_only_on_io_tasks(task, retries):
    assert task.retries == retries


@pytest.mark.parametrize("cache_dir, expected", [(None, Path("out/.cache")), (Path("elsewhere"), Path("elsewhere"))])
def test_flow_cache_root(cache_dir, expected, seeds_dir):
    params = bt.RunParameters(source_dir=seeds_dir, output_dir=Path("out"), cache_dir=cache_dir)
    assert params.cache_root == expected


def test_flow_parameters_reject_a_cache_dir_that_is_a_file(tmp_path, seeds_dir):
    from pydantic import ValidationError

    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationError, match="is not a folder"):
        bt.RunParameters(source_dir=seeds_dir, output_dir=tmp_path, cache_dir=tmp_path / "file")


def test_flow_prefect_yaml_deploys_build_timeline_daily_with_valid_parameters():
    config = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())
    deployment = next(d for d in config["deployments"] if d["name"] == "daily")
    path, name = deployment["entrypoint"].split(":")
    assert (PROJECT_ROOT / path).resolve() == Path(bt.__file__).resolve() and name == "build_timeline"
    assert set(deployment["parameters"]) <= set(inspect.signature(bt.build_timeline.fn).parameters)
    bt.RunParameters(**{k: (PROJECT_ROOT / v if k.endswith("_dir") else v)
                        for k, v in deployment["parameters"].items()})
    assert [s["cron"] for s in deployment["schedules"]] == ["0 6 * * *"]
    assert deployment["work_pool"]["name"] == "timeline-process"


def test_flow_serve_parameters_are_absolute(tmp_path, seeds_dir, monkeypatch):
    from flows.deploy import serve_parameters

    monkeypatch.chdir(seeds_dir.parent)
    params = serve_parameters(Path("seeds"), Path("out"), Path("cache"))
    assert params["source_dir"] == str(seeds_dir.resolve())
    assert params["output_dir"] == str((seeds_dir.parent / "out").resolve())
    assert params["cache_dir"] == str((seeds_dir.parent / "cache").resolve())


@pytest.mark.parametrize("args, message", [
    (["seeds", "--cron", "every morning"], "invalid schedule 'every morning'"),
    (["seeds", "--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (["no-such-folder"], "does not exist"),
])
def test_flow_serve_command_rejects_bad_arguments(args, message, monkeypatch):
    from flows.cli import app

    monkeypatch.chdir(PROJECT_ROOT)
    result = CliRunner().invoke(app, ["serve", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


# -- flow runs under the session harness -----------------------------------------------------

@pytest.mark.slow
def test_flow_first_run_extracts_every_article_and_publishes_outputs(seeds_run):
    result, output = seeds_run
    processed = _processed(result)
    assert processed and result.cached == ()
    assert processed <= set(result.extracted)
    assert OUTPUT_FILES <= set(result.outputs)
    assert all(Path(result.outputs[name]).is_file() for name in OUTPUT_FILES)
    assert len(ResultCache(output / bt.CACHE_SUBDIR)) >= len(processed)
    report = json.loads((output / "run_report.json").read_text())
    assert report["cache"]["hits"] == 0 and report["cache"]["misses"] == len(result.extracted)
    assert set(result.artifacts) == {"table", "summary", "link"}


@pytest.mark.slow
def test_flow_rerun_over_unchanged_inputs_extracts_nothing(seeds_run, seeds_dir, tmp_path, monkeypatch):
    first, first_output = seeds_run

    def must_not_run(*args, **kwargs):
        raise AssertionError("a re-run over unchanged inputs must not parse or extract")

    monkeypatch.setattr(bt, "extract_batch_safely", must_not_run)
    monkeypatch.setattr(pipeline, "load_nlp", must_not_run)
    state = bt.build_timeline(source_dir=str(seeds_dir), output_dir=str(tmp_path),
                              cache_dir=str(first_output / bt.CACHE_SUBDIR), return_state=True)
    rerun = state.result()
    assert rerun.extracted == ()
    assert set(rerun.cached) == _processed(first)
    assert _events(tmp_path) == _events(first_output)
    names = _task_run_names(state.state_details.flow_run_id)
    assert not [n for n in names if n.startswith(bt.EXTRACT_TASK)], names
    assert any(n.startswith("read-extraction-cache") for n in names)
    artifacts = _artifacts(state.state_details.flow_run_id)
    # Outside a deployment the keys name the source folder: one history per timeline.
    table, summary, page = (artifact_key(base, None, str(seeds_dir)) for base in (TABLE_KEY, SUMMARY_KEY, LINK_KEY))
    assert {table, summary, page} <= set(artifacts)
    assert f"{len(rerun.cached)} articles from the cache, 0 extracted" in artifacts[summary].data
    # The stable link, not the generation folder behind it (which later runs remove).
    assert (tmp_path / "timeline.html").absolute().as_uri() in artifacts[page].data


@pytest.mark.slow
def test_flow_incremental_run_extracts_only_new_and_edited_articles(seeds_run, seeds_dir, tmp_path):
    first, first_output = seeds_run
    source = tmp_path / "source"
    shutil.copytree(seeds_dir, source)
    dated = sorted(d.doc_id for d in first.documents
                   if d.status == "processed" and d.publication_date_source in ("header", "metadata"))
    edited = dated[0]
    edited_path = next(source.glob(f"{edited}.*"))
    edited_path.write_text(edited_path.read_text() + "\nThe talks are expected to resume next month.\n")
    (source / "zz_new_article.txt").write_text(NEW_ARTICLE)

    result = bt.build_timeline(source_dir=str(source), output_dir=str(tmp_path / "out"),
                               cache_dir=str(first_output / bt.CACHE_SUBDIR))
    assert "zz_new_article" in _processed(result)
    assert set(result.cached) == _processed(first) - {edited}
    assert {edited, "zz_new_article"} <= set(result.extracted)
    # Besides those two, only articles whose estimated publication date moved are re-extracted.
    assert set(result.extracted) <= {edited, "zz_new_article"} | _estimated(result)


@pytest.mark.slow
def test_flow_bumping_the_extractor_version_recomputes(seeds_run, seeds_dir, tmp_path, monkeypatch):
    first, first_output = seeds_run
    monkeypatch.setattr(bt, "EXTRACTOR_VERSION", bt.EXTRACTOR_VERSION + "-bumped")
    result = bt.build_timeline(source_dir=str(seeds_dir), output_dir=str(tmp_path),
                               cache_dir=str(first_output / bt.CACHE_SUBDIR))
    assert result.cached == ()
    assert set(result.extracted) >= _processed(first)
    assert _events(tmp_path) == _events(first_output)


@pytest.mark.slow
def test_flow_cli_run_reuses_the_given_cache_dir(seeds_run, seeds_dir, tmp_path):
    from flows.cli import app

    first, first_output = seeds_run
    result = CliRunner().invoke(app, ["run", str(seeds_dir), "--output", str(tmp_path),
                                      "--cache-dir", str(first_output / bt.CACHE_SUBDIR)])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "run_report.json").read_text())
    assert report["cache"]["hits"] == len(_processed(first))
    assert report["cache"]["misses"] == 0
    assert not (tmp_path / bt.CACHE_SUBDIR).exists()


@pytest.mark.slow
def test_flow_cli_run_no_cache_extracts_and_writes_no_cache(prefect_harness, tmp_path):
    from flows.cli import app

    source = tmp_path / "source"
    source.mkdir()
    (source / "new.txt").write_text(NEW_ARTICLE)
    result = CliRunner().invoke(app, ["run", str(source), "--output", str(tmp_path / "out"), "--no-cache"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "run_report.json").read_text())
    assert report["cache"] == {"enabled": False, "dir": None, "version": report["cache"]["version"],
                               "hits": 0, "misses": 1}
    assert report["counts"]["processed"] == 1
    assert not (tmp_path / "out" / bt.CACHE_SUBDIR).exists()


@pytest.mark.slow
def test_flow_run_completes_with_its_files_when_artifacts_cannot_be_published(seeds_run, seeds_dir, tmp_path,
                                                                              monkeypatch):
    first, first_output = seeds_run
    calls = []

    def unavailable(*args, **kwargs):
        calls.append(1)
        raise ConnectionError("artifact API unavailable")

    monkeypatch.setattr(bt, "publish_run_artifacts", unavailable)
    monkeypatch.setattr(bt.publish_task, "retry_delay_seconds", [0, 0])
    state = bt.build_timeline(source_dir=str(seeds_dir), output_dir=str(tmp_path),
                              cache_dir=str(first_output / bt.CACHE_SUBDIR), return_state=True)
    assert state.is_completed()
    result = state.result()
    assert result.artifacts == {}
    assert len(calls) == 1 + bt.publish_task.retries
    assert OUTPUT_FILES <= {p.name for p in tmp_path.iterdir()}


@pytest.mark.slow
def test_flow_failed_and_dropped_articles_are_reported_not_retried(prefect_harness, seeds_dir, tmp_path, monkeypatch):
    ids = sorted(p.stem for p in seeds_dir.glob("*.txt"))
    bad, dropped = ids[0], ids[1]
    calls: list[list[str]] = []

    def fake_batch(articles, n_process=1):
        calls.append([a.doc_id for a in articles])
        results = []
        for a in articles:
            if a.doc_id == bad:
                results.append(bt.failed_record(a, "extraction failed: ValueError: broken"))
            elif a.doc_id != dropped:
                results.append(DateFreeExtraction(doc_id=a.doc_id, pieces=()))
        return results

    monkeypatch.setattr(bt, "extract_batch_safely", fake_batch)
    result = bt.build_timeline(source_dir=str(seeds_dir), output_dir=str(tmp_path), use_cache=False)
    reasons = {d.doc_id: d.reason for d in result.failed}
    assert reasons == {bad: "extraction failed: ValueError: broken", dropped: "extraction returned no result"}
    assert sorted(i for batch in calls for i in batch).count(bad) == 1  # tried once, not retried
    report = json.loads((tmp_path / "run_report.json").read_text())
    assert report["counts"]["failed"] == 2


class _RecordingLogger:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []

    def info(self, message: str, *args: object) -> None:
        self.lines.append(("info", message % args))

    def warning(self, message: str, *args: object) -> None:
        self.lines.append(("warning", message % args))


@pytest.mark.parametrize("processed, expected_info", [(3, 3), (bt.MAX_LOGGED_DOCUMENTS, bt.MAX_LOGGED_DOCUMENTS), (200, 1)])
def test_flow_log_documents_summarizes_large_runs_but_never_hides_a_failure(processed, expected_info):
    documents = [DocumentRecord(doc_id=f"d{i}", path=f"d{i}.txt", status="processed", event_count=2,
                                publication_date_source="header" if i % 4 else "estimated") for i in range(processed)]
    documents.append(DocumentRecord(doc_id="bad", path="bad.bin", status="failed", reason="not text"))
    logger = _RecordingLogger()
    bt.log_documents(logger, documents)
    infos = [line for level, line in logger.lines if level == "info"]
    assert ("warning", "bad.bin: failed (not text)") in logger.lines
    assert len(infos) == expected_info
    if expected_info == 1:
        assert infos[0] == "200 articles processed, 400 event mentions; publication dates: 50 estimated, 150 header " \
                           "(per article: run_report.json)"


@pytest.mark.parametrize("warned, logged", [(3, 3), (bt.MAX_LOGGED_WARNINGS + 20, bt.MAX_LOGGED_WARNINGS + 1)])
def test_flow_log_documents_logs_the_warnings_of_processed_articles(warned, logged):
    documents = [DocumentRecord(doc_id=f"d{i}", path=f"d{i}.txt", status="processed", event_count=1,
                                warnings=("invalid header date '2023-13-45' ignored",)) for i in range(warned)]
    logger = _RecordingLogger()
    bt.log_documents(logger, documents)
    warnings = [line for level, line in logger.lines if level == "warning"]
    assert warnings[0] == "d0.txt: invalid header date '2023-13-45' ignored"
    assert len(warnings) == logged
    if warned > bt.MAX_LOGGED_WARNINGS:
        assert warnings[-1] == "… and 20 more warnings on 20 articles (all in run_report.json)"


@pytest.mark.parametrize("requested, mentions, local, expected", [
    (0, 100, True, 1),
    # By default a large merge runs on two cores (the flow's process and a merge worker) ...
    (0, bt.PARALLEL_MERGE_MIN_MENTIONS, True, 2),
    (0, bt.PARALLEL_MERGE_MAX_MENTIONS, True, 2),
    # ... but one above the mentions whose two parts at once were measured within memory.
    (0, bt.PARALLEL_MERGE_MAX_MENTIONS + 1, True, 1),
    (2, bt.PARALLEL_MERGE_MIN_MENTIONS, True, 2),
    (3, 50_000, True, 3),
    (3, 500_000, True, 3),  # an explicit count is honoured
    (1, 50_000, True, 1),
    (0, 50_000, False, 1),  # under Dask the cluster's workers, not local processes, do the parallel work
])
def test_flow_merge_processes_only_for_large_local_merges(requested, mentions, local, expected, monkeypatch):
    monkeypatch.setattr(bt.os, "cpu_count", lambda: 4)
    assert bt.merge_processes(requested, mentions, local) == expected


def test_flow_merge_processes_default_is_one_on_one_core(monkeypatch):
    monkeypatch.setattr(bt.os, "cpu_count", lambda: 1)
    assert bt.merge_processes(0, 50_000, True) == 1


def test_flow_merge_in_the_flow_process_stops_the_workers_and_merges_part_by_part(monkeypatch):
    # Two idle workers keep a spaCy model each while the merge of a large feed needs the memory;
    # the merge's independent parts go one after the other, so only one part's pairs are held.
    calls = []
    monkeypatch.setattr(bt, "shutdown_pool", lambda: calls.append("workers stopped"))
    monkeypatch.setattr(bt, "merge_mentions", lambda mentions, map_parts=None: calls.append(map_parts) or [])
    assert bt.merge_task.fn([], 1).unquote() == []
    assert calls == ["workers stopped", map]


def test_flow_extract_cached_extracts_new_articles_before_decoding_the_cached_ones(tmp_path, monkeypatch):
    # The incremental run's peak was the extraction workers (a model each) beside every decoded
    # cached extraction: the new articles are extracted and the workers stopped first. An entry
    # present but unreadable is extracted after decoding, like any other miss.
    articles = [Article(doc_id=name, path=f"{name}.txt", body=f"Body of {name}.") for name in ("cached", "damaged", "new")]
    params = bt.RunParameters(source_dir=tmp_path, output_dir=tmp_path / "out")
    cache = ResultCache(params.cache_root)
    stored = DocumentRecord(doc_id="cached", path="cached.txt", status="processed")
    cache.put(cache_key(bt.EXTRACT_TASK, "v", articles[0]), stored)
    cache.put(cache_key(bt.EXTRACT_TASK, "v", articles[1]), stored)
    damaged = cache._path(cache_key(bt.EXTRACT_TASK, "v", articles[1]))
    damaged.write_bytes(b"{not json")
    events: list[object] = []

    def extract(todo, params, cache_dir, version):
        events.append(("extract", [a.doc_id for a in todo]))
        return {a.doc_id: bt.failed_record(a, "extracted here") for a in todo}

    def decode(cache_dir, keys):
        events.append(("decode", len(keys)))
        return ResultCache(cache_dir).get_many(keys)

    monkeypatch.setattr(bt, "_extract_batches", extract)
    monkeypatch.setattr(bt, "read_cache_task", decode)
    monkeypatch.setattr(bt, "shutdown_pool", lambda: events.append("workers stopped"))
    results, cached = bt.extract_cached(articles, params, "v")
    assert events == [("extract", ["new"]), "workers stopped", ("decode", 2),
                      ("extract", ["damaged"]), "workers stopped"]
    assert cached == {"cached"}
    assert [r.reason for r in results] == [None, "extracted here", "extracted here"]


def test_flow_merge_on_two_lanes_stops_the_extraction_workers_first(monkeypatch):
    # The merge's own workers import no model: the extraction workers are stopped before they start.
    calls = []
    monkeypatch.setattr(bt, "shutdown_pool", lambda: calls.append("workers stopped"))
    monkeypatch.setattr(bt, "merge_mentions",
                        lambda mentions, map_parts=None: calls.append(type(map_parts).__name__) or [])
    assert bt.merge_task.fn([], 2).unquote() == []
    assert calls == ["workers stopped", "LaneMap"]
