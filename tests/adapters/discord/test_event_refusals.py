"""How Discord's answers to event requests are read (adapters/discord/events.py): which
mean "ask again later", which "the permission is missing", which "never as it is"."""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest

from adapters.discord.events import refusal_of
from bot.scheduled_events import Refusal


def answer(status: int, code: int, headers: dict | None = None) -> discord.HTTPException:
    response = SimpleNamespace(status=status, reason="", headers=headers or {})
    return discord.HTTPException(response, {"code": code, "message": "refused"})


@pytest.mark.parametrize(("status", "code", "refusal"), [
    (403, 50013, Refusal.PERMISSION), (403, 50001, Refusal.PERMISSION),
    (404, 10070, Refusal.GONE), (400, 30038, Refusal.FULL),
    (400, 50035, Refusal.REJECTED), (502, 0, Refusal.LATER),
    (429, 0, Refusal.LATER),  # Cloudflare's 429 (no Via header): discord.py does not wait
])
def test_each_answer_is_read_for_what_it_means(status, code, refusal):
    assert refusal_of(answer(status, code)).refusal is refusal


def test_a_429_says_how_long_to_wait():
    assert refusal_of(answer(429, 0, {"Retry-After": "120"})).retry_after == 120.0
