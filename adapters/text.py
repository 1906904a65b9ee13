"""Plain-text rendering of a neutral Message: the console's format and every platform's
fallback text."""

from __future__ import annotations

from bot.chat import Message


def to_text(message: Message) -> str:
    """The message's own plain text plus its buttons' links, which text cannot click."""
    lines = [message.text]
    lines += [f"[{button.label}] {button.url}" for button in message.buttons]
    return "\n".join(lines)
