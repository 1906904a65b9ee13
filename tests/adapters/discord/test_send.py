"""`send` through discord.py's HTTP client against the fake Discord: nonce and
enforce_nonce, no mentions, replies to announcements, 429 handling, 403/404 as permanent
failures (through the real dispatcher: the channel is paused), per-channel and global
pacing.
Direct messages to a member are in test_direct.py."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest

from adapters.discord import DiscordAdapter
from adapters.discord.adapter import nonce_for
from adapters.discord.pacing import GLOBAL_BURST, GLOBAL_RATE
from bot.chat import Button, ChannelRef, DeliveryError, Message
from bot.models import Paper, TalkChanges
from jobs.dispatch import dispatch_due
from jobs.planner import plan_new_items
from tests.adapters.discord.payloads import CHANNEL
from tests.conftest import NOW
from tests.ratelimits import DiscordLimits

HERE = ChannelRef("discord", CHANNEL)
PAPER = Message(text="Pruning", title="Pruning Sparse Transformers",
                link="https://arxiv.org/abs/2611.00001", body="We prune.",
                fields=[("Authors", "Mei Chen")], context="2026-11-23", kind="paper",
                buttons=[Button("PDF", "https://arxiv.org/pdf/2611.00001v1")], key="lectern-7")


def posts(fake, channel=CHANNEL):
    return fake.calls_to("POST", f"/channels/{channel}/messages")


async def test_a_message_is_an_embed_with_a_nonce_and_no_mentions(adapter, fake):
    sent = await adapter.send(HERE, PAPER)
    [call] = posts(fake)
    body = call.body
    assert sent.channel == HERE and sent.id == fake.created[CHANNEL][0]["id"]
    assert body["allowed_mentions"] == {"parse": []}
    assert body["nonce"] == nonce_for("lectern-7") and len(body["nonce"]) <= 25
    assert body["enforce_nonce"] is True
    assert body["embeds"][0]["title"] == "Pruning Sparse Transformers"
    assert body["components"][0]["components"][0]["url"].startswith("https://arxiv.org/pdf")
    assert call.headers["Authorization"] == "Bot fake-token"
    assert not fake.rejected


async def test_a_resend_of_the_same_delivery_is_not_a_duplicate(adapter, fake):
    first = await adapter.send(HERE, PAPER)
    again = await adapter.send(HERE, PAPER)  # e.g. after a crash before "sent" was stored
    assert first.id == again.id
    assert len(fake.created[CHANNEL]) == 1 and len(posts(fake)) == 2
    other = await adapter.send(HERE, Message(text="other", key="lectern-8"))
    assert other.id != first.id


async def test_follow_ups_reply_to_the_announcement(adapter, fake):
    notice = Message(text="Cancelled: Compilers", title="Cancelled: Compilers",
                     kind="cancelled", reply_to="1400000000000000099", key="lectern-9")
    await adapter.send(HERE, notice)
    assert posts(fake)[0].body["message_reference"] == {
        "message_id": "1400000000000000099", "channel_id": CHANNEL,
        "fail_if_not_exists": False}


async def test_a_short_429_is_waited_out_by_discord_py(adapter, fake):
    fake.rate_limit(CHANNEL, retry_after=0.01)
    sent = await adapter.send(HERE, PAPER)
    assert len(posts(fake)) == 2 and sent.id == fake.created[CHANNEL][0]["id"]


async def test_a_long_429_is_handed_back_to_the_dispatcher(adapter, fake):
    fake.rate_limit(CHANNEL, retry_after=120.0)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(HERE, PAPER)
    assert not raised.value.permanent and raised.value.retry_after == 120.0
    assert len(posts(fake)) == 1


@pytest.mark.parametrize("status, code, text", [
    (403, 50001, "Missing Access"), (403, 50013, "Missing Permissions"),
    (404, 10003, "Unknown Channel")])
async def test_no_access_is_permanent_and_not_retried(adapter, fake, status, code, text):
    fake.answer(CHANNEL, status, {"message": text, "code": code})
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(HERE, PAPER)
    assert raised.value.permanent
    assert text in str(raised.value) and f"discord:{CHANNEL}" in str(raised.value)
    assert len(posts(fake)) == 1


async def test_a_refused_embed_is_posted_as_plain_text(adapter, fake):
    # The same embed would be refused at every retry (2, 4, 8, 16 minutes, then failed):
    # its plain text goes at once instead, as Slack's refused blocks do.
    fake.answer(CHANNEL, 400, {"message": "Invalid Form Body", "code": 50035})
    sent = await adapter.send(HERE, replace(PAPER, text="Pruning_x @everyone"))
    refused, plain = posts(fake)
    assert "embeds" in refused.body and not plain.body.get("embeds")
    assert plain.body["content"].startswith("Pruning\\_x @\u200beveryone")  # as text
    assert plain.body["allowed_mentions"] == {"parse": []} and sent.id


async def test_a_refused_plain_text_is_worth_a_retry_not_a_pause(adapter, fake):
    fake.answer(CHANNEL, 400, {"message": "Invalid Form Body", "code": 50035}, times=2)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(HERE, PAPER)
    assert not raised.value.permanent and len(posts(fake)) == 2


async def test_the_dispatcher_pauses_a_channel_discord_refuses(adapter, fake, seeded):
    channel = f"discord:{CHANNEL}"
    seeded.add_subscription(channel, "diffusion", "all", "test", NOW - timedelta(hours=1))
    papers = seeded.upsert_papers([Paper(id="arxiv:2611.00009", title="Diffusion Models",
                                         source="arxiv", url="https://arxiv.org/abs/2611.00009",
                                         published=NOW)], NOW)
    plan_new_items(seeded, papers, TalkChanges(), NOW, "UTC")
    fake.answer(CHANNEL, 403, {"message": "Missing Access", "code": 50001})
    report = await dispatch_due(seeded, {"discord": adapter}, NOW, "UTC")
    assert len(report.failed) == 1 and "Missing Access" in report.failed[0]["reason"]
    assert "Missing Access" in seeded.get_channel(channel).paused_reason
    assert len(posts(fake)) == 1  # no retry loop
    again = await dispatch_due(seeded, {"discord": adapter}, NOW + timedelta(hours=1), "UTC")
    assert not again.sent and len(posts(fake)) == 1


async def test_posts_to_one_channel_are_paced_without_waiting(adapter, fake, time):
    for key in ("a", "b", "c"):
        await adapter.send(HERE, Message(text=key, key=key))
    assert time.slept == [1.0, 1.0]
    await adapter.send(ChannelRef("discord", "1200000000000000077"), Message(text="d", key="d"))
    assert time.slept == [1.0, 1.0]  # another channel has its own pace


async def test_a_channel_id_that_is_not_one_is_permanent(adapter, fake):
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(ChannelRef("discord", "general"), PAPER)
    assert raised.value.permanent and not posts(fake)


async def test_sending_logs_in_by_itself_as_lectern_dispatch_does(fake, registry):
    fake.token = "fake-token"
    idle = DiscordAdapter(registry, token="fake-token", api_url=fake.api_url)
    try:
        await idle.send(HERE, PAPER)  # no start(): REST needs no gateway
    finally:
        await idle.stop()
    assert len(posts(fake)) == 1
    refused = DiscordAdapter(registry, token="stale", api_url=fake.api_url)
    with pytest.raises(DeliveryError) as raised:
        await refused.send(HERE, PAPER)
    assert not raised.value.permanent and "DISCORD_BOT_TOKEN" in str(raised.value)
    assert raised.value.credentials  # no channel is paused for it (jobs.dispatch)
    await refused.stop()


async def test_a_token_refused_mid_run_pauses_no_channel(adapter, fake):
    fake.answer(CHANNEL, 401, {"message": "401: Unauthorized", "code": 0})
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(HERE, PAPER)
    assert raised.value.credentials and not raised.value.permanent
    assert "DISCORD_BOT_TOKEN" in str(raised.value) and len(posts(fake)) == 1


async def test_a_backlog_to_many_channels_goes_at_49_a_second_without_429s(adapter, fake,
                                                                            time):
    """Discord allows 50 requests a second in all: a day's backlog goes at GLOBAL_RATE
    (49) after a burst of GLOBAL_BURST, never 50 in a second, and the fake refuses none."""
    fake.limits = DiscordLimits(now=time.monotonic)
    started = time.now
    for n in range(300):
        channel = ChannelRef("discord", str(1200000000000000100 + n % 60))
        await adapter.send(channel, Message(text=str(n), key=f"k{n}"))
    assert fake.limits.refused == [] and len(fake.limits.accepted) == 300
    took = time.now - started
    assert took == pytest.approx((300 - GLOBAL_BURST) / GLOBAL_RATE)
    assert GLOBAL_RATE < 50
    seconds = Counter(int(at - started) for _, at in fake.limits.accepted)
    assert max(seconds.values()) <= GLOBAL_BURST + GLOBAL_RATE
    assert sorted(seconds.values())[len(seconds) // 2] == 49  # a whole second's share
