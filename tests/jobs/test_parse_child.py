"""The supervised parse child (jobs.parse_child) under `lectern run`: a document that
costs too much is refused whole and the next one is read; a killed child is replaced; the
event loop keeps turning while a document is read."""

from __future__ import annotations

import os
import signal
import threading
from datetime import UTC, datetime

import pytest

from bot.models import ParseError
from jobs import ingest
from jobs.parse_child import ParseLimits, ParseWorker
from jobs.sources.fetch import FetchResult
from tests.conftest import DATA
from tests.loopturns import turns_during

NOW = datetime(2026, 12, 2, tzinfo=UTC)
OPTIONS = dict(source="s", timezone="UTC", now=NOW, content_type=None, series=None)
FEED = (DATA / "arxiv-rss-cs.LG.xml").read_bytes()


def costly_calendar(events: int = 9_000) -> bytes:
    """Within every reader's caps (10,000 events), but seconds of CPU to read."""
    body = "".join(f"BEGIN:VEVENT\r\nUID:{n}@x\r\nDTSTART:20261210T100000Z\r\nSUMMARY:T{n}"
                   "\r\nEND:VEVENT\r\n" for n in range(events))
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n".encode()


@pytest.fixture
def worker():
    made = ParseWorker(ParseLimits(cpu_seconds=1, wall_seconds=30))
    yield made
    made.close()


def test_a_document_past_its_cpu_budget_is_refused_and_the_next_is_read(worker):
    assert len(worker.parse("arxiv-rss", FEED, **OPTIONS).papers) == 4
    with pytest.raises(ParseError, match="more than 1 s of CPU"):
        worker.parse("ical", costly_calendar(), **OPTIONS)
    assert len(worker.parse("arxiv-rss", FEED, **OPTIONS).papers) == 4
    assert worker.started == 2  # the child that hit the limit was replaced


def test_a_document_past_its_wall_time_is_stopped(worker):
    slow = ParseWorker(ParseLimits(cpu_seconds=60, wall_seconds=0.2))
    try:
        with pytest.raises(ParseError, match="took more than 0.2 s"):
            slow.parse("ical", costly_calendar(), **OPTIONS)
    finally:
        slow.close()


def test_a_killed_child_refuses_its_document_and_is_replaced(worker):
    worker.parse("arxiv-rss", FEED, **OPTIONS)
    child = worker._child
    killer = threading.Timer(0.3, os.kill, (child.pid, signal.SIGKILL))
    killer.start()
    try:
        with pytest.raises(ParseError, match="stopped"):
            worker.parse("ical", costly_calendar(), **OPTIONS)
    finally:
        killer.cancel()
    assert len(worker.parse("arxiv-rss", FEED, **OPTIONS).papers) == 4


async def test_the_event_loop_turns_while_a_document_is_read():
    """Under `lectern run` even a small feed is read in the child: before, one under
    512 KiB was parsed on the loop and a hostile one froze every command."""
    items = "".join(f"<item><title>P{n}</title><link>https://x.org/{n}</link>"
                    f"<description>{'<b>x</b>' * 20}</description></item>" for n in range(1_500))
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}' \
        '</channel></rss>'
    assert len(body) < ingest.ASIDE_FROM_BYTES  # small: it used to be parsed on the loop
    fetched = FetchResult(url="x", status=200, body=body.encode(), etag=None,
                          last_modified=None, content_type=None, not_modified=False)
    ingest.isolate_parsing(ParseLimits(cpu_seconds=60))
    try:
        result, ticks = await turns_during(ingest.parse_aside(
            "rss", fetched, source="s", timezone="UTC", now=NOW))
    finally:
        ingest.stop_isolation()
    # Parsed on the loop (as before), the ticker never ran: 0 ticks.
    assert len(result.papers) == 1_500 and ticks > 100


def test_a_document_queued_when_the_worker_closes_is_refused_without_a_new_child(worker):
    """Ctrl-C stops `lectern run` at once: the document being read dies with its child,
    and one queued behind it in the thread pool (whose exit waits for it) is refused
    instead of being read in full in a new child."""
    worker.parse("arxiv-rss", FEED, **OPTIONS)
    worker.close()
    with pytest.raises(ParseError, match="stopping"):
        worker.parse("arxiv-rss", FEED, **OPTIONS)
    assert worker.started == 1 and worker._child.poll() is not None


def test_a_child_started_as_the_worker_closes_is_stopped_not_used(worker, monkeypatch):
    """close() on another thread may read the old child just before a queued parse starts
    a new one: the parse sees the worker closed and stops that child itself."""
    real = worker._running

    def closed_meanwhile():
        child = real()
        worker._closed = True  # what close() did, having seen no live child
        return child

    monkeypatch.setattr(worker, "_running", closed_meanwhile)
    with pytest.raises(ParseError, match="stopping"):
        worker.parse("arxiv-rss", FEED, **OPTIONS)
    assert worker._child.wait(timeout=10) is not None
