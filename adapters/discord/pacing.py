"""Per-channel pacing: posts to one channel are spaced out, on top of discord.py's own
rate-limit buckets, so a burst (a digest, reminders after downtime) never meets a 429.

The clock and the sleep are parameters, so tests move time instead of waiting for it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class Pacer:
    """At most one post per `interval` seconds in each channel. Concurrent senders each
    reserve the next free slot, so they never wake at the same moment."""

    def __init__(self, interval: float = 1.0, *,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self.interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next: dict[str, float] = {}

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
        return delay
