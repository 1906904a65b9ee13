"""Pasted talk announcements (an e-mail, a chat notice) -> Talks, read like a seminar page."""

from __future__ import annotations

import re
from datetime import datetime

from bot.models import ParseResult
from jobs.sources.talkdoc import read_document
from jobs.sources.talklabels import Line
from jobs.sources.talktext import read_talks

# E-mail headers: "Date:" there is when the mail was sent, not when the talk is.
_HEADER = re.compile(r"^(?:from|to|cc|bcc|date|sent|subject|reply-to|发件人|发送时间|收件人|抄送"
                     r"|主题)\s*[:：]", re.IGNORECASE)
_HEADER_START = re.compile(r"^(?:from|subject|发件人)\s*[:：]", re.IGNORECASE)


def parse(text: str, source: str, *, timezone: str, now: datetime) -> ParseResult:
    """The talk(s) one pasted message announces; warnings say what could not be read."""
    document = read_document(text.replace("\r\n", "\n"))
    lines = _without_mail_headers(document.lines)
    result = read_talks(lines, source=source, timezone=timezone, series=None, now=now,
                        published=document.published,
                        post_title=document.title if document.is_post else None)
    if not result.talks and not result.warnings:
        result.warnings.append("no talk found: give at least a time and a title or speaker, "
                               "e.g. 'Title: ...' and 'Time: 2026-12-03 15:00-16:00'")
    return result


def _without_mail_headers(lines: list[Line]) -> list[Line]:
    """Drop header blocks of pasted or forwarded mails (From/Date/Subject/To lines)."""
    kept: list[Line] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and _HEADER.match(lines[end].text) \
                and (end == index or not lines[end].para_start):
            end += 1
        run = lines[index:end]
        if len(run) >= 2 and any(_HEADER_START.match(line.text) for line in run):
            index = end
            continue
        kept.append(lines[index])
        index += 1
    return kept
