"""/subscribe recommended [per-day N|off] and /subscribe like: the papers a
channel's taste model adds to its keyword matches, and seeding that model with examples."""

from __future__ import annotations

from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.declare import UsageError
from bot.commands.registry import channel_key, who
from bot.paperids import arxiv_paper_id, split_arxiv_id
from storage.votes import UP

DEFAULT_PER_DAY, MAX_PER_DAY = 3, 20
MAX_SEEDS = 20


def per_day_of(text: str) -> int | None:
    """`per-day 5`, `5`, nothing (the default) or `off` (None)."""
    words = text.lower().replace("per-day", " ").replace("per_day", " ").split()
    if not words:
        return DEFAULT_PER_DAY
    if words == ["off"]:
        return None
    if len(words) == 1 and words[0].isdecimal() and len(words[0]) <= 3 \
            and 1 <= int(words[0]) <= MAX_PER_DAY:
        return int(words[0])
    raise UsageError(f"say how many a day, 1 to {MAX_PER_DAY}, e.g. "
                     "/subscribe recommended per-day 3 (or off)")


async def taste_subscription(ctx: BotContext, invocation: Invocation,
                             query: str) -> Reply | None:
    """`/subscribe recommended …` and `/subscribe like:…` are the channel's taste, not a
    topic; None for a topic (`recommended systems` is one)."""
    words = query.split()
    if words and all(w.lower().startswith("like:") for w in words):
        return await like(ctx, invocation, query)
    if words and words[0].lower() == "recommended":
        rest = " ".join(words[1:]).lower()
        if not rest or rest == "off" or rest.startswith("per-day") or rest.isdigit():
            return await recommended(ctx, invocation, per_day_of(rest))
    return None


async def recommended(ctx: BotContext, invocation: Invocation, count: int | None) -> Reply:
    """`/subscribe recommended [per-day N|off]`."""
    channel, now = channel_key(invocation), ctx.clock.now()

    def work() -> None:
        ctx.store.ensure_channel(channel, now)
        ctx.store.update_channel(channel, recommend_per_day=count)

    await ctx.store.transaction_when_free(work)  # its lock awaited in the loop: storage.db
    if count is None:
        return Reply(Message(text=f"Recommendations stopped by {who(invocation)}; the votes "
                                  "are kept and still order digests and lists."),
                     ephemeral=False)
    stored = ctx.store.votes.model(channel)
    learned = stored is not None and bool(stored.blob)  # an empty one: too little yet
    start = ("They start once lectern has a few papers to learn from: the ones this "
             "channel's topics bring (it learns once a day) or members' votes (👍/👎 under "
             "each)." if not learned else "They start with the next papers.")
    return Reply(Message(text=f"Recommendations on, set by {who(invocation)}: up to {count} "
                              f"papers a day beyond the keyword matches, each saying which "
                              f"liked paper it is like. {start} /subscribe recommended off "
                              "stops them."), ephemeral=False)


async def like(ctx: BotContext, invocation: Invocation, papers: str) -> Reply:
    """`/subscribe like:arxiv:2310.06825 like:…`: example papers the channel likes."""
    words = [w[len("like:"):] if w.lower().startswith("like:") else w
             for w in papers.replace(",", " ").split()]
    if len(words) > MAX_SEEDS:
        raise UsageError(f"give at most {MAX_SEEDS} papers at a time")
    found = [split_arxiv_id(w[len("arxiv:"):] if w.lower().startswith("arxiv:") else w)
             for w in words]
    if None in found:
        bad = words[found.index(None)]
        raise UsageError(f"{bad[:40]!r} is not an arXiv id; give ids like 2310.06825")
    ids = list(dict.fromkeys(arxiv_paper_id(arxiv[0]) for arxiv in found if arxiv))
    missing = [i for i in ids if ctx.store.get_paper(i) is None]
    if missing:
        await ctx.hooks.fetch_papers(missing)
    stored = [i for i in ids if ctx.store.get_paper(i) is not None]
    channel, now = channel_key(invocation), ctx.clock.now()

    def work() -> None:
        ctx.store.ensure_channel(channel, now)
        for paper_id in stored:
            ctx.store.votes.cast(channel, paper_id, invocation.user.id, UP, now)

    await ctx.store.transaction_when_free(work)
    lost = [i.removeprefix("arxiv:") for i in ids if i not in stored]
    text = (f"{len(stored)} example paper{'s' * (len(stored) != 1)} liked for this channel "
            f"by {who(invocation)}; its taste learns from them within minutes.")
    if lost:
        text += f" Not found on arXiv: {', '.join(lost[:5])}."
    return Reply(Message(text=text), ephemeral=not stored)
