"""HTML pages -> lines of text that keep the URLs of their links (stdlib html.parser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bot.models import ParseError
from jobs.sources.talklabels import Line

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
})
_CELLS = frozenset({"td", "th"})
_DROPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object"})
_SPACES = re.compile(r"[^\S\t]+")
# Elements that never hold others, or that close themselves when a sibling starts: they do
# not deepen the page. Everything else does, closed or not; no page a person wrote nests
# MAX_DEPTH deep, so a deeper one is refused before it costs more.
_FLAT = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th",
                   "option"})
MAX_DEPTH = 5000
MAX_TAGS = 100_000  # a long seminar archive has a few thousand; parsing costs ~10 us a tag


def html_lines(text: str) -> tuple[list[Line], str | None]:
    """The visible lines of an HTML document and its <title>, if it has one."""
    tags = text.count("<")
    if tags > MAX_TAGS:
        raise ParseError(f"the page has {tags} tags, more than the {MAX_TAGS} a seminar page "
                         "could need; it was not read")
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.lines, collector.title


class _Collector(HTMLParser):
    """Block elements end paragraphs, <br> ends a line, table cells are split by tabs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.title: str | None = None
        self._parts: list[str] = []
        self._links: list[str] = []
        self._hrefs: list[str | None] = []
        self._para = True
        self._dropped = 0
        self._pre = 0
        self._in_title = False
        self._title: list[str] = []
        self._number = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _FLAT:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise ParseError(f"the page nests its elements more than {MAX_DEPTH} deep "
                                 f"(at <{tag}>, line {self.getpos()[0]}): no seminar page does; "
                                 "it was not read")
        if tag in _DROPPED:
            self._dropped += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "br":
            self._flush(paragraph=False)
        elif tag in _BLOCKS:
            self._flush(paragraph=True)
            self._pre += tag == "pre"
        elif tag in _CELLS:
            self._parts.append("\t")
        elif tag == "a":
            self._hrefs.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _FLAT:
            self._depth = max(0, self._depth - 1)
        if tag in _DROPPED:
            self._dropped = max(0, self._dropped - 1)
        elif tag == "title":
            self._in_title = False
            self.title = " ".join("".join(self._title).split()) or None
        elif tag in _BLOCKS:
            self._flush(paragraph=True)
            self._pre = max(0, self._pre - (tag == "pre"))
        elif tag == "a" and self._hrefs:
            href = (self._hrefs.pop() or "").strip()
            # Relative links cannot be resolved without the page's URL; absolute ones can.
            if href.lower().startswith(("http://", "https://")) and href not in self._links:
                self._links.append(href)

    def handle_data(self, data: str) -> None:
        if self._dropped:
            return
        if self._in_title:
            self._title.append(data)
            return
        if not self._parts or not "".join(self._parts).strip():
            self._number = self.getpos()[0]
        if not self._pre:
            self._parts.append(data)
            return
        pieces = data.split("\n")
        for piece in pieces[:-1]:
            self._parts.append(piece)
            self._flush(paragraph=False)
        self._parts.append(pieces[-1])

    def close(self) -> None:
        super().close()
        self._flush(paragraph=True)

    def _flush(self, *, paragraph: bool) -> None:
        text = _SPACES.sub(" ", "".join(self._parts))
        text = re.sub(r" ?\t[\t ]*", "\t", text).strip(" \t\u3000\u200b")
        if text:
            self.lines.append(Line(text, tuple(self._links), self._para, self._number))
            self._para = paragraph
        else:
            self._para = self._para or paragraph
        self._parts = []
        self._links = []
