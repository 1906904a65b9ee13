"""The subscribers' version: one number the database itself changes whenever a channel or a
subscription is added, changed or removed, so that whoever keeps matching state built from
them (jobs.subscribers) can tell, with one read, whether it still holds.

Triggers change it, whichever connection or process writes: planning runs in the parse
child as well as in the bot. Each change draws a random number rather than counting up:
a change that is rolled back leaves a number never seen again, so state built inside
that transaction is never taken for what a later change committed.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

_TABLES = ("channels", "subscriptions")
_EVENTS = ("INSERT", "UPDATE", "DELETE")


def migrate_subscribers_version(db: sqlite_utils.Database) -> None:
    """Migration 13: the one-row version and the triggers that change it."""
    db.execute("CREATE TABLE subscribers_version (id INTEGER PRIMARY KEY CHECK (id = 1), "
               "version INTEGER NOT NULL)")
    db.execute("INSERT INTO subscribers_version (id, version) VALUES (1, random())")
    for table in _TABLES:
        for event in _EVENTS:
            db.execute(f"CREATE TRIGGER {table}_{event.lower()}_changes_subscribers "  # noqa: S608
                       f"AFTER {event} ON {table} BEGIN UPDATE subscribers_version "
                       f"SET version = random() WHERE id = 1; END")


def subscribers_version(db: sqlite_utils.Database) -> int | None:
    """The current version; None in a database not yet migrated this far."""
    try:
        row = db.execute("SELECT version FROM subscribers_version WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # no such table: an older database
        return None
    return None if row is None else int(row[0])
