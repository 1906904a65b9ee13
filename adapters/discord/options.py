"""How declared commands become Discord app commands (pure): which are groups, and the
options of each, read from the subcommands' declared parameters (bot.commands.declare):
types, descriptions, choices, ranges and autocomplete. Nothing is read from usage text.

`/sources add` declares kind (a choice), url and an optional name -> group `sources`,
subcommand `add` with those three options. A command whose subcommands differ only by a
word and declares a `choice` (`/subscribe`) is one command with that choice as an option.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.commands.declare import Group, Param
from bot.commands.registry import Registry

DESCRIPTION_LIMIT, CHOICE_LIMIT = 100, 25


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    required: bool
    description: str
    integer: bool = False
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    suggest: str | None = None  # autocomplete: "timezones", "subscriptions", "sources", ...
    multiline: bool = False  # left out, a form (modal) with a multi-line box asks for it


def option_of(param: Param) -> Option:
    return Option(param.name, param.required and not param.multiline,
                  description(param.description), integer=param.kind.python is int,
                  min_value=param.min_value, max_value=param.max_value,
                  max_length=param.max_length, choices=param.choices[:CHOICE_LIMIT],
                  suggest=param.autocomplete, multiline=param.multiline)


@dataclass(slots=True)
class Shape:
    """One Discord command for one registry command: a group of subcommands, or a single
    command (whose options are those of its subcommands' shared parameters plus the
    `choice` that picks the subcommand)."""

    spec: Group
    group: bool
    options: dict[str, list[Option]] = field(default_factory=dict)  # subcommand -> options
    choice: Option | None = None  # for a flattened command: which subcommand


def shapes(registry: Registry) -> list[Shape]:
    return [shape_of(spec) for spec in registry.commands.values()]


def shape_of(spec: Group) -> Shape:
    options = {name: [option_of(p) for p in sub.params]
               for name, sub in spec.subcommands.items()}
    if len(spec.subcommands) == 1:
        return Shape(spec, False, options)
    signatures = {tuple((o.name, o.required) for o in opts) for opts in options.values()}
    if spec.choice is not None and len(signatures) == 1 and spec.default:
        choice = option_of(spec.choice)
        return Shape(spec, False, options, Option(
            choice.name, False, choice.description, choices=tuple(spec.subcommands)))
    return Shape(spec, True, options)


def values_of(options: list[Option], given: dict[str, object]) -> dict[str, object]:
    """The values a member chose, by parameter name (options left out are absent)."""
    return {o.name: given[o.name] for o in options if given.get(o.name) is not None}


def description(text: str) -> str:
    return (text or "…")[:DESCRIPTION_LIMIT]
