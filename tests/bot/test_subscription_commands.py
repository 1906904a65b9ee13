"""/subscribe, /unsubscribe, /subscriptions: real store and registry, several channels."""

from __future__ import annotations

import io

import pytest

from adapters.console import ConsoleAdapter
from adapters.text import to_text
from bot.chat import ChannelRef, Invocation, Reply, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.commands.subscriptions import describe
from bot.models import KINDS_ALL, KINDS_PAPERS, KINDS_TALKS
from bot.settings import Settings
from bot.topics import parse_query
from tests.conftest import NOW


@pytest.fixture
def registry(store, clock):
    return build_registry(BotContext(store=store, clock=clock, settings=Settings()))


async def say(registry, line: str, *, channel: str = "console:ml", manager: bool = True,
              user: str = "ana") -> Reply:
    platform, _, channel_id = channel.partition(":")
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef(platform, channel_id),
                                              UserRef(user, user.title()), manager))


def text_of(reply: Reply) -> str:
    return to_text(reply.message)


async def test_subscribe_stores_the_query_and_promises_no_backlog(registry, store):
    reply = await say(registry, "/subscribe diffusion   -video")
    [sub] = store.list_subscriptions("console:ml")
    assert (sub.query, sub.kinds, sub.created_by, sub.created) == (
        "diffusion -video", KINDS_ALL, "ana", NOW)
    text = text_of(reply)
    assert f"Subscription {sub.id} added by Ana" in text
    assert "papers and talks matching diffusion -video" in text
    assert "matches: diffusion and not video" in text
    assert "from now on" in text and f"/unsubscribe {sub.id}" in text
    assert reply.ephemeral is False  # the channel should see what it now follows


@pytest.mark.parametrize(("line", "kinds"), [
    ("/subscribe papers cat:cs.LG pruning", KINDS_PAPERS),
    ("/subscribe talks speaker:hinton", KINDS_TALKS),
    ("/subscribe PAPERS pruning", KINDS_PAPERS),
])
async def test_subscribe_to_one_kind(registry, store, line, kinds):
    await say(registry, line)
    [sub] = store.list_subscriptions("console:ml")
    assert sub.kinds == kinds and sub.query == line.split(" ", 2)[2]


async def test_the_same_query_twice_gives_the_existing_id(registry, store):
    first = await say(registry, "/subscribe diffusion")
    again = await say(registry, "/subscribe  diffusion ")
    [sub] = store.list_subscriptions("console:ml")
    assert f"already follows that: subscription {sub.id}" in text_of(again)
    assert again.ephemeral and not first.ephemeral
    # Another channel, or another kind, is another subscription.
    await say(registry, "/subscribe diffusion", channel="slack:C0123")
    await say(registry, "/subscribe papers diffusion")
    assert len(store.list_subscriptions()) == 3


async def test_list_and_unsubscribe_are_per_channel(registry, store):
    await say(registry, "/subscribe diffusion")
    await say(registry, "/subscribe talks series:colloquium")
    other = (await say(registry, "/subscribe ocean", channel="discord:42")).message.text
    other_id = int(other.split()[1])
    listed = text_of(await say(registry, "/subscriptions", manager=False))
    ids = [s.id for s in store.list_subscriptions("console:ml")]
    assert f"• {ids[0]} · papers and talks · diffusion" in listed
    assert f"• {ids[1]} · talks · series:colloquium" in listed
    assert "ocean" not in listed

    refused = text_of(await say(registry, f"/unsubscribe {other_id}"))
    assert refused.startswith(f"there is no subscription {other_id} in this channel; "
                              "/subscriptions lists them")
    assert len(store.list_subscriptions("discord:42")) == 1

    done = await say(registry, f"/unsubscribe {ids[0]}")
    assert f"Subscription {ids[0]} (papers and talks matching diffusion) stopped by Ana" \
        in text_of(done)
    assert [s.id for s in store.list_subscriptions("console:ml")] == [ids[1]]


async def test_a_paused_channel_says_so_in_its_list(registry, store):
    await say(registry, "/subscribe diffusion")
    store.update_channel("console:ml", paused_reason="the bot was removed from the channel",
                         now=NOW)
    listed = text_of(await say(registry, "/subscriptions"))
    assert "(paused: the bot was removed from the channel)" in listed


