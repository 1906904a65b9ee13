"""A Discord server with talks, for the scheduled-event tests: a real SQLite file, the
fake Discord on the injected clock, the real Discord adapter (discord.py's HTTP client),
the real planner, dispatcher and event reconciliation, and the live feed over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import icalendar
from aiohttp import web

from adapters.discord import DiscordAdapter, Pacer
from bot.app.build import build
from bot.app.calendars import routes
from bot.chat import ChannelRef, Invocation, Reply, UserRef
from bot.clock import FixedClock
from bot.models import Talk, UpsertResult
from bot.settings import Settings
from jobs.discord_events import EventReport, sync_events
from jobs.dispatch import dispatch_due
from jobs.planner import plan_new_items
from storage.calendar_feeds import channel_owner
from storage.store import Store
from tests.fake_discord import FakeDiscord, fake_discord
from tests.fake_discord_events import GUILD
from tests.httpserver import serve

CHANNEL = "1200000000000000002"  # in GUILD
HERE = "discord:" + CHANNEL
ZONE = "Europe/London"
PUBLIC = "https://lectern.example.org"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
START = NOW + timedelta(days=2, hours=6)


def talk(**fields) -> Talk:
    """A talk of the department's colloquium, as its page gives it."""
    made = {"key": "colloquium-1", "title": "Sheaves and stacks", "source": "dept",
            "start": START, "end": START + timedelta(hours=1), "timezone": ZONE,
            "speakers": ["Ada Lovelace"], "affiliation": "Analytical Engines Ltd",
            "series": "Colloquium", "location": "Room 1, Babbage Building",
            "url": "https://dept.example.org/colloquium/1"}
    return Talk(**{**made, **fields})


class NoTime:
    """A pacer's clock that never waits (the tests move time themselves)."""

    now = 1000.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class World:
    path: Path
    fake: FakeDiscord
    clock: FixedClock = field(default_factory=lambda: FixedClock(NOW))
    store: Store | None = None
    adapter: DiscordAdapter | None = None

    async def start(self) -> None:
        """(Re)start lectern: a new connection to the file and a new Discord client."""
        self.fake.clock = lambda: self.clock.now().timestamp()
        self.store = Store.open(self.path)
        registry = build(Settings(timezone=ZONE), self.clock, store=self.store).registry
        time = NoTime()
        self.adapter = DiscordAdapter(registry, token="fake-token", api_url=self.fake.api_url,
                                      clock=self.clock,
                                      pacer=Pacer(1.0, monotonic=time.monotonic,
                                                  sleep=time.sleep))
        self.registry = registry
        await self.adapter.login()
        self.store.ensure_channel(HERE, NOW)
        if not self.store.list_subscriptions(HERE):
            self.store.add_subscription(HERE, "series:colloquium", "talks", "U1", NOW)

    async def stop(self) -> None:
        await self.adapter.stop()
        self.store.close()

    async def command(self, args: str, manager: bool = True,
                      where: ChannelRef | None = None) -> Reply:
        """`/settings <args>`, typed in the server's channel (or `where`)."""
        return await self.registry.dispatch(Invocation(
            "settings", args, where or ChannelRef("discord", CHANNEL), UserRef("U1", "Ada"),
            is_manager=manager))

    async def publish(self, *talks: Talk) -> EventReport:
        """The department's page says this now: stored, planned, sent, reconciled."""
        now = self.clock.now()
        changes = self.store.upsert_talks("dept", list(talks), now)
        plan_new_items(self.store, UpsertResult(), changes, now, ZONE)
        await dispatch_due(self.store, {"discord": self.adapter}, now, ZONE, PUBLIC)
        return await self.sync()

    async def sync(self) -> EventReport:
        return await sync_events(self.store, self.adapter.events, self.adapter,
                                 self.clock.now())

    def posts(self) -> list[dict]:
        return [c.body for c in self.fake.calls_to("POST", f"/channels/{CHANNEL}/messages")]

    def events(self) -> list[dict]:
        """Every event the guild has, listed or not (cancelled)."""
        return list(self.fake.events.events[GUILD].values())

    def creations(self) -> int:
        return len(self.fake.calls_to("POST", f"/guilds/{GUILD}/scheduled-events"))

    async def feed(self) -> icalendar.Event:
        """The channel's live feed, fetched over HTTP: its one event."""
        secret = self.store.feed_secret(channel_owner(HERE), self.clock.now())
        app = web.Application()
        app.add_routes(routes(self.store, self.clock))
        async with serve(app) as server, aiohttp.ClientSession() as session, \
                session.get(f"{server.base_url}/cal/{secret}.ics") as response:
            assert response.status == 200
            body = await response.read()
        [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
        return event


@asynccontextmanager
async def running(path: Path) -> AsyncIterator[World]:
    """A started World on a fake Discord, stopped after."""
    async with fake_discord() as fake:
        made = World(path, fake)
        await made.start()
        try:
            yield made
        finally:
            await made.stop()
