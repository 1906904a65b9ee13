"""The outbox's vocabulary: a Delivery (one planned message) and its Purpose (what for).

A purpose is a small typed value. The database keeps it as text, part of the outbox's
unique key (channel, item, purpose); `Purpose.text` writes it and `parse_purpose` reads
it back, and only storage.deliveries does either:

    announce                              the first word of an item to a channel
    digest                                a channel's daily digest (and its papers)
    cancelled[:<when>]                    a talk the channel heard of is cancelled (at
                                          <when>: one restored and cancelled again is
                                          said again)
    updated:<when>                        a talk the channel heard of changed, at <when>
    reminder:<minutes>@<talk start>       a reminder; the start is part of it, so a talk
                                          that moves gets fresh reminders
    health:<state>@<since|never>          a source turned unhealthy (one notice a spell)
    health:recovered@<state>@<since|never>   ... and is back to normal

Text this version cannot read (written by a newer one) is kept as `Unknown`: never sent,
never rewritten.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from bot.clock import parse_instant, to_iso

# A row's status in the outbox, and the notes it may carry.
PENDING, CLAIMED, SENT, SKIPPED, FAILED = "pending", "claimed", "sent", "skipped", "failed"
# The note of a row released after a crash: it was claimed, so it may have been posted.
MAYBE_SENT = "maybe sent: claimed when a run died"
# Notes of rows skipped only to be planned afresh: planning the same row again revives it
# (a talk cancelled is planned again only once it is restored).
TALK_MOVED, REMINDERS_CHANGED, TAKEN_BACK, TALK_CALLED_OFF = (
    "talk moved", "reminders changed", "taken back by the member", "talk cancelled")
# The note of a change notice withdrawn because its talk changed again before the change
# settled (a new notice says the whole change, or none if the talk came back).
CHANGED_AGAIN = "changed again before it was said"


NEVER = "never"  # a health spell with no success before it
# A paper's row the channel's taste model chose (no keyword did: it has no subscription)
# says so with this word before its `matched`, the "why": "recommended: like *Title* that
# 3 of you liked" (bot.taste).
RECOMMENDED = "recommended"


@dataclass(frozen=True, slots=True)
class Announce:
    KIND: ClassVar[str] = "announce"

    @property
    def text(self) -> str:
        return self.KIND


@dataclass(frozen=True, slots=True)
class Digest:
    KIND: ClassVar[str] = "digest"

    @property
    def text(self) -> str:
        return self.KIND


@dataclass(frozen=True, slots=True)
class Cancelled:
    """A told talk was cancelled, seen `at` (None in rows written before a talk could be
    restored and cancelled again)."""

    at: datetime | None = None
    KIND: ClassVar[str] = "cancelled"

    @property
    def text(self) -> str:
        return self.KIND if self.at is None else f"{self.KIND}:{to_iso(self.at)}"


@dataclass(frozen=True, slots=True)
class Updated:
    """A talk changed; `at` (when the change was seen) makes each change a row of its own."""

    at: datetime
    KIND: ClassVar[str] = "updated"

    @property
    def text(self) -> str:
        return f"{self.KIND}:{to_iso(self.at)}"


@dataclass(frozen=True, slots=True)
class Reminder:
    """`minutes` before the talk's `start` (None only in rows older than the start rule)."""

    minutes: int
    start: datetime | None
    KIND: ClassVar[str] = "reminder"

    @property
    def text(self) -> str:
        at = "" if self.start is None else f"@{to_iso(self.start)}"
        return f"{self.KIND}:{self.minutes}{at}"


@dataclass(frozen=True, slots=True)
class HealthNotice:
    """A source's unhealthy spell: its `state` (failing, stale, empty) and when the spell
    began (`since`, None: never); `recovered` is the "back to normal" that ends it."""

    state: str
    since: datetime | None
    recovered: bool = False
    KIND: ClassVar[str] = "health"

    @property
    def spell(self) -> str:
        """`failing@2026-11-20T08:00:00Z`: which spell, however the notice ends."""
        return f"{self.state}@{to_iso(self.since) or NEVER}"

    @property
    def text(self) -> str:
        return f"{self.KIND}:{'recovered@' if self.recovered else ''}{self.spell}"


@dataclass(frozen=True, slots=True)
class Unknown:
    """A purpose this version cannot read, kept as it was written."""

    raw: str
    KIND: ClassVar[str] = "unknown"

    @property
    def text(self) -> str:
        return self.raw


Purpose = Announce | Digest | Cancelled | Updated | Reminder | HealthNotice | Unknown
PurposeKind = type[Announce] | type[Digest] | type[Cancelled] | type[Updated] | \
    type[Reminder] | type[HealthNotice]
ANNOUNCE, DIGEST, CANCELLED = Announce(), Digest(), Cancelled()


def parse_purpose(text: str) -> Purpose:
    """The purpose stored as `text`; `Unknown(text)` when it cannot be read."""
    try:
        return _parse(text)
    except ValueError:
        return Unknown(text)


def _parse(text: str) -> Purpose:
    kind, colon, rest = text.partition(":")
    plain = {p.KIND: p for p in (ANNOUNCE, DIGEST, CANCELLED)}
    if kind in plain and not colon:
        return plain[kind]
    if kind == Updated.KIND and colon:
        return Updated(parse_instant(rest))
    if kind == Cancelled.KIND and colon:
        return Cancelled(parse_instant(rest))
    if kind == Reminder.KIND and colon:
        minutes, at, start = rest.partition("@")
        if not minutes.isdigit():
            raise ValueError(text)
        return Reminder(int(minutes), parse_instant(start) if at else None)
    if kind == HealthNotice.KIND and colon:
        recovered = rest.startswith("recovered@")
        state, at, since = rest.removeprefix("recovered@").partition("@")
        if not (state and at):
            raise ValueError(text)
        return HealthNotice(state, None if since == NEVER else parse_instant(since),
                            recovered)
    raise ValueError(text)


@dataclass(slots=True)
class Delivery:
    """One row of the outbox: what to tell which channel about which item, and when."""

    channel_id: str
    item_kind: str  # paper | talk | day (a digest's own row) | source (a health notice)
    item_id: str
    purpose: Purpose
    due_at: datetime
    matched: str | None = None
    subscription_id: int | None = None
    id: int | None = None
    status: str = "pending"  # pending | claimed | sent | skipped | failed
    late: bool = False
    attempts: int = 0
    note: str | None = None
    sent_ref: str | None = None
    claimed_at: datetime | None = None  # when last claimed for sending
    batch_id: int | None = None  # the message of several rows it goes out in, once decided

    @property
    def recommended(self) -> bool:
        """A paper the channel's taste model chose: `matched` says why, not which words."""
        return self.item_kind == "paper" and self.subscription_id is None


def message_key(ids: list[int]) -> str:
    """The key of the message that sends rows `ids`, by which a platform adapter can tell
    a repeat: `lectern-<id>` for one row; several are named all (hashed), so two
    different lists never share a key."""
    if len(ids) == 1:
        return f"lectern-{ids[0]}"
    digest = hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:8]
    return f"lectern-{min(ids)}-{digest}"
