"""Members before the bot's own posting (bot.foreground): while a command is being answered,
the dispatcher's senders hold their next message; the moment it is answered they go on, and
a command that takes long holds them for `patience` at most.

The loop runs as a task on the test's event loop and is let turn with `asyncio.sleep(0)`.
"""

from __future__ import annotations

import asyncio

from bot.foreground import Foreground
from jobs.dispatch_loop import DispatchLoop
from tests.jobs.test_dispatch_loop import SlowAdapter, announce, turn


async def test_senders_hold_their_messages_while_a_command_is_answered(store, clock):
    announce(store, "console:ml", 1)
    announce(store, "console:cv", 2)
    foreground, adapter = Foreground(), SlowAdapter(clock)
    loop = DispatchLoop(store, {"console": adapter}, clock, "UTC", foreground=foreground)
    answered = asyncio.Event()

    async def command() -> None:
        async with foreground.serving():
            await answered.wait()  # the command's search, its reply on the network

    member = asyncio.create_task(command())
    await turn()
    task = asyncio.create_task(loop.run_forever())
    try:
        await turn()
        assert adapter.sent == [] and foreground.busy  # both channels wait for the member
        answered.set()
        await turn()
        assert sorted(adapter.sent) == ["Paper 1", "Paper 2"] and not foreground.busy
    finally:
        task.cancel()
        answered.set()
        await member


async def test_a_slow_command_holds_the_senders_for_patience_at_most(store, clock):
    announce(store, "console:ml", 1)
    foreground, adapter = Foreground(patience=0.0), SlowAdapter(clock)
    loop = DispatchLoop(store, {"console": adapter}, clock, "UTC", foreground=foreground)
    async with foreground.serving():  # answered for longer than the senders wait
        task = asyncio.create_task(loop.run_forever())
        try:
            await turn()
            assert adapter.sent == ["Paper 1"]
        finally:
            task.cancel()


async def test_commands_answered_side_by_side_hold_the_senders_until_the_last(store):
    foreground = Foreground()
    first, second = asyncio.Event(), asyncio.Event()

    async def command(done: asyncio.Event) -> None:
        async with foreground.serving():
            await done.wait()

    members = [asyncio.create_task(command(first)), asyncio.create_task(command(second))]
    await turn()
    sender = asyncio.create_task(foreground.clear())
    first.set()
    await turn()
    assert not sender.done()  # one command is still being answered
    second.set()
    await turn()
    assert sender.done()
    await asyncio.gather(*members)


def test_one_foreground_serves_one_event_loop_after_another():
    # The registry that owns it is made before a loop runs and can outlive one (the CLI,
    # tests): a sender's wait must not bind it to the first loop.
    foreground = Foreground()

    async def a_command_and_a_sender() -> None:
        answered = asyncio.Event()

        async def command() -> None:
            async with foreground.serving():
                await answered.wait()

        member = asyncio.create_task(command())
        await turn()
        sender = asyncio.create_task(foreground.clear())
        await turn()
        assert not sender.done()
        answered.set()
        await asyncio.gather(member, sender)

    asyncio.run(a_command_and_a_sender())
    asyncio.run(a_command_and_a_sender())



async def test_waits_given_up_on_a_command_that_hangs_are_not_kept():
    # A command that never ends (a bug, a hung call) holds each sender for `patience` at
    # most, and what the senders gave up waiting for is forgotten, not piled up.
    foreground = Foreground(patience=0.0)
    async with foreground.serving():
        for _ in range(1000):
            await foreground.clear()
        assert foreground._waiting == []


async def test_senders_cancelled_while_waiting_are_not_kept():
    foreground = Foreground()
    async with foreground.serving():
        senders = [asyncio.create_task(foreground.clear()) for _ in range(100)]
        await turn()
        for sender in senders:
            sender.cancel()
        await asyncio.gather(*senders, return_exceptions=True)
        assert foreground._waiting == []
