"""Source health: a source that keeps failing or goes stale shows unhealthy in /sources and
`lectern sources list`, and its managers are told once (not every poll, not again after a
restart), then once that it is back to normal. Feeds come from a local HTTP server; the
clock is a FixedClock moved by hand; messages are counted on a FakeAdapter."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from bot.health import HealthPolicy, arxiv_batch_due, assess
from bot.models import Source
from bot.settings import HealthSettings, Settings, SourceConfig, load_settings
from jobs.poll_jobs import poll_checked
from jobs.sources.fetch import USER_AGENT, Fetcher
from storage.store import Store
from tests.conftest import DATA
from tests.httpserver import routes, serve
from tests.reliability.feedgen import rss
from tests.sourceworld import World

ARXIV = (DATA / "arxiv-rss-cs.LG.xml").read_bytes()
NEXT_ARXIV = ARXIV.replace(b"2502.", b"2503.").replace(b"2411.", b"2412.")
GOOD = rss([{"title": "A post", "link": "https://lab.example.org/posts/1"}])
BROKEN = b"<html><body>Maintenance</body></html>"  # not a feed: every poll fails
FRIDAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 04:00 in New York


@pytest.fixture
async def world(store):
    feed = {"body": GOOD}

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=feed["body"], content_type="application/rss+xml")

    # Sources added in chat reach only public addresses, unless the operator allows more.
    async with serve(routes({"/feed": handler})) as server, \
            Fetcher(user_agent=USER_AGENT, allow_ranges=["127.0.0.1/32"]) as fetcher:
        made = World(store, Settings(), server, fetcher, start=FRIDAY)
        made.feed = feed
        yield made


def add_chat_source(world: World, kind: str = "rss") -> None:
    world.store.save_source(Source("src", kind, world.server.url("/feed"), added_by="u1",
                                   added_in="console:lab"), world.clock.now())


async def test_a_failing_source_is_told_once_then_back_to_normal(world):
    add_chat_source(world)
    await world.poll()
    world.feed["body"] = BROKEN
    for _ in range(2):
        await world.poll()
    assert world.notices() == []  # two failures: flaky, nobody is bothered yet
    assert "UNHEALTHY" not in await world.sources_reply()
    for _ in range(5):
        await world.poll()
    (notice,) = world.notices()
    assert notice.startswith("Source src is failing [rss]: 3 polls in a row failed")
    assert "the last error:" in notice
    listing = await world.sources_reply()
    assert "• src [rss, added by u1 in chat]: UNHEALTHY, failing (7 in a row)" in listing

    world.feed["body"] = GOOD
    for _ in range(3):
        await world.poll()
    assert world.notices()[1:] == ["Source src is back to normal [rss] (it was failing)."]
    assert "UNHEALTHY" not in await world.sources_reply()

    world.feed["body"] = BROKEN  # a new spell of failures is news again, once
    for _ in range(4):
        await world.poll()
    assert len(world.notices()) == 3 and "is failing" in world.notices()[2]


async def test_once_survives_a_restart(world, tmp_path):
    add_chat_source(world)
    world.feed["body"] = BROKEN
    for _ in range(3):
        await world.poll()
    assert len(world.notices()) == 1
    world.store.close()
    world.store = Store.open(tmp_path / "lectern.db")  # the conftest's file, reopened
    for _ in range(3):
        assert await world.poll() == 0
    assert len(world.notices()) == 1
    assert {d.purpose.text.split("@")[0] for d in world.store.delivery_history()} == {
        "health:failing"}
    world.store.close()


async def test_a_pending_notice_is_dropped_when_the_source_recovers_first(world):
    add_chat_source(world)
    world.feed["body"] = BROKEN
    for _ in range(3):
        world.clock.advance(timedelta(hours=1))
        await poll_checked(world.store, world.settings, "src", world.fetcher,
                           world.clock.now())  # no dispatch: the notice waits
    world.feed["body"] = GOOD
    await world.poll()
    assert world.notices() == []
    (row,) = world.store.delivery_history()
    assert (row.status, row.note) == ("skipped", "source recovered")


async def test_config_sources_tell_the_alerts_channel_or_only_the_log(world, caplog):
    entry = SourceConfig("src", "rss", world.server.url("/feed"))
    world.store.save_source(Source("src", "rss", entry.location), world.clock.now())
    world.feed["body"] = BROKEN
    with caplog.at_level(logging.WARNING, logger="jobs.health"):
        for _ in range(5):
            await world.poll()
    unhealthy = [r.getMessage() for r in caplog.records if "is failing" in r.getMessage()]
    assert len(unhealthy) == 1 and "the log only" in unhealthy[0]
    assert world.adapter.sent == [] and world.store.delivery_history() == []

    world.settings = Settings(sources=(entry,),
                              health=HealthSettings(alerts_channel="console:ops"))
    for _ in range(3):
        await world.poll()
    (notice,) = world.notices("console:ops")
    assert notice.startswith("Source src is failing")
    assert world.notices("console:lab") == []


async def test_the_same_arxiv_batch_on_weekdays_is_stale(world):
    """One or two missed announcements may be arXiv's holidays: shown, nobody told. The
    third makes the listing stale."""
    add_chat_source(world, "arxiv-rss")
    world.feed["body"] = ARXIV
    await world.poll(after=timedelta(0))  # Friday morning: the batch of Thursday evening
    for _ in range(2):  # Saturday and Sunday mornings: arXiv announced nothing
        await world.poll(after=timedelta(days=1))
        assert assess(world.store.get_source("src"), HealthPolicy()).state == "ok"
    await world.poll(after=timedelta(hours=12))  # Sunday 21:00 UTC: not announced yet
    await world.poll(after=timedelta(hours=12))  # Monday 09:00 UTC, 04:00 in New York
    reply = await world.sources_reply()
    assert "behind: no new batch since arXiv's announcement of Mon 2026-11-23 01:00 UTC " \
           "(a holiday?)" in reply and "UNHEALTHY" not in reply
    await world.poll(after=timedelta(days=1))  # Tuesday: a second announcement missed
    assert world.notices() == []
    await world.poll(after=timedelta(hours=20))  # Wednesday 05:00 UTC, 00:00 in New York
    assert world.notices() == []  # Tuesday's announcement still has its six hours
    await world.poll(after=timedelta(hours=2))  # Wednesday 07:00 UTC: the third missed
    (notice,) = world.notices()
    assert notice.startswith("Source src looks stale [arxiv-rss]: it still served the batch "
                             "first seen Fri 2026-11-20 09:00 after 3 of arXiv's "
                             "announcements, from Mon 2026-11-23 01:00 UTC on")
    assert "UNHEALTHY, stale:" in await world.sources_reply()
    for _ in range(3):
        await world.poll()
    assert len(world.notices()) == 1  # told once, not every poll

    world.feed["body"] = NEXT_ARXIV
    await world.poll()
    assert world.notices()[1:] == ["Source src is back to normal [arxiv-rss] (it was stale)."]


async def test_a_feed_unchanged_for_n_days_is_stale(world):
    add_chat_source(world)
    world.settings = Settings(health=HealthSettings(stale_days=3))
    await world.poll()
    for _ in range(2):
        await world.poll(after=timedelta(days=1))
    assert world.notices() == []
    # Re-served with new dates and build time: the same items, still not news.
    world.feed["body"] = rss([{"title": "A post", "link": "https://lab.example.org/posts/1",
                               "pubDate": "Tue, 24 Nov 2026 08:00:00 GMT"}],
                             build_date="Tue, 24 Nov 2026 08:00:00 GMT")
    await world.poll(after=timedelta(days=1))
    (notice,) = world.notices()
    assert "its content has not changed since Fri 2026-11-20 10:00 UTC (3 days or more)" \
        in notice
    await world.poll(after=timedelta(days=1))
    assert len(world.notices()) == 1


def test_the_stale_rules_and_their_defaults():
    policy = HealthPolicy(stale_days_for={"quiet": 0, "busy": 2})
    base = Source("x", "rss", "https://e.org/f", last_success=FRIDAY, last_new=FRIDAY)
    assert assess(base, policy).state == "ok"
    old = Source("x", "rss", "https://e.org/f", last_success=FRIDAY + timedelta(days=30),
                 last_new=FRIDAY)
    assert assess(old, policy).state == "stale"  # the default: 30 days
    old.name = "quiet"
    assert assess(old, policy).state == "ok"  # 0: never stale
    assert assess(Source("busy", "rss", "u", last_success=FRIDAY + timedelta(days=2),
                         last_new=FRIDAY), policy).state == "stale"
    assert assess(Source("x", "rss", "u"), policy).state == "pending"
    failing = Source("x", "rss", "u", failures=3, last_success=FRIDAY, last_error="boom")
    assert (assess(failing, policy).state, assess(failing, policy).since) == ("failing", FRIDAY)


@pytest.mark.parametrize(("seen", "due"), [
    # Thursday 10:00 New York -> Thursday's 20:00 announcement, due 02:00 Friday.
    (datetime(2026, 11, 19, 15, 0, tzinfo=UTC), datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
    # Friday morning -> nothing until Sunday 20:00: due Monday 02:00 New York.
    (FRIDAY, datetime(2026, 11, 23, 7, 0, tzinfo=UTC)),
    # Across the end of summer time (1 Nov 2026): Sunday 20:00 EST is 01:00 UTC.
    (datetime(2026, 10, 30, 12, 0, tzinfo=UTC), datetime(2026, 11, 2, 7, 0, tzinfo=UTC)),
    # In summer time: Monday 20:00 EDT + 6 h is 06:00 UTC Tuesday.
    (datetime(2026, 7, 6, 12, 0, tzinfo=UTC), datetime(2026, 7, 7, 6, 0, tzinfo=UTC)),
])
def test_when_a_new_arxiv_batch_is_due(seen, due):
    assert arxiv_batch_due(seen) == due


def test_missed_announcements_skip_fridays_and_saturdays():
    # Seen Friday: Sunday's, Monday's and Tuesday's announcements, each plus six hours.
    assert [arxiv_batch_due(FRIDAY, n) for n in (1, 2, 3)] == [
        datetime(2026, 11, 23, 7, 0, tzinfo=UTC), datetime(2026, 11, 24, 7, 0, tzinfo=UTC),
        datetime(2026, 11, 25, 7, 0, tzinfo=UTC)]
    # Seen Thursday morning: Thursday's, then Sunday's and Monday's.
    assert arxiv_batch_due(datetime(2026, 11, 19, 15, 0, tzinfo=UTC), 3) == \
        datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def test_health_settings_are_read_and_checked(tmp_path):
    config = tmp_path / "l.toml"
    config.write_text('[health]\nfailing_after = 5\nstale_days = 0\n'
                      'alerts_channel = "slack:C0123ABC"\n[[sources]]\nname = "a"\n'
                      'kind = "rss"\nurl = "https://e.org/f"\nstale_days = 30\n')
    settings = load_settings(str(config), environ={})
    assert settings.health == HealthSettings(5, 0, "slack:C0123ABC")
    assert HealthPolicy.from_settings(settings).stale_after("a") == timedelta(days=30)
    config.write_text('[health]\nfailing_after = 0\nstale_days = "x"\nalerts_channel = "ops"\n')
    with pytest.raises(ValueError) as error:
        load_settings(str(config), environ={})
    assert len(error.value.problems) == 3


def test_lectern_sources_list_marks_the_unhealthy(tmp_path, capsys):
    from bot.app.cli import main

    broken = tmp_path / "broken.xml"
    broken.write_bytes(BROKEN)
    config = tmp_path / "l.toml"
    config.write_text(f'[[sources]]\nname = "b"\nkind = "rss"\npath = "{broken}"\n')
    base = ["--config", str(config), "--db", str(tmp_path / "l.db")]
    for hour in range(3):
        main([*base, "--now", f"2026-11-23T0{hour}:00:00Z", "poll"])
    capsys.readouterr()
    assert main([*base, "sources", "list", "--json"]) == 0
    (source,) = json.loads(capsys.readouterr().out)["sources"]
    assert (source["healthy"], source["health"], source["failures"]) == (False, "failing", 3)
    main([*base, "sources", "list"])
    assert "UNHEALTHY, failing (3 in a row)" in capsys.readouterr().out
