"""HTML pages -> blocks of text (headings, paragraphs, list items, table rows), parsed with lxml.

Each block becomes one or more `Line`s that keep the URLs of their links, the tag of the block
that holds them and the source line they came from. A table whose header row names talk
fields ("Date | Speaker | Title") gives each later row as labelled lines, so a row reads like
a labelled announcement; other tables keep their cells apart with tabs.
"""

from __future__ import annotations

import bisect
import re

from lxml import etree

from bot.models import ParseError
from jobs.sources.talklabels import Line, label_kind
from jobs.sources.talkrows import row_labels

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
})
_CELLS = frozenset({"td", "th"})
# Never visible text: scripts, styles, and the <head> a page template may repeat mid-body.
_DROPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object",
                      "head", "title", "meta", "link", "select"})
_SPACES = re.compile(r"[^\S\t\n]+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
MAX_TAGS = 100_000  # a long seminar archive has a few thousand
MAX_DEPTH = 256  # libxml2's own limit without XML_PARSE_HUGE; no page a person wrote nests so


def html_lines(text: str, line_map: list[tuple[int, int]] | None = None
               ) -> tuple[list[Line], str | None]:
    """The visible lines of an HTML document and its <title>, if it has one.

    `line_map` ((line of `text`, line of the source document), ascending) numbers lines by a
    document the HTML was made from (markdown), where no `data-line` says so."""
    tags = text.count("<")
    if tags > MAX_TAGS:
        raise ParseError(f"the page has {tags} tags, more than the {MAX_TAGS} a seminar page "
                         "could need; it was not read")
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1), parser)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise ParseError(f"the page nests its elements more than {MAX_DEPTH} deep: no seminar "
                         "page does; it was not read")
    if root is None:
        return [], None
    title = root.find(".//title")
    page_title = _collapse(title.xpath("string()")) if title is not None else None
    collector = _Collector(line_map or [])
    collector.walk(root)
    return collector.lines, page_title or None


def _collapse(text: str) -> str:
    return " ".join(text.split())


