"""Plain-text rendering of a neutral Message: the console's format and every platform's
fallback text; and whether a link's text spells another address than the link's own."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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


# An address a reader takes a link's text for: a URL, or a host name with a common top-level
# domain (`arxiv.org/abs/…`; `Node.js` is no address). Letters of any script, for look-alikes.
_SPELLED = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.@-])(?:[\w-]+\.)+(?:com|org|net|edu|gov"
                      r"|io|ai|dev|app|info|co|me|ly|uk|de|fr|cn|jp|ru|ca|au|in|it|nl|ch|se"
                      r"|eu|us|be|es|pl|br|kr|tw|hk|sg)(?![\w-])\S*", re.IGNORECASE)


def _host(text: str) -> str:
    try:
        host = urlsplit(text if "://" in text else "http://" + text).hostname or ""
    except ValueError:  # `http://[::1` and other unparsable hosts
        return ""
    host = host.rstrip(".").removeprefix("www.")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def disguised(label: str, url: str | None) -> str | None:
    """The host `url` really leads to, when `label` spells another address (a feed's title
    `arxiv.org/abs/2401.00001` over a link elsewhere): the link must then show where it
    goes. None when the text names no address, or the same site as the link."""
    if not url:
        return None
    target = _host(url)
    for spelled in _SPELLED.finditer(label):
        shown = _host(spelled.group().rstrip(".,;:!?)]}>'\"…"))
        if shown and not (shown == target or target.endswith("." + shown)
                          or shown.endswith("." + target)):
            return target or url
    return None
