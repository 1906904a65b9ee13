"""What the dispatcher asks the outbox for one channel costs that channel's rows, not the
whole backlog: after a day's ingest 50,000 rows are pending, and a question that read
them all (3-15 ms each on the event loop) held every sender up at the end of the load
bench. Cost is counted in SQLite's virtual-machine steps, which do not depend on the
machine's speed."""

from __future__ import annotations

from contextlib import contextmanager

from bot.outbox import ANNOUNCE, Delivery
from tests.conftest import NOW

BUSY, QUIET = "console:busy", "console:quiet"
BACKLOG = 3000  # rows pending for the busy channel
STEPS = 100  # the progress handler is called every this many steps


@contextmanager
def steps(store):
    """Counts (in hundreds) the SQLite steps run inside the block."""
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    store.db.conn.set_progress_handler(tick, STEPS)
    try:
        yield counted
    finally:
        store.db.conn.set_progress_handler(None, 0)


def backlog(store) -> list[int]:
    """BACKLOG rows due for the busy channel, then 3 for the quiet one; the quiet one's ids."""
    for channel in (BUSY, QUIET):
        store.ensure_channel(channel, NOW)
    store.plan_deliveries([Delivery(BUSY, "paper", f"x:{n}", ANNOUNCE, NOW)
                           for n in range(BACKLOG)], NOW)
    store.plan_deliveries([Delivery(QUIET, "paper", f"y:{n}", ANNOUNCE, NOW)
                           for n in range(3)], NOW)
    return [d.id for n in range(3) for d in store.deliveries_for("paper", f"y:{n}")]


def test_asking_whether_a_channel_has_work_reads_only_its_rows(store):
    ids = backlog(store)
    with steps(store) as counted:
        assert store.has_due_deliveries(QUIET, NOW)
        store.claim_deliveries(ids, NOW)
        assert not store.has_due_deliveries(QUIET, NOW)  # the busy backlog is not read
    assert counted[0] < 10  # reading the backlog takes hundreds


def test_a_batch_is_made_and_read_back_by_its_rows_ids(store):
    ids = backlog(store)
    with steps(store) as counted:
        key = store.create_batch(QUIET, ids, NOW)
        [batch_id] = {row.batch_id for row in store.deliveries_for("paper", "y:0")}
        assert [row.id for row in store.batch_members(batch_id)] == ids
    assert key is not None and counted[0] < 10


def test_the_backlog_is_what_makes_the_steps(store):
    """The measure can tell: the same questions of the busy channel take hundreds."""
    backlog(store)
    busy = [d.id for n in range(BACKLOG) for d in store.deliveries_for("paper", f"x:{n}")]
    with steps(store) as counted:
        store.create_batch(BUSY, busy, NOW)
    assert counted[0] > 100
