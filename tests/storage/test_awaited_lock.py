"""A transaction whose write lock is awaited (storage.db.transaction_when_free): while another
connection (the reader child, under `lectern run`) holds the lock, the event loop runs on
instead of waiting in SQLite's busy handler, and the work is done once the lock is free.

The other writer is a second real connection to the same file; the injected sleep is where
the loop would run other tasks, and where the test lets the other writer finish.
"""

from __future__ import annotations

import sqlite3
import time

import pytest

from bot.models import Paper
from storage.db import BUSY_TIMEOUT_MS, open_db, transaction_when_free
from tests.conftest import NOW


def paper(n: int) -> Paper:
    return Paper(id=f"x:{n}", title=f"Paper {n}", source="x")


@pytest.fixture
def other(store):
    """A second connection to the store's file, as the reader child has."""
    db = open_db(store.path)
    yield db.conn
    db.conn.close()


async def test_a_held_lock_is_awaited_in_the_loop_and_the_work_done_once_it_is_free(
        store, other):
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO sources (name, kind, location) VALUES ('s', 'rss', 'u')")
    waits, started = [], time.monotonic()

    async def sleep(seconds: float) -> None:
        if not waits:  # a refused try returns at once, not after SQLite's 10 s busy wait
            assert time.monotonic() - started < BUSY_TIMEOUT_MS / 1000 / 10
        waits.append(seconds)  # the loop would run the other tasks here
        if len(waits) == 3:
            other.execute("COMMIT")

    def work() -> int:
        store.upsert_papers([paper(1)], NOW)
        return store.count_papers()

    assert await transaction_when_free(store.db, work, sleep=sleep) == 1
    assert waits == [0.001, 0.002, 0.004]  # three tries refused at once, then the lock
    assert not store.db.conn.in_transaction
    assert store.db.execute("SELECT name FROM sources").fetchall() == [("s",)]


async def test_a_lock_held_past_patience_is_refused_and_nothing_is_held(store, other):
    other.execute("BEGIN IMMEDIATE")
    waits = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        await transaction_when_free(store.db, lambda: store.upsert_papers([paper(1)], NOW),
                                    sleep=sleep, patience=0.5)
    assert 0.5 <= sum(waits) < 0.6 and max(waits) == 0.05
    assert not store.db.conn.in_transaction
    other.execute("ROLLBACK")
    assert store.count_papers() == 0
    # other commands on the connection still wait SQLite's usual while for the lock
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


async def test_work_that_fails_keeps_nothing(store):
    def work() -> None:
        store.upsert_papers([paper(1)], NOW)
        raise RuntimeError("half way")

    with pytest.raises(RuntimeError):
        await store.transaction_when_free(work)
    assert store.count_papers() == 0 and not store.db.conn.in_transaction


async def test_inside_a_callers_transaction_it_is_a_part_of_it(store):
    with pytest.raises(RuntimeError), store.transaction():
        stored = await store.transaction_when_free(
            lambda: store.upsert_papers([paper(1)], NOW))
        assert stored.new == ["x:1"] and store.count_papers() == 1
        raise RuntimeError("the caller's transaction fails")
    assert store.count_papers() == 0


async def test_two_writers_of_the_loop_wait_out_another_process_and_both_commit(store):
    # A real child process holds the write lock (as the reader child does under `lectern
    # run`); two tasks of the loop want it at once, and a third keeps the loop turning.
    import asyncio

    from tests.lockholder import lock_held_by_a_child

    with lock_held_by_a_child(str(store.path)) as child:
        turns = 0

        async def ticker() -> None:
            nonlocal turns
            while True:
                turns += 1
                await asyncio.sleep(0)

        beating = asyncio.create_task(ticker())
        writers = [asyncio.create_task(store.transaction_when_free(
            lambda n=n: store.upsert_papers([paper(n), paper(n + 10)], NOW))) for n in (1, 2)]
        await asyncio.sleep(0.05)  # the writers' tries are refused meanwhile (another process)
        assert turns > 10 and not any(w.done() for w in writers)  # the loop kept turning
        child.stdin.close()
        await asyncio.gather(*writers)
        beating.cancel()
    assert store.count_papers() == 4 and not store.db.conn.in_transaction
