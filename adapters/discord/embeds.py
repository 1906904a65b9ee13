"""Neutral Message -> Discord message parts: an embed (title with link, fields, footer,
colour by kind, `<t:…>` timestamps), link and "Remind me" buttons, and content.

Everything a source wrote is escaped (markdown, masked links, mentions) and every
Discord limit is kept by trimming, so a post never fails for its size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import discord

from adapters.discord.votes import vote_buttons, vote_menus
from adapters.text import disguised
from bot.chat import Message, inert

CONTENT, TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE = 2000, 256, 4096, 25, 256, 1024
FOOTER, TOTAL, LABEL, BUTTON_URL, BUTTONS = 2048, 6000, 80, 512, 25
COLOURS = {"paper": 0x3B82F6, "talk": 0x22A06B, "reminder": 0xE2B203, "updated": 0xF18D13,
           "cancelled": 0xE34935, "digest": 0x8F7EE7, "list": 0x5865F2}
PLAIN_COLOUR = 0x99A1B3
LONG_SPAN = timedelta(hours=12)  # a talk's end shown with its date from this long
TIMED_KINDS = ("talk", "reminder", "updated")  # kinds that may carry a "Remind me" button
# (in a channel: a channel's reminder still lets a member ask for one of their own)
_URL = re.compile(r"https?://[^\s<>]+")
_MARKDOWN = re.compile(r"[\\*_~`|\[\]]|^(?:#{1,3}\s|-#\s|>|-\s|\d+\.\s)", re.MULTILINE)
# `@everyone`, `@here`, `<@…>`, `<@&…>`, `<#…>`, `</…>`: a zero-width space breaks each;
# and `<t:…>`, which would show a source's text as one of lectern's own clock times,
# `<id:customize>` (a server's own navigation link) and `<:name:id>` (any server's emoji).
_PING = re.compile(r"@(?=everyone|here)|<(?=[@#/]|t:|id:|a?:\w+:\d)", re.IGNORECASE)
_TALK_ID = re.compile(r"\btalk-[0-9a-f]{6,64}\b")


@dataclass(slots=True)
class Rendered:
    """The parts of one Discord message; `buttons` are (label, url) link buttons."""

    content: str | None
    embed: discord.Embed | None
    buttons: list[tuple[str, str]]
    remind: str | None = None  # the talk id of a "Remind me" button
    vote: str | None = None  # the paper id of 👍/👎 buttons
    votes: list[tuple[str, str]] = field(default_factory=list)  # a list's (title, paper id)

    def view(self) -> discord.ui.View | None:
        """The components as a stopped View: sent with the message, never kept in memory."""
        items: list[discord.ui.Item] = [discord.ui.Button(label=label, url=url)
                                        for label, url in self.buttons[:BUTTONS - 3]]
        if self.remind:
            items.append(remind_button(self.remind))
        items += vote_buttons(self.vote) if self.vote else vote_menus(self.votes)
        if not items:
            return None
        view = discord.ui.View(timeout=None)
        for item in items:
            view.add_item(item)
        view.stop()
        return view


def remind_button(talk_id: str) -> discord.ui.Button:
    return discord.ui.Button(label="Remind me", emoji="⏰", custom_id=f"remind:{talk_id}",
                             style=discord.ButtonStyle.secondary)


def neutralize(text: str) -> str:
    """Source text made inert: markdown and masked links escaped (URLs kept clickable),
    mentions broken so nothing pings or shows as a member, role or channel; controls and
    direction overrides dropped (adapters.text.inert)."""
    text = inert(text)
    out, last = [], 0
    for link in _URL.finditer(text):
        out.append(_MARKDOWN.sub(r"\\\g<0>", text[last:link.start()]))
        out.append(link.group())
        last = link.end()
    out.append(_MARKDOWN.sub(r"\\\g<0>", text[last:]))
    return _PING.sub(_break, "".join(out))


def _break(match: re.Match[str]) -> str:
    return match.group() + "\u200b"


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit < 2:
        return text[:max(limit, 0)]
    cut = text[:limit - 1]
    word = (cut.rsplit(None, 1) or [""])[0]
    return (word if len(word) > limit // 2 else cut).rstrip() + "…"


def fit(text: str, limit: int, *, escape: bool = True) -> str:
    """Source text, escaped, within `limit` characters (escaping never pushes it over)."""
    text = shorten(text.strip(), limit)
    if not escape:
        return _PING.sub(_break, inert(text))
    escaped = neutralize(text)
    if len(escaped) <= limit:
        return escaped
    cut = escaped[:limit - 1]
    if (len(cut) - len(cut.rstrip("\\"))) % 2:  # never leave half of an escape
        cut = cut[:-1]
    return cut + "…"


def good_url(url: str | None, limit: int = 2048) -> str | None:
    """A URL Discord accepts for an embed or button; anything else is dropped."""
    if url and len(url) <= limit and _URL.fullmatch(url.strip()):
        return url.strip()
    return None


def stamps(starts_at: datetime, ends_at: datetime | None) -> str:
    """Discord timestamps: each reader sees the talk in their own zone."""
    start = int(starts_at.timestamp())
    end = ""
    if ends_at and ends_at > starts_at:  # a feed's end before its start is no end
        span = ends_at - starts_at  # past half a day the end may fall on another day
        end = f" – <t:{int(ends_at.timestamp())}:{'t' if span < LONG_SPAN else 'f'}>"
    return f"<t:{start}:F>{end} (<t:{start}:R>)"


def render(message: Message, now: datetime | None = None, *,
           remindable: bool = True) -> Rendered:
    """The Discord form of a neutral Message; `now` hides "Remind me" on past talks, and
    `remindable=False` on everything (a direct message: it is the personal reminder)."""
    buttons = [(fit(b.label, LABEL, escape=False), url) for b in message.buttons
               if (url := good_url(b.url, BUTTON_URL))]
    remind = _remind_target(message, now) if remindable else None
    if not (message.title or message.items or message.kind):
        if len(message.text) <= CONTENT:
            return Rendered(fit(message.text, CONTENT), None, buttons, remind)
        embed = discord.Embed(description=fit(message.text, DESCRIPTION), colour=PLAIN_COLOUR)
        return Rendered(None, embed, buttons, remind)
    return _votable(_embedded(message, buttons, remind), message)


def _votable(rendered: Rendered, message: Message) -> Rendered:
    """👍/👎 for the paper, or menus for the papers of a list."""
    rendered.vote = message.vote_on if not message.items else None
    rendered.votes = [(fit(item.title or "", 90, escape=False), item.vote_on)
                      for item in message.items if item.vote_on]
    return rendered


def _embedded(message: Message, buttons: list[tuple[str, str]],
              remind: str | None) -> Rendered:
    link = good_url(message.link) if message.title else None
    elsewhere = disguised(message.title or "", link)
    if link and elsewhere:  # a title spelling another address links nowhere; a button
        buttons = [(fit(elsewhere, LABEL, escape=False), link), *buttons]  # names the site
        link = None
    embed = discord.Embed(colour=COLOURS.get(message.kind or "", PLAIN_COLOUR),
                          title=fit(message.title, TITLE) if message.title else None,
                          url=link)
    fields = _fields(message)
    for name, value in fields[:FIELDS]:
        embed.add_field(name=name, value=value, inline=len(value) <= 40)
    if message.context:
        embed.set_footer(text=fit(message.context, FOOTER, escape=False))
    embed.description = _describe(message, bool(fields), DESCRIPTION)
    overflow = len(embed) - TOTAL
    if overflow > 0 and embed.description:  # the description gives way first, to a point
        keep = max(len(embed.description) - overflow, min(len(embed.description), 1000))
        embed.description = _describe(message, bool(fields), keep)
    while len(embed) > TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return Rendered(None, embed, buttons, remind)


def _describe(message: Message, has_fields: bool, limit: int) -> str | None:
    if message.items:
        return _list(message.items, limit) or None
    text = _description(message, has_fields)
    return fit(text, limit) if text else None


def _remind_target(message: Message, now: datetime | None) -> str | None:
    if message.kind not in TIMED_KINDS or message.starts_at is None:
        return None
    if now is not None and message.starts_at <= now:
        return None
    found = _TALK_ID.search(message.context or "")
    return found.group() if found else None


def _fields(message: Message) -> list[tuple[str, str]]:
    """The message's fields, the talk's time as Discord timestamps (replacing "When")."""
    fields = [(fit(name, FIELD_NAME) or "\u200b", fit(value, FIELD_VALUE) or "\u200b")
              for name, value in message.fields]
    if message.starts_at is not None:
        when = ("When", stamps(message.starts_at, message.ends_at))
        index = next((i for i, (name, _) in enumerate(message.fields) if name == "When"), None)
        if index is None:
            fields.insert(0, when)
        else:
            fields[index] = when
    return fields


def _description(message: Message, has_fields: bool) -> str | None:
    """The body; a reply with neither body nor fields shows its text below the title."""
    if message.body:
        return message.body
    if has_fields:
        return None
    text = message.text
    if message.title and text.startswith(message.title):
        text = text[len(message.title):]
    return text.strip() or None


def _list(items: list[Message], room: int) -> str:
    """Numbered items, each a linked title and its details, cut between items."""
    lines: list[str] = []
    used = 0
    for number, item in enumerate(items, 1):
        entry = _item(number, item)
        tail = f"…and {len(items) - number + 1} more"
        if used + len(entry) + len(tail) + 2 > room:
            lines.append(tail)
            break
        lines.append(entry)
        used += len(entry) + 1
    return "\n".join(lines)


def _item(number: int, item: Message) -> str:
    title = fit(item.title or item.text.split("\n", 1)[0], 200)
    link = good_url(item.link)
    if link and disguised(title, link):  # shown, not hidden behind a title like an address
        head = f"**{number}.** {title} <{link}>"
    else:
        head = f"**{number}.** " + (f"[{title}]({_safe_link(link)})" if link else title)
    details = [stamps(item.starts_at, item.ends_at)] if item.starts_at else []
    details += [fit(value, 200) for name, value in item.fields if name != "When"]
    if item.context:
        details.append(fit(item.context, 200))
    if not item.title and "\n" in item.text:
        details.append(fit(item.text.split("\n", 1)[1].replace("\n", " · "), 300))
    return head + ("\n" + " · ".join(details) if details else "")


def _safe_link(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29")
