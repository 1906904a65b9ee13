"""Polling sources: fetch with conditional GET, parse, store, and record each source's health.

A failing source is recorded and reported, never fatal: the others carry on.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.models import ParseError, Source
from jobs.ingest import IngestReport, InputError, read_location, store_document
from jobs.sources.fetch import Fetcher, FetchError
from storage.store import Store

log = logging.getLogger(__name__)


async def poll_source(store: Store, source: Source, fetcher: Fetcher | None, *,
                      timezone: str, now: datetime) -> IngestReport:
    """Poll one source once; raise nothing but what the caller must see (see poll_all)."""
    fetched = await read_location(source.location, fetcher, etag=source.etag,
                                  last_modified=source.last_modified)
    if fetched.not_modified:
        store.record_success(source.name, now, etag=fetched.etag or source.etag,
                             last_modified=fetched.last_modified or source.last_modified)
        return IngestReport(kind=source.kind, location=source.location, not_modified=True)
    report = store_document(store, source.kind, fetched, source=source.name,
                            timezone=source.timezone or timezone, now=now,
                            default_zone=timezone)
    store.record_success(source.name, now, etag=fetched.etag,
                         last_modified=fetched.last_modified)
    report.location = source.location
    return report


async def poll_named(store: Store, name: str, fetcher: Fetcher | None, *, timezone: str,
                     now: datetime) -> tuple[IngestReport | None, str | None]:
    """Poll a source by name; a failure is recorded on the source and returned as text."""
    source = store.get_source(name)
    if source is None:
        return None, f"source {name!r} no longer exists"
    try:
        report = await poll_source(store, source, fetcher, timezone=timezone, now=now)
    except (FetchError, InputError, ParseError) as error:
        message = str(error)
    except Exception as error:  # a source must never take the bot down
        log.exception("polling %s failed unexpectedly", name)
        message = f"unexpected error: {type(error).__name__}: {error}"
    else:
        for warning in report.warnings:
            log.warning("%s: %s", name, warning)
        return report, None
    log.warning("source %s failed: %s", name, message)
    store.record_failure(name, now, message)
    return None, message
