"""A shared check for the data-file loaders: a malformed file is refused with a clear message."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest


def assert_refused(monkeypatch: pytest.MonkeyPatch, module: ModuleType, reader: str, content: Any,
                   loader: Callable[[], Any], error: type[Exception], message: str) -> None:
    """`loader` (a cached function of `module`) refuses `content` served by `module.reader` instead of
    the packaged file, raising `error` matching `message`; its cache is cleared before and after."""
    monkeypatch.setattr(module, reader, lambda *_: content)
    loader.cache_clear()  # type: ignore[attr-defined]
    try:
        with pytest.raises(error, match=message):
            loader()
    finally:
        loader.cache_clear()  # type: ignore[attr-defined]
