"""The outbox: planned deliveries, claimed and marked in transactions.

Each row is unique per (channel, item, purpose), so planning twice is harmless; the purpose
is stored as its text (bot.outbox), written and read back only here. A sender
claims one row, sends it, then marks it sent. Claims left by a run that died return to
pending at the next start marked MAYBE_SENT, with their first claim time kept, so the
dispatcher can ask the platform whether the message was posted before sending it again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.clock import parse_instant, to_iso
from bot.outbox import (
    MAYBE_SENT,
    REMINDERS_CHANGED,
    TAKEN_BACK,
    TALK_CALLED_OFF,
    TALK_MOVED,
    Delivery,
    Purpose,
    PurposeKind,
    parse_purpose,
)
from storage.db import transaction


def _delivery(row: dict[str, Any]) -> Delivery:
    return Delivery(
        id=row["id"], channel_id=row["channel_id"], item_kind=row["item_kind"],
        item_id=row["item_id"], purpose=parse_purpose(row["purpose"]),
        due_at=parse_instant(row["due_at"]), matched=row["matched"],
        subscription_id=row["subscription_id"], status=row["status"],
        late=bool(row["late"]), attempts=row["attempts"] or 0, note=row["note"],
        sent_ref=row["sent_ref"],
        claimed_at=parse_instant(row["claimed_at"]) if row["claimed_at"] else None,
        batch_id=row.get("batch_id"))


WITHIN = timedelta(days=3)  # how far ahead a digest's rows can be due
REPLANNED = (TALK_MOVED, REMINDERS_CHANGED, TAKEN_BACK, TALK_CALLED_OFF)
_REPLANNED_JSON = json.dumps(REPLANNED)


def plan(db: sqlite_utils.Database, deliveries: Iterable[Delivery], now: datetime) -> int:
    """Insert the deliveries not planned before; return how many were new."""
    rows = [(d.channel_id, d.item_kind, d.item_id, d.purpose.text, to_iso(d.due_at), d.matched,
             d.subscription_id, to_iso(now)) for d in deliveries]
    if not rows:
        return 0
    with transaction(db) as conn:
        before = conn.total_changes
        # A row set aside by re-planning (a talk that moved back, an offset restored, a
        # member asking again, a cancelled talk restored) comes back; any other existing
        # row stands, so nothing happens twice.
        conn.executemany(
            "INSERT INTO deliveries (channel_id, item_kind, item_id, purpose, due_at, "
            "matched, subscription_id, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (channel_id, item_kind, item_id, purpose) DO UPDATE SET "
            "status = 'pending', due_at = excluded.due_at, note = NULL, sent_at = NULL "
            "WHERE status = 'skipped' AND note IN (SELECT value FROM json_each(?))",
            [(*row, _REPLANNED_JSON) for row in rows])
        return conn.total_changes - before


def due(db: sqlite_utils.Database, now: datetime, limit: int = 500,
        skip_channels: Iterable[str] = ()) -> list[Delivery]:
    """Pending deliveries due by `now`, oldest first, but for the channels skipped (those
    already sending: their backlog is not read again at every sweep)."""
    rows = db.query("SELECT * FROM deliveries WHERE status = 'pending' AND due_at <= ? "
                    "AND channel_id NOT IN (SELECT value FROM json_each(?)) "
                    "ORDER BY due_at, id LIMIT ?",
                    [to_iso(now), json.dumps(list(skip_channels)), limit])
    return [_delivery(row) for row in rows]


def in_batch(db: sqlite_utils.Database, batch_id: int) -> list[Delivery]:
    """The pending rows of one batch, in order."""
    # By the batch's index, not the status one (which reads every pending row).
    rows = db.query("SELECT * FROM deliveries WHERE batch_id = ? AND +status = 'pending' "
                    "ORDER BY due_at, id", [batch_id])
    return [_delivery(row) for row in rows]


def has_due(db: sqlite_utils.Database, channel_id: str, now: datetime) -> bool:
    """Whether one channel has a pending delivery due by `now`."""
    # Through the channel's rows (the unary + keep SQLite off the status index): asked as
    # each channel's sender finishes, by the status index it read every row pending for
    # every channel, 3 ms each with a day's backlog of 50,000, on the event loop.
    return db.execute("SELECT 1 FROM deliveries WHERE +status = 'pending' AND +due_at <= ? "
                      "AND channel_id = ? LIMIT 1", [to_iso(now), channel_id]
                      ).fetchone() is not None


def next_due_at(db: sqlite_utils.Database, after: datetime) -> datetime | None:
    """When the next pending delivery falls due, strictly after `after`."""
    row = db.execute("SELECT min(due_at) FROM deliveries WHERE status = 'pending' "
                     "AND due_at > ?", [to_iso(after)]).fetchone()
    return parse_instant(row[0]) if row and row[0] else None


def claim(db: sqlite_utils.Database, ids: list[int], now: datetime) -> list[int]:
    """Claim pending rows for sending; return the ids this caller won. A MAYBE_SENT row
    keeps its first claim time: a message posted then is still looked for after a second
    crash."""
    won = []
    with transaction(db) as conn:
        for delivery_id in ids:
            if conn.execute("UPDATE deliveries SET status = 'claimed', claimed_at = CASE "
                            "WHEN note = ? AND claimed_at IS NOT NULL THEN claimed_at "
                            "ELSE ? END, attempts = attempts + 1 "
                            "WHERE id = ? AND status = 'pending'",
                            [MAYBE_SENT, to_iso(now), delivery_id]).rowcount:
                won.append(delivery_id)
    return won


def finish(db: sqlite_utils.Database, ids: list[int], status: str, now: datetime, *,
           sent_ref: str | None = None, late: bool = False, note: str | None = None) -> None:
    """Mark claimed or pending rows sent, skipped or failed (with why); a MAYBE_SENT
    note goes, the question being settled."""
    with transaction(db) as conn:
        conn.executemany(
            "UPDATE deliveries SET status = ?, sent_at = ?, sent_ref = ?, late = ?, "
            "note = coalesce(?, nullif(note, ?)) WHERE id = ?",
            [(status, to_iso(now), sent_ref, int(late), note, MAYBE_SENT, i) for i in ids])


def retry_later(db: sqlite_utils.Database, ids: list[int], due_at: datetime,
                error: str) -> None:
    """Return claimed rows to pending, due again at `due_at` (a passing failure)."""
    with transaction(db) as conn:
        conn.executemany("UPDATE deliveries SET status = 'pending', due_at = ?, error = ? "
                         "WHERE id = ?", [(to_iso(due_at), error[:500], i) for i in ids])


def release_stale_claims(db: sqlite_utils.Database) -> int:
    """At start: rows claimed by a process that died go back to pending, marked
    MAYBE_SENT (claimed_at is kept), to be looked for on the platform before a resend."""
    with transaction(db) as conn:
        return conn.execute("UPDATE deliveries SET status = 'pending', note = ? "
                            "WHERE status = 'claimed'", [MAYBE_SENT]).rowcount


def sent_ref(db: sqlite_utils.Database, channel_id: str, item_kind: str, item_id: str,
             purpose: Purpose) -> str | None:
    """Where one delivery was posted (the platform's message id), if it was: a lookup by
    the outbox's unique key, so its cost does not grow with the outbox."""
    row = db.execute("SELECT sent_ref FROM deliveries WHERE channel_id = ? AND item_kind = ? "
                     "AND item_id = ? AND purpose = ?",
                     [channel_id, item_kind, item_id, purpose.text]).fetchone()
    return row[0] if row else None


def for_item(db: sqlite_utils.Database, item_kind: str, item_id: str) -> list[Delivery]:
    rows = db.query("SELECT * FROM deliveries WHERE item_kind = ? AND item_id = ? "
                    "ORDER BY id", [item_kind, item_id])
    return [_delivery(row) for row in rows]


def skip_pending(db: sqlite_utils.Database, channel_id: str, item_kind: str, item_id: str,
                 which: Purpose | PurposeKind | None, note: str, now: datetime) -> int:
    """Skip (and record why) the pending deliveries of one item: those of one purpose, of
    one kind of purpose (`Reminder`: every reminder), or with None all of them."""
    if which is None:
        match, params = "1", []
    elif isinstance(which, type):  # every purpose of the kind: `reminder`, `reminder:...`
        match, params = "(purpose = ? OR substr(purpose, 1, ?) = ?)", [
            which.KIND, len(which.KIND) + 1, which.KIND + ":"]
    else:
        match, params = "purpose = ?", [which.text]
    with transaction(db) as conn:
        # `match` is one of the fixed clauses above; every value is a parameter.
        return conn.execute(
            "UPDATE deliveries SET status = 'skipped', note = ?, sent_at = ? "  # noqa: S608
            "WHERE channel_id = ? AND item_kind = ? AND item_id = ? AND status = 'pending' "
            f"AND {match}",
            [note, to_iso(now), channel_id, item_kind, item_id, *params]).rowcount


def history(db: sqlite_utils.Database, *, channel_id: str | None = None,
            status: str | None = None) -> list[Delivery]:
    where, params = ["1"], []
    if channel_id:
        where.append("channel_id = ?")
        params.append(channel_id)
    if status:
        where.append("status = ?")
        params.append(status)
    rows = db.query(f"SELECT * FROM deliveries WHERE {' AND '.join(where)} "  # noqa: S608
                    "ORDER BY id", params)
    return [_delivery(row) for row in rows]


def move_waiting(db: sqlite_utils.Database, purpose: Purpose, after: datetime,
                 moments: dict[str, datetime]) -> int:
    """Pending rows of `purpose` due after `after` move to their channel's moment in
    `moments` where it differs (a channel whose digest time or zone changed). Such a row
    is due within a day or so, so only the next WITHIN of the pending rows are read, not
    the weeks of reminders planned beyond them."""
    rows = db.execute("SELECT id, channel_id, due_at FROM deliveries WHERE status = "
                      "'pending' AND due_at > ? AND due_at <= ? AND purpose = ?",
                      [to_iso(after), to_iso(after + WITHIN), purpose.text]).fetchall()
    moved = [(to_iso(moments[channel]), row_id) for row_id, channel, due in rows
             if channel in moments and due != to_iso(moments[channel])]
    if moved:
        with transaction(db) as conn:
            conn.executemany("UPDATE deliveries SET due_at = ? WHERE id = ? "
                             "AND status = 'pending'", moved)
    return len(moved)


def sent_ahead(db: sqlite_utils.Database, purpose: Purpose, now: datetime
               ) -> dict[str, set[datetime]]:
    """channel id -> the due moments of its rows of `purpose` already sent yet due after
    `now`: only a clock set back makes any (read by the status index: normally none)."""
    found: dict[str, set[datetime]] = {}
    for channel, due in db.execute("SELECT channel_id, due_at FROM deliveries WHERE "
                                   "status = 'sent' AND due_at > ? AND purpose = ?",
                                   [to_iso(now), purpose.text]):
        found.setdefault(channel, set()).add(parse_instant(due))
    return found


def told_dois(db: sqlite_utils.Database, channel_id: str, dois: list[str],
              paper_ids: list[str]) -> set[str]:
    """Which of `dois` a paper other than `paper_ids` carries that the channel was told
    of, or is about to be (the same paper under another id: its arXiv preprint, its
    journal version). One pass over the channel's paper rows, by the outbox's key."""
    rows = db.execute("SELECT DISTINCT p.doi FROM deliveries AS d JOIN papers AS p "
                      "ON p.id = d.item_id WHERE d.channel_id = ? AND d.item_kind = 'paper' "
                      "AND d.status IN ('pending', 'claimed', 'sent') "
                      "AND p.doi IN (SELECT value FROM json_each(?)) "
                      "AND d.item_id NOT IN (SELECT value FROM json_each(?))",
                      [channel_id, json.dumps(dois), json.dumps(paper_ids)])
    return {row[0] for row in rows}
