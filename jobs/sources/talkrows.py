"""A table row of talks with no header to say which cell is what -> labelled cells.

Seminar lists put one talk in a row ("2026-12-03 | Jane Doe (MIT) | Sparse Transformers"):
the cell with a date is its day (or time), a cell that reads as a person its speaker, the
longest other cell its title.
"""

from __future__ import annotations

import re

from jobs.sources.talkclock import has_clock
from jobs.sources.talkdate import blank_dates
from jobs.sources.talkspeaker import looks_like_name, split_speaker
from jobs.sources.talkwords import normalize

_WORD = re.compile(r"[^\W\d_]{3,}")


def row_labels(cells: list[str]) -> list[tuple[str, str]] | None:
    """("Date", cell), ("Time", cell), ("Speaker", cell), ("Title", cell) for a table row
    that holds a talk without a header to say so: a cell with a date, another that reads
    as a person, the longest other cell as its title. None for any other row."""
    cells = [cell.strip() for cell in cells]
    dated = next((i for i, cell in enumerate(cells) if cell and len(cell) <= 60
                  and blank_dates(normalize(cell)) != normalize(cell)), None)
    if dated is None or sum(1 for cell in cells if cell) < 3:
        return None
    labels: dict[int, str] = {dated: "Time" if has_clock(cells[dated]) else "Date"}
    for index, cell in enumerate(cells):
        if index in labels or not cell:
            continue
        if has_clock(cell) and not _WORD.search(cell) and "Time" not in labels.values():
            labels[index] = "Time"
        elif "Speaker" not in labels.values() and len(cell) <= 80 \
                and (names := split_speaker(cell)[0]) and looks_like_name(names[0]):
            labels[index] = "Speaker"
    # A title has words: "Standard Rate (Until April 30th 2024) | £200 | £150" is a fee.
    rest = [i for i, cell in enumerate(cells) if _WORD.search(cell) and i not in labels]
    if not rest:
        return None
    labels[max(rest, key=lambda i: len(cells[i]))] = "Title"
    return [(labels[i], cells[i]) for i in sorted(labels)]
