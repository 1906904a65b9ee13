"""The `seminar-page` source: a seminar series' web page (HTML or text, any charset) -> Talks."""

from __future__ import annotations

import re
from datetime import datetime

from bot.models import ParseResult
from jobs.sources.charset import decode
from jobs.sources.talkdoc import read_document
from jobs.sources.talklabels import label_kind
from jobs.sources.talktext import read_talks


def parse(data: bytes, source: str, *, timezone: str, content_type: str | None = None,
          series: str | None = None, now: datetime | None = None) -> ParseResult:
    """Talks announced on one page; ParseError when the bytes are not a text document.

    Naive times mean local time in `timezone`; `now` only settles dates typed without a year.
    """
    document = read_document(decode(data, content_type), content_type=content_type)
    guessed = None if document.is_post else _series(document.title)
    result = read_talks(document.lines, source=source, timezone=timezone,
                        series=series or guessed, now=now, key_scope=series or source,
                        published=document.published,
                        post_title=document.title if document.is_post else None)
    if series:  # the operator's name for the series beats what the page says
        for talk in result.talks:
            talk.series = series
    if not result.talks and not result.warnings:
        result.warnings.append("no talks found: no block with a time and a title or speaker")
    starts = [talk.start for talk in result.talks if talk.start]
    if starts:  # a series page speaks for the dates from its first talk to its last
        result.covers = (min(starts), max(starts))
    return result


def _series(page_title: str | None) -> str | None:
    if not page_title or len(page_title) > 120:
        return None
    match = re.match(r"^\s*[【\[]?([^:：\]】\t]{1,40}?)[】\]]?\s*[:：\t]", page_title)
    if match and label_kind(match.group(1)):
        return None  # the page opens with a talk, not with the series' name
    return page_title.strip()
