"""Stopping is never lost: a task cancelled in the same turn as the event it waits for is
set ends cancelled. Python 3.11's `asyncio.wait_for` returns the event's result in that
case and drops the cancellation (fixed in 3.12, gh-86296): the dispatcher then kept
running, and `lectern run` did not stop on Ctrl-C until killed (the Ctrl-C demo test failed
so under load, in fresh-clone full runs). The waits use `asyncio.timeout` instead.

Each test sets the event and cancels the task in one turn, then lets the loop turn (no
time passes)."""

from __future__ import annotations

import asyncio

from bot.app.serve import _send_after
from bot.foreground import Foreground
from jobs.dispatch_loop import DispatchLoop

TURNS = 50


async def ended(task: asyncio.Task) -> bool:
    for _ in range(TURNS):
        if task.done():
            return True
        await asyncio.sleep(0)
    return task.done()


async def test_the_dispatcher_stops_when_cancelled_as_it_is_woken(store, clock):
    loop = DispatchLoop(store, {}, clock, "UTC")
    task = asyncio.create_task(loop.run_forever())
    for _ in range(5):
        await asyncio.sleep(0)  # swept once; waiting to be woken
    assert not task.done()
    loop.wake()  # a poll stored news ...
    task.cancel()  # ... as Ctrl-C came
    assert await ended(task) and task.cancelled()


class FirstRound:
    def __init__(self) -> None:
        self.done, self.waiting = asyncio.Event(), set()


class Dispatcher:
    def __init__(self) -> None:
        self.ran = False

    async def run_forever(self) -> None:
        self.ran = True
        await asyncio.Event().wait()


async def test_sending_does_not_start_when_cancelled_as_the_first_round_ends():
    first, dispatcher = FirstRound(), Dispatcher()
    task = asyncio.create_task(_send_after(first, dispatcher))
    await asyncio.sleep(0)
    first.done.set()
    task.cancel()
    assert await ended(task) and task.cancelled() and not dispatcher.ran


async def test_a_sender_giving_way_to_a_command_stops_when_cancelled_as_it_ends():
    foreground = Foreground()
    async with foreground.serving():
        waiting = asyncio.create_task(foreground.clear())
        await asyncio.sleep(0)
    waiting.cancel()  # the command ended (its future resolved) as the bot stopped
    assert await ended(waiting) and waiting.cancelled()
