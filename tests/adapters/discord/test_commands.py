"""App commands end to end: payloads as Discord sends them, dispatched by discord.py's
CommandTree to the real registry and store, answered through the fake Discord."""

from __future__ import annotations

import pytest

from bot.chat import Message, Reply
from bot.commands.declare import TALK, Group, Param
from tests.adapters.discord.conftest import interact
from tests.adapters.discord.payloads import (
    ADMIN,
    CHANNEL,
    MANAGER,
    MEMBER_ID,
    button,
    form,
    option,
    posted,
    slash,
)
from tests.adapters.watching import Watched

ANNOUNCEMENT = ("Title: Flows on Manifolds\nSpeaker: Ada Lovelace\n"
                "Time: 2026-12-03 15:00-16:00\nLocation: Room 2")


def text_of(answer) -> str:
    data = answer.data
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


EVERY_COMMAND = [
    ("papers search", [option("query", "pruning")], "Pruning Sparse Transformers"),
    ("papers latest", [option("n", 5)], "Pruning Sparse Transformers"),
    ("seminars upcoming", [], "Compilers for Everyone"),
    ("seminars next", [], "Compilers for Everyone"),
    ("seminars search", [option("query", "compilers")], "Compilers for Everyone"),
    ("subscriptions", [], "no topics"),
    ("settings show", [], "Europe/London"),
    ("sources list", [], "arxiv"),
    ("help", [option("command", "sources")], "/sources add"),
    ("help", [], "lectern commands"),
]


@pytest.mark.parametrize("path, options, says", EVERY_COMMAND)
async def test_member_commands_answer_privately(adapter, fake, path, options, says):
    answer = await interact(adapter, fake, slash(path, options))
    assert answer.kind == 4 and answer.ephemeral
    assert says in text_of(answer).replace("\\", "")
    assert not fake.rejected


async def test_a_manager_changes_the_channel_and_the_channel_sees_it(adapter, fake,
                                                                     registry, seeded):
    answer = await interact(adapter, fake, slash("subscribe", [
        option("query", "diffusion -video"), option("kinds", "papers")], permissions=MANAGER))
    assert not answer.ephemeral and "Subscription 1" in text_of(answer)
    [sub] = seeded.list_subscriptions(f"discord:{CHANNEL}")
    assert (sub.query, sub.kinds) == ("diffusion -video", "papers")
    seen = registry.seen[-1]
    assert seen.is_manager and seen.user.id == MEMBER_ID and seen.user.name == "Ada Lovelace"
    for path, options in [("settings timezone", [option("zone", "Asia/Shanghai")]),
                          ("settings reminders", [option("offsets", "1h")]),
                          ("settings digest", [option("time", "09:00")]),
                          ("unsubscribe", [option("id", sub.id)])]:
        answer = await interact(adapter, fake, slash(path, options, permissions=MANAGER))
        assert answer.kind == 4, path
    assert seeded.get_channel(f"discord:{CHANNEL}").timezone == "Asia/Shanghai"
    assert seeded.list_subscriptions(f"discord:{CHANNEL}") == []
    assert not fake.rejected


@pytest.mark.parametrize("path, options", [
    ("subscribe", [option("query", "diffusion")]),
    ("unsubscribe", [option("id", 1)]),
    ("settings timezone", [option("zone", "Asia/Tokyo")]),
    ("sources remove", [option("name", "arxiv")]),
])
async def test_members_without_manage_channels_are_refused(adapter, fake, seeded, registry,
                                                           path, options):
    answer = await interact(adapter, fake, slash(path, options))
    assert answer.ephemeral and "only channel managers" in text_of(answer)
    assert registry.seen[-1].is_manager is False
    assert seeded.list_subscriptions() == [] and seeded.get_source("arxiv") is not None


async def test_administrators_may_manage_too(adapter, fake, seeded):
    await interact(adapter, fake, slash("subscribe", [option("query", "flows")],
                                        permissions=ADMIN))
    assert [s.query for s in seeded.list_subscriptions()] == ["flows"]


async def test_slow_work_is_deferred_then_answered(adapter, fake, seeded):
    searched = await interact(adapter, fake, slash("papers search", [option("query", "prune")]))
    assert searched.deferred and searched.ephemeral
    added = await interact(adapter, fake, slash("sources add", [
        option("kind", "rss"), option("url", "https://blog.example/feed.xml"),
        option("name", "lab-blog")], permissions=MANAGER))
    assert added.deferred and not added.ephemeral  # public, and the "thinking" note removed
    assert seeded.get_source("lab-blog").location == "https://blog.example/feed.xml"
    removed = await interact(adapter, fake, slash("sources remove", [option("name", "lab-blog")],
                                                  permissions=MANAGER))
    assert "removed" in text_of(removed) and seeded.get_source("lab-blog") is None


async def test_a_pasted_announcement_in_the_option_or_in_a_form(adapter, fake, seeded):
    one_line = "Title: Sheaves Speaker: Emmy Noether Time: 2026-12-04 10:00-11:00"
    inline = await interact(adapter, fake, slash("seminars add", [
        option("announcement", one_line)]))
    assert inline.kind == 4 and "Sheaves" in text_of(inline)
    opened = await interact(adapter, fake, slash("seminars add"))
    assert opened.kind == 9 and opened.data["title"]
    submitted = await interact(adapter, fake, form(opened.data, [ANNOUNCEMENT]))
    assert submitted.deferred and not submitted.ephemeral
    assert "Flows on Manifolds" in text_of(submitted)
    assert any(t.title == "Flows on Manifolds" for _, t in seeded.list_talks())


async def test_wrong_input_gets_the_registry_s_one_line_reply(adapter, fake):
    answer = await interact(adapter, fake, slash("settings timezone",
                                                 [option("zone", "Mars/Olympus")],
                                                 permissions=MANAGER))
    shown = text_of(answer).replace("\\", "")
    assert answer.ephemeral and "is not a time zone lectern knows" in shown


async def test_a_crash_in_a_callback_is_a_polite_private_reply(adapter, fake, registry):
    async def broken(invocation):
        raise RuntimeError("boom")
    registry.dispatch = broken
    answer = await interact(adapter, fake, slash("seminars next"))
    assert answer.ephemeral and "something went wrong" in text_of(answer)


def click_remind() -> dict:
    """A click on the "Remind me" button of an announcement lectern posted."""
    remind = {"type": 2, "style": 2, "label": "Remind me", "emoji": {"name": "⏰"},
              "custom_id": "remind:talk-0123456789ab"}
    return button(remind["custom_id"], posted(components=[{"type": 1, "components": [
        {"type": 2, "style": 5, "label": "Details", "url": "https://dept.example/t/7"},
        remind]}]))


async def test_remind_me_uses_a_remind_command_once_the_core_has_one(adapter, fake, registry):
    async def remind(ctx, invocation, talk):
        return Reply(Message(text=f"I will remind {invocation.user.name} of {talk}"))
    spec = Group("remind", "a personal reminder", default="talk")
    spec.sub("talk", "remind me of a talk", Param("talk", TALK, "the talk"), bare=True)(remind)
    registry.add(spec)
    answer = await interact(adapter, fake, click_remind())
    assert "I will remind Ada Lovelace of talk-0123456789ab" in text_of(answer)
    assert registry.seen[-1].command == "remind"


async def test_senders_give_way_until_the_answer_is_on_discord(adapter, fake, registry):
    fake.calls = Watched(registry.foreground)
    answer = await interact(adapter, fake, slash("papers search", [option("query", "prune")]))
    assert answer.deferred and fake.calls.busy == [True, True]  # the defer, then the answer
    assert not registry.foreground.busy
