"""The publication date a page's address carries: `/2011/08/09/`, `/2010-12-01-`, `/2011/0809/`.

News sites file articles under the day they were published, so a full date in the URL path is
publication evidence (unlike a date in the text, which may be background). htmldate, which
trafilatura installs, reads the separated forms (`YYYY/MM/DD`, `YYYY-MM-DD`, `YYYY_MM_DD`); the
other conventions (a compact month and day, a month name, a `ymd=` query) are patterns in
`resources/url_dates.yaml`, each with examples that the tests run. A URL with only a year and a
month gives nothing: a month is no publication day.

Pure: no I/O except reading the packaged pattern file.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from htmldate.extractors import extract_url_date
from htmldate.utils import Extractor

from extractors.resources import load_yaml

# htmldate's plausibility window: no news URL predates the web.
EARLIEST_URL_DATE = dt.datetime(1993, 1, 1)
_MONTHS = {name: k for k, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}


class UrlDateConfigError(ValueError):
    """resources/url_dates.yaml is malformed."""


@dataclass(frozen=True)
class UrlDatePattern:
    name: str
    regex: re.Pattern[str]
    examples: tuple[tuple[str, str | None], ...]  # (url, "YYYY-MM-DD" or None when it must give nothing)


@dataclass(frozen=True)
class UrlDateSettings:
    not_a_day: re.Pattern[str]
    not_a_day_examples: tuple[str, ...]
    patterns: tuple[UrlDatePattern, ...]


def _regex(pattern: Any, where: str) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern), re.IGNORECASE)
    except re.error as exc:
        raise UrlDateConfigError(f"url_dates.yaml: {where}: bad regex: {exc}") from exc


def _parse(raw: Any) -> UrlDateSettings:
    if not isinstance(raw, dict) or not isinstance(raw.get("patterns"), list):
        raise UrlDateConfigError("url_dates.yaml: needs a list of patterns")
    not_a_day = raw.get("not_a_day")
    if not isinstance(not_a_day, dict) or not not_a_day.get("examples"):
        raise UrlDateConfigError("url_dates.yaml: not_a_day needs a pattern and examples")
    out = []
    for entry in raw["patterns"]:
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("examples"):
            raise UrlDateConfigError(f"url_dates.yaml: bad pattern {entry!r}")
        regex = _regex(entry.get("pattern"), str(entry["name"]))
        if not {"year", "month", "day"} <= set(regex.groupindex):
            raise UrlDateConfigError(f"url_dates.yaml: {entry['name']}: needs year, month and day groups")
        examples = tuple((str(e["url"]), None if e.get("date") is None else str(e["date"])) for e in entry["examples"])
        out.append(UrlDatePattern(str(entry["name"]), regex, examples))
    return UrlDateSettings(_regex(not_a_day.get("pattern"), "not_a_day"),
                           tuple(str(e) for e in not_a_day["examples"]), tuple(out))


@functools.lru_cache(maxsize=1)
def load_settings() -> UrlDateSettings:
    return _parse(load_yaml("url_dates.yaml"))


def _pattern_date(url: str, patterns: tuple[UrlDatePattern, ...], latest: dt.date) -> dt.date | None:
    for pattern in patterns:
        for m in pattern.regex.finditer(url):
            month = m.group("month")
            try:
                found = dt.date(int(m.group("year")), int(month) if month.isdigit() else _MONTHS[month.lower()],
                                int(m.group("day")))
            except (ValueError, KeyError):
                continue
            if EARLIEST_URL_DATE.date() <= found <= latest:
                return found
    return None


def date_from_url(url: str | None, today: dt.date | None = None,
                  settings: UrlDateSettings | None = None) -> dt.date | None:
    """The publication day a URL carries, or None. Dates after `today` (default: today) are not read."""
    s = settings or load_settings()
    if not url or s.not_a_day.search(url):
        return None
    latest = today or dt.date.today()
    options = Extractor(False, dt.datetime.combine(latest, dt.time.max), EARLIEST_URL_DATE, False, "%Y-%m-%d")
    found = extract_url_date(url, options)
    if found:
        return dt.date.fromisoformat(found)
    return _pattern_date(url, s.patterns, latest)
