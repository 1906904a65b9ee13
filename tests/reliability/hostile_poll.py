"""Child process of test_hostile_bodies: poll one source the way `lectern poll` does, while a
heartbeat shows the event loop keeps turning, then answer /sources (the bot still serves).

    python -m tests.reliability.hostile_poll CONFIG DB SOURCE

Prints one JSON line: the poll's error, the source's failures and last error, the longest
stall of the event loop and the /sources reply. Resource use is read by the parent.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from adapters.text import to_text
from bot.app.build import build
from bot.chat import ChannelRef, Invocation, UserRef
from bot.clock import SystemClock
from bot.services.config import sync_sources
from bot.settings import load_settings
from jobs.poll import poll_named
from jobs.poll_jobs import make_fetcher

TICK = 0.05


async def main(config: str, db: str, name: str) -> dict:
    settings = load_settings(config, db=db, environ={})
    app = build(settings, SystemClock())
    store, clock = app.store, app.clock
    sync_sources(store, settings, clock.now())
    loop = asyncio.get_running_loop()
    stall = 0.0

    async def heartbeat() -> None:
        nonlocal stall
        last = loop.time()
        while True:
            await asyncio.sleep(TICK)
            now = loop.time()
            stall, last = max(stall, now - last - TICK), now

    beating = asyncio.create_task(heartbeat())
    started = time.monotonic()
    async with make_fetcher(settings) as fetcher:
        report, error = await poll_named(store, name, fetcher, timezone=settings.timezone,
                                         now=clock.now())
    polled = time.monotonic() - started
    beating.cancel()
    reply = await app.registry.dispatch(Invocation("sources", "", ChannelRef("console", "lab"),
                                               UserRef("u1", "Ana"), False))
    source = store.get_source(name)
    return {"error": error, "failures": source.failures, "last_error": source.last_error,
            "papers": report.papers.counts() if report else None,
            "stall": round(stall, 3), "poll_seconds": round(polled, 2),
            "reply": to_text(reply.message)}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(*sys.argv[1:4]))))
