"""Batches: the outbox rows that go out as one message (a catch-up list, a digest), stored
with the message's key before its first attempt.

A batch is decided once. Every retry, restart or takeover sends the same rows under the
same key, so the platform adapter's repeat check recognises a message that may already
be posted; rows planned later go into a new batch, never into one already decided. A row
belongs to at most one batch (`deliveries.batch_id`).
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlite_utils

from bot.clock import to_iso
from bot.outbox import MAYBE_SENT, message_key
from storage.db import transaction


def create(db: sqlite_utils.Database, channel_id: str, ids: list[int],
           now: datetime) -> str | None:
    """Store rows `ids` of one channel as a batch; return its key, or None (and store
    nothing) when any of them is no longer pending or already in a batch."""
    key = message_key(ids)
    with transaction(db) as conn:
        # The unary + keep SQLite on the rows' ids: by the status index it would read
        # every pending row (10 ms a list with 50,000 rows pending after a day's ingest).
        free = conn.execute("SELECT count(*) FROM deliveries WHERE +status = 'pending' "
                            "AND +batch_id IS NULL AND +channel_id = ? AND id IN "
                            "(SELECT value FROM json_each(?))",
                            [channel_id, json.dumps(ids)]).fetchone()[0]
        if free != len(set(ids)):
            return None
        batch_id = conn.execute("INSERT INTO batches (channel_id, key, created) "
                                "VALUES (?, ?, ?)",
                                [channel_id, key, to_iso(now)]).lastrowid
        conn.execute("UPDATE deliveries SET batch_id = ? WHERE id IN "
                     "(SELECT value FROM json_each(?))", [batch_id, json.dumps(ids)])
    return key


def key_of(db: sqlite_utils.Database, batch_id: int) -> str | None:
    row = db.execute("SELECT key FROM batches WHERE id = ?", [batch_id]).fetchone()
    return row[0] if row else None


def migrate_batches(db: sqlite_utils.Database) -> None:
    """Migration 9: the batches table and each delivery's batch. Rows that a run left
    claimed (or released as maybe sent) together become the batch they were sent as,
    under the key they were sent with, so an upgrade after a crash repeats no list."""
    db["batches"].create({"id": int, "channel_id": str, "key": str, "created": str},
                         pk="id", not_null={"channel_id", "key", "created"},
                         foreign_keys=[("channel_id", "channels", "id")])
    db["batches"].create_index(["key"], unique=True)
    db.execute("ALTER TABLE deliveries ADD COLUMN batch_id INTEGER REFERENCES batches(id)")
    db["deliveries"].create_index(["batch_id"])
    groups: dict[tuple[str, str, str, str], list[int]] = {}
    for delivery_id, *group in db.execute(
            "SELECT id, channel_id, claimed_at, item_kind, purpose FROM deliveries WHERE "
            "claimed_at IS NOT NULL AND (status = 'claimed' OR "
            "(status = 'pending' AND note = ?)) ORDER BY id", [MAYBE_SENT]).fetchall():
        groups.setdefault(tuple(group), []).append(delivery_id)
    for (channel_id, claimed_at, *_), ids in groups.items():
        if len(ids) > 1:
            batch_id = db.execute("INSERT INTO batches (channel_id, key, created) "
                                  "VALUES (?, ?, ?)",
                                  [channel_id, message_key(ids), claimed_at]).lastrowid
            db.execute("UPDATE deliveries SET batch_id = ? WHERE id IN "
                       "(SELECT value FROM json_each(?))", [batch_id, json.dumps(ids)])
