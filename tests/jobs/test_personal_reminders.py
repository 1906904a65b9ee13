"""/remind: a member's own reminders of talks, sent to them directly, through the whole
loop (real store, registry, planner and dispatcher; a recording adapter; a moved clock).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.text import to_text
from bot.app.build import build
from bot.chat import ChannelRef, DeliveryError, Invocation, Reply, UserRef
from bot.clock import FixedClock
from bot.models import TALK_CANCELLED, Talk, UpsertResult
from bot.models import talk_id as id_of_talk
from bot.settings import Settings
from jobs.dispatch import dispatch_due
from jobs.planner import plan_new_items
from tests.fakes import FakeAdapter

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
START = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # Wednesday 15:00 UTC
M, H, D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
ME = "console:@U1"  # Ana's personal target


class World:
    def __init__(self, store) -> None:
        self.store, self.clock, self.adapter = store, FixedClock(T0), FakeAdapter()
        settings = Settings(timezone="UTC")
        self.registry = build(settings, self.clock, store=store).registry

    async def say(self, line: str, user: str = "U1", channel: str = "lab") -> Reply:
        command, _, args = line[1:].partition(" ")
        return await self.registry.dispatch(Invocation(
            command, args, ChannelRef("console", channel), UserRef(user, "Ana"), False))

    def talk(self, start: datetime = START, **fields) -> str:
        talk = Talk(key="k1", title="Diffusion for Proteins", source="dept", start=start,
                    end=start + H, timezone="UTC", speakers=["Grace Hopper"], **fields)
        changes = self.store.upsert_talks("dept", [talk], self.clock.now(), covers=None)
        plan_new_items(self.store, UpsertResult(), changes, self.clock.now(), "UTC")
        return id_of_talk("dept", "k1")

    async def run_until(self, moment: datetime) -> list[tuple[str, str]]:
        """Dispatch each minute up to `moment`; what was sent, to whom."""
        before = len(self.adapter.sent)
        while self.clock.now() < moment:
            self.clock.advance(M)
            await dispatch_due(self.store, {"console": self.adapter}, self.clock.now(), "UTC")
        return [(target, to_text(message)) for target, message in self.adapter.sent[before:]]


@pytest.fixture
def world(store) -> World:
    return World(store)


def pending(store, target: str = ME) -> list[str]:
    return [d.purpose.text.split("@")[0] for d in store.delivery_history(channel_id=target,
                                                                    status="pending")]


async def test_remind_me_sends_one_direct_reminder_at_the_time_asked(world):
    talk_id = world.talk()
    reply = await world.say(f"/remind {talk_id}")
    assert reply.ephemeral and not reply.refused
    assert "I will remind you directly 15m before 'Diffusion for Proteins'" in \
        to_text(reply.message)
    assert pending(world.store) == ["reminder:15"]
    assert await world.run_until(START - 16 * M) == []
    [(target, text)] = await world.run_until(START - 15 * M)
    assert target == ME and text.startswith("Reminder (starts in 15m): Diffusion for Proteins")
    assert await world.run_until(START + H) == []  # once


async def test_asking_again_replaces_the_times(world):
    talk_id = world.talk()
    await world.say(f"/remind {talk_id} 1d,1h")
    assert sorted(pending(world.store)) == ["reminder:1440", "reminder:60"]
    await world.say(f"/remind {talk_id} 1h")  # the same time again is kept, not lost
    assert pending(world.store) == ["reminder:60"]
    await world.say(f"/remind cancel {talk_id}")
    await world.say(f"/remind {talk_id} 1h")  # taken back, then asked for again
    assert pending(world.store) == ["reminder:60"]
    await world.say(f"/remind {talk_id} 30m")
    assert pending(world.store) == ["reminder:30"]
    assert world.store.reminders_asked_by(ME) == {talk_id: (30,)}
    sent = await world.run_until(START)
    assert [text.split(":")[0] for _, text in sent] == ["Reminder (starts in 30m)"]


async def test_a_moved_talk_is_reminded_of_at_the_new_time_and_said(world):
    talk_id = world.talk()
    await world.say(f"/remind {talk_id} 1h")
    world.talk(start=START + D)  # moved to Thursday
    sent = await world.run_until(START)
    assert [target for target, _ in sent] == [ME]
    assert sent[0][1].startswith("Rescheduled: Diffusion for Proteins")
    [(_, reminder)] = await world.run_until(START + D)
    assert reminder.startswith("Reminder (starts in 1h)")


async def test_a_cancelled_talk_is_said_and_not_reminded_of(world):
    talk_id = world.talk()
    await world.say(f"/remind {talk_id}")
    world.talk(status=TALK_CANCELLED)
    sent = await world.run_until(START + H)
    assert [(target, text.split(":")[0]) for target, text in sent] == [(ME, "Cancelled")]


async def test_a_reminder_taken_back_sends_nothing_more(world):
    talk_id = world.talk()
    await world.say(f"/remind {talk_id}")
    listed = to_text((await world.say("/remind list")).message)
    assert f"{talk_id}: Diffusion for Proteins" in listed and "15m before" in listed
    reply = await world.say(f"/remind cancel {talk_id}")
    assert to_text(reply.message) == f"Done: no reminder of {talk_id} for you."
    world.talk(start=START + D)  # a move is no longer news to her
    assert await world.run_until(START + D + H) == []
    assert "You have no reminders" in to_text((await world.say("/remind list")).message)
    again = await world.say(f"/remind cancel {talk_id}")
    assert again.refused and "/remind list shows yours" in to_text(again.message)


async def test_reminders_are_each_members_own(world):
    talk_id = world.talk()
    await world.say(f"/remind {talk_id}", user="U1")
    await world.say(f"/remind {talk_id} 1h", user="U2")
    sent = await world.run_until(START)
    assert sorted(target for target, _ in sent) == ["console:@U1", "console:@U2"]
    assert world.store.reminders_asked_by("console:@U2") == {talk_id: (60,)}


@pytest.mark.parametrize(("line", "says"), [
    ("/remind", "say which talk"),
    ("/remind talk-000000000000", "there is no talk 'talk-000000000000'"),
    ("/remind {id} soon", "'soon' is not a time before the talk; write days, hours and "
                          "minutes like 1d, 2h, 1h30m, 15m, e.g. /remind talk-"),
    ("/remind {id} off", "say how long before"),
    ("/remind {id} 3d", "starts in 2d6h, sooner than you asked"),
    ("/remind cancel", "say which talk"),
])
async def test_wrong_requests_say_what_to_type(world, line, says):
    talk_id = world.talk()
    reply = await world.say(line.format(id=talk_id))
    assert reply.refused and reply.ephemeral and says in to_text(reply.message)
    assert world.store.delivery_history(channel_id=ME) == []


async def test_talks_cancelled_or_started_are_refused(world):
    talk_id = world.talk()
    world.clock.set(START + M)
    reply = await world.say(f"/remind {talk_id}")
    assert reply.refused and "has already started" in to_text(reply.message)
    world.clock.set(T0)
    world.talk(status=TALK_CANCELLED)
    reply = await world.say(f"/remind {talk_id}")
    assert reply.refused and "is cancelled" in to_text(reply.message)


async def test_a_member_lectern_cannot_message_is_paused_until_they_ask_again(world):
    talk_id = world.talk()
    await world.say(f"/remind {talk_id} 1d")
    world.adapter.fail_with = DeliveryError("the member does not accept direct messages",
                                            permanent=True)
    await world.run_until(START - D)
    assert world.store.get_channel(ME).paused_reason
    world.adapter.fail_with = None
    await world.say(f"/remind {talk_id} 15m")
    assert world.store.get_channel(ME).paused_reason is None
    [(target, _)] = await world.run_until(START)
    assert target == ME


async def test_days_before_are_counted_in_the_zone_of_the_channel_asked_from(world):
    """London leaves summer time early on 25 October 2026, Los Angeles a week later: "1d"
    before a talk at noon that day is 25 hours in London and 24 in Los Angeles."""
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    for channel, zone in (("la", "America/Los_Angeles"), ("london", "Europe/London")):
        world.store.ensure_channel(f"console:{channel}", world.clock.now())
        world.store.update_channel(f"console:{channel}", timezone=zone)
    talk_id = world.talk(start=datetime(2026, 10, 25, 12, 0, tzinfo=UTC))
    await world.say(f"/remind {talk_id} 1d", channel="la")
    [due] = [d.due_at for d in world.store.delivery_history(channel_id=ME, status="pending")]
    assert due == datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    await world.say(f"/remind {talk_id} 1d", channel="london")  # asked again, from London
    [due] = [d.due_at for d in world.store.delivery_history(channel_id=ME, status="pending")]
    assert due == datetime(2026, 10, 24, 11, 0, tzinfo=UTC)
    assert world.store.get_channel(ME).timezone == "Europe/London"
