"""The config file's sources and subscriptions, brought into the database at start and
before CLI commands (the database stays the truth: members' own changes are kept)."""

from __future__ import annotations

from datetime import datetime

from bot.matching import compile_topic
from bot.models import OPERATOR, QueryError, Source
from bot.settings import Settings, SettingsError
from bot.topics import parse_query
from storage.store import Store


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
