"""The fake Discord's scheduled events refuse what Discord refuses (tests/
fake_discord_events.py), so a lectern test that passes against it means something: the
limits of name, description and location, an external event's end and place, end after
start, a start in the past, the status rules, the missing permission, and the
per-guild bucket for creating events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from tests.fake_discord_events import GUILD

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
START = NOW + timedelta(days=1)


def event(**changes) -> dict:
    made = {"name": "Sheaves and stacks", "privacy_level": 2, "entity_type": 3,
            "entity_metadata": {"location": "Room 1"}, "description": "A talk.",
            "scheduled_start_time": START.isoformat(),
            "scheduled_end_time": (START + timedelta(hours=1)).isoformat()}
    return {**made, **changes}


@pytest.fixture
async def api(fake):
    fake.clock = NOW.timestamp
    headers = {"Authorization": "Bot fake-token"}
    async with aiohttp.ClientSession(fake.api_url + "/", headers=headers) as session:
        yield session


async def call(api, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    async with api.request(method, path.lstrip("/"), json=body) as response:
        text = await response.text()
        return response.status, (await response.json() if text else {})


PATH = f"guilds/{GUILD}/scheduled-events"


@pytest.mark.parametrize("wrong", [
    {"name": "x" * 101}, {"name": ""}, {"description": "x" * 1001},
    {"entity_metadata": {}}, {"entity_metadata": {"location": "x" * 101}},
    {"scheduled_end_time": None},
    {"scheduled_end_time": (START - timedelta(minutes=1)).isoformat()},
    {"scheduled_start_time": (NOW - timedelta(minutes=1)).isoformat()},
    {"privacy_level": 1}, {"channel_id": "1"},
])
async def test_what_discord_refuses_the_fake_refuses(api, fake, wrong):
    status, answer = await call(api, "POST", PATH, event(**wrong))
    assert status == 400 and answer["code"] == 50035
    assert fake.events.events[GUILD] == {}


async def test_status_goes_scheduled_to_cancelled_and_no_further(api, fake):
    status, made = await call(api, "POST", PATH, event())
    assert status == 200 and made["status"] == 1 and made["creator_id"]
    one = f"{PATH}/{made['id']}"
    assert (await call(api, "PATCH", one, {"status": 3}))[0] == 400  # not yet active
    moved = (START + timedelta(days=1)).isoformat()
    assert (await call(api, "PATCH", one, {"scheduled_start_time": moved}))[0] == 400
    status, edited = await call(api, "PATCH", one, {
        "scheduled_start_time": moved,
        "scheduled_end_time": (START + timedelta(days=1, hours=1)).isoformat()})
    assert status == 200 and edited["scheduled_start_time"] == moved
    assert (await call(api, "PATCH", one, {"status": 4}))[0] == 200
    assert (await call(api, "PATCH", one, {"status": 1}))[0] == 400
    assert (await call(api, "GET", PATH))[1] == []  # gone from the list
    assert (await call(api, "GET", one))[1]["status"] == 4
    assert (await call(api, "PATCH", f"{PATH}/1", {"status": 4}))[1]["code"] == 10070


async def test_without_manage_events_a_403_and_a_small_bucket_of_creations(api, fake):
    fake.events.deny()
    status, answer = await call(api, "POST", PATH, event())
    assert status == 403 and answer["code"] == 50013
    fake.events.denied.clear()
    for _ in range(5):
        assert (await call(api, "POST", PATH, event()))[0] == 200
    async with api.post(PATH, json=event()) as refused:
        assert refused.status == 429 and float(refused.headers["Retry-After"]) >= 59
        assert refused.headers["X-RateLimit-Remaining"] == "0"
    fake.clock = (NOW + timedelta(seconds=61)).timestamp
    assert (await call(api, "POST", PATH, event()))[0] == 200
    assert (await call(api, "GET", f"channels/{'1' * 19}"))[1]["guild_id"] == GUILD
