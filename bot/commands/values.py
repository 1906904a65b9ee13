"""What members type for times: IANA zones, reminder offsets (`1d,15m`), digest times
(`09:00`); each parser raises a UsageError that says what to type instead."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.commands.context import BotContext
from bot.commands.declare import UsageError
from bot.render import format_minutes
from bot.timezones import ZoneError, ZoneReading, fold, read_zone

MIN_OFFSET, MAX_OFFSET, MAX_OFFSETS = 1, 14 * 24 * 60, 5  # minutes, minutes, count
# Bounded digits: int() refuses over 4,300, and 6 are past any range checked below.
_OFFSET = re.compile(r"^(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_OFFSETS_EXAMPLE = "/settings reminders 1d,15m (or off, or default)"
RESUME_HINT = "once the bot can post here again, a manager types /settings resume"


def parse_zone(text: str, now: datetime | None = None) -> str:
    """The IANA zone a member means (bot.timezones.read_zone), as the database spells it."""
    return read_zone_or_refuse(text, now or SystemClock().now()).name


def read_zone_or_refuse(text: str, now: datetime) -> ZoneReading:
    """`london`, `UTC+8`, `EST`, `asia/shanghai`: the zone and a note, or a UsageError."""
    try:
        return read_zone(text, now)
    except ZoneError as error:
        raise UsageError(str(error)) from error


def parse_offsets(text: str, example: str = _OFFSETS_EXAMPLE) -> tuple[int, ...] | None:
    """`1d,15m` / `1d 15m` / `1h30m` -> minutes before a talk, largest first; `off` -> ();
    `default` -> None. Each between 1 minute and 14 days, at most 5 after removing repeats.
    A mistake is answered with `example` of what to type."""
    words = [w for w in re.split(r"[,\s]+", fold(text).lower()) if w]
    if words in (["off"], ["none"]):
        return ()
    if words == ["default"]:
        return None
    if not words:
        raise UsageError(f"say when to remind, e.g. {example}")
    minutes = set()
    for word in words:
        match = _OFFSET.match(word)
        if not match:
            raise UsageError(f"{word!r} is not a time before the talk; write days, hours and "
                             f"minutes like 1d, 2h, 1h30m, 15m, e.g. {example}")
        days, hours, mins = (int(g or 0) for g in match.groups())
        total = days * 1440 + hours * 60 + mins
        if not MIN_OFFSET <= total <= MAX_OFFSET:
            raise UsageError(f"{word} is out of range: each reminder must be between 1m and "
                             f"14d before the talk, e.g. {example}")
        minutes.add(total)
    if len(minutes) > MAX_OFFSETS:
        raise UsageError(f"{len(minutes)} reminders is too many; give at most {MAX_OFFSETS}, "
                         f"e.g. {example}")
    return tuple(sorted(minutes, reverse=True))


def parse_digest(text: str) -> str | None:
    """`HH:MM` (24-hour; `9:00` becomes `09:00`) or `off` -> None."""
    text = fold(text).lower()  # `０９：００` is 09:00
    if text in ("off", "none"):
        return None
    match = _CLOCK.match(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise UsageError(f"{text!r} is not a time of day; type e.g. /settings digest 09:00 "
                         "(24-hour) or /settings digest off")
    # int() reads any script's digits (`٠٩:٠٠`); what is stored and shown is ASCII.
    return f"{int(match.group(1)):02d}:{int(match.group(2)):02d}"


def format_offsets(offsets: tuple[int, ...]) -> str:
    return ", ".join(format_minutes(m) for m in offsets) if offsets else "off"


def channel_zone(ctx: BotContext, channel_id: str) -> str:
    """The zone a channel reads times in: its own, else the configured default."""
    channel = ctx.store.get_channel(channel_id)
    zone = channel.timezone if channel is not None else None
    if zone:
        try:
            ZoneInfo(zone)
        except (KeyError, ValueError):
            return ctx.settings.timezone
        return zone
    return ctx.settings.timezone
