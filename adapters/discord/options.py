"""How registry commands become Discord app commands (pure): which are groups, which
options each takes (read from the usage text), their types, descriptions, choices and
autocomplete, and how chosen values become the argument string the registry reads.

`/sources add <kind> <url> [name]` -> group `sources`, subcommand `add`, options `kind`
(choices), `url`, `name` (optional); the values join back into "add <kind> <url> [name]".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.commands.registry import CommandSpec, Registry, Subcommand

_PLACEHOLDER = re.compile(r"<([^>]*)>|\[([^\]]*)\]")
NAME_LIMIT, DESCRIPTION_LIMIT, CHOICE_LIMIT = 32, 100, 25
# Commands whose subcommands differ only in a word before the same arguments become one
# command with a choice (`/subscribe query:… kinds:papers`), named here.
CHOICE_NAMES = {"subscribe": "kinds"}
# Subcommands that may take a while (search, parsing, adding a source): defer at once.
SLOW = {("papers", "search"), ("seminars", "search"), ("seminars", "add"), ("sources", "add")}
# Text Discord cannot keep in a one-line option (a pasted announcement has lines): when the
# option is left out, a form (modal) with a multi-line box asks for it instead.
MULTILINE = {"pasted announcement"}


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    placeholder: str  # as the usage text writes it, e.g. "IANA zone"
    required: bool
    description: str
    integer: bool = False
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    suggest: str | None = None  # autocomplete: "timezones", "subscriptions", "sources", ...


# placeholder -> (name, description, extra settings)
_KNOWN: dict[str, tuple[str, str, dict]] = {
    "query": ("query", "what to look for, e.g. diffusion -video, author:hinton", {}),
    "topic query": ("query", "a topic, e.g. diffusion -video, speaker:hinton, series:colloquium",
                    {}),
    "n": ("n", "how many (1 to 20)", {"integer": True, "min_value": 1, "max_value": 20}),
    "pasted announcement": ("announcement", "the announcement text (leave out to paste it "
                            "with its lines in a form)", {"max_length": 6000}),
    "IANA zone": ("zone", "an IANA time zone, e.g. Europe/London, or default",
                  {"suggest": "timezones"}),
    "offsets, e.g. 1d,15m, or off": ("offsets", "when to remind before a talk, e.g. 1d,15m; "
                                     "off; default", {"suggest": "offsets"}),
    "HH:MM or off": ("time", "local time of the daily digest, e.g. 09:00; off",
                     {"suggest": "digest"}),
    "id": ("id", "the subscription's id (see /subscriptions)",
           {"integer": True, "min_value": 1, "suggest": "subscriptions"}),
    "kind": ("kind", "the kind of source", {}),
    "url": ("url", "the source's address (http or https)", {"max_length": 2000}),
    "name": ("name", "the source's name", {"suggest": "sources"}),
    "command": ("command", "a command to explain", {}),
    "talk id": ("talk", "the talk's id, e.g. talk-0123456789ab (see /seminars upcoming)",
                {"max_length": 100, "suggest": "talks"}),
    "before": ("before", "how long before the talk, e.g. 15m, 1h or 1d,15m (default 15m)",
               {"suggest": "before"}),
}


@dataclass(slots=True)
class Shape:
    """One Discord command for one registry command: a group of subcommands, or a single
    command (whose options are those of `subs`' shared arguments plus the `choice`)."""

    spec: CommandSpec
    group: bool
    options: dict[str, list[Option]] = field(default_factory=dict)  # subcommand -> options
    choice: Option | None = None  # for a flattened command: which subcommand


def shapes(registry: Registry) -> list[Shape]:
    return [shape_of(spec, registry) for spec in registry.commands.values()]


def shape_of(spec: CommandSpec, registry: Registry) -> Shape:
    options = {name: options_of(spec, sub, registry) for name, sub in spec.subcommands.items()}
    if len(spec.subcommands) == 1:
        return Shape(spec, False, options)
    signatures = {tuple((o.name, o.required) for o in opts) for opts in options.values()}
    if spec.name in CHOICE_NAMES and len(signatures) == 1 and spec.default:
        names = tuple(spec.subcommands)
        choice = Option(CHOICE_NAMES[spec.name], "", False,
                        f"which items (default {spec.default})", choices=names)
        return Shape(spec, False, options, choice)
    return Shape(spec, True, options)


def placeholders(usage: str) -> list[tuple[str, bool]]:
    """`/sources add <kind> <url> [name]` -> [("kind", True), ("url", True), ("name", False)]."""
    return [(m.group(1) or m.group(2), m.group(1) is not None)
            for m in _PLACEHOLDER.finditer(usage)]


def options_of(spec: CommandSpec, sub: Subcommand, registry: Registry) -> list[Option]:
    result = []
    for placeholder, required in placeholders(sub.usage):
        # `[before, e.g. 15m]`: the words before the first comma name a known placeholder.
        known = _KNOWN.get(placeholder) or _KNOWN.get(placeholder.partition(",")[0].strip())
        name, description, extra = known or (_slug(placeholder), placeholder, {})
        extra = dict(extra)
        if placeholder == "kind":
            extra["choices"] = _listed(sub.summary)
        elif placeholder == "command":
            extra["choices"] = tuple(registry.commands)[:CHOICE_LIMIT]
        elif placeholder == "name" and sub.name != "remove":
            extra.pop("suggest", None)  # a new source's name: nothing to suggest
            description = "a name for it (default: made from the address)"
        elif placeholder in ("query", "topic query") and spec.name in ("seminars", "subscribe"):
            extra["suggest"] = "series"
        if placeholder in MULTILINE:
            required = False
        result.append(Option(name, placeholder, required, description[:DESCRIPTION_LIMIT],
                             **extra))
    return result


def arguments(sub: Subcommand, options: list[Option], values: dict[str, object]) -> str:
    """The argument string the registry reads, from the values a member chose; it always
    names the subcommand, so a value can never be taken for one."""
    words = [sub.name]
    for option in options:
        value = values.get(option.name)
        if value is not None and str(value).strip():
            words.append(str(value).strip())
    return " ".join(words)


def description(text: str) -> str:
    return (text or "…")[:DESCRIPTION_LIMIT]


def _listed(summary: str) -> tuple[str, ...]:
    """`poll a new source (arxiv-rss, rss, ical)` -> the words in parentheses."""
    found = re.search(r"\(([^)]*)\)", summary)
    words = [w.strip() for w in found.group(1).split(",")] if found else []
    return tuple(w for w in words if re.fullmatch(r"[a-z0-9-]{1,100}", w))[:CHOICE_LIMIT]


def _slug(placeholder: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", placeholder.lower()).strip("_")[:NAME_LIMIT] or "text"
