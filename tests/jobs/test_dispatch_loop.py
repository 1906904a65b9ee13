"""The running dispatcher (DispatchLoop): rows are marked at the moment they are sent, a
channel's sender finishing sweeps again only when that channel has more due, and a sweep
waits for a write lock another connection holds without stopping the event loop.

The loop runs as a task on the test's event loop; the test lets it turn with
`asyncio.sleep(0)` (no time passes) and moves an injected clock.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

from bot.chat import ChannelRef, Message, SentRef
from bot.clock import FixedClock, to_iso
from bot.models import Paper
from bot.outbox import ANNOUNCE, Delivery
from jobs.dispatch_loop import DispatchLoop
from storage.db import open_db
from tests.conftest import NOW


@dataclass
class SlowAdapter:
    """Takes one (fake) second per message; `gate`, when set, holds every send until
    the test opens it."""

    clock: FixedClock
    gate: asyncio.Event | None = None
    sent: list[str] = field(default_factory=list)
    platform: str = "console"

    async def send(self, channel: ChannelRef, message: Message) -> SentRef:
        if self.gate is not None:
            await self.gate.wait()
        self.clock.advance(timedelta(seconds=1))
        self.sent.append(message.text)
        return SentRef(channel, str(len(self.sent)))


async def turn(times: int = 50) -> None:
    for _ in range(times):
        await asyncio.sleep(0)


def announce(store, channel: str, *numbers: int) -> None:
    store.ensure_channel(channel, NOW)
    papers = [Paper(id=f"x:{n}", title=f"Paper {n}", source="lab") for n in numbers]
    store.upsert_papers(papers, NOW)
    store.plan_deliveries([Delivery(channel, "paper", p.id, ANNOUNCE, NOW)
                           for p in papers], NOW)


class CountingStore:
    """The real store, counting the sweeps' due queries."""

    def __init__(self, store) -> None:
        self._store, self.sweeps = store, 0

    def due_deliveries(self, *args, **kwargs):
        self.sweeps += 1
        return self._store.due_deliveries(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


async def test_rows_are_marked_when_they_are_sent_not_when_the_sweep_began(store, clock):
    announce(store, "console:ml", 1, 2, 3)
    loop = DispatchLoop(store, {"console": SlowAdapter(clock)}, clock, "UTC")
    task = asyncio.create_task(loop.run_forever())
    try:
        await turn()
    finally:
        task.cancel()
    sent = [row[0] for row in store.db.execute("SELECT sent_at FROM deliveries ORDER BY id")]
    assert sent == [to_iso(NOW + timedelta(seconds=s)) for s in (1, 2, 3)]


async def test_a_finished_channel_sweeps_again_only_when_more_is_due(store, clock):
    counting = CountingStore(store)
    announce(store, "console:ml", 1)
    gate = asyncio.Event()
    adapter = SlowAdapter(clock, gate)
    loop = DispatchLoop(counting, {"console": adapter}, clock, "UTC")
    task = asyncio.create_task(loop.run_forever())
    try:
        await turn()
        assert counting.sweeps == 1 and adapter.sent == []  # sending, held at the gate
        gate.set()
        await turn()
        assert adapter.sent == ["Paper 1"] and counting.sweeps == 1  # nothing more: no sweep

        gate.clear()
        announce(store, "console:ml", 2)
        loop.wake()
        await turn()
        assert counting.sweeps == 2  # the new row's sender is held at the gate
        announce(store, "console:ml", 3)  # due while the channel is busy: no wake-up
        await turn()
        assert counting.sweeps == 2
        gate.set()
        await turn()
        assert adapter.sent == ["Paper 1", "Paper 2", "Paper 3"] and counting.sweeps == 3
    finally:
        task.cancel()


async def test_a_sweep_awaits_the_write_lock_the_reader_child_holds(store, clock, caplog):
    # Under `lectern run` the reader child stores documents in its own connection; the
    # sweep's digest planning waits for its lock in the loop, not in SQLite's busy handler
    # (which froze the loop for up to 10 s and then failed the sweep).
    store.update_channel(store.ensure_channel("console:ml", clock.now()).id,
                         digest_time="09:00")
    announce(store, "console:cv", 1)
    child = open_db(store.path).conn
    child.execute("BEGIN IMMEDIATE")
    adapter = SlowAdapter(clock)
    loop = DispatchLoop(store, {"console": adapter}, clock, "UTC")
    task = asyncio.create_task(loop.run_forever())
    try:
        await turn()
        assert adapter.sent == []  # the sweep is waiting for the lock
        child.execute("COMMIT")
        for _ in range(200):  # its next try comes at most 50 ms later, on the real clock
            await asyncio.sleep(0.01)  # (the other connection is another process's, really)
            if "Paper 1" in adapter.sent:
                break
        assert "Paper 1" in adapter.sent and any("Digest" in s for s in adapter.sent)
    finally:
        task.cancel()
        child.close()
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
