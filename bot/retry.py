"""The one retry policy: how many tries, the backoff between them, and how a server's
Retry-After is honoured. Fetching, both adapters' posters, the dispatcher and source polling
each hold a RetryPolicy with their own numbers; the arithmetic lives only here.

Pure: it says how long to wait, the caller waits (through its injected sleep or clock).
"""

from __future__ import annotations

import email.utils
import math
from dataclasses import dataclass
from datetime import UTC, datetime

_DOUBLINGS = 64  # past this, 2**n only overflows; every cap is reached long before


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """`attempts` tries in all; after the n-th failure in a row, wait `base` * 2**(n-1)
    seconds, at most `cap`, or what the server's Retry-After asks, up to `max_retry_after`
    (a longer wait is `too_long`: the caller gives up and hands it back)."""

    attempts: int = 4
    base: float = 1.0
    cap: float = 300.0
    max_retry_after: float = 600.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or min(self.base, self.cap, self.max_retry_after) < 0:
            raise ValueError("a RetryPolicy needs attempts >= 1 and no negative wait")

    def backoff(self, failures: int) -> float:
        """Seconds to rest after `failures` failures in a row (none after none)."""
        if failures <= 0:
            return 0.0
        return min(self.cap, self.base * 2.0 ** min(failures - 1, _DOUBLINGS))

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait before the next try: the server's Retry-After when it gave a
        usable one (at most max_retry_after), else the backoff."""
        wait = usable(retry_after)
        if wait is None:
            return self.backoff(failures)
        return min(wait, self.max_retry_after)

    def exhausted(self, tries: int) -> bool:
        """Whether `tries` tries used up the policy (no more after them)."""
        return tries >= self.attempts

    def too_long(self, retry_after: float | None) -> bool:
        """Whether the server asks for a longer wait than this policy will wait out."""
        wait = usable(retry_after)
        return wait is not None and wait > self.max_retry_after


def usable(retry_after: float | None) -> float | None:
    """A Retry-After in seconds that can be waited for (not negative, not NaN), or None."""
    if retry_after is None or math.isnan(retry_after):
        return None
    return max(0.0, retry_after)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """An HTTP Retry-After header in seconds: delta-seconds, or (given the server's `now`)
    an HTTP-date; None when it is missing or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        when = parse_http_date(value) if now is not None else None
        return None if when is None else max(0.0, (when - now).total_seconds())
    return seconds if seconds >= 0 and math.isfinite(seconds) else None


def parse_http_date(value: str) -> datetime | None:
    """An HTTP-date (`Date`, `Retry-After`) as an aware datetime, or None."""
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when
