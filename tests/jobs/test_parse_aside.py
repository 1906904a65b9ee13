"""jobs.ingest.parse_aside: a big document is parsed in the parser thread, so the event
loop keeps turning; a small one right away, on the loop (a parser thread beside the loop
slows every await of it)."""

from __future__ import annotations

import asyncio
import threading

from bot.models import ParseResult
from jobs import ingest
from jobs.sources.fetchrules import FetchResult
from tests.conftest import NOW


def fetched(size: int) -> FetchResult:
    return FetchResult(url="https://e.org/c.ics", status=200, body=b"x" * size, etag=None,
                       last_modified=None, content_type=None, not_modified=False)


async def test_big_documents_are_parsed_off_the_loop_and_small_ones_on_it(monkeypatch):
    seen: dict[str, str] = {}  # kind -> the thread that parsed it
    release = threading.Event()

    def parse(kind, body, **options) -> ParseResult:
        seen[kind] = threading.current_thread().name
        if len(body) >= ingest.ASIDE_FROM_BYTES:
            assert release.wait(10)  # held until the loop shows it kept turning
        return ParseResult()

    monkeypatch.setattr(ingest, "parse_document", parse)
    options = {"source": "s", "timezone": "UTC", "now": NOW}
    big = asyncio.create_task(ingest.parse_aside("ical", fetched(ingest.ASIDE_FROM_BYTES),
                                                 **options))
    await asyncio.sleep(0)
    await ingest.parse_aside("rss", fetched(100), **options)  # while the big one parses
    assert seen["rss"] == threading.current_thread().name
    release.set()
    assert await asyncio.wait_for(big, 10) == ParseResult()
    assert seen["ical"].startswith("lectern-parse")
