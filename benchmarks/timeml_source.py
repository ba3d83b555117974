"""What every benchmark reads of a TimeML gold file: its creation time, its <TEXT>, and the plain text of
a fragment with the spans of one kind of element (TIMEX3, EVENT)."""

from __future__ import annotations

import datetime as dt
import html
import re

_DCT = re.compile(r"<DCT>\s*<TIMEX3[^>]*value=\"(\d{4})-?(\d{2})-?(\d{2})")
_TEXT = re.compile(r"<TEXT>(.*)</TEXT>", re.S)
_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def dct_and_text(raw: str) -> tuple[dt.date | None, str] | None:
    """(document creation time or None, the <TEXT> section with its tags), or None without a <TEXT>."""
    text = _TEXT.search(raw)
    if text is None:
        return None
    dct = _DCT.search(raw)
    return (dt.date(*map(int, dct.groups())) if dct else None), text.group(1)


def element_spans(fragment: str, element: str) -> tuple[str, list[tuple[int, int, dict[str, str]]]]:
    """Plain text of a TimeML fragment (tags removed, entities unescaped) and the (start, end,
    attributes) of its `element` elements, in the order they close, offsets into that text."""
    out: list[str] = []
    length = 0
    spans: list[tuple[int, int, dict[str, str]]] = []
    opened: list[tuple[int, dict[str, str]]] = []
    pos = 0
    for m in _TAG.finditer(fragment):
        chunk = html.unescape(fragment[pos:m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name, attrs, selfclosing = m.groups()
        if name != element or selfclosing:
            continue
        if closing:
            if opened:
                start, attributes = opened.pop()
                spans.append((start, length, attributes))
        else:
            opened.append((length, dict(ATTRIBUTE.findall(attrs))))
    out.append(html.unescape(fragment[pos:]))
    return "".join(out), spans


def tag_attributes(raw: str, element: str) -> list[dict[str, str]]:
    """The attributes of every `element` tag of a whole TimeML file (its <DCT>, <TEXT> and the
    links after it: TIMEX3, MAKEINSTANCE, TLINK), in file order."""
    return [dict(ATTRIBUTE.findall(m.group(3))) for m in _TAG.finditer(raw) if m.group(2) == element and not m.group(1)]
