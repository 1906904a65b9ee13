"""Slash commands end to end on the console channel: real store, registry and adapter."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter
from adapters.discord.embeds import render as discord_render
from adapters.slack.blocks import render as slack_render
from adapters.text import to_text
from bot.clock import FixedClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.models import TALK_CANCELLED, Paper, Source, Talk, talk_id
from bot.render import render_reminder, render_talk_announcement
from bot.settings import Settings, load_settings
from tests.conftest import NOW

HOUR = timedelta(hours=1)


@pytest.fixture
def console(store):
    store.upsert_papers([
        Paper(id="arxiv:2611.00001", title="Pruning Sparse Transformers", source="arxiv",
              url="https://arxiv.org/abs/2611.00001", authors=["Mei Chen"],
              pdf_url="https://arxiv.org/pdf/2611.00001v1", published=NOW - HOUR),
        Paper(id="arxiv:2611.00002", title="Diffusion for Video", source="arxiv",
              url="https://arxiv.org/abs/2611.00002", published=NOW - 2 * HOUR),
    ], NOW)
    store.upsert_talks("dept", [
        Talk(key="gone", title="Cancelled Talk", source="dept", start=NOW + HOUR,
             status=TALK_CANCELLED, speakers=["Nobody"]),
        Talk(key="next", title="Compilers for Everyone", source="dept", start=NOW + 2 * HOUR,
             end=NOW + 3 * HOUR, speakers=["Grace Hopper"], affiliation="Harvard",
             timezone="Europe/London", location="Room 1"),
        Talk(key="past", title="Old News", source="dept", start=NOW - 5 * HOUR,
             end=NOW - 4 * HOUR),
    ], NOW)
    store.save_source(Source("arxiv", "arxiv-rss", "https://rss.arxiv.org/rss/cs.LG"), NOW)
    store.record_failure("arxiv", NOW, "503 Service Unavailable from https://rss.arxiv.org")
    out = io.StringIO()
    context = BotContext(store=store, clock=FixedClock(NOW),
                         settings=Settings(timezone="Asia/Shanghai"))
    return ConsoleAdapter(build_registry(context), out=out), out


async def say(console, line: str) -> str:
    adapter, out = console
    out.seek(0)
    out.truncate()
    await adapter.handle_line(line)
    return out.getvalue()


async def test_help_lists_every_command(console):
    text = await say(console, "/help")
    for usage in ("/papers search <query>", "/papers latest [n]", "/seminars upcoming [n]",
                  "/seminars next", "/seminars search <query>", "/sources list"):
        assert usage in text
    assert "/seminars upcoming [n]" in await say(console, "/help seminars")


async def test_papers_search_and_latest(console):
    text = await say(console, "/papers search pruned transformer")
    assert "Pruning Sparse Transformers" in text and "Diffusion" not in text
    latest = await say(console, "/papers latest 1")
    assert "Pruning Sparse Transformers" in latest and "Diffusion" not in latest
    assert "[PDF] https://arxiv.org/pdf/2611.00001v1" in latest


async def test_seminars_in_the_channel_zone(console):
    upcoming = await say(console, "/seminars upcoming")
    assert "Old News" not in upcoming
    assert upcoming.index("Cancelled Talk") < upcoming.index("Compilers for Everyone")
    # 11:00Z is 19:00 in Shanghai, the zone this channel reads in.
    assert "19:00–20:00 Asia/Shanghai" in upcoming
    assert "CANCELLED: Cancelled Talk" in upcoming
    assert talk_id("dept", "next") in upcoming  # what /remind asks for
    following = await say(console, "/seminars next")
    assert "Compilers for Everyone" in following and "Cancelled" not in following
    found = await say(console, "/seminars search speaker:hopper")
    assert "Compilers for Everyone" in found


async def test_sources_show_health(console):
    text = await say(console, "/sources")
    assert "failing (1 in a row): 503 Service Unavailable" in text


@pytest.mark.parametrize(("line", "says"), [
    ("/nope", "there is no /nope command; type /help"),
    ("/papers", "/papers needs one of: search | latest"),
    ("/papers search", "say what to look for"),
    ("/papers search (unclosed", "never closed"),
    ("/papers latest 500", "give a number from 1 to 20"),
    ("/seminars upcoming lots", "give a number from 1 to 20"),
    # A word where the default subcommand wants a number or nothing names a subcommand.
    ("/seminars list", "there is no /seminars list; /seminars takes upcoming | next"),
    ("/seminars upcomng 3", "did you mean /seminars upcoming?"),
    ("/sources lst", "there is no /sources lst; did you mean /sources list?"),
    ("/subscriptions all", "/subscriptions takes no words; type /subscriptions alone"),
    ("hello", "Commands start with '/'"),
])
async def test_wrong_input_gets_one_line_saying_what_to_type(console, line, says):
    text = await say(console, line)
    assert says in text and len(text.strip().splitlines()) == 1


async def test_a_failing_handler_is_a_polite_reply_not_a_crash(console):
    adapter, _ = console
    spec = adapter.registry.commands["papers"]
    original = spec.subcommands["latest"]

    async def failing(invocation, args):
        raise RuntimeError("disk on fire")

    spec.subcommands["latest"] = type(original)(original.name, original.usage,
                                                original.summary, failing)
    text = await say(console, "/papers latest")
    assert "something went wrong on our side" in text and "disk on fire" not in text


@pytest.mark.parametrize(("line", "says"), [
    ("/paper latest", "there is no /paper command; did you mean /papers latest?"),
    ("/Seminar next", "did you mean /seminars next?"),
    ("/subscibe diffusion", "did you mean /subscribe diffusion?"),
    ("/zzz", "there is no /zzz command; type /help to see them all"),
])
async def test_an_unknown_command_suggests_the_nearest(console, line, says):
    assert says in await say(console, line)


@pytest.mark.parametrize("example", ["demo.toml", "lectern.toml"])
def test_the_example_configs_send_source_health_alerts_to_a_channel(example):
    """Out of the box an operator hears of a failing source in chat, not only in the log."""
    path = Path(__file__).resolve().parents[2] / "examples" / example
    assert load_settings(str(path)).health.alerts_channel


async def test_talk_listings_show_status_time_speaker_and_id(console, store):
    store.upsert_talks("dept", [
        Talk(key="next", title="Compilers for Everyone", source="dept", start=NOW + 26 * HOUR,
             end=NOW + 27 * HOUR, speakers=["Grace Hopper"], affiliation="Harvard",
             timezone="Europe/London", location="Room 1")], NOW, covers=None)
    gone = talk_id("dept", "gone")
    moved = talk_id("dept", "next")
    for line in ("/seminars upcoming", "/seminars search compilers OR cancelled"):
        text = await say(console, line)
        assert "MOVED: Compilers for Everyone" in text and moved in text
        assert "Grace Hopper (Harvard)" in text and "Asia/Shanghai" in text
        if "search" not in line or "Cancelled" in text:
            assert "CANCELLED: Cancelled Talk" in text and gone in text


async def test_meeting_details_are_shown_behind_the_link(store):
    talk = Talk(key="tm", title="冷冻电镜原理", source="dept", start=NOW + HOUR,
                meeting_url="https://meeting.tencent.com/dm/abc", meeting_id="123 456 789",
                meeting_password="2468")
    for message in (render_talk_announcement("talk-1", talk, "Asia/Shanghai", "电镜"),
                    render_reminder("talk-1", talk, "Asia/Shanghai", NOW, False)):
        text = to_text(message)
        assert "https://meeting.tencent.com/dm/abc" in text
        assert "meeting id 123 456 789 · passcode 2468" in text
        _, blocks = slack_render(message)
        assert "123 456 789" in str(blocks) and "2468" in str(blocks)
        assert "123 456 789" in str(discord_render(message, NOW).embed.to_dict())
