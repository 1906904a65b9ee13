"""Command declarations: each subcommand declares its parameters once (name, kind,
required, choices, description, autocomplete, example) and its flags (slow, managers
only). The usage line, /help, the text parsing of Slack and the console, and the Discord
app-command schema are all read from these declarations, never from usage text.

    papers = Group("papers", "search and list papers")

    @papers.sub("latest", "the newest papers",
                Param("n", INT, "how many (1 to 20)", required=False, min_value=1,
                      max_value=20, example="5"))
    async def latest(ctx, invocation, n=5): ...
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

Handler = Callable[..., Awaitable[Any]]  # (ctx, invocation, **values) -> Reply
SAID = 40  # characters of one typed word a refusal says back


class UsageError(ValueError):
    """Wrong input from a member; the message says what to type instead."""


_LONG_RUN = re.compile(rf"\S{{{2 * SAID + 1},}}")


def said(text: str) -> str:
    """`text` as a refusal may say it back: any run over 2 * SAID characters without a space
    (a pasted blob, 10,000 digits) cut to SAID and an ellipsis, so the reply stays one short
    line on every platform and its advice is not buried."""
    def cut(run: re.Match[str]) -> str:
        closing = run.group()[-1] if run.group()[-1] in "'\")]" else ""
        return run.group()[:SAID] + "…" + closing
    return _LONG_RUN.sub(cut, text)


def _whole_number(text: str) -> int:
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


_TALK_ID = re.compile(r"talk-[0-9a-f]{12}")  # bot.models.talk_id


def _talk_id(text: str) -> str:
    """A talk id as a member pastes it: in any case (a phone capitalises it), in quotes or
    backticks, with the punctuation around it; other text is left for the handler's
    refusal."""
    found = _TALK_ID.search(text.lower())
    return found.group() if found else text


@dataclass(frozen=True, slots=True)
class Kind:
    """What a parameter holds: how typed text becomes its value (`parse` raises ValueError
    for text of the wrong form), whether it takes the rest of the line, and what a platform
    can suggest while it is typed."""

    name: str
    python: type = str  # the value's type once parsed (Discord: string or integer option)
    rest: bool = False  # takes the rest of the line, spaces and all
    suggest: str | None = None
    parse: Callable[[str], Any] = str


WORD = Kind("word")
TEXT = Kind("text", rest=True)
QUERY = Kind("query", rest=True)
INT = Kind("whole number", int, parse=_whole_number)
CHOICE = Kind("choice", parse=str.lower)
DURATIONS = Kind("durations", rest=True)  # 1d,15m; read by bot.commands.values
ZONE = Kind("time zone", rest=True, suggest="timezones")  # `new york`
CLOCK = Kind("time of day")
URL = Kind("web address")
TALK = Kind("talk id", suggest="talks", parse=_talk_id)
SUBSCRIPTION = Kind("subscription id", int, suggest="subscriptions",
                    parse=lambda text: _whole_number(text.lstrip("#")))
SOURCE = Kind("source name", suggest="sources")
COMMAND = Kind("command", parse=lambda text: text.lstrip("/").split(" ")[0].lower())


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a subcommand, declared once."""

    name: str  # the handler's keyword and the Discord option's name
    kind: Kind
    description: str
    required: bool = True
    placeholder: str = ""  # how the usage line writes it; the name when empty
    choices: tuple[str, ...] = ()
    suggest: str | None = None  # autocomplete source; the kind's when None
    example: str = ""  # a value a member might type
    multiline: bool = False  # may hold lines: Discord asks in a form when it is left out
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    missing: str = ""  # what to say when a required value is left out
    invalid: str = ""  # what to say for a value of the wrong form; {value} is what was typed

    @property
    def usage(self) -> str:
        shown = self.placeholder or self.name
        return f"<{shown}>" if self.required else f"[{shown}]"

    @property
    def autocomplete(self) -> str | None:
        return None if self.choices else self.suggest or self.kind.suggest

    def wrong(self, typed: str, path: str) -> str:
        if len(typed) > SAID:  # said back, not pasted back: a reply must fit any platform
            typed = typed[:SAID] + "…"
        if self.invalid:
            return self.invalid.format(value=typed)
        if self.min_value is not None and self.max_value is not None:
            return (f"give a number from {self.min_value} to {self.max_value}, "
                    f"e.g. {path} {self.example}")
        if self.choices:
            return (f"{typed!r} is not one of {', '.join(self.choices)}, "
                    f"e.g. {path} {self.example}")
        return f"{typed!r} is not a {self.kind.name}, e.g. {path} {self.example}"

    def value(self, raw: object, path: str) -> Any:
        """The typed value of what a member gave, as text (Slack, console) or already
        typed (Discord); checked against the choices and range either way."""
        value = raw
        if isinstance(raw, str):
            if self.max_length is not None and len(raw) > self.max_length:
                # Discord enforces the declared length; typed text (Slack, the console)
                # is held to it here, before anything reads or stores it.
                raise UsageError(f"the {self.placeholder or self.name} is {len(raw):,} "
                                 f"characters long; keep it to {self.max_length:,}, e.g. "
                                 f"{path} {self.example}")
            try:
                value = self.kind.parse(raw)
            except ValueError:
                raise UsageError(self.wrong(raw, path)) from None
        if self.choices and value not in self.choices:
            raise UsageError(self.wrong(str(value), path))
        if isinstance(value, int) and not (
                (self.min_value is None or value >= self.min_value)
                and (self.max_value is None or value <= self.max_value)):
            raise UsageError(self.wrong(str(raw), path))
        return value


