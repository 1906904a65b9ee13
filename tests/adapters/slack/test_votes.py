"""The taste loop through the real bolt app and a fake Slack: a digest posted with a ⋯
menu per paper, members' 👍/👎 clicks (menus and an announcement's buttons) become votes
answered only to them, the channel's model learns, the next digest comes in the order the
votes taught, and a restart keeps the model."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlencode

from bot.models import TalkChanges, UpsertResult
from bot.taste import SETTLE, due
from jobs import taste
from jobs.dispatch import dispatch_due
from jobs.planner import plan_new_items
from storage.store import Store
from tests.adapters.slack.conftest import post, sign
from tests.tasteworld import mixed_day

CHANNEL = "slack:C1"
ZONE = "UTC"


async def click(adapter, fake, action: dict, user: str) -> dict:
    """A member clicks one of lectern's vote controls; lectern's private answer."""
    name = f"v{len(fake.responses) + 1}"
    payload = {"type": "block_actions", "user": {"id": user, "username": user},
               "team": {"id": "T1"}, "channel": {"id": "C1"}, "api_app_id": "A1",
               "token": "legacy", "trigger_id": "1.2.3", "response_url":
               fake.response_url(name), "container": {"type": "message"},
               "actions": [{"block_id": "b", "action_ts": "1", **action}]}
    body = urlencode({"payload": json.dumps(payload)})
    status, _ = await post(adapter, body, sign(body, adapter.clock.now()))
    assert status == 200
    await fake.wait_for(lambda: any(r["_url"] == name for r in fake.responses))
    return next(r for r in fake.responses if r["_url"] == name)


def menus(message: dict) -> list[dict]:
    return [b["accessory"] for b in message["blocks"]
            if b.get("accessory", {}).get("type") == "overflow"]


def titles(message: dict) -> list[str]:
    """The digest's paper entries, for a failure's message."""
    return [b["text"]["text"] for b in message["blocks"]
            if b.get("accessory", {}).get("type") == "overflow"]


async def digest_of(store, fake, adapter, papers, at) -> dict:
    store.upsert_papers(papers, at)
    plan_new_items(store, UpsertResult(new=[p.id for p in papers]), TalkChanges(), at, ZONE)
    posts = len(fake.posted)
    await dispatch_due(store, {"slack": adapter}, at.replace(hour=9) + timedelta(days=1),
                       ZONE)
    assert len(fake.posted) == posts + 1
    return fake.posted[-1]


async def test_votes_from_the_digest_teach_the_next_one(make_adapter, fake, store, clock,
                                                       tmp_path):
    adapter = make_adapter()
    await adapter.start()
    store.add_subscription(CHANNEL, "deep learning OR benchmark OR propose OR art",
                           "papers", "U0", clock.now())
    store.update_channel(CHANNEL, digest_time="09:00", digest_size=6)
    first = await digest_of(store, fake, adapter, mixed_day(clock.now(), 0, 4), clock.now())
    assert len(menus(first)) == 6
    posted = len(fake.posted)
    for menu in menus(first):
        up, down = menu["options"][-2:]  # after the PDF link: 👍, 👎
        choice = up if up["value"].split()[1] < "arxiv:2611.5" else down  # proteins: 👍
        answer = await click(adapter, fake, {"action_id": menu["action_id"],
                                             "type": "overflow", "selected_option": choice},
                             user="U2")
        assert answer["response_type"] == "ephemeral" and "Votes here" in answer["text"]
    assert len(fake.posted) == posted  # a vote never posts to the channel
    assert len(store.votes.tally(CHANNEL)) == 6
    clock.advance(timedelta(days=1))
    assert await taste.learn_due(store, clock.now()) == [CHANNEL]
    second = await digest_of(store, fake, adapter, mixed_day(clock.now(), 20, 6),
                             clock.now())
    liked_first = [m["options"][-2]["value"].split()[1] < "arxiv:2611.5"
                   for m in menus(second)]
    assert liked_first == [True] * 6, titles(second)
    store.close()
    again = Store.open(tmp_path / "lectern.db")
    assert not due(again, CHANNEL, clock.now() + SETTLE)  # the model survived: no retrain
    assert again.votes.model(CHANNEL).liked == 3


async def test_an_announcements_buttons_vote_for_the_member_who_clicked(http_adapter, fake,
                                                                        store, clock):
    store.add_subscription(CHANNEL, "deep learning", "papers", "U0", clock.now())
    [paper] = [p for p in mixed_day(clock.now(), 0, 1) if p.id < "arxiv:2611.5"]
    store.upsert_papers([paper], clock.now())
    plan_new_items(store, UpsertResult(new=[paper.id]), TalkChanges(), clock.now(), ZONE)
    await dispatch_due(store, {"slack": http_adapter}, clock.now(), ZONE)
    [actions] = [b for b in fake.posted[-1]["blocks"] if b["type"] == "actions"]
    up, down = [e for e in actions["elements"] if e["action_id"].startswith("vote:")]
    await click(http_adapter, fake, {**up, "type": "button"}, user="U2")
    answer = await click(http_adapter, fake, {**down, "type": "button"}, user="U3")
    assert "1 👍, 1 👎" in answer["text"] and answer["response_type"] == "ephemeral"
    tally = store.votes.tally(CHANNEL)[paper.id]
    assert (tally.up, tally.down) == (1, 1)
