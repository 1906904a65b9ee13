"""Add-to-calendar links: Google Calendar's event template URL for one talk, so a member
adds it in one click, and beside it the link that downloads the talk's own .ics (served
by bot.app.calendars) for any other calendar app.

The URL must fit every platform's link button (Discord's take at most 512 characters):
the details are trimmed until it does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from bot.chat import Button, Message
from bot.models import Talk

TEMPLATE = "https://calendar.google.com/calendar/render?"
MAX_URL = 512
DOWNLOAD = "Download .ics"  # the download button's label
ALL_TALKS = "Every talk here in your calendar, kept up to date: /seminars calendar"


def google_calendar_url(talk: Talk) -> str | None:
    """The template link of a talk with a start time; None without one."""
    if talk.start is None:
        return None
    end = talk.end or talk.start + timedelta(hours=1)
    details = "\n".join(filter(None, [", ".join(talk.speakers), talk.meeting_url or talk.url]))
    for keep in (len(details), 200, 80, 0):
        url = TEMPLATE + urlencode({
            "action": "TEMPLATE", "text": talk.title[:120],
            "dates": f"{_utc(talk.start)}/{_utc(end)}", "details": details[:keep],
            "location": (talk.location or "")[:80]})
        if len(url) <= MAX_URL:
            return url
    return None


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def with_download(message: Message, url: str) -> Message:
    """Put the talk's .ics download beside its Google Calendar button: a message without
    one (a cancelled talk, a talk with no time yet) gets no download either."""
    at = next((n for n, b in enumerate(message.buttons) if b.url.startswith(TEMPLATE)), None)
    if at is not None and len(url) <= MAX_URL:
        message.buttons.insert(at + 1, Button(DOWNLOAD, url))
    return message


def with_calendar_hint(message: Message) -> Message:
    """A list of several talks (a term at once) has no button per talk: it ends by naming
    the channel's live calendar feed, which holds them all (and their changes)."""
    message.text += f"\n{ALL_TALKS}"
    if message.items:
        message.items.append(Message(text=ALL_TALKS))
    return message
