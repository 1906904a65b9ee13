"""What the fetcher tests share: a clock that moves only when the fetcher sleeps, fetchers
built on it (the `make_fetcher` fixture, in conftest.py), a handler answering in turn."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiohttp import web

NO_PACING = {}  # 127.0.0.1 is not paced unless a test says so


class FakeTime:
    """A monotonic clock that moves only when the fetcher sleeps; records every wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # still let other tasks run, as a real sleep would


def counting(*responses: Callable[[], web.StreamResponse]) -> Callable:
    """A handler giving each response in turn, then repeating the last one."""
    calls = iter(range(10**6))

    async def handler(request: web.Request) -> web.StreamResponse:
        return responses[min(next(calls), len(responses) - 1)]()

    return handler


