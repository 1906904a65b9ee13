"""Neutral Message -> Slack Block Kit plus a plain-text fallback, within Slack's limits.

Papers, talks, reminders, notices and lists each get a layout; every text from a source or
a member is escaped (mrkdwn.py) and trimmed with an ellipsis and a link, so a post never
fails on a limit: 50 blocks, 3,000 characters a section, 2,000 a field, 150 a header.
A talk's announcement offers "Remind me", but not in a direct message: only a member who
asked for a reminder gets those.
"""

from __future__ import annotations

import re

from adapters.slack.mrkdwn import anchor, date_token, escape, fit, link, plain, safe_url, size
from adapters.text import to_text
from bot.chat import Button, Message

MAX_BLOCKS = 50
SECTION = 3000
FIELD = 2000
MAX_FIELDS = 10
HEADER = 150
CONTEXT = 2000
TITLE = 300  # a title is a headline; its link leads to the rest
BUTTON_TEXT = 75
MAX_BUTTONS = 5
FALLBACK = 3000  # notification text; Slack's own cap is far higher, readers see far less
ITEM_DETAILS = 800
ITEM_FIELDS = 6
STRUCTURED = ("paper", "talk", "reminder", "updated", "cancelled")
EMOJI = {"paper": ":page_facing_up:", "talk": ":microphone:", "reminder": ":alarm_clock:",
         "updated": ":arrows_counterclockwise:", "cancelled": ":x:"}
REMIND_PREFIX = "remind:"
REMIND_KINDS = ("talk", "updated")  # announcements of a talk still to come
LINK_PREFIX = "link:"
VOTE_PREFIX = "vote:"  # a paper's 👍/👎: the value is "up <paper id>" or "down <paper id>"
VOTES = {"up": (":thumbsup:", "More like this"), "down": (":thumbsdown:", "Not for us")}
MAX_VOTE_ID = 140  # an option's value holds 150 characters
# The core names talks `talk-<12 hex>` and puts the id in the context line (bot/render.py).
_TALK_ID = re.compile(r"\btalk-[0-9a-f]{12}\b")
_CHANGED = re.compile(r"^changed: .+$", re.MULTILINE)
_BARE_NAMES = ("Authors", "Speaker", "When", "Categories", "Series")


def render(message: Message, *, remind: bool = True) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for one message; `remind=False` leaves out "Remind me"."""
    if message.items:
        blocks = _list(message)
    elif message.kind in STRUCTURED and message.title:
        blocks = _item(message, remind)
    else:
        blocks = _text(message, remind)
    return fallback(message), _cap(blocks, message.link)


def fallback(message: Message) -> str:
    """The escaped plain text shown in notifications and by clients without blocks."""
    return fit(to_text(message), FALLBACK, message.link) or "(no text)"


def mrkdwn(text: str) -> dict:
    # verbatim: Slack must not turn bare names or "@here" into links or mentions.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> dict:
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(text)]}


def _item(message: Message, remind: bool) -> list[dict]:
    emoji = EMOJI.get(message.kind or "", "")
    title = anchor(message.link, fit(message.title or "", TITLE))
    blocks = [section(f"{emoji} *{title}*".strip())]
    fields = [mrkdwn(_field(name, value, message))
              for name, value in message.fields[:MAX_FIELDS] if value]
    if fields:
        blocks.append({"type": "section", "fields": fields})
    if message.body:
        blocks.append(section(fit(message.body, SECTION, message.link)))
    notes = [message.context or ""] + _CHANGED.findall(message.text)
    if any(notes):
        blocks.append(context(fit(" · ".join(filter(None, notes)), CONTEXT)))
    actions = _actions(message, remind)
    return blocks + ([actions] if actions else [])


def _field(name: str, value: str, message: Message) -> str:
    label = f"*{escape(name)}*\n"
    if name == "When" and message.starts_at and "(all day)" not in value:
        return label + date_token(message.starts_at, message.ends_at) + " (your time)"
    shown = anchor(value, fit(value, 80)) if safe_url(value) else ""
    if not shown or size(label + shown) > FIELD:
        shown = fit(value, FIELD - size(label))
    return label + shown


def _actions(message: Message, remind: bool) -> dict | None:
    elements = [_url_button(button, f"{LINK_PREFIX}{n}")
                for n, button in enumerate(message.buttons[:MAX_BUTTONS])]
    elements = [element for element in elements if element]
    talk = _TALK_ID.search(message.context or "")
    if remind and message.kind in REMIND_KINDS and message.starts_at and talk:
        elements.append({"type": "button", "text": _label("Remind me"),
                         "action_id": REMIND_PREFIX + talk.group(), "value": talk.group()})
    if message.vote_on and len(message.vote_on) <= MAX_VOTE_ID:
        elements += [{"type": "button", "text": _label(f"{emoji} {label}"),
                      "action_id": f"{VOTE_PREFIX}{way}", "value": f"{way} {message.vote_on}"}
                     for way, (emoji, label) in VOTES.items()]
    return {"type": "actions", "elements": elements} if elements else None


def _vote_menu(item: Message, link: dict | None, number: int) -> dict | None:
    """A list item's ⋯ menu: its link, 👍 and 👎 (a section has room for one accessory)."""
    if not item.vote_on or len(item.vote_on) > MAX_VOTE_ID:
        return None
    options = [{"text": _label(f"{emoji} {label}"), "value": f"{way} {item.vote_on}"}
               for way, (emoji, label) in VOTES.items()]
    if link is not None:
        options.insert(0, {"text": link["text"], "value": "open", "url": link["url"]})
    return {"type": "overflow", "action_id": f"{VOTE_PREFIX}menu:{number}",
            "options": options}


