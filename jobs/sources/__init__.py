"""Source formats: the reader of each kind (READERS), and `parse_document` to read by kind.

The kinds themselves, and what lectern judges them by, are declared in bot.sourcekinds;
this is the registry's other half. A reader takes the document's bytes and the
ReadOptions and returns a ParseResult (ParseError when the document cannot be read as a
whole); each `<kind>.parse` behind it is pure, and network I/O lives only in
jobs.sources.fetch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.models import ParseResult
from bot.sourcekinds import INGEST_KINDS, KINDS
from jobs.sources import announcement, arxiv_api, arxiv_rss, hf_daily, ical, rss, seminar_page


@dataclass(frozen=True, slots=True)
class ReadOptions:
    source: str  # the source's name, kept with every item
    timezone: str  # what naive times in the document mean
    now: datetime
    content_type: str | None = None  # the Content-Type header: a page's charset
    series: str | None = None  # the seminar series its talks belong to (default: theirs)


Reader = Callable[[bytes, ReadOptions], ParseResult]


def _papers(parse: Callable[[bytes, str], ParseResult]) -> Reader:
    return lambda data, options: parse(data, options.source)


def _feed(parse: Callable[..., ParseResult]) -> Reader:
    """An XML feed's reader, given the Content-Type it was served with (its charset
    counts where the document declares none: jobs.sources.charset)."""
    return lambda data, options: parse(data, options.source,
                                       content_type=options.content_type)


def _in_series(result: ParseResult, series: str | None) -> ParseResult:
    if series:
        for talk in result.talks:
            talk.series = series
    return result


def _ical(data: bytes, options: ReadOptions) -> ParseResult:
    return _in_series(ical.parse(data, options.source, timezone=options.timezone,
                                 now=options.now, content_type=options.content_type),
                      options.series)


def _seminar_page(data: bytes, options: ReadOptions) -> ParseResult:
    return seminar_page.parse(data, options.source, timezone=options.timezone,
                              content_type=options.content_type, series=options.series,
                              now=options.now)


def _announcement(data: bytes, options: ReadOptions) -> ParseResult:
    text = seminar_page.decode(data, options.content_type)
    return _in_series(announcement.parse(text, options.source, timezone=options.timezone,
                                         now=options.now), options.series)


READERS: dict[str, Reader] = {
    "arxiv-rss": _feed(arxiv_rss.parse),
    "arxiv-api": _feed(arxiv_api.parse),
    "hf-daily": _papers(hf_daily.parse),
    "rss": _feed(rss.parse),
    "ical": _ical,
    "seminar-page": _seminar_page,
    "announcement": _announcement,
}
if READERS.keys() != KINDS.keys():  # a kind declared without a reader, or the reverse
    raise ImportError(f"bot.sourcekinds and jobs.sources disagree on the kinds: "
                      f"{sorted(READERS.keys() ^ KINDS.keys())}")


def parse_document(kind: str, data: bytes, *, source: str, timezone: str, now: datetime,
                   content_type: str | None = None, series: str | None = None) -> ParseResult:
    """Parse one document of `kind`; `timezone` is what naive times on it mean and
    `series` names the seminar series its talks belong to (default: what it says)."""
    reader = READERS.get(kind)
    if reader is None:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(INGEST_KINDS)}")
    return reader(data, ReadOptions(source, timezone, now, content_type, series))
