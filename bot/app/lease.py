"""Holding the sender lease (storage.lease) for `lectern run` and `lectern dispatch`.

Only the holder sends. `lectern run` waits for a live holder, saying once who it is, and
takes over when that holder stops, dies (a process on this host that no longer exists) or
stops renewing (its lease expires after LEASE_TTL); `lectern dispatch` does not wait: it
says who holds the lease and exits with EXIT_BUSY. The holder renews every RENEW_EVERY
seconds; a holder that finds its lease taken over stops sending. Lease times are real
time (bot.clock.SystemClock unless a test injects another): they concern processes, not
the instant `--now` pretends it is.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.clock import Clock, SystemClock
from storage.lease import Holder
from storage.store import Store

log = logging.getLogger("lectern")
LEASE_TTL = timedelta(seconds=30)
RENEW_EVERY = 10.0  # seconds
WAIT_STEP = 1.0  # seconds between a waiting run's tries
EXIT_BUSY = 3  # `lectern dispatch` while another process sends from the database


def this_host() -> str:
    """Where a pid means something: the host name, and on Linux the process-id namespace
    (two containers with one host name, say with host networking, each number their
    own processes: a pid from the other is no proof of death)."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")  # e.g. pid:[4026531836]
    except OSError:
        return socket.gethostname()
    return f"{socket.gethostname()} ({namespace})"


def alive(holder: Holder) -> bool:
    """Whether the holder's process exists: known in this host's pid namespace only
    (elsewhere the lease's expiry decides)."""
    if holder.host != this_host():
        return True
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class SenderLease:
    def __init__(self, store: Store, database: str, clock: Clock | None = None,
                 is_alive: Callable[[Holder], bool] = alive,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.store, self.database, self.clock = store, database, clock or SystemClock()
        self.is_alive, self.sleep = is_alive, sleep
        self.me = Holder(secrets.token_hex(8), this_host(), os.getpid())

    def try_take(self) -> Holder | None:
        """Take the lease; the live holder that has it instead, or None."""
        holder, released = self.store.take_lease(self.me, self.clock.now(), LEASE_TTL,
                                                 self.is_alive)
        if released:
            log.warning("took over %d deliveries a stopped sender had claimed; each is "
                        "looked for on its platform before it is sent again", released)
        return holder

    async def take(self, waiting: Callable[[Holder], None]) -> bool:
        """Take the lease, waiting while a live holder has it (`waiting` hears of it
        once); True when it had to wait."""
        waited = False
        while (holder := self.try_take()) is not None:
            if not waited:
                waiting(holder)
                waited = True
            await self.sleep(WAIT_STEP)
        return waited

    async def keep(self) -> None:
        """Renew until cancelled; returns when the lease was taken over (stop sending)."""
        while True:
            await self.sleep(RENEW_EVERY)
            renewed = await self.store.transaction_when_free(  # the child may hold the lock
                lambda: self.store.renew_lease(self.me.token, self.clock.now(), LEASE_TTL))
            if not renewed:
                log.error("another process took over the sender lease of %s: this one "
                          "stops sending", self.database)
                return

    def release(self) -> None:
        self.store.give_back_lease(self.me.token)
