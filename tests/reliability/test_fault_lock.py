"""The database held by another writer for 2 s (a separate sqlite3 connection in BEGIN
EXCLUSIVE that also writes, so every reader's snapshot goes stale) while lectern ingests,
plans, dispatches and answers slash commands: each waits (busy_timeout) and carries on; no
"database is locked" escapes or is logged, and nothing is lost or sent twice."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bot.app.build import build
from bot.chat import ChannelRef, Invocation, UserRef
from bot.clock import FixedClock
from bot.models import Talk, UpsertResult
from bot.settings import Settings
from jobs.ingest import store_document
from jobs.planner import plan_new_items
from jobs.sources.fetch import FetchResult
from storage.store import Store
from tests.conftest import NOW
from tests.reliability.platforms import platforms

HOLD = 2.0  # seconds the other writer keeps the lock (real time: another connection)
WAITED = 1.0  # an operation that took less than this did not meet the lock


class OtherWriter:
    """A thread with its own connection: BEGIN EXCLUSIVE, a write, HOLD seconds, COMMIT."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.locked = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        try:
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("UPDATE sources SET failures = failures")  # a write: new snapshot
            conn.execute("INSERT INTO channels (id, platform, external_id, created) VALUES "
                         "('console:other-writer', 'console', 'other-writer', "
                         "'2026-11-23T09:00:00Z') ON CONFLICT DO NOTHING")
            self.locked.set()
            time.sleep(HOLD)
            conn.execute("COMMIT")
        finally:
            conn.close()

    def start(self) -> OtherWriter:
        self.thread.start()
        assert self.locked.wait(10), "the other writer never got the lock"
        return self


def rss(*titles: str) -> bytes:
    items = "".join(f"<item><title>{t}</title><guid>urn:lock:{n}</guid>"
                    f"<link>https://example.org/lock/{n}</link></item>"
                    for n, t in enumerate(titles))
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>f</title>"
            f"<link>https://example.org/</link><description>d</description>{items}"
            "</channel></rss>").encode()


def timed(work) -> float:
    started = time.monotonic()
    work()
    return time.monotonic() - started


def in_threads(path: Path, **jobs) -> dict[str, float]:
    """Run each job (given its own Store, as another task of the bot would be) in its own
    thread while the other writer holds the lock; how long each took."""
    took: dict[str, float] = {}
    errors: list[BaseException] = []

    def run(name: str, job) -> None:
        store = Store.open(path)
        try:
            took[name] = timed(lambda: job(store))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            store.close()

    writer = OtherWriter(path).start()
    threads = [threading.Thread(target=run, args=item) for item in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads + [writer.thread]:
        thread.join(30)
    assert errors == [], errors
    assert set(took) == set(jobs), "a job hung"
    return took


async def test_a_two_second_lock_delays_but_never_breaks_the_bot(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    path = tmp_path / "l.db"
    store = Store.open(path)
    clock = FixedClock(NOW)
    for channel in ("slack:C1", "discord:1300000000000000100"):
        store.add_subscription(channel, "diffusion", "all", "U1", NOW)
    settings = Settings()
    feed = FetchResult(url="https://example.org/f", status=200, etag=None, content_type=None,
                       body=rss(*(f"Diffusion result {n}" for n in range(3))),
                       last_modified=None, not_modified=False)
    talk = Talk(key="t1", title="Diffusion seminar", source="dept", start=NOW + timedelta(days=2),
                end=NOW + timedelta(days=2, hours=1), timezone="UTC")

    def ingest(own: Store) -> None:
        store_document(own, "rss", feed, source="feed", timezone="UTC", now=NOW)

    def plan(own: Store) -> None:
        changes = own.upsert_talks("dept", [talk], NOW)
        plan_new_items(own, UpsertResult(), changes, NOW, "UTC")

    def command(own: Store) -> None:
        registry = build(settings, clock, store=own).registry
        for text in ("subscribe graphene", "papers search diffusion"):
            name, _, args = text.partition(" ")
            reply = asyncio.run(registry.dispatch(Invocation(
                name, args, ChannelRef("slack", "C1"), UserRef("U1", "ada"),
                is_manager=True)))
            assert not reply.refused, reply

    took = in_threads(path, ingest=ingest, plan=plan, command=command)
    assert min(took.values()) > WAITED, took  # each met the lock and waited it out
    assert [s.query for s in store.list_subscriptions("slack:C1")] == ["diffusion",
                                                                        "graphene"]
    planned = Counter(d.channel_id for d in store.delivery_history())
    # 3 papers and the talk's announcement and 2 reminders, in each channel.
    assert planned == {"slack:C1": 6, "discord:1300000000000000100": 6}

    await _dispatch_meets_the_lock(store, clock, path)
    assert not [r for r in caplog.records if "locked" in r.getMessage()]
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


async def _dispatch_meets_the_lock(store: Store, clock: FixedClock, path) -> None:
    """Dispatch: the lock is taken as the first message reaches Slack, so marking it sent
    and claiming the next ones wait for it."""
    async with platforms(store, clock) as fakes:
        post = fakes.slack._chat_postMessage
        writers: list[OtherWriter] = []

        def locking_post(params: dict) -> dict:
            if not writers:
                writers.append(OtherWriter(path).start())
            return post(params)

        fakes.slack._chat_postMessage = locking_post
        started = time.monotonic()
        report = await fakes.dispatch()
        assert time.monotonic() - started > WAITED and writers
        writers[0].thread.join(10)
        assert report.failed == [] and len(report.sent) == 8  # 3 papers and a talk, twice
        assert fakes.counts() == {"slack:C1": 4, "discord:1300000000000000100": 4}
        assert {d.status for d in store.delivery_history()
                if not d.purpose.text.startswith("reminder")} == {"sent"}
