"""Talks in SQLite: upserts that detect new, changed and cancelled talks, and listings.

A source's document is compared with what is stored for that source: a new time, room or
link is an update kept with what changed (for "rescheduled" notices later); a talk that
vanishes from a document that still covers its date, or is marked cancelled, becomes
cancelled. Re-reading an unchanged document changes nothing but to settle a change still
in a run (storage.talk_changes); a talk under a new key may be a stored one moved
(storage.talk_rekey).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.clock import parse_instant, to_iso
from bot.models import TALK_CANCELLED, Query, SearchHit, Talk, TalkChanges, talk_id
from bot.outbox import ANNOUNCE
from storage.db import transaction
from storage.fts import TALKS_FTS_COLUMNS, compile_match, index_text
from storage.talk_changes import settle, with_run, without_run
from storage.talk_rekey import rekey

_TEXT = ("title", "series", "affiliation", "abstract", "bio", "location", "meeting_url",
         "meeting_id", "meeting_password", "livestream_url", "replay_url", "slides_url",
         "homepage", "url", "language", "chair", "timezone", "status")
_COLUMNS = ("id", "source", "key", *_TEXT, "speakers", "start", "end", "all_day")
_COMPARED = tuple(c for c in _COLUMNS if c not in ("id", "source", "key"))


def upsert_talks(db: sqlite_utils.Database, source: str, talks: Sequence[Talk], now: datetime,
                 covers: tuple[datetime, datetime] | None = None) -> TalkChanges:
    """Store one document's talks for `source`, all or nothing.

    `covers` is the span of time the document speaks for, up to the last talk it lists:
    stored future talks of this source starting inside it that it no longer lists are
    cancelled. A change read from such a document is watched for a further change soon
    after, which must settle before it is said (storage.talk_changes); one given in chat
    (no `covers`) is said at once.
    """
    changes = TalkChanges()
    stamp = to_iso(now)
    incoming = {}
    for talk in talks:
        incoming[talk.key] = _row(source, talk)
    with transaction(db) as conn:
        known, same = _load(conn, source), []
        if covers:
            rekey(conn, known, incoming, stamp)
        for key, row in incoming.items():
            old = known.get(key)
            if old is None:
                _insert(conn, row, stamp)
                changes.new.append(row["id"])
                continue
            row["id"] = old["id"]  # a talk keeps its id when its key changes (_rekey)
            if any(row[c] != old[c] for c in _COMPARED):
                if row["status"] == TALK_CANCELLED and old["status"] != TALK_CANCELLED:
                    changes.cancelled.append(row["id"])
                else:
                    changes.updated.append(row["id"])
                _update(conn, old, row, stamp, run=covers is not None)
            else:
                changes.unchanged.append(row["id"])
                same.append(old)
        settle(conn, same, stamp)  # read again as it was: its change, if any, is confirmed
        if covers and incoming:
            # A document vouches for no talk after the last it lists: an export of the
            # next N events, or a stale copy, leaves later talks out without a word.
            last = max((row["start"] for row in incoming.values() if row["start"]),
                       default="")
            covers = (covers[0], min(covers[1], parse_instant(last))) if last else covers
            for key, old in known.items():
                if key not in incoming and _vanished(old, covers, stamp):
                    _update(conn, old, {**old, "status": TALK_CANCELLED}, stamp, VANISHED)
                    changes.cancelled.append(old["id"])
    return changes


# Recorded for a talk cancelled only because its document stopped listing it (jobs.planner).
VANISHED = {"listed": [True, False]}


def _vanished(old: dict[str, Any], covers: tuple[datetime, datetime], stamp: str) -> bool:
    start = old["start"]
    return (old["status"] != TALK_CANCELLED and start is not None and start > stamp
            and to_iso(covers[0]) <= start <= to_iso(covers[1]))


def _row(source: str, talk: Talk) -> dict[str, Any]:
    row = {c: getattr(talk, c) for c in _TEXT}
    row.update(id=talk_id(source, talk.key), source=source, key=talk.key,
               speakers=list(talk.speakers), start=to_iso(talk.start), end=to_iso(talk.end),
               all_day=int(talk.all_day), title=talk.title.strip() or "TBA")
    return row


def _load(conn: sqlite3.Connection, source: str) -> dict[str, dict[str, Any]]:
    cursor = conn.execute(f"SELECT seq, changes, {', '.join(_quoted(_COLUMNS))} FROM talks "  # noqa: S608
                          "WHERE source = ?", [source])
    names = [d[0] for d in cursor.description]
    rows = {}
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        row["speakers"] = json.loads(row["speakers"] or "[]")
        rows[row["key"]] = row
    return rows


def _quoted(columns: Sequence[str]) -> list[str]:
    return [f'"{c}"' for c in columns]  # "end" is an SQL keyword


def _values(row: dict[str, Any]) -> list[Any]:
    return [json.dumps(row[c], ensure_ascii=False) if c == "speakers" else row[c]
            for c in _COLUMNS]


def _fts(row: dict[str, Any]) -> list[str]:
    return [index_text(row["title"]), index_text(row["abstract"]),
            index_text(", ".join(row["speakers"])), index_text(row["affiliation"]),
            index_text(row["series"]), row["source"]]


def _insert(conn: sqlite3.Connection, row: dict[str, Any], stamp: str) -> None:
    columns = ", ".join(_quoted(_COLUMNS))
    marks = ", ".join("?" for _ in _COLUMNS)
    seq = conn.execute(f"INSERT INTO talks ({columns}, first_seen, last_changed) "  # noqa: S608
                       f"VALUES ({marks}, ?, ?) RETURNING seq",
                       [*_values(row), stamp, stamp]).fetchone()[0]
    _index(conn, seq, row)


def _update(conn: sqlite3.Connection, old: dict[str, Any], new: dict[str, Any],
            stamp: str, also: dict[str, list] | None = None, run: bool = False) -> None:
    """`run`: the change may be one of a run that has not settled (storage.talk_changes),
    read from a polled document (one that covers a span); a talk given in chat is not."""
    changed = {c: [old[c], new[c]] for c in _COMPARED if old[c] != new[c]} | (also or {})
    changed = with_run(old, new, changed, stamp) if run and not also else changed
    assignments = ", ".join(f'"{c}" = ?' for c in _COLUMNS)
    conn.execute(f"UPDATE talks SET {assignments}, changes = ?, last_changed = ? "  # noqa: S608
                 "WHERE seq = ?",
                 [*_values(new), json.dumps(changed, ensure_ascii=False), stamp, old["seq"]])
    if _fts(old) != _fts(new):
        _index(conn, old["seq"], old, delete=True)
        _index(conn, old["seq"], new)


def _index(conn: sqlite3.Connection, seq: int, row: dict[str, Any], delete: bool = False) -> None:
    columns = ", ".join(TALKS_FTS_COLUMNS)
    marks = ", ".join("?" for _ in TALKS_FTS_COLUMNS)
    if delete:  # a contentless index forgets a row only when given the text it indexed
        conn.execute(f"INSERT INTO talks_fts (talks_fts, rowid, {columns}) "  # noqa: S608
                     f"VALUES ('delete', ?, {marks})", [seq, *_fts(row)])
    else:
        conn.execute(f"INSERT INTO talks_fts (rowid, {columns}) VALUES (?, {marks})",  # noqa: S608
                     [seq, *_fts(row)])


def talk_from_row(row: dict[str, Any]) -> Talk:
    values = {c: row[c] for c in _TEXT}
    return Talk(key=row["key"], source=row["source"],
                speakers=json.loads(row["speakers"] or "[]"),
                start=parse_instant(row["start"]) if row["start"] else None,
                end=parse_instant(row["end"]) if row["end"] else None,
                all_day=bool(row["all_day"]), **values)


def list_talks(db: sqlite_utils.Database, *, ending_after: datetime | None = None,
               starting_before: datetime | None = None, series: str | None = None,
               followed_by: str | None = None,
               limit: int | None = None) -> list[tuple[str, Talk]]:
    """(id, talk) pairs, soonest first; `ending_after` keeps talks not yet over;
    `followed_by` keeps the talks a channel was (or will be) told about."""
    where, params = ["1"], []
    if followed_by is not None:
        where.append("id IN (SELECT item_id FROM deliveries WHERE item_kind = 'talk' "
                     "AND purpose = ? AND channel_id = ?)")
        params += [ANNOUNCE.text, followed_by]
    if ending_after is not None:
        where.append('coalesce("end", start) > ?')
        params.append(to_iso(ending_after))
    if starting_before is not None:
        where.append("start < ?")
        params.append(to_iso(starting_before))
    if series:
        where.append("series = ? COLLATE NOCASE")
        params.append(series)
    sql = f"SELECT * FROM talks WHERE {' AND '.join(where)} ORDER BY start, seq"  # noqa: S608
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [(row["id"], talk_from_row(row)) for row in db.query(sql, params)]


def count_added_by(db: sqlite_utils.Database, platform: str, user: str,
                   since: datetime) -> int:
    """How many talks `user` (a member id on `platform`) first added in chat since
    `since` (/seminars add; a talk already stored when pasted again is not counted)."""
    row = db.execute("SELECT count(*) FROM talks WHERE added_by = ? AND first_seen >= ? "
                     "AND substr(added_in, 1, length(?) + 1) = ? || ':'",
                     [user, to_iso(since), platform, platform]).fetchone()
    return int(row[0])


def stored_ids(db: sqlite_utils.Database, talk_ids: Sequence[str]) -> set[str]:
    """Which of `talk_ids` are stored."""
    rows = db.execute("SELECT id FROM talks WHERE id IN (SELECT value FROM json_each(?))",
                      [json.dumps(list(talk_ids))]).fetchall()
    return {r[0] for r in rows}


def count_upcoming(db: sqlite_utils.Database, talk_ids: Sequence[str], now: datetime) -> int:
    """How many of `talk_ids` are stored talks that have not started by `now`."""
    row = db.execute("SELECT count(*) FROM talks WHERE start > ? AND id IN "
                     "(SELECT value FROM json_each(?))",
                     [to_iso(now), json.dumps(list(talk_ids))]).fetchone()
    return int(row[0])


def series_names(db: sqlite_utils.Database, typed: str = "", limit: int = 25) -> list[str]:
    """Distinct series names holding `typed` (any case), those starting with it first:
    what autocomplete offers while a member types, without reading every talk."""
    rows = db.execute(
        "SELECT series FROM talks WHERE series IS NOT NULL AND series != '' "
        "AND instr(lower(series), ?) > 0 GROUP BY series COLLATE NOCASE "
        "ORDER BY instr(lower(series), ?) != 1, series COLLATE NOCASE LIMIT ?",
        [typed.lower(), typed.lower(), max(1, limit)]).fetchall()
    return [r[0] for r in rows]


def get_talk(db: sqlite_utils.Database, talk_id_: str) -> tuple[Talk, dict] | None:
    """The talk and its last recorded changes ({field: [old, new]})."""
    rows = list(db.query("SELECT * FROM talks WHERE id = ?", [talk_id_]))
    if not rows:
        return None
    return talk_from_row(rows[0]), without_run(json.loads(rows[0]["changes"] or "{}"))


# Query field -> talks_fts column; `author:` means the speaker for talks.
TALK_FIELDS = {None: None, "title": "title", "speaker": "speakers", "author": "speakers",
               "series": "series", "source": "source"}
_WEIGHTS = "8.0, 1.0, 6.0, 2.0, 2.0, 0.5"


def search_talks(db: sqlite_utils.Database, query: Query, limit: int = 10) -> list[SearchHit]:
    """Talks matching `query`, best first (bm25; on ties the later talk first)."""
    match = compile_match(query, TALK_FIELDS)
    if match is None:
        return []
    rows = db.execute(
        f"""SELECT t.id, t.title, t.url, t.speakers, t.start,
                   bm25(talks_fts, {_WEIGHTS}) AS rank
            FROM talks_fts JOIN talks t ON t.seq = talks_fts.rowid
            WHERE talks_fts MATCH ? ORDER BY rank, t.start DESC LIMIT ?""",  # noqa: S608
        [match, max(1, limit)]).fetchall()
    return [SearchHit(kind="talk", id=r[0], title=r[1], url=r[2] or "",
                      authors=json.loads(r[3] or "[]"),
                      published=parse_instant(r[4]) if r[4] else None,
                      score=round(-r[5], 4)) for r in rows]
