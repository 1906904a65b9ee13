"""Slack mrkdwn from untrusted text (pure): escaping, safe links, length-aware trimming and
date tokens. Nothing a source or a member typed can ping `<!channel>`, `<@U…>` or make a link.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from adapters.text import disguised
from bot.chat import inert

ELLIPSIS = "…"
_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$", re.IGNORECASE)
_UNSAFE_IN_URL = {"<": "%3C", ">": "%3E", "|": "%7C", " ": "%20", '"': "%22"}
MAX_URL = 3000
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKS = {"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"}  # ∗ ˍ ∼ ˋ
_PAIRED = "_~"  # formatting only in pairs; lectern itself writes `*` around titles
_EDGE_MARK = re.compile(r"`|(?<![^\W_])[*_~]|[*_~](?![^\W_])")


def escape(text: str) -> str:
    """The three characters Slack parses as markup become entities, a formatting mark that
    could pair becomes a look-alike (`_pieces`), and controls and direction overrides are
    dropped (adapters.text.inert)."""
    return "".join(_pieces(inert(text)))


def _pieces(text: str) -> list[str]:
    """Each character of `text` as Slack must be sent it. Slack has no escape for its
    formatting marks (*bold*, _italic_, ~strike~, `code`; a backslash shows as itself):
    a `*` at a word's edge pairs with lectern's own `*title*` ("A* search" was bold "A"
    then " search*"), a backtick opens code to the end, two `_` or `~` at words' edges
    pair with each other ("~$58k … ~$16k" struck through). Those become look-alikes that
    never format; a mark inside a word (snake_case, a*b) cannot pair and stays."""
    edges = {m.start(): m.group() for m in _EDGE_MARK.finditer(text)}
    pairs = {mark for mark in _PAIRED if text.count(mark) > 1 and
             sum(1 for found in edges.values() if found == mark) > 1}
    loose = {i for i, mark in edges.items() if mark not in _PAIRED or mark in pairs}
    return [_MARKS[char] if i in loose else _ENTITIES.get(char, char)
            for i, char in enumerate(text)]


def size(text: str) -> int:
    """Length as Slack counts it (UTF-16 code units), so emoji cannot break a limit."""
    return len(text.encode("utf-16-le")) // 2


def safe_url(url: str | None) -> str | None:
    """An http(s) URL that cannot end or split Slack's `<url|label>` syntax, or None."""
    if not url:
        return None
    url = url.strip()
    for char, code in _UNSAFE_IN_URL.items():
        url = url.replace(char, code)
    if not _URL.match(url) or len(url) > MAX_URL:
        return None
    return url


def link(url: str | None, label: str) -> str:
    """`<url|label>` with the label escaped; just the label when the URL is unusable."""
    return anchor(url, escape(label), limit=500)


def anchor(url: str | None, markup: str, limit: int = 1000) -> str:
    """`<url|markup>` around already escaped text; the text alone without a usable URL or
    when the link would be longer than `limit` (a 3,000-character URL must not push a
    section over its size). Text that spells another address (`arxiv.org/abs/…` over a
    link elsewhere) hides nothing: the text, then the link's own address."""
    safe = safe_url(url)
    if safe and disguised(markup, safe):  # text spelling another address: show the link's
        shown = f"{markup} <{safe.replace('&', '&amp;')}>"
        return shown if size(shown) <= limit else markup
    linked = f"<{safe.replace('&', '&amp;')}|{markup or 'link'}>" if safe else markup
    return linked if size(linked) <= limit else markup


def fit(text: str, limit: int, more: str | None = None) -> str:
    """Escaped `text` within `limit`; when cut, it ends with an ellipsis and, given `more`
    (the item's URL), a link to the whole thing."""
    escaped = escape(text)
    if size(escaped) <= limit:
        return escaped
    tail = ELLIPSIS
    if safe_url(more) and size(link(more, "more")) < limit // 3:
        tail += " " + link(more, "more")
    budget, used, pieces = limit - size(tail), 0, []
    for piece in _pieces(inert(text)):
        if used + size(piece) > budget:
            break
        pieces.append(piece)
        used += size(piece)
    cut = "".join(pieces)
    space = cut.rfind(" ", max(0, len(cut) - 80))  # end on a word when one is near
    if space > 0:
        cut = cut[:space]
    return cut.rstrip() + tail


def plain(text: str, limit: int) -> str:
    """Text for a `plain_text` object (Slack parses no markup there), trimmed to `limit`."""
    text = " ".join(inert(text).split())
    if size(text) <= limit:
        return text
    cut = text
    while size(cut) > limit - 1:
        cut = cut[:-max(1, (size(cut) - limit) // 2)]
    return cut.rstrip() + ELLIPSIS


def date_token(start: datetime, end: datetime | None = None) -> str:
    """A time each reader sees in their own zone; the fallback (old clients) is UTC."""
    start, end = start.astimezone(UTC), end.astimezone(UTC) if end else None
    token = (f"<!date^{int(start.timestamp())}^{{date_long_pretty}}, {{time}}|"
             f"{start:%a %d %b %Y %H:%M} UTC>")
    if end is not None and end > start:  # a feed's end before its start is no end
        if end - start < timedelta(hours=12):
            token += f"–<!date^{int(end.timestamp())}^{{time}}|{end:%H:%M} UTC>"
        else:  # the end may fall on another day: say which
            token += (f" – <!date^{int(end.timestamp())}^{{date_short_pretty}}, {{time}}|"
                      f"{end:%a %d %b %Y %H:%M} UTC>")
    return token
