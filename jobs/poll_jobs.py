"""The polling use cases: a checked poll (poll a source, then judge its health), a round of
every source (`lectern poll`), and the scheduled jobs of `lectern run`: the polls, which wake
the dispatcher when a poll planned something to send, and each minute's taste learning
(jobs.taste). How one source is polled is jobs.poll's;
how health is judged, jobs.health's."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from bot.clock import Clock, SystemClock
from bot.health import HealthPolicy
from bot.services.config import sync_sources
from bot.settings import Settings
from jobs.health import check_source
from jobs.ingest import IngestReport, InputError
from jobs.poll import poll_named
from jobs.scheduler import Scheduler
from jobs.sources.fetch import USER_AGENT, Fetcher, FetchLimits
from jobs.taste import EVERY_SECONDS as TASTE_EVERY_SECONDS
from jobs.taste import learn_due, warm_up
from storage.store import Store

log = logging.getLogger("lectern")
PollResult = tuple[str, IngestReport | None, str | None]


def make_fetcher(settings: Settings, attempts: int = FetchLimits.max_attempts) -> Fetcher:
    """The fetcher the settings ask for (limits, user agent, ranges chat sources may reach);
    a first try of a source just added makes one attempt, so a wrong address is said now."""
    limits = FetchLimits(max_bytes=settings.max_body_bytes,
                         connect_timeout=min(10.0, settings.timeout_seconds),
                         read_timeout=settings.timeout_seconds, max_attempts=attempts)
    return Fetcher(limits, user_agent=settings.user_agent or USER_AGENT,
                   allow_ranges=settings.allow_ranges)


async def poll_checked(store: Store, settings: Settings, name: str, fetcher: Fetcher,
                       now: datetime, *, scheduled: bool = False,
                       ) -> tuple[IngestReport | None, str | None, int]:
    """Poll a source, then judge its health and plan the notice a change calls for
    (jobs.health); returns the poll's report and error and how many notices were planned."""
    before = store.get_source(name)
    report, error = await poll_named(store, name, fetcher, timezone=settings.timezone,
                                     now=now, scheduled=scheduled)
    if before is None or (report is None and error is None):  # gone, or resting
        return report, error, 0
    planned = await store.transaction_when_free(lambda: check_source(  # the lock awaited
        store, before, now, HealthPolicy.from_settings(settings), settings.health.alerts_channel))
    return report, error, planned


async def poll_all(store: Store, settings: Settings, clock: Clock, only: str | None = None,
                   ) -> list[PollResult]:
    """Poll every source (or the one named) once, one after another; failures are
    recorded, not raised."""
    results = []
    sources = sync_sources(store, settings, clock.now())
    if only is not None and only not in {source.name for source in sources}:
        names = ", ".join(source.name for source in sources) or "none"
        raise InputError(f"there is no source named {only!r}; known sources: {names}")
    async with make_fetcher(settings) as fetcher:
        for source in sources:
            if only is not None and source.name != only:
                continue
            report, error, _ = await poll_checked(store, settings, source.name, fetcher,
                                                  clock.now())
            results.append((source.name, report, error))
    return results


class FirstRound:
    """Which of the sources known at start have been polled once since."""

    def __init__(self, names: set[str]) -> None:
        self.waiting = set(names)
        self.done = asyncio.Event()
        if not self.waiting:
            self.done.set()

    def polled(self, name: str) -> None:
        self.waiting.discard(name)
        if not self.waiting:
            self.done.set()


class ScheduledPolls:
    """The jobs of `lectern run`: a poll per source on its interval (jobs.scheduler), each
    a checked poll that wakes the dispatcher when it stored or planned something, and the
    taste learning of each minute (jobs.taste). Use `async with` (it holds the fetcher);
    `reschedule` rebuilds the jobs from the sources table."""

    def __init__(self, store: Store, settings: Settings, clock: Clock,
                 wake: Callable[[], None]) -> None:
        self.store, self.settings, self.clock, self.wake = store, settings, clock, wake
        self.scheduler = Scheduler()
        self.fetcher: Fetcher | None = None
        self.first_round = FirstRound(set())

    async def __aenter__(self) -> ScheduledPolls:
        self.fetcher = make_fetcher(self.settings)
        self.first_round = FirstRound({source.name for source in self.store.list_sources()})
        warm_up(self.store)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.stop()
        if self.fetcher is not None:
            await self.fetcher.aclose()

    async def poll(self, name: str) -> None:
        assert self.fetcher is not None, "poll jobs run inside `async with`"
        try:
            report, _, notices = await poll_checked(self.store, self.settings, name,
                                                    self.fetcher, self.clock.now(),
                                                    scheduled=True)
        finally:
            self.first_round.polled(name)
        if report:
            log.info("%s: %s", name, report.summary())
        if report or notices:
            self.wake()

    def reschedule(self) -> None:
        self.scheduler.schedule_polls(self.store.list_sources(), self.poll,
                                      first_run=SystemClock().now())

    async def learn(self) -> None:
        """Channels whose votes settled learn their taste again (jobs.taste)."""
        learned = await learn_due(self.store, self.clock.now())
        if learned:
            log.info("taste learned for %s", ", ".join(learned))

    def start(self) -> None:
        self.reschedule()
        self.scheduler.every("taste", TASTE_EVERY_SECONDS, self.learn)
        self.scheduler.start()

    def stop(self) -> None:
        self.scheduler.shutdown()
