"""Talks a member gave in chat (/seminars add): stored under the chat's source with the
channel and member that gave them, then planned like any poll's (announcements, reminders)
by whoever runs the bot, in that channel only until a manager shares them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.models import Talk, TalkChanges, UpsertResult, talk_id
from bot.sourcekinds import CHAT_SOURCE_PREFIX
from storage import talk_origin
from storage.store import Store


def chat_source(platform: str, channel_id: str) -> str:
    """The source a channel's pasted talks are stored under."""
    return f"{CHAT_SOURCE_PREFIX}{platform}-{channel_id}"


class Planner(Protocol):
    def items_stored(self, papers: UpsertResult, talks: TalkChanges) -> None: ...


def add_talks(store: Store, planner: Planner, source: str, talks: list[Talk],
              now: datetime, *, channel: str, user: str) -> tuple[TalkChanges, list[str]]:
    """Store `talks` a member gave in `channel` and have them planned (announced there
    only, until a manager shares them): what changed, and each talk's id (in order)."""
    changes = store.upsert_talks(source, talks, now, covers=None)
    ids = [talk_id(source, talk.key) for talk in talks]
    store.mark_talks_added(ids, channel, user)
    planner.items_stored(UpsertResult(), changes)
    return changes, ids


def share_talk(store: Store, planner: Planner, talk: str, user: str, now: datetime) -> bool:
    """Let a chat-added talk be announced in every channel it matches; False if unknown."""
    if not store.share_talk(talk, user, now):
        return False
    planner.items_stored(UpsertResult(), TalkChanges(new=[talk]))
    return True


def added_by_others(store: Store, talk_ids: list[str], user: str) -> list[str]:
    """Which of `talk_ids` another member added in chat (a paste of theirs may change
    them, or a manager's; a talk stored before lectern kept who added it has no adder)."""
    found = talk_origin.added_by_others(store.db, talk_ids, user)
    return [tid for tid in talk_ids if tid in found]
