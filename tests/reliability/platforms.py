"""The fake Slack and Discord with real adapters pointed at them, for the fault tests that
run the dispatcher in the test process: every message is counted where it lands. Pacing
waits are recorded, never slept (the clock is a FixedClock the test moves)."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import DiscordAdapter, Pacer
from adapters.slack import SlackAdapter
from bot.clock import FixedClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.settings import Settings
from jobs.dispatch import DispatchReport, dispatch_due
from storage.store import Store
from tests.adapters.discord.conftest import FakeTime
from tests.fake_discord import FakeDiscord, fake_discord
from tests.fake_slack import FakeSlack
from tests.httpserver import serve


async def no_wait(seconds: float) -> None:
    """Slack's pacer keeps its own time, moved on by its waits: nothing to sleep."""


@dataclass
class Platforms:
    store: Store
    clock: FixedClock
    zone: str
    slack: FakeSlack
    discord: FakeDiscord
    adapters: dict

    async def dispatch(self, at: datetime | None = None) -> DispatchReport:
        """One sweep of the dispatcher at `at` (default: the clock's now)."""
        if at is not None:
            self.clock.set(at)
        return await dispatch_due(self.store, self.adapters, self.clock.now(), self.zone)

    def counts(self) -> Counter:
        """Messages each channel holds on its platform (`slack:C1`, `discord:123`)."""
        found = Counter(f"slack:{post['channel']}" for post in self.slack.posted)
        for channel, messages in self.discord.created.items():
            found[f"discord:{channel}"] += len(messages)
        return found

    def texts(self, channel: str) -> list[str]:
        """What one channel received, oldest first (Slack's fallback text; Discord's
        content with its embed's title and description)."""
        platform, _, external = channel.partition(":")
        if platform == "slack":
            return [p["text"] for p in self.slack.posted if p["channel"] == external]
        return [" ".join([m["content"]] + [f"{e.get('title', '')} {e.get('description', '')}"
                                           for e in m["embeds"]])
                for m in self.discord.created.get(external, [])]

    def posts(self) -> int:
        return sum(self.counts().values())


@asynccontextmanager
async def platforms(store: Store, clock: FixedClock, zone: str = "UTC",
                    ) -> AsyncIterator[Platforms]:
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    settings = Settings(timezone=zone)
    registry = build_registry(BotContext(store=store, clock=clock, settings=settings))
    slack_fake = FakeSlack()
    try:
        async with serve(slack_fake.app()) as served, fake_discord() as discord_fake:
            slack_fake.base_url = served.base_url
            time = FakeTime()
            slack = SlackAdapter(registry, bot_token="xoxb-test", app_token=None,
                                 signing_secret="secret", api_url=slack_fake.api_url,
                                 clock=clock, sleep=no_wait)
            discord = DiscordAdapter(registry, token="fake-token", api_url=discord_fake.api_url,
                                     clock=clock, pacer=Pacer(1.0, monotonic=time.monotonic,
                                                              sleep=time.sleep))
            try:
                yield Platforms(store, clock, zone, slack_fake, discord_fake,
                                {"slack": slack, "discord": discord})
            finally:
                await slack.stop()
                await discord.stop()
            assert slack_fake.problems == [] and discord_fake.rejected == []
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway
