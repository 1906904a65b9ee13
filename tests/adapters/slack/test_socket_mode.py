"""Socket Mode against the fake: lectern opens a WebSocket with its app token, acks each
slash command envelope, answers through response_url, and reconnects when asked to."""

from __future__ import annotations

import pytest

from adapters.slack import SlackSetupError


def envelope(fake, number: int, line: str) -> dict:
    command, _, text = line.partition(" ")
    return {"envelope_id": f"e{number}", "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {"token": "legacy", "team_id": "T1", "team_domain": "lab",
                        "channel_id": "C1", "channel_name": "ml", "user_id": "U1",
                        "user_name": "ana", "command": command, "text": text,
                        "api_app_id": "A1", "response_url": fake.response_url(f"s{number}"),
                        "trigger_id": "1.2.3"}}


async def test_commands_arrive_over_the_socket_and_survive_a_reconnect(make_adapter, fake):
    adapter = make_adapter(app_token="xapp-test", signing_secret=None)
    await adapter.start()
    assert adapter.mode == "socket" and fake.connections == 1
    await fake.wait_for(lambda: fake.connections == 1)
    await fake.socket_send(envelope(fake, 1, "/papers latest"))
    await fake.wait_for(lambda: len(fake.responses) == 1 and fake.socket_acks)
    assert {"envelope_id": "e1"}.items() <= fake.socket_acks[0].items()
    assert fake.responses[0]["response_type"] == "ephemeral"

    await fake.socket_disconnect()  # Slack asks clients to move every few hours
    await fake.wait_for(lambda: fake.connections == 2)
    await fake.socket_send(envelope(fake, 2, "/lectern help"))
    await fake.wait_for(lambda: len(fake.responses) == 2)
    assert "/papers search" in fake.responses[1]["text"]
    assert len(fake.called("apps.connections.open")) == 2

    await fake.socket_drop()  # the connection is lost without a goodbye
    await fake.wait_for(lambda: fake.connections == 3)
    await fake.socket_send(envelope(fake, 3, "/subscriptions"))
    await fake.wait_for(lambda: len(fake.responses) == 3)


async def test_a_refused_app_token_stops_start_with_a_clear_error(make_adapter, fake):
    fake.answer("apps.connections.open", error="invalid_auth")
    adapter = make_adapter(app_token="xapp-bad", signing_secret=None)
    with pytest.raises(SlackSetupError, match="SLACK_APP_TOKEN"):
        await adapter.start()


async def test_a_refused_bot_token_stops_start_with_a_clear_error(make_adapter, fake):
    fake.answer("auth.test", error="invalid_auth")
    with pytest.raises(SlackSetupError, match="SLACK_BOT_TOKEN"):
        await make_adapter().start()


def test_one_of_app_token_or_signing_secret_is_needed(make_adapter):
    with pytest.raises(SlackSetupError):
        make_adapter(app_token=None, signing_secret=None)
