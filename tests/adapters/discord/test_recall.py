"""The repeat check that does not expire: Discord remembers a nonce for a few minutes only
(the fake, as the real one, after NONCE_WINDOW), so a message that may have been posted
before a restart is looked for among the channel's recent messages by the invisible mark
of its key, and not posted again however long the outage lasted."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from adapters.discord.marks import ONE, ZERO, carries, mark, stamp
from adapters.discord.recall import PAGE
from bot.chat import ChannelRef, Message
from tests.adapters.discord.payloads import CHANNEL
from tests.conftest import NOW
from tests.fake_discord_history import NONCE_WINDOW

HERE = ChannelRef("discord", CHANNEL)
PAPER = Message(text="Pruning", title="Pruning Sparse Transformers",
                link="https://arxiv.org/abs/2611.00001", body="We prune.",
                context="2026-11-23", kind="paper", key="lectern-7")


class Clock:
    """The fake Discord's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = NOW.timestamp()

    def __call__(self) -> float:
        return self.now


def clocked(fake) -> Clock:
    fake.clock = clock = Clock()
    return clock


def chatter(fake, text: str) -> dict:
    """A member's message in the channel."""
    member = {"id": "1300000000000000777", "username": "member", "bot": False}
    return fake.message(CHANNEL, {"content": text}, author=member)


def after_a_crash(message: Message) -> Message:
    """The same message, claimed at NOW by a run that died."""
    return replace(message, maybe_sent_since=NOW)


async def test_a_message_posted_before_a_long_outage_is_found_not_posted_again(adapter,
                                                                            fake):
    clock = clocked(fake)
    first = await adapter.send(HERE, PAPER)
    clock.now += 3 * 3600  # hours down: the nonce is long forgotten
    again = await adapter.send(HERE, after_a_crash(PAPER))
    assert again.id == first.id and len(fake.created[CHANNEL]) == 1
    [read] = fake.calls_to("GET", f"/channels/{CHANNEL}/messages")
    assert read.query["limit"] == str(PAGE) and int(read.query["after"]) < int(first.id)
    assert not fake.rejected


async def test_without_the_check_the_fake_posts_a_repeat_once_the_nonce_expires(adapter,
                                                                             fake):
    clock = clocked(fake)
    await adapter.send(HERE, PAPER)
    clock.now += NONCE_WINDOW - 1
    await adapter.send(HERE, PAPER)  # inside the window: the nonce refuses the repeat
    assert len(fake.created[CHANNEL]) == 1
    clock.now += 2
    await adapter.send(HERE, PAPER)  # nothing says it may have been posted: no lookup
    assert len(fake.created[CHANNEL]) == 2 and not fake.calls_to("GET", "/channels/")


async def test_a_message_the_crash_stopped_short_of_posting_is_posted_once(adapter, fake):
    clock = clocked(fake)
    other = await adapter.send(HERE, replace(PAPER, key="lectern-6"))  # another delivery
    clock.now += 600
    sent = await adapter.send(HERE, after_a_crash(PAPER))
    assert sent.id != other.id and len(fake.created[CHANNEL]) == 2
    assert len(fake.calls_to("GET", f"/channels/{CHANNEL}/messages")) == 1  # it looked


async def test_the_lookup_pages_through_busy_channels(adapter, fake):
    clock = clocked(fake)
    first = await adapter.send(HERE, PAPER)
    for n in range(PAGE + 20):  # members' chatter after it, oldest first
        clock.now += 1
        fake.created[CHANNEL].append(chatter(fake, f"chat {n}"))
    clock.now += 3600
    # Posted early in the window: the first page (oldest first after the claim) has it.
    assert (await adapter.send(HERE, after_a_crash(PAPER))).id == first.id
    late = replace(PAPER, key="lectern-8")
    clock.now += 1
    posted = await adapter.send(HERE, late)
    for n in range(PAGE + 20):
        clock.now += 1
        fake.created[CHANNEL].append(chatter(fake, f"more {n}"))
    found = await adapter.send(HERE, replace(late, maybe_sent_since=NOW))
    assert found.id == posted.id and len(fake.created[CHANNEL]) == 2 * (PAGE + 20) + 2
    assert not fake.rejected


async def test_an_unreadable_channel_posts_again_and_says_so_once(adapter, fake, caplog):
    clock = clocked(fake)
    await adapter.send(HERE, PAPER)
    fake.unreadable.add(CHANNEL)
    clock.now += 3600
    with caplog.at_level(logging.WARNING, logger="adapters.discord.recall"):
        await adapter.send(HERE, after_a_crash(PAPER))
        await adapter.send(HERE, after_a_crash(replace(PAPER, key="lectern-9")))
    assert len(fake.created[CHANNEL]) == 3
    [warning] = caplog.records
    assert "Read Message History" in warning.getMessage()


async def test_the_mark_is_invisible_and_survives_the_round_trip(adapter, fake):
    await adapter.send(HERE, PAPER)
    [read] = fake.created[CHANNEL]
    footer = read["embeds"][0]["footer"]["text"]
    assert footer == "2026-11-23" + mark("lectern-7")
    assert set(mark("lectern-7")) <= {ZERO, ONE} and mark("lectern-7") != mark("lectern-8")
    assert carries(read, "lectern-7") and not carries(read, "lectern-8")


def test_a_full_embed_makes_room_for_the_mark():
    import discord

    embed = discord.Embed(title="t", description="d" * 4096)
    for n in range(25):
        embed.add_field(name=f"f{n}", value="v" * 60)
    embed.set_footer(text="f" * 2048)
    assert len(embed) > 6000
    parts = stamp({"embed": embed}, "lectern-1")
    assert len(parts["embed"]) <= 6000 and len(parts["embed"].footer.text) <= 2048
    assert parts["embed"].footer.text.endswith(mark("lectern-1"))
    content = stamp({"content": "x" * 2000}, "lectern-1")["content"]
    assert len(content) == 2000 and content.endswith(mark("lectern-1"))


async def test_the_fake_refuses_history_queries_discord_refuses(fake):
    import aiohttp

    async with aiohttp.ClientSession() as session:
        url = f"{fake.api_url}/channels/{CHANNEL}/messages"
        for query in ({"limit": "101"}, {"limit": "0"}, {"before": "1", "after": "2"}):
            async with session.get(url, params=query) as answer:
                assert answer.status == 400, query
        async with session.get(url) as answer:
            assert answer.status == 200 and await answer.json() == []
    assert len(fake.rejected) == 3
    assert timedelta(seconds=NONCE_WINDOW) <= timedelta(minutes=5)
