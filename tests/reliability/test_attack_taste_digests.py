"""An outsider's attack on the channels' taste (issue 16), part 2: `/subscribe recommended`
and the mark a topic could forge, the digest's tail, a corrupted stored model, the daily
cap on the channel's local day, and how often and how much training runs."""

from __future__ import annotations

import io
import random
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from adapters.console import ConsoleAdapter
from adapters.text import to_text
from bot.models import ParseError
from bot.outbox import DIGEST
from bot.render import render_paper_announcement
from bot.taste import SETTLE, Tastes, learn, recommendations
from jobs import taste
from jobs.digest import digest_message
from jobs.dispatch import dispatch_due
from tests.conftest import NOW
from tests.reliability.tasteattack import (
    CONSOLE,
    FAILED,
    plan,
    registry_for,
    say,
    taught,
)
from tests.tasteworld import mixed_day, topic_paper

# ── /subscribe recommended: a setting, and a marker that a topic can forge ─────────────


async def test_a_topic_starting_with_recommended_is_still_a_keyword_match(store, clock):
    """`/subscribe recommended systems` is a topic (README). Its matches carry matched
    "recommended, systems", which the code takes for the model's own picks (a string
    prefix): they lose their "matched:" line and eat the day's quota of recommendations."""
    taught(store)
    registry = registry_for(store, clock)
    await say(registry, "/subscribe recommended systems")
    await say(registry, "/subscribe recommended per-day 2")
    assert [s.query for s in store.list_subscriptions(CONSOLE)] == ["recommended systems"]
    topic = [replace(topic_paper("other", n, NOW), title=f"Recommended systems at scale {n}")
             for n in range(60, 63)]
    plan(store, topic, NOW)
    [row, *_] = [d for d in store.due_deliveries(NOW) if d.item_id == topic[0].id]
    shown = to_text(render_paper_announcement(topic[0], row.matched))
    later = NOW + timedelta(hours=2)
    plan(store, mixed_day(later, 40, 5), later)
    picked = [d for d in store.due_deliveries(later) if d.recommended]
    assert ("matched: recommended" in shown, len(picked)) == (True, 2), (shown, picked)


@pytest.mark.parametrize("line", ["/subscribe Recommended 5", "/subscribe RECOMMENDED OFF",
                                  "/subscribe recommended  per-day   4"])
async def test_recommended_setting_parses_case_and_spacing(store, clock, line):
    registry = registry_for(store, clock)
    reply = await say(registry, line)
    assert not reply.refused, to_text(reply.message)
    assert store.list_subscriptions(CONSOLE) == []


# ── the digest's tail: the search it suggests must find what was left out ──────────────


@pytest.mark.parametrize("topic", ['"cluster lensing"', "title:galaxy", "cat:cs.LG"])
async def test_the_digest_tail_suggests_a_search_that_finds_the_rest(store, clock, topic):
    registry = registry_for(store, clock)
    store.add_subscription(CONSOLE, topic, "papers", "ana", NOW)
    store.update_channel(CONSOLE, digest_time="09:00", digest_size=2)
    papers = [p for p in mixed_day(NOW, 0, 16) if "galaxy" in p.title.lower()
              or "cluster lensing" in (p.title + p.abstract).lower()]
    papers = [replace(p, title=p.title + " with cluster lensing of a galaxy")
              for p in papers][:6]
    plan(store, papers, NOW)
    rows = [d for d in store.due_deliveries(NOW + timedelta(days=1))
            if isinstance(d.purpose, type(DIGEST))]
    assert len(rows) == 6
    message = digest_message(store, rows, NOW + timedelta(days=1))
    tail = message.text.splitlines()[-1]
    found = re.search(r"/papers search (.+)$", tail)
    assert found, tail
    reply = await say(registry, f"/papers search {found.group(1)}")
    text = to_text(reply.message)
    assert not reply.refused and "No " not in text.split("\n")[0], (tail, text)
    left_out = [p for p in papers if p.id not in {i.vote_on for i in message.items}]
    assert any(p.title[:30] in text for p in left_out), (tail, text)


# ── the stored model, corrupted ─────────────────────────────────────────────────────


