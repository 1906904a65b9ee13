"""Autocomplete: the values a platform may offer while a member types a command option
(subscriptions, sources, series, upcoming talks), as (value, label) pairs."""

from __future__ import annotations

from collections.abc import Callable

from bot.chat import ChannelRef
from bot.clock import Clock, SystemClock
from bot.models import TALK_CANCELLED
from storage.store import Store

Suggest = Callable[[str, ChannelRef], list[tuple[str, str]]]


def suggester(store: Store, clock: Clock | None = None) -> Suggest:
    """Autocomplete choices the platforms may offer: (value, label) pairs per kind."""
    clock = clock or SystemClock()

    def suggest(kind: str, channel: ChannelRef) -> list[tuple[str, str]]:
        if kind == "subscriptions":
            return [(str(s.id), f"{s.id} · {s.kinds} · {s.query}")
                    for s in store.list_subscriptions(f"{channel.platform}:{channel.id}")]
        if kind == "sources":
            return [(s.name, f"{s.name} [{s.kind}]") for s in store.list_sources()]
        if kind == "series":
            names = {t.series for _, t in store.list_talks() if t.series}
            return [(name, name) for name in sorted(names)]
        if kind == "talks":  # upcoming, soonest first: what /remind asks for
            return [(talk_id, f"{talk.start:%a %d %b} · {talk.title}"[:100])
                    for talk_id, talk in store.list_talks(ending_after=clock.now(), limit=100)
                    if talk.start and talk.status != TALK_CANCELLED]
        return []
    return suggest
