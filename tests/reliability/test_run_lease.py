"""Two `lectern run` processes on one database: one serves, the other waits and takes over
when the first dies (kill -9 included); nothing is sent twice.

The two children are real `python -m bot run` processes reading a feed from a local HTTP
server and posting to their console channels (stdout); the test polls their output files,
which is the only waiting here (real processes take real time).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from aiohttp import web

from bot.runlock import RunLock
from storage.store import Store
from tests.conftest import NOW
from tests.httpserver import routes, serve
from tests.reliability.feedgen import rss

ROOT = Path(__file__).resolve().parents[2]
POST = re.compile(r"^── #lab ─+\n(.+)$", re.MULTILINE)  # the console's header, then title
WAITING = "another lectern run holds the database"


def items(count: int) -> list[dict[str, str]]:
    return [{"title": f"Lease item {n}", "link": f"https://lab.example.org/posts/{n}",
             "guid": f"post-{n}", "pubDate": "Mon, 23 Nov 2026 08:00:00 GMT"}
            for n in range(1, count + 1)]


class Child:
    """One `lectern run` with its stdout (console posts) and stderr (log) in files."""

    def __init__(self, name: str, tmp: Path, config: Path, db: Path) -> None:
        self.out, self.err = tmp / f"{name}.out", tmp / f"{name}.err"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "--config", str(config), "--db", str(db), "run"],
                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def posts(self) -> list[str]:
        return POST.findall(self.out.read_text(encoding="utf-8", errors="replace"))

    def log(self) -> str:
        return self.err.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


async def until(condition, what: str, timeout: float = 30.0) -> None:
    """Wait for real child processes (never for time itself)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


@pytest.mark.slow
def lease_config(directory, feed_url: str):
    """A config polling one feed every minute for the console channel's subscription."""
    config = directory / "lectern.toml"
    config.write_text(f"""
timezone = "UTC"
[[sources]]
name = "lab"
kind = "rss"
url = "{feed_url}"
every = "1m"
[[subscriptions]]
channel = "console:lab"
query = "lease"
kinds = "papers"
""")
    return config


async def test_one_run_serves_the_other_takes_over_after_kill_9(tmp_path):
    feed = {"body": rss(items(3))}

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=feed["body"], content_type="application/rss+xml")

    async with serve(routes({"/feed.xml": handler})) as server:
        config = lease_config(tmp_path, server.url("/feed.xml"))
        db = tmp_path / "lectern.db"
        children = [Child("a", tmp_path, config, db), Child("b", tmp_path, config, db)]
        try:
            await until(lambda: sum(len(c.posts()) for c in children) >= 3, "3 posts")
            await until(lambda: any(WAITING in c.log() for c in children), "a waiting log")
            holder, waiter = sorted(children, key=lambda c: len(c.posts()), reverse=True)
            assert sorted(holder.posts()) == ["Lease item 1", "Lease item 2", "Lease item 3"]
            assert waiter.posts() == [] and WAITING not in holder.log()
            waiting_log = [line for line in waiter.log().splitlines() if WAITING in line]
            assert len(waiting_log) == 1  # said once, with who holds it and where
            assert f"pid {holder.process.pid}" in waiting_log[0]
            assert f"{db}.lock" in waiting_log[0]

            feed["body"] = rss(items(5))  # two new items, seen only after the takeover
            holder.process.send_signal(signal.SIGKILL)
            assert holder.process.wait(timeout=10) == -signal.SIGKILL
            await until(lambda: len(waiter.posts()) >= 2, "the takeover's posts")
            await until(lambda: "now serves" in waiter.log(), "the takeover log")
            assert sorted(waiter.posts()) == ["Lease item 4", "Lease item 5"]
        finally:
            for child in children:
                child.stop()

    posted = Counter(holder.posts() + waiter.posts())
    assert len(posted) == 5 and set(posted.values()) == {1}  # nothing lost, nothing twice
    store = Store.open(db)
    try:
        rows = store.delivery_history()
        assert len(rows) == 5 and {row.status for row in rows} == {"sent"}
    finally:
        store.close()


async def told_at_last(told: list[str]) -> None:
    """Until the waiter has said who holds the lock (bounded by the caller's wait_for)."""
    while not told:
        await asyncio.sleep(0.01)


async def test_the_lock_is_exclusive_and_passes_on_release(tmp_path):
    database = str(tmp_path / "l.db")
    first, second = RunLock(database), RunLock(database)
    assert first.try_acquire(NOW)
    assert "pid" in second.holder() and not second.try_acquire(NOW)
    told: list[str] = []
    waiter = asyncio.create_task(second.acquire(lambda: NOW, told.append))
    await asyncio.sleep(0)  # let it start waiting (no time passes for the lock itself)
    await asyncio.wait_for(told_at_last(told), 10)
    assert told == [f"pid {os.getpid()} on {socket.gethostname()}, since 2026-11-23T09:00:00Z"]
    assert not waiter.done()
    first.release()
    await asyncio.wait_for(waiter, timeout=10)  # the kernel hands it over at once
    assert second.held and not first.try_acquire(NOW)
    second.release()
    assert first.try_acquire(NOW)
    first.release()


async def test_a_cancelled_wait_lets_the_lock_go(tmp_path):
    database = str(tmp_path / "l.db")
    first, second, third = RunLock(database), RunLock(database), RunLock(database)
    assert first.try_acquire(NOW)
    waiter = asyncio.create_task(second.acquire(lambda: NOW))
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    first.release()
    # The cancelled waiter's thread may win the lock for a moment, then lets it go.
    await asyncio.wait_for(third.acquire(lambda: NOW), timeout=10)
    assert third.held
    third.release()


def test_an_in_memory_database_needs_no_lock():
    lock = RunLock(":memory:")
    assert lock.path is None and lock.try_acquire(NOW)


async def test_a_waiter_reads_the_holders_details_written_just_after_it_locked(tmp_path):
    """The holder locks a moment before it writes who it is (what CI once caught): the
    waiter's log line still names it rather than saying nothing is written yet."""
    import fcntl

    database = str(tmp_path / "l.db")
    path = Path(f"{database}.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)  # locked, nothing written yet
    told: list[str] = []
    waiter = asyncio.create_task(RunLock(database).acquire(lambda: NOW, told.append))
    await asyncio.sleep(0)
    assert told == []  # still giving the holder its moment
    os.pwrite(fd, b"pid 4242 on lab-host, since 2026-11-23T09:00:00Z\n", 0)
    await asyncio.wait_for(told_at_last(told), 10)
    assert told == ["pid 4242 on lab-host, since 2026-11-23T09:00:00Z"]
    os.close(fd)  # closing the holder's file lets the lock go
    await asyncio.wait_for(waiter, timeout=10)
