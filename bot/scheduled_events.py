"""Scheduled events, platform-neutral: what an event in a server's own event list says
(EventSpec), how far lectern got with it (EventState), why a platform refused one
(Refusal, EventError), and what a platform with such a list offers (EventPublisher).
jobs.discord_events decides which talks become events; adapters/discord/events.py makes
them, within Discord's limits.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One talk as an event, before any platform trims it to its limits. `marker` (the
    talk's id) ends the description, so an event made just before a crash is found again
    in the server's list; `assumed_end` says the talk gave no end and `end` is a default;
    `place` is where it is held, `link` how to join online (either may be missing)."""

    name: str
    details: str
    place: str | None
    link: str | None
    start: datetime
    end: datetime
    marker: str
    assumed_end: bool = False

    def digest(self) -> str:
        """What was sent, in 16 hex digits: equal digests need no update."""
        fields = {k: (v.isoformat() if isinstance(v, datetime) else v)
                  for k, v in asdict(self).items()}
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


class Refusal(enum.Enum):
    PERMISSION = "permission"  # the bot may not manage the server's events
    GONE = "gone"  # the event was deleted on the platform (by a person): leave it so
    FULL = "full"  # the server holds as many upcoming events as the platform allows
    REJECTED = "rejected"  # the platform refused this event's content: not tried again
    LATER = "later"  # rate limited or unreachable: tried again later


class EventError(Exception):
    """The platform did not take an event request; `retry_after` (seconds) for LATER."""

    def __init__(self, message: str, refusal: Refusal, retry_after: float | None = None
                 ) -> None:
        super().__init__(message)
        self.refusal, self.retry_after = refusal, retry_after


class EventPublisher(Protocol):
    """A platform's event list, per server (a Discord guild). Every call raises
    EventError when the platform does not take it."""

    platform: str

    async def server_of(self, channel_id: str) -> str | None:
        """The server a channel (its platform id) belongs to; None when there is none."""
        ...

    async def find(self, server: str, marker: str) -> str | None:
        """The id of this bot's event whose description ends with `marker`, if any."""
        ...

    async def create(self, server: str, spec: EventSpec) -> str:
        """A new event; its id."""
        ...

    async def update(self, server: str, event_id: str, spec: EventSpec) -> None:
        """The event says what `spec` says now."""
        ...

    async def cancel(self, server: str, event_id: str) -> None:
        """The event is marked cancelled (members see it leave the list)."""
        ...


class EventState(enum.Enum):
    """Where lectern's event for a talk stands, as stored."""

    CREATING = "creating"  # asked for, its id not stored yet: look for it before asking again
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    GONE = "gone"  # deleted on the platform by a person: not made again
    REJECTED = "rejected"  # refused as it was: tried again only once the talk changes