def _corruptions(blob: bytes) -> dict[str, bytes]:
    rng = random.Random(16)
    flipped = bytearray(blob)
    for _ in range(40):
        flipped[rng.randrange(len(flipped))] ^= 0xFF
    return {"random": bytes(rng.randrange(256) for _ in range(4096)),
            "truncated": blob[: len(blob) // 2], "flipped": bytes(flipped),
            "tail-cut": blob[:-7], "doubled": blob + blob, "nul": b"\x00" * len(blob)}


async def test_a_corrupted_model_falls_back_everywhere(store, clock):
    taught(store)
    good = store.votes.model(CONSOLE)
    registry = registry_for(store, clock)
    store.add_subscription(CONSOLE, "deep learning OR benchmark OR propose OR art", "papers",
                           "ana", NOW)
    store.update_channel(CONSOLE, digest_time="09:00", recommend_per_day=3)
    today = mixed_day(NOW + timedelta(hours=1), 30, 4)
    plan(store, today, NOW + timedelta(hours=1))
    rows = [d for d in store.due_deliveries(NOW + timedelta(days=1))
            if isinstance(d.purpose, type(DIGEST))]
    failures = []
    for name, blob in _corruptions(good.blob).items():
        store.votes.save_model(CONSOLE, blob, NOW + timedelta(minutes=len(failures) + 1),
                               good.votes_through, good.liked, good.disliked)
        try:
            message = digest_message(store, rows, NOW + timedelta(days=1))
            assert message is not None and len(message.items) >= 4
            channel = store.get_channel(CONSOLE)
            recommendations(store, Tastes(store), channel, today, [], NOW, "UTC")
            text = to_text((await say(registry, "/papers recommend")).message)
            assert FAILED not in text, text
        except Exception as error:  # noqa: BLE001 - collected, reported together
            failures.append(f"{name}: {type(error).__name__}: {error}"[:200])
    assert failures == []


# ── the per-day cap, on the channel's local day ───────────────────────────────────────


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Pacific/Kiritimati"])
async def test_the_daily_cap_of_recommendations_follows_the_local_day(store, zone):
    taught(store)
    store.update_channel(CONSOLE, recommend_per_day=2, timezone=zone)
    local = datetime(2026, 11, 24, 23, 0, tzinfo=ZoneInfo(zone))
    moments = [local, local + timedelta(minutes=50), local + timedelta(minutes=70),
               local + timedelta(hours=20)]
    counts = []
    for n, moment in enumerate(moments):
        at = moment.astimezone(UTC)
        before = len([d for d in store.delivery_history() if d.channel_id == CONSOLE])
        plan(store, mixed_day(at, 100 + 10 * n, 5), at)
        counts.append(len([d for d in store.delivery_history()
                           if d.channel_id == CONSOLE]) - before)
    # 23:00 two, 23:50 none (the day's two are given), 00:10 two (a new day), 19:00 none
    assert counts == [2, 0, 2, 0], counts



# ── training: bounded, and not more often than it has reason to ────────────────────────


async def test_a_vote_flood_from_one_member_keeps_training_bounded(store):
    """One member votes on 1,200 papers: the model takes at most 400 liked and 400
    disliked (bot.relevance), so training should not read every voted paper."""
    papers = [topic_paper("liked" if n % 2 else "other", n, NOW - timedelta(days=2))
              for n in range(1200)]
    store.upsert_papers(papers, NOW - timedelta(days=2))
    store.ensure_channel(CONSOLE, NOW)
    with store.db.conn:
        store.db.conn.executemany(
            "INSERT INTO votes (channel_id, paper_id, user_id, value, voted_at) "
            "VALUES (?, ?, 'flood', ?, ?)",
            [(CONSOLE, p.id, 1 if n % 2 else -1, "2026-11-23T08:00:00Z")
             for n, p in enumerate(papers)])
    reads = []
    real = store.get_paper

    def counting(paper_id, *args, **kwargs):
        reads.append(paper_id)
        return real(paper_id, *args, **kwargs)

    store.get_paper = counting
    voted = set(p.id for p in papers)
    assert learn(store, CONSOLE, NOW)
    read_voted = len([i for i in reads if i in voted])
    assert read_voted <= 800, f"training read {read_voted} voted papers one by one"
    assert store.due_deliveries(NOW + timedelta(days=2)) == []  # a vote posts nothing


async def test_a_channel_with_nothing_new_does_not_retrain_every_minute(store):
    store.add_subscription(CONSOLE, "deep learning OR benchmark OR propose OR art", "papers",
                           "ana", NOW)
    store.update_channel(CONSOLE, recommend_per_day=3)
    plan(store, mixed_day(NOW, 0, 3), NOW)
    await dispatch_due(store, {"console": ConsoleAdapter(None, out=io.StringIO())}, NOW,
                       "UTC")
    learned = []
    for minute in range(1, 6):
        learned += await taste.learn_due(store, NOW + timedelta(minutes=minute))
    assert len(learned) == 0
    trained = store.votes.model_trained_at(CONSOLE)
    for minute in range(6, 30):
        await taste.learn_due(store, NOW + timedelta(minutes=minute))
    assert store.votes.model_trained_at(CONSOLE) == trained  # at most once, not each minute


async def test_a_learning_failure_in_one_channel_does_not_stop_the_others(store,
                                                                         monkeypatch):
    """Under `lectern run` a channel's training that raises anything but ParseError in the
    child (a locked database, a bug) comes back as RuntimeError (jobs.parse_child): the
    channels sorted after it must still learn, this minute and every minute after."""
    taught(store, ("console:a", "console:b"))
    for channel in ("console:a", "console:b"):
        store.votes.cast(channel, "arxiv:2611.00001", "cy", 1, NOW)
    real = taste.learn

    def failing(st, channel_id, now):
        if channel_id == "console:a":
            raise RuntimeError("the reader failed in its child process:\n"
                               "sqlite3.OperationalError: database is locked")
        return real(st, channel_id, now)

    monkeypatch.setattr(taste, "learn", failing)
    try:
        learned = await taste.learn_due(store, NOW + SETTLE)
    except RuntimeError as error:
        learned = f"learn_due raised {error!r}"
    assert learned == ["console:b"], learned


async def test_a_training_that_keeps_failing_is_not_retried_every_minute(store, monkeypatch):
    """A training killed past the child's limits (ParseError) leaves the old model; it
    should back off, not cost the child's whole CPU budget (and a restart of the child
    that parses feeds) every minute, forever."""
    taught(store)
    before = store.votes.model(CONSOLE)
    store.votes.cast(CONSOLE, "arxiv:2611.00001", "cy", 1, NOW)
    tries = []

    async def killed(st, channel_id, now):
        tries.append(now)
        raise ParseError("the reader's child process went past its limits and was stopped")

    monkeypatch.setattr(taste, "_learn", killed)
    for minute in range(1, 31):
        await taste.learn_due(store, NOW + timedelta(minutes=minute))
    after = store.votes.model(CONSOLE)  # the old model stays
    assert (after.blob, after.trained_at) == (before.blob, before.trained_at)
    assert len(tries) <= 5, f"{len(tries)} trainings in 30 minutes"
