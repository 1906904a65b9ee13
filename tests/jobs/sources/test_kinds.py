"""The source-kind registry: every declared kind has a reader (and no reader lacks a
kind), each reads a document of its kind into what it says it holds, and the rest of
lectern (settings, the CLI, health, ingest) judges kinds by the registry alone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.health import HealthPolicy, assess, reading
from bot.models import ParseResult, Source
from bot.sourcekinds import INGEST_KINDS, KINDS, PAPERS, SOURCE_KINDS, TALKS, SourceKind
from jobs.ingest import IngestReport
from jobs.sources import READERS, ReadOptions, parse_document

DATA = Path(__file__).resolve().parents[2] / "data"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# One document of each kind, from the tests' data (each shaped like one seen in the wild).
SAMPLES = {
    "arxiv-rss": DATA / "arxiv-rss-cs.LG.xml",
    "arxiv-api": DATA / "arxiv-api-query.xml",
    "hf-daily": DATA / "hf-daily.json",
    "rss": DATA / "journal-rss.xml",
    "ical": DATA / "ical" / "indico.ics",
    "seminar-page": DATA / "seminar" / "colloquium.html",
}
ANNOUNCEMENT = (b"Speaker: Ada Lovelace (Cambridge)\nTitle: Engines of analysis\n"
                b"When: 12 March 2026, 15:00\nWhere: Room 2.14\n")


def test_every_kind_has_one_reader_and_every_reader_a_kind():
    assert READERS.keys() == KINDS.keys()
    assert set(SAMPLES) | {"announcement"} == set(KINDS)


def test_polled_and_read_once_kinds_come_from_the_registry():
    assert SOURCE_KINDS == ("arxiv-rss", "arxiv-api", "hf-daily", "rss", "ical", "seminar-page")
    assert INGEST_KINDS == SOURCE_KINDS + ("announcement",)
    assert [name for name, kind in KINDS.items() if kind.holds == TALKS] == [
        "ical", "seminar-page", "announcement"]


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_reader_reads_what_its_kind_holds(kind):
    result = parse_document(kind, SAMPLES[kind].read_bytes(), source="s", timezone="UTC",
                            now=NOW)
    held, other = ((result.talks, result.papers) if KINDS[kind].holds_talks
                   else (result.papers, result.talks))
    assert held and not other, kind


def test_a_series_given_names_the_talks_of_every_talk_kind():
    for kind, data in (("ical", SAMPLES["ical"].read_bytes()),
                       ("announcement", ANNOUNCEMENT)):
        result = parse_document(kind, data, source="s", timezone="UTC", now=NOW,
                                series="Lab seminar")
        assert result.talks and {t.series for t in result.talks} == {"Lab seminar"}, kind


def test_an_unknown_kind_is_refused_with_the_kinds_there_are():
    with pytest.raises(ValueError, match="unknown kind 'gopher'; use one of arxiv-rss"):
        parse_document("gopher", b"", source="s", timezone="UTC", now=NOW)


def test_a_kind_is_judged_by_its_registration(monkeypatch):
    """What one registration brings: the reader is used, and health and reports follow
    the declared facts (here: talks, which may hold nothing)."""
    seen = []

    def read(data: bytes, options: ReadOptions) -> ParseResult:
        seen.append((data, options.source, options.series))
        return ParseResult()

    monkeypatch.setitem(KINDS, "toy", SourceKind("toy", TALKS, may_hold_nothing=True))
    monkeypatch.setitem(READERS, "toy", read)
    parse_document("toy", b"doc", source="s", timezone="UTC", now=NOW, series="S")
    assert seen == [(b"doc", "s", "S")]
    empty = Source("x", "toy", "u", last_success=NOW, last_new=NOW, last_items=0)
    assert assess(empty, HealthPolicy()).state == "ok"
    assert reading(empty) == "read 0 talks"
    assert IngestReport(kind="toy", location="u").noun == "talks"
    monkeypatch.setitem(KINDS, "toy", SourceKind("toy", PAPERS))
    assert assess(empty, HealthPolicy()).state == "empty"
    assert IngestReport(kind="toy", location="u").noun == "papers"
