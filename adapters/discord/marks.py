"""A post's delivery key, carried invisibly in the post itself, so that it can be found again.

Discord checks a message's nonce for a few minutes only and never returns it when messages
are read back, so every lectern post also carries a digest of its key in invisible
characters (zero-width space and non-joiner, the ones Discord keeps in embed text) at the
end of its footer, or its description, title or content when it has no footer. Readers
see nothing; recall.py reads them back.
"""

from __future__ import annotations

import hashlib

import discord

from adapters.discord.embeds import CONTENT, DESCRIPTION, FOOTER, TITLE, TOTAL

ZERO, ONE = "\u200b", "\u200c"
BITS = 64  # of the key's digest: no two of a channel's recent posts share them


def mark(key: str) -> str:
    """The invisible form of `key`: BITS characters, one bit each."""
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:BITS // 8], "big")
    return "".join(ONE if number >> (BITS - 1 - i) & 1 else ZERO for i in range(BITS))


def stamp(parts: dict, key: str) -> dict:
    """discord.py's send arguments with `key`'s mark added within Discord's limits."""
    tail = mark(key)
    embed: discord.Embed | None = parts.get("embed")
    if embed is None:
        content = parts.get("content") or ""
        return {**parts, "content": content[:CONTENT - len(tail)] + tail}
    while len(embed) + len(tail) > TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) + len(tail) > TOTAL and embed.description:
        over = len(embed) + len(tail) - TOTAL
        embed.description = _cut(embed.description, len(embed.description) - over)
    if embed.footer.text or not (embed.description or embed.title):
        embed.set_footer(text=_cut(embed.footer.text or "", FOOTER - len(tail)) + tail,
                         icon_url=embed.footer.icon_url)
    elif embed.description:
        embed.description = _cut(embed.description, DESCRIPTION - len(tail)) + tail
    else:
        embed.title = _cut(embed.title or "", TITLE - len(tail)) + tail
    return parts


def carries(item: dict, key: str) -> bool:
    """Whether a message read back from Discord (its JSON) carries `key`'s mark."""
    wanted = mark(key)
    texts = [item.get("content") or ""]
    for embed in item.get("embeds") or []:
        texts += [embed.get("title") or "", embed.get("description") or "",
                  (embed.get("footer") or {}).get("text") or ""]
    return any(text.endswith(wanted) for text in texts)


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, never ending in half an escape."""
    if len(text) <= limit:
        return text
    cut = text[:max(limit - 1, 0)]
    if (len(cut) - len(cut.rstrip("\\"))) % 2:
        cut = cut[:-1]
    return cut + "…" if limit > 0 else ""
