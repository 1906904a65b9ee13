"""What lectern adds to feedparser through its extension points: a date handler for the
'YYYY/MM/DD H:MM:SS' dates of ASP.NET feeds, every dc:identifier of an item kept, and an
item's dc:title kept beside its <title>."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import feedparser
from feedparser.mixin import _FeedParserMixin

# 'YYYY/MM/DD H:MM:SS', as Chinese journals' ASP.NET feeds write pubDate: feedparser read
# '2021/10/16 9:23:28' as 1 December 2021. Its handlers take a date without a zone as UTC.
_SLASHED = re.compile(r"\s*(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*")


def _slashed_date(text: str) -> Any:
    match = _SLASHED.fullmatch(text or "")
    try:
        return datetime(*(int(part or 0) for part in match.groups())).timetuple() \
            if match else None
    except ValueError:
        return None


def _end_dc_identifier(parser: Any) -> None:
    """feedparser keeps only an item's last dc:identifier; the item's `dc_identifiers` keeps
    them all, in order. HighWire's journals (Science among them) give the DOI first and
    their own id last: 'info:doi/10.1126/science.356.6343.1134-a', 'hwp:resource-id:...'."""
    value = parser.pop("dc_identifier")
    if value and parser.inentry and not parser.insource:
        parser.entries[-1].setdefault("dc_identifiers", []).append(value)


def _start_dc_title(parser: Any, attrs: Any) -> None:
    """feedparser reads dc:title as the title and drops it when the item has a <title>
    already; MDPI's feeds give the bare title there and a citation before it in <title>
    ('Fluids, Vol. 9, Pages 120: Environmental Hydraulics, ...'). It is kept as `dc_title`."""
    if parser.inentry and not parser.insource and "title" in parser._get_context():
        parser.push("dc_title", 1)
    else:
        parser._start_title(attrs)


def _end_dc_title(parser: Any) -> None:
    if parser.elementstack and parser.elementstack[-1][0] == "dc_title":
        parser.pop("dc_title")  # feedparser files it under the entry's `dc_title`
    else:
        parser._end_title()


def install() -> None:
    """Add the hooks; feedparser looks up `_end_<prefix>_<name>` on its parser by name."""
    feedparser.registerDateHandler(_slashed_date)
    _FeedParserMixin._end_dc_identifier = _end_dc_identifier  # type: ignore[attr-defined]
    _FeedParserMixin._start_dc_title = _start_dc_title  # type: ignore[attr-defined]
    _FeedParserMixin._end_dc_title = _end_dc_title  # type: ignore[attr-defined]
