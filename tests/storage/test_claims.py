"""The outbox after a crash, and how its rows are found: claims a dead run left are
released as pending but marked MAYBE_SENT with their first claim time kept (so the platform
can be asked before a resend), and the mark goes once the row is settled."""

from __future__ import annotations

from datetime import timedelta

from bot.outbox import ANNOUNCE, MAYBE_SENT, SENT, Delivery
from tests.conftest import NOW


def one_row(store) -> int:
    store.ensure_channel("console:ml", NOW)
    store.plan_deliveries([Delivery("console:ml", "paper", "x:1", ANNOUNCE, NOW)], NOW)
    [row] = store.deliveries_for("paper", "x:1")
    return row.id


def test_a_released_claim_is_pending_marked_and_keeps_its_claim_time(store):
    row_id = one_row(store)
    assert store.claim_deliveries([row_id], NOW) == [row_id]
    assert store.release_stale_claims() == 1
    [row] = store.deliveries_for("paper", "x:1")
    assert (row.status, row.note, row.claimed_at) == ("pending", MAYBE_SENT, NOW)


def test_claiming_again_keeps_the_first_claim_time_until_settled(store):
    row_id = one_row(store)
    store.claim_deliveries([row_id], NOW)
    store.release_stale_claims()
    later = NOW + timedelta(hours=1)
    store.claim_deliveries([row_id], later)
    store.release_stale_claims()  # a second crash
    [row] = store.deliveries_for("paper", "x:1")
    assert row.claimed_at == NOW and row.attempts == 2
    store.claim_deliveries([row_id], later)
    store.finish_deliveries([row_id], SENT, later, sent_ref="1.2")
    [row] = store.deliveries_for("paper", "x:1")
    assert (row.status, row.note, row.sent_ref) == ("sent", None, "1.2")


def test_an_ordinary_claim_is_not_marked(store):
    row_id = one_row(store)
    store.claim_deliveries([row_id], NOW)
    store.retry_deliveries([row_id], NOW + timedelta(minutes=2), "Slack kept failing")
    [row] = store.deliveries_for("paper", "x:1")
    assert (row.status, row.note) == ("pending", None)
    later = NOW + timedelta(minutes=2)
    store.claim_deliveries([row_id], later)
    [row] = store.deliveries_for("paper", "x:1")
    assert row.claimed_at == later


def test_deliveries_are_found_by_their_item_through_an_index(store):
    """A talk's move or a source's notices look its deliveries up by item: an index
    search, not a scan of the whole outbox."""
    plan = store.db.execute("EXPLAIN QUERY PLAN SELECT * FROM deliveries "
                            "WHERE item_kind = ? AND item_id = ?", ["talk", "t1"]).fetchall()
    assert any("USING INDEX" in row[-1] for row in plan), plan
