"""/remind <talk id> [before], /remind list, /remind cancel <talk id>: a member's own
reminders of talks, sent to them directly (the "Remind me" button asks for the default).

Any member may ask; what they ask concerns only them, so every reply is private. The
reminder rows go to the member's personal target (bot.reminders), in the time zone of the
channel they asked from; a talk that moves or is cancelled is news to them too
(jobs.planner).
"""

from __future__ import annotations

from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.registry import CommandSpec, Subcommand, UsageError, channel_key
from bot.commands.settings_cmd import channel_zone, format_offsets, parse_offsets
from bot.models import TALK_CANCELLED, Channel, Talk
from bot.outbox import Reminder
from bot.reminders import personal_target, reminders
from bot.render import format_minutes, when_line
from storage.deliveries import REMINDERS_CHANGED, TAKEN_BACK

DEFAULT_BEFORE = 15  # minutes: what "Remind me" asks for
TALK_HINT = "/seminars upcoming lists the talks with their ids"


def remind_command(ctx: BotContext) -> CommandSpec:
    def target_of(invocation: Invocation) -> str:
        return personal_target(invocation.channel.platform, invocation.user.id)

    def upcoming(talk_id: str) -> Talk:
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

    async def ask(invocation: Invocation, args: str) -> Reply:
        talk_id, _, before = args.strip().partition(" ")
        if not talk_id:
            raise UsageError(f"say which talk, e.g. /remind talk-0123456789ab 15m; {TALK_HINT}")
        talk = upcoming(talk_id)
        offsets = (parse_offsets(before, f"/remind {talk_id} 1h") if before.strip()
                   else (DEFAULT_BEFORE,))
        if not offsets:
            raise UsageError(f"say how long before, e.g. /remind {talk_id} 1h; to take a "
                             f"reminder back: /remind cancel {talk_id}")
        now, target = ctx.clock.now(), target_of(invocation)
        zone = channel_zone(ctx, channel_key(invocation))
        ctx.store.ensure_channel(target, now)
        # In the zone of the channel asked from, which becomes the member's (below).
        planned = reminders(Channel(target, timezone=zone), talk_id, talk, now, zone, offsets)
        if not planned:
            soon = format_minutes(max(1, round((talk.start - now).total_seconds() / 60)))
            raise UsageError(f"{talk.title!r} starts in {soon}, sooner than you asked; "
                             f"ask for less, e.g. /remind {talk_id} 5m")
        with ctx.store.transaction():
            # Asking again replaces what was asked; asking at all un-pauses a member whose
            # direct messages once failed (they may have opened them since).
            ctx.store.update_channel(target, timezone=zone, paused_reason=None)
            ctx.store.skip_pending(target, "talk", talk_id, Reminder, REMINDERS_CHANGED, now)
            ctx.store.ask_reminder(target, talk_id, offsets, now)
            ctx.store.plan_deliveries(planned, now)
        ctx.hooks.deliveries_planned()
        skipped = len(offsets) - len(planned)
        late = f" ({skipped} of them already past)" if skipped else ""
        return Reply(Message(
            text=f"I will remind you directly {format_offsets(offsets)} before "
                 f"{talk.title!r} ({when_line(talk, zone)}){late}. "
                 f"/remind list shows your reminders; /remind cancel {talk_id} takes it back."),
            ephemeral=True)

    async def list_(invocation: Invocation, args: str) -> Reply:
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

    async def cancel(invocation: Invocation, args: str) -> Reply:
        talk_id = args.strip()
        if not talk_id:
            raise UsageError("say which talk, e.g. /remind cancel talk-0123456789ab; "
                             "/remind list shows yours")
        target = target_of(invocation)
        with ctx.store.transaction():
            asked = ctx.store.drop_reminder(target, talk_id)
            if asked:
                ctx.store.skip_pending(target, "talk", talk_id, None, TAKEN_BACK,
                                       ctx.clock.now())
        if not asked:
            raise UsageError(f"you have no reminder of {talk_id!r}; /remind list shows yours")
        return Reply(Message(text=f"Done: no reminder of {talk_id} for you."), ephemeral=True)

    spec = CommandSpec("remind", "your own reminders of talks, sent to you directly",
                       default="talk")
    spec.add(Subcommand("talk", "/remind <talk id> [before, e.g. 15m, 1h or 1d,15m]",
                        f"remind me of a talk (default {DEFAULT_BEFORE}m before)", ask))
    spec.add(Subcommand("list", "/remind list", "my reminders of upcoming talks", list_))
    spec.add(Subcommand("cancel", "/remind cancel <talk id>", "take a reminder back",
                        cancel))
    return spec
