"""Test doubles that behave like the real parts: an adapter that records what it posts."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.text import to_text
from bot.chat import ChannelRef, DeliveryError, Message, SentRef


@dataclass
class FakeAdapter:
    """Records every message; `fail_with` makes the next sends raise."""

    platform: str = "console"
    sent: list[tuple[str, Message]] = field(default_factory=list)
    fail_with: DeliveryError | None = None

    started: bool = False

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.started = False

    async def send(self, channel: ChannelRef, message: Message) -> SentRef:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append((f"{channel.platform}:{channel.id}", message))
        return SentRef(channel, str(len(self.sent)))

    def texts(self, channel: str | None = None) -> list[str]:
        return [to_text(m) for c, m in self.sent if channel is None or c == channel]
