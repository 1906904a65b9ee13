"""Autocomplete: the values a platform may offer while a member types a command option
(subscriptions, sources, series, upcoming talks), as (value, label) pairs."""

from __future__ import annotations

from collections.abc import Callable

from bot.chat import ChannelRef
from bot.clock import Clock, SystemClock
from bot.models import TALK_CANCELLED
from storage.store import Store
from storage.talks import series_names

# (kind, channel[, typed]) -> (value, label) pairs; `typed` narrows series in SQL.
Suggest = Callable[..., list[tuple[str, str]]]
SERIES_LIMIT = 25  # Discord shows 25 choices


def suggester(store: Store, clock: Clock | None = None) -> Suggest:
    """Autocomplete choices the platforms may offer: (value, label) pairs per kind."""
    clock = clock or SystemClock()

    def suggest(kind: str, channel: ChannelRef, typed: str = "") -> list[tuple[str, str]]:
        if kind == "subscriptions":
            return [(str(s.id), f"{s.id} · {s.kinds} · {s.query}")
                    for s in store.list_subscriptions(f"{channel.platform}:{channel.id}")]
        if kind == "sources":
            return [(s.name, f"{s.name} [{s.kind}]") for s in store.list_sources()]
        if kind == "series":  # asked on each keystroke: a bounded query, never every talk
            return [(name, name) for name in series_names(store.db, typed, SERIES_LIMIT)]
        if kind == "talks":  # upcoming, soonest first: what /remind asks for
            return [(talk_id, f"{talk.start:%a %d %b} · {talk.title}"[:100])
                    for talk_id, talk in store.list_talks(ending_after=clock.now(), limit=100)
                    if talk.start and talk.status != TALK_CANCELLED]
        return []
    return suggest
