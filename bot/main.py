"""The composition root: the only module that knows the store, the jobs and every adapter.

It builds them from Settings and wires them together for the CLI and for `lectern run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from adapters.console import ConsoleAdapter
from bot.chat import Adapter, Invocation, Reply
from bot.clock import Clock, SystemClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.models import ParseResult, QueryError, SearchHit, Source, TalkChanges, UpsertResult
from bot.settings import Settings, SettingsError
from bot.topics import parse_query
from jobs.dispatch import DispatchLoop, DispatchReport, dispatch_due
from jobs.ingest import IngestReport, InputError, Progress
from jobs.ingest import ingest as ingest_document
from jobs.planner import plan_new_items, replan_reminders
from jobs.poll import poll_named
from jobs.scheduler import Scheduler
from jobs.sources import announcement
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
            series=series, default_zone=settings.timezone, progress=progress)


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


async def poll_all(store: Store, settings: Settings, clock: Clock, only: str | None = None,
                   ) -> list[tuple[str, IngestReport | None, str | None]]:
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
            report, error = await poll_named(store, source.name, fetcher,
                                             timezone=settings.timezone, now=clock.now())
            results.append((source.name, report, error))
    return results


class CliHooks:
    """Hooks for one-shot CLI commands: pasted announcements are read and what a command
    stores is planned for delivery (sent by the next `lectern dispatch` or `lectern run`)."""

    def __init__(self, store: Store, clock: Clock, settings: Settings) -> None:
        self.store, self.clock, self.settings = store, clock, settings

    def items_stored(self, papers: UpsertResult, talks: TalkChanges) -> None:
        plan_new_items(self.store, papers, talks, self.clock.now(), self.settings.timezone)

    def sources_changed(self) -> None:
        return None

    def reminders_changed(self, channel_id: str) -> None:
        replan_reminders(self.store, channel_id, self.clock.now())

    def read_announcement(self, text: str, *, source: str, timezone: str,
                          now: datetime) -> ParseResult:
        return announcement.parse(text, source, timezone=timezone, now=now)


class RunHooks(CliHooks):
    """Hooks for `lectern run`: also wake the dispatcher and rebuild the poll jobs."""

    def __init__(self, store: Store, clock: Clock, settings: Settings,
                 dispatcher: DispatchLoop, reschedule: Callable[[], None]) -> None:
        super().__init__(store, clock, settings)
        self.dispatcher, self.reschedule = dispatcher, reschedule

    def items_stored(self, papers: UpsertResult, talks: TalkChanges) -> None:
        super().items_stored(papers, talks)
        self.dispatcher.wake()

    def sources_changed(self) -> None:
        self.reschedule()


def run_command(store: Store, settings: Settings, clock: Clock,
                invocation: Invocation) -> Reply:
    """`lectern command`: one slash command, with the registry `lectern run` builds."""
    sync_sources(store, settings, clock.now())
    registry = build_registry(BotContext(store=store, clock=clock, settings=settings,
                                         hooks=CliHooks(store, clock, settings)))
    return asyncio.run(registry.dispatch(invocation))


def paper_hit(paper) -> SearchHit:
    return SearchHit(kind="paper", id=paper.id, title=paper.title, url=paper.url,
                     authors=paper.authors, published=paper.published, score=0.0)


def sync_subscriptions(store: Store, settings: Settings, now: datetime) -> None:
    """Add the config file's subscriptions that the database lacks (once: a member may
    remove them later). A query the language cannot read stops the start, loudly."""
    problems = []
    for entry in settings.subscriptions:
        try:
            parse_query(entry.query)
        except QueryError as error:
            problems.append(f"subscription {entry.query!r} for {entry.channel}: {error}")
            continue
        known = {(s.query, s.kinds) for s in store.list_subscriptions(entry.channel)}
        if (entry.query, entry.kinds) not in known:
            store.add_subscription(entry.channel, entry.query, entry.kinds, "config", now)
    if problems:
        raise SettingsError(problems)


async def dispatch_once(store: Store, settings: Settings, clock: Clock,
                        console_out: TextIO | None = None) -> DispatchReport:
    """`lectern dispatch`: send everything due now through the configured adapters
    (console messages to `console_out`, default standard output)."""
    adapters: dict[str, Adapter] = {"console": ConsoleAdapter(None, out=console_out)}
    registry = build_registry(BotContext(store=store, clock=clock, settings=settings,
                                         hooks=CliHooks(store, clock, settings)))
    chat = chat_adapters(settings, registry, clock, store)
    adapters.update(chat)  # sending needs no connection
    try:
        return await dispatch_due(store, adapters, clock.now(), settings.timezone)
    finally:
        for adapter in chat.values():
            await adapter.stop()


def chat_adapters(settings: Settings, registry, clock: Clock,
                  store: Store) -> dict[str, Adapter]:
    """The Slack and Discord adapters whose tokens are configured (not yet started)."""
    found: dict[str, Adapter] = {}
    suggest = suggester(store)
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
                                          suggest=suggest)
    return found


def suggester(store: Store):
    """Autocomplete choices the platforms may offer: (value, label) pairs per kind."""
    def suggest(kind: str, channel) -> list[tuple[str, str]]:
        if kind == "subscriptions":
            return [(str(s.id), f"{s.id} · {s.kinds} · {s.query}")
                    for s in store.list_subscriptions(f"{channel.platform}:{channel.id}")]
        if kind == "sources":
            return [(s.name, f"{s.name} [{s.kind}]") for s in store.list_sources()]
        if kind == "series":
            names = {t.series for _, t in store.list_talks() if t.series}
            return [(name, name) for name in sorted(names)]
        return []
    return suggest


def run(settings: Settings, clock: Clock) -> int:
    """`lectern run`: poll sources on their schedule, send what is due, serve the console."""
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        asyncio.run(_serve(settings, clock))
    except KeyboardInterrupt:
        pass
    except SettingsError as error:
        log.error("%s", error)
        return 2
    return 0


async def _serve(settings: Settings, clock: Clock) -> None:
    store = open_store(settings)
    sync_sources(store, settings, clock.now())
    sync_subscriptions(store, settings, clock.now())
    adapters: dict[str, Adapter] = {}
    dispatcher = DispatchLoop(store, adapters, clock, settings.timezone)
    scheduler = Scheduler()
    async with make_fetcher(settings) as fetcher:
        async def poll(name: str) -> None:
            report, _ = await poll_named(store, name, fetcher, timezone=settings.timezone,
                                         now=clock.now(), scheduled=True)
            if report:
                log.info("%s: %s", name, report.summary())
                dispatcher.wake()

        def reschedule() -> None:
            scheduler.schedule_polls(store.list_sources(), poll,
                                     first_run=SystemClock().now())

        hooks = RunHooks(store, clock, settings, dispatcher, reschedule)
        registry = build_registry(BotContext(store=store, clock=clock, settings=settings,
                                             hooks=hooks))
        adapters["console"] = console = ConsoleAdapter(registry)
        chat = chat_adapters(settings, registry, clock, store)
        for name, adapter in chat.items():
            try:
                await adapter.start()
            except Exception as error:  # a refused token: say which, stop cleanly
                raise SettingsError([f"{name} did not accept the configuration: {error}"]
                                    ) from error
            adapters[name] = adapter
            log.info("connected to %s", name)
        reschedule()
        scheduler.start()
        log.info("lectern is running: %d sources, %d subscriptions, channels on %s "
                 "(database %s)", len(store.list_sources()), len(store.list_subscriptions()),
                 ", ".join(adapters), settings.database)
        sender = asyncio.create_task(dispatcher.run_forever())
        try:
            await console.serve()
            await sender  # stdin closed: keep polling and sending until stopped
        finally:
            sender.cancel()
            scheduler.shutdown()
            for adapter in chat.values():
                with contextlib.suppress(Exception):
                    await adapter.stop()
            with contextlib.suppress(Exception):
                store.close()


def discord_sync(settings: Settings, guild_id: str | None) -> list[str]:
    """`lectern discord sync [--guild ID]`: register the slash commands with Discord, in one
    guild (seen at once) or globally (up to an hour); returns the command names. Never
    done on start: Discord limits how often commands may be registered."""
    from adapters.discord import DiscordError, sync_commands
    from jobs.sources.fetch import FetchError

    if settings.discord is None:
        raise SettingsError(["DISCORD_BOT_TOKEN is not set: copy the bot token from the "
                             "Discord Developer Portal (Bot page) into the environment"])
    store = Store.open(":memory:")  # the registry's shape only; no command runs here
    try:
        registry = build_registry(BotContext(store=store, clock=SystemClock(),
                                             settings=settings))
        return asyncio.run(sync_commands(registry, token=settings.discord.bot_token.value,
                                         api_url=settings.discord.api_url,
                                         guild_id=guild_id))
    except DiscordError as error:
        if error.credentials:
            raise SettingsError([str(error)]) from None
        raise FetchError(str(error), url=settings.discord.api_url) from None
    finally:
        store.close()
