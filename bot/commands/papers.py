"""/papers search <query> and /papers latest [n]."""

from __future__ import annotations

from bot.chat import Invocation, Reply
from bot.commands.context import BotContext
from bot.commands.registry import CommandSpec, Subcommand, UsageError, count_arg
from bot.models import QueryError
from bot.render import render_hit, render_list, render_paper
from bot.topics import parse_query


def papers_command(ctx: BotContext) -> CommandSpec:
    async def search(invocation: Invocation, args: str) -> Reply:
        if not args:
            raise UsageError("say what to look for, e.g. /papers search diffusion -video")
        try:
            hits = ctx.store.search(parse_query(args), limit=5)
        except QueryError as error:
            raise UsageError(f"cannot search for that: {error}") from error
        message = render_list(f"Papers matching {args}", [render_hit(h) for h in hits],
                              f"No papers match {args} yet. Try fewer or broader words.")
        return Reply(message, ephemeral=True)

    async def latest(invocation: Invocation, args: str) -> Reply:
        papers = ctx.store.latest_papers(count_arg(args, "/papers latest 5"))
        message = render_list("Latest papers", [render_paper(p) for p in papers],
                              "No papers stored yet; sources are polled on their schedule.")
        return Reply(message, ephemeral=True)

    spec = CommandSpec("papers", "search and list papers")
    spec.add(Subcommand("search", "/papers search <query>", "full-text search over papers",
                        search))
    spec.add(Subcommand("latest", "/papers latest [n]", "the newest papers", latest))
    return spec
