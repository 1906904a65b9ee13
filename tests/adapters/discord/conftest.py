"""Fixtures for the Discord adapter: the fake Discord, a real registry over a seeded
SQLite store, a logged-in adapter with a pacer on a fake clock, and `interact`, which
dispatches a payload the way the gateway does and returns how it was answered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from adapters.discord import DiscordAdapter, Pacer
from bot.app.build import build
from bot.clock import FixedClock
from bot.models import Paper, Source, Talk
from bot.services.suggestions import suggester
from bot.settings import Settings
from tests.conftest import NOW
from tests.fake_discord import FakeDiscord, fake_discord

HOUR = timedelta(hours=1)
SETTINGS = Settings(timezone="Europe/London")


@pytest.fixture(autouse=True)
def _restore_discord_addresses(discord_addresses):
    """Every test here may point discord.py at the fake (see tests/conftest.py)."""


@pytest.fixture
async def fake():
    async with fake_discord() as server:
        yield server


@dataclass
class FakeTime:
    """A monotonic clock and a sleep that moves it: pacing without waiting."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def seeded(store):
    store.upsert_papers([
        Paper(id="arxiv:2611.00001", title="Pruning Sparse Transformers", source="arxiv",
              url="https://arxiv.org/abs/2611.00001", authors=["Mei Chen"],
              abstract="We prune.", pdf_url="https://arxiv.org/pdf/2611.00001v1",
              published=NOW - HOUR),
    ], NOW)
    store.upsert_talks("dept", [
        Talk(key="next", title="Compilers for Everyone", source="dept", start=NOW + 2 * HOUR,
             end=NOW + 3 * HOUR, speakers=["Grace Hopper"], series="Colloquium",
             timezone="Europe/London", location="Room 1"),
    ], NOW)
    store.save_source(Source("arxiv", "arxiv-rss", "https://rss.arxiv.org/rss/cs.LG"), NOW)
    return store


@pytest.fixture
def registry(seeded):
    clock = FixedClock(NOW)
    made = build(SETTINGS, clock, store=seeded).registry
    made.seen = []  # every Invocation the adapter dispatched
    dispatch = made.dispatch

    async def spy(invocation):
        made.seen.append(invocation)
        return await dispatch(invocation)

    made.dispatch = spy
    return made


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def suggest_from(store):
    """What bot.app wires in: values the store knows, per channel."""
    return suggester(store, FixedClock(NOW))


@pytest.fixture
async def adapter(fake: FakeDiscord, registry, seeded, time):
    made = DiscordAdapter(registry, token="fake-token", api_url=fake.api_url,
                          clock=FixedClock(NOW), suggest=suggest_from(seeded),
                          pacer=Pacer(1.0, monotonic=time.monotonic, sleep=time.sleep))
    await made.login()
    yield made
    await made.stop()


@dataclass
class Answer:
    kind: int  # the callback type: 4 message, 5 deferred, 8 choices, 9 modal
    data: dict  # what the member finally sees (the message, the choices or the modal)
    ephemeral: bool
    deferred: bool = False


def _answer(fake: FakeDiscord, payload: dict) -> Answer | None:
    token = payload["token"]
    callbacks = [c for c in fake.calls if c.path.startswith(f"/interactions/{payload['id']}/")]
    if not callbacks:
        return None
    body = callbacks[0].body
    data = body.get("data") or {}
    if body["type"] != 5:
        return Answer(body["type"], data, bool(data.get("flags", 0) & 64))
    hooks = [c for c in fake.calls if c.path.startswith("/webhooks/") and token in c.path]
    edit = next((c for c in hooks if c.method == "PATCH"), None)
    if edit is not None:
        return Answer(4, edit.body, True, deferred=True)
    public = next((c for c in hooks if c.method == "POST"), None)
    removed = any(c.method == "DELETE" for c in hooks)
    if public is not None and removed:
        return Answer(4, public.body, bool(public.body.get("flags", 0) & 64), deferred=True)
    return None


async def interact(adapter: DiscordAdapter, fake: FakeDiscord, payload: dict) -> Answer:
    """Hand the payload to discord.py as the gateway would and wait for its answer."""
    adapter.client._connection.parse_interaction_create(payload)
    await fake.wait_for(lambda: _answer(fake, payload) is not None)
    return _answer(fake, payload)
