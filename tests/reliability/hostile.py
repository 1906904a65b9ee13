"""Hostile documents for the reliability tests: an RSS feed, an iCalendar file and a
seminar page whose titles, abstracts, authors and speakers carry every mention and link
syntax of Slack and Discord, markup, zero-width tricks and 100k-character text; and a valid
calendar of as many talks as asked."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.sax.saxutils import escape

MARK = "lectern"  # in every hostile title: a subscription to it matches them all
PINGS = [
    "@everyone", "@here", "@channel", "<!channel>", "<!here>", "<!everyone>",
    "<!subteam^S0123|@team>", "<@U123>", "<@W0456>", "<@&456789012345678901>", "<#C1>",
    "<#C0123|general>", "<@123456789012345678>", "<@!123456789012345678>", "</help:1>",
    "@\u200deveryone", "@\u200beveryone", "@every\u200done", "＠everyone",
    "<https://evil.example/phish|click here>", "<mailto:x@evil.example|mail>",
    "[masked](https://evil.example/)", "*bold* _it_ ~strike~ `code` ```block```",
    "> quote", "# heading", "&amp; &lt; &gt;", "|", "\\<!channel>",
]
HOSTILE = " ".join(PINGS)
HUGE = 100_000


def huge(seed: str) -> str:
    """About HUGE characters of hostile text in words, starting with `seed`."""
    words = (f"{seed} {HOSTILE} ",) * (HUGE // (len(HOSTILE) + len(seed) + 2) + 1)
    return "".join(words)[:HUGE]


def papers_rss() -> bytes:
    """Four items: pings in the title; a 100k title; pings and 100k in authors and
    abstract; a link that tries to break out of Slack's <url|label>."""
    items = [
        (f"{MARK} {HOSTILE}", "https://example.org/p/1", HOSTILE, "Ada <!here> Lovelace"),
        (huge(MARK), "https://example.org/p/2", "Short abstract.", "Grace Hopper"),
        (f"{MARK} normal title", "https://example.org/p/3", huge("abstract"),
         ", ".join([f"<@U{n}> @everyone" for n in range(2000)])),
        (f"{MARK} odd link", "https://example.org/p/4?a=<!channel>|x>", HOSTILE, "Alan"),
    ]
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<guid>{escape(link)}</guid><description>{escape(abstract)}</description>"
        f"<author>{escape(author)}</author><pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate>"
        "</item>" for title, link, abstract, author in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Hostile</title><link>https://example.org/</link>"
            f"<description>x</description>{entries}</channel></rss>").encode()


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def talks_ics(start: datetime) -> bytes:
    """Two talks: pings everywhere, and a 100k-character title and description."""
    events = []
    for n, (title, description, location) in enumerate([
            (f"{MARK} {HOSTILE}", HOSTILE, "<!here> Room <#C1>"),
            (huge(MARK), huge("description"), "Room 1")]):
        at = start + timedelta(days=n + 2)
        events.append("\r\n".join([
            "BEGIN:VEVENT", f"UID:hostile-{n}@example.org",
            f"DTSTART:{at:%Y%m%dT%H%M%SZ}", f"DTEND:{at + timedelta(hours=1):%Y%m%dT%H%M%SZ}",
            f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}", f"SUMMARY:{_ics_text(title)}",
            f"DESCRIPTION:{_ics_text(description)}", f"LOCATION:{_ics_text(location)}",
            "URL:https://example.org/talk", "END:VEVENT"]))
    return ("\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//hostile//EN",
                         *events, "END:VCALENDAR"]) + "\r\n").encode()


def many_talks_ics(count: int, start: datetime, rule: str | None = None) -> bytes:
    """A valid calendar of `count` one-hour talks, an hour apart from a day after `start`
    (cycling every 4,000 hours, within a poll's 180 days ahead), each repeating by `rule`:
    40,000 make 9 MB."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//hostile//EN", "X-WR-CALNAME:Big"]
    for n in range(count):
        at = start + timedelta(days=1, hours=n % 4000)
        lines += ["BEGIN:VEVENT", f"UID:talk-{n}@example.org", f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}",
                  f"DTSTART:{at:%Y%m%dT%H0000Z}", f"DTEND:{at + timedelta(hours=1):%Y%m%dT%H0000Z}",
                  f"SUMMARY:Seminar talk {n}", f"LOCATION:Room {n % 50}",
                  f"DESCRIPTION:Speaker: Person {n} (University {n % 7})",
                  *([f"RRULE:{rule}"] if rule else []), "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def seminar_html(start: datetime) -> bytes:
    """A seminar page announcing one talk with pings in its title, speaker and place."""
    at = start + timedelta(days=3)
    lines = [f"Title: {MARK} seminar {HOSTILE}", f"Speaker: <@U999> @here {HOSTILE[:200]}",
             f"Time: {at:%Y-%m-%d} 15:00-16:00", f"Location: <!channel> {HOSTILE[:100]}"]
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return (f'<html><head><meta charset="utf-8"><title>Seminar</title></head>'
            f"<body>{body}</body></html>").encode()
