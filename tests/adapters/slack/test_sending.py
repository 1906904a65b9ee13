"""Sending through the real slack_sdk client to the fake Web API: payloads, threads, pacing,
a 429 storm with no lost message, 5xx retries, and errors that pause a channel."""

from __future__ import annotations

import asyncio

import pytest

from bot.chat import ChannelRef, DeliveryError, Message

C1, C2 = ChannelRef("slack", "C1"), ChannelRef("slack", "C2")


def note(n: int, **fields) -> Message:
    return Message(text=f"message {n}", **fields)


def texts(fake, channel: str) -> list[str]:
    return [p["text"] for p in fake.posted if p["channel"] == channel]


async def test_a_message_is_posted_as_blocks_and_its_ts_returned(make_adapter, fake):
    adapter = make_adapter()
    sent = await adapter.send(C1, Message(text="hello", title="Hi", kind="paper",
                                          link="https://example.org/p"))
    [payload] = fake.posted
    assert sent.channel == C1 and sent.id == payload["_ts"]
    assert payload["channel"] == "C1" and payload["blocks"][0]["type"] == "section"
    assert payload["unfurl_links"] is False and "thread_ts" not in payload
    assert fake.called("auth.test") == []  # sending needs no start()


async def test_posts_share_one_connection(make_adapter, fake):
    """One HTTP session per adapter: the SDK's default opened a TCP connection per call."""
    adapter = make_adapter()
    for n in range(8):
        await adapter.send(ChannelRef("slack", f"C{n}"), note(n))
    assert len(fake.posted) == 8 and len(fake.api_peers) == 1
    await adapter.stop()
    await adapter.send(C1, note(9))  # a closed session is replaced, not reused
    assert len(fake.posted) == 9


@pytest.mark.parametrize(("kind", "broadcast"), [("reminder", True), ("updated", True),
                                                 ("cancelled", True), ("talk", None)])
async def test_follow_ups_thread_under_the_announcement(make_adapter, fake, kind, broadcast):
    adapter = make_adapter()
    first = await adapter.send(C1, note(1, title="Talk", kind="talk"))
    await adapter.send(C1, note(2, title="Talk", kind=kind, reply_to=first.id))
    follow_up = fake.posted[-1]
    assert follow_up["thread_ts"] == first.id
    assert follow_up.get("reply_broadcast") is broadcast


async def test_pacing_lets_a_burst_through_then_one_a_second(make_adapter, fake, sleeper):
    adapter = make_adapter()
    for n in range(8):
        await adapter.send(C1, note(n))
    await adapter.send(C2, note(99))  # another channel has its own pace
    assert texts(fake, "C1") == [f"message {n}" for n in range(8)]
    assert len(sleeper.waits) == 5 and all(0.9 < w <= 1.0 for w in sleeper.waits)
    assert texts(fake, "C2") == ["message 99"]


async def test_a_429_storm_loses_and_repeats_nothing(make_adapter, fake, sleeper):
    adapter = make_adapter()
    fake.answer("chat.postMessage", times=6, status=429, retry_after=1)
    sends = [adapter.send(channel, note(n)) for n in range(10) for channel in (C1, C2)]
    refs = await asyncio.gather(*sends)
    assert texts(fake, "C1") == [f"message {n}" for n in range(10)]
    assert texts(fake, "C2") == [f"message {n}" for n in range(10)]
    assert len({ref.id for ref in refs}) == 20
    assert len(fake.called("chat.postMessage")) == 26
    assert sum(sleeper.waits) >= 6  # each 429 was waited out, by the fake clock


async def test_a_long_retry_after_is_handed_back_to_the_core(make_adapter, fake, sleeper):
    adapter = make_adapter()
    fake.answer("chat.postMessage", status=429, retry_after=600)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(C1, note(1))
    assert raised.value.retry_after == 600 and not raised.value.permanent
    assert sleeper.waits == []


async def test_5xx_is_retried_with_backoff(make_adapter, fake, sleeper):
    adapter = make_adapter()
    fake.answer("chat.postMessage", times=2, status=503)
    fake.answer("chat.postMessage", error="internal_error")
    await adapter.send(C1, note(1))
    assert texts(fake, "C1") == ["message 1"] and sleeper.waits == [1.0, 2.0, 4.0]


async def test_5xx_that_outlasts_the_retries_is_a_passing_failure(make_adapter, fake):
    adapter = make_adapter()
    fake.answer("chat.postMessage", times=4, status=500)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(C1, note(1))
    assert not raised.value.permanent and "500" in str(raised.value)
    assert fake.posted == []


async def test_an_unreachable_slack_is_a_passing_failure(make_adapter, sleeper):
    adapter = make_adapter(api_url="http://127.0.0.1:9/api/")
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(C1, note(1))
    assert not raised.value.permanent and len(sleeper.waits) == 3


@pytest.mark.parametrize("code", ["not_in_channel", "channel_not_found", "is_archived",
                                  "invalid_auth", "account_inactive", "token_revoked"])
async def test_errors_retrying_cannot_fix_are_permanent_and_not_retried(
        make_adapter, fake, sleeper, code):
    adapter = make_adapter()
    fake.channel_errors["C1"] = code
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(C1, note(1))
    # A refused bot token is no channel's fault: no channel is paused for it (jobs.dispatch
    # stops sending to the platform instead, until the operator fixes it and restarts).
    token = code in ("invalid_auth", "account_inactive", "token_revoked")
    assert raised.value.permanent is not token and raised.value.credentials is token
    assert code in str(raised.value)
    assert len(fake.called("chat.postMessage")) == 1 and sleeper.waits == []


async def test_refused_blocks_fall_back_to_the_plain_text(make_adapter, fake):
    adapter = make_adapter()
    fake.answer("chat.postMessage", error="invalid_blocks")
    await adapter.send(C1, note(1, title="T", kind="paper"))
    [payload] = fake.posted
    assert "blocks" not in payload and payload["text"].startswith("message 1")


async def test_a_deleted_announcement_does_not_stop_the_follow_up(make_adapter, fake):
    adapter = make_adapter()
    fake.answer("chat.postMessage", error="thread_not_found")
    await adapter.send(C1, note(1, kind="reminder", reply_to="1700000000.000001"))
    [payload] = fake.posted
    assert "thread_ts" not in payload and "reply_broadcast" not in payload


async def test_other_refusals_are_passing_failures(make_adapter, fake):
    adapter = make_adapter()
    fake.answer("chat.postMessage", error="msg_blocks_too_long_and_unknown")
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(C1, note(1))
    assert not raised.value.permanent
