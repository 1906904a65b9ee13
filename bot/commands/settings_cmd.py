"""/settings: a channel's time zone, reminder offsets and digest time; and their parsers."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.registry import CommandSpec, Subcommand, UsageError, channel_key, who
from bot.models import DEFAULT_REMINDERS, Channel
from bot.render import format_minutes

MIN_OFFSET, MAX_OFFSET, MAX_OFFSETS = 1, 14 * 24 * 60, 5  # minutes, minutes, count
_OFFSET = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_OFFSETS_EXAMPLE = "/settings reminders 1d,15m (or off, or default)"
RESUME_HINT = "once the bot can post here again, a manager types /settings resume"


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def parse_zone(text: str) -> str:
    """An IANA zone name, spelled as the database spells it (`europe/london` is accepted)."""
    name = _zones().get(text.strip().lower())
    if name is None:
        close = difflib.get_close_matches(text.strip(), _zones().values(), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise UsageError(f"{text.strip()!r} is not an IANA time zone; {hint}type e.g. "
                         "/settings timezone Europe/London")
    return name


def parse_offsets(text: str, example: str = _OFFSETS_EXAMPLE) -> tuple[int, ...] | None:
    """`1d,15m` / `1d 15m` / `1h30m` -> minutes before a talk, largest first; `off` -> ();
    `default` -> None. Each between 1 minute and 14 days, at most 5 after removing repeats.
    A mistake is answered with `example` of what to type."""
    words = [w for w in re.split(r"[,\s]+", text.strip().lower()) if w]
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
    text = text.strip().lower()
    if text in ("off", "none"):
        return None
    match = _CLOCK.match(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise UsageError(f"{text!r} is not a time of day; type e.g. /settings digest 09:00 "
                         "(24-hour) or /settings digest off")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def format_offsets(offsets: tuple[int, ...]) -> str:
    return ", ".join(format_minutes(m) for m in offsets) if offsets else "off"


def describe_settings(channel: Channel, default_zone: str) -> list[tuple[str, str]]:
    """(name, value) pairs of a channel's settings, defaults marked."""
    zone = channel.timezone or default_zone
    zone_text = zone if channel.timezone else f"{zone} (default)"
    offsets = channel.offsets()
    reminders = (f"{format_offsets(offsets)} before each talk" if offsets
                 else "off: no reminders")
    if channel.reminder_offsets is None:
        reminders += " (default)"
    digest = (f"{channel.digest_time} {zone}, one message a day" if channel.digest_time
              else "off: each match is posted as it arrives")
    fields = [("Time zone", zone_text), ("Reminders", reminders), ("Digest", digest)]
    if channel.paused_reason:
        fields.append(("Posting", f"paused: {channel.paused_reason}; {RESUME_HINT}"))
    return fields


def settings_command(ctx: BotContext) -> CommandSpec:
    def channel_of(invocation: Invocation) -> Channel:
        return ctx.store.ensure_channel(channel_key(invocation), ctx.clock.now())

    async def show(invocation: Invocation, args: str) -> Reply:
        if args.strip() and args.strip().lower() != "show":
            raise UsageError(f"there is no setting {args.split()[0]!r}; type /settings "
                             "timezone, /settings reminders or /settings digest")
        channel = ctx.store.get_channel(channel_key(invocation)) or Channel(
            channel_key(invocation))
        fields = describe_settings(channel, ctx.settings.timezone)
        lines = ["Settings of this channel"] + [f"• {k.lower()}: {v}" for k, v in fields]
        lines.append("Managers change them with /settings timezone|reminders|digest.")
        return Reply(Message(text="\n".join(lines), title="Settings", fields=fields))

    def changed(invocation: Invocation, what: str) -> Reply:
        channel = channel_of(invocation)
        fields = describe_settings(channel, ctx.settings.timezone)
        value = dict(fields)[what]
        text = f"{what} for this channel set by {who(invocation)}: {value}"
        return Reply(Message(text=text, title="Settings changed", fields=fields),
                     ephemeral=False)

    async def timezone(invocation: Invocation, args: str) -> Reply:
        if not args.strip():
            raise UsageError("say which zone, e.g. /settings timezone Europe/London "
                             "(or default)")
        zone = None if args.strip().lower() == "default" else parse_zone(args)
        channel = channel_of(invocation).id
        ctx.store.update_channel(channel, timezone=zone)
        return changed(invocation, "Time zone")

    async def reminders(invocation: Invocation, args: str) -> Reply:
        offsets = parse_offsets(args)
        ctx.store.update_channel(channel_of(invocation).id, reminder_offsets=offsets)
        ctx.hooks.reminders_changed(channel_of(invocation).id)
        return changed(invocation, "Reminders")

    async def digest(invocation: Invocation, args: str) -> Reply:
        if not args.strip():
            raise UsageError("say when, e.g. /settings digest 09:00 or /settings digest off")
        ctx.store.update_channel(channel_of(invocation).id, digest_time=parse_digest(args))
        return changed(invocation, "Digest")

    async def resume(invocation: Invocation, args: str) -> Reply:
        key = channel_key(invocation)
        channel = ctx.store.get_channel(key)
        if channel is None or not channel.paused_reason:
            raise UsageError("posting to this channel is not paused; nothing to resume")
        ctx.store.update_channel(key, paused_reason=None, now=ctx.clock.now())
        text = (f"Posting to this channel resumed by {who(invocation)} (it was paused: "
                f"{channel.paused_reason}). What waited meanwhile is sent now; reminders "
                "for talks that already started are skipped.")
        return Reply(Message(text=text, title="Posting resumed"), ephemeral=False)

    spec = CommandSpec("settings", "this channel's time zone, reminders and digest",
                       default="show")
    spec.add(Subcommand("show", "/settings", "this channel's settings", show))
    spec.add(Subcommand("timezone", "/settings timezone <IANA zone>",
                        "the zone talk times are shown in", timezone, manager_only=True))
    spec.add(Subcommand("reminders", "/settings reminders <offsets, e.g. 1d,15m, or off>",
                        "when to remind before each talk (off: never; default: "
                        f"{format_offsets(DEFAULT_REMINDERS)})", reminders,
                        manager_only=True))
    spec.add(Subcommand("digest", "/settings digest <HH:MM or off>",
                        "one daily digest at that local time (off: post each match as it "
                        "arrives)", digest, manager_only=True))
    spec.add(Subcommand("resume", "/settings resume", "post here again after the bot was "
                        "removed or lost access (fix that first)", resume, manager_only=True))
    return spec


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