def _url_button(button: Button, action_id: str) -> dict | None:
    url = safe_url(button.url)
    if url is None:
        return None
    # Slack still tells the app about clicks on link buttons; adapter.py acks them.
    return {"type": "button", "text": _label(button.label), "url": url, "action_id": action_id}


def _label(text: str) -> dict:
    return {"type": "plain_text", "text": plain(text, BUTTON_TEXT) or "open", "emoji": True}


def _text(message: Message, remind: bool) -> list[dict]:
    blocks = [section(chunk) for chunk in _chunks(message.text, SECTION)]
    if message.context:
        blocks.append(context(fit(message.context, CONTEXT)))
    actions = _actions(message, remind)
    return blocks + ([actions] if actions else [])


def _chunks(text: str, limit: int) -> list[str]:
    """Escaped text in sections of at most `limit`, split between lines."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        line = fit(line, limit) if line.strip() else line
        if current and size(current) + 1 + size(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current.strip():
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


def _list(message: Message) -> list[dict]:
    blocks = []
    if message.title:
        blocks.append({"type": "header",
                       "text": {"type": "plain_text", "text": plain(message.title, HEADER),
                                "emoji": False}})
    for number, item in enumerate(message.items):
        blocks.append(_list_item(item, number))
    if message.context:
        blocks.append(context(fit(message.context, CONTEXT)))
    return blocks


def _list_item(item: Message, number: int) -> dict:
    if not item.title:
        return context(fit(item.text, CONTEXT))
    lines = [f"*{anchor(item.link, fit(item.title, TITLE))}*"]
    # Each part is escaped and bounded already; six of them stay well inside a section.
    details = " · ".join(_inline(name, value, item)
                         for name, value in item.fields[:ITEM_FIELDS] if value)
    if details:
        lines.append(details)
    if item.context:
        lines.append(fit(item.context, ITEM_DETAILS))
    block = section("\n".join(lines))
    button = next(filter(None, (_url_button(b, f"{LINK_PREFIX}{number}")
                                for b in item.buttons)), None)
    accessory = _vote_menu(item, button, number) or button
    if accessory:
        block["accessory"] = accessory
    return block


def _inline(name: str, value: str, item: Message) -> str:
    """One field of a list item, compact: bare where the value speaks for itself."""
    if name == "When" and item.starts_at and "(all day)" not in value:
        return date_token(item.starts_at, item.ends_at)
    if safe_url(value):
        return link(value, name.lower())
    shown = fit(value, 300)
    if name == "Upvotes":
        return f"{shown} upvotes"
    return shown if name in _BARE_NAMES else f"{escape(name)}: {shown}"


def _cap(blocks: list[dict], more: str | None) -> list[dict]:
    """At most MAX_BLOCKS: the rest is counted, with a link where there is one."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    hidden = len(blocks) - (MAX_BLOCKS - 1)
    note = f"{escape('…')} {hidden} more not shown"
    if safe_url(more):
        note += f"; {link(more, 'see all')}"
    return blocks[:MAX_BLOCKS - 1] + [context(note)]
