"""The command registry: specs with plain async handlers that return a Reply.

Adapters turn platform events into an Invocation and call `dispatch`; handlers never do
I/O on the chat platform (STYLE.md, habit 1). `/help` is generated from the registry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.chat import Invocation, Message, Reply

log = logging.getLogger(__name__)
Handler = Callable[[Invocation, str], Awaitable[Reply]]


class UsageError(ValueError):
    """Wrong input from a member; the message says what to type instead."""


@dataclass(frozen=True, slots=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    handler: Handler
    manager_only: bool = False


@dataclass(slots=True)
class CommandSpec:
    name: str
    summary: str
    subcommands: dict[str, Subcommand] = field(default_factory=dict)
    default: str | None = None  # the subcommand used when none is typed

    def add(self, sub: Subcommand) -> None:
        self.subcommands[sub.name] = sub


class Registry:
    def __init__(self) -> None:
        self.commands: dict[str, CommandSpec] = {}

    def add(self, spec: CommandSpec) -> None:
        self.commands[spec.name] = spec

    async def dispatch(self, invocation: Invocation) -> Reply:
        """Run the invocation; wrong input becomes a one-line reply, never an exception."""
        spec = self.commands.get(invocation.command.lstrip("/").lower())
        if spec is None:
            return error_reply(f"there is no /{invocation.command.lstrip('/')} command; "
                               "type /help to see them all")
        # Any whitespace ends the first word: a pasted announcement may follow on a new line.
        word, rest = (re.split(r"\s+", invocation.args.strip(), maxsplit=1) + [""])[:2]
        sub = spec.subcommands.get(word.lower())
        if sub is None and spec.default is not None:
            sub, rest = spec.subcommands[spec.default], invocation.args.strip()
        if sub is None:
            names = " | ".join(spec.subcommands)
            return error_reply(f"/{spec.name} needs one of: {names}; e.g. "
                               f"{next(iter(spec.subcommands.values())).usage}")
        if sub.manager_only and not invocation.is_manager:
            return error_reply(f"only channel managers can use {sub.usage.split(' <')[0]}; "
                               "ask one of them")
        try:
            return await sub.handler(invocation, rest.strip())
        except UsageError as error:
            return error_reply(f"{error} (usage: {sub.usage})")
        except Exception:  # a command must never take the bot down
            log.exception("command /%s %s failed", spec.name, sub.name)
            return error_reply("something went wrong on our side; the operator can see "
                               "the details in the log. Please try again later.")


def channel_key(invocation: Invocation) -> str:
    """The store's name for the channel a command came from: `PLATFORM:ID`."""
    return f"{invocation.channel.platform}:{invocation.channel.id}"


def who(invocation: Invocation) -> str:
    """How a reply names the member who typed the command."""
    return invocation.user.name or invocation.user.id


def error_reply(text: str) -> Reply:
    return Reply(Message(text=text), ephemeral=True, refused=True)


MAX_RESULTS = 20


def count_arg(args: str, example: str, default: int = 5) -> int:
    """An optional `[n]` argument: a whole number from 1 to MAX_RESULTS."""
    if not args:
        return default
    if not args.isdigit() or not 1 <= int(args) <= MAX_RESULTS:
        raise UsageError(f"give a number from 1 to {MAX_RESULTS}, e.g. {example}")
    return int(args)
