"""Items -> neutral Messages (pure). Adapters decide how a Message looks on their platform."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.chat import Button, Message
from bot.models import TALK_CANCELLED, Paper, SearchHit, Talk

ABSTRACT_CHARS = 400


def trim(text: str, limit: int) -> str:
    """Cut at a word boundary with an ellipsis; never mid-word when avoidable."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0]
    return (cut or text[:limit - 1]) + "…"


def authors_line(authors: list[str], shown: int = 3) -> str:
    if len(authors) <= shown:
        return ", ".join(authors)
    return ", ".join(authors[:shown]) + f" et al. ({len(authors)} authors)"


def render_paper(paper: Paper) -> Message:
    fields = []
    if paper.authors:
        fields.append(("Authors", authors_line(paper.authors)))
    if paper.categories:
        fields.append(("Categories", " ".join(paper.categories[:6])))
    if paper.upvotes is not None:
        fields.append(("Upvotes", str(paper.upvotes)))
    buttons = [Button("PDF", paper.pdf_url)] if paper.pdf_url else []
    if paper.github_url:
        buttons.append(Button("Code", paper.github_url))
    day = paper.published.date().isoformat() if paper.published else None
    abstract = trim(paper.abstract, ABSTRACT_CHARS) if paper.abstract else None
    text = "\n".join(filter(None, [paper.title, authors_line(paper.authors), paper.url]))
    return Message(text=text, title=paper.title, link=paper.url or None, body=abstract,
                   fields=fields, context=day, buttons=buttons)


def render_hit(hit: SearchHit) -> Message:
    day = hit.published.date().isoformat() if hit.published else "undated"
    context = " · ".join(filter(None, [authors_line(hit.authors), day]))
    return Message(text=f"{hit.title}\n{context}\n{hit.url}", title=hit.title,
                   link=hit.url or None, context=context)


def render_list(heading: str, items: list[Message], empty: str) -> Message:
    if not items:
        return Message(text=empty)
    lines = [heading] + [f"{n}. {item.text}" for n, item in enumerate(items, 1)]
    return Message(text="\n".join(lines), title=heading, items=items)


def when_line(talk: Talk, zone: str) -> str:
    """`Thu 3 Dec 2026, 15:00–16:00 Europe/London` in the reader's zone."""
    if talk.start is None:
        return "time to be announced"
    tz = ZoneInfo(zone)
    start = talk.start.astimezone(tz)
    if talk.all_day:
        return f"{start:%a} {start.day} {start:%b %Y} (all day)"
    end = f"–{talk.end.astimezone(tz):%H:%M}" if talk.end else ""
    return f"{start:%a} {start.day} {start:%b %Y}, {start:%H:%M}{end} {zone}"


def render_talk(talk_id: str, talk: Talk, zone: str) -> Message:
    speaker = ", ".join(talk.speakers) or "speaker to be announced"
    who = speaker + (f" ({talk.affiliation})" if talk.affiliation else "")
    cancelled = talk.status == TALK_CANCELLED
    title = ("CANCELLED: " if cancelled else "") + talk.title
    fields = [("When", when_line(talk, zone)), ("Speaker", who)]
    if talk.location:
        fields.append(("Where", talk.location))
    if talk.meeting_url:
        fields.append(("Join", talk.meeting_url))
    lines = [title, f"{when_line(talk, zone)} · {who}"]
    lines += [value for name, value in fields[2:]]
    context = " · ".join(filter(None, [talk.series, talk_id]))
    return Message(text="\n".join(lines), title=title, link=talk.url or None,
                   body=trim(talk.abstract, ABSTRACT_CHARS) if talk.abstract else None,
                   fields=fields, context=context)
