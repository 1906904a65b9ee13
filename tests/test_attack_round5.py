"""Round 5 of attacks, whose talk it is: a member's paste that would change or cancel a
talk another member pasted, and a polled source named like the store of pasted talks
(its polls would cancel them). Each is refused whole, on one line, storing nothing."""

from __future__ import annotations

import pytest

from bot.chat import ChannelRef, Invocation, Reply, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.settings import Settings
from tests.reliability.commandworld import ReadingHooks, refused_briefly

TALK = ("/seminars add Title: Diffusion as Transport\nSpeaker: Jane Doe (Stanford)\n"
        "Date: 10 December 2026, 15:00\nPlace: Room 101")
# The same speaker on the same day is the same talk to the reader: a correction.
CANCELLED = TALK.replace("Title:", "CANCELLED:")
REWRITTEN = TALK.replace("Diffusion as Transport", "Buy crypto now").replace("15:00", "18:00")


@pytest.fixture
def registry(store, clock):
    return build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                     hooks=ReadingHooks()))


async def say(registry, line: str, *, user: str = "U1", manager: bool = False,
              channel: str = "C1") -> Reply:
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef("slack", channel),
                                              UserRef(user, user), manager))


def _only_talk(store):
    (talk_id, talk), = store.list_talks()
    return talk_id, talk


@pytest.mark.parametrize("paste", [CANCELLED, REWRITTEN])
async def test_a_member_cannot_change_a_talk_another_member_pasted(registry, store, paste):
    assert not (await say(registry, TALK)).refused
    before = _only_talk(store)
    reply = await say(registry, paste, user="U2")
    refused_briefly(reply)
    assert "another member" in reply.message.text
    assert "Diffusion as Transport" in reply.message.text  # the stored title, not theirs
    assert _only_talk(store) == before


@pytest.mark.parametrize("paste", [CANCELLED, REWRITTEN])
async def test_the_member_who_pasted_it_or_a_manager_may_correct_it(registry, store, paste):
    assert not (await say(registry, TALK)).refused
    assert not (await say(registry, paste)).refused
    assert not (await say(registry, TALK, user="U3", manager=True)).refused
    assert _only_talk(store)[1].title == "Diffusion as Transport"


async def test_a_paste_touching_one_talk_of_another_member_is_refused_whole(registry, store):
    assert not (await say(registry, TALK)).refused
    other = TALK.replace("Jane Doe", "Ada Lovelace").replace("Diffusion", "Engines")
    refused_briefly(await say(registry, other + "\n\n" + CANCELLED[len("/seminars add "):],
                              user="U2"))
    assert [t.title for _, t in store.list_talks()] == ["Diffusion as Transport"]


async def test_the_same_talk_pasted_in_another_channel_is_its_own(registry, store):
    assert not (await say(registry, TALK)).refused
    assert not (await say(registry, CANCELLED, user="U2", channel="C2")).refused
    assert sorted(t.status for _, t in store.list_talks()) == ["cancelled", "scheduled"]


@pytest.mark.parametrize("name", ["chat-slack-C1", "Chat-slack-C1", "chat-discord-42"])
async def test_no_polled_source_takes_the_name_of_a_channels_pasted_talks(registry, store,
                                                                         name):
    """A source named chat-slack-C1 would hold C1's pasted talks: its first poll cancels
    every one its document does not list."""
    reply = await say(registry, f"/sources add ical https://example.org/t.ics {name}",
                      manager=True, channel="C2")
    refused_briefly(reply)
    assert "kept for the talks members paste in chat" in reply.message.text
    assert store.get_source(name) is None


async def test_another_member_pasting_the_same_announcement_is_told_it_is_known(registry,
                                                                               store):
    assert not (await say(registry, TALK)).refused
    before = _only_talk(store)
    again = await say(registry, TALK, user="U2")
    assert not again.refused, again.message.text
    assert again.message.title == "Talk already known"
    assert _only_talk(store) == before


@pytest.mark.parametrize("date", ["3 December 2025, 15:00", "23 November 2026, 08:30"])
async def test_a_pasted_talk_that_has_begun_is_not_said_to_be_announced(registry, date):
    """The planner announces no talk that has begun (a year-old date is most often a
    mistyped year): the reply said 'Announced in this channel only' all the same."""
    reply = await say(registry, TALK.replace("10 December 2026, 15:00", date))
    assert not reply.refused, reply.message.text
    assert "begun or over, so not announced: check the date" in reply.message.text
    assert "Announced in this channel" not in reply.message.text


async def test_a_paste_of_past_and_coming_talks_names_a_coming_one_to_share(registry):
    past = TALK.replace("Jane Doe", "Ada Roe").replace("10 December 2026", "1 March 2026")
    reply = await say(registry, past + "\n\n" + TALK[len("/seminars add "):])
    coming = [line.split()[0] for line in reply.message.text.splitlines()
              if line.startswith("talk-") and "not announced" not in line]
    assert f"/seminars share {coming[0]} announces" in reply.message.text


async def test_sharing_a_talk_that_has_begun_does_not_promise_an_announcement(registry):
    past = TALK.replace("10 December 2026, 15:00", "23 November 2026, 08:30")
    talk = (await say(registry, past)).message.text.split()[5]
    reply = await say(registry, f"/seminars share {talk}", manager=True)
    assert not reply.refused, reply.message.text
    assert "it has begun, so no channel is told of it now" in reply.message.text
