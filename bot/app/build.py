"""The composition root: `build` makes lectern from Settings and a Clock, once, for
`lectern run`, every CLI command and the tests. Only bot.app knows the store, the jobs and
every adapter; this module wires them, bot.app.serve runs them, bot.app.cli drives them."""

from __future__ import annotations

import asyncio
import re
from functools import cached_property
from pathlib import Path
from typing import TextIO

from adapters.console import ConsoleAdapter
from bot.chat import Adapter, Invocation, Reply
from bot.clock import Clock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.commands.registry import Registry
from bot.foreground import Foreground
from bot.scheduled_events import EventPublisher
from bot.services.config import sync_sources
from bot.services.suggestions import suggester
from bot.settings import Settings
from jobs.discord_events import EventSync
from jobs.dispatch import DispatchReport, dispatch_due
from jobs.dispatch_loop import DispatchLoop
from jobs.hooks import JobHooks
from jobs.ingest import IngestReport, Progress
from jobs.ingest import ingest as ingest_document
from jobs.poll_jobs import ScheduledPolls, make_fetcher
from jobs.sources.fetch import Fetcher
from storage.store import Store


class App:
    """lectern, wired: the store, the hooks commands are given, the command registry (built
    once), the chat adapters the settings configure and, for `lectern run` (`live`), the
    dispatcher and the scheduled poll jobs, which the hooks wake and reschedule."""

    def __init__(self, settings: Settings, clock: Clock, store: Store, *,
                 live: bool = False) -> None:
        self.settings, self.clock, self.store = settings, clock, store
        self.adapters: dict[str, Adapter] = {}  # what the dispatcher sends through
        self.foreground = Foreground()  # commands answered, which the senders give way to
        self.dispatcher: DispatchLoop | None = None
        self.polls: ScheduledPolls | None = None
        if live:
            events = EventSync(store, lambda: publishers(self.adapters), self.adapters)
            self.dispatcher = DispatchLoop(store, self.adapters, clock, settings.timezone,
                                           public_url=settings.http.public_url, events=events,
                                           foreground=self.foreground)
            self.polls = ScheduledPolls(store, settings, clock, self.dispatcher.wake)
            self.hooks = JobHooks(store, clock, settings, wake=self.dispatcher.wake,
                                  reschedule=self.polls.reschedule)
        else:
            self.hooks = JobHooks(store, clock, settings)

    @cached_property
    def registry(self) -> Registry:
        return build_registry(BotContext(store=self.store, clock=self.clock,
                                         settings=self.settings, hooks=self.hooks),
                              self.foreground)

    @cached_property
    def chat(self) -> dict[str, Adapter]:
        """The Slack and Discord adapters whose tokens are configured (not yet started)."""
        return chat_adapters(self.settings, self.registry, self.clock, self.store)

    def console(self, out: TextIO | None = None) -> ConsoleAdapter:
        """The console channel; it reads commands from standard input when served."""
        return ConsoleAdapter(self.registry, out=out)

    def fetcher(self) -> Fetcher:
        """A fetcher as the settings configure it (close it: `async with`)."""
        return make_fetcher(self.settings)

    async def ingest(self, kind: str, location: str, *, source: str | None = None,
                     timezone: str | None = None, series: str | None = None,
                     progress: Progress | None = None) -> IngestReport:
        """`lectern ingest`: read one document into the database and plan what it brings."""
        async with self.fetcher() as fetcher:
            return await ingest_document(
                self.store, kind, location, source=source or source_name_for(location, kind),
                timezone=timezone or self.settings.timezone, now=self.clock.now(),
                fetcher=fetcher, series=series, default_zone=self.settings.timezone,
                progress=progress)

    async def command(self, invocation: Invocation) -> Reply:
        """`lectern command`: one slash command, as `lectern run` would answer it."""
        sync_sources(self.store, self.settings, self.clock.now())
        return await self.registry.dispatch(invocation)

    async def dispatch_once(self, console_out: TextIO | None = None) -> DispatchReport:
        """`lectern dispatch`: send everything due now through the configured adapters
        (console messages to `console_out`, default standard output)."""
        adapters: dict[str, Adapter] = {"console": ConsoleAdapter(None, out=console_out),
                                        **self.chat}  # sending needs no connection
        try:
            report = await dispatch_due(self.store, adapters, self.clock.now(),
                                        self.settings.timezone, self.settings.http.public_url)
            await EventSync(self.store, lambda: publishers(self.chat), self.chat).run(
                self.clock.now())  # what was announced, in the servers' event lists
            return report
        finally:
            for adapter in self.chat.values():
                await adapter.stop()

    def close(self) -> None:
        self.store.close()


def build(settings: Settings, clock: Clock, *, store: Store | None = None,
          apply_migrations: bool = True, live: bool = False) -> App:
    """lectern made from its settings: the database they name (or `store`), wired."""
    if store is None:
        store = Store.open(settings.database, apply_migrations=apply_migrations)
    return App(settings, clock, store, live=live)


def publishers(adapters: dict[str, Adapter]) -> dict[str, EventPublisher]:
    """The event lists of the chat adapters that have one (Discord's scheduled events)."""
    found = {name: getattr(adapter, "events", None) for name, adapter in adapters.items()}
    return {name: events for name, events in found.items()
            if getattr(events, "platform", None) == name}


def source_name_for(location: str, kind: str) -> str:
    """A stable default source name for `lectern ingest` (ids of feed items depend on it)."""
    if location == "-":
        return kind
    stem = re.sub(r"^https?://", "", location) if "://" in location else Path(location).stem
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-")[:64] or kind


def chat_adapters(settings: Settings, registry: Registry, clock: Clock,
                  store: Store) -> dict[str, Adapter]:
    """The Slack and Discord adapters whose tokens are configured (not yet started); the
    SDKs are imported only when a token asks for them."""
    found: dict[str, Adapter] = {}
    if settings.slack is not None:
        from adapters.slack import SlackAdapter

        slack = settings.slack
        found["slack"] = SlackAdapter(
            registry, bot_token=slack.bot_token.value,
            app_token=slack.app_token.value if slack.app_token else None,
            signing_secret=slack.signing_secret.value if slack.signing_secret else None,
            api_url=slack.api_url, http_host=slack.http_host, http_port=slack.http_port,
            managers=slack.managers, clock=clock)
    if settings.discord is not None:
        from adapters.discord import DiscordAdapter

        found["discord"] = DiscordAdapter(registry, token=settings.discord.bot_token.value,
                                          api_url=settings.discord.api_url, clock=clock,
                                          suggest=suggester(store, clock))
    return found


def discord_sync(settings: Settings, clock: Clock, guild_id: str | None) -> list[str]:
    """`lectern discord sync [--guild ID]`: register the slash commands with Discord, in one
    guild (seen at once) or globally (up to an hour); returns the command names. Never
    done on start: Discord limits how often commands may be registered."""
    from adapters.discord import DiscordError, sync_commands
    from bot.settings import SettingsError
    from jobs.sources.fetch import FetchError

    if settings.discord is None:
        raise SettingsError(["DISCORD_BOT_TOKEN is not set: copy the bot token from the "
                             "Discord Developer Portal (Bot page) into the environment"])
    app = build(settings, clock, store=Store.open(":memory:"))  # the registry's shape only
    try:
        return asyncio.run(sync_commands(app.registry, token=settings.discord.bot_token.value,
                                         api_url=settings.discord.api_url,
                                         guild_id=guild_id))
    except DiscordError as error:
        if error.credentials:
            raise SettingsError([str(error)]) from None
        raise FetchError(str(error), url=settings.discord.api_url) from None
    finally:
        app.close()
