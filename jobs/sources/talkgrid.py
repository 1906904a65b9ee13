"""A week grid: a table whose columns are the days of a week ("| | Monday | Tuesday | ...")
and whose rows are clock times, each cell a talk on that day at that time. Each cell becomes
lines ("Tuesday, September 19", "Time: 9:00 - 10:30", then what it says), the day counted
from the week's first date: a row of the table that gives it ("Week 1 (September 18-22)"), a
date in a day's header cell, or the text just before the table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from lxml import etree

from jobs.sources.talkclock import read_clock
from jobs.sources.talkdate import read_date
from jobs.sources.talklabels import Line
from jobs.sources.talkspeaker import looks_like_name
from jobs.sources.talkwords import CN_WEEKDAYS, WEEKDAYS

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_CELL = re.compile(
    r"^\W*(?:(?P<en>[a-z]{3,9})\b|(?:星期|周|礼拜)(?P<cn>[一二三四五六日天]))", re.IGNORECASE)
_WEEKDAY_WORDS = re.compile(r"\b(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
                            + r")\b\.?|(?:星期|周|礼拜)[一二三四五六日天]", re.IGNORECASE)
_REMOTE = re.compile(r"\s*\((?:online|remote|virtual|via zoom)\)\s*$", re.IGNORECASE)
_NOBODY = frozenset({"TBA", "TBD", "TBC"})
_TALKS = re.compile(r"(?:[a-z-]+ ){0,2}(?:talks|presentations|lectures|posters)")
_MARK = "\u2029"  # where a <br> was
_EMPHASIS = frozenset({"em", "strong", "b", "i"})
_ANY_YEAR = date(2000, 1, 1)  # a leap year: only a date's month and day are wanted from it
_MIN_DAYS = 3  # a table is a week grid when at least this many columns are days
_BEFORE = 3  # how many blocks before the table may give the week's first date


def grid_lines(table: etree._Element, rows: list[etree._Element],
               cells: Callable[[etree._Element], list[etree._Element]],
               where) -> list[Line] | None:
    """The talks of a week grid as labelled lines, or None if `table` is no week grid."""
    days = _day_columns([_text(cell) for cell in cells(rows[0])])
    if days is None:
        return None
    dated = {index: _week_start(_text(cell)) for index, cell in enumerate(cells(rows[0]))}
    start = _week_start(_before_table(table))
    lines: list[Line] = []
    body = _spread(rows[1:], cells)
    for number, (row, grid) in enumerate(body):
        first = grid.get(0)
        if first is not None and first[1] == 0 and not any(
                _text(cell) for index, (cell, _, _) in grid.items() if index):
            start = _week_start(_text(first[0])) or start  # "Week 2 (September 25-29)"
            continue
        for index, weekday in days.items():
            found = grid.get(index)
            if found is None or found[1] != 0 or first is None:
                continue  # no cell, or the rows under a cell spanning several
            day = _day(dated.get(index), weekday, 0) or _day(start, weekday, min(days.values()))
            clock = _span_time(_text(first[0]), body, number, found[2])
            if day is None or clock is None:
                continue
            for text in filter(None, map(_labelled, _cell_items(found[0]))):
                at = where.of(row)
                lines.append(Line(day, (), True, at, "tr"))  # a day line: no lead over it
                lines.append(Line(f"Time: {clock}", (), False, at, "tr"))
                lines.extend(Line(part, (), False, at, "tr") for part in text)
    return lines or None  # no day known for any cell: read as any other table


def _day_columns(header: list[str]) -> dict[int, int] | None:
    """Column -> weekday (0 is Monday) of a header row that names days in most columns."""
    days: dict[int, int] = {}
    for index, text in enumerate(header):
        match = _WEEKDAY_CELL.match(text)
        if match and match["en"] and match["en"].casefold() in WEEKDAYS:
            days[index] = WEEKDAYS[match["en"].casefold()]
        elif match and match["cn"]:
            days[index] = CN_WEEKDAYS[match["cn"]]
    if len(days) < _MIN_DAYS or 0 in days or len(days) < len(header) - 1:
        return None
    return days


def _spread(rows: list[etree._Element], cells) -> list[tuple[etree._Element, dict]]:
    """Each row's cells by column, a cell spanning rows ("rowspan") standing in each row it
    spans: column -> (cell, how many rows above it began, how many rows it spans)."""
    carried: dict[int, tuple[etree._Element, int, int]] = {}
    spread = []
    for row in rows:
        grid: dict[int, tuple[etree._Element, int, int]] = {}
        column = 0
        for cell in cells(row):
            while column in carried:
                column += 1
            span = max(1, _int(cell.get("rowspan")))
            grid[column] = (cell, 0, span)
            if span > 1:
                carried[column] = (cell, 0, span)
            column += max(1, _int(cell.get("colspan")))
        for column, (cell, above, span) in list(carried.items()):
            if above:
                grid[column] = (cell, above, span)
            carried[column] = (cell, above + 1, span)
            if above + 1 >= span:
                del carried[column]
        spread.append((row, grid))
    return spread


def _span_time(first: str, body: list, number: int, span: int) -> str | None:
    """The row's time; for a cell spanning rows, from its first row's start to its last's end."""
    if read_clock(first) is None:
        return None
    if span <= 1 or number + span - 1 >= len(body):
        return first
    last = body[number + span - 1][1].get(0)
    end = _text(last[0]) if last else ""
    starts, ends = re.split(r"\s*[-–—~]\s*", first), re.split(r"\s*[-–—~]\s*", end)
    return f"{starts[0]} - {ends[-1]}" if read_clock(ends[-1] or "") else first


def _week_start(text: str) -> tuple[date, bool] | None:
    """The date a text gives (its month and day), and whether it gives the year too."""
    found = _month_day(text)
    written = read_date(text, today=None) if found else None  # "2nd June - 7th June 2025"
    if found is None or written is None:
        return (found, False) if found else None
    return _replace_year(found, written.year), True


def _day(start: tuple[date, bool] | None, weekday: int, first: int) -> str | None:
    """"Tuesday, September 19" for the weekday of the week whose day `first` is `start`."""
    if start is None:
        return None
    # With its year the date knows its weekday; without, it is the first day column's.
    offset = (weekday - start[0].weekday()) % 7 if start[1] else weekday - first
    day, with_year = start[0] + timedelta(days=offset), start[1]
    return f"{_DAY_NAMES[weekday]}, {day:%B} {day.day}" + (f", {day.year}" if with_year else "")


def _replace_year(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February of a common year
        return day.replace(year=year, day=28)


def _month_day(text: str) -> date | None:
    """The month and day a text writes (in a leap year), not a weekday alone."""
    text = _WEEKDAY_WORDS.sub(" ", text)
    return read_date(text, today=_ANY_YEAR) if text.strip() else None


def _labelled(parts: list[str]) -> list[str]:
    """A cell of one line that is a person ("Yves Bertot", "Thierry Coquand (online)") gives
    the speaker, of other words the title; "tba" is no talk. Longer cells are read as they
    are ("Keynote I" over "Peter Dayan", "Name: Title")."""
    parts = [part for part in parts if _placeholder(part) not in _NOBODY]  # "(t.b.c.)"
    if len(parts) != 1:
        return parts
    bare = _REMOTE.sub("", parts[0]).strip()
    if _TALKS.fullmatch(bare.casefold()):
        return []  # "Contributed Talks": a session of talks, each given elsewhere if at all
    if ":" in bare:
        return parts
    return [f"Speaker: {bare}"] if looks_like_name(bare) else [f"Title: {parts[0]}"]


def _before_table(table: etree._Element) -> str:
    """The text of the few blocks just before the table (where its dates are said)."""
    texts, previous = [], table.getprevious()
    while previous is not None and len(texts) < _BEFORE:
        texts.append(f"{_text(previous)} {previous.tail or ''}")
        previous = previous.getprevious()
    parent = table.getparent()
    if previous is None and parent is not None:
        texts.append(parent.text or "")  # text straight in the page's body, no paragraph
    return " ".join(reversed(texts))


def _cell_items(cell: etree._Element) -> list[list[str]]:
    """A cell's items, each its lines: <br> parts lines, an empty line (<br><br>) parts items
    given side by side; words in emphasis that open a cell name the kind of slot, a line."""
    first = next(iter(cell), None)
    if first is not None and first.tag in _EMPHASIS and not (cell.text or "").strip() \
            and (first.tail or "").strip():
        first.tail = _MARK + (first.tail or "")  # "<em>Workshop</em> Marcel Binz"
    for br in cell.iter("br"):
        br.tail = _MARK + (br.tail or "")
    items: list[list[str]] = [[]]
    for part in cell.xpath("string()").split(_MARK):
        text = " ".join(part.split()).strip(" *")
        if text:
            items[-1].append(text)
        elif items[-1]:
            items.append([])
    return [item for item in items if item]


def _placeholder(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).upper()  # "(t.b.a.)" -> "TBA"


def _text(cell: etree._Element) -> str:
    return " ".join(cell.xpath("string()").split())


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 1
