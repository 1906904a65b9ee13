"""Round 5 of attacks, words left over: a subcommand that takes one word read it and
dropped the rest in silence, so `/settings digest 09:00 Europe/London` set 09:00 in the
channel's zone and `/seminars share talk-a talk-b` shared one talk, each answered as done.
A word beyond a subcommand's parameters is now refused whole, on one line, storing
nothing; /help still reads `/help seminars add` as help on /seminars."""

from __future__ import annotations

import pytest

from bot.chat import ChannelRef, Invocation, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.settings import Settings
from tests.reliability.commandworld import ReadingHooks, refused_briefly

TALK = ("/seminars add Title: Diffusion as Transport\nSpeaker: Jane Doe (Stanford)\n"
        "Date: 10 December 2026, 15:00")


@pytest.fixture
def registry(store, clock):
    return build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                     hooks=ReadingHooks()))


async def say(registry, line: str, *, manager: bool = True):
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef("slack", "C1"),
                                              UserRef("U1", "U1"), manager))


@pytest.mark.parametrize("line, word", [
    ("/settings digest 09:00 Europe/London", "Europe/London"),
    ("/settings digest off please", "please"),
    ("/papers latest 5 cs.LG", "cs.LG"), ("/seminars upcoming 5 colloquium", "colloquium"),
    ("/seminars next week", "week")])
async def test_a_word_left_over_is_refused_whole(registry, store, line, word):
    reply = await say(registry, line)
    refused_briefly(reply)
    assert repr(word) in reply.message.text and "one word too many" in reply.message.text
    channel = store.get_channel("slack:C1")
    assert channel is None or channel.digest_time is None


async def test_sharing_two_talks_in_one_line_shares_neither(registry, store):
    first = (await say(registry, TALK, manager=False)).message.text.split()[5]
    assert first.startswith("talk-")
    reply = await say(registry, f"/seminars share {first} talk-0123456789ab")
    refused_briefly(reply)
    assert store.talk_local_to(first) == "slack:C1"  # still this channel's only


@pytest.mark.parametrize("line", ["/help seminars add", "/help settings digest"])
async def test_help_on_a_subcommand_still_reads_its_command(registry, line):
    reply = await say(registry, line)
    assert not reply.refused, reply.message.text
    assert reply.message.text.startswith(line.split()[1].join("/:"))


@pytest.mark.parametrize("line", ["/unsubscribe 1 2", "/settings color blue"])
async def test_a_subcommands_own_refusal_of_extra_words_is_kept(registry, line):
    reply = await say(registry, line)
    refused_briefly(reply)
    assert "one word too many" not in reply.message.text
