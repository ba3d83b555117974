"""dateparser behind one configured parser per process.

dateparser is good at absolute date strings in many formats and slow to set up: building its
parser costs far more than a parse, so it is built once.
"""

from __future__ import annotations

import datetime as dt
import functools

from dateparser.date import DateDataParser

_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": False,
    # Relative phrases ("yesterday") need a reference date this function does not have.
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
}


@functools.lru_cache(maxsize=1)
def _parser() -> DateDataParser:
    return DateDataParser(languages=["en"], settings=_SETTINGS)


def parse_absolute_date(text: str, day_only: bool = False) -> dt.date | None:
    """The calendar date of a string that names one with its year ("7 Sept. 2023", "2023/09/07").

    dateparser fills what the string leaves out ("October 2023" → 1 October, "2023" → 1 December);
    `day_only` refuses those, for a caller that must not assert a day the text does not name.
    """
    if not text or len(text) > 100:
        return None
    try:
        data = _parser().get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None
    if data is None or data.date_obj is None or (day_only and data.period != "day"):
        return None
    return data.date_obj.date()
