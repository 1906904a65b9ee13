"""/settings: show, change and reset a channel's zone, reminders and digest; the parsers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.text import to_text
from bot.chat import ChannelRef, Invocation, Reply, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.commands.registry import UsageError
from bot.commands.values import format_offsets, parse_digest, parse_offsets, parse_zone
from bot.models import Talk, UpsertResult
from bot.render import when_line
from bot.settings import Settings
from jobs.hooks import JobHooks
from tests.conftest import NOW


@pytest.fixture
def registry(store, clock):
    return build_registry(BotContext(store=store, clock=clock,
                                     settings=Settings(timezone="Asia/Shanghai")))


async def say(registry, line: str, *, manager: bool = True) -> Reply:
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef("slack", "C0123"),
                                              UserRef("U1", "Ana"), manager))


async def text(registry, line: str, **kw) -> str:
    return to_text((await say(registry, line, **kw)).message)


async def test_defaults_are_shown_and_marked(registry, store):
    shown = await text(registry, "/settings", manager=False)
    assert "time zone: Asia/Shanghai (default)" in shown
    assert "reminders: 1d, 15m before each talk (default)" in shown
    assert "digest: off: each match is posted as it arrives" in shown
    assert store.get_channel("slack:C0123") is None  # looking changes nothing


async def test_settings_round_trip(registry, store):
    changed = await say(registry, "/settings timezone europe/london")
    assert not changed.ephemeral
    assert "Time zone for this channel set by Ana: Europe/London" in to_text(changed.message)
    await say(registry, "/settings reminders 2h, 1d 15m 1d")
    await say(registry, "/settings digest 8:30")
    channel = store.get_channel("slack:C0123")
    assert (channel.timezone, channel.reminder_offsets, channel.digest_time) == (
        "Europe/London", (1440, 120, 15), "08:30")
    shown = await text(registry, "/settings")
    assert "time zone: Europe/London\n" in shown
    assert "reminders: 1d, 2h, 15m before each talk\n" in shown
    assert "digest: 08:30 Europe/London" in shown

    await say(registry, "/settings reminders off")
    await say(registry, "/settings digest off")
    await say(registry, "/settings timezone default")
    channel = store.get_channel("slack:C0123")
    assert (channel.timezone, channel.reminder_offsets, channel.digest_time) == (
        None, (), None)
    shown = await text(registry, "/settings")
    assert "reminders: off: no reminders" in shown and "Asia/Shanghai (default)" in shown
    await say(registry, "/settings reminders default")
    assert store.get_channel("slack:C0123").reminder_offsets is None


async def test_the_channel_zone_is_used_for_talk_times(registry, store, clock):
    store.upsert_talks("dept", [Talk(key="k", title="Compilers", source="dept",
                                     start=clock.now() + timedelta(hours=2))], clock.now())
    assert "19:00 Asia/Shanghai" in await text(registry, "/seminars next")
    await say(registry, "/settings timezone America/New_York")
    assert "06:00 America/New_York" in await text(registry, "/seminars next")


@pytest.mark.parametrize("line", ["/settings timezone UTC", "/settings reminders off",
                                  "/settings digest 09:00"])
async def test_only_managers_change_settings(registry, store, line):
    reply = await say(registry, line, manager=False)
    assert to_text(reply.message).startswith("only channel managers can use /settings ")
    assert store.get_channel("slack:C0123") is None


@pytest.mark.parametrize(("line", "says"), [
    ("/settings timezone", "say which zone, e.g. /settings timezone Europe/London"),
    ("/settings timezone Mars/Olympus", "'Mars/Olympus' is not a time zone lectern knows;"),
    ("/settings timezone Europe/Londn", "did you mean Europe/London? type e.g. /settings "
                                        "timezone Europe/London"),
    ("/settings reminders", "say when to remind, e.g. /settings reminders 1d,15m"),
    ("/settings reminders 90s", "'90s' is not a time before the talk; write days, hours"),
    ("/settings reminders 15", "'15' is not a time before the talk"),
    ("/settings reminders 15d", "15d is out of range: each reminder must be between 1m and 14d"),
    ("/settings reminders 0m", "0m is out of range"),
    ("/settings reminders 1m 2m 3m 4m 5m 6m", "6 reminders is too many; give at most 5"),
    ("/settings digest", "say when, e.g. /settings digest 09:00"),
    ("/settings digest 25:00", "'25:00' is not a time of day; type e.g. /settings digest 09:00"),
    ("/settings digest 9am", "'9am' is not a time of day"),
    ("/settings colour blue", "there is no setting 'colour'; type /settings timezone"),
])
async def test_wrong_input_is_one_line_that_says_what_to_type(registry, store, line, says):
    reply = await say(registry, line)
    shown = to_text(reply.message)
    assert says in shown and len(shown.splitlines()) == 1 and reply.ephemeral
    channel = store.get_channel("slack:C0123")
    assert channel is None or (channel.timezone, channel.reminder_offsets,
                               channel.digest_time) == (None, None, None)


@pytest.mark.parametrize(("typed", "minutes"), [
    ("1d,15m", (1440, 15)), ("15m 1d", (1440, 15)), ("1h30m", (90,)), ("1d1h", (1500,)),
    ("14d", (20160,)), ("1m", (1,)), ("60m, 1h", (60,)), ("OFF", ()), ("default", None),
])
def test_parse_offsets(typed, minutes):
    assert parse_offsets(typed) == minutes


def test_offsets_are_shown_as_typed():
    assert format_offsets((1500, 90, 15)) == "1d1h, 1h30m, 15m"
    assert format_offsets(()) == "off"


@pytest.mark.parametrize(("typed", "stored"), [("09:00", "09:00"), ("9:05", "09:05"),
                                               ("23:59", "23:59"), ("off", None)])
def test_parse_digest(typed, stored):
    assert parse_digest(typed) == stored


@pytest.mark.parametrize("typed", ["24:00", "12:60", "0900", "noon", "1:2"])
def test_parse_digest_refuses(typed):
    with pytest.raises(UsageError):
        parse_digest(typed)


def test_parse_zone_takes_any_case():
    assert parse_zone("asia/shanghai") == "Asia/Shanghai"
    assert parse_zone("utc") == "UTC"


async def test_resume_unpauses_a_channel_and_only_managers_may(registry, store):
    assert "not paused; nothing to resume" in await text(registry, "/settings resume")
    store.ensure_channel("slack:C0123", NOW)
    store.update_channel("slack:C0123", paused_reason="not_in_channel", now=NOW)
    shown = await text(registry, "/settings", manager=False)
    assert "paused: not_in_channel; once the bot can post here again" in shown
    refused = await text(registry, "/settings resume", manager=False)
    assert "only channel managers" in refused
    assert store.get_channel("slack:C0123").paused_reason == "not_in_channel"
    done = await say(registry, "/settings resume")
    assert not done.ephemeral and "resumed by Ana (it was paused: not_in_channel)" in \
        to_text(done.message)
    assert store.get_channel("slack:C0123").paused_reason is None


@pytest.mark.parametrize(("typed", "zone", "note"), [
    ("Asia/Beijing", "Asia/Shanghai", "Asia/Beijing read as Asia/Shanghai"),
    ("london", "Europe/London", "london read as Europe/London"),
    ("new york", "America/New_York", None),
    ("UTC+8", "Etc/GMT-8", "UTC+8 is a fixed offset with no daylight saving (zones at that "
                           "offset now: Asia/Shanghai"),
    ("GMT-3", "Etc/GMT+3", "no daylight saving"),
    ("EST", "America/New_York", "EST read as America/New_York"),
    ("europe/LONDON", "Europe/London", None),
])
async def test_zones_as_people_type_them(registry, store, typed, zone, note):
    shown = await text(registry, f"/settings timezone {typed}")
    assert store.get_channel("slack:C0123").timezone == zone
    if note:
        assert note in shown


@pytest.mark.parametrize(("typed", "says"), [
    ("CST", "CST can mean Asia/Shanghai, America/Chicago, America/Havana"),
    ("IST", "IST can mean Asia/Kolkata, Europe/Dublin, Asia/Jerusalem"),
    ("+05:30", "+05:30 has no fixed zone; type the place (zones at that offset now: "
               "Asia/Kolkata"),
    ("londn", "did you mean Europe/London?"),
])
async def test_zones_that_cannot_be_read_say_what_to_type(registry, store, typed, says):
    shown = await text(registry, f"/settings timezone {typed}")
    assert says in shown and "\n" not in shown
    assert store.get_channel("slack:C0123") is None or \
        store.get_channel("slack:C0123").timezone is None


def test_a_fixed_offset_is_shown_the_way_people_write_it(clock):
    talk = Talk(key="k", title="T", source="s", start=NOW + timedelta(days=1))
    assert when_line(talk, "Etc/GMT-8").endswith(" UTC+8")


async def test_changing_the_zone_replans_day_reminders_at_the_new_wall_time(store, clock):
    """A talk at 10:00 Berlin on 29 March 2026 (the day clocks go forward): the day-before
    reminder is 10:00 Berlin on the 28th (09:00 UTC), not 08:00 UTC as in the old zone."""
    clock.set(datetime(2026, 3, 1, tzinfo=UTC))
    settings = Settings(timezone="UTC")
    hooks = JobHooks(store, clock, settings)
    registry = build_registry(BotContext(store=store, clock=clock, settings=settings,
                                         hooks=hooks))
    store.add_subscription("slack:C0123", "seminar", "talks", "U1", clock.now())
    start = datetime(2026, 3, 29, 8, tzinfo=UTC)
    changes = store.upsert_talks("dept", [Talk(key="k", title="Seminar", source="dept",
                                                start=start, end=start + timedelta(hours=1))],
                                 clock.now())
    hooks.items_stored(UpsertResult(), changes)

    def day_before() -> datetime:
        [row] = [d for d in store.deliveries_for("talk", changes.new[0])
                 if d.purpose.KIND == "reminder" and d.status == "pending"
                 and d.purpose.minutes == 1440]
        return row.due_at

    assert day_before() == datetime(2026, 3, 28, 8, tzinfo=UTC)
    await say(registry, "/settings timezone Europe/Berlin")
    assert day_before() == datetime(2026, 3, 28, 9, tzinfo=UTC)
