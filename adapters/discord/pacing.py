"""Pacing: posts to one channel are spaced out, on top of discord.py's own rate-limit
buckets, and all requests together stay under Discord's global limit (50 a second,
which discord.py only learns of from a 429), so a burst (a digest, reminders after downtime,
a day's announcements to 200 channels) never meets a 429. Both are bot.pacing's pacer.

The clock and the sleep are parameters, so tests move time instead of waiting for it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from bot import pacing

# Requests a second in all: Discord allows 50. 2% is kept in hand for the requests
# discord.py makes on its own (logging in); at 48 (4% in hand) a day's backlog could
# reach no more than 95% of the limit.
GLOBAL_RATE = 49.0
GLOBAL_BURST = 10  # requests that may go at once before the global pacing starts


class Pacer:
    """At most one post per `interval` seconds in each channel, and `per_second` in all
    (after a short burst)."""

    def __init__(self, interval: float = 1.0, *, per_second: float = GLOBAL_RATE,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self.channels = pacing.Pacer(1.0 / interval, now=monotonic, sleep=sleep)
        self.overall = pacing.Pacer(per_second, GLOBAL_BURST, now=monotonic, sleep=sleep)

    async def wait(self, channel_id: str) -> float:
        """Wait for this channel's next slot, then a global one (so a channel that must
        wait does not hold up the others); returns how long that was, in seconds."""
        return await self.channels.wait(channel_id) + await self.wait_global()

    async def wait_global(self) -> float:
        """A global slot alone, for a request that counts against the same limit (opening
        a direct message)."""
        return await self.overall.wait()
