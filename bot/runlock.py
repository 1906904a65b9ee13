"""One `lectern run` per database: an OS file lock on `<database>.lock`.

The kernel releases the lock when its holder exits, however it exits (kill -9 included),
so a second `lectern run` waits in a blocking flock() and takes over at once, with no
lease to renew and no clock to trust. The lock file also says who holds it (process id,
host, since when), for the waiting process's log line. It is advisory: one-shot CLI
commands (`lectern dispatch`, `poll`, ...) do not take it; the outbox's claims keep them
safe beside a running bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.clock import to_iso

try:
    import fcntl
except ImportError:  # not a Unix: no lock (said once in the log by the caller)
    fcntl = None  # type: ignore[assignment]


_READ_AGAIN_AFTER = 0.02  # seconds between reads of a lock file not yet written


def lock_path(database: str) -> Path | None:
    """`<database>.lock` beside the database file; None for an in-memory database."""
    if database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(f"{database}.lock")


class RunLock:
    """An exclusive lock on one database's lock file, held until release() or exit."""

    def __init__(self, database: str) -> None:
        self.path = lock_path(database)
        self._fd: int | None = None

    @property
    def supported(self) -> bool:
        return fcntl is not None and self.path is not None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self, now: datetime) -> bool:
        """Take the lock if it is free; True when this process holds it."""
        if not self.supported:
            return True
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._took(fd, now)
        return True

    async def acquire(self, now: Callable[[], datetime],
                      waiting: Callable[[str], None] | None = None) -> None:
        """Take the lock, waiting for the holder to exit; `waiting(holder)` is called once
        if the lock is taken, with what the lock file says about its holder."""
        if self.try_acquire(now()):
            return
        if waiting is not None:
            waiting(await self._holder_when_written())
        fd = self._open()
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def block() -> None:  # a daemon thread: a Ctrl-C while waiting is not held up
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError as error:
                result: BaseException | None = error
            else:
                result = None
            try:
                loop.call_soon_threadsafe(_settle, done, result, fd)
            except RuntimeError:  # the loop closed while we waited: nobody wants the lock
                os.close(fd)

        threading.Thread(target=block, name="lectern-runlock", daemon=True).start()
        await done  # if cancelled, _settle closes the fd once flock() returns
        self._took(fd, now())

    def holder(self) -> str:
        """What the lock file says about its holder (`pid 123 on host, since ...`)."""
        return self._details() or "a process that has not written its details yet"

    async def _holder_when_written(self, patience: float = 1.0) -> str:
        """The holder's details, giving it a moment to write them: it takes the lock a
        few instructions before it writes the file, and a waiter can read in between."""
        steps = int(patience / _READ_AGAIN_AFTER)
        for _ in range(steps):
            if self._details():
                break
            await asyncio.sleep(_READ_AGAIN_AFTER)
        return self.holder()

    def _details(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip() if self.path else ""
        except OSError:
            return ""

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def _open(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)

    def _took(self, fd: int, now: datetime) -> None:
        self._fd = fd
        details = f"pid {os.getpid()} on {socket.gethostname()}, since {to_iso(now)}\n"
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, details.encode("utf-8"), 0)


def _settle(done: asyncio.Future[None], error: BaseException | None, fd: int) -> None:
    if done.done():  # the waiter was cancelled: let the lock go again
        os.close(fd)
        return
    if error is None:
        done.set_result(None)
    else:
        os.close(fd)
        done.set_exception(error)
