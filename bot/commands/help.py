"""/help [command]: the commands and their usage lines, read from the declarations."""

from __future__ import annotations

from functools import partial

from bot.chat import Invocation, Message, Reply
from bot.commands.declare import COMMAND, Group, Param, Subcommand
from bot.commands.registry import Registry

CHOICE_LIMIT = 25  # Discord offers at most 25 choices
QUERY_HELP = ("Queries: words, \"a phrase\", OR, -word or NOT word, (groups), fields "
              "author: cat: title: source: speaker: series:; or/and/not work in lowercase "
              "too.")


def help_group(registry: Registry) -> Group:
    """/help for the commands in `registry` (itself included once added)."""
    names = (*registry.commands, "help")[:CHOICE_LIMIT]
    group = Group("help", "what lectern can do", default="show")
    group.add(Subcommand("show", "list the commands", partial(show, registry), (Param(
        "command", COMMAND, "a command to explain", required=False, choices=names,
        example="sources", invalid="there is no /{value} command"),), bare=True, loose=True))
    return group


async def show(registry: Registry, ctx: object, invocation: Invocation,
               command: str = "") -> Reply:
    if command:
        group = registry.commands[command]
        lines = [f"/{group.name}: {group.summary}"]
        lines += [f"  {sub.usage}  {sub.summary}"
                  + (" (channel managers only)" if sub.manager_only else "")
                  for sub in group.subcommands.values()]
        return Reply(Message(text="\n".join(lines)))
    lines = ["lectern commands (type /help <command> for details):"]
    for group in registry.commands.values():
        lines.append("  " + " | ".join(sub.usage for sub in group.subcommands.values()))
    lines.append(QUERY_HELP)
    return Reply(Message(text="\n".join(lines)))
