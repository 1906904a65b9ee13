"""The dispatcher and the Slack adapter after a crash: a delivery claimed by a run that died
once it had posted comes back marked as maybe sent, is found in the channel's history and
marked sent with that post's ts, without a second post; one the dead run never posted is
posted once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.outbox import MAYBE_SENT
from jobs.dispatch import dispatch_due
from tests.adapters.slack.test_delivery import ZONE, paper, store_papers
from tests.conftest import NOW


class Killed(BaseException):
    """The run dies (kill -9) right after the platform took the message."""


class DiesAfterPosting:
    platform = "slack"

    def __init__(self, adapter, post: bool = True) -> None:
        self.adapter, self.post = adapter, post

    async def send(self, channel, message):
        if self.post:
            await self.adapter.send(channel, message)
        raise Killed


async def crash_mid_send(store, adapter, post: bool) -> None:
    store.add_subscription("slack:C1", "diffusion", "all", "U1", NOW - timedelta(hours=1))
    store_papers(store, paper(1))
    with pytest.raises(Killed):
        await dispatch_due(store, {"slack": DiesAfterPosting(adapter, post)}, NOW, ZONE)
    [row] = store.deliveries_for("paper", "arxiv:2611.00001")
    assert row.status == "claimed"  # posted (or not), never marked
    assert store.release_stale_claims() == 1  # what the next `lectern run` does first
    [row] = store.deliveries_for("paper", "arxiv:2611.00001")
    assert (row.status, row.note, row.claimed_at) == ("pending", MAYBE_SENT, NOW)


async def test_a_delivery_posted_before_the_crash_is_not_posted_again(make_adapter, fake,
                                                                      store, clock):
    await crash_mid_send(store, make_adapter(), post=True)
    [posted] = fake.posted
    clock.advance(timedelta(minutes=5))  # the restart
    report = await dispatch_due(store, {"slack": make_adapter()}, clock.now(), ZONE)
    assert [entry["item_id"] for entry in report.sent] == ["arxiv:2611.00001"]
    assert fake.posted == [posted] and len(fake.called("conversations.history")) == 1
    [row] = store.deliveries_for("paper", "arxiv:2611.00001")
    assert (row.status, row.sent_ref, row.note) == ("sent", posted["_ts"], None)


async def test_a_delivery_the_crash_stopped_short_of_posting_is_posted_once(
        make_adapter, fake, store, clock):
    await crash_mid_send(store, make_adapter(), post=False)
    clock.advance(timedelta(minutes=5))
    await dispatch_due(store, {"slack": make_adapter()}, clock.now(), ZONE)
    [posted] = fake.posted
    [row] = store.deliveries_for("paper", "arxiv:2611.00001")
    assert (row.status, row.sent_ref) == ("sent", posted["_ts"])
    # Sent normally, later deliveries look nothing up.
    store_papers(store, paper(2), now=clock.now())
    await dispatch_due(store, {"slack": make_adapter()}, clock.now(), ZONE)
    assert len(fake.posted) == 2 and len(fake.called("conversations.history")) == 1


async def test_a_second_crash_keeps_the_first_claim_time(make_adapter, fake, store, clock):
    await crash_mid_send(store, make_adapter(), post=True)
    clock.advance(timedelta(hours=1))  # the restart dies before it looks
    with pytest.raises(Killed):
        await dispatch_due(store, {"slack": DiesAfterPosting(None, post=False)},
                           clock.now(), ZONE)
    store.release_stale_claims()
    [row] = store.deliveries_for("paper", "arxiv:2611.00001")
    assert row.claimed_at == NOW and row.attempts == 2
    await dispatch_due(store, {"slack": make_adapter()}, clock.now(), ZONE)
    assert len(fake.posted) == 1