class _Collector:
    """Block elements end paragraphs, <br> ends a line, table cells are split by tabs."""

    def __init__(self, line_map: list[tuple[int, int]]) -> None:
        self._map = line_map
        self._map_keys = [html_line for html_line, _ in line_map]
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._links: list[str] = []
        self._para = True
        self._pre = 0
        self._number = 0
        self._blocks: list[str] = []

    def walk(self, root: etree._Element) -> None:
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "start":
                if tag in _DROPPED:
                    walker.skip_subtree()
                    self._tail(element)
                    continue
                if tag == "table" and self._labelled_table(element):
                    walker.skip_subtree()
                    self._tail(element)
                    continue
                self._start(tag, element)
            else:
                self._end(tag, element)
        self._flush(paragraph=True)

    def _start(self, tag: str, element: etree._Element) -> None:
        if tag == "br":
            self._flush(paragraph=False)
        elif tag in _BLOCKS:
            self._flush(paragraph=True)
            self._blocks.append(tag)
            self._pre += tag == "pre"
        elif tag in _CELLS:
            self._parts.append("\t")
        self._text(element.text, element)

    def _end(self, tag: str, element: etree._Element) -> None:
        if tag in _BLOCKS:
            self._flush(paragraph=True)
            if self._blocks:
                self._blocks.pop()
            self._pre = max(0, self._pre - (tag == "pre"))
        elif tag == "a":
            self._link(element.get("href"))
        self._tail(element)

    def _tail(self, element: etree._Element) -> None:
        parent = element.getparent()
        self._text(element.tail, parent if parent is not None else element)

    def _link(self, href: str | None) -> None:
        href = (href or "").strip()
        # Relative links cannot be resolved without the page's URL; absolute ones can.
        if href.lower().startswith(("http://", "https://")) and href not in self._links:
            self._links.append(href)

    def _text(self, data: str | None, element: etree._Element) -> None:
        if not data:
            return
        if not "".join(self._parts).strip():
            self._number = self._source_line(element) or self._number
        if not self._pre:
            self._parts.append(data.replace("\n", " "))
            return
        pieces = data.split("\n")
        for piece in pieces[:-1]:
            self._parts.append(piece)
            self._flush(paragraph=False)
        self._parts.append(pieces[-1])

    def _flush(self, *, paragraph: bool) -> None:
        text = _SPACES.sub(" ", "".join(self._parts))
        text = re.sub(r" ?\t[\t ]*", "\t", text).strip(" \t\u3000\u200b\u00ad")
        if text:
            block = self._blocks[-1] if self._blocks else ""
            self.lines.append(Line(text, tuple(self._links), self._para, self._number, block))
            self._para = paragraph
        else:
            self._para = self._para or paragraph
        self._parts = []
        self._links = []

    def _source_line(self, element: etree._Element) -> int:
        """The element's line in the document it came from: HTML rendered from markdown
        marks its markdown blocks (`data-line`) and maps its raw HTML blocks (`line_map`)."""
        line = element.sourceline or 0
        if element.get("data-line", "").isdigit():
            return int(element.get("data-line"))
        for anchor in element.iterancestors():
            if anchor.get("data-line", "").isdigit():
                return int(anchor.get("data-line")) + line - (anchor.sourceline or line)
        index = bisect.bisect_right(self._map_keys, line) - 1
        if index >= 0:
            html_line, source_line = self._map[index]
            return source_line + line - html_line
        return line

    def _labelled_table(self, table: etree._Element) -> bool:
        """A table whose header names talk fields: each row as "Header: cell" lines."""
        rows = [row for row in table.iter("tr") if _nearest_table(row) is table]
        if len(rows) < 2:
            return False
        header = [_collapse(cell.xpath("string()")) for cell in _cells(rows[0])]
        kinds = [label_kind(name) if name else None for name in header]
        if sum(kind is not None for kind in kinds) < 2:
            return self._guessed_table(rows)
        self._flush(paragraph=True)
        for row in rows[1:]:
            first = True
            for index, cell in enumerate(_cells(row)[:len(header)]):
                value = _collapse(cell.xpath("string()"))
                if not value or kinds[index] is None:
                    continue  # a column of no talk field (a row number, an icon)
                links = tuple(dict.fromkeys(
                    href for href in (_absolute(a.get("href")) for a in cell.iter("a")) if href))
                self.lines.append(Line(f"{header[index]}: {value}", links, first,
                                       self._source_line(row), "tr"))
                first = False
            self._para = True
        return True


    def _guessed_table(self, rows: list[etree._Element]) -> bool:
        """A table with no header of labels whose rows hold talks (a date, a person, a
        title): each such row as labelled lines; other rows as text, cells apart by tabs."""
        guessed = [row_labels([_collapse(c.xpath("string()")) for c in _cells(row)])
                   for row in rows]
        if sum(1 for labels in guessed if labels) < max(1, len(rows) // 2):
            return False
        self._flush(paragraph=True)
        for row, labels in zip(rows, guessed, strict=True):
            cells = [_collapse(c.xpath("string()")) for c in _cells(row)]
            if not labels:
                text = "\t".join(cell for cell in cells if cell)
                if text:
                    self.lines.append(Line(text, (), True, self._source_line(row), "tr"))
                continue
            links = tuple(dict.fromkeys(href for href in (_absolute(a.get("href"))
                                                          for a in row.iter("a")) if href))
            for index, (label, value) in enumerate(labels):
                self.lines.append(Line(f"{label}: {value}", links if label == "Title" else (),
                                       index == 0, self._source_line(row), "tr"))
        self._para = True
        return True


def _nearest_table(row: etree._Element) -> etree._Element | None:
    parent = row.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row if cell.tag in _CELLS]


def _absolute(href: str | None) -> str:
    href = (href or "").strip()
    return href if href.lower().startswith(("http://", "https://")) else ""
