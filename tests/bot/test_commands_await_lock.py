"""Slash commands' own writes wait for the write lock in the event loop: while a real child
process holds it (as the reader child does under `lectern run`, storing a document), a
command typed on the console waits without holding the loop, so the other tasks (senders,
other commands) go on; once the child lets go, the command's write lands, once, and no
transaction is left open (storage.db.transaction_when_free).

Each case is one command and what it writes, read back as one row of SQL."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

import pytest

import storage.db
from adapters.console import ConsoleAdapter
from bot.chat import ChannelRef, Invocation, Reply, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.models import OPERATOR, Paper, Source, Talk, talk_id
from bot.platform_settings import HttpSettings
from bot.reminders import personal_target
from bot.services.talks import chat_source
from bot.settings import Settings
from jobs.hooks import JobHooks
from tests.conftest import NOW
from tests.lockholder import lock_held_by_a_child

CHANNEL = "console:lab"  # where the console's commands come from (adapters.console)
ME = personal_target("console", "operator")
TALK = talk_id("dept", "compilers")
OURS = talk_id(chat_source("console", "lab"), "ours")
HELD_BUSY_MS = 300  # the busy handler's wait here: a command that waits in it fails fast


class Hooks(JobHooks):
    """`lectern run`'s hooks (planning in jobs.planner), without the network."""

    async def try_source(self, name: str) -> str:
        return "It is polled on its schedule."


def setup(store) -> None:
    """What the commands act on, stored before the child takes the lock."""
    store.upsert_papers([Paper(id=f"arxiv:2611.0000{n}", title=f"Paper {n}", source="arxiv",
                               published=NOW) for n in (1, 2)], NOW)
    store.upsert_talks("dept", [Talk(key="compilers", title="Compilers for Everyone",
                                     source="dept", start=NOW + timedelta(days=2),
                                     speakers=["Grace Hopper"])], NOW)
    store.upsert_talks(chat_source("console", "lab"), [Talk(
        key="ours", title="Our Own Talk", source="chat", start=NOW + timedelta(days=3))], NOW)
    store.mark_talks_added([OURS], CHANNEL, "someone")
    store.add_subscription(CHANNEL, "pruning", "all", "someone", NOW)  # subscription 1
    store.update_channel(CHANNEL, paused_reason="the bot was removed", now=NOW)
    store.save_source(Source("chat-feed", "rss", "https://example.org/x", added_by="U1"), NOW)
    store.save_source(Source("config-feed", "rss", "https://example.org/y",
                             added_by=OPERATOR), NOW)
    store.ensure_channel(ME, NOW)
    store.ask_reminder(ME, OURS, (60,), NOW)


NAMES = {"talk": TALK, "ours": OURS, "channel": CHANNEL, "me": ME}  # the SQL's parameters
CASES = [  # (typed, SQL of what it writes, the row after)
    ("/subscribe diffusion", "SELECT count(*) FROM subscriptions WHERE query = 'diffusion'",
     (1,)),
    ("/subscribe talks compilers", "SELECT (SELECT count(*) FROM subscriptions WHERE query = "
     "'compilers'), (SELECT count(*) FROM deliveries WHERE item_id = :talk AND "
     "channel_id = :channel AND purpose = 'announce')", (1, 1)),
    ("/unsubscribe 1", "SELECT count(*) FROM subscriptions WHERE id = 1", (0,)),
    ("/papers vote arxiv:2611.00001 up", "SELECT count(*), sum(value) FROM votes", (1, 1)),
    ("/subscribe like:arxiv:2611.00002", "SELECT count(*) FROM votes WHERE paper_id = "
     "'arxiv:2611.00002'", (1,)),
    ("/subscribe recommended per-day 3", "SELECT recommend_per_day FROM channels", (3,)),
    ("/settings timezone Europe/London", "SELECT timezone FROM channels", ("Europe/London",)),
    ("/settings reminders 1h", "SELECT reminder_offsets FROM channels", ("60",)),
    ("/settings digest 09:00", "SELECT digest_time FROM channels", ("09:00",)),
    ("/settings digest-size 10", "SELECT digest_size FROM channels", (10,)),
    ("/settings resume", "SELECT paused_reason FROM channels", (None,)),
    ("/sources add rss https://example.org/feed.xml lab-feed",
     "SELECT count(*) FROM sources WHERE name = 'lab-feed'", (1,)),
    ("/sources remove chat-feed", "SELECT count(*) FROM sources WHERE name = 'chat-feed'",
     (0,)),
    ("/seminars add Title: Diffusion as Transport Speaker: Jane Doe Time: 2026-12-03 "
     "15:00-16:00 Location: Room 1", "SELECT count(*) FROM talks WHERE added_by = "
     "'operator' AND title = 'Diffusion as Transport'", (1,)),
    (f"/seminars share {OURS}", "SELECT shared_by FROM talks WHERE id = :ours",
     ("operator",)),
    ("/seminars calendar", "SELECT count(*) FROM calendar_feeds", (1,)),
    (f"/remind {TALK} 1h", "SELECT (SELECT minutes FROM reminder_requests WHERE talk_id = "
     ":talk), (SELECT count(*) FROM deliveries WHERE channel_id = :me AND item_id = :talk)",
     ("60", 1)),
    (f"/remind cancel {OURS}", "SELECT count(*) FROM reminder_requests", (0,)),
]