async def test_an_empty_list_says_how_to_subscribe(registry):
    assert "e.g. /subscribe diffusion -video" in text_of(await say(registry, "/subscriptions"))


@pytest.mark.parametrize("line", ["/subscribe diffusion", "/subscribe papers x",
                                  "/subscribe talks x", "/unsubscribe 1"])
async def test_members_who_do_not_manage_the_channel_are_refused(registry, store, line):
    await say(registry, "/subscribe diffusion -video")
    reply = await say(registry, line, manager=False, user="bob")
    assert text_of(reply).startswith("only channel managers can use /")
    assert reply.ephemeral
    assert [s.query for s in store.list_subscriptions()] == ["diffusion -video"]


async def test_the_console_manager_flag_decides(store, clock):
    registry = build_registry(BotContext(store=store, clock=clock, settings=Settings()))
    for is_manager, stored in ((False, 0), (True, 1)):
        out = io.StringIO()
        await ConsoleAdapter(registry, out=out, is_manager=is_manager).handle_line(
            "/subscribe diffusion")
        assert len(store.list_subscriptions("console:lab")) == stored


@pytest.mark.parametrize(("line", "says"), [
    ("/subscribe", "say what to follow, e.g. /subscribe diffusion -video"),
    ("/subscribe talks", "say what to follow, e.g. /subscribe talks series:colloquium"),
    ("/subscribe (unclosed", "cannot follow that: '(' at position 1 is never closed: add ')'"),
    ("/subscribe author:", "cannot follow that: 'author:' at position 1 needs a value"),
    ("/unsubscribe", "say which subscription to stop, e.g. /unsubscribe 3"),
    ("/unsubscribe seven", "'seven' is not a subscription number; type e.g. /unsubscribe 3"),
    ("/unsubscribe 77", "there is no subscription 77 in this channel; /subscriptions lists"),
])
async def test_wrong_input_is_one_line_that_says_what_to_type(registry, store, line, says):
    reply = await say(registry, line)
    text = text_of(reply)
    assert says in text and len(text.splitlines()) == 1 and "usage: /" in text
    assert reply.ephemeral and store.list_subscriptions() == []


@pytest.mark.parametrize(("query", "words"), [
    ("diffusion -video", "diffusion and not video"),
    ('author:hinton OR "score matching"', 'by hinton or "score matching"'),
    ("(diffusion OR flow) cat:cs.LG", "(diffusion or flow) and in category cs.LG"),
    ("NOT (a b)", "not (a and b)"),
])
def test_describe_says_a_query_in_words(query, words):
    assert describe(parse_query(query)) == words


@pytest.mark.parametrize(("line", "said"), [
    ("/subscribe foo:bar", "'foo:' at position 1 is not a field (the fields are author:"),
    ("/papers search auther:park", "did you mean author:?"),
    ("/seminars search speeker:hinton", "did you mean speaker:?"),
    ("/subscribe papers speaker:hinton", "speaker: applies only to talks, so it never "
                                         "matches papers; for papers use author:"),
    ("/seminars search cat:cs.LG", "cat: applies only to papers"),
    ("/subscribe *", "'*' at position 1 has no letter or digit to look for"),
])
async def test_a_query_that_can_never_match_is_refused_with_the_way_out(registry, store,
                                                                         line, said):
    text = text_of(await say(registry, line))
    assert said in text and "\n" not in text
    assert store.list_subscriptions("console:ml") == []


async def test_lowercase_operators_are_operators_not_words(registry, store):
    text = text_of(await say(registry, "/subscribe diffusion and video or flow not gan"))
    assert "matches: diffusion and video or (flow and not gan)" in text \
        or "matches: (diffusion and video) or (flow and not gan)" in text
    assert "and and" not in text


async def test_links_and_identifiers_are_words_not_fields(registry, store):
    await say(registry, "/subscribe papers arxiv:2310.06825")
    [sub] = store.list_subscriptions("console:ml")
    assert sub.query == "arxiv:2310.06825"
