"""Two senders on one database: one `lectern run` serves, another waits and takes over when
the first dies (kill -9 included), whatever path each opened the file by; nothing is sent
twice. The lease itself (storage.lease, bot.app.lease) on an injected clock is in
test_sender_lease.py.

The two children are real `python -m bot run` processes reading a feed from a local HTTP
server and posting to their console channels (stdout); the test polls their output files,
which is the only waiting here (real processes take real time).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from bot.app.lease import this_host
from storage.store import Store
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

    def __init__(self, name: str, tmp: Path, config: Path, db: Path,
                 env: dict[str, str] | None = None) -> None:
        self.out, self.err = tmp / f"{name}.out", tmp / f"{name}.err"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "--config", str(config), "--db", str(db), "run"],
                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                env=env or {**os.environ, "PYTHONUNBUFFERED": "1"})

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


def second_path(tmp_path: Path, db: Path, how: str) -> Path:
    """The path the second sender opens the database by."""
    if how == "same":
        return db
    other = tmp_path / "elsewhere" / "linked.db"
    other.parent.mkdir()
    other.symlink_to(db)  # a path of its own: the old `<path>.lock` was not shared
    return other


@pytest.mark.slow
@pytest.mark.parametrize("how", ["same", "symlink"])
async def test_one_run_serves_the_other_takes_over_after_kill_9(tmp_path, how):
    feed = {"body": rss(items(3))}

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=feed["body"], content_type="application/rss+xml")

    async with serve(routes({"/feed.xml": handler})) as server:
        config = lease_config(tmp_path, server.url("/feed.xml"))
        db = tmp_path / "lectern.db"
        Store.open(db).close()  # the file exists before a second path can point at it
        children = [Child("a", tmp_path, config, db),
                    Child("b", tmp_path, config, second_path(tmp_path, db, how))]
        try:
            await until(lambda: sum(len(c.posts()) for c in children) >= 3, "3 posts")
            await until(lambda: any(WAITING in c.log() for c in children), "a waiting log")
            holder, waiter = sorted(children, key=lambda c: len(c.posts()), reverse=True)
            assert sorted(holder.posts()) == ["Lease item 1", "Lease item 2", "Lease item 3"]
            assert waiter.posts() == [] and WAITING not in holder.log()
            waiting_log = [line for line in waiter.log().splitlines() if WAITING in line]
            assert len(waiting_log) == 1  # said once, with who holds it and where
            assert f"pid {holder.process.pid} on {this_host()}" in waiting_log[0]

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




def test_a_hard_linked_database_is_refused_with_one_line(tmp_path, capsys):
    """SQLite keeps a WAL per path: two names of one file would be two databases."""
    from bot.app.cli import main

    db = tmp_path / "lectern.db"
    Store.open(db).close()
    os.link(db, tmp_path / "again.db")
    code = main(["--db", str(db), "dispatch"])
    err = capsys.readouterr().err
    assert code == 2 and "has 2 hard links" in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
async def test_a_run_started_while_dispatch_posts_waits_and_repeats_nothing(tmp_path):
    """`lectern run` started while `lectern dispatch` is still posting (a slow Slack)
    waits for the lease, takes over when the dispatch exits, and posts nothing again: the
    old per-path lock let a new run release the live claims and post them twice."""
    import socket as sockets

    from tests.adapters.slack.test_delivery import paper, store_papers
    from tests.fake_slack import FakeSlack

    db, config = tmp_path / "lectern.db", tmp_path / "quiet.toml"
    config.write_text('timezone = "UTC"\n')
    store = Store.open(db)
    store.add_subscription("slack:C1", "diffusion", "papers", "U1",
                           datetime(2026, 11, 23, 8, tzinfo=UTC))
    store_papers(store, *(paper(n) for n in range(1, 5)))
    store.close()
    slack = FakeSlack(post_seconds=0.6)
    with sockets.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    async with serve(slack.app()) as server:
        slack.base_url = server.base_url
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "SLACK_BOT_TOKEN": "xoxb-test",
               "SLACK_SIGNING_SECRET": "s3cret", "SLACK_API_URL": slack.api_url,
               "LECTERN_HTTP_PORT": str(port)}
        base = [sys.executable, "-m", "bot", "--config", str(config), "--db", str(db)]
        dispatch = subprocess.Popen([*base, "dispatch"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        run = None
        try:
            await until(lambda: len(slack.posted) >= 1, "the dispatch's first post")
            run = Child("run", tmp_path, config, db, env=env)
            await until(lambda: WAITING in run.log(), "the run waiting for the lease")
            await until(lambda: dispatch.poll() is not None, "the dispatch to finish")
            assert dispatch.returncode == 0, dispatch.stderr.read()
            await until(lambda: "now serves" in run.log(), "the run taking over")
        finally:
            if dispatch.poll() is None:
                dispatch.kill()
            if run is not None:
                run.stop()
    keys = [post["metadata"] for post in slack.posted]
    assert len(slack.posted) == 4 and len(set(map(str, keys))) == 4  # each once
