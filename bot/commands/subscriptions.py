"""/subscribe, /unsubscribe and /subscriptions: the topic queries a channel follows."""

from __future__ import annotations

from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.registry import CommandSpec, Subcommand, UsageError, channel_key, who
from bot.commands.settings_cmd import RESUME_HINT
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
from bot.topics import parse_query

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


def subscribe_command(ctx: BotContext) -> CommandSpec:
    def subscriber(kinds: str, example: str):
        async def subscribe(invocation: Invocation, args: str) -> Reply:
            text = " ".join(args.split())
            if not text:
                raise UsageError(f"say what to follow, e.g. {example}")
            try:
                query = parse_query(text)
                compile_topic(query)  # refuse now what matching would refuse for ever
            except QueryError as error:
                raise UsageError(f"cannot follow that: {error}") from error
            channel = channel_key(invocation)
            for known in ctx.store.list_subscriptions(channel):
                if known.query == text and known.kinds == kinds:
                    return Reply(Message(text=f"This channel already follows that: "
                                              f"subscription {known.id}."))
            sub = ctx.store.add_subscription(channel, text, kinds, invocation.user.id,
                                             ctx.clock.now())
            return Reply(_subscribed(sub, query, who(invocation), ctx, channel),
                         ephemeral=False)
        return subscribe

    spec = CommandSpec("subscribe", "follow a topic in this channel", default=KINDS_ALL)
    spec.add(Subcommand(KINDS_ALL, "/subscribe <topic query>",
                        "announce new papers and talks that match",
                        subscriber(KINDS_ALL, "/subscribe diffusion -video"),
                        manager_only=True))
    spec.add(Subcommand(KINDS_PAPERS, "/subscribe papers <query>",
                        "announce new papers that match",
                        subscriber(KINDS_PAPERS, "/subscribe papers cat:cs.LG pruning"),
                        manager_only=True))
    spec.add(Subcommand(KINDS_TALKS, "/subscribe talks <query>",
                        "announce new talks that match",
                        subscriber(KINDS_TALKS, "/subscribe talks series:colloquium"),
                        manager_only=True))
    return spec


def _subscribed(sub: Subscription, query: Query, by: str, ctx: BotContext,
                channel: str) -> Message:
    kinds = KIND_WORDS[sub.kinds]
    lines = [f"Subscription {sub.id} added by {by}: new {kinds} matching {sub.query}",
             f"matches: {describe(query)}",
             f"Only {kinds} lectern first sees from now on are announced, nothing from "
             f"before. /unsubscribe {sub.id} stops it."]
    state = ctx.store.get_channel(channel)
    if state is not None and state.paused_reason:
        lines.append(f"Note: posting to this channel is paused: {state.paused_reason}; "
                     f"{RESUME_HINT}")
    return Message(text="\n".join(lines), title=f"Subscription {sub.id}",
                   fields=[("Matches", describe(query)), ("Kinds", kinds)],
                   context=f"added by {by}")


def unsubscribe_command(ctx: BotContext) -> CommandSpec:
    async def remove(invocation: Invocation, args: str) -> Reply:
        number = args.strip().lstrip("#")
        if not number:
            raise UsageError("say which subscription to stop, e.g. /unsubscribe 3; "
                             "/subscriptions lists them")
        if not number.isdigit():
            raise UsageError(f"{args.strip()!r} is not a subscription number; type e.g. "
                             "/unsubscribe 3 (/subscriptions lists them)")
        channel = channel_key(invocation)
        found = [s for s in ctx.store.list_subscriptions(channel) if s.id == int(number)]
        if not found or not ctx.store.remove_subscription(channel, int(number)):
            raise UsageError(f"there is no subscription {int(number)} in this channel; "
                             "/subscriptions lists them")
        sub = found[0]
        return Reply(Message(text=f"Subscription {sub.id} ({KIND_WORDS.get(sub.kinds)} "
                                  f"matching {sub.query}) stopped by {who(invocation)}."),
                     ephemeral=False)

    spec = CommandSpec("unsubscribe", "stop following a topic", default="remove")
    spec.add(Subcommand("remove", "/unsubscribe <id>", "stop a subscription of this channel",
                        remove, manager_only=True))
    return spec


def subscriptions_command(ctx: BotContext) -> CommandSpec:
    async def list_(invocation: Invocation, args: str) -> Reply:
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

    spec = CommandSpec("subscriptions", "the topics this channel follows", default="list")
    spec.add(Subcommand("list", "/subscriptions", "every subscription of this channel",
                        list_))
    return spec
