"""Channels and their subscriptions: per-channel settings (zone, reminders, digest), and
the topic queries each channel follows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from bot.clock import parse_instant, to_iso
from bot.models import Channel, Subscription
from storage.db import transaction

_UNSET: Any = object()


def _channel(row: dict[str, Any]) -> Channel:
    offsets = row["reminder_offsets"]
    return Channel(
        id=row["id"], timezone=row["timezone"], digest_time=row["digest_time"],
        reminder_offsets=None if offsets is None else tuple(
            int(o) for o in offsets.split(",") if o),
        paused_reason=row["paused_reason"], name=row["name"],
        digest_size=row.get("digest_size"), recommend_per_day=row.get("recommend_per_day"))


def get_channel(db: sqlite_utils.Database, channel_id: str) -> Channel | None:
    rows = list(db.query("SELECT * FROM channels WHERE id = ?", [channel_id]))
    return _channel(rows[0]) if rows else None


def ensure_channel(db: sqlite_utils.Database, channel_id: str, now: datetime) -> Channel:
    """The channel, created with default settings on first use."""
    platform, _, external = channel_id.partition(":")
    with transaction(db) as conn:
        conn.execute("INSERT OR IGNORE INTO channels (id, platform, external_id, created) "
                     "VALUES (?, ?, ?, ?)", [channel_id, platform, external, to_iso(now)])
    return get_channel(db, channel_id)


def list_channels(db: sqlite_utils.Database) -> list[Channel]:
    return [_channel(row) for row in db.query("SELECT * FROM channels ORDER BY id")]


def update_channel(db: sqlite_utils.Database, channel_id: str, *, timezone: Any = _UNSET,
                   reminder_offsets: Any = _UNSET, digest_time: Any = _UNSET,
                   paused_reason: Any = _UNSET, now: datetime | None = None,
                   **counts: int | None) -> None:
    """Change the given settings only (None resets a setting to its default); `counts`
    are `digest_size` and `recommend_per_day`."""
    changes: dict[str, Any] = {}
    for column, value in counts.items():
        if column not in ("digest_size", "recommend_per_day"):
            raise TypeError(f"no channel setting {column!r}")
        changes[column] = value
    if timezone is not _UNSET:
        changes["timezone"] = timezone
    if reminder_offsets is not _UNSET:
        changes["reminder_offsets"] = (None if reminder_offsets is None
                                       else ",".join(str(o) for o in reminder_offsets))
    if digest_time is not _UNSET:
        changes["digest_time"] = digest_time
    if paused_reason is not _UNSET:
        changes["paused_reason"] = paused_reason
        changes["paused_at"] = to_iso(now) if paused_reason else None
    if not changes:
        return
    assignments = ", ".join(f"{column} = ?" for column in changes)
    with transaction(db) as conn:
        conn.execute(f"UPDATE channels SET {assignments} WHERE id = ?",  # noqa: S608
                     [*changes.values(), channel_id])


def _subscription(row: dict[str, Any]) -> Subscription:
    return Subscription(id=row["id"], channel_id=row["channel_id"], query=row["query"],
                        kinds=row["kinds"], created=parse_instant(row["created"]),
                        created_by=row["created_by"] or "")


def add_subscription(db: sqlite_utils.Database, channel_id: str, query: str, kinds: str,
                     created_by: str, now: datetime) -> Subscription:
    ensure_channel(db, channel_id, now)
    with transaction(db) as conn:
        new_id = conn.execute(
            "INSERT INTO subscriptions (channel_id, query, kinds, created, created_by) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            [channel_id, query, kinds, to_iso(now), created_by]).fetchone()[0]
    return _subscription(next(db.query("SELECT * FROM subscriptions WHERE id = ?", [new_id])))


def remove_subscription(db: sqlite_utils.Database, channel_id: str, subscription_id: int) -> bool:
    with transaction(db) as conn:
        return conn.execute("DELETE FROM subscriptions WHERE id = ? AND channel_id = ?",
                            [subscription_id, channel_id]).rowcount > 0


def list_subscriptions(db: sqlite_utils.Database,
                       channel_id: str | None = None) -> list[Subscription]:
    if channel_id is None:
        rows = db.query("SELECT * FROM subscriptions ORDER BY id")
    else:
        rows = db.query("SELECT * FROM subscriptions WHERE channel_id = ? ORDER BY id",
                        [channel_id])
    return [_subscription(row) for row in rows]
