"""/settings: a channel's time zone, reminder offsets and digest time (the values are read
by bot.commands.values), and resuming a channel whose posting was paused."""

from __future__ import annotations

from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.declare import CHOICE, CLOCK, DURATIONS, INT, ZONE, Group, Param, UsageError
from bot.commands.registry import channel_key, who
from bot.commands.values import (
    RESUME_HINT,
    format_offsets,
    parse_digest,
    parse_offsets,
    read_zone_or_refuse,
)
from bot.models import DEFAULT_REMINDERS, Channel
from bot.taste import DEFAULT_SIZE, MAX_SIZE

settings = Group("settings", "this channel's time zone, reminders and digest",
                 default="show")


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
    fields = [("Time zone", zone_text), ("Reminders", reminders), ("Digest", digest),
              ("Digest size", f"{channel.digest_size} papers a list" if channel.digest_size
               else f"{DEFAULT_SIZE} papers a list (default)"),
              ("Recommended", f"up to {channel.recommend_per_day} a day"
               if channel.recommend_per_day else "off")]
    if channel.paused_reason:
        fields.append(("Posting", f"paused: {channel.paused_reason}; {RESUME_HINT}"))
    return fields


async def set_channel(ctx: BotContext, invocation: Invocation, *, replan: bool = False,
                      **values) -> None:
    """Change the channel's settings (made on first use) in one transaction whose write
    lock is awaited in the loop (the reader child may hold it: storage.db); `replan`: its
    pending reminders are planned again in the same transaction."""
    channel, now = channel_key(invocation), ctx.clock.now()

    def work() -> None:
        ctx.store.ensure_channel(channel, now)
        ctx.store.update_channel(channel, **values)
        if replan:
            ctx.hooks.reminders_changed(channel)

    await ctx.store.transaction_when_free(work)


def changed(ctx: BotContext, invocation: Invocation, what: str) -> Reply:
    key = channel_key(invocation)
    fields = describe_settings(ctx.store.get_channel(key) or Channel(key),
                               ctx.settings.timezone)
    text = f"{what} for this channel set by {who(invocation)}: {dict(fields)[what]}"
    return Reply(Message(text=text, title="Settings changed", fields=fields),
                 ephemeral=False)


@settings.sub("show", "this channel's settings", bare=True,
              extra="there is no setting {word!r}; type /settings timezone, /settings "
                    "reminders or /settings digest (also digest-size, discord-events, "
                    "resume; recommendations are /subscribe recommended)")
async def show(ctx: BotContext, invocation: Invocation) -> Reply:
    channel = ctx.store.get_channel(channel_key(invocation)) or Channel(
        channel_key(invocation))
    fields = describe_settings(channel, ctx.settings.timezone)
    lines = ["Settings of this channel"] + [f"• {k.lower()}: {v}" for k, v in fields]
    lines.append("Managers change them with /settings timezone|reminders|digest.")
    return Reply(Message(text="\n".join(lines), title="Settings", fields=fields))


@settings.sub("timezone", "the zone talk times are shown in", Param(
    "zone", ZONE, "a time zone: Europe/London, a city (london), UTC+8, or default",
    placeholder="time zone", example="Europe/London",
    missing="say which zone, e.g. /settings timezone Europe/London (or default)"),
    manager_only=True)
async def timezone(ctx: BotContext, invocation: Invocation, zone: str) -> Reply:
    reading = (None if zone.strip().lower() == "default"
               else read_zone_or_refuse(zone, ctx.clock.now()))
    # replanned: day offsets keep the new zone's wall time
    await set_channel(ctx, invocation, replan=True, timezone=reading.name if reading else None)
    reply = changed(ctx, invocation, "Time zone")
    if reading is not None and reading.note:
        reply.message.text += f"\nNote: {reading.note}."
    return reply


