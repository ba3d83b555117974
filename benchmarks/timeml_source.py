"""The two parts of a TimeML gold file every benchmark reads: its creation time and its <TEXT>."""

from __future__ import annotations

import datetime as dt
import re

_DCT = re.compile(r"<DCT>\s*<TIMEX3[^>]*value=\"(\d{4})-?(\d{2})-?(\d{2})")
_TEXT = re.compile(r"<TEXT>(.*)</TEXT>", re.S)


def dct_and_text(raw: str) -> tuple[dt.date | None, str] | None:
    """(document creation time or None, the <TEXT> section with its tags), or None without a <TEXT>."""
    text = _TEXT.search(raw)
    if text is None:
        return None
    dct = _DCT.search(raw)
    return (dt.date(*map(int, dct.groups())) if dct else None), text.group(1)
