"""Connecting: `start` logs in over REST and keeps a gateway connection with the guilds
intent only; interactions pushed over the gateway are answered; a refused token is a
clear error; `lectern discord sync` registers the commands explicitly."""

from __future__ import annotations

import asyncio
import threading

import pytest

from adapters.discord import DiscordAdapter, DiscordError, sync_commands
from bot.app.cli import main
from bot.clock import FixedClock
from tests.adapters.discord.conftest import _answer
from tests.adapters.discord.payloads import GUILD, slash
from tests.conftest import NOW
from tests.fake_discord import APP_ID, fake_discord


async def test_start_connects_with_minimal_intents_and_answers_over_the_gateway(
        fake, registry):
    fake.token = "fake-token"
    adapter = DiscordAdapter(registry, token="fake-token", api_url=fake.api_url,
                             gateway_url=fake.gateway_url, clock=FixedClock(NOW))
    await adapter.start()
    try:
        await fake.wait_for(lambda: fake.identify is not None)
        assert fake.identify["token"] == "fake-token"
        assert fake.identify["intents"] == 1  # GUILDS: nothing privileged, no messages
        payload = slash("seminars next")
        await fake.push("INTERACTION_CREATE", payload)
        await fake.wait_for(lambda: _answer(fake, payload) is not None)
        assert "Compilers for Everyone" in str(_answer(fake, payload).data)
    finally:
        await adapter.stop()
    assert adapter.client.is_closed()


async def test_a_refused_token_is_a_clear_error(fake, registry):
    fake.token = "the-real-one"
    adapter = DiscordAdapter(registry, token="stale", api_url=fake.api_url)
    with pytest.raises(DiscordError) as raised:
        await adapter.start()
    assert raised.value.credentials and "DISCORD_BOT_TOKEN" in str(raised.value)
    await adapter.stop()


async def test_sync_registers_every_command_globally_or_in_one_guild(fake, registry):
    names = await sync_commands(registry, token="fake-token", api_url=fake.api_url)
    assert names == list(registry.commands)
    [put] = fake.calls_to("PUT", f"/applications/{APP_ID}/commands")
    by_name = {command["name"]: command for command in put.body}
    assert int(by_name["subscribe"]["default_member_permissions"]) == 1 << 4
    assert by_name["papers"]["default_member_permissions"] is None
    assert all(command["dm_permission"] is False for command in put.body)
    await sync_commands(registry, token="fake-token", api_url=fake.api_url, guild_id=GUILD)
    assert not fake.rejected
    [guild_put] = fake.calls_to("PUT", f"/applications/{APP_ID}/guilds/{GUILD}/commands")
    assert [c["name"] for c in guild_put.body] == names


def test_lectern_discord_sync_from_the_command_line(tmp_path, monkeypatch, capsys):
    ready, done = threading.Event(), asyncio.Event()
    box: dict = {}

    async def serve():
        async with fake_discord() as fake:
            box["fake"], box["loop"] = fake, asyncio.get_running_loop()
            ready.set()
            await done.wait()

    thread = threading.Thread(target=asyncio.run, args=(serve(),))
    thread.start()
    try:
        assert ready.wait(10)
        monkeypatch.setenv("DISCORD_BOT_TOKEN", "fake-token")
        monkeypatch.setenv("DISCORD_API_URL", box["fake"].api_url)
        assert main(["--db", str(tmp_path / "l.db"), "discord", "sync", "--guild", GUILD]) == 0
        out = capsys.readouterr().out
        assert f"in server {GUILD}" in out and "/subscribe" in out
        assert not (tmp_path / "l.db").exists()  # syncing never touches the database
        box["fake"].token = "other"
        assert main(["discord", "sync"]) == 2
        assert "DISCORD_BOT_TOKEN" in capsys.readouterr().err
        monkeypatch.delenv("DISCORD_BOT_TOKEN")
        assert main(["discord", "sync"]) == 2
    finally:
        box["loop"].call_soon_threadsafe(done.set)
        thread.join(10)


async def test_a_first_gateway_connection_that_fails_is_tried_again(fake, registry):
    """discord.py reconnects a connection it once had, not a first one that fails: slash
    commands stayed off until lectern restarted."""
    fake.token, fake.refuse_gateway = "fake-token", 2
    waits: list[float] = []

    async def waited(seconds: float) -> None:
        waits.append(seconds)

    adapter = DiscordAdapter(registry, token="fake-token", api_url=fake.api_url,
                             gateway_url=fake.gateway_url, clock=FixedClock(NOW),
                             gateway_sleep=waited)
    await adapter.start()
    try:
        await fake.wait_for(lambda: fake.identify is not None, timeout=30)
        payload = slash("seminars next")
        await fake.push("INTERACTION_CREATE", payload)
        await fake.wait_for(lambda: _answer(fake, payload) is not None)
    finally:
        await adapter.stop()
    assert fake.refuse_gateway == 0 and waits and waits == sorted(waits)
