"""Round 4: interaction payloads with forged, missing or tampered fields, as the fake Slack
hands them to lectern (signed, so they pass the signature check): a
malformed one is a 400, never a 500, and a vote whose value was tampered with is answered
privately on one line that pings nobody and stores nothing."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.adapters.slack.conftest import command_body, post, sign

PING = ("<!channel>", "<!here>", "<!everyone>", "<@U", "<!subteam")
TAMPERED = ["up <!channel>\n@here", "up arxiv:2611.00001\u2028<!subteam^S1>",
            "up " + "x" * 5000, "up ", "sideways arxiv:2611.00001", "up \x00\x1b[2J"]


def _action_payload(fake_slack, actions, name: str) -> str:
    payload = {"type": "block_actions", "user": {"id": "U2", "username": "bo"},
               "team": {"id": "T1"}, "channel": {"id": "C1"}, "api_app_id": "A1",
               "token": "legacy", "trigger_id": "1.2.3", "container": {"type": "message"},
               "response_url": fake_slack.response_url(name), "actions": actions}
    return urlencode({"payload": json.dumps(payload)})


@pytest.mark.parametrize("actions", [[], "x", [[]], {"action_id": "vote:up"}])
async def test_a_signed_but_malformed_action_is_a_400_not_a_500(make_adapter, fake, actions):
    adapter = make_adapter()
    await adapter.start()
    body = _action_payload(fake, actions, "m")
    status, text = await post(adapter, body, sign(body, adapter.clock.now()))
    assert status in (200, 400, 404), text
    assert fake.responses == []


@pytest.mark.parametrize("value", TAMPERED)
async def test_a_tampered_slack_vote_is_refused_on_one_private_line(make_adapter, fake,
                                                                     store, value):
    adapter = make_adapter()
    await adapter.start()
    body = _action_payload(fake, [{"action_id": "vote:up", "block_id": "b", "type": "button",
                                   "action_ts": "1", "value": value}], "v")
    status, _ = await post(adapter, body, sign(body, adapter.clock.now()))
    assert status == 200
    if value.split(" ")[0] not in ("up", "down"):
        return  # not a vote: nothing to answer (a link in the menu, say)
    await fake.wait_for(lambda: fake.responses)
    [answer] = fake.responses
    assert answer["response_type"] == "ephemeral" and "\n" not in answer["text"]
    assert "\u2028" not in answer["text"] and len(answer["text"]) < 400
    assert not any(ping in answer["text"] for ping in PING)
    assert store.votes.tally("slack:C1") == {}


@pytest.mark.parametrize("typed, stored", [
    ("https://example.org/feed?a=1&amp;b=2", "https://example.org/feed?a=1&b=2"),
    ("<https://example.org/rss?x=1&amp;y=2>", "https://example.org/rss?x=1&y=2"),
    ("<https://example.org/lab.atom|example.org/lab.atom>", "https://example.org/lab.atom")])
async def test_a_feed_address_is_stored_as_the_member_typed_it(make_adapter, fake, store,
                                                                typed, stored):
    """Slack sends `&` as `&amp;` (and may wrap a link in its markup): a feed's query
    string must reach the store as typed, or every poll asks for the wrong document."""
    adapter = make_adapter(managers=["U1"])
    await adapter.start()
    body = command_body(fake, f"/sources add rss {typed} lab", reply_to="s")
    status, _ = await post(adapter, body, sign(body, adapter.clock.now()))
    assert status == 200
    await fake.wait_for(lambda: fake.responses)
    assert [s.location for s in store.list_sources() if s.name == "lab"] == [stored]


async def test_an_ampersand_typed_in_slack_is_said_back_as_one(make_adapter, fake):
    adapter = make_adapter()
    await adapter.start()
    body = command_body(fake, "/papers search R&amp;D &lt;robots&gt;", reply_to="q")
    await post(adapter, body, sign(body, adapter.clock.now()))
    await fake.wait_for(lambda: fake.responses)
    [answer] = fake.responses
    said = json.dumps(answer)
    assert "R&amp;D &lt;robots&gt;" in said and "&amp;amp;" not in said, said
