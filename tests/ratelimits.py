"""The platforms' posting limits, for the fakes to enforce when a test or bench asks them to
(off by default): Slack's ~1 chat.postMessage a second per channel with a short burst, and
Discord's 5 messages per 5 s per channel (a window, as its X-RateLimit-* headers describe
it) and 50 requests a second for the whole bot. Each limiter reads an injectable clock
(seconds) and records every request it refused."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

Now = Callable[[], float]


@dataclass
class Bucket:
    """A token bucket (GCRA): `rate` a second, up to `burst` at once."""

    rate: float
    burst: int
    _tat: float = float("-inf")  # theoretical arrival time of the next request

    def take(self, now: float) -> float:
        """0 when the request may pass (and it is counted), else seconds until it may."""
        tat = max(self._tat, now)
        allowed_from = tat - (self.burst - 1) / self.rate
        if now < allowed_from:
            return allowed_from - now
        self._tat = tat + 1 / self.rate
        return 0.0


@dataclass
class Window:
    """Discord's per-route bucket: `limit` requests in a window that opens with the first
    one and lasts `seconds`."""

    limit: int
    seconds: float
    opened: float = float("-inf")
    used: int = 0

    def take(self, now: float) -> float:
        if now >= self.opened + self.seconds:
            self.opened, self.used = now, 0
        if self.used >= self.limit:
            return self.opened + self.seconds - now
        self.used += 1
        return 0.0

    def reset_after(self, now: float) -> float:
        return max(0.0, self.opened + self.seconds - now)


@dataclass
class SlackLimits:
    """chat.postMessage: `rate` messages a second per channel after a burst of `burst`
    (Slack: "1 message per second to a specific channel ... generous burst behavior")."""

    rate: float = 1.0
    burst: int = 4
    now: Now = time.monotonic
    buckets: dict[str, Bucket] = field(default_factory=dict)
    accepted: list[tuple[str, float]] = field(default_factory=list)  # (channel, when)
    refused: list[tuple[str, float]] = field(default_factory=list)

    def check(self, channel: str) -> float:
        """0 to accept a post to `channel`, else the Retry-After in seconds."""
        now = self.now()
        bucket = self.buckets.setdefault(channel, Bucket(self.rate, self.burst))
        wait = bucket.take(now)
        (self.refused if wait else self.accepted).append((channel, now))
        return wait


@dataclass
class DiscordLimits:
    """POST /channels/{id}/messages: `per_channel` per `window` seconds in each channel;
    every bot request except interaction answers: `global_rate` a second."""

    per_channel: int = 5
    window: float = 5.0
    global_rate: float = 50.0
    now: Now = time.monotonic
    wall: Now = time.time  # for X-RateLimit-Reset, an epoch time
    windows: dict[str, Window] = field(default_factory=dict)
    accepted: list[tuple[str, float]] = field(default_factory=list)
    refused: list[tuple[str, float, str]] = field(default_factory=list)  # + scope
    _global: Bucket | None = None

    def check_global(self, path: str) -> dict | None:
        """None to let the request through, else the 429's (body, headers)."""
        if self._global is None:
            self._global = Bucket(self.global_rate, int(self.global_rate))
        now = self.now()
        wait = self._global.take(now)
        if not wait:
            return None
        self.refused.append((path, now, "global"))
        return {"body": {"message": "You are being rate limited.", "retry_after": wait,
                         "global": True},
                "headers": {"Retry-After": str(max(1, round(wait))), "Via": "1.1 google",
                            "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}}

    def check_channel(self, channel: str) -> tuple[dict | None, dict[str, str]]:
        """(None, headers) to accept a message, else ({429 body}, headers)."""
        now = self.now()
        window = self.windows.setdefault(channel, Window(self.per_channel, self.window))
        wait = window.take(now)
        after = window.reset_after(now)
        headers = {"X-RateLimit-Limit": str(self.per_channel),
                   "X-RateLimit-Remaining": str(max(0, self.per_channel - window.used)),
                   "X-RateLimit-Reset": f"{self.wall() + after:.3f}",
                   "X-RateLimit-Reset-After": f"{after:.3f}",
                   "X-RateLimit-Bucket": "fake-channel-messages"}
        if not wait:
            self.accepted.append((channel, now))
            return None, headers
        self.refused.append((channel, now, "user"))
        headers.update({"Retry-After": str(max(1, round(wait))), "Via": "1.1 google",
                        "X-RateLimit-Scope": "user"})
        return {"message": "You are being rate limited.", "retry_after": wait,
                "global": False}, headers
