"""No secret shows: the whole flow runs at DEBUG with canary tokens (Slack bot and app
tokens, signing secret, Discord token) and private calendar URLs carrying `?token=` and a
password, configured as sources; errors are forced (a calendar answering 500, a refused
connection, a parse error, Slack's invalid_auth and 500, Discord's 401). Every log record
(formatted, tracebacks included, through caplog and a root handler), every error string
and repr reachable, repr(settings), `lectern sources list` (text and JSON), `lectern
poll` and the /sources reply are searched: no canary anywhere, while the calendar server
saw the real URL and people see `?token=…`.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import traceback
from datetime import timedelta

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.text import to_text
from bot import redact
from bot.app.build import build
from bot.app.cli import main
from bot.chat import ChannelRef, Invocation, UserRef
from bot.clock import FixedClock
from bot.models import Paper, TalkChanges
from bot.services.config import sync_sources
from bot.settings import load_settings
from jobs.dispatch import dispatch_due
from jobs.planner import plan_new_items
from jobs.poll import poll_named
from jobs.sources.fetch import Fetcher, FetchLimits
from tests.conftest import DATA, NOW
from tests.fake_discord import fake_discord
from tests.fake_slack import FakeSlack
from tests.httpserver import routes, serve, static

CANARY = "CANARY"
ENV = {"SLACK_BOT_TOKEN": "xoxb-CANARY-bot-7f3a91", "SLACK_APP_TOKEN": "xapp-CANARY-app-91b2",
       "SLACK_SIGNING_SECRET": "CANARYsigning5e6d0c", "DISCORD_BOT_TOKEN": "CANARY.discord.c0ffee"}
ICS_TOKEN = "CANARYics0b5e55ed"


def config(base: str, refused: str) -> str:
    sources = [("private-cal", f"{base}/private.ics?token={ICS_TOKEN}&lang=en"),
               ("refused-cal", f"http://lab:CANARYpass99@{refused}/cal.ics?token={ICS_TOKEN}"),
               ("broken-cal", f"{base}/broken.ics?key={ICS_TOKEN}"),
               ("good-cal", f"{base}/good.ics?token={ICS_TOKEN}")]
    return "".join(f'[[sources]]\nname = "{name}"\nkind = "ical"\nurl = "{url}"\nevery = "1h"\n\n'
                   for name, url in sources)


def closed_port() -> str:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"  # closed again when the block ends


@pytest.fixture
def redaction():
    redact.install_log_redaction()
    yield
    redact.uninstall_log_redaction()


@pytest.fixture
def root_log():
    """A handler on the root logger at DEBUG, formatting as `lectern run` does."""
    stream, root = io.StringIO(), logging.getLogger()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG)
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _restore_discord_addresses():
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


def error_texts(error: BaseException) -> list[str]:
    return [str(error), repr(error), "".join(traceback.format_exception(error))]


async def instant(seconds: float) -> None:
    return None


async def test_no_canary_in_logs_errors_reprs_or_replies(tmp_path, monkeypatch, caplog, capsys,
                                                         redaction, root_log):
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    slack = FakeSlack()
    documents = {"/private.ics": static(b"upstream trouble", "text/plain", status=500),
                 "/broken.ics": static(b"BEGIN:VCALENDAR\r\nthis is not ical", "text/calendar"),
                 "/good.ics": static((DATA / "ical" / "weekly_london.ics").read_bytes(),
                                     "text/calendar")}
    async with serve(routes(documents)) as calendars, serve(slack.app()) as slack_server, \
            fake_discord() as discord:
        slack.base_url = slack_server.base_url
        discord.token = "the-real-token-is-something-else"
        path = tmp_path / "lectern.toml"
        path.write_text(config(calendars.base_url, closed_port()))
        env = {**ENV, "SLACK_API_URL": slack.api_url, "DISCORD_API_URL": discord.api_url}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings = load_settings(str(path), db=str(tmp_path / "lectern.db"), environ=env)
        seen += [repr(settings), str(settings), repr(settings.sources), repr(settings.slack)]

        app = build(settings, FixedClock(NOW))
        await _poll_failures(app, calendars, seen)
        await _what_members_and_the_operator_see(app, path, capsys, seen)
        await _platforms_refuse(app, slack, seen)

    formatter = logging.Formatter("%(levelname)s %(name)s: %(message)s")
    for record in caplog.records:
        seen.append(formatter.format(record))
        seen += [str(record.msg), repr(record.args)]
        if record.exc_info and record.exc_info[1] is not None:
            seen += error_texts(record.exc_info[1])
    seen += [caplog.text, root_log.getvalue()]
    assert len(caplog.records) > 20  # DEBUG logging really ran
    leaks = [text for text in seen if CANARY in text]
    assert not leaks, leaks[0][max(0, leaks[0].find(CANARY) - 300):][:600]


async def _poll_failures(app, calendars, seen: list[str]) -> None:
    """Polling: a 500 (retried, then given up), a refused connection, a parse error."""
    store, settings = app.store, app.settings
    sync_sources(store, settings, NOW)
    limits = FetchLimits(max_attempts=2, connect_timeout=2, read_timeout=2)
    async with Fetcher(limits, user_agent="lectern-test", sleep=instant) as fetcher:
        for source in settings.sources[:3]:
            report, error = await poll_named(store, source.name, fetcher,
                                             timezone="UTC", now=NOW)
            assert report is None and error, source.name
            seen.append(error)
    assert [r.path for r in calendars.seen(f"/private.ics?token={ICS_TOKEN}&lang=en")]


async def _what_members_and_the_operator_see(app, path, capsys, seen: list[str]) -> None:
    """What members and the operator see of the sources."""
    reply = await app.registry.dispatch(Invocation("sources", "",
                                                   ChannelRef("console", "lab"),
                                                   UserRef("U1", "ana")))
    seen.append(to_text(reply.message))
    assert "failing" in seen[-1] and "token=…" in seen[-1]
    printed = {}
    for argv in (["sources", "list"], ["sources", "list", "--json"],
                 ["poll", "--json", "--source", "broken-cal"],
                 ["poll", "--source", "broken-cal"], ["poll", "--json", "--source",
                                                      "good-cal"]):
        # (a thread: the CLI runs its own event loop, as it does from a shell)
        await asyncio.to_thread(main, ["--config", str(path), "--db",
                                       app.settings.database, *argv])
        printed[" ".join(argv)] = capsys.readouterr()
        seen += list(printed[" ".join(argv)])
    assert "?token=…&lang=en" in printed["sources list"].out
    assert "good.ics?token=…" in printed["poll --json --source good-cal"].out
    listed = json.loads(printed["sources list --json"].out)["sources"]
    assert {s["location"].split("/")[-1] for s in listed} == {
        "broken.ics?key=…", "private.ics?token=…&lang=en", "cal.ics?token=…",
        "good.ics?token=…"}


async def _platforms_refuse(app, slack, seen: list[str]) -> None:
    """The platforms refuse the tokens; a send fails with invalid_auth after a 500."""
    store, chat = app.store, app.chat
    slack.answer("auth.test", error="invalid_auth")
    for adapter in chat.values():
        try:
            await adapter.start()
        except Exception as error:  # what `lectern run` reports on start
            seen += error_texts(error)
    await chat["slack"].start()  # accepted now: Socket Mode with the app token
    await chat["slack"].stop()
    for channel in ("slack:C1", "discord:1200000000000000002"):
        store.add_subscription(channel, "diffusion", "all", "U1", NOW - timedelta(hours=1))
    result = store.upsert_papers([Paper(id="arxiv:2611.00001", title="Diffusion",
                                        source="arxiv", url="https://arxiv.org/abs/1")], NOW)
    plan_new_items(store, result, TalkChanges(), NOW, "UTC")
    slack.answer("chat.postMessage", status=500)
    slack.answer("chat.postMessage", error="invalid_auth")
    report = await dispatch_due(store, chat, NOW, "UTC")
    seen.append(json.dumps(report.as_json(), default=str))
    seen += [repr(row) for row in store.delivery_history()]
    seen += [repr(channel) for channel in store.list_channels()]
    seen += [repr(source) for source in store.list_sources()]
    assert report.failed or any(c.paused_reason for c in store.list_channels())
    for adapter in chat.values():
        await adapter.stop()
    store.close()

def test_every_cli_command_redacts_its_logs(tmp_path, redaction, capsys):
    redact.uninstall_log_redaction()
    main(["--db", str(tmp_path / "x.db"), "sources", "list"])
    assert "no sources" in capsys.readouterr().out
    assert isinstance(logging.getLogRecordFactory(), redact._Redacting)


@pytest.mark.parametrize(("url", "shown"), [
    ("https://cal.example/a.ics?token=s3cr3t", "https://cal.example/a.ics?token=…"),
    ("https://cal.example/a.ics?lang=en&access_token=x1&k=2",
     "https://cal.example/a.ics?lang=en&access_token=…&k=2"),
    ("https://cal.example/a.ics?apikey=1&sig=2&Password=3",
     "https://cal.example/a.ics?apikey=…&sig=…&Password=…"),
    ("https://ann:pw@cal.example/a.ics", "https://ann:…@cal.example/a.ics"),
    ("https://calendar.google.com/calendar/ical/x%40group/private-0abc/basic.ics",
     "https://calendar.google.com/calendar/ical/x%40group/private-…/basic.ics"),
    ("http://export.arxiv.org/api/query?search_query=cat:cs.LG&max_results=50",
     "http://export.arxiv.org/api/query?search_query=cat:cs.LG&max_results=50"),
    ("https://rss.arxiv.org/rss/cs.LG", "https://rss.arxiv.org/rss/cs.LG"),
])
def test_redact_url_hides_credentials_only(url, shown):
    assert redact.redact_url(url) == shown
    assert redact.redact(f"Cannot fetch {url}: refused.") == f"Cannot fetch {shown}: refused."


def test_a_token_or_url_in_any_log_record_or_traceback_is_hidden(redaction, caplog):
    """What no library happens to log today is hidden too: a Settings token and a private
    URL, in a message, its arguments and an exception's traceback."""
    token = load_settings(environ={"DISCORD_BOT_TOKEN": "CANARY-discord-4242"}).discord
    url = f"https://cal.example/basic.ics?token={ICS_TOKEN}"
    log = logging.getLogger("tests.reliability")
    with caplog.at_level(logging.DEBUG):
        log.debug("sending with %s and Bot %s", token, token.bot_token.value)
        try:
            raise ValueError(f"could not fetch {url}")
        except ValueError:
            log.exception("failed on %r", url)
    text = caplog.text + "".join(str(r.msg) + repr(r.args) for r in caplog.records)
    assert CANARY not in text
    assert "Bot ***" in text and "basic.ics?token=…" in text and "ValueError" in text
