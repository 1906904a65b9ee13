"""Small RSS documents for the reliability tests: items given as dicts, written as RSS 2.0."""

from __future__ import annotations

from xml.sax.saxutils import escape


def rss(items: list[dict[str, str]], *, title: str = "Lab feed",
        build_date: str = "Mon, 23 Nov 2026 08:00:00 GMT") -> bytes:
    """Each item may have title, link, guid, pubDate, description (absent keys: absent)."""
    entries = []
    for item in items:
        parts = [f"<{tag}>{escape(item[tag])}</{tag}>"
                 for tag in ("title", "link", "guid", "pubDate", "description") if tag in item]
        entries.append("<item>" + "".join(parts) + "</item>")
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
            f"<title>{escape(title)}</title><link>https://lab.example.org/</link>"
            f"<lastBuildDate>{build_date}</lastBuildDate>" + "".join(entries)
            + "</channel></rss>").encode("utf-8")
