"""Time that does not run smoothly: the clock jumping an hour forward or back between
dispatch rounds, and reminders across the 2026 DST changes of four zones, counted on the
fake Slack and Discord. The clock is a FixedClock the test moves; nothing sleeps.

The rule for "N days before" (bot.reminders.reminder_due): the same wall time N days
earlier in the channel's zone, so across a DST change it comes 23 or 25 hours before; a
wall time the clocks skip is moved on by the gap, one they pass twice is taken the first
time. Offsets that are not whole days (15 minutes, 2 hours) are elapsed time.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.models import Talk, UpsertResult
from jobs.planner import plan_new_items
from tests.reliability.platforms import platforms

M, H, D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
SLACK, DISCORD = "slack:C1", "discord:1300000000000000100"
CHANNELS = (SLACK, DISCORD)
# The 2026 changes: (zone, day of the change). Shanghai keeps one offset all year.
CHANGES = [
    ("Europe/Berlin", date(2026, 3, 29)), ("Europe/Berlin", date(2026, 10, 25)),
    ("America/Los_Angeles", date(2026, 3, 8)), ("America/Los_Angeles", date(2026, 11, 1)),
    ("Australia/Adelaide", date(2026, 4, 5)), ("Australia/Adelaide", date(2026, 10, 4)),
    ("Asia/Shanghai", date(2026, 3, 29)), ("Asia/Shanghai", date(2026, 10, 25)),
]


def subscribe(store, now: datetime, zone: str, offsets=None) -> None:
    for channel in CHANNELS:
        store.add_subscription(channel, "seminar", "talks", "U1", now)
        store.update_channel(channel, timezone=zone, now=now)
        if offsets:
            store.update_channel(channel, reminder_offsets=offsets, now=now)


def add_talks(store, talks: list[Talk], now: datetime, zone: str) -> None:
    changes = store.upsert_talks("dept", talks, now)
    plan_new_items(store, UpsertResult(), changes, now, zone)


def local_talk(key: str, day: date, at: time, zone: str, fold: int = 0) -> Talk:
    start = datetime.combine(day, at, tzinfo=ZoneInfo(zone)).replace(fold=fold)
    return Talk(key=key, title=f"Seminar {key}", source="dept", start=start.astimezone(UTC),
                end=start.astimezone(UTC) + H, timezone=zone)


def exists(moment: datetime) -> bool:
    """Whether a zone-aware wall time is one the clocks show (not skipped)."""
    return moment.astimezone(UTC).astimezone(moment.tzinfo).replace(tzinfo=None) == \
        moment.replace(tzinfo=None)


def check_day_before(start: datetime, sent: datetime, zone: str) -> None:
    """The rule, checked on wall clocks rather than recomputed."""
    tz = ZoneInfo(zone)
    talk, reminder = start.astimezone(tz), sent.astimezone(tz)
    wanted = datetime.combine(talk.date() - D, talk.time(), tzinfo=tz)
    if exists(wanted):
        assert reminder.replace(tzinfo=None) == wanted.replace(tzinfo=None), (talk, reminder)
        assert sent == wanted.replace(fold=0).astimezone(UTC), "the first of two"
    else:  # skipped by the clocks: moved on by the gap
        gap = wanted.replace(fold=1).utcoffset() - wanted.replace(fold=0).utcoffset()
        assert reminder.replace(tzinfo=None) == wanted.replace(tzinfo=None) + gap


@pytest.mark.parametrize(("zone", "change"), CHANGES,
                         ids=[f"{z.split('/')[1]}-{d:%m-%d}" for z, d in CHANGES])
async def test_reminders_across_dst_fire_once_at_the_wall_time(store, clock, zone, change):
    now = datetime.combine(change - 4 * D, time(0), tzinfo=UTC)
    clock.set(now)
    subscribe(store, now, zone)
    talks = []
    for day in (change - D, change, change + D):
        for at in (time(2, 30), time(10)):
            talks.append(local_talk(f"d{day:%m%d}t{at:%H%M}f0", day, at, zone))
            wall = datetime.combine(day, at, tzinfo=ZoneInfo(zone))
            if exists(wall) and wall.replace(fold=1).utcoffset() != wall.utcoffset():
                # 02:30 happens twice that night: a talk at the second one too.
                talks.append(local_talk(f"d{day:%m%d}t{at:%H%M}f1", day, at, zone, fold=1))
    add_talks(store, talks, now, zone)
    planned = [d for d in store.delivery_history() if d.purpose.text.startswith("reminder")]
    assert len(planned) == 2 * len(talks) * len(CHANNELS)

    async with platforms(store, clock, zone) as fakes:
        await fakes.dispatch(now)  # the announcements
        # The bot sleeps until the next reminder falls due; it also looks a minute before.
        dues = sorted({d.due_at for d in planned})
        for moment in sorted({*dues, *(due - M for due in dues)}):
            await fakes.dispatch(moment)
        await fakes.dispatch(datetime.combine(change + 3 * D, time(0), tzinfo=UTC))

        sent = [d for d in store.delivery_history() if d.purpose.text.startswith("reminder")]
        assert {d.status for d in sent} == {"sent"} and not any(d.late for d in sent)
        for row in sent:
            at = datetime.fromisoformat(store.db.execute(
                "SELECT sent_at FROM deliveries WHERE id = ?", [row.id]).fetchone()[0])
            assert at == row.due_at  # sent when it fell due, not a round later
            start = store.get_talk(row.item_id)[0].start
            if row.purpose.text.startswith("reminder:1440@"):
                check_day_before(start, at, zone)
            else:
                assert start - at == 15 * M
        # Exactly once each, on both platforms: the announcement and two reminders.
        assert fakes.counts() == {channel: 3 * len(talks) for channel in CHANNELS}
        for channel in CHANNELS:
            for talk in talks:
                mentions = [t for t in fakes.texts(channel) if talk.key in t]
                assert len(mentions) == 3, (channel, talk.key, mentions)
    if zone != "Asia/Shanghai":  # the matrix did cross a change there
        tz = ZoneInfo(zone)
        before, after = (datetime.combine(change + d, time(12), tzinfo=tz) for d in (-D, D))
        assert before.utcoffset() != after.utcoffset()


@pytest.mark.parametrize(("start", "sent"), [
    # Berlin springs forward on 29 March: 10:00 CEST, reminded at 10:00 CET (23 h before).
    ("2026-03-29T08:00:00Z", "2026-03-28T09:00:00Z"),
    # 02:30 on 30 March; 02:30 on the 29th does not exist, so 03:30 CEST.
    ("2026-03-30T00:30:00Z", "2026-03-29T01:30:00Z"),
])
async def test_berlin_examples(store, clock, start, sent):
    now = datetime(2026, 3, 25, tzinfo=UTC)
    subscribe(store, now, "Europe/Berlin")
    begins = datetime.fromisoformat(start)
    add_talks(store, [Talk(key="k", title="Seminar k", source="dept", start=begins,
                           end=begins + H, timezone="Europe/Berlin")], now, "UTC")
    [day_before] = [d for d in store.delivery_history(channel_id=SLACK)
                    if d.purpose.text.startswith("reminder:1440")]
    assert day_before.due_at == datetime.fromisoformat(sent)


@pytest.mark.parametrize(("zone", "start", "sent"), [
    # Los Angeles falls back on 1 November: 10:00 PST, reminded at 10:00 PDT (25 h).
    ("America/Los_Angeles", "2026-11-01T18:00:00Z", "2026-10-31T17:00:00Z"),
    # Adelaide falls back on 5 April: 02:30 that day happens twice; the first (ACDT).
    ("Australia/Adelaide", "2026-04-05T17:00:00Z", "2026-04-04T16:00:00Z"),
])
async def test_other_zone_examples(store, clock, zone, start, sent):
    now = datetime(2026, 3, 1, tzinfo=UTC)
    subscribe(store, now, zone)
    begins = datetime.fromisoformat(start)
    add_talks(store, [Talk(key="k", title="Seminar k", source="dept", start=begins,
                           end=begins + H, timezone=zone)], now, "UTC")
    [day_before] = [d for d in store.delivery_history(channel_id=SLACK)
                    if d.purpose.text.startswith("reminder:1440")]
    assert day_before.due_at == datetime.fromisoformat(sent)


T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def rounds(fakes, until: datetime, step: timedelta = 5 * M) -> None:
    """Dispatch rounds as the running bot does them, up to `until`."""
    while fakes.clock.now() < until:
        await fakes.dispatch(min(fakes.clock.now() + step, until))


@pytest.mark.parametrize("jump", [H, -H], ids=["forward", "back"])
async def test_clock_jumps_between_rounds_send_each_message_once(store, clock, jump):
    clock.set(T0)  # 09:00
    subscribe(store, T0, "UTC", offsets=(60, 15))
    talks = [local_talk("a", date(2026, 11, 23), time(11), "UTC"),  # reminders 10:00, 10:45
             local_talk("b", date(2026, 11, 23), time(12, 30), "UTC")]  # 11:30, 12:15
    add_talks(store, talks, T0, "UTC")
    async with platforms(store, clock) as fakes:
        await rounds(fakes, T0 + 110 * M)  # to 10:50: a's reminders are out
        clock.set(clock.now() + jump)  # 11:50 (b's first reminder missed) or 09:50
        if jump < timedelta(0):  # a talk planned while the clock is behind: 11:00, 11:45
            add_talks(store, [local_talk("c", date(2026, 11, 23), time(12), "UTC")],
                      clock.now(), "UTC")
        await rounds(fakes, T0 + 4 * H)

        texts = {channel: fakes.texts(channel) for channel in CHANNELS}
        for channel in CHANNELS:
            per_talk = Counter(t.split("Seminar ")[1][0] for t in texts[channel])
            reminders = Counter(t.split("Seminar ")[1][0] for t in texts[channel]
                                if "Reminder (" in t)
            if jump > timedelta(0):
                # b's 60-minute reminder, missed in the jump, is sent late (the talk has not
                # started); the others come on time.
                assert per_talk == {"a": 3, "b": 3} and reminders == {"a": 2, "b": 2}
            else:  # back: what was sent is not sent again when its time comes round
                assert per_talk == {"a": 3, "b": 3, "c": 3}, texts[channel]
        rows = store.delivery_history()
        assert {d.status for d in rows} == {"sent"}
        late = {(store.get_talk(d.item_id)[0].key, d.purpose.text.split("@")[0])
                for d in rows if d.late}
        assert late == ({("b", "reminder:60")} if jump > timedelta(0) else set())
        assert fakes.counts() == {c: 6 if jump > timedelta(0) else 9 for c in CHANNELS}
