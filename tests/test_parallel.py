"""Extraction on several cores gives what one process gives; the flow picks sensible process counts."""

from __future__ import annotations

import json

import pytest

from flows import build_timeline as bt


@pytest.mark.parametrize(
    ("requested", "todo", "local", "expected"),
    [
        (1, 1000, True, 1),  # asked for one process
        (3, 5, True, 3),  # an explicit count is honoured even for little work
        (0, bt.AUTO_PROCESSES_MIN_ARTICLES - 1, True, 1),  # auto: too little work for worker start-up
        (0, bt.AUTO_PROCESSES_MIN_ARTICLES, True, "cpus"),  # auto: one per core
        (0, 1000, False, 1),  # a Dask cluster's workers are the parallelism
        (4, 1000, False, 1),
    ],
)
def test_parallel_extraction_processes(requested, todo, local, expected, monkeypatch):
    monkeypatch.setattr(bt.os, "cpu_count", lambda: 6)
    assert bt.extraction_processes(requested, todo, local) == (6 if expected == "cpus" else expected)


@pytest.mark.parametrize(
    ("keys_a", "keys_b", "same"),
    [
        (["k1", "k2"], ["k1", "k2"], True),
        (["k1", "k2"], ["k2", "k1"], False),  # merge input order matters
        (["k1", "k2"], ["k1", "k2", "k3"], False),  # a new article
        (["k1k2"], ["k1", "k2"], False),  # keys are delimited
    ],
)
def test_parallel_merge_key_changes_with_the_extractions(keys_a, keys_b, same):
    assert (bt.merge_key("v1", keys_a) == bt.merge_key("v1", keys_b)) is same
    assert bt.merge_key("v1", keys_a) != bt.merge_key("v2", keys_a)


@pytest.mark.slow
def test_parallel_worker_processes_give_the_in_process_results(seeds_dir):
    from extractors.inputs import discover_inputs, read_input
    from extractors.schema import Article
    from flows.parallel import extract_in_processes, shutdown_pool

    articles = [a for a in (read_input(i) for i in discover_inputs(seeds_dir)) if isinstance(a, Article)]
    try:
        in_workers = extract_in_processes(articles[:2], 2) + extract_in_processes(articles[2:], 2)
    finally:
        shutdown_pool()
    assert in_workers == bt.extract_batch_safely(articles)
    assert sum(len(p.events.mentions) for x in in_workers for p in x.pieces) > 0


@pytest.mark.slow
def test_parallel_flow_rerun_takes_the_merge_from_the_cache(prefect_harness, seeds_dir, seeds_run, tmp_path,
                                                            monkeypatch):
    _, default_output = seeds_run
    validated: list[int] = []
    validate = bt.export.validate_timeline
    monkeypatch.setattr(bt.export, "validate_timeline", lambda doc, **kw: validated.append(1) or validate(doc, **kw))

    def run() -> tuple[bt.RunResult, str]:
        result = bt.build_timeline(source_dir=str(seeds_dir), output_dir=str(tmp_path), n_process=2)
        return result, json.loads((tmp_path / "run_report.json").read_text())["cache"]["merge"]

    (first, first_merge), (second, second_merge) = run(), run()
    assert (first_merge, second_merge) == ("miss", "hit")
    assert len(validated) == 1  # the unchanged timeline is not checked against the schema again
    assert second.entries == first.entries
    # Two worker processes and the default run write the same timeline.
    assert (tmp_path / "timeline.csv").read_bytes() == (default_output / "timeline.csv").read_bytes()


def test_parallel_lane_map_returns_the_results_of_map_in_call_order():
    from flows.parallel import LaneMap

    lanes = LaneMap(1)
    try:
        # Calls of very different cost: whichever lane finishes first, the order is that of `map`.
        calls = ([10**6, 3, 10**5, 7, 2], [7, 2, 3, 5, 1])
        assert lanes(divmod, *calls) == list(map(divmod, *calls))
        assert lanes(divmod, [], []) == []
    finally:
        lanes.close()


def test_parallel_lane_map_raises_what_a_call_raises():
    from flows.parallel import LaneMap

    lanes = LaneMap(1)
    try:
        with pytest.raises(ZeroDivisionError):
            lanes(divmod, [1, 2, 3, 4], [1, 0, 1, 0])
    finally:
        lanes.close()


@pytest.fixture(scope="module")
def synthesized_mentions():
    from conftest import load_benchmark

    return [m for m, _ in load_benchmark("merge_scale").synthesize(3_000, 18)]


def test_parallel_merge_on_two_lanes_gives_the_serial_entries(synthesized_mentions):
    """The flow's default merge of a large collection (this process and a merge worker at once)
    gives exactly the entries, ids and order of merging the parts one after the other."""
    from extractors.merge import merge_mentions
    from extractors.merge.settings import load_settings
    from flows.parallel import lane_map

    assert len({(load_settings().families.get(m.type, m.type), m.modality) for m in synthesized_mentions}) > 2
    serial = merge_mentions(synthesized_mentions, map_parts=map)
    with lane_map(1) as lanes:
        parallel = merge_mentions(synthesized_mentions, map_parts=lanes)
    assert parallel == serial
    assert len(serial) < len(synthesized_mentions)  # mentions were merged, not only passed through
