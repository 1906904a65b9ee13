"""Transactions compose: a transaction inside another is a savepoint, so storing a feed
and planning its deliveries are kept together or not at all."""

from __future__ import annotations

import pytest

from bot.models import Paper
from jobs import ingest
from jobs.sources.fetch import FetchResult
from storage.db import transaction
from tests.conftest import NOW

FEED = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
        b"<link>https://example.org/</link><description>d</description>"
        b"<item><title>Diffusion one</title><guid>urn:1</guid>"
        b"<link>https://example.org/1</link></item></channel></rss>")


def test_an_inner_failure_undoes_only_the_inner_part(store):
    with transaction(store.db):
        store.upsert_papers([Paper(id="x:1", title="Kept", source="x")], NOW)
        with pytest.raises(RuntimeError), transaction(store.db):
            store.upsert_papers([Paper(id="x:2", title="Undone", source="x")], NOW)
            raise RuntimeError("inner")
    assert [p.id for p in store.latest_papers()] == ["x:1"]


def test_an_outer_failure_undoes_the_inner_parts_too(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_papers([Paper(id="x:1", title="Undone", source="x")], NOW)
        store.add_subscription("console:ml", "diffusion", "papers", "U1", NOW)
        raise RuntimeError("outer")
    assert store.count_papers() == 0 and store.list_subscriptions() == []
    assert not store.db.conn.in_transaction


async def test_papers_are_not_kept_when_planning_their_deliveries_fails(store, monkeypatch):
    store.add_subscription("console:ml", "diffusion", "papers", "U1", NOW)

    def broken(*args, **kwargs):
        raise RuntimeError("planning failed")

    monkeypatch.setattr(ingest, "plan_new_items", broken)
    fetched = FetchResult(url="f", status=200, body=FEED, etag=None, last_modified=None,
                          content_type=None, not_modified=False)
    with pytest.raises(RuntimeError):  # what the poller and `lectern ingest` call
        await ingest.ingest_fetched(store, "rss", fetched, source="feed", timezone="UTC",
                                    now=NOW)
    assert store.count_papers() == 0  # the next poll finds them new and plans them
    monkeypatch.undo()
    report = await ingest.ingest_fetched(store, "rss", fetched, source="feed",
                                         timezone="UTC", now=NOW)
    assert report.planned == 1 and store.count_papers() == 1


def test_checkpoints_wait_for_4000_pages_of_wal(store):
    """A checkpoint (and its fsync) comes with the commit that fills the WAL past this:
    SQLite's 1,000 made the dispatcher's commits stall the event loop (storage.db)."""
    assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 4000
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
