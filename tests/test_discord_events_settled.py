"""Discord's event list against what a person did there: an event a member of the server
cancelled in Discord before the talk was cancelled is settled, not asked about again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.discord.events import UNSEEN_AGAIN
from bot.models import TALK_CANCELLED
from tests.eventworld import CHANNEL, running, talk
from tests.fake_discord_events import CANCELED, GUILD

pytestmark = pytest.mark.usefixtures("discord_addresses")


@pytest.fixture
async def world(tmp_path):
    async with running(tmp_path / "lectern.db") as made:
        yield made


async def test_a_cancel_discord_refuses_is_settled_not_retried_every_pass(world):
    """A person cancelled the event in Discord first; when the talk is cancelled too,
    Discord refuses the change (the event is over): lectern records it as cancelled and
    asks no more."""
    await world.command("discord-events on")
    await world.publish(talk())
    [event] = world.events()
    event["status"] = CANCELED  # cancelled in Discord by a person
    world.clock.advance(timedelta(minutes=5))
    await world.publish(talk(status=TALK_CANCELLED))
    edits = len(world.fake.calls_to("PATCH", f"/guilds/{GUILD}/scheduled-events"))
    for _ in range(3):
        world.clock.advance(timedelta(minutes=5))
        await world.sync()
    assert len(world.fake.calls_to("PATCH", f"/guilds/{GUILD}/scheduled-events")) == edits
    [(state,)] = world.store.db.execute("SELECT state FROM scheduled_events").fetchall()
    assert state == "cancelled"


async def test_a_channel_lectern_could_not_see_is_asked_of_again_later(world):
    """Access taken away (403 on the channel) makes no event; given back, the next talk
    gets its event within the hour, without a restart."""
    world.fake.events.hidden.add(CHANNEL)
    await world.command("discord-events on")
    await world.publish(talk())
    assert world.events() == []
    world.fake.events.hidden.clear()
    world.clock.advance(timedelta(minutes=10))
    await world.sync()
    assert world.events() == []  # not asked again at every pass
    world.clock.advance(UNSEEN_AGAIN)
    await world.sync()
    assert [e["name"] for e in world.events()] == ["Sheaves and stacks"]
