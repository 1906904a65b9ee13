"""/seminars add: a pasted announcement becomes a stored talk, read in the channel's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.console import ConsoleAdapter
from adapters.text import to_text
from bot.chat import ChannelRef, Invocation, Reply, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext, NoHooks
from bot.models import TalkChanges, UpsertResult
from bot.settings import Settings
from jobs.sources import announcement

EMAIL = """\
From: Seminar Admin <seminar-admin@cs.example.edu>
Subject: [ML Seminar] This Thursday: Jane Doe on diffusion models

Speaker: Jane Doe (Stanford University)
Title: Diffusion Models as Optimal Transport
Time: Thursday, Dec. 3, 2026, 3:30 p.m. – 5:00 p.m.
Location: Gates 104
Zoom: https://stanford.zoom.us/j/93847561234
"""


class ReadingHooks(NoHooks):
    """The hooks `lectern run` gives commands, as far as they matter here."""

    def __init__(self) -> None:
        self.stored: list[TalkChanges] = []

    def items_stored(self, papers: UpsertResult, talks: TalkChanges) -> None:
        assert papers == UpsertResult()
        self.stored.append(talks)

    def read_announcement(self, text, *, source, timezone, now):
        return announcement.parse(text, source, timezone=timezone, now=now)


@pytest.fixture
def hooks():
    return ReadingHooks()


@pytest.fixture
def registry(store, clock, hooks):
    return build_registry(BotContext(store=store, clock=clock,
                                     settings=Settings(timezone="America/Los_Angeles"),
                                     hooks=hooks))


async def say(registry, line: str, *, manager: bool = False) -> Reply:
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef("slack", "C0123"),
                                              UserRef("U9", "Bo"), manager))


async def test_a_member_adds_a_pasted_email(registry, store, hooks):
    reply = await say(registry, "/seminars add\n" + EMAIL)
    [(talk_id, talk)] = store.list_talks()
    assert talk.title == "Diffusion Models as Optimal Transport"
    # 3:30 p.m. in the channel's zone (the configured default, Los Angeles) is 23:30 UTC.
    assert talk.start == datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
    assert talk.source == "chat-slack-C0123"
    assert hooks.stored == [TalkChanges(new=[talk_id])]
    shown = to_text(reply.message)
    assert shown.startswith("Read Bo's announcement: 1 added\n")
    assert f"{talk_id} (added): Diffusion Models as Optimal Transport" in shown
    assert "speaker: Jane Doe (Stanford University)" in shown
    assert "when: Thu 3 Dec 2026, 15:30–17:00 America/Los_Angeles" in shown
    assert "where: Gates 104" in shown
    assert "link: https://stanford.zoom.us/j/93847561234" in shown
    assert not reply.ephemeral  # a new talk is news for the channel


async def test_times_are_read_in_the_channel_zone(registry, store):
    await say(registry, "/settings timezone Europe/London", manager=True)
    reply = await say(registry, "/seminars add Title: Compilers Speaker: Grace Hopper "
                                "(Harvard) Time: 2026-12-03 15:00-16:00 Location: Room 1")
    [(_, talk)] = store.list_talks()
    assert talk.start == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    assert (talk.speakers, talk.affiliation, talk.location) == (
        ["Grace Hopper"], "Harvard", "Room 1")
    assert "15:00–16:00 Europe/London" in to_text(reply.message)


async def test_pasting_again_changes_nothing(registry, store, hooks):
    await say(registry, "/seminars add\n" + EMAIL)
    again = await say(registry, "/seminars add\n" + EMAIL)
    [(talk_id, _)] = store.list_talks()
    assert f"{talk_id} (already known, nothing changed)" in to_text(again.message)
    assert again.ephemeral and hooks.stored[-1] == TalkChanges(unchanged=[talk_id])


async def test_a_missing_time_is_named_and_nothing_is_stored(registry, store, hooks):
    reply = await say(registry, "/seminars add\nSpeaker: Jane Doe\nTitle: Diffusion as "
                                "Transport")
    shown = to_text(reply.message)
    assert shown.startswith("could not add a talk: 'Diffusion as Transport' has no time. "
                            "Give at least a title or speaker and a time, e.g. /seminars add")
    assert len(shown.splitlines()) == 1 and reply.ephemeral
    assert store.list_talks() == [] and hooks.stored == []


@pytest.mark.parametrize(("line", "says"), [
    ("/seminars add", "paste the announcement after the command, e.g. /seminars add Title:"),
    ("/seminars add see you all on friday", "could not add a talk: no talk found. Give at "
                                            "least a title or speaker and a time"),
])
async def test_wrong_input_is_one_line_that_says_what_to_type(registry, store, line, says):
    reply = await say(registry, line)
    shown = to_text(reply.message)
    assert says in shown and len(shown.splitlines()) == 1 and "Time: 2026-12-03" in shown
    assert store.list_talks() == []


async def test_without_a_reader_the_reply_says_so(store, clock):
    registry = build_registry(BotContext(store=store, clock=clock, settings=Settings()))
    shown = to_text((await say(registry, "/seminars add\n" + EMAIL)).message)
    assert "cannot read announcements" in shown and len(shown.splitlines()) == 1


async def test_on_the_console_one_line_is_enough(store, clock, hooks, capsys):
    registry = build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                         hooks=hooks))
    await ConsoleAdapter(registry, is_manager=False).handle_line(
        "/seminars add 报告题目：深度学习中的频率原则 报告人：许志钦 副教授（上海交通大学） "
        "时间：2026年12月3日 15:00-16:30 地点：数学楼 401")
    [(_, talk)] = store.list_talks()
    assert (talk.title, talk.speakers, talk.location) == (
        "深度学习中的频率原则", ["许志钦"], "数学楼 401")
    assert "15:00–16:30 UTC" in capsys.readouterr().out
