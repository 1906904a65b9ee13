"""HTML to text, with lxml: the one reader of HTML, for pages and for fragments.

A page becomes blocks of text (headings, paragraphs, list items, table rows): each block one
or more `Line`s that keep the URLs of their links, the tag of the block that holds them and
the source line they came from. A table whose header row names talk fields ("Date | Speaker
| Title") gives each later row as labelled lines, so a row reads like a labelled
announcement; other tables keep their cells apart with tabs. A fragment (a feed item's
summary, a calendar event's description) becomes plain text (`html_text`, `html_to_text`,
`html_blocks`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from bot.models import ParseError
from jobs.sources.htmltables import CELLS, LineMap, collapse, table_lines
from jobs.sources.talkcues import is_day_line, is_when_line, join_wrapped
from jobs.sources.talklabels import Line, opens_with_known_label

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "textarea", "tfoot", "thead", "tr", "ul",
})
# Never visible text: scripts, styles, and the <head> a page template may repeat mid-body.
_DROPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object",
                      "head", "title", "meta", "link", "select"})
_SPACES = re.compile(r"[^\S\t\n]+")
_CHROME_TAGS = frozenset({"nav", "footer", "aside"})
# Class, id or role words of page chrome, as whole words ("navbar", "site-footer", "sidebar").
_CHROME_NAMES = re.compile(r"(?<![a-z])(?:nav|navbar|navigation|menu|menubar|sidebar|footer"
                           r"|breadcrumbs?|widget|related|recommend(?:ed|ations?)?|share|social"
                           r"|comments?|pagination|pager|toc|banner|skip-link)(?![a-z])")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
MAX_TAGS = 100_000  # a long seminar archive has a few thousand
MAX_DEPTH = 256  # libxml2's own limit without XML_PARSE_HUGE; no page a person wrote nests so


# Marks where a block ends in `html_to_text`'s text; str.split() counts it as whitespace.
_BLOCK_BREAK = "\x1e"


def parse_html(text: str, *, page: bool = True) -> etree._Element | None:
    """The element tree of an HTML document or fragment; None when it holds nothing. A
    `page` that no person could have written (too many tags, nested too deep) is refused
    with ParseError; a fragment is read as far as libxml2 goes."""
    tags = text.count("<")
    if page and tags > MAX_TAGS:
        raise ParseError(f"the page has {tags} tags, more than the {MAX_TAGS} a seminar page "
                         "could need; it was not read")
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1), parser)
    if page and any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise ParseError(f"the page nests its elements more than {MAX_DEPTH} deep: no seminar "
                         "page does; it was not read")
    return root


def html_lines(text: str, line_map: Sequence[tuple[int, int]] = ()
               ) -> tuple[list[Line], str | None]:
    """The visible lines of an HTML document and its <title>, if it has one; `line_map`
    numbers them by the markdown post the HTML was rendered from (htmltables.LineMap)."""
    root = parse_html(text)
    if root is None:
        return [], None
    title = root.find(".//title")
    page_title = collapse(title.xpath("string()")) if title is not None else None
    collector = _Collector(LineMap(line_map))
    collector.walk(root)
    return collector.lines, page_title or None


def is_chrome(tag: str, element: etree._Element) -> bool:
    """A page's navigation, sidebar, footer or "related posts" box: not the page's content."""
    if tag in _CHROME_TAGS:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''} {element.get('role') or ''}"
    return bool(names.strip()) and bool(_CHROME_NAMES.search(names.casefold()))


def html_text(markup: str, *, mark: str = "\n", links: bool = False) -> str:
    """The text of an HTML fragment, entities decoded, with `mark` where a block (a
    paragraph, a cell, a line after <br>) starts or ends; with `links`, an anchor's address
    follows its text as ` (url)` unless the text shows it (calendar descriptions)."""
    root = parse_html(markup, page=False) if markup else None
    if root is None:
        return ""
    flat = _Flat(mark, links)
    flat.walk(root)
    return "".join(flat.parts)


def html_to_text(markup: str | None) -> str:
    """Plain text of an HTML fragment: tags stripped, entities decoded, whitespace collapsed."""
    return collapse(html_text(markup, mark=_BLOCK_BREAK)) if markup else ""


def html_blocks(markup: str | None) -> list[str]:
    """The text of each block (paragraph, list item, line after `<br>`) of an HTML fragment."""
    if not markup:
        return []
    blocks = (collapse(block) for block in html_text(markup, mark=_BLOCK_BREAK)
              .split(_BLOCK_BREAK))
    return [block for block in blocks if block]


class _Walker:
    """Visits an element tree in document order, leaving out what is never visible; a
    subclass may take a whole element itself (`took` returns True)."""

    def walk(self, root: etree._Element) -> None:
        walker = etree.iterwalk(root, events=("start", "end"))
        taken = None  # the element whose subtree was skipped: its end is only its tail
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "start":
                if tag in _DROPPED or self.took(tag, element):
                    walker.skip_subtree()
                    taken = element
                    continue
                self.start(tag, element)
                self.text(element.text, element)
            else:
                if element is not taken:
                    self.end(tag, element)
                parent = element.getparent()
                self.text(element.tail, parent if parent is not None else element)
        self.finish()

    def took(self, tag: str, element: etree._Element) -> bool:
        return False

    def start(self, tag: str, element: etree._Element) -> None: ...

    def end(self, tag: str, element: etree._Element) -> None: ...

    def text(self, data: str | None, element: etree._Element) -> None: ...

    def finish(self) -> None: ...


_KEEPS_LINES = frozenset({"pre", "textarea"})  # a notice pasted into a read-only textarea
_SOFT = "\ue000"  # where markdown wrapped a line: a private-use character, not a space


def unwrap(text: str) -> list[str]:
    """A wrapped paragraph's lines joined, except where a line opens with a label or a
    date: "**Time:** ...\n**Place:** ..." stays two lines, prose wrapped at 72 columns one."""
    pieces = [piece.strip() for piece in text.split(_SOFT)]
    lines: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if lines and not (opens_with_known_label(piece) or is_when_line(piece)
                          or is_day_line(piece)):
            lines[-1] = join_wrapped(lines[-1], piece)
        else:
            lines.append(piece)
    return lines


# Where a fragment's text breaks: the <body> libxml2 puts around a fragment is none.
_BREAKS = (_BLOCKS - {"body"}) | CELLS | {"br"}


class _Flat(_Walker):
    """A fragment's text, `mark` around each block."""

    def __init__(self, mark: str, links: bool) -> None:
        self.parts: list[str] = []
        self._mark, self._links = mark, links
        self._anchors: list[tuple[str | None, int]] = []  # href, where its text starts

    def start(self, tag: str, element: etree._Element) -> None:
        if tag in _BREAKS:
            self.parts.append(self._mark)
        elif tag == "a":
            self._anchors.append((element.get("href"), len(self.parts)))

    def end(self, tag: str, element: etree._Element) -> None:
        if tag in _BREAKS and tag != "br":
            self.parts.append(self._mark)
        elif tag == "a" and self._anchors:
            href, begin = self._anchors.pop()
            if self._links and href and href not in "".join(self.parts[begin:]):
                self.parts.append(f" ({href})")

    def text(self, data: str | None, element: etree._Element) -> None:
        if data:
            self.parts.append(data)


