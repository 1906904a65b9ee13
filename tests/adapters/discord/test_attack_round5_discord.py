"""Round 5: Discord's own elements spelled in what a feed or a member wrote. Beside the
mentions earlier rounds broke, `<id:customize>` (a server's navigation link) and
`<:name:id>` / `<a:name:id>` (any server's custom emoji) render as Discord's elements in an
embed; a zero-width space keeps them text. Every path of a talk, through the fake Discord."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from adapters.discord.embeds import neutralize
from bot.chat import ChannelRef
from bot.models import Talk
from bot.render import (
    render_reminder,
    render_talk_announcement,
    render_talk_batch,
    render_talk_cancelled,
)
from tests.adapters.discord.payloads import CHANNEL
from tests.conftest import NOW

TITLE = ("A* search ~2x <id:customize> <:pepe:1234567> <a:dance:99> @everyone <@&1> "
         "<t:1:R> ||spoiler|| `code`")
ELEMENTS = ("<id:", "<:pepe", "<a:dance", "<:x:", "<a:x", "@everyone", "<@&", "<t:1:R>")
TALK = Talk(key="k1", title=TITLE, source="s", start=NOW + timedelta(hours=2),
            speakers=["Ada <id:browse>"], location="Room <:x:1>", series="ML",
            abstract="See <id:guide> and <a:x:2>.")
TALK_ID = "talk-0123456789ab"
PATHS = {
    "announcement": lambda: render_talk_announcement(TALK_ID, TALK, "UTC", "ml"),
    "list": lambda: render_talk_batch([(TALK_ID, TALK, "ml")], "Upcoming talks", "UTC"),
    "reminder": lambda: render_reminder(TALK_ID, TALK, "UTC", NOW, late=False),
    "cancelled": lambda: render_talk_cancelled(TALK_ID, TALK, "UTC"),
}


@pytest.mark.parametrize("text", ["<id:customize>", "<id:browse>", "<:pepe:123>",
                                  "<a:dance:99>", "<ID:home>"])
def test_a_discord_element_in_source_text_stays_text(text):
    shown = neutralize(f"see {text} now")
    assert text not in shown and text.replace("<", "<\u200b") in shown


@pytest.mark.parametrize("text", ["a <b> c", "x < y: z", "<3 :smile:", "<https://x.org>"])
def test_other_angle_brackets_are_left_alone(text):
    assert "\u200b" not in neutralize(text)


@pytest.mark.parametrize("path", sorted(PATHS))
async def test_no_discord_element_reaches_a_message_as_itself(adapter, fake, path):
    await adapter.send(ChannelRef("discord", CHANNEL), PATHS[path]())
    [call] = fake.calls_to("POST", f"/channels/{CHANNEL}/messages")
    body = json.dumps(call.body, ensure_ascii=False)
    for element in ELEMENTS:
        assert element not in body, (element, body[:800])
    assert call.body["allowed_mentions"] == {"parse": []}
