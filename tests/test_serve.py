"""bot.app.serve: sending waits for the first round of polls at start (bounded), so news missed
while the bot was down comes as one catch-up list per channel, not one per source."""

from __future__ import annotations

import asyncio
import logging

from bot.app import serve
from jobs.poll_jobs import FirstRound


class _Dispatcher:
    def __init__(self) -> None:
        self.started = asyncio.Event()

    async def run_forever(self) -> None:
        self.started.set()


async def test_sending_starts_once_every_source_known_at_start_was_polled():
    first_round, dispatcher = FirstRound({"arxiv", "blog"}), _Dispatcher()
    task = asyncio.create_task(serve._send_after(first_round, dispatcher))
    first_round.polled("arxiv")
    await asyncio.sleep(0)  # let the task run: it must still wait for "blog"
    assert not dispatcher.started.is_set()
    first_round.polled("blog")
    await task
    assert dispatcher.started.is_set()


async def test_with_no_sources_sending_starts_at_once():
    dispatcher = _Dispatcher()
    await serve._send_after(FirstRound(set()), dispatcher)
    assert dispatcher.started.is_set()


async def test_a_source_that_never_answers_holds_sending_up_only_so_long(monkeypatch, caplog):
    monkeypatch.setattr(serve, "FIRST_ROUND_SECONDS", 0.0)
    caplog.set_level(logging.INFO, logger="lectern")
    dispatcher = _Dispatcher()
    await serve._send_after(FirstRound({"slow"}), dispatcher)
    assert dispatcher.started.is_set()
    assert "sending before the first poll of slow finished" in caplog.text
