"""/seminars upcoming [n], /seminars next, /seminars search <query>."""

from __future__ import annotations

from bot.chat import Invocation, Reply
from bot.commands.context import BotContext
from bot.commands.registry import MAX_RESULTS, CommandSpec, Subcommand, UsageError, count_arg
from bot.models import TALK_CANCELLED, QueryError
from bot.render import render_hit, render_list, render_talk
from bot.topics import parse_query


def seminars_command(ctx: BotContext) -> CommandSpec:
    zone = ctx.settings.timezone

    async def upcoming(invocation: Invocation, args: str) -> Reply:
        count = count_arg(args, "/seminars upcoming 5")
        talks = ctx.store.list_talks(ending_after=ctx.clock.now(), limit=count)
        message = render_list("Upcoming talks", [render_talk(i, t, zone) for i, t in talks],
                              "No upcoming talks are known; sources are polled on their "
                              "schedule.")
        return Reply(message)

    async def next_(invocation: Invocation, args: str) -> Reply:
        talks = [(i, t) for i, t in ctx.store.list_talks(ending_after=ctx.clock.now(),
                                                          limit=MAX_RESULTS)
                 if t.status != TALK_CANCELLED]
        message = render_list("Next talk", [render_talk(i, t, zone) for i, t in talks[:1]],
                              "No upcoming talks are known.")
        return Reply(message)

    async def search(invocation: Invocation, args: str) -> Reply:
        if not args:
            raise UsageError("say what to look for, e.g. /seminars search speaker:hinton")
        try:
            hits = ctx.store.search(parse_query(args), limit=5, kind="talks")
        except QueryError as error:
            raise UsageError(f"cannot search for that: {error}") from error
        return Reply(render_list(f"Talks matching {args}", [render_hit(h) for h in hits],
                                 f"No talks match {args}. Try fewer or broader words."))

    spec = CommandSpec("seminars", "upcoming seminar talks", default="upcoming")
    spec.add(Subcommand("upcoming", "/seminars upcoming [n]", "the next talks, soonest first",
                        upcoming))
    spec.add(Subcommand("next", "/seminars next", "the very next talk", next_))
    spec.add(Subcommand("search", "/seminars search <query>", "search talks", search))
    return spec
