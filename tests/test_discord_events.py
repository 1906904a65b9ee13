"""Talks in Discord's own event list (issue 17, point 5): a talk announced, moved and
cancelled shows the same in the chat, in the channel's live feed and in the server's
events; a restart after a crash between creating an event and storing its id makes no
duplicate; a missing Manage Events permission is told once, with no retry storm; long
texts are trimmed, not refused; with events off none is made; creations are rate
limited per server. All against the fake Discord through discord.py, on a real SQLite
file, on an injected clock."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

import pytest

from bot.app.build import publishers
from bot.chat import ChannelRef
from bot.models import TALK_CANCELLED, UpsertResult
from jobs.discord_events import REFUSED_REST, EventSync
from jobs.dispatch_loop import DispatchLoop
from jobs.planner import plan_new_items
from tests.eventworld import HERE, PUBLIC, START, ZONE, running, talk
from tests.fake_discord_events import CANCELED, GUILD, SCHEDULED

pytestmark = pytest.mark.usefixtures("discord_addresses")


@pytest.fixture
async def world(tmp_path):
    async with running(tmp_path / "lectern.db") as made:
        yield made


def shown_at(post: dict) -> int:
    """The instant a Discord post shows the talk at: its <t:unix> timestamp."""
    text = json.dumps(post)
    return int(text.split("<t:", 1)[1].split(":", 1)[0].split(">", 1)[0])


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_announced_moved_and_cancelled_shows_the_same_in_chat_feed_and_events(world):
    reply = await world.command("discord-events on")
    assert not reply.refused and "Manage Events" in reply.message.text
    await world.publish(talk())
    [announced] = world.posts()
    [event] = world.fake.events.listed(GUILD)
    first = await world.feed()
    assert shown_at(announced) == int(START.timestamp())
    assert at(event["scheduled_start_time"]) == START == first["DTSTART"].dt
    assert event["name"] == "Sheaves and stacks" == str(first["SUMMARY"])
    assert event["entity_metadata"]["location"] == "Room 1, Babbage Building"
    assert event["entity_type"] == 3 and event["privacy_level"] == 2

    world.clock.advance(timedelta(hours=3))  # the talk moves a day later
    moved = START + timedelta(days=1)
    await world.publish(talk(start=moved, end=moved + timedelta(hours=1)))
    rescheduled = world.posts()[-1]
    [event] = world.fake.events.listed(GUILD)
    second = await world.feed()
    assert "Rescheduled" in json.dumps(rescheduled)
    assert shown_at(rescheduled) == int(moved.timestamp())
    assert at(event["scheduled_start_time"]) == moved == second["DTSTART"].dt
    assert at(event["scheduled_end_time"]) == moved + timedelta(hours=1)
    assert second["SEQUENCE"] > first["SEQUENCE"]

    world.clock.advance(timedelta(hours=3))  # and then it is cancelled
    await world.publish(talk(start=moved, end=moved + timedelta(hours=1),
                             status=TALK_CANCELLED))
    cancelled = world.posts()[-1]
    third = await world.feed()
    assert "Cancelled" in json.dumps(cancelled)
    assert world.fake.events.listed(GUILD) == []
    assert [e["status"] for e in world.events()] == [CANCELED]
    assert third["STATUS"] == "CANCELLED" and third["SEQUENCE"] > second["SEQUENCE"]
    assert world.creations() == 1 and not world.fake.rejected
    assert len(world.posts()) == 3


class Crash(BaseException):
    """The process dies (not an error lectern handles)."""


async def test_a_restart_after_a_crash_between_creating_and_storing_makes_no_duplicate(world):
    await world.command("discord-events on")
    made = world.adapter.events.create

    async def create_then_die(server, spec):
        await made(server, spec)
        raise Crash  # Discord made the event; its id was never stored

    world.adapter.events.create = create_then_die
    with pytest.raises(Crash):
        await world.publish(talk())
    assert len(world.events()) == 1
    await world.stop()
    await world.start()  # a new process: the same file, a new client
    for _ in range(2):
        report = await world.sync()
    assert len(world.events()) == 1 and world.creations() == 1
    assert report.created == [] and world.fake.calls_to("GET", f"/guilds/{GUILD}/scheduled")
    world.clock.advance(timedelta(hours=1))  # and it is the event kept up to date
    await world.publish(talk(title="Sheaves, stacks and gerbes"))
    assert [e["name"] for e in world.events()] == ["Sheaves, stacks and gerbes"]


async def test_a_crash_before_creating_leaves_no_event_and_no_endless_lookups(world):
    await world.command("discord-events on")

    async def die(server, spec):
        raise Crash  # the row was stored, Discord was never asked

    world.adapter.events.create = die
    with pytest.raises(Crash):
        await world.publish(talk())
    await world.stop()
    await world.start()
    world.clock.advance(timedelta(hours=1))
    await world.publish(talk(status=TALK_CANCELLED))  # and meanwhile the talk is off
    await world.sync()
    listings = world.fake.calls_to("GET", f"/guilds/{GUILD}/scheduled-events")
    assert len(listings) == 1 and world.events() == [] and world.creations() == 0
    world.clock.advance(timedelta(hours=1))
    await world.publish(talk())  # reinstated: now it is made
    assert world.creations() == 1 and len(world.fake.events.listed(GUILD)) == 1


async def test_missing_manage_events_is_told_once_and_not_retried_in_a_storm(world):
    world.fake.events.deny(GUILD)
    await world.command("discord-events on")
    await world.publish(talk())
    for minute in range(10):  # the dispatcher's passes go on
        world.clock.advance(timedelta(minutes=1))
        await world.publish(talk(key=f"other-{minute}", title=f"Talk {minute}"))
    told = [p for p in world.posts() if "Manage Events" in json.dumps(p)]
    assert len(told) == 1 and "/settings discord-events on" in json.dumps(told[0])
    assert world.creations() == 1 and world.events() == []
    world.clock.advance(REFUSED_REST)  # asked again, once, and still not told again
    await world.sync()
    assert world.creations() == 2
    assert len([p for p in world.posts() if "Manage Events" in json.dumps(p)]) == 1
    world.fake.events.denied.clear()  # the permission given, a manager turns it on again
    world.clock.advance(timedelta(minutes=1))
    await world.command("discord-events on")
    report = await world.sync()
    assert len(report.created) == 1 and world.fake.events.listed(GUILD)
    assert world.store.events.refusal(GUILD) is None  # a later refusal is told anew


async def test_long_texts_are_trimmed_to_discords_limits_not_refused(world):
    await world.command("discord-events on")
    await world.publish(talk(title="Sheaves " * 40, abstract="Stacks are sheaves. " * 400,
                             location="Room 1, " * 30, end=None,
                             meeting_url="https://zoom.example.org/j/" + "9" * 200))
    [event] = world.events()
    assert not world.fake.rejected
    assert len(event["name"]) == 100 and event["name"].endswith("…")
    assert len(event["description"]) <= 1000
    assert event["description"].endswith("lectern id: " + talk_id(world))
    assert "The end time was not given: shown as one hour." in event["description"]
    assert "Join: https://zoom.example.org/j/999" in event["description"]
    assert len(event["entity_metadata"]["location"]) == 100
    assert at(event["scheduled_end_time"]) == START + timedelta(hours=1)


async def test_where_an_event_is_held(world):
    """The place; else the meeting link, if it fits; else where to find it."""
    await world.command("discord-events on")
    short, long = "https://meet.example/j/1", "https://meet.example/" + "x" * 99
    await world.publish(talk(location=None, meeting_url=short),
                        talk(key="2", title="Two", location=None, meeting_url=long),
                        talk(key="3", title="Three", location=None))
    for _ in range(2):  # one event a pass: discord.py holds back for the server's bucket
        await world.stop()
        await world.start()
        await world.sync()
    assert {e["name"]: e["entity_metadata"]["location"] for e in world.events()} == {
        "Sheaves and stacks": short, "Two": "Online: the link is in the description",
        "Three": "Place to be announced"}


def talk_id(world) -> str:
    [(found,)] = world.store.db.execute("SELECT id FROM talks").fetchall()
    return found


async def test_events_off_makes_none_and_keeps_those_made_current(world):
    await world.publish(talk())  # never turned on
    assert world.posts() and world.creations() == 0
    await world.command("discord-events on")
    await world.sync()  # the upcoming talk already announced becomes an event
    assert len(world.events()) == 1
    reply = await world.command("discord-events off")
    assert "adds no new events" in reply.message.text
    world.clock.advance(timedelta(hours=1))
    await world.publish(talk(key="second", title="Counting curves"),
                        talk(status=TALK_CANCELLED))
    assert world.creations() == 1
    assert [e["status"] for e in world.events()] == [CANCELED]
    world.clock.advance(timedelta(hours=1))
    await world.stop()
    await world.start()  # a client whose bucket for creating events is fresh
    await world.publish(talk())  # reinstated while off: no new event
    assert world.creations() == 1 and len(world.posts()) == 4


async def test_an_event_a_manager_deleted_is_not_made_again(world):
    await world.command("discord-events on")
    await world.publish(talk())
    world.fake.events.events[GUILD].clear()  # deleted in Discord by a person
    world.clock.advance(timedelta(hours=1))
    moved = START + timedelta(hours=2)
    await world.publish(talk(start=moved, end=moved + timedelta(hours=1)))
    await world.sync()
    assert world.events() == [] and world.creations() == 1
    [(state,)] = world.store.db.execute("SELECT state FROM scheduled_events").fetchall()
    assert state == "gone"


async def test_only_managers_and_only_on_discord(world):
    refused = await world.command("discord-events on", manager=False)
    assert refused.refused
    elsewhere = await world.command("discord-events on", where=ChannelRef("slack", "C1"))
    assert elsewhere.refused and "Discord" in elsewhere.message.text
    assert world.store.events.decisions("discord") == []
    assert world.store.events.decisions("slack") == []
    await world.command("discord-events on")
    assert [d.channel_id for d in world.store.events.decisions("discord")] == [HERE]


async def test_creations_wait_for_the_servers_bucket(world):
    """Discord's bucket for creating events is small and slow. discord.py holds back a
    request whose bucket resets beyond its patience (30 s) and Discord answers 429 to a
    new client that did not see it: either way the server's work waits for the next
    pass, soonest talks first, with no request refused for its content."""
    await world.command("discord-events on")
    many = [talk(key=f"t{n}", title=f"Talk {n}", start=START + timedelta(days=n),
                 end=START + timedelta(days=n, hours=1)) for n in range(7)]
    report = await world.publish(*many)
    assert len(report.created) == 1 and report.retry_after > 30
    for _ in range(4):  # restarts: new clients, which have not seen the bucket
        await world.stop()
        await world.start()
        assert len((await world.sync()).created) == 1
    await world.stop()
    await world.start()
    report = await world.sync()
    assert report.created == [] and report.retry_after > 30
    # Two 429s: the fifth client's second try (discord.py lets one through when its
    # bucket empties beyond its patience) and this client's first; one request a pass.
    assert world.fake.events.refused == [GUILD, GUILD] and world.creations() == 7
    world.clock.advance(timedelta(seconds=61))
    await world.stop()
    await world.start()
    report = await world.sync()
    assert len(report.created) == 1 and len(world.fake.events.listed(GUILD)) == 6
    starts = sorted(e["scheduled_start_time"] for e in world.events())
    assert starts == [m.start.isoformat() for m in many[:6]] and not world.fake.rejected
    assert all(e["status"] == SCHEDULED for e in world.events())


async def test_the_running_dispatcher_makes_the_event_after_announcing(world):
    """The path `lectern run` takes: bot.app.build's publishers, the dispatch loop's
    sweep, then its reconciliation; and a talk's announcement carries its .ics link."""
    loop = DispatchLoop(world.store, {"discord": world.adapter}, world.clock, ZONE,
                        public_url=PUBLIC,
                        events=EventSync(world.store, lambda: publishers(
                            {"discord": world.adapter}), {"discord": world.adapter}))
    await world.command("discord-events on")
    changes = world.store.upsert_talks("dept", [talk()], world.clock.now())
    plan_new_items(world.store, UpsertResult(), changes, world.clock.now(), ZONE)
    running = asyncio.create_task(loop.run_forever())
    try:
        await world.fake.wait_for(lambda: world.fake.events.listed(GUILD))
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    [post] = world.posts()
    assert f"{PUBLIC}/cal/talk/" in json.dumps(post) and world.creations() == 1

