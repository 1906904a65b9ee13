"""Shared fixtures: a real SQLite store in a temporary directory and a fixed clock."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from bot.clock import FixedClock
from storage.store import Store

# Property tests draw the same examples on every run, so CI never meets a new case by luck
# (a failing example found while exploring is pinned with @example). To explore, run
# `HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/bot`.
hypothesis_settings.register_profile("default", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(tmp_path / "lectern.db")
    yield opened
    opened.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def shared_file(*parts: str) -> Path:
    """A file from ../shared (beside the checkout, as in CI); skip where it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared holds the real-world seeds and corpus, "
                    "present in CI but not in every clone")
    return path


@pytest.fixture
def discord_addresses():
    """Put back discord.py's process-wide API and gateway addresses after a test that
    pointed them at the fake Discord."""
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway
