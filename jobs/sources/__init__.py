"""Source formats: one fetch + parse pair per kind, and `parse_document` to pick by kind.

Each `<kind>.parse` is pure (bytes in, `ParseResult` out, `ParseError` when the document
cannot be read as a whole); network I/O lives only in jobs.sources.fetch.
"""

from __future__ import annotations

from datetime import datetime

from bot.models import ParseResult
from bot.settings import INGEST_KINDS
from jobs.sources import announcement, arxiv_api, arxiv_rss, hf_daily, ical, rss, seminar_page

_PAPER_PARSERS = {
    "arxiv-rss": arxiv_rss.parse,
    "arxiv-api": arxiv_api.parse,
    "hf-daily": hf_daily.parse,
    "rss": rss.parse,
}
def parse_document(kind: str, data: bytes, *, source: str, timezone: str, now: datetime,
                   content_type: str | None = None, series: str | None = None) -> ParseResult:
    """Parse one document of `kind`; `timezone` is what naive times on it mean and
    `series` names the seminar series its talks belong to (default: what it says)."""
    if kind in _PAPER_PARSERS:
        return _PAPER_PARSERS[kind](data, source)
    if kind == "seminar-page":
        return seminar_page.parse(data, source, timezone=timezone, content_type=content_type,
                                  series=series, now=now)
    if kind == "ical":
        result = ical.parse(data, source, timezone=timezone, now=now)
    elif kind == "announcement":
        result = announcement.parse(seminar_page.decode(data, content_type), source,
                                    timezone=timezone, now=now)
    else:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(INGEST_KINDS)}")
    if series:
        for talk in result.talks:
            talk.series = series
    return result