@settings.sub("reminders", "when to remind before each talk (off: never; default: "
              f"{format_offsets(DEFAULT_REMINDERS)})", Param(
    "offsets", DURATIONS, "when to remind before a talk, e.g. 1d,15m; off; default",
    placeholder="offsets, e.g. 1d,15m, or off", suggest="offsets", example="1d,15m",
    missing="say when to remind, e.g. /settings reminders 1d,15m (or off, or default)"),
    manager_only=True)
async def reminders(ctx: BotContext, invocation: Invocation, offsets: str) -> Reply:
    await set_channel(ctx, invocation, replan=True, reminder_offsets=parse_offsets(offsets))
    return changed(ctx, invocation, "Reminders")


@settings.sub("digest", "one daily digest at that local time (off: post each match as it "
              "arrives)", Param(
    "time", CLOCK, "local time of the daily digest, e.g. 09:00; off",
    placeholder="HH:MM or off", suggest="digest", example="09:00",
    missing="say when, e.g. /settings digest 09:00 or /settings digest off"),
    manager_only=True)
async def digest(ctx: BotContext, invocation: Invocation, time: str) -> Reply:
    await set_channel(ctx, invocation, digest_time=parse_digest(time))
    return changed(ctx, invocation, "Digest")


@settings.sub("digest-size", "how many papers a digest or list shows, most interesting first "
              f"(default {DEFAULT_SIZE})", Param(
    "n", INT, f"papers a list shows (1 to {MAX_SIZE})", min_value=1, max_value=MAX_SIZE,
    example="10", missing="say how many, e.g. /settings digest-size 10"), manager_only=True)
async def digest_size(ctx: BotContext, invocation: Invocation, n: int) -> Reply:
    await set_channel(ctx, invocation, digest_size=n)
    return changed(ctx, invocation, "Digest size")


@settings.sub("discord-events", "Discord: the talks announced in this server also in its "
              "Events list", Param(
    "state", CHOICE, "on: announced talks become the server's events; off: no new ones",
    choices=("on", "off"), example="on", placeholder="on or off",
    missing="say on or off, e.g. /settings discord-events on"), manager_only=True)
async def discord_events(ctx: BotContext, invocation: Invocation, state: str) -> Reply:
    if invocation.channel.platform != "discord":
        raise UsageError("events are a Discord server's: type this in a channel of the "
                         "Discord server")
    key, now = channel_key(invocation), ctx.clock.now()
    await ctx.store.transaction_when_free(lambda: ctx.store.events.decide(key, state == "on",
                                                                          now))
    ctx.hooks.deliveries_planned()  # the dispatcher reconciles the server's events now
    if state == "on":
        text = (f"Discord events on for this server, set by {who(invocation)}: each talk "
                "announced in its channels (and each upcoming one already announced) shows "
                "in the server's Events, moved and cancelled with the talk. lectern needs "
                "the Manage Events permission; without it, this channel is told once.")
    else:
        text = (f"Discord events off for this server, set by {who(invocation)}: lectern "
                "adds no new events; those it made stay and follow their talks.")
    return Reply(Message(text=text, title="Settings changed"), ephemeral=False)


@settings.sub("resume", "post here again after the bot was removed or lost access (fix "
              "that first)", manager_only=True)
async def resume(ctx: BotContext, invocation: Invocation) -> Reply:
    key, now = channel_key(invocation), ctx.clock.now()

    def work() -> str:  # the pause read where it is lifted: a send may pause it meanwhile
        channel = ctx.store.get_channel(key)
        if channel is None or not channel.paused_reason:
            raise UsageError("posting to this channel is not paused; nothing to resume")
        ctx.store.update_channel(key, paused_reason=None, now=now)
        return channel.paused_reason

    paused = await ctx.store.transaction_when_free(work)
    text = (f"Posting to this channel resumed by {who(invocation)} (it was paused: "
            f"{paused}). What waited meanwhile is sent now; reminders "
            "for talks that already started are skipped.")
    return Reply(Message(text=text, title="Posting resumed"), ephemeral=False)
