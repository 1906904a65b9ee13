"""One paper under two ids: its arXiv preprint (`arxiv:...`, carrying the DOI arXiv was
given) and its journal version (`doi:...`, from a journal's feed), in either order. The
store keeps both; a channel told of one is not told of the other."""

from __future__ import annotations

from collections import defaultdict

from bot.outbox import Delivery
from storage.deliveries import told_dois
from storage.store import Store


def drop_told(store: Store, planned: list[Delivery], dois: dict[str, str]) -> list[Delivery]:
    """`planned` paper rows without those whose paper's DOI (`dois`: paper id -> DOI) the
    channel already knows from another paper."""
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for row in planned:
        if row.item_id in dois:
            by_channel[row.channel_id].append(row)
    dropped: set[int] = set()
    for channel_id, rows in by_channel.items():
        ids = [row.item_id for row in rows]
        known = told_dois(store.db, channel_id, [dois[i] for i in ids], ids)
        dropped |= {id(row) for row in rows if dois[row.item_id] in known}
    return [row for row in planned if id(row) not in dropped]
