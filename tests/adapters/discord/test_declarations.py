"""One declaration, every surface: a subcommand's parameters, declared once, give the
Discord app-command schema, the usage line in /help, and the typed values its handler gets
from text (Slack, the console) and from Discord options alike. Adding an option is one
edit in one place: the Param below."""

from __future__ import annotations

import discord

from adapters.discord.commands import build_tree
from adapters.discord.interactions import Responder
from bot.chat import ChannelRef, Invocation, Message, Reply, UserRef
from bot.commands.declare import INT, WORD, Group, Param
from bot.commands.help import help_group
from bot.commands.registry import Registry
from tests.conftest import NOW

COUNT = Param("n", INT, "how many (1 to 20)", required=False, min_value=1, max_value=20,
              example="5")
# The one edit: a new option, declared where the subcommand is.
AUTHOR = Param("author", WORD, "only papers by this author", required=False,
               suggest="authors", example="hinton")


def registry_with(*params: Param) -> tuple[Registry, list[dict]]:
    calls: list[dict] = []
    notes = Group("notes", "a command declared in a test", default="latest")

    @notes.sub("latest", "the newest notes", *params)
    async def latest(ctx, invocation: Invocation, **values) -> Reply:
        calls.append(values)
        return Reply(Message(text="ok"))

    @notes.sub("clear", "forget every note", manager_only=True)
    async def clear(ctx, invocation: Invocation) -> Reply:
        return Reply(Message(text="cleared"))

    registry = Registry()
    registry.add(notes)
    registry.add(help_group(registry))
    return registry, calls


def discord_options(registry: Registry) -> list[dict]:
    client = discord.Client(intents=discord.Intents.none())
    tree = build_tree(client, registry, Responder(registry, lambda: NOW))
    schema = tree.get_command("notes").to_dict(tree)
    [latest] = [o for o in schema["options"] if o["name"] == "latest"]
    return latest.get("options", [])


async def help_text(registry: Registry) -> str:
    reply = await registry.dispatch(invocation("help", "notes"))
    return reply.message.text


def invocation(command: str, args: str = "", **typed) -> Invocation:
    return Invocation(command, args, ChannelRef("console", "lab"), UserRef("u"),
                      is_manager=True, **typed)


async def test_one_declaration_gives_the_discord_schema_help_and_parsing():
    registry, calls = registry_with(COUNT)
    [n] = discord_options(registry)
    assert (n["name"], n["type"], n["required"]) == ("n", 4, False)  # 4: integer
    assert (n["min_value"], n["max_value"], n["description"]) == (1, 20, "how many (1 to 20)")
    assert "/notes latest [n]  the newest notes" in await help_text(registry)
    await registry.dispatch(invocation("notes", "latest 3"))
    assert calls == [{"n": 3}]


async def test_adding_an_option_is_one_edit_in_one_place():
    registry, calls = registry_with(COUNT, AUTHOR)  # the declaration above, plus AUTHOR
    n, author = discord_options(registry)
    assert n["name"] == "n"
    assert (author["name"], author["type"], author["required"]) == ("author", 3, False)
    assert author["description"] == "only papers by this author"
    assert author["autocomplete"] is True
    assert "/notes latest [n] [author]  the newest notes" in await help_text(registry)
    # Typed as text (Slack, the console) and chosen as Discord options: the same values.
    await registry.dispatch(invocation("notes", "latest 3 hinton"))
    await registry.dispatch(invocation("notes", subcommand="latest",
                                       values={"n": 3, "author": "hinton"}))
    assert calls == [{"n": 3, "author": "hinton"}] * 2


async def test_the_declared_checks_hold_for_text_and_typed_values_alike():
    registry, calls = registry_with(COUNT, AUTHOR)
    by_text = await registry.dispatch(invocation("notes", "latest 50"))
    by_option = await registry.dispatch(invocation("notes", subcommand="latest",
                                                   values={"n": 50}))
    assert by_text.refused and by_option.refused and calls == []
    assert by_text.message.text == by_option.message.text == (
        "give a number from 1 to 20, e.g. /notes latest 5 (usage: /notes latest [n] "
        "[author])")
