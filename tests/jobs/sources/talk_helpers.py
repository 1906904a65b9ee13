"""Reading a talk document the way the test files of outsiders' pages do it, and a talk's
local start-end to compare with what the page says."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jobs.sources import announcement, seminar_page


def read(text: str, tz: str, now: datetime, *, kind: str = "page"):
    """`text` as a seminar page (`kind` "page") or a pasted announcement."""
    if kind == "page":
        return seminar_page.parse(text.encode(), "src", timezone=tz, now=now)
    return announcement.parse(text, "src", timezone=tz, now=now)


def local(talk, tz: str) -> str:
    start = talk.start.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
    return start + (talk.end.astimezone(ZoneInfo(tz)).strftime("-%H:%M") if talk.end else "")
