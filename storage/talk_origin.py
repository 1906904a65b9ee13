"""Where a talk given in chat came from: the channel it was added in and by whom, and
whether a manager shared it, and which talks of other sources start with it (the same talk
read twice, maybe). A talk added with /seminars add is announced only in its own
channel until it is shared; a talk from a polled source has no origin and goes wherever
it matches."""

from __future__ import annotations

import json
from datetime import datetime

import sqlite_utils

from bot.clock import to_iso
from storage.db import transaction


def migrate_talk_origin(db: sqlite_utils.Database) -> None:
    """Migration 11: who added a talk in chat, where, and who shared it."""
    for column in ("added_in", "added_by", "shared_by", "shared_at"):
        db.execute(f"ALTER TABLE talks ADD COLUMN {column} TEXT")


def migrate_added_by_index(db: sqlite_utils.Database) -> None:
    """Migration 17: the talks a member added, by when, for the daily cap of
    /seminars add (storage.talks.count_added_by), without reading every talk."""
    db.execute("CREATE INDEX IF NOT EXISTS talks_added_by ON talks (added_by, first_seen) "
               "WHERE added_by IS NOT NULL")


def mark_added(db: sqlite_utils.Database, talk_ids: list[str], channel: str,
               user: str) -> None:
    """Record where talks given in chat were added; the first adder keeps them."""
    with transaction(db) as conn:
        conn.execute("UPDATE talks SET added_in = ?, added_by = ? WHERE added_in IS NULL "
                     "AND id IN (SELECT value FROM json_each(?))",
                     [channel, user, json.dumps(talk_ids)])


def added_by_others(db: sqlite_utils.Database, talk_ids: list[str], user: str) -> set[str]:
    """Which of `talk_ids` a member other than `user` added in chat."""
    rows = db.execute("SELECT id FROM talks WHERE added_by IS NOT NULL AND added_by != ? "
                      "AND id IN (SELECT value FROM json_each(?))", [user, json.dumps(talk_ids)])
    return {row[0] for row in rows}


def local_to(db: sqlite_utils.Database, talk_id: str) -> str | None:
    """The one channel an unshared chat-added talk may be announced in, else None."""
    row = db.execute("SELECT added_in FROM talks WHERE id = ? AND shared_at IS NULL",
                     [talk_id]).fetchone()
    return row[0] if row else None


def share(db: sqlite_utils.Database, talk_id: str, user: str, now: datetime) -> bool:
    """Let a chat-added talk be announced wherever it matches; False if unknown."""
    with transaction(db) as conn:
        found = conn.execute("SELECT shared_at FROM talks WHERE id = ?", [talk_id]).fetchone()
        if found is None:
            return False
        if found[0] is None:
            conn.execute("UPDATE talks SET shared_by = ?, shared_at = ? WHERE id = ?",
                         [user, to_iso(now), talk_id])
    return True


def same_start_elsewhere(db: sqlite_utils.Database, talk_id: str
                         ) -> list[tuple[str, str, list[str]]]:
    """(id, title, speakers) of the talks of other sources that start when `talk_id` does:
    those that may be the same talk read twice (jobs.talk_twins decides)."""
    rows = db.execute("SELECT t.id, t.title, t.speakers FROM talks AS me JOIN talks AS t "
                      "ON t.start = me.start AND t.source != me.source WHERE me.id = ? "
                      "AND me.start IS NOT NULL", [talk_id])
    return [(row[0], row[1], json.loads(row[2] or "[]")) for row in rows]
