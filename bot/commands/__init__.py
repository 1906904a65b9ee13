"""Slash commands: one module per command group, each subcommand a plain function declared
with its parameters (bot.commands.declare); `build_registry` puts them around a BotContext."""

from __future__ import annotations

from bot.commands import taste  # noqa: F401,I001 (it adds vote, recommend, similar to papers)
from bot.commands.context import BotContext
from bot.commands.help import help_group
from bot.commands.papers import papers
from bot.commands.registry import Registry
from bot.commands.remind import remind
from bot.commands.seminars import seminars
from bot.commands.settings_cmd import settings
from bot.commands.sources import sources
from bot.commands.subscriptions import subscribe, subscriptions, unsubscribe
from bot.foreground import Foreground

GROUPS = (papers, seminars, remind, subscribe, unsubscribe, subscriptions, settings, sources)


def build_registry(ctx: BotContext, foreground: Foreground | None = None) -> Registry:
    registry = Registry(ctx, foreground)
    for group in GROUPS:
        registry.add(group)
    registry.add(help_group(registry))
    return registry
