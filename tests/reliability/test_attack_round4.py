"""Round 4 of attacks through commands, chat platforms and the CLI: a reader that goes away
(`lectern … | head -1`), look-alike host names (IDN homographs) in /sources add, a member
pasting 25 talks again and again, and series autocomplete asked on every keystroke. Each is
answered with one short line saying what to do instead, and nothing is half-stored.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from adapters.console import ConsoleAdapter
from adapters.discord.commands import suggestions
from adapters.discord.embeds import render as discord_render
from adapters.slack.blocks import render as slack_render
from bot.app.cli import main
from bot.chat import ChannelRef, Invocation, Reply, UserRef
from bot.clock import FixedClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.commands.seminars import MAX_MEMBER_TALKS_PER_DAY
from bot.models import Paper, Talk, Term
from bot.render import render_list, render_paper
from bot.services.suggestions import suggester
from bot.settings import Settings
from bot.topics import parse_query
from tests.conftest import NOW
from tests.reliability.commandworld import refused_briefly

ROOT = Path(__file__).resolve().parents[2]


async def say(registry, line: str, *, manager: bool = True, user: str = "U1",
              channel: str = "C1", platform: str = "slack") -> Reply:
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef(platform, channel),
                                              UserRef(user, user), manager))


# ── the CLI's reader goes away: `lectern seminars --all | head -1` ──────────────────────

def _run_into_a_closed_pipe(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `python -m bot` with stdout a pipe nobody reads any more (what `| head -1`
    leaves once head has its line): the first write fails with EPIPE."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(
            [sys.executable, "-m", "bot", "--db", str(tmp_path / "l.db"), "--now",
             "2026-12-04T09:00:00+00:00", *args], stdout=writer, stderr=subprocess.PIPE,
            cwd=ROOT, timeout=120, check=False)
    finally:
        os.close(writer)


@pytest.mark.parametrize("args", [("seminars", "--all"), ("papers", "latest", "--json"),
                                  ("export-ics",), ("command", "--channel", "console:lab",
                                                    "/help")])
def test_a_reader_that_goes_away_is_no_disk_problem(tmp_path, args):
    done = _run_into_a_closed_pipe(tmp_path, *args)
    said = done.stderr.decode()
    assert done.returncode in (0, 141), said
    assert "space" not in said and "permission" not in said and "Traceback" not in said
    assert said == "", said


@pytest.mark.parametrize("args, says", [
    (["papers", "latest", "--limit", "9" * 23], "too large"),
    (["papers", "latest", "--limit", "9" * 5000], "too large"),
    (["search", "x", "--limit", "\u00b2"], "positive whole number"),  # '²'.isdigit()
    (["ingest", "ical", "x.ics", "--tz", "Factory"], "not an IANA time zone"),
    (["ingest", "ical", "x.ics", "--tz", "localtime"], "not an IANA time zone"),
    (["export-ics", "--output", "/nonexistent/folder/talks.ics"], "folder exists"),
    (["export-ics", "--output", "/dev/full"], "free some space")])
def test_cli_arguments_at_the_edges_are_one_line_saying_what_to_do(tmp_path, capsys, args,
                                                                   says):
    try:
        code = main(["--db", str(tmp_path / "l.db"), *args])
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code
    err = capsys.readouterr().err
    assert code in (1, 2) and says in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1 and len(err) < 300, err


# ── look-alike host names in /sources add ───────────────────────────────────────────────

@pytest.mark.parametrize("url", [
    "https://\u0435\u0445ample.org/feed.xml",  # Cyrillic е and х among Latin letters
    "https://xn--xample-2of.org/feed.xml",     # the same, as its punycode
    "https://XN--XAMPLE-2OF.ORG/feed.xml",
    "https://ex\u03b1mple.org/feed.xml",       # a Greek alpha
    "https://news.\u0430rxiv.org/rss",         # one label of several
    "https://\u0430\u0440\u0440\u04cf\u0435.com/feed",  # all Cyrillic, reads 'apple'
])
async def test_a_look_alike_host_is_refused(registry, store, url):
    reply = await say(registry, f"/sources add rss {url}")
    refused_briefly(reply)
    assert "look-alike" in reply.message.text and "https://" in reply.message.text
    assert [s for s in store.list_sources() if s.kind == "rss"] == []


@pytest.mark.parametrize("url", ["https://例子.测试/feed.xml", "https://bücher.de/feed.xml",
                                 "https://пример.рф/rss", "https://日本語テキスト.jp/rss",
                                 "https://сайт.com/rss", "https://xn--bcher-kva.de/rss"])
async def test_a_genuine_international_host_is_added(registry, store, url):
    reply = await say(registry, f"/sources add rss {url}")
    assert not reply.refused, reply.message.text
    [added] = [s for s in store.list_sources() if s.kind == "rss"]
    assert added.location == url and added.name.startswith("xn--"), added.name


# ── a member pasting 25 talks again and again ───────────────────────────────────────────

def _paste(first: int, count: int) -> str:
    return "".join(f"Title: Talk number {n}\nSpeaker: Ada\nDate: 2026-12-{1 + n % 28:02d} "
                   "15:00\n\n" for n in range(first, first + count))


def _stored(store) -> int:
    return len(store.list_talks(ending_after=None))


async def test_a_member_cannot_paste_past_the_daily_cap(store, hooks):
    clock = FixedClock(NOW)
    registry = build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                         hooks=hooks))
    full = MAX_MEMBER_TALKS_PER_DAY // 25
    for n in range(full):  # three terms' schedules in one day are fine
        reply = await say(registry, f"/seminars add {_paste(n * 25, 25)}", manager=False,
                          channel=f"C{n}")
        assert not reply.refused, reply.message.text
    again = await say(registry, f"/seminars add {_paste(full * 25, 5)}", manager=False,
                      channel="C9")
    refused_briefly(again)
    assert f"at most {MAX_MEMBER_TALKS_PER_DAY} a day" in again.message.text
    assert "/sources add ical" in again.message.text
    assert _stored(store) == full * 25 and hooks.planned == full * 25  # nothing half-stored
    # correcting talks already stored adds none, so it is still allowed
    fixed = await say(registry, f"/seminars add {_paste(0, 25)}", manager=False, channel="C0")
    assert not fixed.refused, fixed.message.text
    # another member, or the same id on another platform, has a day of their own (in a
    # channel of its own: Ada on 5-9 December in C1 are U1's talks, not U2's to rewrite)
    other = await say(registry, f"/seminars add {_paste(200, 5)}", manager=False, user="U2",
                      channel="C8")
    assert not other.refused, other.message.text
    elsewhere = await say(registry, f"/seminars add {_paste(300, 5)}", manager=False,
                          platform="discord")
    assert not elsewhere.refused, elsewhere.message.text
    clock.set(NOW + timedelta(hours=24, minutes=1))  # a day later the member may paste again
    later = await say(registry, f"/seminars add {_paste(400, 25)}", manager=False)
    assert not later.refused, later.message.text


# ── series autocomplete, asked on every keystroke ───────────────────────────────────────

def _series_world(store) -> None:
    names = [f"Seminar {n:02d}" for n in range(40)] + ["Colloquium", "colloquium",
                                                        "Math 100% Club", "O'Brien's talks"]
    talks = [Talk(key=f"k{n}", title=f"T{n}", source="s", series=name, start=NOW)
             for n, name in enumerate(names * 3)]
    store.upsert_talks("s", talks, NOW)


@pytest.mark.parametrize("typed, expected", [
    ("series:", None), ("series:coll", ["Colloquium"]), ('series:"100%', ["Math 100% Club"]),
    ("series:o'b", ["O'Brien's talks"]), ("series:%", ["Math 100% Club"]),
    ("series:semi", None), ("series:_", [])])
def test_series_autocomplete_is_a_bounded_query(store, monkeypatch, typed, expected):
    _series_world(store)

    def every_talk(*args, **kwargs):
        raise AssertionError("autocomplete read every stored talk")
    monkeypatch.setattr(store, "list_talks", every_talk)
    found = suggestions("series", typed, SimpleNamespace(channel_id=1),
                        suggester(store, FixedClock(NOW)))
    assert len(found) <= 25
    names = [label.removeprefix("series: ") for _, label in found]
    if expected is None:
        assert len(found) == 25
    else:
        assert names == expected


# ── a title that spells another address than its link ────────────────────────────────

def _paper(title: str, url: str, abstract: str = "") -> Paper:
    return Paper(id="arxiv:2401.00001", title=title, source="feed", url=url, published=NOW,
                 abstract=abstract)


@pytest.mark.parametrize("title", ["https://arxiv.org/abs/2401.00001",
                                   "arxiv.org/abs/2401.00001 explained",
                                   "\u0430rxiv.org: the paper"])  # a Cyrillic а
def test_a_title_spelling_another_address_does_not_hide_its_link(title):
    message = render_paper(_paper(title, "https://evil.example/x"))
    _, blocks = slack_render(message)
    heading = blocks[0]["text"]["text"]
    assert "|" not in heading and "<https://evil.example/x>" in heading, heading
    rendered = discord_render(message, NOW)
    assert rendered.embed.url is None
    assert ("evil.example", "https://evil.example/x") in rendered.buttons
    listed = discord_render(render_list("Papers", [message, message], "none"), NOW)
    assert "](https://evil" not in listed.embed.description
    assert "<https://evil.example/x>" in listed.embed.description
    _, blocks = slack_render(render_list("Papers", [message], "none"))
    assert "<https://evil.example/x>" in blocks[1]["text"]["text"]


@pytest.mark.parametrize("title, url", [
    ("Graphs and flows", "https://evil.example/x"), ("Node.js at scale", "https://x.org/1"),
    ("arxiv.org/abs/2401.00001", "https://arxiv.org/abs/2401.00001"),
    ("A tour of www.nature.com.", "https://nature.com/t"),
    ("Notes from export.arxiv.org", "https://arxiv.org/x")])
def test_a_title_naming_no_other_address_stays_a_link(title, url):
    message = render_paper(_paper(title, url))
    _, blocks = slack_render(message)
    assert f"<{url}|" in blocks[0]["text"]["text"]
    assert discord_render(message, NOW).embed.url == url


def test_discord_markup_a_source_cannot_borrow():
    text = "Moved to <t:1767000000:F>\n-# small print\n-# and more"
    rendered = discord_render(render_paper(_paper("T", "https://x.org/1", text)), NOW)
    assert "<t:" not in rendered.embed.description
    assert "\n-# " not in "\n" + rendered.embed.description


@pytest.mark.parametrize("line", ["\uff0fpapers latest", "/papers\u3000latest",
                                  "/papers\tlatest"])
async def test_the_console_reads_a_command_as_a_cjk_keyboard_types_it(store, clock, line):
    console = ConsoleAdapter(build_registry(BotContext(store=store, clock=clock,
                                                       settings=Settings())), out=io.StringIO())
    reply = await console.handle_line(line)
    assert reply is not None and not reply.refused, reply and reply.message.text


def test_a_series_name_holding_quotes_is_offered_as_one_phrase(store):
    store.upsert_talks("s", [Talk(key="k", title="T", source="s", start=NOW,
                                  series='Math "Fun" Club')], NOW)
    [(value, label)] = suggestions("series", "series:math", SimpleNamespace(channel_id=1),
                                   suggester(store, FixedClock(NOW)))
    assert label == 'series: Math "Fun" Club'
    assert parse_query(value) == Term(text="Math Fun Club", field="series", phrase=True)
    assert [h.id for h in store.search(parse_query(value), kind="talks")]


@pytest.mark.parametrize("line", ["/seminars " + "a" * 10_000, "/sources " + "б" * 5_000,
                                  "/subscriptions " + "x" * 10_000])
async def test_a_long_word_where_a_subcommand_goes_is_said_back_short(registry, line):
    refused_briefly(await say(registry, line))
