"""/subscribe, /unsubscribe and /subscriptions: the topic queries a channel follows."""

from __future__ import annotations

from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.declare import CHOICE, QUERY, SUBSCRIPTION, Group, Param, UsageError
from bot.commands.recommended import taste_subscription
from bot.commands.registry import channel_key, who
from bot.commands.values import RESUME_HINT
from bot.matching import compile_topic
from bot.models import (
    KINDS_ALL,
    KINDS_PAPERS,
    KINDS_TALKS,
    And,
    Not,
    Or,
    Query,
    QueryError,
    Subscription,
    Term,
)
from bot.topics import check_fields, parse_query

KIND_WORDS = {KINDS_ALL: "papers and talks", KINDS_PAPERS: "papers", KINDS_TALKS: "talks"}
_FIELD_WORDS = {"author": "by", "cat": "in category", "speaker": "speaker", "series": "series",
                "source": "from source", "title": "title has"}


def describe(query: Query) -> str:
    """A query in words: `diffusion -video` -> `diffusion and not video`."""
    if isinstance(query, Term):
        text = f'"{query.text}"' if query.phrase else query.text
        return f"{_FIELD_WORDS.get(query.field, query.field)} {text}" if query.field else text
    if isinstance(query, Not):
        return "not " + _grouped(query.child)
    joiner = " and " if isinstance(query, And) else " or "
    return joiner.join(_grouped(child) for child in query.children)


def _grouped(query: Query) -> str:
    return f"({describe(query)})" if isinstance(query, And | Or) else describe(query)


def subscription_line(sub: Subscription, paused: str | None) -> str:
    line = f"• {sub.id} · {KIND_WORDS.get(sub.kinds, sub.kinds)} · {sub.query}"
    return line + (f" (paused: {paused})" if paused else "")


subscribe = Group("subscribe", "follow a topic in this channel", default=KINDS_ALL,
                  choice=Param("kinds", CHOICE, f"which items (default {KINDS_ALL})",
                               required=False))
unsubscribe = Group("unsubscribe", "stop following a topic", default="remove")
subscriptions = Group("subscriptions", "the topics this channel follows", default="list")


def _topic(path: str, placeholder: str, example: str) -> Param:
    return Param("query", QUERY, "a topic (diffusion -video, speaker:hinton); recommended "
                 "[per-day N|off]; like:arxiv:<id>", placeholder=placeholder, suggest="series",
                 example=example, missing=f"say what to follow, e.g. {path} {example}")


async def _follow(ctx: BotContext, invocation: Invocation, query: str, kinds: str) -> Reply:
    text = " ".join(query.split())
    try:
        parsed = parse_query(text)
        check_fields(parsed, kinds)
        compile_topic(parsed)  # refuse now what matching would refuse for ever
    except QueryError as error:
        raise UsageError(f"cannot follow that: {error}") from error
    channel, now = channel_key(invocation), ctx.clock.now()

    def add() -> tuple[Subscription, int | None]:
        """The subscription and how many upcoming talks it planned; None: known already
        (read where it is added: two clicks waiting for the lock add one)."""
        for known in ctx.store.list_subscriptions(channel):
            if known.query == text and known.kinds == kinds:
                return known, None
        sub = ctx.store.add_subscription(channel, text, kinds, invocation.user.id, now)
        return sub, ctx.hooks.subscription_added(sub)

    sub, upcoming = await ctx.store.transaction_when_free(add)
    if upcoming is None:
        return Reply(Message(text=f"This channel already follows that: "
                                  f"subscription {sub.id}."))
    return Reply(_subscribed(sub, parsed, who(invocation), ctx, channel, upcoming),
                 ephemeral=False)


@subscribe.sub(KINDS_ALL, "announce new papers and talks that match",
               _topic("/subscribe", "topic query", "diffusion -video"), manager_only=True,
               bare=True, slow=True)  # (slow: `like:` may fetch examples from arXiv)
async def follow_all(ctx: BotContext, invocation: Invocation, query: str) -> Reply:
    taste = await taste_subscription(ctx, invocation, query)
    return taste or await _follow(ctx, invocation, query, KINDS_ALL)


