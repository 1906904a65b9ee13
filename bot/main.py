"""The composition root: the only module that knows the store, the jobs and every adapter.

It builds them from Settings and wires them together for the CLI and for `lectern run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from datetime import datetime
from pathlib import Path

from adapters.console import ConsoleAdapter
from bot.clock import Clock, SystemClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.models import SearchHit, Source
from bot.settings import Settings
from jobs.ingest import IngestReport, Progress
from jobs.ingest import ingest as ingest_document
from jobs.poll import poll_named
from jobs.scheduler import Scheduler
from jobs.sources.fetch import USER_AGENT, Fetcher, FetchLimits
from storage.store import Store

log = logging.getLogger("lectern")


def open_store(settings: Settings, *, apply_migrations: bool = True) -> Store:
    return Store.open(settings.database, apply_migrations=apply_migrations)


def make_fetcher(settings: Settings) -> Fetcher:
    limits = FetchLimits(max_bytes=settings.max_body_bytes,
                         connect_timeout=min(10.0, settings.timeout_seconds),
                         read_timeout=settings.timeout_seconds)
    return Fetcher(limits, user_agent=settings.user_agent or USER_AGENT)


def source_name_for(location: str, kind: str) -> str:
    """A stable default source name for `lectern ingest` (ids of feed items depend on it)."""
    if location == "-":
        return kind
    stem = re.sub(r"^https?://", "", location) if "://" in location else Path(location).stem
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-")[:64] or kind


async def ingest(store: Store, settings: Settings, clock: Clock, kind: str, location: str, *,
                 source: str | None = None, timezone: str | None = None,
                 series: str | None = None, progress: Progress | None = None) -> IngestReport:
    async with make_fetcher(settings) as fetcher:
        return await ingest_document(
            store, kind, location, source=source or source_name_for(location, kind),
            timezone=timezone or settings.timezone, now=clock.now(), fetcher=fetcher,
            series=series, progress=progress)


def sync_sources(store: Store, settings: Settings, now: datetime) -> list[Source]:
    """Make the sources table hold the config file's sources (keeping their health);
    sources the config no longer names are dropped unless a member added them in chat."""
    configured = {s.name for s in settings.sources}
    for entry in settings.sources:
        store.save_source(Source(name=entry.name, kind=entry.kind, location=entry.location,
                                 interval_minutes=entry.interval_minutes,
                                 timezone=entry.timezone, added_by="config"), now)
    for source in store.list_sources():
        if source.added_by == "config" and source.name not in configured:
            store.remove_source(source.name)
    return store.list_sources()


async def poll_all(store: Store, settings: Settings,
                   clock: Clock) -> list[tuple[str, IngestReport | None, str | None]]:
    """Poll every source once, one after another; failures are recorded, not raised."""
    results = []
    async with make_fetcher(settings) as fetcher:
        for source in sync_sources(store, settings, clock.now()):
            report, error = await poll_named(store, source.name, fetcher,
                                             timezone=settings.timezone, now=clock.now())
            results.append((source.name, report, error))
    return results


def paper_hit(paper) -> SearchHit:
    return SearchHit(kind="paper", id=paper.id, title=paper.title, url=paper.url,
                     authors=paper.authors, published=paper.published, score=0.0)


def run(settings: Settings, clock: Clock) -> int:
    """`lectern run`: poll sources on their schedule and serve the console channel."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        asyncio.run(_serve(settings, clock))
    except KeyboardInterrupt:
        pass
    return 0


async def _serve(settings: Settings, clock: Clock) -> None:
    store = open_store(settings)
    sources = sync_sources(store, settings, clock.now())
    registry = build_registry(BotContext(store=store, clock=clock, settings=settings))
    console = ConsoleAdapter(registry)
    scheduler = Scheduler()
    async with make_fetcher(settings) as fetcher:
        async def poll(name: str) -> None:
            report, _ = await poll_named(store, name, fetcher, timezone=settings.timezone,
                                         now=clock.now())
            if report:
                log.info("%s: %s", name, report.summary())

        scheduler.schedule_polls(sources, poll, first_run=SystemClock().now())
        scheduler.start()
        log.info("lectern is running with %d sources on the console channel (database %s)",
                 len(sources), settings.database)
        try:
            await console.serve()
            await asyncio.Event().wait()  # stdin closed: keep polling until stopped
        finally:
            scheduler.shutdown()
            with contextlib.suppress(Exception):
                store.close()
