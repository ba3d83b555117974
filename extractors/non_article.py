"""Tell a page that is not an article (an error page, a login wall, a bot check) from a short article.

Scrapers and browsers save what the server sent: a "404 Not Found" page or a "Sign in to continue
reading" wall under the article's name reads as a tiny article, and its one sentence ("The page you
requested could not be found") would be an event of the timeline. The patterns are data
(`resources/non_article_pages.yaml`); only short texts are judged, so an article that quotes such a
line is never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.resources import load_yaml


@dataclass(frozen=True)
class _PageKind:
    reason: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class _Rules:
    max_words: int
    max_line_chars: int
    kinds: tuple[_PageKind, ...]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_yaml("non_article_pages.yaml")
    if not isinstance(data, dict) or set(data) != {"max_words", "max_line_chars", "kinds", "not_pages"}:
        raise ValueError("non_article_pages.yaml must have exactly the keys max_words, max_line_chars, kinds, not_pages")
    kinds = []
    for kind in data["kinds"]:
        compiled = []
        for rule in kind["patterns"]:
            pattern = re.compile(rule["pattern"], re.IGNORECASE)
            if not rule.get("examples"):
                raise ValueError(f"non_article_pages.yaml pattern {rule['pattern']!r} has no examples")
            missed = [e for e in rule["examples"] if not pattern.fullmatch(e)]
            if missed:
                raise ValueError(f"non_article_pages.yaml pattern {rule['pattern']!r} does not match its examples {missed}")
            compiled.append(pattern)
        kinds.append(_PageKind(str(kind["reason"]), tuple(compiled)))
    rules = _Rules(int(data["max_words"]), int(data["max_line_chars"]), tuple(kinds))
    wrongly = [text for text in data["not_pages"] if _match(rules, None, text)]
    if wrongly:
        raise ValueError(f"non_article_pages.yaml patterns match the articles {wrongly}")
    return rules


def not_an_article(title: str | None, body: str) -> str | None:
    """Why the page titled `title` with text `body` is not an article ("error page: '404 Not
    Found'"), or None for an article (any text longer than the rules' word limit is one)."""
    return _match(_rules(), title, body)


def _match(rules: _Rules, title: str | None, body: str) -> str | None:
    if len(body.split(None, rules.max_words)) > rules.max_words:
        return None
    lines = [line.strip() for line in ((title or ""), *body.split("\n"))]
    for line in lines:
        if not line or len(line) > rules.max_line_chars:
            continue
        for kind in rules.kinds:
            if any(pattern.fullmatch(line) for pattern in kind.patterns):
                return f"{kind.reason}: {line!r}"
    return None
