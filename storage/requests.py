"""Members' own reminders (`/remind`): which talks each member asked to be reminded of,
and how long before. The reminders themselves are outbox rows like a channel's; this
remembers the asking, so a talk that moves is reminded of again at the same offsets.

A member is known by their personal target, `PLATFORM:@USER` (bot.reminders).
"""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from bot.clock import to_iso
from storage.db import transaction


def ask(db: sqlite_utils.Database, target: str, talk_id: str, minutes: tuple[int, ...],
        now: datetime) -> None:
    """Remember (or replace) what the member asked for this talk."""
    with transaction(db) as conn:
        conn.execute("INSERT INTO reminder_requests (target, talk_id, minutes, created) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT (target, talk_id) DO UPDATE SET "
                     "minutes = excluded.minutes, created = excluded.created",
                     [target, talk_id, _text(minutes), to_iso(now)])


def drop(db: sqlite_utils.Database, target: str, talk_id: str) -> bool:
    """Forget the member's request; False when there was none."""
    with transaction(db) as conn:
        return conn.execute("DELETE FROM reminder_requests WHERE target = ? AND talk_id = ?",
                            [target, talk_id]).rowcount > 0


def for_talk(db: sqlite_utils.Database, talk_id: str) -> dict[str, tuple[int, ...]]:
    """Who asked to be reminded of the talk: target -> minutes before it."""
    rows = db.execute("SELECT target, minutes FROM reminder_requests WHERE talk_id = ? "
                      "ORDER BY target", [talk_id])
    return {target: _minutes(text) for target, text in rows}


def by_target(db: sqlite_utils.Database, target: str) -> dict[str, tuple[int, ...]]:
    """What one member asked for: talk id -> minutes before it."""
    rows = db.execute("SELECT talk_id, minutes FROM reminder_requests WHERE target = ? "
                      "ORDER BY talk_id", [target])
    return {talk_id: _minutes(text) for talk_id, text in rows}


def _text(minutes: tuple[int, ...]) -> str:
    return ",".join(str(m) for m in minutes)


def _minutes(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.isdigit())
