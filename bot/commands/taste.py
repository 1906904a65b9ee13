"""/papers vote, /papers recommend and /papers similar: the channel's taste, in the chat.

A vote is a member's 👍 (more like this) or 👎 (not for us) on a paper, kept per channel;
it is answered privately and never posts to the channel. The channel's model learns from
the votes (jobs.taste) and orders what the channel is shown (bot.taste)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot import relevance
from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.declare import CHOICE, INT, WORD, Param, UsageError
from bot.commands.papers import papers
from bot.commands.registry import channel_key
from bot.models import Paper
from bot.paperids import arxiv_paper_id, find_arxiv_id, split_arxiv_id
from bot.render import render_list, render_paper, with_matched
from bot.taste import Tastes
from storage.votes import DOWN, UP

VOTES = {"up": UP, "down": DOWN}
SHOWN = 5  # papers /papers recommend and /papers similar list
CANDIDATES = 3000  # papers of the window a recommendation or a likeness is chosen from
NO_MODEL = ("This channel's taste is not learned yet: vote 👍/👎 on the papers it is "
            "shown (or /papers vote <id> up), or a manager seeds it with "
            "/subscribe like:arxiv:<id>.")


def paper_id_of(text: str) -> str:
    """A paper id as people paste it: `arxiv:2310.06825`, `arXiv:2310.06825v2`, a bare
    `2310.06825`, an arXiv (or Hugging Face) link; else any stored id as it is."""
    text = text.strip()
    arxiv = split_arxiv_id(text) or find_arxiv_id(text)
    return arxiv_paper_id(arxiv[0]) if arxiv else text


PAPER = Param("id", WORD, "the paper's id, e.g. arxiv:2310.06825", placeholder="paper id",
              example="arxiv:2310.06825",
              missing="say which paper, e.g. /papers vote arxiv:2310.06825 up")


def _stored(ctx: BotContext, text: str) -> Paper:
    text = text.strip("`'\"()[]<>.,;")  # as pasted: in backticks, quotes, a sentence
    found = None if not text or len(text.split()) != 1 else ctx.store.get_paper(
        paper_id_of(text))
    if found is None:
        raise UsageError(f"no paper {text[:60]} is stored here; copy the id from an "
                         "announcement or /papers search")
    return found[0]


@papers.sub("vote", "👍 more like this or 👎 not for us: teaches this channel's taste",
            PAPER, Param("vote", CHOICE, "up (more like this) or down (not for us)",
                         choices=tuple(VOTES), example="up", placeholder="up or down",
                         missing="say up or down, e.g. /papers vote arxiv:2310.06825 up",
                         invalid="{value!r} is not one of up, down; e.g. /papers vote "
                                 "arxiv:2310.06825 up"))
async def vote(ctx: BotContext, invocation: Invocation, id: str, vote: str) -> Reply:
    paper = _stored(ctx, id)
    channel, now = channel_key(invocation), ctx.clock.now()
    tally = await ctx.store.transaction_when_free(lambda: ctx.store.votes.cast(
        channel, paper.id, invocation.user.id, VOTES[vote], now))
    said = "more like" if vote == "up" else "fewer like"
    text = (f"Noted: {said} {paper.title}. Votes here: {tally.up} 👍, {tally.down} 👎. "
            "Only you see this; the channel's order learns from it within minutes.")
    return Reply(Message(text=text), ephemeral=True)


@papers.sub("recommend", "the recent papers this channel's votes say it would like",
            Param("days", INT, "how many days back (1 to 30, default 7)", required=False,
                  min_value=1, max_value=30, example="7"), slow=True)
async def recommend(ctx: BotContext, invocation: Invocation, days: int = 7) -> Reply:
    tastes = Tastes(ctx.store)
    channel = channel_key(invocation)
    model = tastes.model(channel)
    if model is None:
        return Reply(Message(text=NO_MODEL), ephemeral=True)
    voted = set(ctx.store.votes.tally(channel))
    since = ctx.clock.now() - timedelta(days=days)
    recent, window = _recent(ctx, since, f"the last {days} days")
    pool = [p for p in recent if p.id not in voted]
    scores = await asyncio.to_thread(model.scores, pool)  # off the event loop
    best = [p for _, p in sorted(zip(scores, pool, strict=True), key=lambda s: -s[0])][:SHOWN]
    items = [with_matched(render_paper(p), tastes.why(channel, p), recommended=True)
             for p in best]
    return Reply(render_list(f"Recommended from {window}",
                             items, f"No new papers in the last {days} days."), ephemeral=True)


@papers.sub("similar", "papers most like the given one (by their words and authors)", PAPER,
            slow=True)
async def similar(ctx: BotContext, invocation: Invocation, id: str) -> Reply:
    paper = _stored(ctx, id)
    recent, window = _recent(ctx, ctx.clock.now() - timedelta(days=365), "the last year")
    pool = [p for p in recent if p.id != paper.id]
    # scikit-learn's work, off the event loop (numpy and scipy let go of the GIL)
    near = dict(await asyncio.to_thread(relevance.similar, pool, paper, SHOWN))
    best = [p for p in pool if p.id in near]
    best.sort(key=lambda p: -near[p.id])
    heading = f"Papers like {paper.title}, from {window}"
    return Reply(render_list(heading, [render_paper(p) for p in best],
                             "No other papers are stored yet."), ephemeral=True)


def _recent(ctx: BotContext, since, window: str) -> tuple[list[Paper], str]:
    """The window's newest CANDIDATES papers (read on the event loop, so bounded), and
    what they are: the window, or its newest papers when it holds more."""
    read = ctx.store.votes.recent_papers(since, CANDIDATES)
    said = f"the newest {CANDIDATES:,} papers of {window}" if len(read) >= CANDIDATES \
        else window
    return [p for p in read if not p.is_replacement], said
