"""/sources: the sources lectern polls and their health."""

from __future__ import annotations

from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.registry import CommandSpec, Subcommand
from bot.models import Source


def health(source: Source) -> str:
    if source.failures:
        return f"failing ({source.failures} in a row): {source.last_error}"
    if source.last_success:
        return f"ok, last success {source.last_success:%Y-%m-%d %H:%M} UTC"
    return "not polled yet"


def sources_command(ctx: BotContext) -> CommandSpec:
    async def list_(invocation: Invocation, args: str) -> Reply:
        sources = ctx.store.list_sources()
        if not sources:
            return Reply(Message(text="No sources yet: the operator adds them to the config "
                                      "file."))
        lines = ["Sources"] + [f"• {s.name} [{s.kind}]: {health(s)}" for s in sources]
        return Reply(Message(text="\n".join(lines), title="Sources"))

    spec = CommandSpec("sources", "the sources lectern polls", default="list")
    spec.add(Subcommand("list", "/sources list", "every source with its health", list_))
    return spec
