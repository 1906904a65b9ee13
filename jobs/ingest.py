"""Reading one document into the store: fetch or read it, parse it, upsert what it holds.

Used by `lectern ingest` and by the poller. A document that cannot be parsed is reported
and nothing of it is stored; the store's upsert is one transaction. Under `lectern run`
parsing, storing and planning run in a supervised child process with hard limits
(jobs.parse_child, ingest_fetched); elsewhere parsing runs off the event loop in a thread
of its own (parse_aside).
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.models import ParseError, ParseResult, Source, TalkChanges, UpsertResult
from bot.sourcekinds import source_kind
from jobs.parse_child import ParseLimits, ParseWorker
from jobs.planner import plan_new_items
from jobs.sources import parse_document
from jobs.sources.fetch import Fetcher, FetchLimits, FetchResult
from storage.pairs import index_pending
from storage.store import Store

Progress = Callable[[int, int], None]
_PARSER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lectern-parse")
ASIDE_FROM_BYTES = 512 * 1024  # documents this big are parsed in _PARSER (parse_aside)
PHRASE_SECONDS = 1.0  # the child's work on the phrase index after each document
_ISOLATION: ParseWorker | None = None  # set by `lectern run` (isolate_parsing)


class InputError(ValueError):
    """The location or document given cannot be used (a user's mistake, exit code 2)."""


@dataclass(slots=True)
class IngestReport:
    kind: str
    location: str
    papers: UpsertResult = field(default_factory=UpsertResult)
    talks: TalkChanges = field(default_factory=TalkChanges)
    warnings: list[str] = field(default_factory=list)
    not_modified: bool = False
    planned: int = 0  # new outbox rows
    read: int | None = None  # papers and talks the document held; None: not read (a 304)

    @property
    def has_talks(self) -> bool:
        kind = source_kind(self.kind)
        return kind is not None and kind.holds_talks

    @property
    def noun(self) -> str:
        return "talks" if self.has_talks else "papers"

    def summary(self) -> str:
        """`3 new, 1 updated, 0 unchanged papers` (talk kinds count talks and cancellations);
        `read 0 talks` for a document that held nothing (`, 2 cancelled` for what it
        dropped)."""
        if self.not_modified:
            return "not modified since the last poll"
        if self.read == 0:
            dropped = len(self.talks.cancelled)
            return f"read 0 {self.noun}" + (f", {dropped} cancelled" if dropped else "")
        if self.has_talks:
            counts = self.talks.counts()
            return (f"{counts['new']} new, {counts['updated']} updated, {counts['cancelled']} "
                    f"cancelled, {counts['unchanged']} unchanged talks")
        counts = self.papers.counts()
        return (f"{counts['new']} new, {counts['updated']} updated, {counts['unchanged']} "
                "unchanged papers")

    def as_json(self) -> dict:
        document = {"kind": self.kind, "location": self.location, "read": self.read,
                    "papers": self.papers.counts(), "warnings": self.warnings}
        if self.has_talks:
            document["talks"] = self.talks.counts()
        return document


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


async def read_location(location: str, fetcher: Fetcher | None, *, etag: str | None = None,
                        last_modified: str | None = None,
                        source: Source | None = None) -> FetchResult:
    """Bytes of a URL (through the fetcher), a file, or stdin (`-`).

    A polled `source` added in chat is fetched guarded: only public addresses (or the
    ranges the operator allows). The command line and the config file may name any."""
    if is_url(location):
        if fetcher is None:
            raise InputError(f"{location} needs the network, which is not available here")
        guarded = source is not None and source.from_chat
        return await fetcher.fetch(location, etag=etag, last_modified=last_modified,
                                   guarded=guarded)
    if source is not None and source.from_chat:
        raise InputError(f"{location}: a source added in chat can only be a web address")
    if "://" in location:
        raise InputError(f"{location}: only http:// and https:// URLs, file paths or - "
                         "(standard input) can be read")
    limit = (fetcher.limits if fetcher is not None else FetchLimits()).max_bytes
    try:
        body = _read_capped(location, limit)
    except OSError as error:
        raise InputError(f"cannot read {location}: {error.strerror or error}; check the "
                         "path") from error
    return FetchResult(url=location, status=200, body=body, etag=None, last_modified=None,
                       content_type=None, not_modified=False)


def _read_capped(location: str, limit: int) -> bytes:
    """A file's or stdin's bytes, refused past `limit` as a URL's body is (`/dev/zero`
    and an endless pipe end at the limit, not when memory runs out)."""
    if location == "-":
        body = sys.stdin.buffer.read(limit + 1)
    else:
        with Path(location).open("rb") as stream:
            body = stream.read(limit + 1)
    if len(body) > limit:
        raise InputError(f"{location} is larger than the {limit // 2**20} MiB lectern reads "
                         "from one document (fetch.max_body_mb); give a smaller file")
    return body


def parse_fetched(kind: str, fetched: FetchResult, *, source: str, timezone: str,
                  now: datetime, series: str | None = None) -> ParseResult:
    """What a fetched document holds; ParseError when it cannot be read."""
    return parse_document(kind, fetched.body, source=source, timezone=timezone, now=now,
                          content_type=fetched.content_type, series=series)


async def parse_aside(kind: str, fetched: FetchResult, *, source: str, timezone: str,
                      now: datetime, series: str | None = None) -> ParseResult:
    """parse_fetched, off the event loop where it matters.

    Under `lectern run` (isolate_parsing) every document is parsed in the supervised child
    process (jobs.parse_child), within CPU, memory and wall limits, and the loop keeps
    answering commands and sending meanwhile. Elsewhere (one-shot CLI commands) a talk
    source or a big document goes to the parser thread, and a small feed (tens of
    milliseconds) is parsed right here: a thread parsing beside the loop holds the GIL for
    5 ms at a time, which made slash commands slower. One document at a time either way,
    so two big ones never hold their memory at once."""
    work = functools.partial(parse_fetched, kind, fetched, source=source,
                             timezone=timezone, now=now, series=series)
    if _ISOLATION is not None:
        isolated = functools.partial(
            _ISOLATION.parse, kind, fetched.body, source=source, timezone=timezone, now=now,
            content_type=fetched.content_type, series=series)
        return await asyncio.get_running_loop().run_in_executor(_PARSER, isolated)
    # A calendar's cost is its recurrences more than its size (500 daily events in
    # 100 KB expand to 5,000 talks): heavy kinds always go to the thread.
    known = source_kind(kind)
    if not (known and known.heavy) and len(fetched.body) < ASIDE_FROM_BYTES:
        return work()
    return await asyncio.get_running_loop().run_in_executor(_PARSER, work)


def isolate_parsing(limits: ParseLimits | None = None) -> ParseWorker:
    """From now on, parse every document in a supervised child within `limits`."""
    global _ISOLATION
    _ISOLATION = ParseWorker(limits)
    return _ISOLATION


def stop_isolation() -> None:
    global _ISOLATION
    if _ISOLATION is not None:
        _ISOLATION.close()
        _ISOLATION = None


def store_parsed(store: Store, kind: str, fetched: FetchResult, result: ParseResult, *,
                 source: str, timezone: str, now: datetime, default_zone: str | None = None,
                 progress: Progress | None = None) -> IngestReport:
    """Store what a document held and plan the deliveries it calls for, in one
    transaction. `timezone` is the document's; `default_zone` the channels' default (for
    digest times). `progress(done, total)` hears about each stored batch."""
    report = IngestReport(kind=kind, location=fetched.url,
                          read=len(result.papers) + len(result.talks))
    report.warnings.extend(result.warnings)  # each names what was skipped and why
    total, done = len(result.papers), 0

    def stored(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    # One transaction: a crash between storing and planning would leave items whose
    # deliveries are never planned (the next poll finds them known, not new).
    with store.transaction():
        report.papers = store.upsert_papers(result.papers, now, stored)
        if result.talks or result.covers:
            report.talks = store.upsert_talks(source, result.talks, now, result.covers)
        report.planned = plan_new_items(store, report.papers, report.talks, now,
                                        default_zone or timezone)
    return report


async def ingest_fetched(store: Store, kind: str, fetched: FetchResult, *, source: str,
                         timezone: str, now: datetime, series: str | None = None,
                         default_zone: str | None = None,
                         progress: Progress | None = None) -> IngestReport:
    """Parse a fetched document (parse_aside) and store it (store_parsed), as `lectern
    ingest` and the poller do; ParseError propagates with nothing stored.

    Under `lectern run` (isolate_parsing) with a database file, the child does all of
    it (store_at) in its own connection: storing and planning thousands of items is
    CPU the event loop would otherwise spend while commands wait."""
    path = store.path
    if _ISOLATION is not None and path is not None and progress is None:
        isolated = functools.partial(
            _ISOLATION.run, store_at, path, kind, fetched, source=source, timezone=timezone,
            now=now, series=series, default_zone=default_zone)
        return await asyncio.get_running_loop().run_in_executor(_PARSER, isolated)
    result = await parse_aside(kind, fetched, source=source, timezone=timezone, now=now,
                               series=series)
    return store_parsed(store, kind, fetched, result, source=source, timezone=timezone,
                        now=now, default_zone=default_zone, progress=progress)


def store_document(store: Store, kind: str, fetched: FetchResult, *, source: str,
                   timezone: str, now: datetime, series: str | None = None,
                   default_zone: str | None = None,
                   progress: Progress | None = None) -> IngestReport:
    """ingest_fetched without an event loop: parsed here, always."""
    result = parse_fetched(kind, fetched, source=source, timezone=timezone, now=now,
                           series=series)
    return store_parsed(store, kind, fetched, result, source=source, timezone=timezone,
                        now=now, default_zone=default_zone, progress=progress)


_CHILD_STORES: dict[str, Store] = {}  # in the child process: one connection per file


def store_at(path: str, kind: str, fetched: FetchResult, **options) -> IngestReport:
    """store_document into the database at `path`; run in the child (ingest_fetched).
    Then, for about a second, the phrase index of what was stored (storage.pairs)."""
    store = child_store(path)
    report = store_document(store, kind, fetched, **options)
    index_pending(store.db, PHRASE_SECONDS)
    return report


def child_store(path: str) -> Store:
    """In the child: its own connection to the database at `path`, kept between jobs."""
    if path not in _CHILD_STORES:
        _CHILD_STORES[path] = Store.open(path, apply_migrations=False)
    return _CHILD_STORES[path]


def worker() -> ParseWorker | None:
    """The supervised child of `lectern run` (isolate_parsing); None elsewhere."""
    return _ISOLATION


async def ingest(store: Store, kind: str, location: str, *, source: str, timezone: str,
                 now: datetime, fetcher: Fetcher | None, series: str | None = None,
                 default_zone: str | None = None,
                 progress: Progress | None = None) -> IngestReport:
    """`lectern ingest`: one document, stored whole or not at all."""
    fetched = await read_location(location, fetcher)
    try:
        report = await ingest_fetched(store, kind, fetched, source=source, timezone=timezone,
                                      now=now, series=series, default_zone=default_zone,
                                      progress=progress)
    except ParseError as error:
        raise InputError(f"{location} ({kind}): {error}") from error
    report.location = location
    return report
