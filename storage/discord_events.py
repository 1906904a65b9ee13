"""Scheduled events in the servers' own event lists (Discord's): who turned them on, the
event lectern made for each (server, talk) with a digest of what it sent, and a server
that refused for want of permission (told once).

The setting is kept per channel, where a manager gave it (a command knows its channel,
not its server); the latest decision among a server's channels is the server's. An
event row is written before the platform is asked to make it (state CREATING, no id):
after a crash between the two, jobs.discord_events looks for it in the server's list
before asking again, so a restart makes no duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from bot.clock import parse_instant, to_iso
from bot.outbox import ANNOUNCE, SENT
from bot.scheduled_events import EventState
from storage.db import transaction


def migrate_scheduled_events(db: sqlite_utils.Database) -> None:
    """Migration 16: the event setting per channel, the events made, the refusals."""
    db.execute("CREATE TABLE event_settings (channel_id TEXT PRIMARY KEY, "
               "enabled INTEGER NOT NULL, decided TEXT NOT NULL)")
    db.execute("CREATE TABLE scheduled_events (server TEXT NOT NULL, talk_id TEXT NOT NULL, "
               "event_id TEXT, digest TEXT NOT NULL, state TEXT NOT NULL, note TEXT, "
               "updated TEXT NOT NULL, PRIMARY KEY (server, talk_id))")
    db.execute("CREATE INDEX scheduled_events_by_talk ON scheduled_events (talk_id)")
    db.execute("CREATE TABLE event_refusals (server TEXT PRIMARY KEY, refused TEXT NOT NULL,"
               " channel_id TEXT)")


@dataclass(frozen=True, slots=True)
class StoredEvent:
    server: str
    talk_id: str
    event_id: str | None
    digest: str
    state: EventState


@dataclass(frozen=True, slots=True)
class Decision:
    channel_id: str  # PLATFORM:ID
    enabled: bool
    decided: datetime


class ScheduledEvents:
    """The three tables, through one connection (Store.events)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def decide(self, channel_id: str, enabled: bool, now: datetime) -> None:
        with transaction(self.db) as conn:
            conn.execute("INSERT INTO event_settings (channel_id, enabled, decided) VALUES "
                         "(?, ?, ?) ON CONFLICT (channel_id) DO UPDATE SET enabled = "
                         "excluded.enabled, decided = excluded.decided",
                         [channel_id, int(enabled), to_iso(now)])

    def decisions(self, platform: str) -> list[Decision]:
        """Every channel's decision on `platform`, oldest first."""
        return [Decision(channel, bool(enabled), parse_instant(decided))
                for channel, enabled, decided in self.db.execute(
                    "SELECT channel_id, enabled, decided FROM event_settings WHERE "
                    "channel_id LIKE ? ORDER BY decided, channel_id", [platform + ":%"])]

    def settings_version(self) -> tuple:
        """Changes with any decision: one read of a small table."""
        return tuple(self.db.execute("SELECT count(*), max(decided), sum(enabled) FROM "
                                     "event_settings").fetchone())

    def announced_in(self, channel_id: str, now: datetime) -> list[tuple[str, str]]:
        """(talk id, start) of the talks starting after `now` announced to the channel:
        its deliveries by their (channel, item kind) index, each talk by its id."""
        return [tuple(row) for row in self.db.execute(
            "SELECT t.id, t.start FROM deliveries d JOIN talks t ON t.id = d.item_id WHERE "
            "d.channel_id = ? AND d.item_kind = 'talk' AND d.purpose = ? AND d.status = ? "
            "AND t.start > ?", [channel_id, ANNOUNCE.text, SENT, to_iso(now)])]

    def stored(self, now: datetime) -> dict[tuple[str, str], StoredEvent]:
        """The events of talks that start after `now`, or that are no longer stored."""
        rows = self.db.execute(
            "SELECT e.server, e.talk_id, e.event_id, e.digest, e.state FROM scheduled_events"
            " e LEFT JOIN talks t ON t.id = e.talk_id WHERE t.id IS NULL OR t.start > ?",
            [to_iso(now)])
        return {(server, talk): StoredEvent(server, talk, event, digest, EventState(state))
                for server, talk, event, digest, state in rows}

    def record(self, server: str, talk_id: str, state: EventState, digest: str,
               now: datetime, event_id: str | None = None, note: str | None = None) -> None:
        """The event's new state; `event_id` None keeps the stored one (none when the
        row is new or CREATING)."""
        with transaction(self.db) as conn:
            conn.execute(
                "INSERT INTO scheduled_events (server, talk_id, event_id, digest, state, "
                "note, updated) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (server, talk_id) "
                "DO UPDATE SET event_id = CASE WHEN excluded.state = ? THEN NULL ELSE "
                "coalesce(excluded.event_id, event_id) END, digest = excluded.digest, "
                "state = excluded.state, note = excluded.note, updated = excluded.updated",
                [server, talk_id, event_id, digest, state.value, note, to_iso(now),
                 EventState.CREATING.value])

    def refusal(self, server: str) -> tuple[datetime, str | None] | None:
        """When the server refused for want of permission, and the channel told."""
        row = self.db.execute("SELECT refused, channel_id FROM event_refusals WHERE "
                              "server = ?", [server]).fetchone()
        return (parse_instant(row[0]), row[1]) if row else None

    def refuse(self, server: str, channel_id: str | None, now: datetime) -> bool:
        """Note a refusal; True the first time (tell the managers), False when it is
        already noted (the refusal time moves on, the telling does not repeat)."""
        with transaction(self.db) as conn:
            first = conn.execute("SELECT 1 FROM event_refusals WHERE server = ?",
                                 [server]).fetchone() is None
            conn.execute("INSERT INTO event_refusals (server, refused, channel_id) VALUES "
                         "(?, ?, ?) ON CONFLICT (server) DO UPDATE SET refused = "
                         "excluded.refused", [server, to_iso(now), channel_id])
        return first

    def allowed(self, server: str) -> None:
        """The server took a request again: a later refusal is told anew."""
        with transaction(self.db) as conn:
            conn.execute("DELETE FROM event_refusals WHERE server = ?", [server])