@dataclass(frozen=True, slots=True)
class Subcommand:
    name: str
    summary: str
    handler: Handler
    params: tuple[Param, ...] = ()
    manager_only: bool = False
    slow: bool = False  # may take a while (search, reading, adding a source): defer first
    bare: bool = False  # typed without its name (`/settings`, `/remind <talk id>`)
    extra: str = ""  # refuse words beyond the parameters, saying this ({word}: the first)
    loose: bool = False  # words beyond the parameters are read past (/help seminars add)
    group: str = ""  # the command it belongs to (set by Group.add)

    @property
    def path(self) -> str:
        return f"/{self.group}" if self.bare else f"/{self.group} {self.name}"

    @property
    def usage(self) -> str:
        return " ".join([self.path, *(p.usage for p in self.params)])

    def parse(self, text: str) -> dict[str, Any]:
        """Typed text: each parameter takes one word, or the rest of the line."""
        values: dict[str, Any] = {}
        rest = text.strip()
        for param in self.params:
            if not rest:
                if param.required:
                    raise UsageError(self._missing(param))
                break
            word, rest = ((rest, "") if param.kind.rest else
                          (re.split(r"\s+", rest, maxsplit=1) + [""])[:2])
            values[param.name] = param.value(word, self.path)
        if rest and not self.loose:  # a word left over was meant: refused, not half read
            word = rest.split()[0]
            raise UsageError(self.extra.format(word=word) if self.extra else
                             f"{self.path} takes nothing more than "
                             f"{' and '.join(p.name for p in self.params) or 'its name'} "
                             f"({word!r} is one word too many), e.g. "
                             f"{' '.join([self.path, *(p.example for p in self.params)])}"
                             .rstrip())
        return values

    def typed(self, given: Mapping[str, object]) -> dict[str, Any]:
        """Values a platform gave already typed (Discord options), checked the same way."""
        values: dict[str, Any] = {}
        for param in self.params:
            raw = given.get(param.name)
            raw = raw.strip() if isinstance(raw, str) else raw
            if raw is None or raw == "":
                if param.required:
                    raise UsageError(self._missing(param))
                continue
            values[param.name] = param.value(raw, self.path)
        return values

    def _missing(self, param: Param) -> str:
        return param.missing or (f"say the {param.placeholder or param.name}, e.g. "
                                 f"{self.path} {param.example}")


@dataclass(slots=True)
class Group:
    """A slash command: its subcommands, the one used when none is typed, and, for one
    whose subcommands differ only by a word before the same parameters, the choice that
    lets a platform show it as one command (`/subscribe query:… kinds:papers`)."""

    name: str
    summary: str
    default: str | None = None
    choice: Param | None = None
    subcommands: dict[str, Subcommand] = field(default_factory=dict)

    def add(self, sub: Subcommand) -> None:
        self.subcommands[sub.name] = replace(sub, group=self.name)

    def sub(self, name: str, summary: str, *params: Param, **flags: Any):
        """Declare the decorated function as the subcommand `name` (returned unchanged)."""
        def declare(handler: Handler) -> Handler:
            self.add(Subcommand(name, summary, handler, params, **flags))
            return handler
        return declare

    def copy(self) -> Group:
        return replace(self, subcommands=dict(self.subcommands))

    def resolve(self, text: str) -> tuple[Subcommand | None, str]:
        """The subcommand typed text names (its first word, else the default) and the rest."""
        # Any whitespace ends the first word: a pasted announcement may follow on a new line.
        word, rest = (re.split(r"\s+", text.strip(), maxsplit=1) + [""])[:2]
        sub = self.subcommands.get(word.lower())
        if sub is None and self.default is not None:
            return self.subcommands[self.default], text.strip()
        return sub, rest.strip()
