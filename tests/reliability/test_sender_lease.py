"""The sender lease (storage.lease, bot.app.lease) on an injected clock: one holder sends;
a live holder's claims are never released; a gone holder's lease and claims are taken
over by whichever sender comes next, `lectern dispatch` included."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from datetime import timedelta

import pytest

from bot.app.cli import _dispatch_holding, main
from bot.app.lease import EXIT_BUSY, LEASE_TTL, SenderLease, alive, this_host
from bot.clock import FixedClock, SystemClock
from bot.outbox import MAYBE_SENT
from storage.lease import Holder
from storage.store import Store
from tests.adapters.slack.test_delivery import paper, store_papers
from tests.conftest import NOW

CHANNEL = "console:lab"


def claimed(store: Store, count: int = 3) -> list[int]:
    """Papers due in the console channel, claimed by a sender (as in flight)."""
    store.add_subscription(CHANNEL, "diffusion", "all", "U1", NOW - timedelta(hours=1))
    store_papers(store, *(paper(n) for n in range(1, count + 1)), now=NOW)
    ids = [row.id for row in store.delivery_history(channel_id=CHANNEL)]
    store.claim_deliveries(ids, NOW)
    return ids


def statuses(store: Store) -> set[tuple[str, str | None]]:
    return {(row.status, row.note) for row in store.delivery_history(channel_id=CHANNEL)}


def lease(store: Store, clock: FixedClock, alive: bool = True) -> SenderLease:
    return SenderLease(store, "l.db", clock, is_alive=lambda holder: alive)


def test_a_live_holders_lease_and_claims_stand(store, clock):
    first, second = lease(store, clock), lease(store, clock)
    assert first.try_take() is None
    claimed(store)
    holder = second.try_take()
    assert holder is not None and holder.token == first.me.token
    assert statuses(store) == {("claimed", None)}  # in flight: never released under it
    clock.set(NOW + LEASE_TTL - timedelta(seconds=1))
    assert second.try_take() is not None


def test_an_expired_lease_is_taken_over_with_its_claims_as_maybe_sent(store, clock):
    first, second = lease(store, clock), lease(store, clock)
    first.try_take()
    claimed(store)
    clock.set(NOW + LEASE_TTL + timedelta(seconds=1))  # it stopped renewing
    assert second.try_take() is None
    assert statuses(store) == {("pending", MAYBE_SENT)}  # looked for before a resend
    assert not store.renew_lease(first.me.token, clock.now(), LEASE_TTL)  # it lost it


def test_a_holder_whose_process_is_gone_is_taken_over_at_once(store, clock):
    first = lease(store, clock)
    first.try_take()
    claimed(store)
    assert lease(store, clock, alive=False).try_take() is None
    assert statuses(store) == {("pending", MAYBE_SENT)}


def test_renewing_keeps_the_lease(store, clock):
    first, second = lease(store, clock), lease(store, clock)
    first.try_take()
    for step in range(1, 10):
        clock.set(NOW + step * timedelta(seconds=20))
        assert store.renew_lease(first.me.token, clock.now(), LEASE_TTL)
        assert second.try_take() is not None


@pytest.fixture
def database(tmp_path) -> str:
    return str(tmp_path / "lectern.db")


def hold(database: str, pid: int) -> None:
    """A sender process `pid` on this host took the lease a moment ago (real time)."""
    store = Store.open(database)
    try:
        holder = Holder("other", this_host(), pid)
        assert store.take_lease(holder, SystemClock().now(), LEASE_TTL,
                                lambda _: True) == (None, 0)
        claimed(store)  # it claimed these, then stopped or died
    finally:
        store.close()


def test_dispatch_beside_a_live_sender_says_who_and_sends_nothing(database, capsys):
    hold(database, pid=1)  # pid 1 is alive on any host
    code = main(["--db", database, "--now", "2026-11-23T09:00:00Z", "dispatch", "--json"])
    err = capsys.readouterr().err
    assert code == EXIT_BUSY and "is sending from" in err and "pid 1 on" in err
    store = Store.open(database)
    try:
        assert statuses(store) == {("claimed", None)}
    finally:
        store.close()


def test_a_killed_dispatchs_claims_are_sent_by_the_next_dispatch(database, capsys):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # a sender that is gone, its lease still fresh
    hold(database, pid=child.pid)
    code = main(["--db", database, "--now", "2026-11-23T09:00:00Z", "dispatch", "--json"])
    assert code == 0
    store = Store.open(database)
    try:
        assert {row.status for row in store.delivery_history(channel_id=CHANNEL)} == {"sent"}
        assert store.db.execute("SELECT count(*) FROM sender_lease").fetchone()[0] == 0
    finally:
        store.close()


async def test_a_dispatch_whose_lease_is_taken_over_stops_sending(store, clock):
    """A `lectern dispatch` that stalled past its lease (another sender took over) stops
    at its next renewal instead of sending beside the new holder."""
    mine = lease(store, clock)
    assert mine.try_take() is None

    async def stalled(seconds: float) -> None:  # the renewal comes after the expiry
        clock.set(NOW + LEASE_TTL + timedelta(seconds=1))
        assert lease(store, clock).try_take() is None  # the other sender takes over

    mine.sleep = stalled

    class Posting:
        async def dispatch_once(self, console_out=None):
            await asyncio.Event().wait()  # still posting when the lease is lost

    assert await asyncio.wait_for(_dispatch_holding(Posting(), mine, False), 10) is None


def test_a_pid_is_judged_only_in_its_own_pid_namespace():
    """Two containers can share a host name (host networking) and not their processes:
    a holder from another pid namespace is never taken for dead by its pid."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # a pid that no process here has
    assert not alive(Holder("t", this_host(), child.pid))
    elsewhere = f"{socket.gethostname()} (pid:[1])"
    assert elsewhere != this_host() and alive(Holder("t", elsewhere, child.pid))
