"""Fixtures for the Slack adapter: a fake Slack served on localhost, a real registry over a
real store, adapters built against the fake, and a sleep that records instead of waiting."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from urllib.parse import urlencode

import aiohttp
import pytest

from adapters.slack import SlackAdapter
from bot.clock import FixedClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.settings import Settings
from tests.fake_slack import FakeSlack
from tests.httpserver import serve

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


class Sleeper:
    """Records every wait and moves the clock on by it: time passes, nobody sleeps."""

    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))


@pytest.fixture
async def fake(clock):
    slack = FakeSlack(clock=lambda: clock.now().timestamp())  # ts on the tests' clock
    async with serve(slack.app()) as server:
        slack.base_url = server.base_url
        yield slack
    assert slack.problems == [], "a message broke Block Kit's limits"


@pytest.fixture
def sleeper(clock) -> Sleeper:
    return Sleeper(clock)


@pytest.fixture
def registry(store, clock):
    return build_registry(BotContext(store=store, clock=clock, settings=Settings()))


@pytest.fixture
async def make_adapter(fake, registry, clock, sleeper):
    made: list[SlackAdapter] = []

    def make(**options) -> SlackAdapter:
        settings = dict(bot_token="xoxb-test", app_token=None, signing_secret=SECRET,
                        api_url=fake.api_url, http_port=0, clock=clock, sleep=sleeper)
        settings.update(options)
        adapter = SlackAdapter(registry, **settings)
        made.append(adapter)
        return adapter

    yield make
    for adapter in made:
        await adapter.stop()


@pytest.fixture
async def http_adapter(make_adapter):
    adapter = make_adapter()
    await adapter.start()
    return adapter


def sign(body: str, at: datetime, secret: str = SECRET) -> dict[str, str]:
    """The headers Slack sends: v0 HMAC-SHA256 over `v0:{timestamp}:{body}`."""
    timestamp = str(int(at.timestamp()))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(),
                      hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}",
            "Content-Type": "application/x-www-form-urlencoded"}


def command_body(fake: FakeSlack, line: str, *, user: str = "U1", channel: str = "C1",
                 reply_to: str = "r1") -> str:
    command, _, text = line.partition(" ")
    return urlencode({"token": "legacy", "team_id": "T1", "team_domain": "lab",
                      "channel_id": channel, "channel_name": "ml", "user_id": user,
                      "user_name": user.lower(), "command": command, "text": text,
                      "api_app_id": "A1", "response_url": fake.response_url(reply_to),
                      "trigger_id": "1.2.3"})


async def post(adapter: SlackAdapter, body: str, headers: dict[str, str]) -> tuple[int, str]:
    url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
    async with aiohttp.ClientSession() as session, session.post(
            url, data=body.encode(), headers=headers) as response:
        return response.status, await response.text()
