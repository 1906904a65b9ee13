"""Calendar feed secrets: the random part of each live calendar's address.

A channel's feed (`channel:<channel id>`), a member's feed of their own reminders
(`member:<platform>:<user id>`) and one talk's download (`talk:<talk id>`, made at its
first announcement; served at `/cal/talk/<secret>.ics`) each have one secret, made at
first use from the operating system's randomness, never from the owner's id. Rotating
it makes the old address unknown at once. A request's secret is looked up by the
primary key: one indexed lookup, whatever the secret.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlite_utils

from bot.clock import to_iso
from bot.outbox import ANNOUNCE
from storage.db import transaction

SECRET_BYTES = 24  # 32 URL-safe characters
CHANNEL, MEMBER, TALK = "channel:", "member:", "talk:"  # owner prefixes


def channel_owner(channel_id: str) -> str:
    return CHANNEL + channel_id


def member_owner(target: str) -> str:
    """A member's feed, by their personal reminders' target (bot.services)."""
    return MEMBER + target


def talk_owner(talk_id: str) -> str:
    """One talk's .ics download."""
    return TALK + talk_id


def talk_link(public_url: str, secret: str) -> str:
    return f"{public_url}/cal/talk/{secret}.ics"


def feed_links(public_url: str, secret: str) -> tuple[str, str]:
    """The https (or http) address of a feed and its webcal:// twin."""
    address = f"{public_url}/cal/{secret}.ics"
    return address, "webcal://" + address.split("://", 1)[1]


def migrate_calendar_feeds(db: sqlite_utils.Database) -> None:
    """Migration 14: one secret per feed owner."""
    db.execute("CREATE TABLE calendar_feeds (secret TEXT PRIMARY KEY, owner TEXT NOT NULL "
               "UNIQUE, created TEXT NOT NULL)")


def secret_of(db: sqlite_utils.Database, owner: str, now: datetime) -> str:
    """The owner's secret, made now if it has none."""
    with transaction(db) as conn:
        row = conn.execute("SELECT secret FROM calendar_feeds WHERE owner = ?",
                           [owner]).fetchone()
        if row:
            return row[0]
        secret = secrets.token_urlsafe(SECRET_BYTES)
        conn.execute("INSERT INTO calendar_feeds (secret, owner, created) VALUES (?, ?, ?)",
                     [secret, owner, to_iso(now)])
    return secret


def rotate(db: sqlite_utils.Database, owner: str, now: datetime) -> str:
    """A new secret for the owner; the old one stops working."""
    with transaction(db) as conn:
        conn.execute("DELETE FROM calendar_feeds WHERE owner = ?", [owner])
        secret = secrets.token_urlsafe(SECRET_BYTES)
        conn.execute("INSERT INTO calendar_feeds (secret, owner, created) VALUES (?, ?, ?)",
                     [secret, owner, to_iso(now)])
    return secret


def owner_of(db: sqlite_utils.Database, secret: str) -> str | None:
    row = db.execute("SELECT owner FROM calendar_feeds WHERE secret = ?",
                     [secret]).fetchone()
    return row[0] if row else None


def talk_revisions(db: sqlite_utils.Database, talk_ids: list[str]
                   ) -> dict[str, tuple[str, str]]:
    """Each talk's first_seen and last_changed instants (ISO text), for SEQUENCE and
    LAST-MODIFIED in a feed."""
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(talk_ids), 500):
        chunk = talk_ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for talk_id, first, last in db.execute(
                f"SELECT id, first_seen, coalesce(last_changed, first_seen) FROM talks "  # noqa: S608
                f"WHERE id IN ({marks})", chunk):
            found[talk_id] = (first, last)
    return found


# Each talk's id, last change and what it changed: two changes within one second (the
# resolution of last_changed) still differ here.
_TALK_STATE = ("group_concat(t.id || '|' || coalesce(t.last_changed, '') || '|' || "
               "coalesce(t.changes, ''), ';')")


def feed_version(db: sqlite_utils.Database, owner: str) -> tuple:
    """What a feed's document depends on, read in one indexed query: which talks it
    holds, each one's last change, and the owner's own settings. Equal versions (on the
    same day) give the same document."""
    if owner.startswith(CHANNEL):
        channel = owner[len(CHANNEL):]
        count, state, newest = db.execute(
            f"SELECT count(*), {_TALK_STATE}, max(d.id) FROM deliveries d JOIN talks t "  # noqa: S608
            "ON t.id = d.item_id WHERE d.channel_id = ? AND d.item_kind = 'talk' AND "
            "d.purpose = ?", [channel, ANNOUNCE.text]).fetchone()
        settings = db.execute("SELECT name, reminder_offsets FROM channels WHERE id = ?",
                              [channel]).fetchone()
        return (count, _digest(state), newest, *(settings or ()))
    count, state, asked = db.execute(
        f"SELECT count(*), {_TALK_STATE}, group_concat(r.talk_id || r.minutes) FROM "  # noqa: S608
        "reminder_requests r LEFT JOIN talks t ON t.id = r.talk_id WHERE r.target = ?",
        [owner[len(MEMBER):]]).fetchone()
    return count, _digest(state), asked


def _digest(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()
