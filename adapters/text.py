"""Plain-text rendering of a neutral Message: the console's format and every platform's
fallback text."""

from __future__ import annotations

import re

from bot.chat import Message

# Characters that act instead of showing: C0 and C1 controls but tab and newline (ESC
# starts a terminal's escape sequence, CR overwrites a line, NUL ends C strings) and the
# bidirectional embeddings, overrides and isolates (U+202E shows `gpj.exe` as `exe.jpg`).
# Zero-width spaces and joiners stay: lectern breaks mentions and marks posts with them.
_ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """`text` without the characters that would act on a terminal or reorder a line."""
    return _ACTING.sub("", text)


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
