"""A world for source-health tests: one database, a document server whose body a test swaps,
a FixedClock moved by hand, and a fake console that counts notices."""

from __future__ import annotations

from datetime import datetime, timedelta

from adapters.text import to_text
from bot.chat import ChannelRef, Invocation, UserRef
from bot.clock import FixedClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.settings import Settings
from jobs.dispatch import dispatch_due
from jobs.poll_jobs import poll_checked
from jobs.sources.fetch import Fetcher
from storage.store import Store
from tests.fakes import FakeAdapter


class World:
    """Polls a source, dispatches what it planned, and asks /sources as a member would."""

    def __init__(self, store: Store, settings: Settings, server, fetcher: Fetcher, *,
                 start: datetime) -> None:
        self.store, self.settings, self.server, self.fetcher = store, settings, server, fetcher
        self.clock = FixedClock(start)
        self.adapter = FakeAdapter()

    async def poll(self, name: str = "src", *, after: timedelta = timedelta(hours=1)) -> int:
        self.clock.advance(after)
        _, _, planned = await poll_checked(self.store, self.settings, name, self.fetcher,
                                           self.clock.now())
        await dispatch_due(self.store, {"console": self.adapter}, self.clock.now(), "UTC")
        return planned

    def notices(self, channel: str = "console:lab") -> list[str]:
        return self.adapter.texts(channel)

    async def sources_reply(self) -> str:
        registry = build_registry(BotContext(store=self.store, clock=self.clock,
                                             settings=self.settings))
        reply = await registry.dispatch(Invocation("sources", "", ChannelRef("console", "lab"),
                                                   UserRef("u1", "Ana")))
        return to_text(reply.message)
