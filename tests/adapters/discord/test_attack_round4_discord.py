"""Round 4: Discord interactions with tampered component values, as the fake Discord hands
them to discord.py (a vote button's custom_id, a menu's values): answered privately on one
line that pings nobody, and no vote is stored."""

from __future__ import annotations

import pytest

from tests.adapters.discord.conftest import interact
from tests.adapters.discord.payloads import CHANNEL, MEMBER, _base, button, posted


def _menu_click(custom_id: str, values: list[str], message: dict) -> dict:
    payload = _base(3, {"custom_id": custom_id, "component_type": 3, "values": values},
                    MEMBER, CHANNEL)
    payload["message"] = message
    return payload


def _with(component: dict) -> dict:
    """A message lectern posted holding `component` (a hostile feed's id in a custom_id)."""
    return posted(components=[{"type": 1, "components": [component]}])


def _button(custom_id: str) -> dict:
    return button(custom_id, _with({"type": 2, "style": 2, "label": "x",
                                    "custom_id": custom_id}))


def _menu(custom_id: str, values: list[str]) -> dict:
    return _menu_click(custom_id, values, _with({
        "type": 3, "custom_id": custom_id, "min_values": 1, "max_values": 1,
        "options": [{"label": "1. x", "value": v} for v in values] or [
            {"label": "1. x", "value": "arxiv:2611.00001"}]}))


@pytest.mark.parametrize("click", [
    lambda: _button("vote:up:<@&1200000000000000009>"),
    lambda: _button("vote:down:@everyone"),
    lambda: _menu("votes:up", ["arxiv:2611.00001\n@everyone <@&12>"]),
    lambda: _menu("votes:down", []),
    lambda: _menu("votes:up", ["x" * 100])])
async def test_a_tampered_discord_vote_is_refused_on_one_private_line(adapter, fake,
                                                                       seeded, click):
    answer = await interact(adapter, fake, click())
    text = answer.data.get("content") or ""
    assert answer.ephemeral and text and "\n" not in text and len(text) < 400, text
    assert answer.data["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in text.replace("@\u200beveryone", "")
    assert seeded.votes.tally(f"discord:{CHANNEL}") == {}
