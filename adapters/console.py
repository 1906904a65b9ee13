"""The console channel: slash commands typed on stdin, messages printed to stdout.

It lets anyone try lectern with no chat tokens; `make run` uses it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TextIO

from adapters.text import to_text
from bot.chat import ChannelRef, Invocation, Message, Reply, SentRef, UserRef
from bot.commands.registry import Registry

CHANNEL = ChannelRef("console", "lab")  # the channel typed commands come from
USER = UserRef("operator", "operator")
PROMPT_HINT = "Type /help for the commands; Ctrl-D leaves the console (the bot keeps running)."


class ConsoleAdapter:
    platform = "console"

    def __init__(self, registry: Registry | None, *, out: TextIO | None = None,
                 is_manager: bool = True) -> None:
        self.registry = registry
        self.out = out or sys.stdout
        self.is_manager = is_manager
        self._sent = 0

    async def start(self) -> None:
        """Nothing to connect: typed commands are read by `serve`."""

    async def stop(self) -> None:
        """Nothing to let go of."""

    async def send(self, channel: ChannelRef, message: Message) -> SentRef:
        where = f"@{channel.user} (direct)" if channel.user else f"#{channel.id}"
        self._print(f"── {where} " + "─" * 40 + "\n" + to_text(message))
        self._sent += 1
        return SentRef(channel, str(self._sent))

    async def handle_line(self, line: str) -> Reply | None:
        """One typed line: a slash command, or a hint for anything else."""
        line = line.strip()
        if not line:
            return None
        if not line.startswith("/"):
            self._print("Commands start with '/': type /help to see them.")
            return None
        command, _, args = line[1:].partition(" ")
        reply = await self.registry.dispatch(
            Invocation(command, args, CHANNEL, USER, is_manager=self.is_manager))
        self._print(to_text(reply.message))
        return reply

    async def serve(self, lines: Callable[[], str] | None = None) -> None:
        """Read commands until end of input; reading happens off the event loop."""
        read = lines or sys.stdin.readline
        self._print(PROMPT_HINT)
        while True:
            line = await asyncio.to_thread(read)
            if line == "":
                return
            await self.handle_line(line)

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)
