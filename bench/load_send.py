"""The load benchmark's send phase: how close lectern's posting comes to each platform's
ceiling, with every message ready at once.

Since a term's programme published at once goes out as one list (jobs.outgoing), the day's
cycle (bench/load.py) no longer floods a channel with its 40 talk announcements, so it no
longer measures pacing. Here every channel has PER_CHANNEL reminders of different talks
due now (reminders are never merged into a list), sent by the real DispatchLoop through
SlackAdapter and DiscordAdapter to the fakes that enforce the platforms' limits; the share
of the ceiling is the least time those limits allow for the accepted posts
(load_setup.ceiling_seconds) over the time from the first post to the last.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bench.load_setup import Scale, World, adapters, channel_ids, pending, rate_figures
from bot.clock import SystemClock
from bot.models import Talk, talk_id
from bot.outbox import Delivery, Reminder
from jobs.dispatch_loop import DispatchLoop
from storage.store import Store

PER_CHANNEL = 41  # as many as the day's cycle posted per channel before 4b469c7
LEAD = timedelta(hours=2)  # the talks start this long after now: the reminders are due


def plan(store: Store, scale: Scale) -> int:
    """The channels, PER_CHANNEL talks, and a reminder of each for every channel, due now."""
    now = SystemClock().now()
    start = now + LEAD
    talks = [Talk(key=f"send{n}", title=f"Seminar {n}: pacing under load", source="bench",
                  start=start + timedelta(minutes=n), end=start + timedelta(minutes=n + 60),
                  timezone="UTC", series="Bench", speakers=["Ada Lovelace"])
             for n in range(PER_CHANNEL)]
    store.upsert_talks("bench", talks, now)
    rows = []
    for channel in channel_ids(scale):
        store.add_subscription(channel, "series:bench", "talks", "bench", now)
        rows += [Delivery(channel, "talk", talk_id("bench", talk.key),
                          Reminder(int(LEAD.total_seconds() // 60), talk.start), now)
                 for talk in talks]
    return store.plan_deliveries(rows, now)


async def send_phase(scale: Scale, db: Path) -> dict:
    clock = SystemClock()
    world = World(clock.now(), limits=True)
    store = Store.open(db)
    try:
        planned = plan(store, scale)
        slack, discord = adapters(store, clock, world.urls)
        await slack.start()
        await discord.login()
        loop = DispatchLoop(store, {"slack": slack, "discord": discord}, clock, "UTC",
                            foreground=slack.registry.foreground)
        sender = asyncio.create_task(loop.run_forever())
        loop.wake()
        while pending(store):
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # the last posts land
        sender.cancel()
        await slack.stop()
        await discord.stop()
        stats = world.stats()
    finally:
        store.close()
        world.close()
    return {"planned": planned, "slack": rate_figures("slack", stats["slack"]),
            "discord": rate_figures("discord", stats["discord"])}