@pytest.fixture
def console(store, clock, monkeypatch):
    setup(store)
    # SQLite's busy handler waits 0.3 s here, not 10: a command that (wrongly) waits in it
    # holds the loop that long and then fails, so the test fails fast.
    monkeypatch.setattr(storage.db, "BUSY_TIMEOUT_MS", HELD_BUSY_MS)
    store.db.execute(f"PRAGMA busy_timeout = {HELD_BUSY_MS}")
    settings = Settings(timezone="UTC", http=HttpSettings(public_url="https://cal.example"))
    context = BotContext(store=store, clock=clock, settings=settings,
                         hooks=Hooks(store, clock, settings))
    return ConsoleAdapter(build_registry(context), out=io.StringIO())


async def waited_out(store, command: Coroutine[Any, Any, Reply]) -> Reply:
    """Run the command while a child holds the lock: it must wait with the loop turning,
    then finish once the child lets go, leaving no transaction open."""
    turns = 0

    async def ticker() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    with lock_held_by_a_child(str(store.path)) as child:
        beating = asyncio.create_task(ticker())
        running = asyncio.create_task(command)
        await asyncio.sleep(0.05)  # the command's tries are refused meanwhile
        assert not running.done(), running.result().message.text  # it waits ...
        assert turns > 10  # ... and the loop turns meanwhile
        child.stdin.close()  # the child lets go of the lock
        reply = await asyncio.wait_for(running, 10)
        beating.cancel()
    assert not store.db.conn.in_transaction
    assert not reply.refused, reply.message.text
    return reply


@pytest.mark.parametrize(("typed", "sql", "after"), CASES, ids=[c[0][:40] for c in CASES])
async def test_a_command_waits_for_the_lock_in_the_loop_and_writes_once(
        console, store, typed, sql, after):
    assert store.db.execute(sql, NAMES).fetchone() != after  # the command is what changes it
    await waited_out(store, console.handle_line(typed))
    assert store.db.execute(sql, NAMES).fetchone() == after


async def test_discord_events_wait_for_the_lock_too(console, store):
    sql = "SELECT channel_id, enabled FROM event_settings"
    await waited_out(store, console.registry.dispatch(Invocation(
        "settings", "discord-events on", ChannelRef("discord", "42"), UserRef("7", "Ada"),
        is_manager=True)))
    assert store.db.execute(sql).fetchall() == [("discord:42", 1)]


@pytest.mark.parametrize(("typed", "sql"), [
    ("/subscribe diffusion", "SELECT count(*) FROM subscriptions WHERE query = 'diffusion'"),
    ("/sources add rss https://example.org/feed.xml lab-feed",
     "SELECT count(*) FROM sources WHERE name = 'lab-feed'"),
], ids=["subscribe", "sources add"])
async def test_the_same_command_twice_while_waiting_writes_once(console, store, typed, sql):
    # Two clicks (or two managers) wait for the lock together: what each decides on (is it
    # known already?) is read once it has the lock, so the second sees the first's write.
    with lock_held_by_a_child(str(store.path)) as child:
        commands = [asyncio.create_task(console.handle_line(typed)) for _ in range(2)]
        await asyncio.sleep(0.05)
        assert not any(command.done() for command in commands)
        child.stdin.close()
        first, second = await asyncio.wait_for(asyncio.gather(*commands), 10)
    assert store.db.execute(sql, NAMES).fetchone() == (1,)
    assert not first.refused and ("already" in second.message.text
                                  or "exists" in second.message.text), second.message.text
    assert not store.db.conn.in_transaction
