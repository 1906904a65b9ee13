"""Slash commands: `build_registry` assembles every command group around a BotContext."""

from __future__ import annotations

from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.papers import papers_command
from bot.commands.registry import CommandSpec, Registry, Subcommand, UsageError
from bot.commands.remind import remind_command
from bot.commands.seminars import seminars_command
from bot.commands.settings_cmd import settings_command
from bot.commands.sources import sources_command
from bot.commands.subscriptions import (
    subscribe_command,
    subscriptions_command,
    unsubscribe_command,
)


def build_registry(ctx: BotContext) -> Registry:
    registry = Registry()
    registry.add(papers_command(ctx))
    registry.add(seminars_command(ctx))
    registry.add(remind_command(ctx))
    registry.add(subscribe_command(ctx))
    registry.add(unsubscribe_command(ctx))
    registry.add(subscriptions_command(ctx))
    registry.add(settings_command(ctx))
    registry.add(sources_command(ctx))
    registry.add(_help_command(registry))
    return registry


def _help_command(registry: Registry) -> CommandSpec:
    async def show(invocation: Invocation, args: str) -> Reply:
        name = args.strip().lstrip("/").split(" ")[0].lower()
        if name:
            spec = registry.commands.get(name)
            if spec is None:
                raise UsageError(f"there is no /{name} command")
            lines = [f"/{spec.name}: {spec.summary}"]
            lines += [f"  {sub.usage}  {sub.summary}"
                      + (" (channel managers only)" if sub.manager_only else "")
                      for sub in spec.subcommands.values()]
            return Reply(Message(text="\n".join(lines)))
        lines = ["lectern commands (type /help <command> for details):"]
        for spec in registry.commands.values():
            usages = " | ".join(sub.usage for sub in spec.subcommands.values())
            lines.append(f"  {usages}")
        return Reply(Message(text="\n".join(lines)))

    spec = CommandSpec("help", "what lectern can do", default="show")
    spec.add(Subcommand("show", "/help [command]", "list the commands", show))
    return spec
