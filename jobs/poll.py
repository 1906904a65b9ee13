"""Polling sources: fetch with conditional GET, parse, store, and record each source's health
and what its document held (how many items, what could not be read).

A failing source is recorded and reported, never fatal: the others carry on. Every warning
of a reading (a skipped block, naming its line and why) goes to the log.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.models import ParseError, Source
from bot.redact import redact
from bot.retry import RetryPolicy
from jobs.health import content_digest
from jobs.ingest import IngestReport, InputError, ingest_fetched, read_location
from jobs.sources.fetch import Fetcher, FetchError
from storage.store import Store

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(days=1)


async def poll_source(store: Store, source: Source, fetcher: Fetcher | None, *,
                      timezone: str, now: datetime) -> IngestReport:
    """Poll one source once; raise nothing but what the caller must see (see poll_all)."""
    fetched = await read_location(source.location, fetcher, etag=source.etag,
                                  last_modified=source.last_modified, source=source)
    if fetched.not_modified:
        await store.transaction_when_free(lambda: store.record_success(
            source.name, now, etag=fetched.etag or source.etag,
            last_modified=fetched.last_modified or source.last_modified))
        return IngestReport(kind=source.kind, location=source.location, not_modified=True)
    report = await ingest_fetched(store, source.kind, fetched, source=source.name,
                                  timezone=source.timezone or timezone, now=now,
                                  default_zone=timezone)
    # Awaited: the reader child may hold the write lock, storing the next document.
    await store.transaction_when_free(lambda: store.record_success(
        source.name, now, etag=fetched.etag, last_modified=fetched.last_modified,
        content_hash=content_digest(report),
        changed=bool(report.talks.updated or report.talks.cancelled),
        items=report.read, warnings=report.warnings))
    report.location = source.location
    return report


def backoff(failures: int, interval_minutes: int) -> timedelta:
    """How long a failing source rests after its last attempt: its interval doubled per
    failure in a row (a retry after 2, 4, 8... intervals), at most a day."""
    longest = MAX_BACKOFF.total_seconds()
    policy = RetryPolicy(base=min(2 * 60.0 * interval_minutes, longest), cap=longest)
    return timedelta(seconds=policy.backoff(failures))


def resting(source: Source, now: datetime) -> bool:
    """Whether a failing source is still in its backoff (its poll job then does nothing)."""
    if not source.failures or source.last_polled is None:
        return False
    return now < source.last_polled + backoff(source.failures, source.interval_minutes)


async def poll_named(store: Store, name: str, fetcher: Fetcher | None, *, timezone: str,
                     now: datetime, scheduled: bool = False
                     ) -> tuple[IngestReport | None, str | None]:
    """Poll a source by name; a failure is recorded on the source and returned as text.

    A `scheduled` poll of a source in backoff after failures is skipped (None, None)."""
    source = store.get_source(name)
    if source is None:
        return None, f"source {name!r} no longer exists"
    if scheduled and resting(source, now):
        return None, None
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
    message = redact(message)  # a fetch error names the URL, which may carry its ?token=
    log.warning("source %s failed: %s", name, message)
    await store.transaction_when_free(lambda: store.record_failure(name, now, message))
    return None, message
