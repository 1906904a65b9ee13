"""A post that Slack may have taken before failing to answer (5xx, internal_error, a dropped
connection) is looked for by its key in the channel's history, or its thread, before it
is tried again: found, it is not posted twice; not found, it is posted once. History that
cannot be read means trying again anyway, with one warning per channel. A 429 or a
refusal needs no look: Slack posted nothing."""

from __future__ import annotations

import logging

import pytest

from bot.chat import ChannelRef, DeliveryError, Message

C1, C2 = ChannelRef("slack", "C1"), ChannelRef("slack", "C2")


def paper(key: str | None = "lectern-7", **fields) -> Message:
    return Message(**{"text": "A new look at sheaves", "title": "Sheaves", "kind": "paper",
                      "key": key, **fields})


@pytest.mark.parametrize(("status", "error"), [(500, None), (503, None),
                                               (200, "internal_error"), (0, None)])
async def test_a_post_slack_took_before_failing_is_not_posted_again(
        make_adapter, fake, sleeper, clock, status, error):
    adapter = make_adapter()
    before = clock.now()
    fake.answer("chat.postMessage", status=status, error=error, accepted=True)
    sent = await adapter.send(C1, paper())
    [payload] = fake.posted
    assert sent.id == payload["_ts"] and len(fake.called("chat.postMessage")) == 1
    [query] = fake.called("conversations.history")
    assert query["channel"] == "C1" and float(query["oldest"]) < before.timestamp()
    assert sleeper.waits == [1.0]  # the backoff, then the look


@pytest.mark.parametrize("status", [500, 0])
async def test_a_post_slack_did_not_take_is_tried_again_and_posted_once(
        make_adapter, fake, status):
    adapter = make_adapter()
    await adapter.send(C2, paper())  # the same key in another channel is not this post
    await adapter.send(C1, paper(key="lectern-8"))  # nor is another key in this one
    fake.answer("chat.postMessage", status=status)
    sent = await adapter.send(C1, paper())
    assert [p["channel"] for p in fake.posted] == ["C2", "C1", "C1"]
    assert sent.id == fake.posted[-1]["_ts"]
    assert len(fake.called("chat.postMessage")) == 4
    assert len(fake.called("conversations.history")) == 1


@pytest.mark.parametrize(("failed_before", "status"), [
    (2, 502),  # taken on a later try: found then
    (3, 500),  # taken on the last try: found, not given up
])
async def test_a_post_taken_on_a_later_try_is_found_then(make_adapter, fake, failed_before,
                                                        status):
    adapter = make_adapter()
    fake.answer("chat.postMessage", times=failed_before, status=status)
    fake.answer("chat.postMessage", status=status, accepted=True)
    sent = await adapter.send(C1, paper())
    [payload] = fake.posted
    assert sent.id == payload["_ts"]
    assert len(fake.called("chat.postMessage")) == failed_before + 1
    assert len(fake.called("conversations.history")) == failed_before + 1


async def test_without_the_history_scopes_it_posts_again_and_warns_once(
        make_adapter, fake, caplog):
    fake.history_scope = False
    adapter = make_adapter()
    with caplog.at_level(logging.DEBUG, logger="adapters.slack.recall"):
        for key in ("lectern-7", "lectern-8"):
            fake.answer("chat.postMessage", status=500, accepted=True)
            await adapter.send(C1, paper(key=key))
    # At least once: each message shows twice.
    assert [p["metadata"]["event_payload"]["key"] for p in fake.posted] == [
        "lectern-7", "lectern-7", "lectern-8", "lectern-8"]
    assert len(fake.called("conversations.history")) == 2
    warnings = [r for r in caplog.records
                if r.name == "adapters.slack.recall" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "C1" in warnings[0].getMessage()
    assert "channels:history" in warnings[0].getMessage()


async def test_a_history_error_means_posting_again(make_adapter, fake, caplog):
    adapter = make_adapter()
    fake.answer("chat.postMessage", status=500, accepted=True)
    fake.answer("conversations.history", status=500)
    with caplog.at_level(logging.WARNING, logger="adapters.slack.recall"):
        sent = await adapter.send(C1, paper())
    assert len(fake.posted) == 2 and sent.id == fake.posted[-1]["_ts"]
    assert "HTTP 500" in caplog.text


@pytest.mark.parametrize("kind", ["reminder", "talk"])  # broadcast to the channel or not
async def test_a_reply_is_looked_for_in_its_thread(make_adapter, fake, kind):
    adapter = make_adapter()
    talk = await adapter.send(C1, paper(key="lectern-1", kind="talk"))
    fake.answer("chat.postMessage", status=500, accepted=True)
    sent = await adapter.send(C1, paper(key="lectern-2", kind=kind, reply_to=talk.id))
    _, reply = fake.posted
    assert reply["thread_ts"] == talk.id and sent.id == reply["_ts"]
    [query] = fake.called("conversations.replies")
    assert query["channel"] == "C1" and query["ts"] == talk.id
    assert fake.called("conversations.history") == []


async def test_a_reply_whose_thread_is_gone_is_looked_for_in_the_channel(make_adapter,
                                                                          fake):
    adapter = make_adapter()
    fake.answer("chat.postMessage", error="thread_not_found")
    fake.answer("chat.postMessage", status=500, accepted=True)
    sent = await adapter.send(C1, paper(kind="reminder", reply_to="1700000000.000001"))
    [payload] = fake.posted
    assert "thread_ts" not in payload and sent.id == payload["_ts"]
    assert fake.called("conversations.replies") == []  # the post as last tried is looked for
    assert len(fake.called("conversations.history")) == 1


@pytest.mark.parametrize(("status", "error"), [(429, None), (200, "invalid_blocks"),
                                               (200, "request_timeout")])
async def test_answers_that_mean_nothing_was_posted_need_no_look(make_adapter, fake,
                                                                 status, error):
    adapter = make_adapter()
    fake.answer("chat.postMessage", status=status, error=error, retry_after=1)
    await adapter.send(C1, paper())
    assert len(fake.posted) == 1 and len(fake.called("chat.postMessage")) == 2
    assert fake.called("conversations.history") == []


async def test_an_unreachable_slack_took_nothing_and_needs_no_look(make_adapter, caplog):
    adapter = make_adapter(api_url="http://127.0.0.1:9/api/")
    with caplog.at_level(logging.DEBUG, logger="adapters.slack.recall"), \
            pytest.raises(DeliveryError):
        await adapter.send(C1, paper())
    assert [r for r in caplog.records if r.name == "adapters.slack.recall"] == []
    assert len([r for r in caplog.records if "retrying" in r.getMessage()]) == 3


async def test_a_message_without_a_key_cannot_be_looked_for(make_adapter, fake):
    adapter = make_adapter()
    fake.answer("chat.postMessage", status=500, accepted=True)
    await adapter.send(C1, paper(key=None))
    assert len(fake.posted) == 2 and fake.called("conversations.history") == []
