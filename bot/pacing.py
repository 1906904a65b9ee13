"""The one pacer: token buckets that space requests out (per chat channel, per fetched host,
or over all of a bot's requests), and a hold that stops every key after a 429.

Time is injected: `now` (seconds, monotonic or wall) and an async `sleep`, so tests move
time instead of waiting for it.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable

Sleep = Callable[[float], Awaitable[object]]
MAX_KEYS = 4096  # past this many keys, the idle ones are forgotten


class TokenBucket:
    """`rate` requests a second after a burst of `burst` (GCRA: it keeps the theoretical
    arrival time of the next request). Pure: it is told the time."""

    __slots__ = ("burst", "rate", "_tat")

    def __init__(self, rate: float, burst: int = 1) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a token bucket needs a positive rate and a burst of at least 1")
        self.rate, self.burst = rate, burst
        self._tat = float("-inf")

    def reserve(self, now: float) -> float:
        """Take the next slot and return when it falls: `now`, or later when the bucket is
        empty (every reservation after it falls 1/rate later still)."""
        slot = max(self._tat, now - (self.burst - 1) / self.rate)
        self._tat = slot + 1 / self.rate
        return max(slot, now)

    def idle(self, now: float) -> bool:
        """Whether the bucket is full again, so forgetting it changes nothing."""
        return self._tat + (self.burst - 1) / self.rate <= now


class Pacer:
    """A token bucket per key, made at its first use. Waiters on one key take turns, each
    reading the clock afresh once its turn comes, so after a stall at most a burst goes at
    once. `hold` (after a 429) stops every key for a while.

    It keeps its own notion of now, never behind the clock and moved on by its own waits,
    so a clock that stands still (`lectern --now`) cannot make it wait forever."""

    def __init__(self, rate: float, burst: int = 1, *, now: Callable[[], float] = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        TokenBucket(rate, burst)  # the same checks, before the first wait
        self.rate, self.burst = rate, burst
        self._clock, self._sleep = now, sleep
        self._t = float("-inf")
        self._buckets: dict[str, TokenBucket] = {}
        self._turns: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._hold_until = float("-inf")

    def now(self) -> float:
        self._t = max(self._t, self._clock())
        return self._t

    def hold(self, seconds: float) -> None:
        """No key's next request goes before `seconds` from now."""
        self._hold_until = max(self._hold_until, self.now() + seconds)

    async def wait(self, key: str = "", *, rate: float | None = None) -> float:
        """Wait for `key`'s next slot (its bucket made at `rate`, default the pacer's);
        return the seconds waited."""
        async with self._turns[key]:
            now = self.now()
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(rate or self.rate, self.burst)
            delay = max(bucket.reserve(now), self._hold_until) - now
            if delay > 0:
                await self.pause(delay)
        if len(self._buckets) > MAX_KEYS:
            self._forget_idle()
        return max(delay, 0.0)

    async def pause(self, seconds: float) -> None:
        """Wait `seconds` (a backoff, or a slot's wait)."""
        until = self.now() + seconds
        await self._sleep(seconds)
        # Not `+= seconds`: keys pause side by side, and their pauses overlap.
        self._t = max(self._t, until)

    def _forget_idle(self) -> None:
        now = self.now()
        for key in [k for k, bucket in self._buckets.items() if bucket.idle(now)]:
            if not self._turns[key].locked():
                del self._buckets[key], self._turns[key]
