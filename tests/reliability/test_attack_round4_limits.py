"""Round 4 of attacks, the limits: offsets past the ends of the clock, text that made a
pattern backtrack (a logged line, a refusal, a one-line paste) and a member asking for a
reminder of every talk there is. Each is answered at once, on one line, saying what to do.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from adapters.discord.embeds import stamps
from adapters.slack.mrkdwn import date_token
from bot.chat import ChannelRef, Invocation, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.commands.registry import error_reply
from bot.commands.remind import MAX_REMINDED_TALKS, target_of
from bot.models import Talk
from bot.redact import redact
from bot.render import when_line
from bot.settings import Settings
from tests.conftest import NOW
from tests.reliability.commandworld import ReadingHooks, refused_briefly
from tests.reliability.test_attack_round4 import ROOT, say


@pytest.fixture
def registry(store, clock):
    return build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                     hooks=ReadingHooks()))


# ── offsets past the ends of the clock ───────────────────────────────────────────────

@pytest.mark.parametrize("typed", ["UTC-13", "UTC-14", "GMT\u221213", "-14", "UTC+15"])
async def test_an_offset_no_zone_uses_is_refused_not_stored(registry, store, typed):
    refused_briefly(await say(registry, f"/settings timezone {typed}"))
    channel = store.get_channel("slack:C1")
    assert channel is None or channel.timezone is None


@pytest.mark.parametrize("typed, zone", [("UTC-12", "Etc/GMT+12"), ("UTC+14", "Etc/GMT-14")])
async def test_the_offsets_at_the_ends_of_the_clock_are_read(registry, store, typed, zone):
    reply = await say(registry, f"/settings timezone {typed}")
    assert not reply.refused, reply.message.text
    assert store.get_channel("slack:C1").timezone == zone


# ── a logged line that made the redactor backtrack ───────────────────────────────────
# (Bounds on this process's CPU time, so that a loaded machine does not fail them: the
# faults they guard cost seconds to hours of CPU.)

@pytest.mark.parametrize("text", ["?token" * 1_000, "&session" * 8_000 + "=",
                                  "?atoken=" + "a." * 30_000])
def test_redacting_a_hostile_line_takes_linear_time(text):
    """Every log record passes through redact(); 5 kB of `?token?token…` (a feed's title
    in a warning) took 15 s with the former pattern, 60 kB would have taken hours."""
    started = time.process_time()
    redact(text)
    assert time.process_time() - started < 1.0
    assert redact("GET /cal.ics?api_token=abc&x=1 HTTP/1.1") == \
        "GET /cal.ics?api_token=…&x=1 HTTP/1.1"


def test_a_refusal_of_a_line_with_a_huge_run_of_spaces_is_short_and_quick():
    started = time.process_time()
    text = error_reply("there is no talk 'a" + " " * 400_000 + "\u2028b'").message.text
    assert time.process_time() - started < 1.0
    assert text == "there is no talk 'a b'"


async def test_a_one_line_paste_of_spaces_is_answered_at_once(registry):
    """A one-line announcement is split before each `Label:`; the split was tried inside
    every run of spaces, and 6,000 of them took a second of the event loop."""
    started = time.process_time()
    reply = await say(registry, "/seminars add Title:" + " " * 5_900 + "x", manager=False)
    assert time.process_time() - started < 0.3
    refused_briefly(reply)


# ── a member asking for a reminder of every talk there is ────────────────────────────

async def test_a_member_holds_reminders_of_at_most_so_many_talks(store, clock, registry):
    talks = [Talk(key=f"k{n}", title=f"Talk {n}", source="dept", start=NOW + timedelta(
        days=1, hours=n)) for n in range(MAX_REMINDED_TALKS + 2)]
    store.upsert_talks("dept", talks, NOW)
    ids = [talk_id for talk_id, _ in store.list_talks(ending_after=None)]
    for talk in ids[:MAX_REMINDED_TALKS]:
        reply = await say(registry, f"/remind {talk} 1h", manager=False)
        assert not reply.refused, reply.message.text
    over = await say(registry, f"/remind {ids[-1]} 1h", manager=False)
    refused_briefly(over)
    assert "/remind cancel" in over.message.text
    assert ids[-1] not in store.reminders_asked_by(target_of(Invocation(
        "remind", "", ChannelRef("slack", "C1"), UserRef("U1", "U1"))))
    again = await say(registry, f"/remind {ids[0]} 2h", manager=False)  # new times: fine
    assert not again.refused, again.message.text
    other = await say(registry, f"/remind {ids[-1]} 1h", manager=False, user="U2")
    assert not other.refused, other.message.text
    await say(registry, f"/remind cancel {ids[1]}", manager=False)
    freed = await say(registry, f"/remind {ids[-1]} 1h", manager=False)
    assert not freed.refused, freed.message.text
    clock.set(NOW + timedelta(days=1, hours=3, minutes=1))  # three of them are over
    later = await say(registry, f"/remind {ids[-2]} 15m", manager=False)
    assert not later.refused, later.message.text



# ── a feed's end before its start, or millennia after it ────────────────────────────

_START = datetime(2026, 12, 10, 15, tzinfo=UTC)


@pytest.mark.parametrize("end, shown, discord, slack", [
    (datetime(2026, 12, 10, 14, tzinfo=UTC), "15:00 Europe/London", None, None),
    (datetime(2026, 12, 12, 17, tzinfo=UTC), "15:00 – Sat 12 Dec 2026, 17:00", ":f>", "Sat 12"),
    (datetime(9999, 12, 31, 23, 59, tzinfo=UTC), "– Fri 31 Dec 9999, 23:59", ":f>", "9999"),
    (datetime(2026, 12, 10, 16, tzinfo=UTC), "15:00–16:00 Europe/London", ":t>", "16:00")])
def test_a_talks_end_is_shown_with_its_day_or_not_at_all(end, shown, discord, slack):
    talk = Talk(key="k", title="T", source="s", start=_START, end=end)
    line = when_line(talk, "Europe/London")
    assert shown in line and ("15:00 Europe" not in shown or "–" not in line), line
    stamp, token = stamps(_START, end), date_token(_START, end)
    if discord is None:
        assert stamp.count("<t:") == 2 and token.count("<!date") == 1  # start, relative
    else:
        assert discord in stamp and slack in token


def test_an_end_past_the_year_a_zone_can_show_falls_back_to_utc_not_a_crash():
    talk = Talk(key="k", title="T", source="s", start=_START,
                end=datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    assert when_line(talk, "Pacific/Kiritimati").endswith("Fri 31 Dec 9999, 23:59 UTC")


# ── arguments in another encoding than the terminal's ────────────────────────────────

@pytest.mark.parametrize("args, says", [
    ([b"seminars", b"--series", b"Coll\xe8ge"], "--series holds bytes"),
    ([b"ingest", b"ical", b"talks.ics", b"--source", b"s\xff"], "--source holds bytes"),
    ([b"ingest", b"ical", b"/tmp/caf\xe9.ics"], "lectern ingest KIND - < FILE"),
    ([b"command", b"--channel", b"console:lab", b"--user", b"\xff", b"/help"], "--user")])
def test_an_argument_in_latin_1_is_one_line_not_a_traceback(tmp_path, args, says):
    """A terminal or script in Latin-1 passes bytes Python keeps as lone surrogates; no
    database, file or JSON document stores those (UnicodeEncodeError, before)."""
    done = subprocess.run([sys.executable.encode(), b"-m", b"bot", b"--db",
                           str(tmp_path / "l.db").encode(), *args], capture_output=True,
                          cwd=ROOT, timeout=120, check=False)
    said = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2 and says in said and "Traceback" not in said, said
    assert len(said.strip().splitlines()) == 1
