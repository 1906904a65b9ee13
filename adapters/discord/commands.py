"""The app-command tree, built from the commands' declarations: groups for commands with
several subcommands, typed options with descriptions, choices and autocomplete, and
`default_permissions(manage_channels)` on commands only managers may use (the registry
checks the member's permission again on every call)."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Optional  # noqa: UP035 (discord.py reads the annotations)
from zoneinfo import available_timezones

import discord
from discord import app_commands

from adapters.discord.interactions import Responder
from adapters.discord.options import (
    CHOICE_LIMIT,
    Option,
    Shape,
    description,
    shapes,
    values_of,
)
from bot.chat import ChannelRef, inert
from bot.commands.declare import Subcommand
from bot.commands.registry import Registry, error_reply

log = logging.getLogger(__name__)

# What the core can suggest for a channel: kind ("subscriptions", "sources" or "series"),
# channel and, for series, what was typed -> [(value, label)]. Wired in by the composition
# root, which has the store.
Suggest = Callable[..., Sequence[tuple[str, str]]]
MANAGE = discord.Permissions(manage_channels=True)
_STATIC = {"offsets": ("default", "off", "1d,15m", "1h", "2h,10m", "1d"),
           "digest": ("off", "08:00", "09:00", "12:00", "17:00"),
           "before": ("15m", "5m", "30m", "1h", "1d", "1d,15m")}


def build_tree(client: discord.Client, registry: Registry, responder: Responder,
               suggest: Suggest | None = None) -> app_commands.CommandTree:
    tree = app_commands.CommandTree(client)
    for shape in shapes(registry):
        tree.add_command(_command(shape, responder, suggest))

    async def on_error(interaction: discord.Interaction, error: Exception) -> None:
        log.error("/%s failed", getattr(interaction.command, "qualified_name", "?"),
                  exc_info=error)
        if interaction.type is discord.InteractionType.application_command:
            await responder.answer(interaction, error_reply(
                "something went wrong on our side; the operator can see the details in "
                "the log. Please try again later."))

    tree.on_error = on_error
    return tree


def _command(shape: Shape, responder: Responder, suggest: Suggest | None):
    spec = shape.spec
    managers_only = all(sub.manager_only for sub in spec.subcommands.values())
    if not shape.group:
        sub = spec.subcommands[spec.default] if shape.choice else next(
            iter(spec.subcommands.values()))
        command = _leaf(spec.name, spec.summary, shape, sub, responder, suggest)
        command.guild_only = True
        if managers_only:
            command.default_permissions = MANAGE
        return command
    # Discord sets default permissions per top-level command only: a group with any
    # subcommand for every member stays visible, and the registry refuses the others.
    group = app_commands.Group(name=spec.name, description=description(spec.summary),
                               guild_only=True,
                               default_permissions=MANAGE if managers_only else None)
    for sub in spec.subcommands.values():
        group.add_command(_leaf(sub.name, sub.summary, shape, sub, responder, suggest,
                                parent=group))
    return group


def _leaf(name: str, summary: str, shape: Shape, sub: Subcommand, responder: Responder,
          suggest: Suggest | None, parent: app_commands.Group | None = None):
    spec, options = shape.spec, list(shape.options[sub.name])
    if shape.choice:
        options.append(shape.choice)
    multiline = next((o for o in options if o.multiline), None)

    async def callback(interaction: discord.Interaction, **given: Any) -> None:
        chosen = spec.subcommands[given.pop(shape.choice.name, None) or sub.name] \
            if shape.choice else sub
        if multiline is not None and not given.get(multiline.name):
            form = responder.paste_form(spec.name, chosen.name, multiline.name,
                                        f"/{spec.name} {chosen.name}")
            await interaction.response.send_modal(form)
            return
        values = values_of(shape.options[chosen.name], given)
        await responder.run(interaction, spec.name, sub=chosen.name, values=values,
                            slow=chosen.slow)

    callback.__signature__ = _signature(options)
    callback.__discord_app_commands_param_description__ = {
        o.name: o.description for o in options}
    callback.__discord_app_commands_param_choices__ = {
        o.name: [app_commands.Choice(name=c, value=c) for c in o.choices]
        for o in options if o.choices}
    callback.__discord_app_commands_param_autocomplete__ = {
        o.name: _autocomplete(o, suggest) for o in options if o.suggest and not o.choices}
    return app_commands.Command(name=name, description=description(summary),
                                callback=callback, parent=parent,
                                extras={"registry": (spec.name, sub.name)})


def _signature(options: list[Option]) -> inspect.Signature:
    params = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for option in options:
        kind: Any = int if option.integer else str
        if option.integer and (option.min_value or option.max_value):
            kind = app_commands.Range[int, option.min_value, option.max_value]
        elif option.max_length:
            kind = app_commands.Range[str, 1, option.max_length]
        params.append(inspect.Parameter(
            option.name, inspect.Parameter.KEYWORD_ONLY,
            annotation=kind if option.required else Optional[kind],  # noqa: UP045
            default=inspect.Parameter.empty if option.required else None))
    return inspect.Signature(params)


def _autocomplete(option: Option, suggest: Suggest | None):
    async def complete(interaction: discord.Interaction, current: str):
        current = str(current or "")
        pairs = suggestions(option.suggest, current, interaction, suggest)
        # A choice's name is one line of at most 100 characters (a title may hold lines,
        # tabs or controls from its feed).
        return [app_commands.Choice(name=" ".join(inert(label).split())[:100] or value,
                                    value=int(value) if option.integer else value)
                for value, label in pairs
                if (value.isdigit() if option.integer else 0 < len(value) <= 100)
                ][:CHOICE_LIMIT]
    return complete


def suggestions(kind: str | None, current: str, interaction: discord.Interaction,
                suggest: Suggest | None) -> list[tuple[str, str]]:
    """Values matching what the member has typed so far, best first (at most 25)."""
    if kind == "timezones":
        return [(zone, zone) for zone in _zones(current.strip().lower())]
    if kind in _STATIC:
        return [(v, v) for v in _STATIC[kind] if v.startswith(current.strip().lower())]
    if suggest is None:
        return []
    channel = ChannelRef("discord", str(interaction.channel_id))
    if kind == "series":  # a query: offer `series:"…"` in place of its last word
        head, _, last = current.rpartition(" ")
        typed = last.lower()
        if not (typed.startswith("series:") or "series:".startswith(typed)):
            return []
        needle = typed[7:].strip('"')
        prefix = head + " " if head else ""
        # A quote inside a name would end the phrase: words match without it.
        return [(prefix + f'series:"{" ".join(value.replace(chr(34), " ").split())}"',
                 f"series: {label}")
                for value, label in suggest("series", channel, needle)
                if needle in value.lower()][:CHOICE_LIMIT]
    needle = current.strip().lower()
    return [(value, label) for value, label in suggest(kind or "", channel)
            if needle in label.lower() or needle in value.lower()][:CHOICE_LIMIT]


def _zones(needle: str) -> list[str]:
    if not needle:
        return ["default", "UTC", "Europe/London", "Europe/Berlin", "America/New_York",
                "America/Los_Angeles", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney"]
    starts = [z for z in _all_zones() if z.lower().startswith(needle)
              or z.lower().split("/")[-1].startswith(needle)]
    inside = [z for z in _all_zones() if needle in z.lower() and z not in starts]
    return (starts + inside)[:CHOICE_LIMIT]


@cache
def _all_zones() -> tuple[str, ...]:
    # Never suggest what /settings timezone refuses (bot.timezones.NOT_ZONES: no place's
    # clock); the adapter keeps to the command declarations, so the names are spelled here.
    return tuple(sorted(available_timezones() - {"localtime", "Factory", "posixrules"}))
