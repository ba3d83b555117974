"""Packaged data files: patterns, lexicons, taxonomies, the output JSON Schema."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import yaml


def read_text(name: str) -> str:
    """Text of a packaged resource, e.g. `read_text("boilerplate.yaml")` or `"timex/months.tsv"`."""
    node = resources.files(__package__)
    for part in name.split("/"):
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


@functools.cache
def load_yaml(name: str) -> Any:
    return yaml.safe_load(read_text(name))


@functools.cache
def load_json(name: str) -> Any:
    return json.loads(read_text(name))
