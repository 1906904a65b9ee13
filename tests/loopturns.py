"""How often the event loop turned while some work was awaited: 0 means the work held the
loop (a parse or store run on it), many means it ran elsewhere and commands were served."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


async def turns_during(work: Awaitable[T]) -> tuple[T, int]:
    """Await `work`; its result and the loop's turns meanwhile."""
    turns = 0

    async def ticker() -> None:
        nonlocal turns
        while True:
            await asyncio.sleep(0)
            turns += 1

    turning = asyncio.create_task(ticker())
    try:
        return await work, turns
    finally:
        turning.cancel()
