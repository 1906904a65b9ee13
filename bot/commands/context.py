"""What command handlers may use: the store, the clock and the settings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.settings import Settings
from storage.store import Store


@dataclass(frozen=True, slots=True)
class BotContext:
    store: Store
    clock: Clock
    settings: Settings
