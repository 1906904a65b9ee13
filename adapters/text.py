"""Plain-text rendering of a neutral Message: the console's format and every platform's
fallback text."""

from __future__ import annotations

from bot.chat import Message, inert


def to_text(message: Message, *, votes: bool = False) -> str:
    """The message's plain text plus its buttons' links, which text cannot click; a list
    message shows each item the same way, numbered. With `votes` (the console, which has
    no buttons) a paper says how to vote on it."""
    if message.items:
        lines = [inert(message.title or "")]
        for number, item in enumerate(message.items, 1):
            # Continuation lines line up under the item's first line.
            lines.append(f"{number:>2}. "
                         + to_text(item, votes=votes).replace("\n", "\n    "))
        return "\n".join(lines)
    lines = [inert(message.text)]
    lines += [inert(f"[{button.label}] {button.url}") for button in message.buttons]
    if votes and message.vote_on:
        lines.append(f"[👍/👎] /papers vote {message.vote_on} up|down")
    return "\n".join(lines)
