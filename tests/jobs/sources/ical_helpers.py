"""Helpers for the iCalendar reader's tests: small calendars made from event lines, and
the reader called the way a poll calls it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.models import ParseResult, Talk
from jobs.sources import ical

DATA = Path(__file__).resolve().parents[2] / "data" / "ical"
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "ics"
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
SERIES_UID = "5k2q8v0c3h1m7n4p6r9t@google.com"


def read(name: str, **options) -> ParseResult:
    return parse_bytes((DATA / name).read_bytes(), **options)


def parse_bytes(data: bytes, *, timezone: str = "Europe/London", now: datetime = NOW,
                **window) -> ParseResult:
    return ical.parse(data, "test-source", timezone=timezone, now=now, **window)


def by_key(result: ParseResult) -> dict[str, Talk]:
    return {talk.key: talk for talk in result.talks}


def calendar(*events: str, head: str = "") -> bytes:
    """A small VCALENDAR around VEVENT bodies given as lines."""
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//lectern tests//EN",
             *head.strip().splitlines()]
    for event in events:
        parts += ["BEGIN:VEVENT", "DTSTAMP:20260501T000000Z", *event.strip().splitlines(),
                  "END:VEVENT"]
    return ("\r\n".join([*parts, "END:VCALENDAR"]) + "\r\n").encode()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
