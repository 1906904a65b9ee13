"""Tables of talks on a page: a header row that names talk fields ("Date | Speaker | Title")
makes each later row labelled lines; a table with no such header whose rows hold a date, a
person and a title is read row by row the same way. Also where an element came from.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from lxml import etree

from jobs.sources.talkgrid import grid_lines
from jobs.sources.talklabels import SPEAKER, TITLE, Line, label_kind, starts_with_label
from jobs.sources.talkrows import row_labels

CELLS = frozenset({"td", "th"})
_COMPOUND = re.compile(r"\s*(?:&|/|\band\b|\+|、|及|和)\s*", re.IGNORECASE)
_CONTENT_HEADER = re.compile(r"description|sessions?|events?|activity|activities|programme"
                             r"|program|items?|details|talks?|agenda|schedule|what"
                             r"|内容|活动|议程|日程|安排|报告")
_TALK_HEADER = re.compile(r"talks?|presentations?|lectures?|papers?|报告|讲座|演讲")


def collapse(text: str) -> str:
    return " ".join(text.split())


def table_lines(table: etree._Element, where: LineMap) -> list[Line] | None:
    """A table whose header names talk fields: each row as "Header: cell" lines."""
    rows = [row for row in table.iter("tr") if _nearest_table(row) is table]
    if len(rows) < 2:
        return None
    grid = grid_lines(table, rows, _cells, where)
    if grid is not None:
        return grid
    for br in table.iter("br"):  # "<b>Keynote</b><br/>Dr. Doe": a space, not "KeynoteDr."
        br.tail = " " + (br.tail or "")
    header = [collapse(cell.xpath("string()")) for cell in _cells(rows[0])]
    kinds = [_header_kind(name) if name else None for name in header]
    _name_title_column(header, kinds)
    content = _content_column(header, kinds)
    if sum(kind is not None for kind in kinds) + (content is not None) < 2:
        return _guessed_table(rows, where)
    lines: list[Line] = []
    for row in rows[1:]:
        first = True
        for index, cell in enumerate(_cells(row)[:len(header)]):
            value, folded = _folded(cell)
            if not value or (kinds[index] is None and index != content):
                continue  # a column of no talk field (a row number, an icon)
            links = tuple(dict.fromkeys(
                href for href in (_absolute(a.get("href")) for a in cell.iter("a")) if href))
            # A programme's "Description" or "Session" cell holds the talk itself ("Keynote
            # Dr. Jane Doe -- Title"): unlabelled, it is read for its title and speaker.
            name = header[index] if label_kind(header[index]) else _COMPOUND.split(
                header[index], maxsplit=1)[0]
            text = value if index == content else f"{name}: {value}"
            lines.append(Line(text, links, first, where.of(row), "tr"))
            if folded:  # the abstract under a title that opens it
                lines.append(Line(folded, (), False, where.of(row), "tr"))
            first = False
    return lines


def _header_kind(name: str) -> str | None:
    """"Title & Abstract", "Speaker / Affiliation": a column of two fields is its first's;
    "Topic/Paper", "Paper / Title": a field beside the word for a talk is that field."""
    kind = label_kind(name)
    if kind is None:
        parts = [part.strip() for part in _COMPOUND.split(name, maxsplit=1)]
        if len(parts) == 2 and label_kind(parts[1]):
            kind = label_kind(parts[0])
        if len(parts) == 2 and kind is None:
            talk = [bool(_TALK_HEADER.fullmatch(part.casefold())) for part in parts]
            kind = label_kind(parts[0]) if talk[1] else label_kind(parts[1]) if talk[0] else None
    return kind


def _name_title_column(header: list[str], kinds: list[str | None]) -> None:
    """"Time | Talk | Who": beside a column of speakers and none of titles, the column
    headed "Talk" ("Presentation", "Lecture", "报告") names the talks, so is their title."""
    if TITLE in kinds or SPEAKER not in kinds:
        return
    for index, name in enumerate(header):
        if kinds[index] is None and _TALK_HEADER.fullmatch(" ".join(name.casefold().split())):
            header[index], kinds[index] = "Title", TITLE
            return


def _folded(cell: etree._Element) -> tuple[str, str]:
    """A cell's text; a cell that folds the abstract under its title (<details> opened by
    <summary>) is the summary, and the rest comes second."""
    text = collapse(cell.xpath("string()"))
    summary = next(cell.iter("summary"), None)
    if summary is None:
        return text, ""
    title = collapse(summary.xpath("string()"))
    details = summary.getparent()
    rest = collapse("".join(part for child in details if child is not summary
                            for part in (child.xpath("string()"), child.tail or "")))
    if rest and not starts_with_label(rest):
        rest = f"Abstract: {rest}"
    return (title, rest) if title else (text, "")


def _content_column(header: list[str], kinds: list[str | None]) -> int | None:
    """The column of a programme that names the talks when no column is their title or
    speaker: headed "Description", "Session", "Event", "Programme", "内容", ..."""
    if {TITLE, SPEAKER} & set(kinds):
        return None
    for index, name in enumerate(header):
        if _CONTENT_HEADER.fullmatch(" ".join(name.casefold().split())):
            return index
    return None


def _guessed_table(rows: list[etree._Element], where: LineMap) -> list[Line] | None:
    """A table with no header of labels whose rows hold talks (a date, a person, a
    title): each such row as labelled lines; other rows as text, cells apart by tabs."""
    guessed = [row_labels([collapse(c.xpath("string()")) for c in _cells(row)])
               for row in rows]
    if sum(1 for labels in guessed if labels) < max(1, len(rows) // 2):
        return None
    lines: list[Line] = []
    for row, labels in zip(rows, guessed, strict=True):
        cells = [collapse(c.xpath("string()")) for c in _cells(row)]
        if not labels:
            text = "\t".join(cell for cell in cells if cell)
            if text:
                lines.append(Line(text, (), True, where.of(row), "tr"))
            continue
        links = tuple(dict.fromkeys(href for href in (_absolute(a.get("href"))
                                                      for a in row.iter("a")) if href))
        for index, (label, value) in enumerate(labels):
            lines.append(Line(f"{label}: {value}", links if label == "Title" else (),
                              index == 0, where.of(row), "tr"))
    return lines


class LineMap:
    """Where an element came from: its line in the document, or in the markdown post the
    HTML was rendered from, whose markdown blocks carry `data-line` and whose raw HTML
    blocks are mapped by `pairs` ((line of the HTML, line of the post), ascending)."""

    def __init__(self, pairs: Sequence[tuple[int, int]] = ()) -> None:
        self._pairs = list(pairs)
        self._keys = [html_line for html_line, _ in self._pairs]

    def of(self, element: etree._Element) -> int:
        line = element.sourceline or 0
        if element.get("data-line", "").isdigit():
            return int(element.get("data-line"))
        for anchor in element.iterancestors():
            if anchor.get("data-line", "").isdigit():
                return int(anchor.get("data-line")) + line - (anchor.sourceline or line)
        index = bisect.bisect_right(self._keys, line) - 1
        if index < 0:
            return line
        html_line, source = self._pairs[index]
        return source + line - html_line


def _nearest_table(row: etree._Element) -> etree._Element | None:
    parent = row.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row if cell.tag in CELLS]


def _absolute(href: str | None) -> str:
    href = (href or "").strip()
    return href if href.lower().startswith(("http://", "https://")) else ""
