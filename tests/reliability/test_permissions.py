"""Every managing command is refused to a member who does not manage the channel, on the
console, Slack (bolt in HTTP mode against the fake Slack) and Discord (a gateway
interaction against the fake Discord, from a member without Manage Channels): the reply
says what to do and the database is unchanged, byte for byte. The commands are read from
the registry, so a new manager-only subcommand is covered (or fails asking for example
arguments); a manager typing the same thing does change the database, so the examples
are sound and each refusal is the permission check's doing.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.console import ConsoleAdapter
from adapters.discord import DiscordAdapter, Pacer
from adapters.discord.options import shape_of
from adapters.slack import SlackAdapter
from adapters.text import to_text
from bot.clock import FixedClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.models import Source, Talk, talk_id
from bot.settings import Settings
from storage.store import Store
from tests.adapters.discord.conftest import FakeTime, interact
from tests.adapters.discord.payloads import CHANNEL, MANAGER, MEMBER, option, slash
from tests.adapters.slack.conftest import SECRET, Sleeper, command_body, post, sign
from tests.conftest import NOW
from tests.fake_discord import fake_discord
from tests.fake_slack import FakeSlack
from tests.httpserver import serve

SUB_ID = 1  # the subscription seeded in each channel
# Arguments that make each managing subcommand change something for a manager.
EXAMPLES = {
    ("subscribe", "all"): "diffusion", ("subscribe", "papers"): "pruning",
    ("subscribe", "talks"): "series:colloquium", ("unsubscribe", "remove"): str(SUB_ID),
    ("settings", "timezone"): "Asia/Tokyo", ("settings", "reminders"): "2h",
    ("settings", "digest"): "08:30", ("settings", "resume"): "",
    ("settings", "digest-size"): "7", ("settings", "discord-events"): "on",
    ("sources", "add"): "rss https://1.1.1.1/feed.xml newfeed",
    ("sources", "remove"): "chatfeed", ("seminars", "share"): talk_id("chat-seed", "k"),
}
CHANNELS = {"console": "console:lab", "slack": "slack:C1", "discord": f"discord:{CHANNEL}"}
# Subcommands that mean something on one platform only: elsewhere a manager is told so.
ONLY_ON = {("settings", "discord-events"): "discord"}


def _managing() -> list[tuple[str, str]]:
    store = Store.open(":memory:")
    registry = build_registry(BotContext(store=store, clock=FixedClock(NOW),
                                         settings=Settings()))
    found = [(spec.name, sub.name) for spec in registry.commands.values()
             for sub in spec.subcommands.values() if sub.manager_only]
    store.close()
    return found


MANAGING = _managing()


def test_every_managing_command_has_an_example():
    assert len(MANAGING) >= 10
    missing = [pair for pair in MANAGING if pair not in EXAMPLES]
    assert not missing, f"add example arguments to EXAMPLES for {missing}"


def seed(store: Store, channel: str) -> None:
    """What each managing command can change: a subscription, a paused channel, a source
    and a talk added in chat."""
    sub = store.add_subscription(channel, "existing topic", "all", "U0", NOW)
    assert sub.id == SUB_ID
    store.ensure_channel(channel, NOW)
    store.update_channel(channel, paused_reason="the app was removed from the channel")
    store.save_source(Source("chatfeed", "rss", "https://1.1.1.1/chat.xml", added_by="U0",
                             added_in=channel), NOW)
    store.upsert_talks("chat-seed", [Talk(key="k", title="Seeded", source="chat-seed",
                                          start=NOW + timedelta(days=2))], NOW)
    store.mark_talks_added([talk_id("chat-seed", "k")], channel, "U0")


def dump(store: Store) -> dict[str, list[str]]:
    """Every row of every table (FTS5 shadow tables included; the virtual ones cannot be
    scanned)."""
    conn = store.db.conn
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")]
    return {name: sorted(map(repr, conn.execute(f'SELECT * FROM "{name}"')))  # noqa: S608
            for name in names}


@pytest.fixture
def registry(store):
    return build_registry(BotContext(store=store, clock=FixedClock(NOW),
                                     settings=Settings()))


@pytest.fixture(autouse=True)
def _restore_discord_addresses():
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


async def on_console(registry, command: str, args: str, manager: bool) -> str:
    console = ConsoleAdapter(registry, out=io.StringIO(), is_manager=manager)
    reply = await console.handle_line(f"/{command} {args}")
    return to_text(reply.message)


async def on_slack(registry, command: str, args: str, manager: bool) -> str:
    slack = FakeSlack()
    async with serve(slack.app()) as server:
        slack.base_url = server.base_url
        clock = FixedClock(NOW)
        if manager:
            slack.users["U2"] = {"is_admin": True}
        else:
            slack.users["U2"] = {"is_admin": False, "is_owner": False}
        adapter = SlackAdapter(registry, bot_token="xoxb-test", app_token=None,
                               signing_secret=SECRET, api_url=slack.api_url, http_port=0,
                               clock=clock, sleep=Sleeper(clock))
        await adapter.start()
        try:
            body = command_body(slack, f"/{command} {args}", user="U2", channel="C1")
            status, _ = await post(adapter, body, sign(body, clock.now()))
            assert status == 200
            await slack.wait_for(lambda: bool(slack.responses))
        finally:
            await adapter.stop()
    assert slack.problems == []
    return slack.responses[0]["text"]


async def on_discord(registry, command: str, args: str, manager: bool) -> str:
    spec = registry.commands[command]
    sub = spec.subcommands[args.split()[0]]
    shape = shape_of(spec)
    values = args.split()[1:]
    options = []
    for number, opt in enumerate(shape.options[sub.name]):
        if number < len(values):
            value = " ".join(values[number:]) if number == len(shape.options[sub.name]) - 1 \
                else values[number]
            options.append(option(opt.name, int(value) if opt.integer else value))
    if shape.choice:
        options.append(option(shape.choice.name, sub.name))
    path = f"{command} {sub.name}" if shape.group else command
    time = FakeTime()
    async with fake_discord() as fake:
        adapter = DiscordAdapter(registry, token="fake-token", api_url=fake.api_url,
                                 clock=FixedClock(NOW),
                                 pacer=Pacer(1.0, monotonic=time.monotonic, sleep=time.sleep))
        await adapter.login()
        try:
            answer = await interact(adapter, fake, slash(
                path, options, permissions=MANAGER if manager else MEMBER))
        finally:
            await adapter.stop()
        assert not fake.rejected
    if not manager:
        assert answer.ephemeral
    data = answer.data
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
    return "\n".join(parts).replace("\\", "")


PLATFORMS = {"console": on_console, "slack": on_slack, "discord": on_discord}


@pytest.mark.parametrize("manager", [False, True], ids=["member", "manager"])
@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize(("command", "sub"), MANAGING, ids=[" ".join(p) for p in MANAGING])
async def test_managing_commands_need_a_manager(store, registry, platform, command, sub,
                                                manager):
    seed(store, CHANNELS[platform])
    before = dump(store)
    args = f"{sub} {EXAMPLES.get((command, sub), '')}".strip()
    text = await PLATFORMS[platform](registry, command, args, manager)
    if manager:  # the example is sound: a manager's command goes through and changes things
        assert "only channel managers" not in text
        if ONLY_ON.get((command, sub), platform) != platform:
            assert dump(store) == before and ONLY_ON[command, sub].title() in text, text
            return
        assert dump(store) != before, text
        return
    assert "only channel managers can use" in text and "ask one of them" in text, text
    assert dump(store) == before


async def test_a_slack_lookup_that_fails_refuses(store, registry):
    """users.info answering 500 must not be read as "admin"."""
    seed(store, CHANNELS["slack"])
    before = dump(store)
    slack = FakeSlack()
    async with serve(slack.app()) as server:
        slack.base_url = server.base_url
        slack.answer("users.info", status=500, times=5)
        clock = FixedClock(NOW)
        adapter = SlackAdapter(registry, bot_token="xoxb-test", app_token=None,
                               signing_secret=SECRET, api_url=slack.api_url, http_port=0,
                               clock=clock, sleep=Sleeper(clock))
        await adapter.start()
        try:
            body = command_body(slack, "/sources remove chatfeed", user="U7")
            await post(adapter, body, sign(body, clock.now() + timedelta(seconds=1)))
            await slack.wait_for(lambda: bool(slack.responses))
        finally:
            await adapter.stop()
    assert "only channel managers" in slack.responses[0]["text"]
    assert dump(store) == before
