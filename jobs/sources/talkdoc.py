"""A talk document (HTML page, markdown post, plain text) -> its lines and what it says of itself.

A blog post's front matter (title, date, tags) is metadata about the post: it is not a talk,
and its date only settles the year of dates the post writes without one. Front matter that
names a speaker, a time or a venue (a Jekyll seminar collection) is the talk itself: its
fields become labelled lines, and a body with no labels of its own is the abstract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from jobs.sources.htmlblocks import html_lines
from jobs.sources.markdowndoc import is_markdown, markdown_html, split_front_matter
from jobs.sources.talkdate import read_date
from jobs.sources.talklabels import (
    ABSTRACT,
    LOCATION,
    SPEAKER,
    TIME,
    TITLE,
    Line,
    label_kind,
    text_lines,
    tokenize,
)

_TALK_KEYS = frozenset({SPEAKER, TIME, LOCATION})
_OWN_KEYS = frozenset({ABSTRACT, TITLE, SPEAKER})
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|table|br|meta|title)\b",
                         re.IGNORECASE)


@dataclass(slots=True)
class TalkDocument:
    """The lines to read talks from, the document's own title and its publication date."""

    lines: list[Line]
    title: str | None = None
    published: date | None = None
    is_post: bool = False  # a post (front matter): its title names the post, not a series


def read_document(text: str, *, location: str = "", content_type: str | None = None,
                  html: bool | None = None) -> TalkDocument:
    """Lines of `text` read as markdown, HTML or plain text (`html` forces the choice)."""
    if html is None and is_markdown(text, location, content_type):
        return _markdown(text)
    if html if html is not None else is_html(text, content_type):
        lines, title = html_lines(text)
        return TalkDocument(lines, title)
    lines = text_lines(text)
    return TalkDocument(lines, lines[0].text if lines else None)


def is_html(text: str, content_type: str | None = None) -> bool:
    """HTML by Content-Type, else by the first tags of the document."""
    if content_type:
        kind = content_type.split(";")[0].strip().lower()
        if kind in ("text/html", "application/xhtml+xml"):
            return True
        if kind == "text/plain":
            return False
    return bool(_HTML_SNIFF.search(text[:2048]))


def _markdown(text: str) -> TalkDocument:
    fields, body, front_lines = split_front_matter(text)
    lines, _ = html_lines(*markdown_html(body, first_line=front_lines + 1))
    title = fields.get("title")
    if not fields:
        return TalkDocument(lines, lines[0].text if lines else None)
    kinds = {key: label_kind(key) for key in fields}
    if not _TALK_KEYS & set(kinds.values()):
        published = read_date(fields.get("date", ""), today=None)
        return TalkDocument(lines, title, published, is_post=True)
    return TalkDocument(_front_lines(fields, kinds) + _as_abstract(lines), title, is_post=True)


def _front_lines(fields: dict[str, str], kinds: dict[str, str | None]) -> list[Line]:
    """Front matter fields of talk kinds as labelled lines; the first of each kind wins
    ("time: 3 - 5 pm" over the "start_time: 15:00" written after it)."""
    lines: list[Line] = []
    seen: set[str] = set()
    for number, (key, value) in enumerate(fields.items(), start=2):
        kind = kinds[key]
        if kind is None or kind in seen:
            continue
        seen.add(kind)
        lines.append(Line(f"{key.replace('_', ' ')}: {value}", (), not lines, number))
    return lines


def _as_abstract(body: list[Line]) -> list[Line]:
    """A body that does not label its own abstract (or title, or speaker) is the abstract."""
    if not body or any(token.kind in _OWN_KEYS for token in tokenize(body)):
        return body
    return [Line("Abstract:", (), True, body[0].number), *body]
