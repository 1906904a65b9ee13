"""Every slash command through the real bolt app in HTTP mode: routed to the registry,
answered through response_url (ephemeral or in the channel as the Reply says), managers
told apart with users.info, and lectern's buttons acknowledged."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from bot.chat import Message, Reply
from bot.commands.declare import TALK, Group, Param
from bot.models import Paper, Talk
from tests.adapters.slack.conftest import command_body, post, sign
from tests.adapters.watching import Watched
from tests.conftest import NOW


@pytest.fixture
def seeded(store):
    store.upsert_papers([Paper(id="arxiv:2611.00001", title="Diffusion for Proteins",
                               source="arxiv", url="https://arxiv.org/abs/2611.00001",
                               authors=["Ada Lovelace"], published=NOW)], NOW)
    store.upsert_talks("dept", [Talk(key="a", title="Folding", source="dept",
                                     start=NOW + timedelta(days=2), speakers=["Grace Hopper"],
                                     series="Colloquium")], NOW)
    return store


async def say(adapter, fake, line: str, *, user: str = "U1", channel: str = "C1") -> dict:
    """Type one slash command in Slack; return lectern's answer."""
    name = f"r{len(fake.responses) + 1}"
    body = command_body(fake, line, user=user, channel=channel, reply_to=name)
    status, _ = await post(adapter, body, sign(body, adapter.clock.now()))
    assert status == 200
    await fake.wait_for(lambda: any(r["_url"] == name for r in fake.responses))
    return next(r for r in fake.responses if r["_url"] == name)


@pytest.mark.parametrize(("line", "phrase", "visible"), [
    ("/papers latest", "Diffusion for Proteins", "ephemeral"),
    ("/papers search diffusion", "Diffusion for Proteins", "ephemeral"),
    ("/papers search (diffusion", "(", "ephemeral"),
    ("/seminars upcoming", "Folding", "ephemeral"),
    ("/seminars next", "Folding", "ephemeral"),
    ("/seminars search speaker:hopper", "Folding", "ephemeral"),
    ("/subscribe diffusion -video", "Subscription 1", "in_channel"),
    ("/subscriptions", "follows no topics", "ephemeral"),
    ("/unsubscribe 7", "no subscription 7", "ephemeral"),
    ("/settings", "Settings", "ephemeral"),
    ("/settings timezone Europe/London", "Europe/London", "in_channel"),
    ("/sources", "sources", "ephemeral"),
    ("/lectern help", "/papers search", "ephemeral"),
    ("/lectern", "/papers search", "ephemeral"),
    ("/lectern help seminars", "/seminars upcoming", "ephemeral"),
    ("/lectern papers latest", "Diffusion for Proteins", "ephemeral"),
    ("/lectern subscriptions", "follows no topics", "ephemeral"),
    ("/lectern frobnicate", "no /frobnicate command", "ephemeral"),
])
async def test_every_command_is_answered(http_adapter, fake, seeded, line, phrase, visible):
    http_adapter.managers.configured = frozenset({"U1"})
    answer = await say(http_adapter, fake, line)
    assert phrase.lower() in answer["text"].lower()
    assert answer["response_type"] == visible
    assert answer["blocks"]


async def test_a_command_lands_in_the_channel_it_was_typed_in(http_adapter, fake, store):
    await say(http_adapter, fake, "/subscribe diffusion", user="UADMIN", channel="C0123ABC")
    fake.users["UADMIN"] = {"is_admin": True}
    await say(http_adapter, fake, "/subscribe diffusion", user="UADMIN", channel="C0123ABC")
    [sub] = store.list_subscriptions("slack:C0123ABC")
    assert sub.query == "diffusion" and sub.created_by in ("uadmin", "UADMIN")


@pytest.mark.parametrize(("profile", "allowed"), [
    ({"is_admin": True}, True), ({"is_owner": True}, True),
    ({"is_primary_owner": True}, True), ({}, False), (None, False)])
async def test_workspace_admins_and_owners_manage_members_do_not(
        http_adapter, fake, store, profile, allowed):
    if profile is not None:
        fake.users["U2"] = profile
    answer = await say(http_adapter, fake, "/subscribe diffusion", user="U2")
    assert bool(store.list_subscriptions("slack:C1")) is allowed
    if not allowed:
        assert "only channel managers" in answer["text"]
        assert answer["response_type"] == "ephemeral"


async def test_configured_managers_need_no_lookup(make_adapter, fake, store):
    adapter = make_adapter(managers=["U9"])
    await adapter.start()
    await say(adapter, fake, "/settings digest 09:00", user="U9")
    assert store.get_channel("slack:C1").digest_time == "09:00"
    assert fake.called("users.info") == []


async def test_admin_lookups_are_cached_and_members_commands_need_none(
        http_adapter, fake, clock):
    fake.users["U3"] = {"is_admin": True}
    await say(http_adapter, fake, "/papers latest", user="U3")
    assert fake.called("users.info") == []  # nothing to manage, nothing to ask
    await say(http_adapter, fake, "/subscribe diffusion", user="U3")
    await say(http_adapter, fake, "/settings reminders 1h", user="U3")
    assert len(fake.called("users.info")) == 1
    clock.advance(timedelta(minutes=6))
    await say(http_adapter, fake, "/settings reminders 2h", user="U3")
    assert len(fake.called("users.info")) == 2


async def test_a_failing_lookup_means_member_not_a_crash(http_adapter, fake, store):
    fake.answer("users.info", status=500)
    answer = await say(http_adapter, fake, "/subscribe diffusion", user="U4")
    assert "only channel managers" in answer["text"]


async def action(adapter, fake, action_id: str, name: str) -> int:
    """Click a button of lectern's; return the HTTP status of the ack."""
    payload = {"type": "block_actions", "user": {"id": "U1", "username": "ana"},
               "team": {"id": "T1"}, "channel": {"id": "C1"}, "api_app_id": "A1",
               "token": "legacy", "trigger_id": "1.2.3", "response_url":
               fake.response_url(name), "container": {"type": "message"},
               "actions": [{"action_id": action_id, "block_id": "b", "type": "button",
                            "value": "talk-0123456789ab", "action_ts": "1"}]}
    body = urlencode({"payload": json.dumps(payload)})
    status, _ = await post(adapter, body, sign(body, adapter.clock.now()))
    return status


async def test_remind_me_uses_the_cores_remind_command(http_adapter, fake, registry):
    async def remind(ctx, invocation, talk):
        return Reply(Message(text=f"I will remind {invocation.user.name} in "
                                  f"{invocation.channel.id} of {talk}"))

    spec = Group("remind", "a personal reminder", default="talk")
    spec.sub("talk", "remind me of a talk", Param("talk", TALK, "the talk"), bare=True)(remind)
    registry.add(spec)
    await action(http_adapter, fake, "remind:talk-0123456789ab", "a3")
    await fake.wait_for(lambda: fake.responses)
    assert "I will remind ana in C1 of talk-0123456789ab" in fake.responses[0]["text"]
    assert fake.responses[0]["response_type"] == "ephemeral"


async def test_link_buttons_are_acknowledged_quietly(http_adapter, fake):
    status = await action(http_adapter, fake, "link:0", "a2")
    assert status == 200 and fake.responses == []



async def test_senders_give_way_until_the_answer_is_on_slack(http_adapter, fake, registry):
    fake.responses = Watched(registry.foreground)
    await say(http_adapter, fake, "/papers search diffusion")
    assert fake.responses.busy == [True]  # the answer reached Slack while senders waited
    assert not registry.foreground.busy  # and then they went on
