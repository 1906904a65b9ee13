"""A talk a document now gives under a new key: which stored talk it is, so that it keeps
its row, its id and its deliveries (a move, not a cancellation and a new talk).

Keys change when a calendar is exported again with new UIDs, when a page's talk (keyed by
speaker and day) moves to another day or its speaker's name is corrected, and when a
recurring event's time changes: each occurrence is keyed by UID and original start
(jobs.sources.ical), so a series moved from 14:00 to 15:00 gives every occurrence a new
key. Pairs are looked for in turn by: the same start and title; the same title and
speakers within MOVED_WITHIN; the same UID on the same local day; the same title and
speakers on the same local day. Only one-to-one pairs count (a weekly series of one title
and speaker pairs nothing by the second rule, each of its days by the last two).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import parse_instant

MOVED_WITHIN = timedelta(days=28)  # a talk postponed further is a new one, as far as we tell


def rekey(conn: sqlite3.Connection, known: dict[str, dict[str, Any]],
          incoming: dict[str, dict[str, Any]], stamp: str) -> None:
    """An incoming talk under a new key that is an upcoming stored talk gone from its old
    key takes over the stored row (`known` is updated to match)."""
    gone = {k: old for k, old in known.items() if k not in incoming}
    fresh = {k: row for k, row in incoming.items() if k not in known}
    for signature in (_slot, _talk, _occurrence, _day):
        # A past talk is paired by its UID alone (a moved series' past occurrences are
        # not stored twice); by other signs, only an upcoming one.
        ahead = gone if signature is _occurrence else {
            k: old for k, old in gone.items() if (old["start"] or "") > stamp}
        for old, row in _pairs(ahead, fresh, signature):
            conn.execute("UPDATE talks SET key = ? WHERE seq = ?", [row["key"], old["seq"]])
            del known[old["key"]], gone[old["key"]], fresh[row["key"]]
            known[row["key"]] = {**old, "key": row["key"]}


def _pairs(gone: dict[str, dict[str, Any]], fresh: dict[str, dict[str, Any]],
           signature: Callable[[dict[str, Any]], tuple | None]) -> list[tuple[dict, dict]]:
    olds: dict[tuple, list[dict[str, Any]]] = {}
    news: dict[tuple, list[dict[str, Any]]] = {}
    for rows, group in ((gone, olds), (fresh, news)):
        for row in rows.values():
            if (sig := signature(row)) is not None:
                group.setdefault(sig, []).append(row)
    pairs = [(o[0], news[sig][0]) for sig, o in olds.items()
             if len(o) == 1 and len(news.get(sig, ())) == 1]
    return [(old, row) for old, row in pairs if row["start"] and abs(
        parse_instant(row["start"]) - parse_instant(old["start"])) <= MOVED_WITHIN]


def _slot(row: dict[str, Any]) -> tuple | None:
    return (row["start"], _fold(row["title"]))


def _talk(row: dict[str, Any]) -> tuple | None:
    speakers = _speakers(row)
    return (_fold(row["title"]), speakers) if any(speakers) else None


def _occurrence(row: dict[str, Any]) -> tuple | None:
    """(UID, local day it was first planned for) of a recurring event's occurrence, keyed
    `UID@<original start>`: a series whose time changed keeps its UID and its days."""
    uid, at, original = row["key"].rpartition("@")
    if not at or not uid:
        return None
    day = _local_day(original, row)
    return (uid, day) if day else None


def _day(row: dict[str, Any]) -> tuple | None:
    """(title, speakers, local day): a series split by its calendar into two (the old
    one ends, a new UID carries on at the new time) keeps its days and its title."""
    day = _local_day(row["start"], row)
    return (_fold(row["title"]), _speakers(row), day) if day else None


def _local_day(instant: str | None, row: dict[str, Any]) -> date | None:
    try:
        moment = parse_instant(instant or "")
    except ValueError:
        return None
    try:
        zone = ZoneInfo(row["timezone"] or "UTC")
    except (ValueError, KeyError):  # an unknown or malformed zone name
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).date()


def _speakers(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(_fold(name) for name in row["speakers"]))


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())
