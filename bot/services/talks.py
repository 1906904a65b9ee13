"""Talks a member gave in chat (/seminars add): stored under the chat's source, then planned
like any poll's (announcements, reminders) by whoever runs the bot."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.models import Talk, TalkChanges, UpsertResult, talk_id
from storage.store import Store


class Planner(Protocol):
    def items_stored(self, papers: UpsertResult, talks: TalkChanges) -> None: ...


def add_talks(store: Store, planner: Planner, source: str, talks: list[Talk],
              now: datetime) -> tuple[TalkChanges, list[str]]:
    """Store `talks` from `source` and have them planned: what changed, and each talk's id
    (in the order given)."""
    changes = store.upsert_talks(source, talks, now, covers=None)
    planner.items_stored(UpsertResult(), changes)
    return changes, [talk_id(source, talk.key) for talk in talks]
