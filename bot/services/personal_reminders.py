"""A member's own reminders of a talk (/remind): asking plans them in the outbox (replacing
what was asked before), taking one back skips what is pending. Planning rules are
bot.reminders'; the rows are the outbox's."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.models import Channel, Talk
from bot.outbox import REMINDERS_CHANGED, TAKEN_BACK, Delivery, Reminder
from bot.reminders import personal_target, reminders
from storage.store import Store

__all__ = ["ask", "personal_target", "plan", "take_back"]


class Dispatcher(Protocol):
    def deliveries_planned(self) -> None: ...


def plan(target: str, talk_id: str, talk: Talk, zone: str, offsets: tuple[int, ...],
         now: datetime) -> list[Delivery]:
    """The reminders `offsets` ask for that are still ahead, in `zone` (nothing stored)."""
    return reminders(Channel(target, timezone=zone), talk_id, talk, now, zone, offsets)


def ask(store: Store, dispatcher: Dispatcher, target: str, talk_id: str,
        planned: list[Delivery], offsets: tuple[int, ...], zone: str, now: datetime) -> None:
    """Keep the member's request and its planned reminders, in one transaction."""
    store.ensure_channel(target, now)
    with store.transaction():
        # Asking again replaces what was asked; asking at all un-pauses a member whose
        # direct messages once failed (they may have opened them since).
        store.update_channel(target, timezone=zone, paused_reason=None)
        store.skip_pending(target, "talk", talk_id, Reminder, REMINDERS_CHANGED, now)
        store.ask_reminder(target, talk_id, offsets, now)
        store.plan_deliveries(planned, now)
    dispatcher.deliveries_planned()


def take_back(store: Store, target: str, talk_id: str, now: datetime) -> bool:
    """Drop the member's reminder of a talk and skip what is pending; False if none."""
    with store.transaction():
        asked = store.drop_reminder(target, talk_id)
        if asked:
            store.skip_pending(target, "talk", talk_id, None, TAKEN_BACK, now)
    return asked
