"""The YAML front matter of a Markdown or text file (Jekyll, Hugo, Obsidian and most static-site
exports): a block between `---` lines at the top that holds the title and date.

Read as text, the block became the article's first sentences ("title: … date: …"); read as
metadata, it dates the article the way a sidecar does.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

# The block: `---` on the first line, YAML, then `---` or `...` on a line of its own.
_BLOCK = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# A front matter is a few lines; a longer "block" is a text that happens to start with a rule.
MAX_FRONT_MATTER_CHARS = 16_384


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str, tuple[str, ...]]:
    """(the front matter's scalar fields, the text without it, warnings) of `text`; (None, text,
    ()) when it has none. Dates are ISO strings; lists and mappings are left out (a hostile block
    of nested aliases must never be expanded). A block that is not a YAML mapping stays text."""
    match = _BLOCK.match(text)
    if match is None or len(match.group(1)) > MAX_FRONT_MATTER_CHARS:
        return None, text, ()
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or type(exc).__name__
        return None, text, (f"front matter is not valid YAML ({problem}); read as text",)
    if not isinstance(data, dict):
        return None, text, ()
    fields = {str(key): value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value
              for key, value in data.items() if isinstance(value, (str, int, float, dt.date, dt.datetime))
              and not isinstance(value, bool)}
    return fields, text[match.end():], ()
