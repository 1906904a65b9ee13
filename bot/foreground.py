"""Members before the bot's own posting: while a command is being answered, the dispatcher's
senders wait before their next message, for at most PATIENCE seconds.

One event loop answers commands and sends what falls due. After a day's ingest, 200 channels'
senders each make, claim, post and mark a message a turn; a command, which needs several
turns of the loop, would wait behind all of them at every turn (p99 0.8-1.1 s in
bench/load.py). A command that takes long cannot stop the sending: the wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

PATIENCE = 0.5  # seconds a sender waits for the commands being answered, at most


class Foreground:
    """Counts the commands being answered; `clear` waits until there are none."""

    def __init__(self, patience: float = PATIENCE) -> None:
        self.patience = patience
        self._serving = 0
        # Futures of the running loop, made per wait: an Event would bind itself to the
        # first loop that waited, and a registry can outlive a loop (tests, the CLI).
        self._waiting: list[asyncio.Future] = []

    @property
    def busy(self) -> bool:
        return self._serving > 0

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[None]:
        """Around answering one command, from its arrival to its reply being sent."""
        self._serving += 1
        try:
            yield
        finally:
            self._serving -= 1
            if not self._serving:
                waiting, self._waiting = self._waiting, []
                for future in waiting:
                    if not future.done():
                        future.set_result(None)

    async def clear(self) -> None:
        """Return when no command is being answered, or after `patience` seconds."""
        if self._serving:
            future = asyncio.get_running_loop().create_future()
            self._waiting.append(future)
            try:
                async with asyncio.timeout(self.patience):  # not wait_for: it can drop a cancel
                    await future
            except TimeoutError:  # a long command: go on sending
                pass
            finally:  # given up or cancelled: forget this wait (unless the last one ended)
                with contextlib.suppress(ValueError):
                    self._waiting.remove(future)
