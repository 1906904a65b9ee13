"""The sender lease: which one process may send from this database, in the database itself.

One row names the holder (a random token, host, process id, since when) and when its lease
expires unless renewed. Being in the SQLite file, it is the same lease through any path
to the file: a symlink or a hard link cannot make a second sender. Taking it is one
`BEGIN IMMEDIATE` transaction; whoever takes it over from a holder that is gone (expired,
or a process on this host that no longer exists) also takes over that holder's claims:
they go back to pending as maybe sent, so the platform's repeat check looks for them
before they are sent again. Claims of a live holder are never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from bot.clock import parse_instant, to_iso
from storage.db import transaction
from storage.deliveries import release_stale_claims


@dataclass(frozen=True, slots=True)
class Holder:
    token: str
    host: str
    pid: int
    since: datetime | None = None
    expires: datetime | None = None

    def describe(self) -> str:
        since = f", since {to_iso(self.since)}" if self.since else ""
        return f"pid {self.pid} on {self.host}{since}"


# Whether a holder's process still exists (judged on this host only; elsewhere: yes).
Alive = Callable[[Holder], bool]


def migrate_sender_lease(db: sqlite_utils.Database) -> None:
    """Migration 10: the one-row sender lease."""
    db.execute("CREATE TABLE sender_lease (id INTEGER PRIMARY KEY CHECK (id = 1), "
               "token TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, "
               "since TEXT NOT NULL, expires TEXT NOT NULL)")


def take(db: sqlite_utils.Database, me: Holder, now: datetime, ttl: timedelta,
         alive: Alive) -> tuple[Holder | None, int]:
    """Take the lease unless a live holder has it: (that holder, 0), or (None, how many of
    a gone holder's claims went back to pending)."""
    with transaction(db) as conn:
        row = conn.execute("SELECT token, host, pid, since, expires FROM sender_lease "
                           "WHERE id = 1").fetchone()
        current = _holder(row) if row else None
        if current is not None and current.token != me.token and \
                current.expires > now and alive(current):
            return current, 0
        released = release_stale_claims(db) if current is None or \
            current.token != me.token else 0
        conn.execute("INSERT OR REPLACE INTO sender_lease (id, token, host, pid, since, "
                     "expires) VALUES (1, ?, ?, ?, ?, ?)",
                     [me.token, me.host, me.pid, to_iso(now), to_iso(now + ttl)])
    return None, released


def renew(db: sqlite_utils.Database, token: str, now: datetime, ttl: timedelta) -> bool:
    """Extend the lease; False when this holder no longer has it (it was taken over)."""
    with transaction(db) as conn:
        return conn.execute("UPDATE sender_lease SET expires = ? WHERE id = 1 AND token = ?",
                            [to_iso(now + ttl), token]).rowcount == 1


def give_back(db: sqlite_utils.Database, token: str) -> None:
    with transaction(db) as conn:
        conn.execute("DELETE FROM sender_lease WHERE id = 1 AND token = ?", [token])


def _holder(row: tuple) -> Holder:
    token, host, pid, since, expires = row
    return Holder(token, host, int(pid), parse_instant(since), parse_instant(expires))
