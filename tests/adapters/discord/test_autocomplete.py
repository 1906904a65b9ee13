"""Autocomplete through the CommandTree: time zones, reminder offsets, subscription ids,
source names and series, at most 25 choices, filtered by what the member typed."""

from __future__ import annotations

from datetime import timedelta

from bot.models import talk_id
from tests.adapters.discord.conftest import interact
from tests.adapters.discord.payloads import CHANNEL, MANAGER, option, slash
from tests.conftest import NOW


async def choices(adapter, fake, path, name, typed, others=()):
    payload = slash(path, [*others, option(name, typed, focused=True)],
                    permissions=MANAGER, autocomplete=True)
    answer = await interact(adapter, fake, payload)
    assert answer.kind == 8
    found = answer.data["choices"]
    assert len(found) <= 25
    return [(c["value"], c["name"]) for c in found]


async def test_time_zones_match_what_was_typed(adapter, fake):
    zones = [v for v, _ in await choices(adapter, fake, "settings timezone", "zone", "lond")]
    assert zones[0] == "Europe/London"
    assert len(await choices(adapter, fake, "settings timezone", "zone", "a")) == 25
    empty = [v for v, _ in await choices(adapter, fake, "settings timezone", "zone", "")]
    assert "default" in empty and "UTC" in empty


async def test_reminder_offsets_and_digest_times_are_offered(adapter, fake):
    offsets = [v for v, _ in await choices(adapter, fake, "settings reminders", "offsets", "")]
    assert "1d,15m" in offsets and "off" in offsets
    assert [v for v, _ in await choices(adapter, fake, "settings digest", "time", "09")] \
        == ["09:00"]


async def test_subscription_ids_of_this_channel(adapter, fake, seeded):
    here = seeded.add_subscription(f"discord:{CHANNEL}", "diffusion", "papers", "t",
                                   NOW - timedelta(hours=1))
    seeded.add_subscription("discord:999", "elsewhere", "all", "t", NOW)
    found = await choices(adapter, fake, "unsubscribe", "id", 0)
    assert found == [(here.id, f"{here.id} · papers · diffusion")]


async def test_source_names_for_removal(adapter, fake):
    assert await choices(adapter, fake, "sources remove", "name", "arx") == [
        ("arxiv", "arxiv [arxiv-rss]")]
    assert await choices(adapter, fake, "sources remove", "name", "zzz") == []


async def test_series_complete_the_last_word_of_a_query(adapter, fake):
    found = await choices(adapter, fake, "seminars search", "query", "compilers ser")
    assert found == [('compilers series:"Colloquium"', "series: Colloquium")]
    assert await choices(adapter, fake, "seminars search", "query", "compilers") == []
    assert await choices(adapter, fake, "subscribe", "query", "series:coll") == [
        ('series:"Colloquium"', "series: Colloquium")]


async def test_upcoming_talks_for_a_personal_reminder(adapter, fake):
    found = await choices(adapter, fake, "remind talk", "talk", "compil")
    assert found == [(talk_id("dept", "next"), "Mon 23 Nov · Compilers for Everyone")]
    assert await choices(adapter, fake, "remind talk", "talk", "zzz") == []
