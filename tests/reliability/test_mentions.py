"""Mention injection and oversize text, from a hostile source to what each platform
receives: a feed, a calendar and a seminar page served on localhost are polled through the
real fetch/parse/store/plan path and dispatched to the fake Slack, the fake Discord and the
console. Nothing pings (Slack: no live `<!…>`, `<@…>`, `<#…>` or foreign links in mrkdwn;
Discord: allowed_mentions empty and no `@everyone`/`<@…>` left intact), every size limit
holds (the fakes refuse what the platforms would), and every delivery is posted. Slash
command replies that echo what a member typed are held to the same rules.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from adapters.console import ConsoleAdapter
from adapters.discord import DiscordAdapter, Pacer
from adapters.slack import SlackAdapter
from bot.clock import FixedClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.models import Source
from bot.settings import Settings
from jobs.dispatch import dispatch_due
from jobs.poll import poll_named
from jobs.poll_jobs import make_fetcher
from tests.adapters.discord.conftest import FakeTime, interact
from tests.adapters.discord.payloads import CHANNEL, MANAGER, option, slash
from tests.adapters.slack.conftest import SECRET, Sleeper, command_body, post, sign
from tests.conftest import NOW
from tests.fake_discord import fake_discord
from tests.fake_slack import FakeSlack
from tests.httpserver import routes, serve, static
from tests.reliability import hostile

SLACK, DISCORD, CONSOLE = "slack:C1", f"discord:{CHANNEL}", "console:lab"
# Lectern's own Slack markup: date tokens and links to the item (never to the feed's text).
_SLACK_ANGLE = re.compile(r"<([^>]*)>")
_DISCORD_PING = re.compile(r"@(everyone|here)\b|<[@#/]", re.IGNORECASE)
_DISCORD_MASKED = re.compile(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\(\s*<?https?://evil", re.IGNORECASE)


def slack_texts(payload: dict) -> list[str]:
    """Every string of a Slack payload that Slack reads as mrkdwn."""
    found = [payload.get("text") or ""]

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node.get("text", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload.get("blocks") or [])
    return found


def assert_slack_inert(payload: dict) -> None:
    assert payload.get("link_names") in (None, False, "0", "false", 0)
    assert payload.get("parse") in (None, "none")
    for text in slack_texts(payload):
        for inner in _SLACK_ANGLE.findall(text):
            if inner.startswith("!date^"):
                continue
            url, bar, _ = inner.partition("|")
            assert bar and re.match(r"https?://example\.org/", url), f"live markup <{inner}>"
        assert "evil.example" not in "".join(_SLACK_ANGLE.findall(text))


def discord_texts(body: dict) -> list[str]:
    texts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        texts += [embed.get("title") or "", embed.get("description") or "",
                  (embed.get("footer") or {}).get("text") or ""]
        texts += [f"{f['name']} {f['value']}" for f in embed.get("fields") or []]
        assert "evil" not in (embed.get("url") or "")
    return texts


def assert_discord_inert(body: dict) -> None:
    assert body.get("allowed_mentions") == {"parse": []}, body.get("allowed_mentions")
    for text in discord_texts(body):
        assert not _DISCORD_PING.search(text), _DISCORD_PING.search(text)
        assert not _DISCORD_MASKED.search(text)
    for row in body.get("components") or []:
        for button in row.get("components") or []:
            assert "evil" not in (button.get("url") or "")


@pytest.fixture(autouse=True)
def _restore_discord_addresses(discord_addresses):
    """Every test here may point discord.py at the fake (see tests/conftest.py)."""


@pytest.fixture
async def platforms(store):
    """The fake Slack and Discord, served, with adapters for them and the console."""
    slack = FakeSlack()
    time = FakeTime()
    async with serve(slack.app()) as slack_server, fake_discord() as discord_fake:
        slack.base_url = slack_server.base_url
        registry = build_registry(BotContext(store=store, clock=FixedClock(NOW),
                                             settings=Settings()))
        clock = FixedClock(NOW)
        slack_adapter = SlackAdapter(registry, bot_token="xoxb-test", app_token=None,
                                     signing_secret=SECRET, api_url=slack.api_url,
                                     http_port=0, clock=clock, sleep=Sleeper(clock),
                                     managers=["U1"])
        discord_adapter = DiscordAdapter(registry, token="fake-token",
                                         api_url=discord_fake.api_url, clock=FixedClock(NOW),
                                         pacer=Pacer(1.0, monotonic=time.monotonic,
                                                     sleep=time.sleep))
        await discord_adapter.login()
        out = io.StringIO()
        adapters = {"slack": slack_adapter, "discord": discord_adapter,
                    "console": ConsoleAdapter(None, out=out)}
        try:
            yield slack, discord_fake, adapters, out
        finally:
            await discord_adapter.stop()
            await slack_adapter.stop()


async def test_a_hostile_source_pings_nobody_anywhere(store, platforms):
    slack, discord_fake, adapters, console_out = platforms
    documents = {"/papers.xml": static(hostile.papers_rss(), "application/rss+xml"),
                 "/talks.ics": static(hostile.talks_ics(NOW), "text/calendar"),
                 "/seminar.html": static(hostile.seminar_html(NOW), "text/html")}
    for channel in (SLACK, DISCORD, CONSOLE):
        store.add_subscription(channel, hostile.MARK, "all", "U1", NOW - timedelta(hours=1))
    async with serve(routes(documents)) as feeds, make_fetcher(Settings()) as fetcher:
        for name, kind, path in [("evil-feed", "rss", "/papers.xml"),
                                 ("evil-cal", "ical", "/talks.ics"),
                                 ("evil-page", "seminar-page", "/seminar.html")]:
            store.save_source(Source(name, kind, feeds.url(path), added_by="config"), NOW)
            report, error = await poll_named(store, name, fetcher, timezone="UTC", now=NOW)
            assert error is None, error
    # The hostile text reached the store whole: the test checks rendering, not parsing.
    stored = store.latest_papers(10)
    assert len(stored) == 4 and any(len(p.title) == hostile.HUGE for p in stored)
    assert any("<!channel>" in p.title for p in stored)

    # Announcements now, then each reminder at its time: every message of the loop.
    moments = [NOW] + sorted({row.due_at for row in store.delivery_history()
                              if row.due_at > NOW})
    for moment in moments:
        report = await dispatch_due(store, adapters, moment, "UTC")
        assert report.failed == [] and report.skipped == [], moment

    rows = store.delivery_history()
    announced = [row for row in rows if row.purpose.text == "announce"]
    assert len(announced) == 3 * (4 + 3) and len(rows) > len(announced)
    assert {row.status for row in rows} == {"sent"}
    posts = len(rows) // 3
    assert len(slack.posted) == posts and slack.problems == []
    for payload in slack.posted:
        assert_slack_inert(payload)
    created = discord_fake.created[CHANNEL]
    assert len(created) == posts and discord_fake.rejected == []
    for call in discord_fake.calls_to("POST", f"/channels/{CHANNEL}/messages"):
        assert_discord_inert(call.body)
    assert console_out.getvalue().count("── #lab") == posts


ECHOED = ["@everyone", "<!channel> lectern", "<@U123> <#C1> <!here>",
          "<https://evil.example/|click> lectern", "@\u200deveryone <@&1234>",
          "title:\"<!everyone>\" OR lectern", "x" * 600 + " <!channel>"]


@pytest.mark.parametrize("typed", ECHOED)
async def test_slack_replies_that_echo_input_ping_nobody(store, platforms, typed):
    slack, _, adapters, _ = platforms
    adapter = adapters["slack"]
    await adapter.start()
    for n, line in enumerate([f"/papers search {typed}", f"/seminars search {typed}",
                              f"/subscribe {typed}"]):
        body = command_body(slack, line, user="U1", reply_to=f"r{n}")
        status, _ = await post(adapter, body, sign(body, adapter.clock.now()))
        assert status == 200
        await slack.wait_for(lambda n=n: any(r["_url"] == f"r{n}" for r in slack.responses))
    assert slack.problems == [] and len(slack.responses) == 3
    for response in slack.responses:
        assert "something went wrong" not in response["text"]
        assert_slack_inert(response)


@pytest.mark.parametrize("typed", ECHOED)
async def test_discord_replies_that_echo_input_ping_nobody(store, platforms, typed):
    _, discord_fake, adapters, _ = platforms
    adapter = adapters["discord"]
    for path in ("papers search", "seminars search", "subscribe"):
        await interact(adapter, discord_fake, slash(path, [option("query", typed[:500])],
                                                    permissions=MANAGER))
    assert discord_fake.rejected == []
    answers = [call.body.get("data") or {} for call in discord_fake.calls
               if call.path.startswith("/interactions/")]
    answers += [call.body for call in discord_fake.calls
                if call.path.startswith("/webhooks/") and call.method != "DELETE"]
    assert len(answers) >= 3
    for body in answers:
        if body.get("content") or body.get("embeds"):
            assert "something went wrong" not in " ".join(discord_texts(body))
            assert_discord_inert(body)
