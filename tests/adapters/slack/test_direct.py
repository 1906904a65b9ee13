"""Direct messages (a ChannelRef to `@USER`, personal reminders) through the real
slack_sdk client to the fake Web API: the DM is opened once per member and posted in, with
the delivery key, the same pacing and recall in the DM's own history; a member Slack will
not let the app reach is a permanent DeliveryError saying what to do; and from a channel's
"Remind me" to the reminder in the member's DM, through the core."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from adapters.slack.recall import metadata
from bot.chat import ChannelRef, DeliveryError, Message
from bot.models import Talk, UpsertResult
from jobs.dispatch import dispatch_due
from jobs.planner import plan_new_items
from tests.adapters.slack.conftest import post, sign
from tests.adapters.slack.test_delivery import ZONE
from tests.conftest import NOW

C1 = ChannelRef("slack", "C1")
ANA, BEN = ChannelRef.to_user("slack", "U0ANA"), ChannelRef.to_user("slack", "U0BEN")
TALK_ID = "talk-0123456789ab"


def reminder(key: str | None = "lectern-7", **fields) -> Message:
    return Message(**{"text": "Starting soon: Proteins", "title": "Proteins",
                      "kind": "reminder", "key": key, "starts_at": NOW + timedelta(hours=1),
                      "context": f"Colloquium · {TALK_ID}", **fields})


def action_ids(payload: dict) -> list[str]:
    return [element.get("action_id", "") for block in payload.get("blocks") or []
            if block["type"] == "actions" for element in block["elements"]]


async def test_a_dm_is_opened_once_per_member_and_posted_there(make_adapter, fake):
    adapter = make_adapter()
    first = await adapter.send(ANA, reminder(key="lectern-1"))
    second = await adapter.send(ANA, reminder(key="lectern-2"))
    other = await adapter.send(BEN, reminder(key="lectern-3"))
    await adapter.send(C1, reminder(key="lectern-4"))  # a channel needs no DM
    assert [call["users"] for call in fake.called("conversations.open")] == [
        "U0ANA", "U0BEN"]
    ana, ben = fake.dms["U0ANA"], fake.dms["U0BEN"]
    assert ana.startswith("D") and ana != ben
    assert [p["channel"] for p in fake.posted] == [ana, ana, ben, "C1"]
    assert (first.channel, first.id) == (ANA, fake.posted[0]["_ts"])
    assert (second.id, other.channel) == (fake.posted[1]["_ts"], BEN)


async def test_a_dm_carries_the_delivery_key_and_renders_as_in_a_channel(make_adapter,
                                                                         fake):
    adapter = make_adapter()
    await adapter.send(ANA, reminder())
    await adapter.send(C1, reminder())
    in_dm, in_channel = fake.posted
    assert in_dm["metadata"] == metadata("lectern-7")
    assert {k: v for k, v in in_dm.items() if k not in ("channel", "_ts")} == {
        k: v for k, v in in_channel.items() if k not in ("channel", "_ts")}


async def test_remind_me_is_not_offered_in_a_dm(make_adapter, fake):
    adapter = make_adapter()
    moved = reminder(kind="updated", text="Rescheduled: Proteins")
    await adapter.send(C1, moved)
    await adapter.send(ANA, moved)
    in_channel, in_dm = fake.posted
    assert f"remind:{TALK_ID}" in action_ids(in_channel)  # the channel still gets it
    assert not any(a.startswith("remind:") for a in action_ids(in_dm))
    assert in_dm["text"] == in_channel["text"]


async def test_a_new_adapter_finds_the_same_dm(make_adapter, fake):
    await make_adapter().send(ANA, reminder(key="lectern-1"))
    await make_adapter().send(ANA, reminder(key="lectern-2"))  # after a restart
    assert len(fake.called("conversations.open")) == 2
    assert {p["channel"] for p in fake.posted} == {fake.dms["U0ANA"]}


async def test_two_sends_at_once_open_the_dm_once(make_adapter, fake):
    adapter = make_adapter()
    await asyncio.gather(*(adapter.send(ANA, reminder(key=f"lectern-{n}"))
                           for n in range(3)))
    assert len(fake.called("conversations.open")) == 1 and len(fake.posted) == 3


async def test_a_dm_is_paced_like_a_channel(make_adapter, fake, sleeper):
    adapter = make_adapter()
    for n in range(5):
        await adapter.send(ANA, reminder(key=f"lectern-{n}"))
    await adapter.send(BEN, reminder(key="lectern-9"))  # another member: their own pace
    assert len(sleeper.waits) == 2 and all(0.9 < w <= 1.0 for w in sleeper.waits)


async def test_a_dm_posted_before_a_crash_is_found_in_the_dms_history(make_adapter, fake,
                                                                      clock):
    claimed = clock.now()
    first = await make_adapter().send(ANA, reminder())  # the run that died had posted it
    clock.advance(timedelta(minutes=3))
    again = await make_adapter().send(ANA, reminder(maybe_sent_since=claimed))
    assert again == first and len(fake.posted) == 1
    [query] = fake.called("conversations.history")
    assert query["channel"] == fake.dms["U0ANA"]


async def test_a_dm_not_posted_before_the_crash_is_posted_once(make_adapter, fake, clock):
    await make_adapter().send(C1, reminder())  # the same key in a channel is not this post
    sent = await make_adapter().send(ANA, reminder(maybe_sent_since=clock.now()))
    assert [p["channel"] for p in fake.posted] == ["C1", fake.dms["U0ANA"]]
    assert sent.id == fake.posted[-1]["_ts"]


@pytest.mark.parametrize(("status", "error"), [(500, None), (200, "internal_error"),
                                               (0, None)])
async def test_a_dm_slack_took_before_failing_is_not_posted_again(make_adapter, fake,
                                                                  status, error):
    fake.answer("chat.postMessage", status=status, error=error, accepted=True)
    sent = await make_adapter().send(ANA, reminder())
    [payload] = fake.posted
    assert sent.id == payload["_ts"] and payload["channel"] == fake.dms["U0ANA"]
    [query] = fake.called("conversations.history")
    assert query["channel"] == fake.dms["U0ANA"]


async def test_without_im_history_a_dm_is_posted_again_and_the_scope_named(
        make_adapter, fake, clock, caplog):
    claimed = clock.now()
    await make_adapter().send(ANA, reminder())
    fake.im_history = False  # installed before the scope was in the manifest
    with caplog.at_level(logging.WARNING, logger="adapters.slack.recall"):
        await make_adapter().send(ANA, reminder(maybe_sent_since=claimed))
    assert len(fake.posted) == 2  # at least once
    [warning] = [r.getMessage() for r in caplog.records]
    assert fake.dms["U0ANA"] in warning and "im:history" in warning
    assert "channels:history" not in warning


@pytest.mark.parametrize(("user", "setup", "code", "advice"), [
    ("U0BOT", {"users": {"U0BOT": {"is_bot": True}}}, "cannot_dm_bot", "person's account"),
    ("U0OLD", {"users": {"U0OLD": {"deleted": True}}}, "user_disabled", "reactivate"),
    ("not-a-member", {}, "user_not_found", "left the workspace"),
    ("U0HID", {"dm_errors": {"U0HID": "user_not_visible"}}, "user_not_visible",
     "workspace admin can lift it"),
    ("W0EXT", {"dm_errors": {"W0EXT": "invalid_user_combination"}},
     "invalid_user_combination", "invited to a channel they are in"),
    ("U0ANA", {"im_write": False}, "missing_scope", "reinstall it from "
     "examples/slack-manifest.yml"),
])
async def test_a_member_slack_will_not_let_the_app_reach_is_a_permanent_error(
        make_adapter, fake, user, setup, code, advice):
    for name, value in setup.items():
        setattr(fake, name, value)
    adapter = make_adapter()
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(ChannelRef.to_user("slack", user), reminder())
    assert raised.value.permanent
    assert f"({code})" in str(raised.value) and advice in str(raised.value)
    assert fake.called("chat.postMessage") == []  # nothing posted anywhere else instead
    assert len(fake.called("conversations.open")) == 1  # not retried


async def test_a_messages_tab_turned_off_is_a_permanent_error_saying_what_to_do(
        make_adapter, fake):
    fake.messages_tab = False
    with pytest.raises(DeliveryError) as raised:
        await make_adapter().send(ANA, reminder())
    assert raised.value.permanent and "(messages_tab_disabled)" in str(raised.value)
    assert "Messages Tab" in str(raised.value) and "messages_tab_enabled" in str(raised.value)
    assert len(fake.called("chat.postMessage")) == 1 and fake.posted == []


async def test_after_a_refused_dm_the_next_send_asks_slack_afresh(make_adapter, fake):
    adapter = make_adapter()
    await adapter.send(ANA, reminder(key="lectern-1"))
    fake.channel_errors[fake.dms["U0ANA"]] = "channel_not_found"
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(ANA, reminder(key="lectern-2"))
    assert raised.value.permanent and "direct messages with this member" in str(raised.value)
    assert "/invite" not in str(raised.value)  # a channel's advice would mislead here
    fake.channel_errors.clear()  # the member asks again once it is fixed
    await adapter.send(ANA, reminder(key="lectern-3"))
    assert len(fake.called("conversations.open")) == 2 and len(fake.posted) == 2


@pytest.mark.parametrize(("status", "retry_after", "waits"), [(500, None, [1.0]),
                                                              (0, None, [1.0]),
                                                              (429, 3, [3.0])])
async def test_opening_a_dm_rides_out_slacks_hiccups(make_adapter, fake, sleeper, status,
                                                     retry_after, waits):
    fake.answer("conversations.open", status=status, retry_after=retry_after)
    await make_adapter().send(ANA, reminder())
    assert len(fake.called("conversations.open")) == 2 and len(fake.posted) == 1
    assert sleeper.waits == waits


async def test_a_slack_that_keeps_failing_to_open_a_dm_is_retried_later_not_paused(
        make_adapter, fake):
    fake.answer("conversations.open", times=10, status=503)
    with pytest.raises(DeliveryError) as raised:
        await make_adapter().send(ANA, reminder())
    assert not raised.value.permanent and "HTTP 503" in str(raised.value)
    assert fake.posted == []


async def test_mentions_stay_neutralised_in_a_dm(make_adapter, fake):
    hostile = "<!channel> @here <@U0BEN> <#C9> <https://evil.example|click> &lt;"
    await make_adapter().send(ANA, reminder(title=f"Proteins {hostile}", text=hostile,
                                            body=hostile, context=hostile,
                                            link="https://example.org/talk"))
    [payload] = fake.posted
    assert payload["channel"] == fake.dms["U0ANA"]
    assert "link_names" not in payload and "parse" not in payload
    texts = [payload["text"]] + [t["text"] for t in _mrkdwn(payload["blocks"])]
    for text in texts:
        assert "<!" not in text and "<@" not in text and "<#" not in text
        assert "<https://evil" not in text
    assert all(t.get("verbatim") for t in _mrkdwn(payload["blocks"]))


def _mrkdwn(node) -> list[dict]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == "mrkdwn" else []
        return found + [t for value in node.values() for t in _mrkdwn(value)]
    if isinstance(node, list):
        return [t for value in node for t in _mrkdwn(value)]
    return []


async def click(adapter, fake, action_id: str, value: str, user: str, name: str) -> dict:
    """A member clicks one of lectern's buttons in C1; return lectern's answer."""
    payload = {"type": "block_actions", "user": {"id": user, "username": user.lower()},
               "team": {"id": "T1"}, "channel": {"id": "C1"}, "api_app_id": "A1",
               "token": "legacy", "trigger_id": "1.2.3", "response_url":
               fake.response_url(name), "container": {"type": "message"},
               "actions": [{"action_id": action_id, "block_id": "b", "type": "button",
                            "value": value, "action_ts": "1"}]}
    body = urlencode({"payload": json.dumps(payload)})
    status, _ = await post(adapter, body, sign(body, adapter.clock.now()))
    assert status == 200
    await fake.wait_for(lambda: any(r["_url"] == name for r in fake.responses))
    return next(r for r in fake.responses if r["_url"] == name)


async def test_remind_me_in_a_channel_brings_the_reminder_to_the_members_dm(
        http_adapter, fake, store):
    store.add_subscription("slack:C1", "proteins", "talks", "U1", NOW - timedelta(hours=1))
    start = NOW + timedelta(days=2)
    talk = Talk(key="a", title="Proteins", source="dept", start=start,
                end=start + timedelta(hours=1), speakers=["Grace Hopper"])
    plan_new_items(store, UpsertResult(), store.upsert_talks("dept", [talk], NOW), NOW, ZONE)
    await dispatch_due(store, {"slack": http_adapter}, NOW, ZONE)
    [announcement] = fake.posted
    [remind] = [a for a in action_ids(announcement) if a.startswith("remind:")]
    answer = await click(http_adapter, fake, remind, remind.removeprefix("remind:"),
                         "U0ANA", "r1")
    assert answer["response_type"] == "ephemeral" and "remind you" in answer["text"]
    assert fake.called("conversations.open") == []  # nothing is sent to Ana yet
    report = await dispatch_due(store, {"slack": http_adapter},
                                start - timedelta(minutes=15), ZONE)
    assert "slack:@U0ANA" in {entry["channel"] for entry in report.sent}
    [dm] = [p for p in fake.posted if p["channel"] == fake.dms.get("U0ANA")]
    assert "Proteins" in dm["text"] and dm["metadata"]["event_payload"]["key"]
    assert not any(a.startswith("remind:") for a in action_ids(dm))
