"""/papers search <query> and /papers latest [n]."""

from __future__ import annotations

from bot.chat import Invocation, Reply
from bot.commands.context import BotContext
from bot.commands.declare import INT, QUERY, Group, Param, UsageError
from bot.commands.registry import MAX_RESULTS
from bot.models import QueryError
from bot.render import render_hit, render_list, render_paper
from bot.topics import check_fields, parse_query, split_sort

papers = Group("papers", "search and list papers")
COUNT = Param("n", INT, f"how many (1 to {MAX_RESULTS})", required=False, min_value=1,
              max_value=MAX_RESULTS, example="5")


@papers.sub("search", "full-text search over papers", Param(
    "query", QUERY, "what to look for, e.g. diffusion -video, author:hinton; sort:new for "
    "the newest matches first", example="diffusion -video",
    missing="say what to look for, e.g. /papers search diffusion -video"), slow=True)
async def search(ctx: BotContext, invocation: Invocation, query: str) -> Reply:
    try:
        words, sort = split_sort(query)
        parsed = parse_query(words)
        check_fields(parsed, "papers")
        hits = ctx.store.search(parsed, limit=5, sort=sort)
    except QueryError as error:
        raise UsageError(f"cannot search for that: {error}") from error
    title = f"Papers matching {words}" + (", newest first" if sort == "new" else "")
    message = render_list(title, [render_hit(h) for h in hits],
                          f"No papers match {words} yet. Try fewer or broader words.")
    return Reply(message, ephemeral=True)


@papers.sub("latest", "the newest papers", COUNT)
async def latest(ctx: BotContext, invocation: Invocation, n: int = 5) -> Reply:
    message = render_list("Latest papers", [render_paper(p) for p in
                                            ctx.store.latest_papers(n)],
                          "No papers stored yet; sources are polled on their schedule.")
    return Reply(message, ephemeral=True)
