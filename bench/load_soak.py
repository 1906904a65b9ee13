"""The soak part of bench/load.py: a warm-up day and then `days` more on a fast injected
clock. Each day the sources are polled at 06:00 (a new day's papers and talks), and the
dispatcher runs every 30 minutes of clock time (announcements, reminders, digests), through
the real adapters to the fakes (limits off: the clock runs far faster than the fakes' real
time, and pacing waits are skipped). The bot's RSS and the WAL file are read after each day.
"""

from __future__ import annotations

import asyncio
import gc
import os
import resource
import time
from datetime import timedelta
from pathlib import Path

from bench.load_setup import Scale, World, adapters, populate, sources
from bot.clock import FixedClock, SystemClock
from bot.settings import Settings
from jobs.dispatch import dispatch_due
from jobs.poll import poll_named
from jobs.poll_jobs import make_fetcher
from storage.store import Store

STEP = timedelta(minutes=30)
PAGE = resource.getpagesize()


def rss_mb() -> float:
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 1e6


def wal_mb(db: Path) -> float:
    wal = Path(f"{db}-wal")
    return wal.stat().st_size / 1e6 if wal.exists() else 0.0


class FastTime:
    """Pacing waits skipped: a monotonic clock that the skipped sleeps move on."""

    def __init__(self) -> None:
        self.offset = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    async def sleep(self, seconds: float) -> None:
        self.offset += seconds
        await asyncio.sleep(0)


async def soak(scale: Scale, db: Path, days: int) -> dict:
    start = SystemClock().now().replace(hour=0, minute=0, second=0, microsecond=0)
    clock, fast = FixedClock(start), FastTime()
    world = World(start, limits=False)
    store = Store.open(db)
    started, wal_sizes, rss, day_s = time.monotonic(), [], [], []
    try:
        populate(store, scale, world.urls["feeds"], start, digest_share=4)
        slack, discord = adapters(store, clock, world.urls, sleep=fast.sleep,
                                  monotonic=fast.monotonic)
        await discord.login()
        chat = {"slack": slack, "discord": discord}
        async with make_fetcher(Settings()) as fetcher:
            for day in range(days + 1):  # day 0 is the warm-up
                began = time.monotonic()
                await one_day(store, scale, world, fetcher, clock, chat, day)
                day_s.append(round(time.monotonic() - began, 1))
                wal_sizes.append(wal_mb(db))
                rss.append(rss_mb())
        await discord.stop()
        stats = world.stats()
    finally:
        store.close()
        world.close()
    return {"days": days, "rss_warm_mb": rss[0], "rss_end_mb": rss[-1],
            "rss_max_mb": max(rss[1:] or rss), "rss_growth": max(rss[1:] or rss) / rss[0] - 1,
            "rss_by_day_mb": [round(r, 1) for r in rss], "wal_max_mb": max(wal_sizes),
            "wal_end_mb": wal_sizes[-1], "wal_by_day_mb": [round(w, 1) for w in wal_sizes],
            "posted": stats["slack"]["posted"] + stats["discord"]["posted"],
            "429s": stats["slack"]["refused"] + stats["discord"]["refused"],
            "wall_s": time.monotonic() - started, "day_s": day_s}


async def one_day(store: Store, scale: Scale, world: World, fetcher, clock: FixedClock,
                  chat: dict, day: int) -> None:
    midnight = clock.now()
    for source in sources(scale, world.urls["feeds"], day):
        store.save_source(source, midnight)  # today's documents
    for step in range(int(timedelta(days=1) / STEP)):
        clock.set(midnight + step * STEP)
        if clock.now().hour == 6 and clock.now().minute == 0:
            for source in store.list_sources():
                _, error = await poll_named(store, source.name, fetcher, timezone="UTC",
                                            now=clock.now())
                if error:
                    print(f"{source.name}: {error}", flush=True)
        await dispatch_due(store, chat, clock.now(), "UTC")
    clock.set(midnight + timedelta(days=1))


if __name__ == "__main__":
    import sys

    days = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    print(asyncio.run(soak(Scale(), Path(f"/tmp/soak-{os.getpid()}.db"), days)))
