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


def texts_of(fakes, channel: str) -> list[str]:
    return [t.split("\n")[0] for t in fakes.texts(channel)]


async def test_three_weeks_paused_then_resumed_sends_only_news_of_talks_to_come(store, clock):
    """Told of five talks, then removed from the channel for three weeks, while the feed
    moves two (one of them twice), cancels one and adds one. At /settings resume the
    channel hears only of what is still ahead: one notice for the talk moved twice."""
    a, _ = subscribe(store, "slack")
    near = {k: T0 + n * D for k, n in (("p1", 2), ("p2", 5), ("p3", 10))}
    far = {"f1": T0 + 30 * D, "f2": T0 + 31 * D}
    plan_talks(store, [seminar(k, at) for k, at in {**near, **far}.items()], T0)
    async with platforms(store, clock) as fakes:
        await fakes.dispatch(T0)
        assert len(fakes.texts(a)) == 5
        store.update_channel(a, paused_reason="not_in_channel", now=T0 + H)
        for day, talks in ((1, [seminar("p2", near["p2"] + H), seminar("f1", far["f1"] + H),
                                seminar("p3", near["p3"], status="cancelled")]),
                           (2, [seminar("f1", far["f1"] + 2 * H),
                                seminar("p4", T0 + 8 * D)])):
            plan_talks(store, talks, T0 + day * D)
            await fakes.dispatch(T0 + day * D)
        store.update_channel(a, paused_reason=None, now=T0 + 21 * D)
        report = await fakes.dispatch(T0 + 21 * D)
        assert texts_of(fakes, a)[5:] == ["Rescheduled: Seminar f1"], fakes.texts(a)
        assert "changed: time, end time" in fakes.texts(a)[-1]
        why = Counter(e["reason"] for e in report.skipped)
        assert why["the talk is over"] == 3  # p2 moved, p3 cancelled, p4 new
        assert why["collapsed into a later update"] == 1


async def test_a_bot_asleep_for_days_after_a_poll_announces_only_talks_to_come(store, clock):
    a, b = subscribe(store, "discord")
    plan_talks(store, [seminar("soon", T0 + 2 * D), seminar("week", T0 + 5 * D),
                       seminar("later", T0 + 20 * D)], T0)
    async with platforms(store, clock) as fakes:
        report = await fakes.dispatch(T0 + 7 * D)  # the laptop slept just after the poll
        for channel in (a, b):
            assert [t.strip().split("\n")[0] for t in fakes.texts(channel)] == [
                "New talk: Seminar later"], fakes.texts(channel)
        assert Counter(e["reason"] for e in report.skipped if e["purpose"] == "announce") \
            == {"the talk is over": 4}


async def test_a_post_slack_took_in_a_storm_is_not_posted_again_by_the_later_retry(store,
                                                                                   clock):
    """A 5xx storm: Slack keeps the first try but answers 500, and its history cannot be
    read while the storm lasts, so the adapter gives up on this message for now. The retry
    minutes later looks for it before posting: the channel has it once."""
    a, b = subscribe(store, "slack")
    store.remove_subscription(b, store.list_subscriptions(b)[0].id)
    clock.set(T0)
    plan_talks(store, [seminar("x", T0 + 3 * D)], T0)
    async with platforms(store, clock) as fakes:
        fakes.slack.answer("chat.postMessage", status=500, accepted=True)
        fakes.slack.answer("chat.postMessage", status=500, times=3)
        fakes.slack.answer("conversations.history", status=500, times=20)
        report = await fakes.dispatch(T0)
        assert report.sent == [] and report.failed == [] and fakes.counts()[a] == 1
        fakes.slack.script.clear()  # the storm is over
        at = T0
        while not (report := await fakes.dispatch(at)).sent:
            at += M
            assert at < T0 + H
        assert fakes.counts()[a] == 1, fakes.texts(a)
        assert [d.status for d in store.delivery_history(channel_id=a)
                if d.purpose.KIND == "announce"] == ["sent"]


async def test_a_terms_programme_published_at_once_is_one_list_not_a_flood(store, clock):
    """A department publishes the term's 14 seminars in one go: a subscribed channel gets
    them as one list (soonest first), then each talk's reminders in their time; a talk
    published alone later is announced alone."""
    a, b = subscribe(store, "slack")
    term = [seminar(f"w{n:02d}", T0 + (7 + 7 * n) * D) for n in range(14)]
    plan_talks(store, term, T0)
    async with platforms(store, clock) as fakes:
        await fakes.dispatch(T0)
        for channel in (a, b):
            [listed] = fakes.texts(channel)
            assert "14 upcoming talks" in listed and "Seminar w00" in listed
        plan_talks(store, [seminar("extra", T0 + 3 * D)], T0 + H)
        await fakes.dispatch(T0 + H)
        assert fakes.texts(a)[-1].startswith("New talk: Seminar extra")
        await fakes.dispatch(T0 + 6 * D)  # the day before w00
        reminders = [t for t in fakes.texts(a) if "Seminar w00" in t and "Reminder" in t]
        assert len(reminders) == 1 and fakes.counts()[a] == 1 + 1 + 1


async def test_a_talk_moved_into_the_past_is_still_said_while_its_old_time_is_ahead(store,
                                                                                     clock):
    """The page's date is corrected to last week (a typo, or the talk was given early): the
    channel, told of next week, hears of the change and gets no reminder."""
    a, _ = subscribe(store, "slack")
    plan_talks(store, [seminar("x", T0 + 7 * D)], T0)
    async with platforms(store, clock) as fakes:
        await fakes.dispatch(T0)
        plan_talks(store, [seminar("x", T0 - 7 * D)], T0 + H)
        await fakes.dispatch(T0 + H)
        await fakes.dispatch(T0 + 8 * D)
        assert texts_of(fakes, a) == ["New talk: Seminar x", "Rescheduled: Seminar x"]
