"""The Discord adapter (discord.py): gateway connection, app commands built from the
registry, and messages as embeds. `discord` is imported only inside this package."""

from adapters.discord.adapter import (
    DEFAULT_API_URL,
    DiscordAdapter,
    DiscordError,
    sync_commands,
)
from adapters.discord.commands import Suggest
from adapters.discord.pacing import Pacer

__all__ = ["DEFAULT_API_URL", "DiscordAdapter", "DiscordError", "Pacer", "Suggest",
           "sync_commands"]
