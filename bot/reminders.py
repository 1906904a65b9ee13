"""When reminders fall due: a channel's (its offsets before each talk it was told about)
and a member's own (`/remind`, sent to them directly). Pure rules over the models.

A reminder is an outbox row of the talk whose purpose is a `Reminder` (bot.outbox): the
start is part of it, so a talk that moves gets fresh reminders. A member's own reminders
go to a personal target, `PLATFORM:@USER` (bot.chat.ChannelRef.to_user), which the outbox
treats as a channel of its own; what they asked for is kept by storage.requests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.chat import ChannelRef
from bot.models import Channel, Talk
from bot.outbox import Delivery, Reminder

MINUTES_A_DAY = 24 * 60


def personal_target(platform: str, user_id: str) -> str:
    """The outbox channel of one member's own reminders: `slack:@U0123`."""
    ref = ChannelRef.to_user(platform, user_id)
    return f"{ref.platform}:{ref.id}"


def reminders(channel: Channel, talk_id: str, talk: Talk, now: datetime,
              default_zone: str | None = None,
              offsets: tuple[int, ...] | None = None) -> list[Delivery]:
    """The channel's reminders for a talk still ahead (at its offsets, or at `offsets`);
    those already past are not planned (the announcement itself says the talk is soon)."""
    if talk.start is None:
        return []
    zone = channel.timezone or default_zone or talk.timezone or "UTC"
    found = []
    for minutes in channel.offsets() if offsets is None else offsets:
        due = reminder_due(talk.start, minutes, zone)
        if due > now:
            # The start is part of the purpose, so a talk that moves gets fresh reminders.
            found.append(Delivery(channel.id, "talk", talk_id,
                                  Reminder(minutes, talk.start), due))
    return found


def reminder_due(start: datetime, minutes: int, zone: str) -> datetime:
    """When the reminder `minutes` before `start` falls due.

    Whole days are calendar days in `zone` (the channel's): the same wall time that many
    days earlier, which is what "a day before" means to people and what an iCalendar alarm
    of -P1D means, so across a DST change it comes 23 or 25 hours before. A wall time the
    clocks skip is moved on by the gap (02:30 -> 03:30); one they pass twice is taken the
    first time (early rather than late). Other offsets are elapsed time (15 minutes before
    is 15 real minutes before).
    """
    if minutes % MINUTES_A_DAY:
        return start - timedelta(minutes=minutes)
    wall = start.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return wall_instant(wall - timedelta(days=minutes // MINUTES_A_DAY), zone)


def wall_instant(wall: datetime, zone: str) -> datetime:
    """The UTC instant of a naive wall time in `zone`: one the clocks skip is moved on by
    the gap (02:30 -> 03:30), one they pass twice is the first."""
    return wall.replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(UTC)