@subscribe.sub(KINDS_PAPERS, "announce new papers that match",
               _topic("/subscribe papers", "query", "cat:cs.LG pruning"), manager_only=True)
async def follow_papers(ctx: BotContext, invocation: Invocation, query: str) -> Reply:
    return await _follow(ctx, invocation, query, KINDS_PAPERS)


@subscribe.sub(KINDS_TALKS, "announce new talks that match",
               _topic("/subscribe talks", "query", "series:colloquium"), manager_only=True)
async def follow_talks(ctx: BotContext, invocation: Invocation, query: str) -> Reply:
    return await _follow(ctx, invocation, query, KINDS_TALKS)


def _subscribed(sub: Subscription, query: Query, by: str, ctx: BotContext,
                channel: str, upcoming: int) -> Message:
    kinds = KIND_WORDS[sub.kinds]
    lines = [f"Subscription {sub.id} added by {by}: new {kinds} matching {sub.query}",
             f"matches: {describe(query)}", _backlog_line(sub, upcoming)]
    state = ctx.store.get_channel(channel)
    if state is not None and state.paused_reason:
        lines.append(f"Note: posting to this channel is paused: {state.paused_reason}; "
                     f"{RESUME_HINT}")
    return Message(text="\n".join(lines), title=f"Subscription {sub.id}",
                   fields=[("Matches", describe(query)), ("Kinds", kinds)],
                   context=f"added by {by}")


def _backlog_line(sub: Subscription, upcoming: int) -> str:
    """What the channel will hear of what lectern already knows: upcoming talks, yes
    (with reminders); papers, no (old news)."""
    stop = f"/unsubscribe {sub.id} stops it."
    if sub.kinds == KINDS_PAPERS:
        return f"Only papers lectern first sees from now on are announced. {stop}"
    talks = ("no upcoming talk matches yet" if not upcoming else
             "1 upcoming talk matches: it follows, with reminders" if upcoming == 1 else
             f"{upcoming} upcoming talks match: they follow in one list, with reminders")
    papers = "; papers only from now on" if sub.kinds == KINDS_ALL else ""
    return f"{talks[0].upper()}{talks[1:]}{papers}. {stop}"


@unsubscribe.sub("remove", "stop a subscription of this channel", Param(
    "id", SUBSCRIPTION, "the subscription's id (see /subscriptions)", min_value=1,
    example="3", missing="say which subscription to stop, e.g. /unsubscribe 3; "
    "/subscriptions lists them", invalid="{value!r} is not a subscription number; type e.g. "
    "/unsubscribe 3 (/subscriptions lists them)"), manager_only=True, bare=True,
    extra="give one subscription number, e.g. /unsubscribe 3 (/subscriptions lists them)")
async def stop(ctx: BotContext, invocation: Invocation, id: int) -> Reply:
    channel = channel_key(invocation)

    def remove() -> Subscription | None:
        found = [s for s in ctx.store.list_subscriptions(channel) if s.id == id]
        return found[0] if found and ctx.store.remove_subscription(channel, id) else None

    sub = await ctx.store.transaction_when_free(remove)
    if sub is None:
        raise UsageError(f"there is no subscription {id} in this channel; "
                         "/subscriptions lists them")
    return Reply(Message(text=f"Subscription {sub.id} ({KIND_WORDS.get(sub.kinds)} "
                              f"matching {sub.query}) stopped by {who(invocation)}."),
                 ephemeral=False)


@subscriptions.sub("list", "every subscription of this channel", bare=True)
async def list_subscriptions(ctx: BotContext, invocation: Invocation) -> Reply:
    channel = channel_key(invocation)
    subs = ctx.store.list_subscriptions(channel)
    if not subs:
        return Reply(Message(text="This channel follows no topics yet; a manager can "
                                  "add one, e.g. /subscribe diffusion -video"))
    state = ctx.store.get_channel(channel)
    paused = state.paused_reason if state is not None else None
    lines = ["Subscriptions of this channel (id · kinds · query)"]
    lines += [subscription_line(sub, paused) for sub in subs]
    return Reply(Message(text="\n".join(lines), title="Subscriptions"))
