"""Several talk notices for one channel decided as one message from the start: a new
subscriber's upcoming talks (jobs.planner.plan_upcoming), and the changes one reading of
a document brings to several talks a channel follows (a weekly series moved to another
hour: one list of the moved talks, not a notice each). Their outbox rows are a batch
(storage.batches) as soon as they are planned, however few they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from bot.clock import parse_instant
from bot.outbox import ANNOUNCE, Delivery, Purpose, Updated
from storage.store import Store


def list_together(store: Store, channel_id: str, talk_ids: Iterable[str], purpose: Purpose,
                  now: datetime) -> None:
    """The channel's pending rows of `purpose` for `talk_ids`, not yet in a batch, become
    one batch when there are several."""
    ids = [d.id for talk_id in dict.fromkeys(talk_ids)
           for d in store.deliveries_for("talk", talk_id)
           if d.channel_id == channel_id and d.purpose == purpose and d.status == "pending"
           and d.batch_id is None and d.id is not None]
    if len(ids) > 1:
        store.create_batch(channel_id, ids, now)


def list_announcements(store: Store, channel_id: str, talk_ids: list[str],
                       now: datetime) -> None:
    list_together(store, channel_id, talk_ids, ANNOUNCE, now)


def list_changes(store: Store, planned: Iterable[Delivery], now: datetime) -> None:
    """Change notices planned together for one channel for the occurrences of one
    recurring event (a series moved to another hour) go out as one list, when the first
    of them falls due; changes to a few separate talks are still told one by one."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    events: dict[str, str | None] = {}  # talk id -> its recurring event: read once
    for d in planned:
        if d.item_kind == "talk" and isinstance(d.purpose, Updated):
            if d.item_id not in events:
                found = store.get_talk(d.item_id)
                events[d.item_id] = _recurring_event(found[0].key) if found else None
            if event := events[d.item_id]:
                groups[(d.channel_id, d.purpose, event)].append(d.item_id)
    for (channel_id, purpose, *_), talk_ids in groups.items():
        list_together(store, channel_id, talk_ids, purpose, now)


def _recurring_event(key: str) -> str | None:
    """The UID of an occurrence of a recurring event, keyed `UID@<original start>`
    (jobs.sources.ical), else None."""
    uid, at, original = key.rpartition("@")
    try:
        return uid if at and uid and parse_instant(original) else None
    except ValueError:
        return None
