"""Fixtures of the rounds of attacks on slash commands: hooks as `lectern run` gives them
and a registry over the test store (a test module may define its own instead)."""

from __future__ import annotations

import pytest

from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.settings import Settings
from tests.reliability.commandworld import ReadingHooks


@pytest.fixture
def hooks():
    return ReadingHooks()


@pytest.fixture
def registry(store, clock, hooks):
    return build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                     hooks=hooks))
