"""Round 3 of attacks on slash commands, as a careless or hostile member types them: numbers
longer than Python's int() reads, blobs said back in refusals, text past a parameter's
declared length on the platforms that do not enforce it (Slack, the console), a paste of a
hundred talks, digits of other scripts, and zone names that are no place's clock. Each is
answered with one short line saying what to type, and nothing is half-stored.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from adapters.console import ConsoleAdapter
from adapters.discord.commands import _autocomplete
from adapters.discord.embeds import render as discord_render
from adapters.discord.events import payload
from adapters.discord.options import Option
from adapters.slack.blocks import render as slack_render
from adapters.text import to_text
from bot.chat import Button, ChannelRef, Invocation, Message, Reply, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.models import Paper, Talk
from bot.render import render_talk
from bot.scheduled_events import EventSpec
from bot.settings import Settings
from tests.conftest import NOW
from tests.reliability.commandworld import refused_briefly

DIGITS = "1" * 5000  # past int()'s 4,300-digit limit
BLOB = "A" * 10_000


async def say(registry, line: str, *, manager: bool = True) -> Reply:
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef("slack", "C1"),
                                              UserRef("U1", "ann"), manager))


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


ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EVIL = "Evil \x1b]0;PWNED\x07\x1b[2J\x1b[31mRED\r title \u202egpj.exe\x00 \u2066x\u2069 \x9b2J"


def _hostile_message() -> Message:
    item = Message(text=f"{EVIL}\nAda {EVIL}", title=EVIL, link="https://example.org/p",
                   body=EVIL, fields=[("Speaker", EVIL), ("Where", EVIL)], context=EVIL,
                   buttons=[Button(EVIL, "https://example.org/pdf")], kind="paper",
                   vote_on="arxiv:2401.00001")
    return Message(text=EVIL, title=EVIL, items=[item, item], kind="list")


def _slack_strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for value in node.values() for s in _slack_strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _slack_strings(value)]
    return [node] if isinstance(node, str) else []


@pytest.mark.parametrize("message", [_hostile_message(), _hostile_message().items[0]])
def test_controls_and_direction_overrides_reach_no_platform(message):
    text, blocks = slack_render(message)
    rendered = discord_render(message, NOW)
    event = payload(EventSpec(EVIL, EVIL, EVIL, None, NOW, NOW + timedelta(hours=1), "t-1"))
    shown = [text, *_slack_strings(blocks), rendered.content or "", to_text(message),
             *_slack_strings(rendered.embed.to_dict() if rendered.embed else {}),
             *(label for label, _ in rendered.buttons + rendered.votes),
             *_slack_strings(event)]
    for string in shown:
        assert not ACTING.search(string), repr(string)
    assert any("RED" in string for string in shown)


async def test_the_console_prints_a_hostile_title_without_its_escapes(store, clock):
    store.upsert_papers([Paper(id="arxiv:2611.99999", title=EVIL, abstract=EVIL, source="evil",
                                       authors=[EVIL], url="https://example.org/p",
                                       published=clock.now())], clock.now())
    out = io.StringIO()
    console = ConsoleAdapter(build_registry(BotContext(store=store, clock=clock,
                                                       settings=Settings())), out=out)
    reply = await console.handle_line("/papers search evil")
    assert reply is not None and not reply.refused, reply.message.text
    assert "RED" in out.getvalue() and not ACTING.search(out.getvalue())


@pytest.mark.parametrize("typed, zone", [
    ("Europe/London\u200b", "Europe/London"), ("\ufeffUTC", "UTC"),
    ("\u202eEurope/Paris", "Europe/Paris"), ("ＵＴＣ＋８", "Etc/GMT-8"),
    ("UTC\u22125", "Etc/GMT+5"), ("UTC\u20135", "Etc/GMT+5"), ("São Paulo", "America/Sao_Paulo"),
    ("İstanbul", "Asia/Istanbul"), ("ZÜRICH", "Europe/Zurich")])
async def test_a_zone_as_a_phone_or_a_paste_spells_it_is_read(registry, store, typed, zone):
    reply = await say(registry, f"/settings timezone {typed}")
    assert not reply.refused, reply.message.text
    assert store.get_channel("slack:C1").timezone == zone


@pytest.mark.parametrize("line, check", [
    ("/settings digest ０９：３０", lambda c: c.digest_time == "09:30"),
    ("/settings digest 09\u200b:30", lambda c: c.digest_time == "09:30"),
    ("/settings reminders １ｄ,１５ｍ", lambda c: c.reminder_offsets == (1440, 15)),
    ("/settings reminders 1d\u200b", lambda c: c.reminder_offsets == (1440,))])
async def test_times_as_a_phone_or_a_paste_spells_them_are_read(registry, store, line, check):
    reply = await say(registry, line)
    assert not reply.refused, reply.message.text
    assert check(store.get_channel("slack:C1"))


@pytest.mark.parametrize("start", ["9999-12-31T23:30:00+00:00", "0001-01-01T00:30:00+00:00"])
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12", "America/New_York"])
def test_a_talk_at_the_edge_of_time_renders_in_every_zone(start, zone):
    moment = datetime.fromisoformat(start)
    message = render_talk("talk-1", Talk(key="k", title="Edge", source="s", start=moment,
                                         end=moment.replace(minute=59)), zone)
    assert "Edge" in to_text(message) and "2026" not in message.text
    slack_render(message)
    discord_render(message, NOW)


@pytest.mark.parametrize("url", ["https://example\u200b.org/feed.xml",
                                 "https://example.org/feed\u2060.xml",
                                 "https://\ufeffexample.org/feed.xml",
                                 "https://example.org/\u202efeed.xml"])
async def test_a_source_address_with_an_invisible_character_is_refused(registry, store, url):
    refused_briefly(await say(registry, f"/sources add rss {url}"))
    assert [s for s in store.list_sources() if s.kind == "rss"] == []


async def test_an_unknown_setting_names_every_setting_there_is(registry):
    reply = await say(registry, "/settings recommended on")
    refused_briefly(reply)
    for name in ("digest-size", "discord-events", "resume", "/subscribe recommended"):
        assert name in reply.message.text


async def test_discord_choices_for_a_talk_with_lines_in_its_title_are_one_line():
    def suggest(kind, channel):
        return [("talk-1", f"Mon 23 Nov · Graphs\n\tpart two\x1b[2J {EVIL}"), ("talk-2", "\n\t")]
    complete = _autocomplete(Option("talk", True, "a talk", suggest="talks"), suggest)
    found = await complete(SimpleNamespace(channel_id=1), "")
    assert [c.value for c in found] == ["talk-1", "talk-2"]
    for choice in found:
        assert 0 < len(choice.name) <= 100 and "\n" not in choice.name and "\t" not in choice.name
        assert not ACTING.search(choice.name)
    assert found[1].name == "talk-2"


@pytest.mark.parametrize("typed", ["{id}", "{ID}", "`{id}`", '"{ID}"', "{Id}.", "({id}),"])
async def test_a_talk_id_as_a_phone_or_a_paste_gives_it_is_found(registry, typed):
    added = await say(registry, "/seminars add Title: Graphs\nSpeaker: Ada\n"
                                "Date: 2026-12-10 15:00", manager=False)
    talk = added.message.text.split("\n")[1].split()[0]
    shown = typed.format(id=talk, ID=talk.upper(), Id=talk.capitalize())
    reply = await say(registry, f"/remind {shown} 1h", manager=False)
    assert not reply.refused, reply.message.text
    assert "1h before" in reply.message.text
    reply = await say(registry, f"/remind cancel {shown}", manager=False)
    assert not reply.refused, reply.message.text


@pytest.mark.parametrize("typed", ["`2611.00001`", "2611.00001.", '"arxiv:2611.00001"',
                                   "(2611.00001),"])
async def test_a_paper_id_in_backticks_or_a_sentence_is_found(registry, store, clock, typed):
    store.upsert_papers([Paper(id="arxiv:2611.00001", title="Pruning", source="arxiv",
                               arxiv_id="2611.00001", published=clock.now())], clock.now())
    reply = await say(registry, f"/papers vote {typed} up", manager=False)
    assert not reply.refused, reply.message.text


async def test_a_wrong_vote_word_is_answered_with_a_whole_example(registry):
    reply = await say(registry, "/papers vote 2611.00001 👍", manager=False)
    refused_briefly(reply)
    assert "/papers vote arxiv:2310.06825 up" in reply.message.text
