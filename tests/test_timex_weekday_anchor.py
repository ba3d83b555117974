"""A weekday followed by the date it names: the explicit part wins ("on Tuesday (6 January)")."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("spacy")
from extractors.timex import tag_timexes  # noqa: E402

D = dt.date


@pytest.mark.parametrize(("text", "dct", "expected"), [
    # Read against a DCT two months later, a bare "Tuesday" would be the Tuesday before it (2009-02-24).
    ("Israel struck the school on Tuesday (6 January), killing 40.", D(2009, 3, 1),
     [("Tuesday", "2009-01-06"), ("6 January", "2009-01-06")]),
    ("The strike on Tuesday, 6 January 2009, killed 40.", D(2009, 3, 1),
     [("Tuesday", "2009-01-06"), ("6 January 2009", "2009-01-06")]),
    # Without a publication date the weekday keeps the explicit month and day, not an invented year.
    ("Israel struck the school on Tuesday (6 January), killing 40.", None,
     [("Tuesday", "XXXX-01-06"), ("6 January", "XXXX-01-06")]),
    # Not the date the weekday names: two separate statements.
    ("He left on Tuesday, and on 6 January he returned.", D(2009, 3, 1),
     [("Tuesday", "2009-02-24"), ("6 January", "2009-01-06")]),
])
def test_timex_weekday_named_by_its_date(text: str, dct: D | None, expected: list[tuple[str, str]]) -> None:
    assert [(t.text, t.value) for t in tag_timexes(text, dct)] == expected
