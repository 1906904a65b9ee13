"""Posting within the platforms' limits: the fakes enforce Slack's ~1 message a second per
channel and Discord's 5 per 5 s per channel and 50 a second in all (so these tests can
fail), and bursts sent through the real dispatcher and adapters meet no 429 while each
channel still gets its messages in order. Real time passes (pacing is the point): ~5 s.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
import pytest

from adapters.discord import DiscordAdapter
from adapters.slack import SlackAdapter
from bot.clock import SystemClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.models import Talk, UpsertResult
from bot.settings import Settings
from jobs.dispatch import dispatch_due
from jobs.planner import plan_new_items
from tests.fake_discord import fake_discord
from tests.fake_slack import FakeSlack
from tests.httpserver import serve
from tests.ratelimits import DiscordLimits, SlackLimits

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _restore_discord_addresses(discord_addresses):
    """Every test here may point discord.py at the fake (see tests/conftest.py)."""


@pytest.fixture
async def slack():
    fake = FakeSlack(limits=SlackLimits())
    async with serve(fake.app()) as server:
        fake.base_url = server.base_url
        yield fake


@pytest.fixture
async def discord_fake():
    async with fake_discord() as fake:
        fake.limits = DiscordLimits()
        yield fake


def plan_talks(store, channels: list[str], per_channel: int, series: str = "Colloquium"
               ) -> None:
    """`per_channel` talk announcements due now in each channel (talks are never folded
    into a catch-up list, so each is one message)."""
    now = SystemClock().now()
    for channel in channels:
        store.add_subscription(channel, series.lower(), "talks", "test",
                               now - timedelta(hours=1))
        store.update_channel(channel, reminder_offsets=())
    talks = [Talk(key=f"t{n}", title=f"{series} talk {n}", source=series,
                  start=now + timedelta(days=2, hours=n), series=series)
             for n in range(per_channel)]
    plan_new_items(store, UpsertResult(), store.upsert_talks(series, talks, now), now, "UTC")


def in_order(store, channel: str, accepted_refs: list[str]) -> bool:
    """The channel's deliveries, oldest first, were accepted by the platform in that order."""
    refs = [d.sent_ref for d in store.delivery_history(channel_id=channel, status="sent")]
    return refs == [ref for ref in accepted_refs if ref in refs] and len(refs) > 0


async def test_the_fakes_answer_a_burst_with_429s():
    async with aiohttp.ClientSession() as session:
        fake = FakeSlack(limits=SlackLimits())
        async with serve(fake.app()) as server:
            fake.base_url = server.base_url
            answers = []
            for n in range(6):
                async with session.post(fake.api_url + "chat.postMessage",
                                        json={"channel": "C1", "text": f"m{n}"}) as response:
                    answers.append((response.status, response.headers.get("Retry-After"),
                                    (await response.json())["ok"]))
        assert answers[:4] == [(200, None, True)] * 4  # the burst
        assert answers[4] == (429, "1", False) and len(fake.limits.refused) == 2
        async with fake_discord() as discord_fake:
            discord_fake.limits = DiscordLimits()
            url = f"{discord_fake.api_url}/channels/1/messages"
            body = {"content": "x", "nonce": "n", "enforce_nonce": True,
                    "allowed_mentions": {"parse": []}}
            statuses = []
            for n in range(6):
                async with session.post(url, json={**body, "nonce": f"n{n}"}) as response:
                    statuses.append(response.status)
                    data, headers = await response.json(), response.headers
            assert statuses == [200] * 5 + [429]
            assert data["global"] is False and headers["X-RateLimit-Remaining"] == "0"
            assert float(headers["X-RateLimit-Reset-After"]) > 4
            many = [session.post(f"{discord_fake.api_url}/channels/{c}/messages",
                                 json={**body, "nonce": f"g{c}"}) for c in range(100, 160)]
            responses = await asyncio.gather(*many)
            refused = [r for r in responses if r.status == 429]
            assert refused and refused[0].headers["X-RateLimit-Global"] == "true"
            assert refused[0].headers["X-RateLimit-Scope"] == "global"
            for response in responses:
                response.release()


async def test_a_burst_to_slack_channels_meets_no_429_and_keeps_order(store, slack):
    registry = build_registry(BotContext(store=store, clock=SystemClock(), settings=Settings()))
    adapter = SlackAdapter(registry, bot_token="xoxb-test", app_token=None,
                           signing_secret="s", api_url=slack.api_url)
    channels = ["slack:C1", "slack:C2", "slack:C3"]
    plan_talks(store, channels, per_channel=5)  # 15 messages: past the burst of each
    started = asyncio.get_running_loop().time()
    report = await dispatch_due(store, {"slack": adapter}, SystemClock().now(), "UTC")
    took = asyncio.get_running_loop().time() - started
    assert len(report.sent) == 15 and slack.limits.refused == []
    assert 1.5 < took < 5  # 2 paced posts a channel at ~1/s, the channels side by side
    for channel in channels:
        ts = [p["_ts"] for p in slack.posted if p["channel"] == channel.split(":")[1]]
        assert in_order(store, channel, ts)


async def test_a_burst_to_discord_meets_no_429_per_channel_or_global(store, discord_fake):
    registry = build_registry(BotContext(store=store, clock=SystemClock(), settings=Settings()))
    adapter = DiscordAdapter(registry, token="t", api_url=discord_fake.api_url)
    await adapter.login()
    try:
        few = [f"discord:{1000 + n}" for n in range(3)]
        plan_talks(store, few, per_channel=6)  # 6 in a channel: past Discord's 5 per 5 s
        # One each in 60 channels: past 50 a second in all.
        plan_talks(store, [f"discord:{2000 + n}" for n in range(60)], 1, "Seminar")
        report = await dispatch_due(store, {"discord": adapter}, SystemClock().now(), "UTC")
    finally:
        await adapter.stop()
    assert len(report.sent) == 18 + 60 and discord_fake.limits.refused == []
    for channel in few:
        ids = [m["id"] for m in discord_fake.created[channel.split(":")[1]]]
        assert in_order(store, channel, ids)
