"""Text that shows and does not act. `inert` drops the characters a terminal, chat client
or calendar app acts on instead of showing; `make_inert` applies it to the display fields
of a record (storage.store names those of Paper and Talk and cleans everything it stores),
so that no feed, page or paste puts an escape sequence, a NUL or a right-to-left override
into the database."""

from __future__ import annotations

import re

# Characters that act instead of showing: C0 and C1 controls but tab and newline (ESC
# starts a terminal's escape sequence, CR overwrites a line, NUL ends C strings) and the
# bidirectional embeddings, overrides and isolates (U+202E shows `gpj.exe` as `exe.jpg`).
# Zero-width spaces and joiners stay: lectern breaks mentions and marks posts with them.
_ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The ASCII bytes that show (tab and newline too): what is left of ASCII text without them
# acts. A few times faster than the regex on the text most feeds send.
_SHOWN_ASCII = bytes([9, 10, *range(32, 127)])


def inert(text: str) -> str:
    """`text` without the characters that would act on a terminal or reorder a line."""
    return _ACTING.sub("", text)


def acts(text: str) -> bool:
    """Whether `text` holds a character `inert` drops."""
    if text.isascii():
        return bool(text.encode().translate(None, _SHOWN_ASCII))
    return _ACTING.search(text) is not None


def make_inert(item: object, texts: tuple[str, ...], lists: tuple[str, ...]) -> None:
    """Drop the acting characters from `item`'s attributes named in `texts` (strings or
    None) and `lists` (lists of strings), in place."""
    for name in texts:
        value = getattr(item, name)
        if value and acts(value):
            setattr(item, name, inert(value))
    for name in lists:
        values = getattr(item, name)
        if values and acts("".join(values)):
            setattr(item, name, [cleaned for value in values if (cleaned := inert(value))])
