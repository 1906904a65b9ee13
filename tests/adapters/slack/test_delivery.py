"""The core's dispatcher sending through the Slack adapter to the fake Web API: ts stored on
each delivery, follow-ups threaded under the talk's announcement, and a removed bot pausing
its channel (shown in /subscriptions) without a retry loop."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from bot.chat import ChannelRef, Invocation, UserRef
from bot.models import ANNOUNCE_NEW, TALK_CANCELLED, Paper, Talk, TalkChanges, UpsertResult
from jobs.dispatch import DispatchReport, channel_senders, dispatch_due
from jobs.planner import plan_new_items
from tests.conftest import NOW

ZONE = "Europe/London"


def paper(n: int) -> Paper:
    return Paper(id=f"arxiv:2611.{n:05d}", title=f"Diffusion paper {n}", source="arxiv",
                 url=f"https://arxiv.org/abs/2611.{n:05d}", abstract="We diffuse.",
                 authors=["Ada Lovelace"], categories=["cs.LG"], announce_type=ANNOUNCE_NEW,
                 published=NOW, pdf_url=f"https://arxiv.org/pdf/2611.{n:05d}")


def store_papers(store, *papers: Paper, now=NOW) -> None:
    result = store.upsert_papers(papers, now)
    plan_new_items(store, result, TalkChanges(), now, ZONE)


async def test_each_sent_message_ts_is_stored_on_its_delivery(make_adapter, fake, store):
    adapter = make_adapter()
    store.add_subscription("slack:C1", "diffusion", "all", "U1", NOW - timedelta(hours=1))
    store_papers(store, paper(1))
    report = await dispatch_due(store, {"slack": adapter}, NOW, ZONE)
    assert [entry["item_id"] for entry in report.sent] == ["arxiv:2611.00001"]
    [payload] = fake.posted
    [row] = store.deliveries_for("paper", "arxiv:2611.00001")
    assert row.sent_ref == payload["_ts"] and row.status == "sent"
    section = payload["blocks"][0]["text"]["text"]
    assert "<https://arxiv.org/abs/2611.00001|Diffusion paper 1>" in section
    assert "matched: diffusion" in payload["blocks"][-2]["elements"][0]["text"]


async def test_a_talks_reminder_and_cancellation_thread_under_its_announcement(
        make_adapter, fake, store):
    adapter = make_adapter()
    store.add_subscription("slack:C1", "proteins", "talks", "U1", NOW - timedelta(hours=1))
    start = NOW + timedelta(days=2)
    talk = Talk(key="a", title="Proteins", source="dept", start=start,
                end=start + timedelta(hours=1), speakers=["Grace Hopper"], location="Room 1")
    plan_new_items(store, UpsertResult(), store.upsert_talks("dept", [talk], NOW), NOW, ZONE)
    await dispatch_due(store, {"slack": adapter}, NOW, ZONE)
    [announcement] = fake.posted
    assert any(e.get("action_id", "").startswith("remind:talk-")
               for b in announcement["blocks"] if b["type"] == "actions"
               for e in b["elements"])
    at = start - timedelta(hours=24)
    await dispatch_due(store, {"slack": adapter}, at, ZONE)
    reminder = fake.posted[-1]
    assert reminder["thread_ts"] == announcement["_ts"] and reminder["reply_broadcast"]
    assert "<!date^" in str(reminder["blocks"])
    changes = store.upsert_talks("dept", [replace(talk, status=TALK_CANCELLED)], at)
    plan_new_items(store, UpsertResult(), changes, at, ZONE)
    await dispatch_due(store, {"slack": adapter}, at + timedelta(minutes=1), ZONE)
    cancelled = fake.posted[-1]
    assert cancelled["thread_ts"] == announcement["_ts"]
    assert cancelled["text"].startswith("Cancelled: Proteins")


async def test_a_removed_bot_pauses_the_channel_once(make_adapter, fake, store, registry):
    adapter = make_adapter()
    for channel in ("slack:CGONE", "slack:C1"):
        store.add_subscription(channel, "diffusion", "all", "U1", NOW - timedelta(hours=1))
    fake.channel_errors["CGONE"] = "not_in_channel"
    store_papers(store, paper(1), paper(2))
    report = await dispatch_due(store, {"slack": adapter}, NOW, ZONE)
    assert {e["channel"] for e in report.failed} == {"slack:CGONE"}
    assert len(texts := [p for p in fake.posted if p["channel"] == "C1"]) == 2, texts
    tries = len(fake.called("chat.postMessage"))
    assert "not in this channel" in store.get_channel("slack:CGONE").paused_reason
    # Later papers wait; nothing is tried again until the channel is fixed.
    store_papers(store, paper(3), now=NOW + timedelta(minutes=5))
    await dispatch_due(store, {"slack": adapter}, NOW + timedelta(hours=1), ZONE)
    assert [c for c in fake.called("chat.postMessage")[tries:]
            if c["channel"] == "CGONE"] == []
    reply = await registry.dispatch(Invocation("subscriptions", "", ChannelRef(
        "slack", "CGONE"), UserRef("U1", "ana")))
    assert "paused" in reply.message.text and "invite" in reply.message.text


async def test_a_refused_bot_token_pauses_no_channel_and_all_goes_out_after_a_restart(
        make_adapter, fake, store):
    adapter = make_adapter()
    channels = ["slack:C1", "slack:C2", "slack:C3"]
    for channel in channels:
        store.add_subscription(channel, "diffusion", "all", "U1", NOW - timedelta(hours=1))
    store_papers(store, paper(1), paper(2))
    fake.answer("chat.postMessage", error="invalid_auth", times=10)
    refused: dict[str, str] = {}
    for _ in range(2):  # the next sweep of the same run sends nothing to Slack
        senders = channel_senders(store, {"slack": adapter}, NOW, ZONE, DispatchReport(),
                                  refused=refused)
        await asyncio.gather(*senders.values())
    assert list(refused) == ["slack"] and "invalid_auth" in refused["slack"]
    assert len(fake.called("chat.postMessage")) == 3  # one refusal per channel, no more
    assert not any(store.get_channel(c).paused_reason for c in channels)
    assert {row.status for row in store.delivery_history()} == {"pending"}

    fake.script.clear()  # the operator fixed the token and restarted lectern
    await dispatch_due(store, {"slack": adapter}, NOW, ZONE)
    assert {row.status for row in store.delivery_history()} == {"sent"}
    assert {p["channel"] for p in fake.posted} == {"C1", "C2", "C3"}
