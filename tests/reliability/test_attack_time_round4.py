"""Round-4 attacks on lectern's time: digests at a local time the clocks skip or pass twice,
talks cancelled, moved while cancelled and restored, and channels that change their zone or
digest time while a digest waits. The clock is moved by the test; nothing sleeps.

The digest rule (jobs.planner.next_digest_at): once each local day, at the digest's wall
time; a wall time the clocks skip is moved on by the gap, one they pass twice is taken the
first time (as for reminders, bot.reminders.reminder_due).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.models import TALK_CANCELLED, Channel
from bot.outbox import Cancelled, parse_purpose
from jobs.planner import next_digest_at
from tests.jobs.loopworld import T0, Bot, paper, talk

M, H, D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
CH = "console:ml"

# (zone, day the clocks change in 2026, a digest time on that night that the clocks skip or
# pass twice). Lord Howe moves by 30 minutes.
NIGHTS = [
    ("Europe/London", date(2026, 3, 29), "01:30"),  # skipped: 01:00 GMT -> 02:00 BST
    ("Europe/London", date(2026, 10, 25), "01:30"),  # twice: BST, then GMT
    ("America/New_York", date(2026, 3, 8), "02:30"),
    ("America/New_York", date(2026, 11, 1), "01:30"),
    ("Australia/Sydney", date(2026, 10, 4), "02:30"),
    ("Australia/Sydney", date(2026, 4, 5), "02:30"),
    ("Australia/Lord_Howe", date(2026, 10, 4), "02:15"),  # 02:00 -> 02:30
    ("Australia/Lord_Howe", date(2026, 4, 5), "01:45"),  # 01:30-02:00 twice
]


def wanted_digest(day: date, at: str, zone: str) -> datetime:
    """The rule, from wall clocks: the wall time that day, moved on by the gap when the
    clocks skip it, the first of two when they pass it twice."""
    tz = ZoneInfo(zone)
    wall = datetime.combine(day, time.fromisoformat(at), tzinfo=tz)
    there = wall.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall.replace(tzinfo=None)
    if there:
        return wall.replace(fold=0).astimezone(UTC)
    gap = wall.replace(fold=1).utcoffset() - wall.replace(fold=0).utcoffset()
    return (wall.replace(tzinfo=None) + gap).replace(tzinfo=tz).astimezone(UTC)


@pytest.mark.parametrize(("zone", "change", "at"), NIGHTS,
                         ids=[f"{z.split('/')[1]}-{d:%m-%d}" for z, d, _ in NIGHTS])
async def test_a_digest_goes_once_a_day_when_its_time_is_skipped_or_doubled(store, zone,
                                                                             change, at):
    """A paper arrives every 20 minutes for three days around the change; the bot sweeps
    every 5 minutes. Every local day has one digest, at the rule's moment, and every paper
    is in exactly one."""
    bot = Bot(store)
    tz = ZoneInfo(zone)
    start = datetime.combine(change - D, time(12), tzinfo=tz).astimezone(UTC)
    bot.now = start
    bot.subscribe(CH, "diffusion", kinds="papers")
    store.update_channel(CH, timezone=zone, digest_time=at)
    n, sent_at = 0, []
    while bot.now < start + 2 * D:
        if bot.now.minute % 20 == 0:
            n += 1
            bot.papers(paper(n, published=bot.now))
        before = len(bot.adapter.sent)
        await bot.dispatch(bot.now + 5 * M)
        sent_at += [bot.now] * (len(bot.adapter.sent) - before)
    days = Counter(moment.astimezone(tz).date() for moment in sent_at)
    assert days == {change: 1, change + D: 1}, sent_at
    assert wanted_digest(change, at, zone) in sent_at
    rows = [d for d in store.delivery_history() if d.item_kind == "paper"]
    assert len(rows) == n and {d.status for d in rows} <= {"sent", "pending"}
    for row in rows:  # each in the first digest after it arrived, none lost
        arrived = store.get_paper(row.item_id)[0].published
        first = min((m for m in sent_at if m >= arrived), default=None)
        if row.status == "sent":
            assert sent_of(store, row.id) == first, (row.item_id, arrived)
        else:
            assert first is None


def sent_of(store, row_id: int) -> datetime:
    return datetime.fromisoformat(store.db.execute(
        "SELECT sent_at FROM deliveries WHERE id = ?", [row_id]).fetchone()[0])


@pytest.mark.parametrize(("zone", "change", "at"), NIGHTS,
                         ids=[f"{z.split('/')[1]}-{d:%m-%d}" for z, d, _ in NIGHTS])
def test_the_next_digest_is_never_behind_now_nor_past_a_days_moment(zone, change, at):
    """Asked at every minute of the night, the next digest is that day's moment while it is
    ahead, then the next day's: never skipped, never twice."""
    channel = Channel(CH, timezone=zone, digest_time=at)
    today, tomorrow = wanted_digest(change, at, zone), wanted_digest(change + D, at, zone)
    moment = datetime.combine(change, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    while moment < today + 2 * H:
        assert next_digest_at(channel, moment, "UTC") == (today if moment < today
                                                          else tomorrow), moment
        moment += M


# A talk's life in a seminar feed: told, cancelled, moved while cancelled, restored. The
# channel hears each turn once, and is reminded only of a talk that is on.
START = datetime(2026, 11, 26, 15, tzinfo=UTC)  # three days after T0 (loopworld)


def told(bot: Bot, start: datetime = START) -> None:
    bot.subscribe(CH, "diffusion", kinds="talks")
    bot.talks("dept", talk("a", start))


def kinds_of(texts: list[str]) -> list[str]:
    return [t.split(":")[0].split(" (")[0] for t in texts]


async def test_a_cancelled_talk_that_moves_gets_no_reminder(store):
    bot = Bot(store)
    told(bot)
    await bot.dispatch(bot.now)
    bot.talks("dept", talk("a", START, status=TALK_CANCELLED))
    await bot.dispatch(bot.now + M)
    # The page keeps the cancelled row and edits its date (the slot given to another day).
    bot.now += 2 * M
    bot.talks("dept", talk("a", START + D, status=TALK_CANCELLED))
    texts = await bot.run_until(START + 2 * D, step=15 * M)
    assert kinds_of(bot.adapter.texts()) == ["New talk", "Cancelled"], texts
    assert not [d for d in store.delivery_history() if d.status == "pending"]


async def test_a_talk_cancelled_then_restored_is_said_and_reminded_of(store):
    bot = Bot(store)
    told(bot)
    await bot.dispatch(bot.now)
    bot.talks("dept", talk("a", START, status=TALK_CANCELLED))
    await bot.dispatch(bot.now + M)
    bot.now += H  # the organisers change their mind
    bot.talks("dept", talk("a", START))
    await bot.run_until(START + H, step=15 * M)
    assert kinds_of(bot.adapter.texts()) == ["New talk", "Cancelled", "Updated",
                                              "Reminder", "Reminder"]
    reminders = [d for d in store.delivery_history(status="sent")
                 if d.purpose.KIND == "reminder"]
    assert sorted(START - d.due_at for d in reminders) == [15 * M, D]


async def test_a_talk_cancelled_before_it_was_announced_then_restored_is_announced(store):
    bot = Bot(store)
    told(bot)
    bot.talks("dept", talk("a", START, status=TALK_CANCELLED))  # before any sweep
    await bot.dispatch(bot.now)
    bot.now += H
    bot.talks("dept", talk("a", START))
    await bot.run_until(START + H, step=15 * M)
    assert kinds_of(bot.adapter.texts()) == ["New talk", "Reminder", "Reminder"]


async def test_a_talk_cancelled_twice_is_said_twice(store):
    bot = Bot(store)
    told(bot)
    await bot.dispatch(bot.now)
    for hours, status in ((1, TALK_CANCELLED), (2, "scheduled"), (3, TALK_CANCELLED)):
        bot.now = T0 + hours * H
        bot.talks("dept", talk("a", START, status=status))
        await bot.dispatch(bot.now)
    await bot.run_until(START + H, step=H)
    assert kinds_of(bot.adapter.texts()) == ["New talk", "Cancelled", "Updated", "Cancelled"]
    cancels = [d.purpose for d in store.delivery_history() if d.purpose.KIND == "cancelled"]
    assert [parse_purpose(p.text) for p in cancels] == cancels  # stored and read back
    assert parse_purpose("cancelled") == Cancelled()  # as earlier versions wrote it


@pytest.mark.parametrize("change", ["time", "zone", "off"])
async def test_a_digest_moved_while_papers_wait_goes_once_at_the_new_time(store, change):
    """Papers wait for the 09:00 (London) digest; at 08:00 a manager moves the digest to
    18:00, or the channel to New York (09:00 there is 14:00 UTC), or turns digests off.
    The waiting papers and the later ones go out once, at the new time (at once: off)."""
    bot = Bot(store)
    bot.now = datetime(2026, 11, 24, 6, tzinfo=UTC)
    bot.subscribe(CH, "diffusion", kinds="papers")
    store.update_channel(CH, timezone="Europe/London", digest_time="09:00")
    bot.papers(paper(1), paper(2))
    await bot.dispatch(bot.now + H)
    setting = {"time": {"digest_time": "18:00"}, "zone": {"timezone": "America/New_York"},
               "off": {"digest_time": None}}[change]
    store.update_channel(CH, **setting)
    sent_at = []
    for minutes in range(10, 24 * 60, 10):
        at = datetime(2026, 11, 24, 7, tzinfo=UTC) + minutes * M
        if minutes == 180:
            bot.papers(paper(3))
        before = len(bot.adapter.sent)
        await bot.dispatch(at)
        sent_at += [at] * (len(bot.adapter.sent) - before)
    wanted = {"time": [datetime(2026, 11, 24, 18, tzinfo=UTC)],
              "zone": [datetime(2026, 11, 24, 14, tzinfo=UTC)],
              "off": [datetime(2026, 11, 24, 7, 10, tzinfo=UTC),
                      datetime(2026, 11, 24, 10, tzinfo=UTC)]}[change]
    assert sent_at == wanted, bot.adapter.texts()
    papers = [d for d in store.delivery_history() if d.item_kind == "paper"]
    assert {d.status for d in papers} == {"sent"}


async def test_a_clock_set_back_past_the_digest_sends_no_second_digest_that_day(store):
    """The 09:00 digest went out; at 09:30 NTP sets the clock back to 08:00, and a paper
    arrives at 08:10 by the corrected clock: it waits for the next day's digest."""
    bot = Bot(store)
    bot.now = datetime(2026, 11, 24, 7, tzinfo=UTC)
    bot.subscribe(CH, "diffusion", kinds="papers")
    store.update_channel(CH, timezone="UTC", digest_time="09:00")
    bot.papers(paper(1))
    await bot.run_until(datetime(2026, 11, 24, 9, 30, tzinfo=UTC), step=10 * M)
    assert len(bot.adapter.sent) == 1
    bot.now = datetime(2026, 11, 24, 8, tzinfo=UTC)  # set back
    await bot.run_until(datetime(2026, 11, 24, 8, 10, tzinfo=UTC), step=10 * M)
    bot.papers(paper(2))
    sent_at = []
    while bot.now < datetime(2026, 11, 25, 9, 30, tzinfo=UTC):
        before = len(bot.adapter.sent)
        await bot.dispatch(bot.now + 10 * M)
        sent_at += [bot.now] * (len(bot.adapter.sent) - before)
    assert sent_at == [datetime(2026, 11, 25, 9, tzinfo=UTC)], bot.adapter.texts()
    assert bot.adapter.texts()[-1].startswith("Digest for 2026-11-25: 1 new paper")
