"""The injectable clock: the only module that reads the wall clock (STYLE.md, habit 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware UTC."""
        ...


class SystemClock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: for tests and `lectern --now`."""

    def __init__(self, at: datetime) -> None:
        self._at = as_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = as_utc(at)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def as_utc(moment: datetime) -> datetime:
    """Aware UTC; a naive datetime is refused rather than guessed."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC)


def parse_instant(text: str) -> datetime:
    """ISO 8601 text (`Z` allowed; a date alone is midnight UTC) -> aware UTC datetime."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_iso(moment: datetime | None) -> str | None:
    """Aware datetime -> `2026-11-23T08:00:00Z` (the form stored in SQLite)."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:
        moment = as_utc(moment)
    # What strftime("%Y-%m-%dT%H:%M:%SZ") gives (a fraction of a second dropped), in half
    # the time: planning a calendar for its channels writes thousands of instants.
    return moment.isoformat()[:19] + "Z"