class _Collector(_Walker):
    """Block elements end paragraphs, <br> ends a line, table cells are split by tabs."""

    def __init__(self, where: LineMap) -> None:
        self._where = where
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._links: list[str] = []
        self._linked = 0  # characters of the current line inside <a>
        self._para = True
        self._pre = 0
        self._number = 0
        self._blocks: list[str] = []

    def took(self, tag: str, element: etree._Element) -> bool:
        """A site's chrome (menus, sidebars, footers, breadcrumbs) is left out; a table of
        talks is read whole, row by row (jobs.sources.htmltables)."""
        if is_chrome(tag, element):
            return True
        lines = table_lines(element, self._where) if tag == "table" else None
        if lines is None:
            return False
        self._flush(paragraph=True)
        self.lines += lines
        self._para = True
        return True

    def finish(self) -> None:
        self._flush(paragraph=True)

    def start(self, tag: str, element: etree._Element) -> None:
        if tag == "br" and element.get("data-soft"):
            self._parts.append(_SOFT)  # a markdown line wrap: a break only before a label
        elif tag == "br":
            self._flush(paragraph=False)
        elif tag in _BLOCKS:
            self._flush(paragraph=True)
            self._blocks.append(tag)
            self._pre += tag in _KEEPS_LINES
        elif tag in CELLS:
            self._parts.append("\t")

    def end(self, tag: str, element: etree._Element) -> None:
        if tag in _BLOCKS:
            self._flush(paragraph=True)
            if self._blocks:
                self._blocks.pop()
            self._pre = max(0, self._pre - (tag in _KEEPS_LINES))
        elif tag == "a":
            self._link(element.get("href"))

    def _link(self, href: str | None) -> None:
        href = (href or "").strip()
        # Relative links cannot be resolved without the page's URL; absolute ones can.
        if href.lower().startswith(("http://", "https://")) and href not in self._links:
            self._links.append(href)

    def text(self, data: str | None, element: etree._Element) -> None:
        if not data:
            return
        if not "".join(self._parts).strip():
            self._number = self._where.of(element) or self._number
        if element.tag == "a":  # its text, and the tails of what it holds
            self._linked += len(data.strip())
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
            linked = self._linked >= 0.8 * len(text)
            for index, piece in enumerate(unwrap(text)):
                self.lines.append(Line(piece, tuple(self._links), self._para and index == 0,
                                       self._number, block, linked))
            self._para = paragraph
        else:
            self._para = self._para or paragraph
        self._parts = []
        self._links = []
        self._linked = 0
