"""The command registry: declared command groups whose plain async handlers return a Reply.

Adapters turn platform events into an Invocation and call `dispatch`; handlers never do
I/O on the chat platform (STYLE.md, habit 1). An Invocation carries either the text a
member typed (Slack, the console), parsed here by the declarations, or values a platform
already typed (Discord options), checked by the same declarations.
"""

from __future__ import annotations

import difflib
import logging
from typing import Any

from bot.chat import Invocation, Message, Reply
from bot.commands.declare import INT, Group, Subcommand, UsageError, said
from bot.foreground import Foreground

__all__ = ["MAX_RESULTS", "Registry", "UsageError", "channel_key", "error_reply", "who"]
log = logging.getLogger(__name__)
MAX_RESULTS = 20


def _unencodable(invocation: Invocation) -> bool:
    """Whether the typed text cannot be stored or searched (it is not valid UTF-8 text)."""
    texts = [invocation.args, *(v for v in (invocation.values or {}).values()
                                if isinstance(v, str))]
    try:
        for text in texts:
            text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Registry:
    def __init__(self, ctx: Any = None, foreground: Foreground | None = None) -> None:
        self.ctx = ctx  # what every handler gets first (bot.commands.context.BotContext)
        self.commands: dict[str, Group] = {}
        # Adapters answer each command inside `foreground.serving()`; the dispatcher's
        # senders give way to them (bot.foreground).
        self.foreground = foreground or Foreground()

    def add(self, group: Group) -> None:
        """Add a copy: declarations are module-level and stay as declared."""
        self.commands[group.name] = group.copy()

    def subcommand(self, command: str, args: str) -> Subcommand | None:
        """The subcommand a typed command names, if any."""
        group = self.commands.get(command.lstrip("/").lower())
        return group.resolve(args)[0] if group is not None else None

    def _unknown(self, name: str, args: str) -> str:
        """`/paper latest` -> did you mean /papers latest?"""
        near = difflib.get_close_matches(name.lower(), list(self.commands), n=1, cutoff=0.6)
        if not near:
            return f"there is no /{name} command; type /help to see them all"
        typed = f"/{near[0]} {' '.join(args.split()[:4])[:60]}".strip()
        return f"there is no /{name} command; did you mean {typed}? (/help lists them all)"

    async def dispatch(self, invocation: Invocation) -> Reply:
        """Run the invocation; wrong input becomes a one-line reply, never an exception."""
        name = invocation.command.lstrip("/")
        group = self.commands.get(name.lower())
        if group is None:
            return error_reply(self._unknown(name, invocation.args))
        if invocation.subcommand is not None:
            sub, rest = group.subcommands.get(invocation.subcommand), ""
        else:
            sub, rest = group.resolve(invocation.args)
        if sub is None:
            example = next(iter(group.subcommands.values())).usage
            return error_reply(f"/{group.name} needs one of: {' | '.join(group.subcommands)}; "
                               f"e.g. {example}")
        if invocation.subcommand is None and (wrong := _no_such(group, sub, invocation.args)):
            return error_reply(wrong)
        if sub.manager_only and not invocation.is_manager:
            return error_reply(f"only channel managers can use {sub.path}; ask one of them")
        if _unencodable(invocation):
            return error_reply("the command holds characters that are not valid text (lone "
                               "surrogates, e.g. from a broken paste); type it again")
        try:
            values = (sub.typed(invocation.values) if invocation.values is not None
                      else sub.parse(rest))
            return await sub.handler(self.ctx, invocation, **values)
        except UsageError as error:
            return error_reply(f"{error} (usage: {sub.usage})")
        except Exception:  # a command must never take the bot down
            log.exception("command /%s %s failed", group.name, sub.name)
            return error_reply("something went wrong on our side; the operator can see "
                               "the details in the log. Please try again later.")


def _no_such(group: Group, sub: Subcommand, typed: str) -> str | None:
    """`/seminars list`, `/sources lst`: a word where the default subcommand takes nothing
    or a number names a subcommand there is not; say which there are (not "give a number",
    nor the default's answer as if the word were not there)."""
    words = typed.split(maxsplit=1)
    if (sub.name != group.default or not words or not words[0].isalpha() or sub.extra
            or words[0].lower() in group.subcommands
            or (sub.params and sub.params[0].kind is not INT)):
        return None
    word = words[0]
    if len(group.subcommands) == 1:
        return f"/{group.name} takes no words; type {sub.usage} alone"
    near = difflib.get_close_matches(word.lower(), list(group.subcommands), n=1, cutoff=0.6)
    hint = f"did you mean /{group.name} {near[0]}? " if near else ""
    return (f"there is no /{group.name} {word}; {hint}/{group.name} takes "
            f"{' | '.join(group.subcommands)}, e.g. {sub.usage}")


def channel_key(invocation: Invocation) -> str:
    """The store's name for the channel a command came from: `PLATFORM:ID`."""
    return f"{invocation.channel.platform}:{invocation.channel.id}"


def who(invocation: Invocation) -> str:
    """How a reply names the member who typed the command."""
    return invocation.user.name or invocation.user.id


def error_reply(text: str) -> Reply:
    """A refusal, on one line whatever it says back (a button's value or a form's text may
    hold line breaks or a run of spaces); what it says back of what was typed is cut short
    (declare.said). str.split, not a pattern: linear on any input."""
    return Reply(Message(text=" ".join(said(text).split())), ephemeral=True, refused=True)
