"""Pages nested deeper than the HTML parser goes.

libxml2 (lxml, under trafilatura) stops descending at 255 levels without saying so, and a page
deeper than that reads as having no text. Real pages get there by accident: legacy HTML that
opens a `<font>` or `<div>` in every paragraph and never closes it. Such a page is read again
with its layout-only container tags removed (they carry no text of their own); what is still
too deep is reported as such, never as a page without text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# How deep libxml2 builds a tree without its "huge" option (XML_PARSE_HUGE).
PARSER_MAX_DEPTH = 255
# Elements that never hold children: they open no level.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
# Container and inline-style tags whose removal leaves the text and its paragraphs as they were.
_LAYOUT_TAGS = re.compile(r"</?(?:div|span|font|center|section|b|i|u|em|strong|small|big|blockquote)\b[^>]*>",
                          re.IGNORECASE)


class _DepthCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.deepest = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in _VOID:
            self.open.append(tag)
            self.deepest = max(self.deepest, len(self.open))

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open tag, as a browser does; a stray end tag closes nothing.
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index] == tag:
                del self.open[index:]
                return


def nesting_depth(html: str) -> int:
    """The deepest level of elements open at once in `html`, as a tolerant parser counts it."""
    counter = _DepthCounter()
    counter.feed(html)
    counter.close()
    return counter.deepest


def without_layout_tags(html: str) -> str:
    """`html` without its layout-only container tags (`div`, `span`, `font`, …); their text stays."""
    return _LAYOUT_TAGS.sub("", html)
