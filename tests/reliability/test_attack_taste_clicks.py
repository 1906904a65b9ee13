"""An outsider's attack on the channels' taste (issue 16), part 3: clicks forged, garbled or
from elsewhere on Slack and Discord, and digests of hostile papers on every platform."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from bot.models import Paper
from jobs.dispatch import dispatch_due
from tests.adapters.discord.conftest import interact
from tests.adapters.discord.payloads import CHANNEL as DISCORD_ID
from tests.adapters.discord.payloads import MEMBER, _base, posted
from tests.adapters.slack.conftest import post, sign
from tests.conftest import NOW
from tests.reliability import tasteattack
from tests.reliability.tasteattack import (  # noqa: F401
    DISCORD,
    FAILED,
    SLACK,
    assert_discord_inert,
    assert_slack_inert,
    plan,
    taught,
)
from tests.tasteworld import mixed_day, topic_paper

# ── clicks: forged, garbled, from elsewhere ─────────────────────────────────────────

# The fake Slack and Discord with adapters for them (tests/reliability/test_mentions.py).
platforms = tasteattack.platforms
_restore_discord_addresses = tasteattack._restore_discord_addresses


def _click_body(fake_slack, action: dict, *, user="U2", channel: dict | None = None,
                name="v1") -> str:
    payload = {"type": "block_actions", "user": {"id": user, "username": user},
               "team": {"id": "T1"}, "api_app_id": "A1", "token": "legacy",
               "trigger_id": "1.2.3", "response_url": fake_slack.response_url(name),
               "container": {"type": "message"},
               "actions": [{"block_id": "b", "action_ts": "1", **action}]}
    if channel is not None:
        payload["channel"] = channel
    return urlencode({"payload": json.dumps(payload)})


async def _slack_click(adapter, fake_slack, action, **options) -> None:
    body = _click_body(fake_slack, action, **options)
    status, _ = await post(adapter, body, sign(body, adapter.clock.now()))
    assert status == 200


async def test_slack_vote_click_without_a_channel_votes_nowhere(store, platforms):
    slack, _, adapters, _ = platforms
    adapter = adapters["slack"]
    await adapter.start()
    paper = topic_paper("liked", 1, NOW)
    store.upsert_papers([paper], NOW)
    await _slack_click(adapter, slack, {"action_id": "vote:up", "type": "button",
                                        "value": f"up {paper.id}"}, channel=None)
    await asyncio.sleep(0.2)
    voting = store.votes.channels_voting()
    assert voting == [], f"a vote stored for channel(s) {voting}"


@pytest.mark.parametrize("value", ["up ", "sideways arxiv:2611.00001",
                                   "up arxiv:2611.00001 down",
                                   "up arxiv:2611.00001' OR '1'='1", "up " + "9" * 5000])
async def test_slack_garbled_vote_values_never_count_the_other_way(store, platforms, value):
    slack, _, adapters, _ = platforms
    adapter = adapters["slack"]
    await adapter.start()
    paper = topic_paper("liked", 1, NOW)
    store.upsert_papers([paper], NOW)
    await _slack_click(adapter, slack, {"action_id": "vote:menu:1", "type": "overflow",
                                        "selected_option": {"value": value}},
                       channel={"id": "C1"})
    await asyncio.sleep(0.2)
    tally = store.votes.tally(SLACK)
    clicked_up = value.startswith("up")
    wrong = [t for t in tally.values() if (t.down if clicked_up else t.up)]
    assert wrong == [], f"{value[:40]!r} counted as {tally}"
    assert len(slack.posted) == 0  # nothing reaches the channel
    assert slack.problems == []
    assert all(FAILED not in (r.get("text") or "") for r in slack.responses)


def _menu_message(custom_id: str, values) -> dict:
    """The list lectern posted, as the click carries it back: the menu holds the values."""
    options = [{"label": f"{n}. a paper", "value": v} for n, v in enumerate(values or [], 1)]
    menu = {"type": 3, "custom_id": custom_id, "options": options or [
        {"label": "1. a paper", "value": "arxiv:2611.00001"}], "min_values": 1,
            "max_values": 1}
    return posted(components=[{"type": 1, "components": [menu]}])


def _button_message(custom_id: str) -> dict:
    button = {"type": 2, "style": 2, "label": "More like this", "custom_id": custom_id}
    return posted(components=[{"type": 1, "components": [button]}])


def _menu_click(custom_id: str, values, message: dict | None = None, *,
                channel=DISCORD_ID) -> dict:
    data = {"custom_id": custom_id, "component_type": 3}
    if values is not None:
        data["values"] = values
    payload = _base(3, data, MEMBER, channel)
    payload["message"] = message or _menu_message(custom_id, values)
    return payload


@pytest.mark.parametrize("values", [[]])
async def test_discord_garbled_menu_click_is_still_answered(store, platforms, values):
    """Discord shows "This interaction failed" when a component click gets no answer."""
    _, fake, adapters, _ = platforms
    adapter = adapters["discord"]
    payload = _menu_click("votes:up", values)
    adapter.client._connection.parse_interaction_create(payload)
    try:
        await fake.wait_for(lambda: any(c.path.startswith(f"/interactions/{payload['id']}/")
                                        for c in fake.calls), timeout=1.0)
    except (TimeoutError, AssertionError):
        pytest.fail(f"a vote menu click with values={values!r} was never answered")
    assert store.votes.channels_voting() == []


@pytest.mark.parametrize(("custom_id", "values"), [
    ("votes:down", ["arxiv:9999.99999"]), ("votes:up", ["@everyone"]),
    ("votes:up", ["x');DROP TABLE votes;--"]), ("vote:up:x');DROP_TABLE_votes;--", None)])
async def test_discord_vote_on_a_paper_that_does_not_exist_is_refused_privately(
        store, platforms, custom_id, values):
    _, fake, adapters, _ = platforms
    adapter = adapters["discord"]
    if values is None:
        payload = _base(3, {"custom_id": custom_id, "component_type": 2}, MEMBER, DISCORD_ID)
        payload["message"] = _button_message(custom_id)
    else:
        payload = _menu_click(custom_id, values)
    answer = await interact(adapter, fake, payload)
    text = answer.data.get("content") or json.dumps(answer.data.get("embeds"))
    assert answer.ephemeral and FAILED not in text, text
    assert fake.rejected == []
    assert store.votes.channels_voting() == [] and fake.created.get(DISCORD_ID) is None
    assert store.db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0


# ── platforms: a digest of 25 hostile papers, the why line ─────────────────────────────


def _hostile_papers(count: int) -> list[Paper]:
    papers = []
    for n in range(count):
        base = topic_paper("liked" if n % 2 else "other", n, NOW)
        doi = "10.1234/" + ("z" * (70 + 5 * n))  # ids of 78 to 200 characters
        papers.append(replace(
            base, id=f"doi:{doi}" if n % 3 == 0 else base.id,
            doi=doi if n % 3 == 0 else None, arxiv_id=None if n % 3 == 0 else base.arxiv_id,
            title=f"lectern <!channel> @everyone <@U1> *bold* `x` {n} " + "Ж" * 400,
            abstract="lectern " + "<!here> " * 300,
            authors=[f"<@U{n}> @here Author"] * 40))
    return papers


async def test_a_digest_of_25_hostile_papers_fits_every_platform(store, platforms):
    slack, fake, adapters, out = platforms
    papers = _hostile_papers(30)
    for channel in (SLACK, DISCORD, "console:lab"):
        store.add_subscription(channel, "lectern", "papers", "U1", NOW)
        store.update_channel(channel, digest_time="09:00", digest_size=25)
    plan(store, papers, NOW)
    report = await dispatch_due(store, adapters, NOW + timedelta(days=1), "UTC")
    assert report.failed == [] and report.skipped == []
    assert slack.problems == [] and fake.rejected == []
    assert len(slack.posted) == 1 and len(fake.created[DISCORD_ID]) == 1
    assert_slack_inert(slack.posted[0])
    menus = [b["accessory"] for b in slack.posted[0]["blocks"]
             if (b.get("accessory") or {}).get("type") == "overflow"]
    assert len(menus) >= 15  # ids within Slack's limits keep their menu
    for call in fake.calls_to("POST", f"/channels/{DISCORD_ID}/messages"):
        assert_discord_inert(call.body)
    assert "30 new papers" in out.getvalue() or "Digest" in out.getvalue()


async def test_the_why_line_of_a_hostile_liked_title_pings_nobody_and_fits(store, platforms):
    slack, fake, adapters, _ = platforms

    def hostile(paper: Paper) -> str:
        return f"<!channel> @everyone <@U1> <https://evil.example/|x> {paper.title} " + \
            "Ж" * 5000

    taught(store, (SLACK, DISCORD), retitle=hostile)
    for channel in (SLACK, DISCORD):
        store.update_channel(channel, recommend_per_day=2)
    at = NOW + timedelta(hours=1)
    plan(store, mixed_day(at, 40, 5), at)
    rows = [d for d in store.due_deliveries(at)]
    assert len(rows) == 4 and all(r.recommended and r.matched.startswith("like *")
                                  for r in rows)
    report = await dispatch_due(store, adapters, at, "UTC")
    assert report.failed == [] and report.skipped == []
    assert slack.problems == [] and fake.rejected == []
    for payload in slack.posted:
        assert_slack_inert(payload)
    for call in fake.calls_to("POST", f"/channels/{DISCORD_ID}/messages"):
        assert_discord_inert(call.body)
