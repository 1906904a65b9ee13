"""No secret shows: the whole flow runs at DEBUG with canary tokens (Slack bot and app
tokens, signing secret, Discord token) and private calendar URLs carrying `?token=` and a
password, configured as sources; errors are forced (a calendar answering 500, a refused
connection, a parse error, Slack's invalid_auth and 500, Discord's 401). Every log record
(formatted, tracebacks included, through caplog and a root handler), every error string
and repr reachable, repr(settings), `lectern sources list` (text and JSON), `lectern
poll` and the /sources reply are searched: no canary anywhere, while the calendar server
saw the real URL and people see a masked path. Only the operator's `lectern sources list`
prints a source's URL whole. Private calendar URLs with the secret in the PATH (Outlook,
iCloud, Nextcloud, any path) are masked too in chat replies and log lines.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
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
    assert "failing" in seen[-1] and "/…" in seen[-1]
    printed = {}
    for argv in (["sources", "list"], ["sources", "list", "--json"],
                 ["poll", "--json", "--source", "broken-cal"],
                 ["poll", "--source", "broken-cal"], ["poll", "--json", "--source",
                                                      "good-cal"]):
        # (a thread: the CLI runs its own event loop, as it does from a shell)
        await asyncio.to_thread(main, ["--config", str(path), "--db",
                                       app.settings.database, *argv])
        printed[" ".join(argv)] = capsys.readouterr()
        if argv[0] != "sources":  # the operator's own listing shows the URLs whole
            seen += list(printed[" ".join(argv)])
        seen.append(printed[" ".join(argv)].err)
    assert f"private.ics?token={ICS_TOKEN}&lang=en" in printed["sources list"].out
    assert ".ics?…" in printed["poll --json --source good-cal"].out
    listed = json.loads(printed["sources list --json"].out)["sources"]
    assert {s["location"] for s in listed} == {s.location for s in app.settings.sources}


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
    errors = [e for (e,) in store.db.execute("SELECT error FROM deliveries") if e]
    seen += errors  # a refused bot token pauses no channel: its rows wait, saying why
    assert report.failed or any(c.paused_reason for c in store.list_channels()) or \
        any("invalid_auth" in e for e in errors)
    for adapter in chat.values():
        await adapter.stop()
    store.close()

def test_every_cli_command_redacts_its_logs(tmp_path, redaction, capsys):
    redact.uninstall_log_redaction()
    main(["--db", str(tmp_path / "x.db"), "sources", "list"])
    assert "no sources" in capsys.readouterr().out
    assert isinstance(logging.getLogRecordFactory(), redact._Redacting)


SECRET = "CANARYpath7e11"


@pytest.mark.parametrize(("url", "shown"), [
    ("https://cal.example/a.ics?token=CANARYs3cr3t", "https://cal.example/…XXXXXX.ics?…"),
    ("https://cal.example/a.ics?lang=en&access_token=CANARY1&k=2",
     "https://cal.example/…XXXXXX.ics?…"),
    ("https://ann:CANARYpw@cal.example/a.ics", "https://ann:…@cal.example/…XXXXXX.ics"),
    ("https://calendar.google.com/calendar/ical/x%40group/private-CANARY0abc/basic.ics",
     "https://calendar.google.com/…XXXXXX.ics"),
    (f"https://outlook.office365.com/owa/calendar/0a1b@lab.org/{SECRET}/calendar.ics",
     "https://outlook.office365.com/…XXXXXX.ics"),
    (f"https://p01-caldav.icloud.com/published/2/{SECRET}", "https://p01-caldav.icloud.com/…XXXXXX"),
    (f"https://cloud.lab.org/remote.php/dav/public-calendars/{SECRET}?export",
     "https://cloud.lab.org/…XXXXXX?…"),
    (f"webcal://any.host:8443/{SECRET}/feed.rss#{SECRET}", "webcal://any.host:8443/…XXXXXX.rss"),
    ("https://rss.arxiv.org/rss/cs.LG", "https://rss.arxiv.org/…XXXXXX"),
    ("https://rss.arxiv.org/", "https://rss.arxiv.org/"),
])
def test_redact_url_masks_any_path(url, shown):
    """Scheme and host stay, to recognise the source; no part of the path or query shows,
    only a short hash (two addresses told apart) and the file name's extension."""
    masked = redact.redact_url(url)
    assert CANARY not in masked
    assert re.sub(r"…[0-9a-f]{6}", "…XXXXXX", masked) == shown
    assert redact.redact_url(masked) == masked  # masking twice changes nothing
    assert redact.redact(f"Cannot fetch {url}: refused.") == f"Cannot fetch {masked}: refused."
    assert redact.redact_url(url + "x") != masked or masked.endswith("/")


def test_path_secrets_stay_out_of_chat_and_logs(tmp_path, redaction, caplog, capsys):
    """Outlook/iCloud/Nextcloud-style sources added in chat: the /sources add reply, /sources
    and every log line show no part of the path; the operator's `lectern sources list`
    shows each whole."""
    db, seen = str(tmp_path / "lectern.db"), []
    urls = {"outlook": f"https://outlook.office365.com/owa/calendar/0a1b@lab.org/{SECRET}/"
                       "calendar.ics",
            "icloud": f"https://p01-caldav.icloud.com/published/2/{SECRET}",
            "nextcloud": f"https://cloud.lab.org/remote.php/dav/public-calendars/{SECRET}?export"}
    caplog.set_level(logging.DEBUG)
    for command in [f"/sources add ical {url} {name}" for name, url in urls.items()] + [
            "/sources"]:
        code = main(["--db", db, "command", "--channel", "slack:C1", "--user", "U1",
                     "--manager", command])
        seen.append(capsys.readouterr().out)
        assert code == 0, seen[-1]
    assert all(name in seen[-1] for name in urls) and "outlook.office365.com/…" in seen[0]
    for url in urls.values():
        logging.getLogger("tests.reliability").warning("polling %s failed: refused", url)
    seen += [caplog.text] + [str(r.msg) for r in caplog.records]
    assert not [text for text in seen if CANARY in text], seen
    main(["--db", db, "sources", "list"])
    listed = capsys.readouterr().out
    assert all(url in listed for url in urls.values())
