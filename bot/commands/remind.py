"""/remind <talk id> [before], /remind list, /remind cancel <talk id>: a member's own
reminders of talks, sent to them directly (the "Remind me" button asks for the default).

Any member may ask; what they ask concerns only them, so every reply is private. The
reminder rows go to the member's personal target (bot.services.personal_reminders), in the
time zone of the channel they asked from; a talk that moves or is cancelled is news to
them too (jobs.planner).
"""

from __future__ import annotations

from bot.chat import Invocation, Message, Reply
from bot.commands.calendar_links import feed_reply
from bot.commands.context import BotContext
from bot.commands.declare import CHOICE, DURATIONS, TALK, Group, Param, UsageError
from bot.commands.registry import channel_key
from bot.commands.values import channel_zone, format_offsets, parse_offsets
from bot.models import TALK_CANCELLED, Talk
from bot.render import format_minutes, when_line
from bot.services import personal_reminders
from storage.calendar_feeds import member_owner
from storage.talks import count_upcoming

DEFAULT_BEFORE = 15  # minutes: what "Remind me" asks for
# Upcoming talks one member may hold reminders of: a term's seminars in several series,
# yet no script can queue a direct message for every talk stored.
MAX_REMINDED_TALKS = 50
TALK_HINT = "/seminars upcoming lists the talks with their ids"
_TALK = dict(description="the talk's id, e.g. talk-0123456789ab (see /seminars upcoming)",
             placeholder="talk id", max_length=100, example="talk-0123456789ab")

remind = Group("remind", "your own reminders of talks, sent to you directly", default="talk")


def target_of(invocation: Invocation) -> str:
    return personal_reminders.personal_target(invocation.channel.platform, invocation.user.id)


def upcoming(ctx: BotContext, talk_id: str) -> Talk:
    found = ctx.store.get_talk(talk_id)
    if found is None:
        raise UsageError(f"there is no talk {talk_id!r}; {TALK_HINT}")
    talk = found[0]
    if talk.status == TALK_CANCELLED:
        raise UsageError(f"{talk.title!r} is cancelled; {TALK_HINT}")
    if talk.start is None:
        raise UsageError(f"{talk.title!r} has no time yet; ask again once it has one")
    if talk.start <= ctx.clock.now():
        raise UsageError(f"{talk.title!r} has already started; {TALK_HINT}")
    return talk


@remind.sub("talk", f"remind me of a talk (default {DEFAULT_BEFORE}m before)", Param(
    "talk", TALK, **_TALK,
    missing=f"say which talk, e.g. /remind talk-0123456789ab 15m; {TALK_HINT}"), Param(
    "before", DURATIONS, "how long before the talk, e.g. 15m, 1h or 1d,15m (default 15m)",
    required=False, placeholder="before, e.g. 15m, 1h or 1d,15m", suggest="before",
    example="1h"), bare=True)
async def ask(ctx: BotContext, invocation: Invocation, talk: str, before: str = "") -> Reply:
    talk_id = talk
    upcoming(ctx, talk)  # refused at once, not after waiting for the lock (read again there)
    offsets = parse_offsets(before, f"/remind {talk_id} 1h") if before else (DEFAULT_BEFORE,)
    if not offsets:
        raise UsageError(f"say how long before, e.g. /remind {talk_id} 1h; to take a "
                         f"reminder back: /remind cancel {talk_id}")
    target = target_of(invocation)
    # In the zone of the channel asked from, which becomes the member's.
    zone = channel_zone(ctx, channel_key(invocation))
    found, planned = await ctx.store.transaction_when_free(
        lambda: _keep(ctx, target, talk_id, offsets, zone))
    skipped = len(offsets) - planned
    late = f" ({skipped} of them already past)" if skipped else ""
    return Reply(Message(
        text=f"I will remind you directly {format_offsets(offsets)} before "
             f"{found.title!r} ({when_line(found, zone)}){late}. "
             f"/remind list shows your reminders; /remind cancel {talk_id} takes it back."),
        ephemeral=True)


def _keep(ctx: BotContext, target: str, talk_id: str, offsets: tuple[int, ...],
          zone: str) -> tuple[Talk, int]:
    """Plan and keep the member's reminders of the talk as it is stored when the write lock
    is had (the reader may have moved or cancelled it meanwhile): the talk and how many
    reminders are ahead."""
    found, now = upcoming(ctx, talk_id), ctx.clock.now()
    _check_room(ctx, target, talk_id, now)
    planned = personal_reminders.plan(target, talk_id, found, zone, offsets, now)
    if not planned:
        soon = format_minutes(max(1, round((found.start - now).total_seconds() / 60)))
        raise UsageError(f"{found.title!r} starts in {soon}, sooner than you asked; "
                         f"ask for less, e.g. /remind {talk_id} 5m")
    personal_reminders.ask(ctx.store, ctx.hooks, target, talk_id, planned, offsets, zone, now)
    return found, len(planned)


def _check_room(ctx: BotContext, target: str, talk_id: str, now) -> None:
    """Refuse a reminder of one more talk past MAX_REMINDED_TALKS upcoming ones (asking
    again for a talk already asked for only changes its times)."""
    asked = ctx.store.reminders_asked_by(target)
    if talk_id in asked:
        return
    held = count_upcoming(ctx.store.db, list(asked), now)
    if held >= MAX_REMINDED_TALKS:
        raise UsageError(f"you have reminders of {held} upcoming talks, the most one member "
                         f"may hold; take one back first (/remind list shows them, /remind "
                         f"cancel <talk id> takes one back)")


@remind.sub("list", "my reminders of upcoming talks")
async def list_reminders(ctx: BotContext, invocation: Invocation) -> Reply:
    now, zone = ctx.clock.now(), channel_zone(ctx, channel_key(invocation))
    lines = []
    for talk_id, offsets in ctx.store.reminders_asked_by(target_of(invocation)).items():
        found = ctx.store.get_talk(talk_id)
        if found is None or found[0].start is None or found[0].start <= now:
            continue
        talk = found[0]
        state = " (cancelled)" if talk.status == TALK_CANCELLED else ""
        lines.append(f"{talk_id}: {talk.title}{state}, {when_line(talk, zone)}; "
                     f"{format_offsets(offsets)} before")
    text = ("Your reminders:\n" + "\n".join(lines) if lines else
            "You have no reminders of upcoming talks. Click Remind me on a talk, or "
            "type /remind <talk id>; " + TALK_HINT + ".")
    return Reply(Message(text=text), ephemeral=True)


@remind.sub("cancel", "take a reminder back", Param(
    "talk", TALK, **_TALK, missing="say which talk, e.g. /remind cancel talk-0123456789ab; "
    "/remind list shows yours"))
async def cancel(ctx: BotContext, invocation: Invocation, talk: str) -> Reply:
    target, now = target_of(invocation), ctx.clock.now()
    if not await ctx.store.transaction_when_free(
            lambda: personal_reminders.take_back(ctx.store, target, talk, now)):
        raise UsageError(f"you have no reminder of {talk!r}; /remind list shows yours")
    return Reply(Message(text=f"Done: no reminder of {talk} for you."), ephemeral=True)


@remind.sub("calendar", "the talks you asked to be reminded of, as your own calendar feed "
            "(reset: a new address)", Param(
                "reset", CHOICE, "reset: a new address, the old one stops working",
                required=False, choices=("reset",), example="reset"))
async def calendar(ctx: BotContext, invocation: Invocation, reset: str | None = None
                   ) -> Reply:
    return await feed_reply(ctx, member_owner(target_of(invocation)),
                            "The talks you asked to be reminded of", rotate=reset == "reset")
