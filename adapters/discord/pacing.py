"""Pacing: posts to one channel are spaced out, on top of discord.py's own rate-limit
buckets, and all requests together stay under Discord's global limit (50 a second,
which discord.py only learns of from a 429), so a burst (a digest, reminders after downtime,
a day's announcements to 200 channels) never meets a 429.

The clock and the sleep are parameters, so tests move time instead of waiting for it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

GLOBAL_RATE = 48.0  # requests a second in all: Discord allows 50, a little is kept in hand
GLOBAL_BURST = 10  # requests that may go at once before the global pacing starts


class Pacer:
    """At most one post per `interval` seconds in each channel, and `per_second` in all
    (after a short burst). Concurrent senders each reserve the next free slot, so they
    never wake at the same moment."""

    def __init__(self, interval: float = 1.0, *, per_second: float = GLOBAL_RATE,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self.interval = interval
        self.per_second = per_second
        self._monotonic = monotonic
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._global = float("-inf")  # the global bucket's next free slot
        self._turn = asyncio.Lock()

    async def wait(self, channel_id: str) -> float:
        """Wait for this channel's next slot; returns how long that was, in seconds."""
        now = self._monotonic()
        slot = max(now, self._next.get(channel_id, now))
        self._next[channel_id] = slot + self.interval
        delay = slot - now
        if delay > 0:
            await self._sleep(delay)
        if len(self._next) > 4096:  # forget channels that have gone quiet
            self._next = {c: t for c, t in self._next.items() if t > now}
        return delay + await self.wait_global()

    async def wait_global(self) -> float:
        """A global slot: for a post, taken once the channel's own slot has come (so a
        channel that must wait does not hold up the others); alone, for a request that
        counts against the same limit (opening a direct message). Requests take their
        turns one by one, each reading the clock afresh: after the event loop stalls, at
        most GLOBAL_BURST go at once, where slots reserved in advance would all fall due
        together."""
        async with self._turn:
            now = self._monotonic()
            spacing = 1.0 / self.per_second
            slot = max(self._global, now - (GLOBAL_BURST - 1) * spacing)
            self._global = slot + spacing
            if slot > now:
                await self._sleep(slot - now)
                return slot - now
            return 0.0
