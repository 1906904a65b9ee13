"""The console channel: slash commands typed on stdin, messages printed to stdout.

It lets anyone try lectern with no chat tokens; `make run` uses it.
"""

from __future__ import annotations

import asyncio
import sys
import threading
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
        self._print(f"── {where} " + "─" * 40 + "\n" + to_text(message, votes=True))
        self._sent += 1
        return SentRef(channel, str(self._sent))

    async def handle_line(self, line: str) -> Reply | None:
        """One typed line: a slash command, or a hint for anything else."""
        line = line.strip()
        if line.startswith("\uff0f"):  # a Chinese or Japanese keyboard's fullwidth slash
            line = "/" + line[1:]
        if not line:
            return None
        if not line.startswith("/"):
            self._print("Commands start with '/': type /help to see them.")
            return None
        command, args = (line[1:].split(maxsplit=1) + ["", ""])[:2]  # any space: a tab,
        # or the ideographic space a CJK input method types
        reply = await self.registry.dispatch(
            Invocation(command, args, CHANNEL, USER, is_manager=self.is_manager))
        self._print(to_text(reply.message, votes=True))
        return reply

    async def serve(self, lines: Callable[[], str] | None = None) -> None:
        """Read commands until end of input. Reading happens in a daemon thread, not the
        loop's executor: a Ctrl-C must not wait for a keyboard read to finish (asyncio.run
        joins its executor's threads on the way out)."""
        read = lines or sys.stdin.readline
        self._print(PROMPT_HINT)
        loop, typed = asyncio.get_running_loop(), asyncio.Queue[str]()

        def pump() -> None:
            line = None
            while line != "":
                try:
                    line = read()
                except (OSError, ValueError):  # stdin closed under us: end of input
                    line = ""
                try:
                    loop.call_soon_threadsafe(typed.put_nowait, line)
                except RuntimeError:  # the loop has closed: the bot is stopping
                    return

        threading.Thread(target=pump, name="console-input", daemon=True).start()
        while (line := await typed.get()) != "":
            await self.handle_line(line)

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)
