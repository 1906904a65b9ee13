"""Direct messages (personal reminders) through `send` against the fake Discord: the DM
channel is opened once per member and the post goes there with its nonce and no mentions,
no "Remind me" in a reminder that is already personal, a member who takes no DMs (or an
unknown user) is a permanent failure saying what to do, opening a DM counts against the
global limit, and channels are sent to as before. End to end: "Remind me" clicked in a
channel, the real core plans the reminder, the dispatcher delivers it as a DM."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.discord.adapter import nonce_for
from bot.chat import Button, ChannelRef, DeliveryError, Message
from jobs.dispatch import dispatch_due
from tests.adapters.discord.conftest import interact
from tests.adapters.discord.payloads import CHANNEL, MEMBER_ID, button, option, posted, slash
from tests.conftest import NOW
from tests.ratelimits import DiscordLimits

OTHER_MEMBER = "1200000000000000044"
TO_MEMBER = ChannelRef.to_user("discord", MEMBER_ID)
HERE = ChannelRef("discord", CHANNEL)
START = NOW + timedelta(hours=2)


def reminder(key: str = "reminder-1") -> Message:
    return Message(text="Starts in 15 minutes: Compilers for Everyone",
                   title="Compilers for Everyone", kind="reminder", starts_at=START,
                   ends_at=START + timedelta(hours=1), fields=[("Where", "Room 1")],
                   context="Colloquium · talk-0123456789ab",
                   buttons=[Button("Details", "https://example.org/talk")], key=key)


def opened(fake) -> list:
    return fake.calls_to("POST", "/users/@me/channels")


def posts(fake, channel: str) -> list:
    return fake.calls_to("POST", f"/channels/{channel}/messages")


async def test_a_dm_is_opened_once_per_member_and_posted_there(adapter, fake, time):
    first = await adapter.send(TO_MEMBER, reminder("r-1"))
    second = await adapter.send(TO_MEMBER, reminder("r-2"))
    [opening] = opened(fake)
    assert opening.body == {"recipient_id": int(MEMBER_ID)}
    dm = fake.dms[MEMBER_ID]
    assert dm not in (MEMBER_ID, CHANNEL)
    bodies = [call.body for call in posts(fake, dm)]
    assert [b["nonce"] for b in bodies] == [nonce_for("r-1"), nonce_for("r-2")]
    assert all(b["enforce_nonce"] is True and b["allowed_mentions"] == {"parse": []}
               for b in bodies)
    assert bodies[0]["embeds"][0]["title"] == "Compilers for Everyone"
    assert [first.id, second.id] == [m["id"] for m in fake.created[dm]]
    assert first.channel == TO_MEMBER  # the core keeps its own address, not the DM's
    assert time.slept == [1.0]  # the DM channel is paced like any channel
    assert [c.path for c in fake.calls if c.method == "POST"] == [
        "/users/@me/channels", f"/channels/{dm}/messages", f"/channels/{dm}/messages"]

    await adapter.send(ChannelRef.to_user("discord", OTHER_MEMBER), reminder("r-3"))
    assert [c.body["recipient_id"] for c in opened(fake)] == [int(MEMBER_ID),
                                                              int(OTHER_MEMBER)]
    assert fake.dms[OTHER_MEMBER] != dm and len(posts(fake, fake.dms[OTHER_MEMBER])) == 1
    assert not fake.rejected


async def test_a_reminder_in_a_dm_offers_no_remind_me_but_one_in_a_channel_does(adapter,
                                                                                fake):
    await adapter.send(TO_MEMBER, reminder("r-dm"))
    await adapter.send(HERE, reminder("r-channel"))

    def buttons(body) -> list[dict]:
        return [item for row in body.get("components") or [] for item in row["components"]]

    [in_dm] = posts(fake, fake.dms[MEMBER_ID])
    [in_channel] = posts(fake, CHANNEL)
    assert [b.get("url") for b in buttons(in_dm.body)] == ["https://example.org/talk"]
    assert not any("custom_id" in b for b in buttons(in_dm.body))
    assert [b.get("custom_id") for b in buttons(in_channel.body)] == [
        None, "remind:talk-0123456789ab"]


async def test_a_member_refusing_dms_is_permanent_and_says_what_to_do(adapter, fake):
    fake.refuse_dms(MEMBER_ID)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(TO_MEMBER, reminder())
    error = raised.value
    assert error.permanent
    text = str(error)
    assert MEMBER_ID in text and "Cannot send messages to this user" in text
    assert "code 50007" in text
    assert "allow direct messages from server members" in text and "Privacy" in text
    assert "View Channel" not in text  # not the advice for a channel lectern cannot see
    assert len(posts(fake, fake.dms[MEMBER_ID])) == 1  # tried once, not retried
    sent = await adapter.send(HERE, reminder("r-channel"))  # channels are unaffected
    assert sent.id == fake.created[CHANNEL][0]["id"]


async def test_an_unknown_user_is_permanent_and_nothing_is_posted(adapter, fake):
    fake.unknown_users.add(OTHER_MEMBER)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(ChannelRef.to_user("discord", OTHER_MEMBER), reminder())
    assert raised.value.permanent
    assert "Unknown User" in str(raised.value) and "code 10013" in str(raised.value)
    assert len(opened(fake)) == 1
    assert not [c for c in fake.calls if c.path.endswith("/messages")]


async def test_a_dm_channel_discord_no_longer_knows_is_opened_again(adapter, fake):
    await adapter.send(TO_MEMBER, reminder("r-1"))
    dm = fake.dms[MEMBER_ID]
    fake.answer(dm, 404, {"message": "Unknown Channel", "code": 10003})
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(TO_MEMBER, reminder("r-2"))
    assert not raised.value.permanent  # worth a retry: the next try reopens it
    await adapter.send(TO_MEMBER, reminder("r-2"))
    assert len(opened(fake)) == 2 and len(fake.created[dm]) == 2


@pytest.mark.parametrize("address", ["@", "@general", "@12 34", "user-ada"])
async def test_an_address_that_names_no_member_is_permanent(adapter, fake, address):
    before = len(fake.calls)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(ChannelRef("discord", address), reminder())
    assert raised.value.permanent and "member" in str(raised.value)
    assert len(fake.calls) == before


async def test_the_older_user_prefix_reaches_the_same_dm(adapter, fake):
    await adapter.send(ChannelRef("discord", f"user-{MEMBER_ID}"), reminder("r-1"))
    await adapter.send(TO_MEMBER, reminder("r-2"))
    assert len(opened(fake)) == 1  # the same member: the DM opened once, then reused
    assert len(fake.created[fake.dms[MEMBER_ID]]) == 2


async def test_opening_dms_counts_against_the_global_limit(adapter, fake, time):
    """60 members, each a DM to open and a post: 120 requests, past 50 a second unless
    the openings take their turn with the posts (the fake reads the same moved clock)."""
    fake.limits = DiscordLimits(now=time.monotonic)
    for n in range(60):
        await adapter.send(ChannelRef.to_user("discord", str(1300000000000000100 + n)),
                           reminder(f"r-{n}"))
    assert fake.limits.refused == []
    assert len(opened(fake)) == 60 and len(fake.limits.accepted) == 60


async def test_remind_me_ends_as_a_dm_to_the_member_who_clicked(adapter, fake, seeded):
    [(talk_id, talk)] = seeded.list_talks()
    remind = {"type": 2, "style": 2, "label": "Remind me", "custom_id": f"remind:{talk_id}"}
    click = button(remind["custom_id"], posted(components=[{"type": 1,
                                                            "components": [remind]}]))
    answer = await interact(adapter, fake, click)
    assert answer.ephemeral and "remind you" in str(answer.data)
    due = talk.start - timedelta(minutes=15)
    early = await dispatch_due(seeded, {"discord": adapter}, due - timedelta(minutes=1), "UTC")
    assert not early.sent and not opened(fake)
    report = await dispatch_due(seeded, {"discord": adapter}, due, "UTC")
    assert len(report.sent) == 1 and not report.failed
    [opening] = opened(fake)
    assert opening.body == {"recipient_id": int(MEMBER_ID)}  # the member who clicked
    [post] = posts(fake, fake.dms[MEMBER_ID])
    assert "Compilers for Everyone" in str(post.body["embeds"])
    assert "remind:" not in str(post.body.get("components"))
    assert not posts(fake, CHANNEL)


async def test_slash_remind_takes_a_talk_and_how_long_before(adapter, fake, seeded):
    ask = adapter.tree.get_command("remind").get_command("talk")
    assert [(p.name, p.required) for p in ask.parameters] == [("talk", True),
                                                              ("before", False)]
    [(talk_id, _)] = seeded.list_talks()
    answer = await interact(adapter, fake, slash("remind talk", [
        option("talk", talk_id), option("before", "1h")]))
    assert answer.ephemeral and "1h before" in str(answer.data)
    listed = await interact(adapter, fake, slash("remind list"))
    assert listed.ephemeral and talk_id in str(listed.data)
