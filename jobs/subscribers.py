"""Who is subscribed, ready to match: every subscription compiled and indexed once
(Subscribers), kept for the next planning until the database's subscribers version
(storage.subscribers_version) says a channel or subscription changed.

Planning runs in the bot and in the parse child, each with its own connection, and a
command may subscribe through either: only the database can say what changed, so every
planning reads the version (one row) and rebuilds when it differs. Indexing 10,000
subscriptions takes about as long as matching a day's papers against them.
"""

from __future__ import annotations

import functools
import logging
import weakref
from dataclasses import dataclass

from bot.matchindex import SubscriptionIndex
from bot.matching import MatchDoc, Topic, compile_topic
from bot.models import Channel, QueryError, Subscription
from bot.topics import parse_query
from storage.store import Store

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=16_384)
def topic_of(query: str) -> Topic:
    """A stored query, compiled once per process (topics are immutable): compiling 10,000
    of them at every poll cost 0.4 s."""
    return compile_topic(parse_query(query))


@dataclass(frozen=True, slots=True)
class Subscribers:
    """Every subscription compiled once, with its channel, as of `version`."""

    index: SubscriptionIndex
    subscriptions: dict[int, Subscription]
    channels: dict[str, Channel]
    version: int | None = None

    @classmethod
    def load(cls, store: Store, version: int | None = None) -> Subscribers:
        subscriptions, topics = {}, []
        for sub in store.list_subscriptions():
            try:
                topics.append((sub.id, topic_of(sub.query)))
            except QueryError:  # stored before the language changed: never matches
                log.warning("subscription %s has an unreadable query %r", sub.id, sub.query)
                continue
            subscriptions[sub.id] = sub
        channels = {channel.id: channel for channel in store.list_channels()}
        return cls(SubscriptionIndex(topics), subscriptions, channels, version)

    def matches(self, doc: MatchDoc, kind: str) -> dict[str, tuple[int, list[str]]]:
        """channel id -> (first matching subscription, what matched), one per channel."""
        found: dict[str, tuple[int, list[str]]] = {}
        for sub_id, matched in self.index.matching(doc):
            sub = self.subscriptions[sub_id]
            if sub.wants(kind) and sub.channel_id not in found:
                found[sub.channel_id] = (sub_id, matched)
        return found


# Per Store (one connection to one database), dropped with it.
_KEPT: weakref.WeakKeyDictionary[Store, Subscribers] = weakref.WeakKeyDictionary()


def current_subscribers(store: Store) -> Subscribers:
    """The store's subscribers: those built before, unless the version changed since."""
    # Read before the rows: a change in between makes a newer build under an older
    # version, rebuilt next time; never an older build under a newer one.
    version = store.subscribers_version()
    kept = _KEPT.get(store)
    if kept is not None and version is not None and kept.version == version:
        return kept
    built = Subscribers.load(store, version)
    if version is not None:  # (None: a database not migrated this far; nothing to trust)
        _KEPT[store] = built
    return built
