"""The subscribers planning matches against are built once and kept until the database says
a channel or subscription changed, whichever connection changed it (the parse child plans
with its own): real SQLite files, two Stores on one file, builds counted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.models import Paper, TalkChanges
from bot.outbox import ANNOUNCE, DIGEST
from jobs import subscribers as subscribers_module
from jobs.planner import plan_new_items
from jobs.subscribers import current_subscribers
from storage.store import Store
from tests.conftest import NOW

M = timedelta(minutes=1)


@pytest.fixture
def other(store):
    """A second connection to the same file, as the bot has beside the parse child."""
    opened = Store.open(store.path)
    yield opened
    opened.close()


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """How many subscriptions each index was built from, one entry per build."""
    built: list[int] = []
    real = subscribers_module.SubscriptionIndex

    def counting(subscriptions, **options):
        subscriptions = list(subscriptions)
        built.append(len(subscriptions))
        return real(subscriptions, **options)

    monkeypatch.setattr(subscribers_module, "SubscriptionIndex", counting)
    return built


def store_paper(store: Store, number: int, title: str, at) -> list[tuple[str, str]]:
    """Store a paper and plan it; (channel, purpose) of the deliveries planned for it."""
    paper_id = f"x:{number}"
    result = store.upsert_papers([Paper(id=paper_id, title=title, source="x")], at)
    plan_new_items(store, result, TalkChanges(), at, "UTC")
    return sorted((d.channel_id, d.purpose.KIND) for d in store.delivery_history()
                  if d.item_id == paper_id)


def test_a_subscription_made_through_another_connection_is_matched_next(store, other):
    store.add_subscription("console:a", "diffusion", "all", "U1", NOW)
    assert store_paper(store, 1, "Diffusion models", NOW + M) == [("console:a", "announce")]
    other.add_subscription("console:b", "proteins", "all", "U2", NOW + 2 * M)
    assert store_paper(store, 2, "Diffusion for proteins", NOW + 3 * M) == [
        ("console:a", "announce"), ("console:b", "announce")]


def test_a_subscription_removed_through_another_connection_is_not_matched_next(store, other):
    kept = store.add_subscription("console:a", "diffusion", "all", "U1", NOW)
    gone = store.add_subscription("console:b", "diffusion", "all", "U2", NOW)
    assert len(store_paper(store, 1, "Diffusion models", NOW + M)) == 2
    assert other.remove_subscription("console:b", gone.id)
    assert store_paper(store, 2, "Diffusion again", NOW + 2 * M) == [("console:a", "announce")]
    assert kept.id in current_subscribers(store).subscriptions


def test_a_channel_setting_changed_through_another_connection_is_used_next(store, other):
    store.add_subscription("console:a", "diffusion", "all", "U1", NOW)
    assert store_paper(store, 1, "Diffusion models", NOW + M) == [("console:a", "announce")]
    other.update_channel("console:a", digest_time="18:00")
    assert store_paper(store, 2, "Diffusion again", NOW + 2 * M) == [
        ("console:a", DIGEST.KIND)]


def test_the_index_is_built_again_only_after_a_change(store, other, builds):
    store.add_subscription("console:a", "diffusion", "all", "U1", NOW)
    for number in range(1, 4):
        store_paper(store, number, f"Diffusion {number}", NOW + number * M)
    assert builds == [1]  # three plannings, one build
    other.add_subscription("console:b", "proteins", "all", "U2", NOW + 5 * M)
    store_paper(store, 5, "Diffusion 5", NOW + 6 * M)
    store_paper(store, 6, "Diffusion 6", NOW + 7 * M)
    assert builds == [1, 2]
    store.ensure_channel("console:a", NOW)  # already there: nothing changes
    store_paper(store, 7, "Diffusion 7", NOW + 8 * M)
    assert builds == [1, 2]


def test_each_store_keeps_its_own(store, other, builds):
    """Two connections to one file each build once (nothing is shared between them)."""
    store.add_subscription("console:a", "diffusion", "all", "U1", NOW)
    assert current_subscribers(store) is current_subscribers(store)
    assert current_subscribers(other) is not current_subscribers(store)
    assert builds == [1, 1]


@pytest.mark.parametrize("change", [
    lambda s: s.add_subscription("console:a", "flows", "all", "U1", NOW),
    lambda s: s.remove_subscription("console:a", 1),
    lambda s: s.db.execute("UPDATE subscriptions SET kinds = 'talks' WHERE id = 1"),
    lambda s: s.ensure_channel("console:new", NOW),
    lambda s: s.update_channel("console:a", timezone="Europe/Paris"),
    lambda s: s.db.execute("DELETE FROM channels WHERE id = 'console:quiet'"),
], ids=["subscribe", "unsubscribe", "change kinds", "new channel", "channel setting",
        "channel removed"])
def test_every_change_to_channels_or_subscriptions_changes_the_version(store, change):
    store.add_subscription("console:a", "diffusion", "all", "U1", NOW)
    store.ensure_channel("console:quiet", NOW)  # (no subscriptions: it can be removed)
    before = store.subscribers_version()
    change(store)
    assert store.subscribers_version() not in (None, before)


def test_a_change_rolled_back_leaves_a_version_never_seen_again(store, builds):
    """State built inside a transaction that is rolled back is not taken for later state
    (a counter would come back to the same number after the rollback)."""
    store.add_subscription("console:a", "diffusion", "all", "U1", NOW)
    with pytest.raises(RuntimeError), store.transaction():
        store.add_subscription("console:b", "proteins", "all", "U2", NOW)
        assert len(current_subscribers(store).subscriptions) == 2
        raise RuntimeError("the command failed")
    store.add_subscription("console:c", "flows", "all", "U3", NOW)
    assert sorted(s.channel_id for s in current_subscribers(store).subscriptions.values()) == [
        "console:a", "console:c"]
    assert builds == [2, 2]


def test_planning_still_works_in_a_database_without_the_version(store, builds):
    store.add_subscription("console:a", "diffusion", "all", "U1", NOW)
    store.db.execute("DROP TABLE subscribers_version")
    assert store.subscribers_version() is None
    assert store_paper(store, 1, "Diffusion", NOW + M) == [("console:a", ANNOUNCE.KIND)]
    assert store_paper(store, 2, "Diffusion", NOW + 2 * M) == [("console:a", ANNOUNCE.KIND)]
    assert builds == [1, 1]  # nothing to trust: built every time
