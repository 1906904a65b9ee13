"""Under `lectern run` the supervised child parses, stores and plans a document in its own
connection to the database (jobs.ingest.store_at): the parent's event loop does none of
that work, and a document stopped at a limit leaves nothing stored."""

from __future__ import annotations

import pytest

from bot.models import ParseError
from jobs import ingest
from jobs.parse_child import ParseLimits
from jobs.sources.fetch import FetchResult
from tests.conftest import NOW
from tests.loopturns import turns_during


def feed(items: int) -> FetchResult:
    entries = "".join(f"<item><title>Diffusion paper {n}</title><guid>urn:{n}</guid>"
                      f"<link>https://example.org/{n}</link>"
                      f"<description>{'words ' * 60}</description></item>"
                      for n in range(items))
    body = ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
            f"<link>https://example.org/</link><description>d</description>{entries}"
            "</channel></rss>")
    return FetchResult(url="f", status=200, body=body.encode(), etag=None,
                       last_modified=None, content_type=None, not_modified=False)


@pytest.fixture
def isolated():
    yield lambda limits=None: ingest.isolate_parsing(limits or ParseLimits(cpu_seconds=60))
    ingest.stop_isolation()


async def test_the_child_stores_and_plans_and_the_parent_sees_it(store, isolated,
                                                                 monkeypatch):
    store.add_subscription("console:ml", "diffusion", "papers", "U1", NOW)
    worker = isolated()

    def not_here(*args, **kwargs):
        raise AssertionError("stored in the parent process")

    monkeypatch.setattr(ingest, "store_parsed", not_here)  # the parent's copy only
    report, ticks = await turns_during(ingest.ingest_fetched(
        store, "rss", feed(2_000), source="feed", timezone="UTC", now=NOW))
    assert report.papers.counts()["new"] == 2_000 and report.planned == 2_000
    assert store.count_papers() == 2_000  # the parent's own connection reads it
    assert ticks > 100 and worker.started == 1
    again = await ingest.ingest_fetched(store, "rss", feed(2_000), source="feed",
                                        timezone="UTC", now=NOW)
    assert again.papers.counts()["unchanged"] == 2_000 and worker.started == 1


async def test_a_document_stopped_at_its_limit_stores_nothing(store, isolated):
    isolated(ParseLimits(cpu_seconds=60, wall_seconds=0.05))
    with pytest.raises(ParseError, match="took more than 0.05 s"):
        await ingest.ingest_fetched(store, "rss", feed(5_000), source="feed",
                                    timezone="UTC", now=NOW)
    assert store.count_papers() == 0


async def test_an_in_memory_store_is_stored_by_the_parent(isolated):
    from storage.store import Store

    memory = Store.open(":memory:")
    isolated()
    report = await ingest.ingest_fetched(memory, "rss", feed(3), source="feed",
                                         timezone="UTC", now=NOW)
    assert memory.path is None and report.papers.counts()["new"] == 3
    assert memory.count_papers() == 3


def test_lectern_poll_reads_within_the_childs_limits(tmp_path, capsys, monkeypatch):
    """`lectern poll` (run from cron) reads each document in the supervised child: one
    past its CPU budget is refused with the reason, stores nothing, and the next source
    is read."""
    import functools
    import json

    from bot.app.cli import main
    from jobs import parse_child
    from tests.jobs.test_parse_child import FEED, costly_calendar

    monkeypatch.setattr(parse_child, "ParseLimits",
                        functools.partial(parse_child.ParseLimits, cpu_seconds=1))
    (tmp_path / "costly.ics").write_bytes(costly_calendar())
    (tmp_path / "feed.xml").write_bytes(FEED)
    (tmp_path / "l.toml").write_text(
        '[[sources]]\nname = "costly"\nkind = "ical"\npath = "costly.ics"\n'
        '[[sources]]\nname = "feed"\nkind = "arxiv-rss"\npath = "feed.xml"\n')
    code = main(["--config", str(tmp_path / "l.toml"), "--db", str(tmp_path / "l.db"),
                 "--now", "2026-12-02T09:00:00Z", "poll", "--json"])
    polls = {poll["source"]: poll for poll in json.loads(capsys.readouterr().out)["polls"]}
    assert code == 0  # as for any failing source: each poll says how it went
    assert "more than 1 s of CPU" in polls["costly"]["error"]
    assert polls["feed"]["read"] == 4
    from storage.store import Store

    store = Store.open(tmp_path / "l.db")
    try:
        assert store.list_talks() == [] and store.count_papers() == 4
    finally:
        store.close()
