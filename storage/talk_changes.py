"""A talk's change that has not settled yet: what it was before a run of changes, and when
the run settles.

A source that serves two versions by turns (two calendar servers out of step behind one
address, a page edited back and forth) changes a talk on every reading. A talk's first
change is said at once (a real move must not wait for the next poll) and opens a watch
until `_until` (settle_at), with `_first` set. A further change before then is a run of
changes that must settle before it is said: `_since` holds each field's value as the
channel was last told it (only the fields that still differ from it) and `_until` moves
on. These are kept in the talk's `changes` record beside the last step ({field: [old,
new]}). A later reading that finds the talk unchanged ends the watch or settles the run
at once; so does a change after `_until`. The planner says a run once it has settled and
says nothing of one that came back to what the channel was told (jobs.planner).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.clock import parse_instant, to_iso
from storage.db import transaction

SETTLE = timedelta(hours=24)  # the longest a change waits for a second reading
SINCE, UNTIL, FIRST = "_since", "_until", "_first"
# Fields whose changes make up a run; a cancellation or restoration stands on its own.
_RUN = ("start", "end", "location", "meeting_url", "title", "speakers")


def settle_at(start: datetime | None, now: datetime) -> datetime:
    """When a change seen `now` settles by time: SETTLE later, or half way to the talk's
    `start` when that is sooner (a move an hour before the talk is said within half an
    hour), never before `now`."""
    if start is None:
        return now + SETTLE
    return now + max(timedelta(0), min(SETTLE, (start - now) / 2))


def with_run(old: dict[str, Any], new: dict[str, Any], changed: dict[str, list],
             stamp: str) -> dict[str, list]:
    """`changed` (old -> new of one step) with the run it opens or extends."""
    if "status" in changed or not set(changed) & set(_RUN):
        return changed
    previous = _record(old.get("changes"))
    start = parse_instant(new["start"]) if new["start"] else None
    until = to_iso(settle_at(start, parse_instant(stamp)))
    if UNTIL not in previous or stamp >= previous[UNTIL]:  # the first change: said now
        return {**changed, SINCE: {}, UNTIL: until, FIRST: True}
    since = dict(previous.get(SINCE) or {})  # what the channel was told, where it differs
    for field in _RUN:
        if field in changed and field not in since:
            since[field] = old[field]
    since = {f: value for f, value in since.items() if value != new[f]}
    return {**changed, SINCE: since, UNTIL: until}


def without_run(changes: dict[str, Any]) -> dict[str, Any]:
    """A changes record as its readers know it: the last step only."""
    return {k: v for k, v in changes.items() if k not in (SINCE, UNTIL, FIRST)}


def unsettled(db: sqlite_utils.Database, talk_id: str) -> tuple[list[str], datetime] | None:
    """(the fields that differ from what the channel was told before the talk's run of
    changes, when it settles), or None when its last change is to be said at once: the
    first in a while, or one that opened no run (or the run is over)."""
    row = db.execute("SELECT changes FROM talks WHERE id = ?", [talk_id]).fetchone()
    changes = _record(row[0] if row else None)
    if UNTIL not in changes or changes.get(FIRST):
        return None
    return [f for f in _RUN if f in (changes.get(SINCE) or {})], parse_instant(changes[UNTIL])


def settle(conn: sqlite3.Connection, rows: Sequence[dict[str, Any]], stamp: str) -> None:
    """Talks read again unchanged: their runs are over (they keep their last step), and
    the change notices waiting for them fall due now, the second reading confirming them."""
    for row in rows:
        record = _record(row.get("changes"))
        if UNTIL in record:
            conn.execute("UPDATE talks SET changes = ? WHERE seq = ?",
                         [json.dumps(without_run(record), ensure_ascii=False), row["seq"]])
            conn.execute(f"UPDATE deliveries SET due_at = ? WHERE {_WAITING}",  # noqa: S608
                         [stamp, row["id"], stamp])


def withdraw(db: sqlite_utils.Database, channel_id: str, talk_id: str, note: str,
             now: datetime) -> int:
    """Skip the channel's change notices of a talk still waiting for their run to settle:
    the talk changed again before they were said."""
    with transaction(db) as conn:
        return conn.execute(
            "UPDATE deliveries SET status = 'skipped', note = ?, sent_at = ? "  # noqa: S608
            f"WHERE channel_id = ? AND {_WAITING}",
            [note, to_iso(now), channel_id, talk_id, to_iso(now)]).rowcount


# A talk's change notices not yet due (their run has not settled).
_WAITING = ("item_kind = 'talk' AND item_id = ? AND status = 'pending' "
            "AND substr(purpose, 1, 8) = 'updated:' AND due_at > ?")


def _record(text: str | None) -> dict[str, Any]:
    try:
        found = json.loads(text or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
