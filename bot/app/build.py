"""The composition root: the only module that knows the store, the jobs and every adapter.

It builds them from Settings and wires them together for the CLI and for `lectern run`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime
from pathlib import Path
from typing import TextIO

from adapters.console import ConsoleAdapter
from bot.chat import Adapter, Invocation, Reply
from bot.clock import Clock, SystemClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.health import HealthPolicy
from bot.matching import compile_topic
from bot.models import (
    OPERATOR,
    TALK_CANCELLED,
    ParseResult,
    QueryError,
    Source,
    TalkChanges,
    UpsertResult,
)
from bot.settings import Settings, SettingsError
from bot.topics import parse_query
from jobs.dispatch import DispatchReport, dispatch_due
from jobs.health import check_source
from jobs.ingest import IngestReport, InputError, Progress
from jobs.ingest import ingest as ingest_document
from jobs.planner import plan_new_items, replan_reminders
from jobs.poll import poll_named
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
    return Fetcher(limits, user_agent=settings.user_agent or USER_AGENT,
                   allow_ranges=settings.allow_ranges)


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
                                 timezone=entry.timezone, added_by=OPERATOR), now)
    for source in store.list_sources():
        if not source.from_chat and source.name not in configured:
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
            report, error, _ = await poll_checked(store, settings, source.name, fetcher,
                                                  clock.now())
            results.append((source.name, report, error))
    return results


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
    planned = check_source(store, before, now, HealthPolicy.from_settings(settings),
                           settings.health.alerts_channel)
    return report, error, planned


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
        replan_reminders(self.store, channel_id, self.clock.now(), self.settings.timezone)

    def deliveries_planned(self) -> None:
        return None  # sent by the next `lectern dispatch` or `lectern run`

    def read_announcement(self, text: str, *, source: str, timezone: str,
                          now: datetime) -> ParseResult:
        return announcement.parse(text, source, timezone=timezone, now=now)


def run_command(store: Store, settings: Settings, clock: Clock,
                invocation: Invocation) -> Reply:
    """`lectern command`: one slash command, with the registry `lectern run` builds."""
    sync_sources(store, settings, clock.now())
    registry = build_registry(BotContext(store=store, clock=clock, settings=settings,
                                         hooks=CliHooks(store, clock, settings)))
    return asyncio.run(registry.dispatch(invocation))


def sync_subscriptions(store: Store, settings: Settings, now: datetime) -> None:
    """Add the config file's subscriptions that the database lacks (once: a member may
    remove them later). A query that cannot be read or could never match (only
    exclusions) stops the start, loudly, as /subscribe refuses it."""
    problems = []
    for entry in settings.subscriptions:
        try:
            compile_topic(parse_query(entry.query))
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
    suggest = suggester(store, clock)
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


def suggester(store: Store, clock: Clock | None = None):
    """Autocomplete choices the platforms may offer: (value, label) pairs per kind."""
    clock = clock or SystemClock()

    def suggest(kind: str, channel) -> list[tuple[str, str]]:
        if kind == "subscriptions":
            return [(str(s.id), f"{s.id} · {s.kinds} · {s.query}")
                    for s in store.list_subscriptions(f"{channel.platform}:{channel.id}")]
        if kind == "sources":
            return [(s.name, f"{s.name} [{s.kind}]") for s in store.list_sources()]
        if kind == "series":
            names = {t.series for _, t in store.list_talks() if t.series}
            return [(name, name) for name in sorted(names)]
        if kind == "talks":  # upcoming, soonest first: what /remind asks for
            return [(talk_id, f"{talk.start:%a %d %b} · {talk.title}"[:100])
                    for talk_id, talk in store.list_talks(ending_after=clock.now(), limit=100)
                    if talk.start and talk.status != TALK_CANCELLED]
        return []
    return suggest


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
