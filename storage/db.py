"""Opening the SQLite database: pragmas (WAL, foreign keys, busy timeout) and transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
# Pages (4 KiB) the WAL takes before a commit copies them into the database and syncs it.
# SQLite's 1,000 made every few commits of a catch-up list (hundreds of rows, each on its
# own page) pay for a checkpoint and its fsync on the event loop: the load bench's 200
# lists, all due in the same second, held every sender up for 1-2 s. At 4,000 checkpoints
# are a quarter as many and copy a page rewritten meanwhile once; the WAL file grows to
# about 16 MB.
WAL_AUTOCHECKPOINT = 4000
R = TypeVar("R")


class DatabaseRefused(ValueError):
    """A database file lectern will not open; the message says what to do instead."""


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database file with lectern's pragmas.

    The connection is in autocommit mode: writes happen inside `transaction()`, which
    takes the write lock up front (BEGIN IMMEDIATE) so two writers never deadlock.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        _refuse_hard_links(Path(path))
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                           isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT}")
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


def _refuse_hard_links(path: Path) -> None:
    """SQLite keeps a WAL file and its locks per path, not per file: two processes that
    open one database by two hard-linked names write two WALs and see neither's writes
    (a symlink is resolved, and safe). Such a file is refused, not quietly split."""
    try:
        links = path.stat().st_nlink
    except OSError:  # not there yet: SQLite creates it
        return
    if links > 1:
        raise DatabaseRefused(f"the database {path} has {links} hard links; SQLite cannot "
                              "share one file between names: open it by one path only (a "
                              "symlink is fine), e.g. remove the other links")


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """All or nothing: commit on success, roll back on any exception.

    Inside another transaction it is a savepoint, so callers compose: storing a feed and
    planning its deliveries commit together or not at all (a crash between the two would
    leave papers whose deliveries are never planned)."""
    conn = db.conn
    if conn.in_transaction:
        conn.execute("SAVEPOINT nested")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO nested")
            conn.execute("RELEASE nested")
            raise
        conn.execute("RELEASE nested")
        return
    conn.execute("BEGIN IMMEDIATE")
    with _begun(conn):
        yield conn


@contextmanager
def _begun(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A transaction already begun: committed on success, rolled back on any exception."""
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


async def transaction_when_free(db: sqlite_utils.Database, work: Callable[[], R], *,
                                sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                                patience: float = BUSY_TIMEOUT_MS / 1000) -> R:
    """`work()` (synchronous: it must not await) as one transaction, whose write lock is
    waited for in the event loop, not in SQLite's busy handler.

    Under `lectern run` the reader child stores and plans each document in its own
    connection (jobs.parse_child), holding the write lock for tens of milliseconds. A
    sender's claim that waited for it inside SQLite held the whole event loop meanwhile:
    during a day's ingest the loop stalled 0.1-0.3 s a turn, and commands waited with it.
    Here each try takes the lock only if it is free at once; otherwise the loop runs on
    and the next try comes 1, 2, 4 ... 50 ms later, for `patience` seconds in all."""
    conn = db.conn
    if conn.in_transaction:  # inside a caller's transaction: the lock is held already
        with transaction(db):
            return work()
    waited, delay = 0.0, 0.001
    while not _try_begin(conn):
        if waited >= patience:
            raise sqlite3.OperationalError("database is locked")
        await sleep(delay)
        waited, delay = waited + delay, min(delay * 2, 0.05)
    with _begun(conn):
        return work()


def _try_begin(conn: sqlite3.Connection) -> bool:
    """BEGIN IMMEDIATE if the write lock is free now; False if another connection has it."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        return True
    except sqlite3.OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
