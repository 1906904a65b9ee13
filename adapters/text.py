"""Plain-text rendering of a neutral Message: the console's format and every platform's
fallback text."""

from __future__ import annotations

from bot.chat import Message


def to_text(message: Message) -> str:
    """The message's plain text plus its buttons' links, which text cannot click; a list
    message shows each item the same way, numbered."""
    if message.items:
        lines = [message.title or ""]
        lines += [f"{number}. {to_text(item)}" for number, item in enumerate(message.items, 1)]
        return "\n".join(lines)
    lines = [message.text]
    lines += [f"[{button.label}] {button.url}" for button in message.buttons]
    return "\n".join(lines)
