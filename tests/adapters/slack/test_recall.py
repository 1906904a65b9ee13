"""After a crash, a message that may already be in the channel is looked for in its history
(or thread) by the key in its metadata: found, it is not posted again; history that cannot
be read means posting again, with one warning per channel."""

from __future__ import annotations

import logging
from datetime import timedelta

from adapters.slack.recall import EVENT_TYPE, PAGE
from bot.chat import ChannelRef, Message

C1, C2 = ChannelRef("slack", "C1"), ChannelRef("slack", "C2")


def paper(key: str | None = "lectern-7", **fields) -> Message:
    return Message(**{"text": "A new look at sheaves", "title": "Sheaves", "kind": "paper",
                      "key": key, **fields})


async def test_every_keyed_post_carries_its_key_in_metadata(make_adapter, fake):
    adapter = make_adapter()
    await adapter.send(C1, paper())
    await adapter.send(C1, paper(key=None))
    keyed, plain = fake.posted
    assert keyed["metadata"] == {"event_type": EVENT_TYPE,
                                 "event_payload": {"key": "lectern-7"}}
    assert "metadata" not in plain
    assert fake.called("conversations.history") == []  # nothing suggested a repeat


async def test_a_message_posted_before_a_crash_is_found_not_posted_again(
        make_adapter, fake, clock):
    claimed = clock.now()
    first = await make_adapter().send(C1, paper())  # the run that died had posted it
    clock.advance(timedelta(minutes=3))
    await make_adapter().send(C1, Message(text="someone else's news", key="lectern-8"))
    again = await make_adapter().send(C1, paper(maybe_sent_since=claimed))
    assert again == first and len(fake.posted) == 2
    [query] = fake.called("conversations.history")
    assert query["channel"] == "C1" and query["include_all_metadata"] in ("1", "true")
    assert float(query["oldest"]) < claimed.timestamp() and int(query["limit"]) <= PAGE


async def test_a_message_not_posted_before_the_crash_is_posted(make_adapter, fake, clock):
    await make_adapter().send(C2, paper())  # the same key elsewhere is not this post
    sent = await make_adapter().send(C1, paper(maybe_sent_since=clock.now()))
    assert [p["channel"] for p in fake.posted] == ["C2", "C1"]
    assert sent.id == fake.posted[-1]["_ts"]


async def test_a_post_older_than_the_claim_and_margin_is_not_taken(make_adapter, fake,
                                                                   clock):
    await make_adapter().send(C1, paper())
    clock.advance(timedelta(hours=2))
    await make_adapter().send(C1, paper(maybe_sent_since=clock.now()))
    assert len(fake.posted) == 2


async def test_a_follow_up_is_looked_for_in_its_thread(make_adapter, fake, clock):
    adapter = make_adapter()
    announcement = await adapter.send(C1, paper(key="lectern-1", kind="talk"))
    claimed = clock.now()
    reminder = paper(key="lectern-2", kind="reminder", reply_to=announcement.id)
    first = await adapter.send(C1, reminder)
    reminder.maybe_sent_since = claimed
    assert await make_adapter().send(C1, reminder) == first
    assert len(fake.posted) == 2 and fake.called("conversations.replies")
    assert fake.called("conversations.history") == []


async def test_a_follow_up_whose_thread_is_gone_is_looked_for_in_the_channel(
        make_adapter, fake, clock):
    claimed = clock.now()
    fake.answer("chat.postMessage", error="thread_not_found")
    first = await make_adapter().send(C1, paper(reply_to="1700000000.000001"))
    assert "thread_ts" not in fake.posted[0]  # the poster dropped the missing thread
    again = await make_adapter().send(C1, paper(reply_to="1700000000.000001",
                                                maybe_sent_since=claimed))
    assert again == first and len(fake.posted) == 1


async def test_the_message_is_found_on_a_second_page(make_adapter, fake, clock):
    claimed = clock.now()
    first = await make_adapter().send(C1, paper())
    chatter = make_adapter()
    for n in range(PAGE + 5):
        await chatter.send(C1, Message(text=f"chatter {n}"))
    assert await make_adapter().send(C1, paper(maybe_sent_since=claimed)) == first
    assert len(fake.called("conversations.history")) == 2


async def test_without_the_history_scopes_it_posts_again_and_warns_once(
        make_adapter, fake, clock, caplog):
    claimed = clock.now()
    await make_adapter().send(C1, paper())
    fake.history_scope = False
    adapter = make_adapter()
    with caplog.at_level(logging.DEBUG, logger="adapters.slack.recall"):
        await adapter.send(C1, paper(maybe_sent_since=claimed))
        await adapter.send(C1, paper(key="lectern-9", maybe_sent_since=claimed))
    assert len(fake.posted) == 3  # at least once: the first message shows twice
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "C1" in warnings[0].getMessage()
    assert "channels:history" in warnings[0].getMessage()


async def test_any_history_error_means_posting_again(make_adapter, fake, clock, caplog):
    claimed = clock.now()
    await make_adapter().send(C1, paper())
    fake.answer("conversations.history", status=500)
    with caplog.at_level(logging.WARNING, logger="adapters.slack.recall"):
        await make_adapter().send(C1, paper(maybe_sent_since=claimed))
    assert len(fake.posted) == 2 and "HTTP 500" in caplog.text


async def test_only_our_own_bots_posts_count(make_adapter, fake, clock):
    adapter = make_adapter()
    await adapter.start()  # auth.test tells it its bot id
    assert adapter.recall.bot_id == "BBOT"
    claimed = clock.now()
    first = await adapter.send(C1, paper())
    assert await adapter.send(C1, paper(maybe_sent_since=claimed)) == first
    adapter.recall.bot_id = "BOTHER"  # another app's lectern posting the same key
    await adapter.send(C1, paper(maybe_sent_since=claimed))
    assert len(fake.posted) == 2

