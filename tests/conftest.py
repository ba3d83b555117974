"""Shared fixtures: an isolated Prefect home, one spaCy pipeline, the seed folder."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

# Before anything imports prefect: a throwaway home, offline settings, ephemeral API.
_PREFECT_HOME = tempfile.mkdtemp(prefix="timeline-prefect-home-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.pop("PREFECT_API_URL", None)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def nlp():
    from extractors.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return PROJECT_ROOT / "seeds"


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for every flow-level test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def seeds_run(prefect_harness, seeds_dir, tmp_path_factory):
    """The flow run over seeds/, shared by the tests that inspect its outputs."""
    from flows.build_timeline import build_timeline

    output = tmp_path_factory.mktemp("seeds-output")
    result = build_timeline(source_dir=str(seeds_dir), output_dir=str(output))
    return result, output


def shared_data(name: str) -> Path:
    """A dataset under ../shared/data, or skip the test with a clear message."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} is not available (shared development data lives beside the checkout)")
    return path


def load_benchmark(name: str) -> ModuleType:
    """The script `benchmarks/<name>.py` as a module (benchmarks are scripts, not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses in the script look their module up here
    spec.loader.exec_module(module)
    return module
