"""The jobs' own writes wait for the write lock in the event loop (storage.db
.transaction_when_free), as the commands' do (tests/bot/test_commands_await_lock.py): while
a real child process holds it, as the reader child of `lectern run` does while it stores a
document, the loop keeps turning, and the write lands once the child lets go.

SQLite's busy handler waits 0.3 s here: a write that (wrongly) waits in it holds the loop
that long, the child's release (scheduled on the loop) cannot run, and it fails with
"database is locked"."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from aiohttp import web

import jobs.poll_jobs
import storage.db
from bot.models import Source
from bot.settings import Settings
from jobs.hooks import JobHooks
from jobs.poll_jobs import poll_checked
from jobs.sources import arxiv_api
from jobs.sources.fetch import USER_AGENT, Fetcher
from tests.conftest import DATA
from tests.httpserver import routes, serve
from tests.lockholder import lock_held_by_a_child

HELD_BUSY_MS = 300
RELEASE_AFTER = 0.05  # seconds of the loop's time the child holds the lock


@pytest.fixture(autouse=True)
def impatient(store, monkeypatch):
    monkeypatch.setattr(storage.db, "BUSY_TIMEOUT_MS", HELD_BUSY_MS)
    store.db.execute(f"PRAGMA busy_timeout = {HELD_BUSY_MS}")


class Ticker:
    """Counts the loop's turns while it runs."""

    def __init__(self) -> None:
        self.turns = 0
        self.task = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            self.turns += 1
            await asyncio.sleep(0)

    def stop(self) -> int:
        self.task.cancel()
        return self.turns


def let_go_soon(child) -> None:
    asyncio.get_running_loop().call_later(RELEASE_AFTER, child.stdin.close)


async def test_example_papers_fetched_for_a_taste_are_stored_once_the_lock_is_free(
        store, clock, monkeypatch):
    """The reader child takes the lock while the answer is read, before it is stored."""
    body = (DATA / "arxiv-api-query.xml").read_bytes()

    async def api(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/atom+xml")

    real = arxiv_api.parse
    settings = Settings(allow_ranges=("127.0.0.0/8",))
    with contextlib.ExitStack() as stack:
        def parse_then_the_child_takes_the_lock(*args, **kwargs):
            let_go_soon(stack.enter_context(lock_held_by_a_child(str(store.path))))
            return real(*args, **kwargs)

        monkeypatch.setattr(arxiv_api, "parse", parse_then_the_child_takes_the_lock)
        async with serve(routes({"/api/query": api})) as server:
            hooks = JobHooks(store, clock, settings, arxiv_api=server.url("/api/query"))
            ticker = Ticker()
            await hooks.fetch_papers(["arxiv:2502.12345"])
            turns = ticker.stop()
    assert store.stored_paper_ids(["arxiv:2502.12345"]) == {"arxiv:2502.12345"}
    assert turns > 10 and not store.db.conn.in_transaction


async def test_a_health_notice_planned_after_a_poll_waits_for_the_lock(
        store, clock, monkeypatch):
    """The reader child takes the lock between the poll's record of the failure and the
    health check that plans the "failing" notice."""
    async def broken(request: web.Request) -> web.Response:
        return web.Response(body=b"<html>Maintenance</html>", content_type="text/html")

    real = jobs.poll_jobs.poll_named
    with contextlib.ExitStack() as stack:
        async def poll_then_the_child_takes_the_lock(*args, **kwargs):
            done = await real(*args, **kwargs)
            let_go_soon(stack.enter_context(lock_held_by_a_child(str(store.path))))
            return done

        async with serve(routes({"/feed": broken})) as server, \
                Fetcher(user_agent=USER_AGENT, allow_ranges=["127.0.0.1/32"]) as fetcher:
            store.save_source(Source("src", "rss", server.url("/feed"), added_by="u1",
                                     added_in="console:lab"), clock.now())
            for _ in range(2):  # two failures: not yet news
                await poll_checked(store, Settings(), "src", fetcher, clock.now())
            monkeypatch.setattr(jobs.poll_jobs, "poll_named", poll_then_the_child_takes_the_lock)
            ticker = Ticker()
            _, error, planned = await poll_checked(store, Settings(), "src", fetcher,
                                                   clock.now())
            turns = ticker.stop()
    assert error and planned == 1  # the third failure: the "failing" notice, planned once
    assert turns > 10 and not store.db.conn.in_transaction
