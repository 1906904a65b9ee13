"""Round 3 of attacks on slash commands, as a careless or hostile member types them: numbers
longer than Python's int() reads, blobs said back in refusals, text past a parameter's
declared length on the platforms that do not enforce it (Slack, the console), a paste of a
hundred talks, digits of other scripts, and zone names that are no place's clock. Each is
answered with one short line saying what to type, and nothing is half-stored.
"""

from __future__ import annotations

import pytest

from bot.chat import ChannelRef, Invocation, Reply, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext, NoHooks
from bot.settings import Settings
from jobs.sources import announcement

CRASHED = "something went wrong on our side"
SHORT = 400  # a refusal is one line a member reads at a glance
DIGITS = "1" * 5000  # past int()'s 4,300-digit limit
BLOB = "A" * 10_000


class ReadingHooks(NoHooks):
    """The hooks `lectern run` gives commands, as far as /seminars add needs them."""

    def __init__(self) -> None:
        self.planned = 0

    def items_stored(self, papers, talks) -> None:
        self.planned += len(talks.new) + len(talks.updated)

    def read_announcement(self, text, *, source, timezone, now):
        return announcement.parse(text, source, timezone=timezone, now=now)


@pytest.fixture
def hooks():
    return ReadingHooks()


@pytest.fixture
def registry(store, clock, hooks):
    return build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                     hooks=hooks))


async def say(registry, line: str, *, manager: bool = True) -> Reply:
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef("slack", "C1"),
                                              UserRef("U1", "ann"), manager))


def refused_briefly(reply: Reply) -> None:
    assert reply.refused, reply.message.text
    assert CRASHED not in reply.message.text
    assert len(reply.message.text) < SHORT, reply.message.text[:300]
    assert "\n" not in reply.message.text


@pytest.mark.parametrize("line", [f"/settings reminders {DIGITS}m",
                                  f"/settings reminders 1d,{DIGITS}h",
                                  f"/subscribe recommended {DIGITS}",
                                  f"/subscribe recommended per-day {DIGITS}"])
async def test_a_number_longer_than_int_reads_is_refused_not_a_crash(registry, line):
    refused_briefly(await say(registry, line))


async def test_a_personal_reminder_with_a_huge_offset_is_refused(registry, store):
    added = await say(registry, "/seminars add Title: Graphs\nSpeaker: Ada\n"
                                "Date: 2026-12-10 15:00", manager=False)
    talk = added.message.text.split("\n")[1].split()[0]
    assert talk.startswith("talk-"), added.message.text
    refused_briefly(await say(registry, f"/remind {talk} {DIGITS}m", manager=False))


@pytest.mark.parametrize("line", [
    f"/settings timezone {BLOB}", f"/settings timezone {'ab ' * 3000}",
    f"/settings digest {BLOB}", f"/settings reminders {BLOB}", f"/remind {BLOB}",
    f"/remind cancel {BLOB}", f"/seminars share {BLOB[:90]}{'€' * 9}",
    f"/sources remove {BLOB}", f"/papers vote {BLOB} up", f"/papers similar {BLOB}",
    f"/{BLOB}", f"/help {BLOB}", f"/unsubscribe {BLOB}", f"/papers {BLOB}",
    f"/settings {BLOB}", f"/sources add {BLOB} https://example.org/feed.xml"])
async def test_a_blob_is_said_back_short(registry, line):
    refused_briefly(await say(registry, line))


async def test_typed_text_past_a_declared_length_is_refused_before_it_is_read(
        registry, store, hooks):
    paste = "Title: Graphs\nSpeaker: Ada\nDate: 2026-12-10 15:00\nAbstract: " + "word " * 2000
    refused_briefly(await say(registry, f"/seminars add {paste}", manager=False))
    url = "https://example.org/" + "a" * 2100 + ".xml"
    refused_briefly(await say(registry, f"/sources add rss {url}"))
    refused_briefly(await say(registry, f"/seminars share talk-{'0' * 120}"))
    assert store.list_talks(ending_after=None, limit=5) == []
    assert [s for s in store.list_sources() if s.kind == "rss"] == []
    assert hooks.planned == 0


def _schedule(count: int) -> str:
    return "".join(f"Title: Talk number {n}\nSpeaker: Ada\nDate: 2026-12-{1 + n % 28:02d} "
                   "15:00\n\n" for n in range(count))


async def test_a_paste_of_a_hundred_talks_is_refused_whole(registry, store, hooks):
    reply = await say(registry, f"/seminars add {_schedule(100)}", manager=False)
    refused_briefly(reply)
    assert "100 talks" in reply.message.text and "/sources add ical" in reply.message.text
    assert store.list_talks(ending_after=None, limit=5) == [] and hooks.planned == 0


async def test_a_term_of_talks_is_still_added(registry, store, hooks):
    reply = await say(registry, f"/seminars add {_schedule(20)}", manager=False)
    assert not reply.refused, reply.message.text
    assert hooks.planned == 20


async def test_a_paste_full_of_repeats_lists_a_few_warnings_not_all(registry):
    paste = "Title: Same\nSpeaker: Ada\nDate: 2026-12-10 15:00\n\n" * 80
    reply = await say(registry, f"/seminars add {paste}", manager=False)
    assert not reply.refused, reply.message.text
    said = reply.message.text.count("Not understood")
    assert 1 <= said <= 5 and "more lines not understood" in reply.message.text


@pytest.mark.parametrize("typed, stored", [("٠٩:٣٠", "09:30"), ("９:０５", "09:05"),
                                           ("۲۳:۵۹", "23:59")])
async def test_a_digest_time_in_other_digits_is_stored_in_ascii(registry, store, typed,
                                                                 stored):
    reply = await say(registry, f"/settings digest {typed}")
    assert not reply.refused, reply.message.text
    assert store.get_channel("slack:C1").digest_time == stored
    assert stored in reply.message.text


@pytest.mark.parametrize("zone", ["localtime", "Factory", "factory", "posixrules"])
async def test_a_zone_that_is_no_place_is_refused(registry, store, zone):
    refused_briefly(await say(registry, f"/settings timezone {zone}"))
    channel = store.get_channel("slack:C1")
    assert channel is None or channel.timezone is None
