"""Platform-neutral chat types: who and where (ChannelRef, UserRef), what (Message, Reply),
the parsed slash command (Invocation), the Adapter protocol every platform implements, and
`inert`: text without the characters that act instead of showing, for any platform or file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.plaintext import inert as inert  # (for the adapters, which use it on every post)

DIRECT = "@"  # a ChannelRef id `@U123` is a direct message to user U123


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """Where a message goes: a channel, or with an id of `@USER` (DIRECT), a direct
    message to that user (personal reminders); adapters open the conversation."""

    platform: str  # "console", "slack", "discord"
    id: str

    @classmethod
    def to_user(cls, platform: str, user_id: str) -> ChannelRef:
        return cls(platform, DIRECT + user_id)

    @property
    def user(self) -> str | None:
        """The user a direct message goes to; None for a channel."""
        return self.id.removeprefix(DIRECT) if self.id.startswith(DIRECT) else None


@dataclass(frozen=True, slots=True)
class UserRef:
    id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    url: str


@dataclass(slots=True)
class Message:
    """What to say, before any platform formats it. `text` is the plain-text fallback."""

    text: str
    title: str | None = None
    link: str | None = None
    body: str | None = None
    fields: list[tuple[str, str]] = field(default_factory=list)
    context: str | None = None
    buttons: list[Button] = field(default_factory=list)
    items: list[Message] = field(default_factory=list)  # e.g. the papers of a result list
    # What the message is about, for platform formatting: "paper", "talk", "reminder",
    # "updated", "cancelled", "digest", "list" or None for plain replies.
    kind: str | None = None
    # A talk's start and end, so a platform can show each reader their own zone
    # (Slack date tokens, Discord <t:...>); `fields` hold the same in the channel's zone.
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    # The SentRef id of the message this one follows up (a talk's first announcement):
    # adapters thread or reply under it where the platform can.
    reply_to: str | None = None
    # A stable key per delivery, for platforms that can refuse a duplicate (Discord nonce).
    key: str | None = None
    # Set when a run died while this message was claimed (it may already be posted): when
    # it was first claimed, so a platform without a nonce (Slack) can look for it first.
    maybe_sent_since: datetime | None = None
    # The paper this message (or list item) shows, for the platform's 👍/👎 buttons: a click
    # is `/papers vote <id> up|down` by the member who clicked (bot.commands.taste).
    vote_on: str | None = None


@dataclass(slots=True)
class Reply:
    message: Message
    ephemeral: bool = True
    refused: bool = False  # the command was not carried out (wrong input, not allowed, a bug)


@dataclass(frozen=True, slots=True)
class Invocation:
    """A slash command as typed: `/papers search diffusion` -> command "papers",
    args "search diffusion". A platform with typed options (Discord) names the
    `subcommand` and gives its `values` by parameter name instead of text to parse."""

    command: str
    args: str
    channel: ChannelRef
    user: UserRef
    is_manager: bool = False
    subcommand: str | None = None
    values: Mapping[str, object] | None = None


@dataclass(frozen=True, slots=True)
class SentRef:
    channel: ChannelRef
    id: str


@runtime_checkable
class Adapter(Protocol):
    """One chat platform, as `lectern run` drives it: started once (connect, listen for
    slash commands), sent through any number of times, stopped once at the end. `send`
    also works unstarted where the platform allows (`lectern dispatch` sends without
    listening); `stop` after a failed or missing `start` is harmless."""

    platform: str  # "console", "slack", "discord": the ChannelRef.platform it serves

    async def start(self) -> None:
        """Connect and listen; raise when the platform refuses the configuration."""
        ...

    async def stop(self) -> None:
        """Disconnect and let go of what start took."""
        ...

    async def send(self, channel: ChannelRef, message: Message) -> SentRef:
        """The only outbound call (STYLE.md, habit 2); DeliveryError when not posted."""
        ...


class DeliveryError(Exception):
    """An adapter could not post. `permanent` failures (no access to the channel) pause
    the channel instead of being retried; `retry_after` is a hint. `credentials`: the
    platform refused the bot's own token, so no channel of it can be posted to until the
    operator fixes the token and restarts lectern; no channel is paused for it."""

    def __init__(self, message: str, *, permanent: bool = False,
                 retry_after: float | None = None, credentials: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent and not credentials
        self.retry_after = retry_after
        self.credentials = credentials
