"""Batches decided before they are sent: a catch-up list is stored with its key before its
first attempt, and after a crash it goes out as the same list under the same key, however
much news has arrived meanwhile; the news goes into a list of its own. A paper tried alone
is sent alone again. (The kill -9 proof with real processes is in
tests/reliability/test_fault_kill.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat import SentRef
from bot.outbox import MAYBE_SENT, message_key
from jobs.dispatch import dispatch_due
from storage.db import open_db
from storage.migrations import MIGRATIONS, migrate
from storage.pairs import create_pairs_index
from storage.paper_index import create_titles_index
from storage.store import Store
from tests.adapters.slack.test_delivery import ZONE, paper, store_papers
from tests.conftest import NOW

CHANNEL = "console:lab"


class Killed(BaseException):
    """The run dies (kill -9) while the message is in flight."""


class Recorder:
    """An adapter that records each message's key and the papers it names; `die` makes
    the next send die after the platform took it."""

    platform = "console"

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[str]]] = []
        self.die = False

    async def send(self, channel, message):
        links = [item.link for item in message.items] or [message.link]
        self.sent.append((message.key, links))
        if self.die:
            self.die = False
            raise Killed
        return SentRef(channel, str(len(self.sent)))


def subscribe_and_store(store, numbers, now=NOW) -> None:
    store.add_subscription(CHANNEL, "diffusion", "all", "U1", NOW - timedelta(hours=1))
    store_papers(store, *(paper(n) for n in numbers), now=now)


async def crash_then_news(store, first: range, news: range) -> Recorder:
    """Send the papers `first`, dying in flight; restart with `news` stored meanwhile."""
    adapter = Recorder()
    subscribe_and_store(store, first)
    adapter.die = True
    with pytest.raises(Killed):
        await dispatch_due(store, {"console": adapter}, NOW, ZONE)
    assert store.release_stale_claims() == len(first)  # the next run starts
    store_papers(store, *(paper(n) for n in news), now=NOW + timedelta(minutes=5))
    await dispatch_due(store, {"console": adapter}, NOW + timedelta(minutes=5), ZONE)
    return adapter


async def test_a_list_in_flight_goes_out_again_as_itself_and_news_as_another(store):
    adapter = await crash_then_news(store, range(1, 8), range(8, 14))
    (key, links), (again, same), (other, news) = adapter.sent
    assert again == key and same == links and len(links) == 7  # the same message
    assert other != key and len(news) == 6 and not set(news) & set(links)
    rows = store.delivery_history(channel_id=CHANNEL)
    assert all(row.status == "sent" for row in rows) and len(rows) == 13
    assert len({row.batch_id for row in rows}) == 2


async def test_a_paper_in_flight_alone_goes_out_alone_again(store):
    adapter = await crash_then_news(store, range(1, 2), range(2, 8))
    (key, links), (again, same), (other, news) = adapter.sent
    assert again == key == message_key([1]) and same == links
    assert other != key and len(news) == 6 and links[0] not in news


async def test_the_batch_is_stored_before_the_first_attempt(store):
    adapter = Recorder()
    subscribe_and_store(store, range(1, 8))
    adapter.die = True
    with pytest.raises(Killed):
        await dispatch_due(store, {"console": adapter}, NOW, ZONE)
    rows = store.delivery_history(channel_id=CHANNEL)
    [batch_id] = {row.batch_id for row in rows}
    assert batch_id is not None and store.batch_key(batch_id) == adapter.sent[0][0]
    assert {row.status for row in rows} == {"claimed"}


def test_rows_taken_or_already_in_a_batch_make_no_batch(store):
    subscribe_and_store(store, range(1, 4))
    ids = [row.id for row in store.delivery_history(channel_id=CHANNEL)]
    assert store.create_batch(CHANNEL, ids[:2], NOW) is not None
    assert store.create_batch(CHANNEL, ids[1:], NOW) is None  # one is in a batch
    store.claim_deliveries(ids[2:], NOW)
    assert store.create_batch(CHANNEL, ids[2:], NOW) is None  # claimed: not pending
    assert store.db["batches"].count == 1
    assert [row.batch_id for row in store.delivery_history(channel_id=CHANNEL)].count(
        None) == 1


def test_an_upgrade_after_a_crash_keeps_the_list_that_was_in_flight(tmp_path):
    """Rows that an older lectern claimed together (the same moment) become the batch they
    were sent as, under the key they were sent with."""
    db = open_db(tmp_path / "before.db")
    db["schema_migrations"].create({"version": int, "name": str, "applied_at": str},
                                   pk="version")
    for version, name, step in MIGRATIONS[:8]:  # a database of the lectern before
        step(db)
        db["schema_migrations"].insert({"version": version, "name": name, "applied_at": ""})
    create_titles_index(db)  # today's Store writes them when storing papers
    create_pairs_index(db)
    old = Store(db)
    subscribe_and_store(old, range(1, 8))
    ids = [row.id for row in old.delivery_history(channel_id=CHANNEL)]
    old.claim_deliveries(ids, NOW)
    old.release_stale_claims()  # the crash, then the upgraded lectern starts
    assert 9 in migrate(db)
    rows = old.delivery_history(channel_id=CHANNEL)
    assert {row.note for row in rows} == {MAYBE_SENT}
    [batch_id] = {row.batch_id for row in rows}
    assert old.batch_key(batch_id) == message_key(ids)

