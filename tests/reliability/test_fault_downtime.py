"""72 hours down (a moved clock): the restart's polls bring three days of papers, and the
reminders that fell due meanwhile follow the late/skip policy. Counted on the fake Slack
and Discord: each channel gets at most one catch-up message for its missed papers, a
missed reminder of a talk still ahead comes once, marked late (several missed ones
collapse into one), one whose talk has started is skipped and recorded, and nothing is
sent twice as the bot carries on."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.models import Talk, UpsertResult
from jobs.ingest import store_document
from jobs.planner import plan_new_items
from jobs.sources.fetch import FetchResult
from tests.conftest import NOW
from tests.reliability.platforms import platforms

M, H = timedelta(minutes=1), timedelta(hours=1)
SLACK, DISCORD = "slack:C1", "discord:1300000000000000100"
CHANNELS = (SLACK, DISCORD)
DOWN, UP = NOW + H, NOW + 72 * H + H  # 72 hours without lectern


def feed(name: str, titles: list[str]) -> FetchResult:
    items = "".join(f"<item><title>{title}</title><guid>urn:{name}:{n}</guid>"
                    f"<link>https://example.org/{name}/{n}</link></item>"
                    for n, title in enumerate(titles))
    body = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>{name}</title>"
            f"<link>https://example.org/</link><description>d</description>{items}"
            "</channel></rss>").encode()
    return FetchResult(url=f"https://example.org/{name}.xml", status=200, body=body,
                       etag=None, last_modified=None, content_type=None, not_modified=False)


def poll(store, name: str, titles: list[str], now) -> None:
    store_document(store, "rss", feed(name, titles), source=name, timezone="UTC", now=now)


def talk(key: str, start) -> Talk:
    return Talk(key=key, title=f"Diffusion seminar {key}", source="dept", start=start,
                end=start + H, timezone="UTC")


async def test_72_hours_down_then_one_catch_up_and_the_late_policy(store, clock):
    for channel in CHANNELS:
        store.add_subscription(channel, "diffusion", "all", "U1", NOW)
    store.update_channel(DISCORD, timezone="Europe/Berlin", now=NOW)
    talks = [talk("started", NOW + 30 * H),  # both reminders and the talk in the downtime
             talk("soon", UP + 10 * M),  # both reminders missed, the talk still ahead
             talk("later", UP + 8 * H)]  # the day-before reminder missed, 15 min to come
    changes = store.upsert_talks("dept", talks, NOW)
    plan_new_items(store, UpsertResult(), changes, NOW, "UTC")
    poll(store, "arxiv", ["Diffusion today", "Graphs today"], NOW)

    async with platforms(store, clock) as fakes:
        await fakes.dispatch(NOW)  # running: 3 talks and a paper announced
        assert fakes.counts() == {channel: 4 for channel in CHANNELS}

        # Down from DOWN to UP. At the restart the dispatcher sweeps first (what fell
        # due), then the start's polls bring three days of both feeds, then it sweeps.
        store.release_stale_claims()
        restart = await fakes.dispatch(UP)
        poll(store, "arxiv", ["Diffusion today", "Graphs today"]
             + [f"Diffusion day {d} paper {n}" for d in (1, 2, 3) for n in range(3)]
             + [f"Graphs day {d}" for d in (1, 2, 3)], UP)
        poll(store, "journal", [f"Diffusion in print {n}" for n in range(4)], UP)
        caught_up = await fakes.dispatch(UP)

        reasons = Counter((r["item_id"], r["reason"]) for r in restart.skipped)
        late = [(e["channel"], e["late"]) for e in restart.sent if e["purpose"] == "reminder"]
        # "started": skipped, both reminders, recorded; "soon": one late reminder (the
        # 15-minute one; the day-before one collapsed into it); "later": one late.
        assert sorted(late) == sorted([(c, True) for c in CHANNELS] * 2)
        assert sum(reasons.values()) == 3 * len(CHANNELS)
        assert {reason for _, reason in reasons} == {"the talk had started",
                                                     "collapsed into a later reminder"}
        # 13 missed matches: one catch-up message per channel.
        assert {e["channel"] for e in caught_up.sent} == set(CHANNELS)
        assert len(caught_up.sent) == 13 * len(CHANNELS)
        for channel in CHANNELS:
            [catch_up] = fakes.texts(channel)[-1:]
            assert "13 new papers" in catch_up
        assert fakes.counts() == {channel: 4 + 2 + 1 for channel in CHANNELS}

        await carry_on_for_a_day(store, fakes)


async def carry_on_for_a_day(store, fakes) -> None:
    """Polling again for a day after the restart: only "later"'s 15-minute reminder is left,
    and no channel ever got a message twice."""
    for step in range(1, 4 * 24 + 1):
        now = UP + step * 15 * M
        if step % 4 == 0:
            poll(store, "arxiv", ["Diffusion today", "Graphs today"], now)
        await fakes.dispatch(now)
    assert fakes.counts() == {channel: 4 + 2 + 1 + 1 for channel in CHANNELS}
    quarter = [d.late for d in store.delivery_history(channel_id=SLACK, status="sent")
               if d.purpose.text.startswith("reminder:15@")]
    assert sorted(quarter) == [False, True]  # "soon"'s came late, "later"'s on time
    for channel in CHANNELS:
        texts = fakes.texts(channel)
        assert len(texts) == len(set(texts)), channel  # nothing twice
    statuses = Counter(d.status for d in store.delivery_history())
    assert set(statuses) == {"sent", "skipped"}
    assert statuses["skipped"] == 3 * len(CHANNELS)
