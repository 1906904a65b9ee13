"""Round-4 attacks on delivery: a platform refusing one channel mid-run, a 429 asking to wait
for days, and talk news that outlived its talk (a channel paused for weeks, a bot asleep).
Real adapters against the fake Slack and Discord on localhost (tests/reliability/
platforms.py); the clock is moved by the test, nothing sleeps.

The rules: a refusal no retry can help pauses its channel after one request, and what the
channel still had waiting stays waiting for `/settings resume` (the refused message itself
is marked failed, with why); other channels carry on. A platform that asks to wait is asked
once per channel, and the channel's messages wait that long together. A talk that is over
is never announced, updated or cancelled to a channel: that news is skipped, recorded.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bot.models import Talk, UpsertResult
from jobs.planner import plan_new_items
from tests.reliability.platforms import platforms

M, H, D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DISCORD_A, DISCORD_B = "1300000000000000100", "1300000000000000200"
CHANNELS = {"slack": ("CA", "CB"), "discord": (DISCORD_A, DISCORD_B)}


def seminar(key: str, start: datetime, **fields) -> Talk:
    return Talk(key=key, title=f"Seminar {key}", source="dept", start=start, end=start + H,
                timezone="UTC", **fields)


def plan_talks(store, talks: list[Talk], now: datetime) -> None:
    plan_new_items(store, UpsertResult(), store.upsert_talks("dept", talks, now), now, "UTC")


def subscribe(store, platform: str) -> tuple[str, str]:
    a, b = (f"{platform}:{c}" for c in CHANNELS[platform])
    for channel in (a, b):
        store.add_subscription(channel, "seminar", "talks", "U1", T0 - H)
    return a, b


def posts_to(fakes, platform: str, external: str) -> int:
    """Requests to post in one channel, answered or not."""
    if platform == "slack":
        return sum(1 for c in fakes.slack.called("chat.postMessage")
                   if c["channel"] == external)
    return len([c for c in fakes.discord.calls_to("POST", f"/channels/{external}/messages")])


REFUSALS = [
    ("slack", "channel_not_found"), ("slack", "is_archived"), ("slack", "not_in_channel"),
    ("discord", (403, {"message": "Missing Access", "code": 50001})),
    ("discord", (404, {"message": "Unknown Channel", "code": 10003})),
]


def refuse(fakes, platform: str, external: str, how) -> None:
    if platform == "slack":
        fakes.slack.channel_errors[external] = how
    else:
        fakes.discord.answer(external, *how, times=50)


def allow(fakes, platform: str, external: str) -> None:
    if platform == "slack":
        fakes.slack.channel_errors.pop(external)
    else:
        fakes.discord.scripts[external].clear()


@pytest.mark.parametrize(("platform", "how"), REFUSALS,
                         ids=[f"{p}-{h if isinstance(h, str) else h[0]}" for p, h in REFUSALS])
async def test_a_refusing_channel_is_asked_once_and_keeps_what_waits(store, clock, platform,
                                                                      how):
    a, b = subscribe(store, platform)
    plan_talks(store, [seminar(k, T0 + 3 * D + n * H) for n, k in enumerate("xyz")], T0)
    async with platforms(store, clock) as fakes:
        refuse(fakes, platform, a.partition(":")[2], how)
        report = await fakes.dispatch(T0)
        assert fakes.counts()[b] == 3  # the other channel carries on
        assert posts_to(fakes, platform, a.partition(":")[2]) == 1  # not once per message
        assert store.get_channel(a).paused_reason
        rows = Counter(d.status for d in store.delivery_history(channel_id=a)
                       if d.purpose.KIND == "announce")
        assert rows == {"failed": 1, "pending": 2}, rows
        assert len(report.failed) == 1
        # Fixed, then resumed by a manager: what waited goes out, once.
        allow(fakes, platform, a.partition(":")[2])
        store.update_channel(a, paused_reason=None, now=T0 + H)
        await fakes.dispatch(T0 + H)
        await fakes.dispatch(T0 + 2 * H)
        assert fakes.counts()[a] == 2 and fakes.counts()[b] == 3


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_a_429_asking_for_days_is_asked_once_a_channel_and_everything_waits(
        store, clock, platform):
    channels = subscribe(store, platform)
    plan_talks(store, [seminar(k, T0 + 3 * D + n * H) for n, k in enumerate("xyz")], T0)
    async with platforms(store, clock) as fakes:
        for channel in channels:
            if platform == "slack":
                fakes.slack.answer("chat.postMessage", status=429, retry_after=3 * 86400,
                                   times=3)
            else:
                fakes.discord.rate_limit(channel.partition(":")[2], 3 * 86400, times=3)
        report = await fakes.dispatch(T0)
        assert report.sent == [] and report.failed == []
        for channel in channels:
            assert posts_to(fakes, platform, channel.partition(":")[2]) == 1, channel
        waiting = store.delivery_history(status="pending")
        assert len(waiting) == 2 * (3 + 6)  # a channel: three announcements, six reminders
        assert min(d.due_at for d in waiting) == T0 + D  # the longest lectern waits
        fakes.slack.script.clear()
        for external in CHANNELS["discord"]:
            fakes.discord.scripts[external].clear()
        await fakes.dispatch(T0 + D)
        assert fakes.counts() == {c: 3 for c in channels}
