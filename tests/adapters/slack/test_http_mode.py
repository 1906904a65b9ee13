"""HTTP mode over real HTTP: Slack-signed slash commands reach the registry and are answered
through response_url; bad, stale or missing signatures and altered bodies get a 401."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from adapters.slack.events import IDLE_SECONDS, EventsServer
from tests.adapters.slack.conftest import SECRET, command_body, post, sign
from tests.conftest import NOW


async def test_a_signed_command_is_acked_then_answered(http_adapter, fake):
    body = command_body(fake, "/lectern help")
    status, text = await post(http_adapter, body, sign(body, NOW))
    assert (status, text) == (200, "")  # the ack: empty, within Slack's 3 seconds
    await fake.wait_for(lambda: fake.responses)
    [answer] = fake.responses
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert "/papers search" in answer["text"] and answer["blocks"]


@pytest.mark.parametrize("mangle", ["wrong secret", "stale", "future", "altered body",
                                    "no signature", "no timestamp", "garbage timestamp",
                                    "garbage signature"])
async def test_requests_slack_did_not_sign_are_refused_with_401(http_adapter, fake, mangle):
    body = command_body(fake, "/subscribe diffusion")
    headers = sign(body, NOW)
    if mangle == "wrong secret":
        headers = sign(body, NOW, secret=SECRET[::-1])
    elif mangle == "stale":
        headers = sign(body, NOW - timedelta(minutes=6))
    elif mangle == "future":
        headers = sign(body, NOW + timedelta(minutes=6))
    elif mangle == "altered body":
        body = body.replace("diffusion", "everything")
    elif mangle == "no signature":
        del headers["X-Slack-Signature"]
    elif mangle == "no timestamp":
        del headers["X-Slack-Request-Timestamp"]
    elif mangle == "garbage timestamp":
        headers["X-Slack-Request-Timestamp"] = "yesterday"
    else:
        headers["X-Slack-Signature"] = "v0=\u00e9" * 3
    status, _ = await post(http_adapter, body, headers)
    assert status == 401
    assert fake.responses == [] and fake.called("users.info") == []


async def test_a_signature_within_five_minutes_is_accepted(http_adapter, fake):
    body = command_body(fake, "/papers latest")
    status, _ = await post(http_adapter, body, sign(body, NOW - timedelta(minutes=4)))
    assert status == 200
    await fake.wait_for(lambda: fake.responses)


@pytest.mark.parametrize("body", ["{not json", "payload=%7Bbroken", "\u00ff" * 10, ""])
async def test_odd_bodies_never_cause_a_500(http_adapter, body):
    unsigned = {"Content-Type": "application/json"}
    assert (await post(http_adapter, body, unsigned))[0] == 401
    status, _ = await post(http_adapter, body, {**sign(body, NOW),
                                                "Content-Type": "application/json"})
    assert status in (200, 400, 401, 404)


async def test_other_paths_are_not_served(http_adapter):
    import aiohttp

    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{http_adapter.http_port}/admin"
        async with session.post(url, data=b"x") as response:
            assert response.status == 404


async def test_a_connection_that_says_nothing_is_closed(make_adapter):
    """aiohttp held a silent connection for an hour; 300 of them were held after 16 s."""
    adapter = make_adapter()
    server = EventsServer(adapter.app, SECRET, lambda: NOW, "127.0.0.1", 0, idle_seconds=0.2)
    port = await server.start()
    try:
        silent = [await asyncio.open_connection("127.0.0.1", port) for _ in range(20)]
        for reader, writer in silent:  # the server ends each: EOF, bounded, never a sleep
            assert await asyncio.wait_for(reader.read(), timeout=10) == b""
            writer.close()
    finally:
        await server.stop()
    assert IDLE_SECONDS <= 30  # and in production, well under a minute
