"""The running dispatcher: sends deliveries as they fall due while `lectern run` runs.

It sleeps until the next due row (so reminders go out on time), wakes early when new work
is planned, and sweeps at least every SWEEP_SECONDS in case a wake-up was missed. What
one sweep sends, and how, is jobs.dispatch's.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Mapping

from bot.chat import Adapter
from bot.foreground import Foreground
from jobs.digest import plan_digest_days
from jobs.discord_events import EventSync
from jobs.dispatch import DispatchReport, channel_senders
from storage.store import Store

log = logging.getLogger(__name__)


class DispatchLoop:
    """Sends deliveries as they fall due while the bot runs: it sleeps until the next one
    (so reminders go out on time), wakes early when new work is planned, and sweeps at
    least every SWEEP_SECONDS in case a wake-up was missed. Each channel's messages go
    out from a task of its own, so a channel working through a paced backlog holds up
    neither the other channels nor the next sweep."""

    SWEEP_SECONDS = 30.0

    def __init__(self, store: Store, adapters: Mapping[str, Adapter], clock,
                 default_zone: str, *, public_url: str | None = None,
                 events: EventSync | None = None,
                 foreground: Foreground | None = None) -> None:
        self.store, self.adapters, self.clock = store, adapters, clock
        self.default_zone, self.public_url = default_zone, public_url
        self.events = events  # servers' event lists, reconciled after the sweeps
        self.foreground = foreground or Foreground()  # the commands senders give way to
        self.refused: dict[str, str] = {}  # platform -> why its bot token was refused
        self._events_task: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._senders: dict[str, asyncio.Task] = {}  # channel id -> its running sender

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        # A previous sender's claims went back as maybe sent when this process took the
        # sender lease (storage.lease), never while that sender was alive.
        try:
            while True:
                self._wake.clear()
                try:
                    await self._plan_digests()
                    self._sweep()
                except Exception:  # the loop must outlive any one bad sweep
                    log.exception("dispatch sweep failed")
                self._sync_events()
                # asyncio.timeout, not wait_for: in 3.11 wait_for drops a cancel that comes
                # as the wake-up does, and the loop ran on (tests/jobs/test_cancel_races.py)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._delay()):
                        await self._wake.wait()
        finally:
            for task in [*self._senders.values(), self._events_task]:
                if task is not None:
                    task.cancel()

    async def _plan_digests(self) -> None:
        """The digests' rows, in a transaction whose write lock is awaited: the reader
        child may hold it, storing a document (storage.db.transaction_when_free)."""
        now = self.clock.now()
        await self.store.transaction_when_free(
            lambda: plan_digest_days(self.store, now, self.default_zone))

    def _sweep(self) -> None:
        """Start a sender for each channel with something due and no sender running."""
        report = DispatchReport()
        senders = channel_senders(self.store, self.adapters, self.clock.now(),
                                   self.default_zone, report, busy=self._senders,
                                   clock=self.clock.now, public_url=self.public_url,
                                   foreground=self.foreground, refused=self.refused,
                                   plan=False)
        left = len(senders)

        def done(channel_id: str, task: asyncio.Task) -> None:
            nonlocal left
            self._senders.pop(channel_id, None)
            left -= 1
            if not task.cancelled() and task.exception() is not None:
                log.error("sending to %s failed", channel_id, exc_info=task.exception())
            if not left and (report.sent or report.failed):
                log.info("dispatched %d, skipped %d, failed %d", len(report.sent),
                         len(report.skipped), len(report.failed))
            if not left and report.sent and self.events is not None:
                self.events.poke()  # what was announced may become events: now
                self._sync_events()
            if self._due_for(channel_id):  # what fell due while it was busy goes next
                self.wake()

        for channel_id, sender in senders.items():
            task = asyncio.create_task(sender, name=f"send to {channel_id}")
            self._senders[channel_id] = task
            task.add_done_callback(functools.partial(done, channel_id))

    def _sync_events(self) -> None:
        """Reconcile the servers' event lists in a task of its own, one at a time."""
        if self.events is None or (self._events_task and not self._events_task.done()):
            return
        try:
            now = self.clock.now()
            if self.events.due(now):
                self._events_task = asyncio.create_task(self.events.run(now),
                                                        name="scheduled events")
        except Exception:  # the database is busy: the next sweep
            log.exception("scheduled events could not start")

    def _due_for(self, channel_id: str) -> bool:
        try:
            return self.store.has_due_deliveries(channel_id, self.clock.now())
        except Exception:  # cannot tell (the database is busy): sweep, to be safe
            log.debug("could not look up what is due for %s", channel_id, exc_info=True)
            return True

    def _delay(self) -> float:
        now = self.clock.now()
        upcoming = self.store.next_due_at(after=now)
        if upcoming is None:
            return self.SWEEP_SECONDS
        seconds = (upcoming - now).total_seconds()
        return min(self.SWEEP_SECONDS, max(0.0, seconds))
