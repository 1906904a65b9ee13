"""The Store: the one object the rest of lectern uses to reach the database."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from bot.models import (
    Channel,
    Paper,
    Query,
    SearchHit,
    Source,
    Subscription,
    Talk,
    TalkChanges,
    UpsertResult,
)
from bot.outbox import Delivery, Purpose, PurposeKind
from bot.plaintext import make_inert
from storage import (
    batches,
    calendar_feeds,
    channels,
    deliveries,
    lease,
    paper_reads,
    papers,
    requests,
    search,
    sources,
    subscribers_version,
    talk_origin,
    talks,
)
from storage.db import open_db, transaction, transaction_when_free
from storage.discord_events import ScheduledEvents
from storage.migrations import migrate
from storage.votes import Votes

T = TypeVar("T", Paper, Talk)
R = TypeVar("R")


class Store:
    """Papers, sources and search over one SQLite file. Not thread-safe: one per task."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.votes = Votes(db)  # members' votes and the channels' taste models
        self.events = ScheduledEvents(db)  # servers' event lists (Discord's)

    @classmethod
    def open(cls, path: str | Path, *, apply_migrations: bool = True) -> Store:
        db = open_db(path)
        if apply_migrations:
            migrate(db)
        return cls(db)

    def migrate(self) -> list[int]:
        return migrate(self.db)

    def close(self) -> None:
        self.db.conn.close()

    @property
    def path(self) -> str | None:
        """The database file's path; None for an in-memory database."""
        for _, name, file in self.db.execute("PRAGMA database_list").fetchall():
            if name == "main":
                return file or None
        return None

    def transaction(self) -> AbstractContextManager:
        """Several store calls as one transaction: all of them are kept or none."""
        return transaction(self.db)

    async def transaction_when_free(self, work: Callable[[], R]) -> R:
        return await transaction_when_free(self.db, work)  # the lock awaited: storage.db

    # papers
    def upsert_papers(self, items: Iterable[Paper], now: datetime,
                      progress: Callable[[int], None] | None = None) -> UpsertResult:
        return papers.upsert_papers(self.db, map(_inert, items), now, progress)

    def get_paper(self, paper_id: str) -> tuple[Paper, list[str]] | None:
        return paper_reads.get_paper(self.db, paper_id)

    def stored_paper_ids(self, paper_ids: list[str]) -> set[str]:
        return paper_reads.stored_ids(self.db, paper_ids)

    def latest_papers(self, limit: int = 10) -> list[Paper]:
        return paper_reads.latest_papers(self.db, limit)

    def count_papers(self) -> int:
        return paper_reads.count_papers(self.db)

    def count_arxiv_papers_since(self, since: datetime) -> int:
        return paper_reads.count_arxiv_papers_since(self.db, since)

    def search(self, query: Query, limit: int = 10, kind: str = "papers",
               sort: str = "best") -> list[SearchHit]:
        """In `sort` order (storage.search: best or new); `kind` is papers, talks or all
        (both, taken in turn: papers and talks are scored differently, so their scores
        are not compared)."""
        if kind == "papers":
            return search.search_papers(self.db, query, limit, sort)
        if kind == "talks":
            return talks.search_talks(self.db, query, limit)
        paper_hits = search.search_papers(self.db, query, limit, sort)
        talk_hits = talks.search_talks(self.db, query, limit)
        merged = [hit for pair in zip_longest(paper_hits, talk_hits) for hit in pair if hit]
        return merged[:limit]

    # talks
    def upsert_talks(self, source: str, items: list[Talk], now: datetime,
                     covers: tuple[datetime, datetime] | None = None) -> TalkChanges:
        return talks.upsert_talks(self.db, source, list(map(_inert, items)), now, covers)

    def list_talks(self, *, ending_after: datetime | None = None,
                   starting_before: datetime | None = None, series: str | None = None,
                   followed_by: str | None = None,
                   limit: int | None = None) -> list[tuple[str, Talk]]:
        return talks.list_talks(self.db, ending_after=ending_after,
                                starting_before=starting_before, series=series,
                                followed_by=followed_by, limit=limit)

    def get_talk(self, talk_id: str) -> tuple[Talk, dict] | None:
        return talks.get_talk(self.db, talk_id)

    def mark_talks_added(self, talk_ids: list[str], channel: str, user: str) -> None:
        talk_origin.mark_added(self.db, talk_ids, channel, user)

    def talk_local_to(self, talk_id: str) -> str | None:
        return talk_origin.local_to(self.db, talk_id)

    def share_talk(self, talk_id: str, user: str, now: datetime) -> bool:
        return talk_origin.share(self.db, talk_id, user, now)

    # sources
    def list_sources(self) -> list[Source]:
        return sources.list_sources(self.db)

    def get_source(self, name: str) -> Source | None:
        return sources.get_source(self.db, name)

    def save_source(self, source: Source, now: datetime) -> None:
        sources.save_source(self.db, source, now)

    def remove_source(self, name: str) -> bool:
        return sources.remove_source(self.db, name)

    def record_success(self, name: str, now: datetime, *, etag: str | None = None,
                       last_modified: str | None = None,
                       content_hash: str | None = None, changed: bool = False,
                       items: int | None = None, warnings: Sequence[str] = ()) -> None:
        sources.record_success(self.db, name, now, etag=etag, last_modified=last_modified,
                               content_hash=content_hash, changed=changed, items=items,
                               warnings=warnings)

    def record_failure(self, name: str, now: datetime, error: str) -> None:
        sources.record_failure(self.db, name, now, error)

    # channels and subscriptions
    def get_channel(self, channel_id: str) -> Channel | None:
        return channels.get_channel(self.db, channel_id)

    def ensure_channel(self, channel_id: str, now: datetime) -> Channel:
        return channels.ensure_channel(self.db, channel_id, now)

    def list_channels(self) -> list[Channel]:
        return channels.list_channels(self.db)

    def update_channel(self, channel_id: str, **settings) -> None:
        channels.update_channel(self.db, channel_id, **settings)

    # members' own reminders
    def ask_reminder(self, target: str, talk_id: str, minutes: tuple[int, ...],
                     now: datetime) -> None:
        requests.ask(self.db, target, talk_id, minutes, now)

    def drop_reminder(self, target: str, talk_id: str) -> bool:
        return requests.drop(self.db, target, talk_id)

    def reminder_requests(self, talk_id: str) -> dict[str, tuple[int, ...]]:
        return requests.for_talk(self.db, talk_id)

    def reminders_asked_by(self, target: str) -> dict[str, tuple[int, ...]]:
        return requests.by_target(self.db, target)

    def add_subscription(self, channel_id: str, query: str, kinds: str, created_by: str,
                         now: datetime) -> Subscription:
        return channels.add_subscription(self.db, channel_id, query, kinds, created_by, now)

    def remove_subscription(self, channel_id: str, subscription_id: int) -> bool:
        return channels.remove_subscription(self.db, channel_id, subscription_id)

    def list_subscriptions(self, channel_id: str | None = None) -> list[Subscription]:
        return channels.list_subscriptions(self.db, channel_id)

    # calendar feeds
    def feed_secret(self, owner: str, now: datetime, *, rotate: bool = False) -> str:
        """The secret of a feed's address (storage.calendar_feeds); a new one if `rotate`."""
        if rotate:
            return calendar_feeds.rotate(self.db, owner, now)
        return calendar_feeds.secret_of(self.db, owner, now)

    def feed_owner(self, secret: str) -> str | None:
        return calendar_feeds.owner_of(self.db, secret)

    def feed_version(self, owner: str) -> tuple:
        return calendar_feeds.feed_version(self.db, owner)

    def talk_revisions(self, talk_ids: list[str]) -> dict[str, tuple[str, str]]:
        return calendar_feeds.talk_revisions(self.db, talk_ids)

    def subscribers_version(self) -> int | None:
        """Changes whenever a channel or subscription does (storage.subscribers_version)."""
        return subscribers_version.subscribers_version(self.db)

    # the outbox
    def plan_deliveries(self, items: Iterable[Delivery], now: datetime) -> int:
        return deliveries.plan(self.db, items, now)

    def due_deliveries(self, now: datetime, limit: int = 500,
                       skip_channels: Iterable[str] = ()) -> list[Delivery]:
        return deliveries.due(self.db, now, limit, skip_channels)

    def has_due_deliveries(self, channel_id: str, now: datetime) -> bool:
        return deliveries.has_due(self.db, channel_id, now)

    def next_due_at(self, after: datetime) -> datetime | None:
        return deliveries.next_due_at(self.db, after)

    def claim_deliveries(self, ids: list[int], now: datetime) -> list[int]:
        return deliveries.claim(self.db, ids, now)

    def finish_deliveries(self, ids: list[int], status: str, now: datetime, **details) -> None:
        deliveries.finish(self.db, ids, status, now, **details)

    def create_batch(self, channel_id: str, ids: list[int], now: datetime) -> str | None:
        return batches.create(self.db, channel_id, ids, now)

    def batch_key(self, batch_id: int) -> str | None:
        return batches.key_of(self.db, batch_id)

    def batch_members(self, batch_id: int) -> list[Delivery]:
        return deliveries.in_batch(self.db, batch_id)

    def retry_deliveries(self, ids: list[int], due_at: datetime, error: str) -> None:
        deliveries.retry_later(self.db, ids, due_at, error)

    def release_stale_claims(self) -> int:
        return deliveries.release_stale_claims(self.db)

    # the sender lease (storage.lease)
    def take_lease(self, me: lease.Holder, now: datetime, ttl: timedelta,
                   alive: lease.Alive) -> tuple[lease.Holder | None, int]:
        return lease.take(self.db, me, now, ttl, alive)

    def renew_lease(self, token: str, now: datetime, ttl: timedelta) -> bool:
        return lease.renew(self.db, token, now, ttl)

    def give_back_lease(self, token: str) -> None:
        lease.give_back(self.db, token)

    def sent_ref(self, channel_id: str, item_kind: str, item_id: str,
                 purpose: Purpose) -> str | None:
        return deliveries.sent_ref(self.db, channel_id, item_kind, item_id, purpose)

    def deliveries_for(self, item_kind: str, item_id: str) -> list[Delivery]:
        return deliveries.for_item(self.db, item_kind, item_id)

    def skip_pending(self, channel_id: str, item_kind: str, item_id: str,
                     which: Purpose | PurposeKind | None, note: str, now: datetime) -> int:
        return deliveries.skip_pending(self.db, channel_id, item_kind, item_id, which, note,
                                       now)

    def delivery_history(self, *, channel_id: str | None = None,
                         status: str | None = None) -> list[Delivery]:
        return deliveries.history(self.db, channel_id=channel_id, status=status)


def _inert(item: T) -> T:
    """What a feed, page or paste sent, without the characters that act (bot.plaintext)
    in what people read (not in ids, keys or links)."""
    make_inert(item, *_SHOWN[type(item)])
    return item


_SHOWN = {Paper: (("title", "abstract", "comment", "journal_ref"), ("authors", "categories")),
          Talk: (("title", "series", "affiliation", "abstract", "bio", "location", "chair",
                  "language"), ("speakers",))}
