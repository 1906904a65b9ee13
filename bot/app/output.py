"""What the operator CLI prints (papers, talks, sources, polls, ingests): a stable JSON
document with --json, else readable lines; locations and errors with any key redacted.

A listed paper or talk is every field of its record (bot.models), taken from the dataclass
so that a field added there is printed without anyone remembering to."""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import to_iso
from bot.health import HealthPolicy, assess
from bot.models import Paper, SearchHit, Source, SourceHealth, Talk
from bot.redact import redact, redact_url
from bot.render import source_health
from jobs.ingest import IngestReport

# Paper.former_id only tells the store which stored paper to re-key; it is never stored.
_NOT_STORED = frozenset({"former_id"})


def record_json(record: Paper | Talk) -> dict[str, Any]:
    """Every stored field of a paper or talk, by its name in bot.models: instants in UTC
    ISO 8601 (`...Z`), days as `YYYY-MM-DD`, lists as lists."""
    return {f.name: _plain(getattr(record, f.name)) for f in fields(record)
            if f.name not in _NOT_STORED}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def talk_json(talk_id: str, talk: Talk) -> dict[str, Any]:
    """`id` is the stored talk's id (what /remind takes); `speaker` joins `speakers`."""
    return {"id": talk_id, **record_json(talk), "speaker": ", ".join(talk.speakers)}


def paper_json(paper: Paper) -> dict[str, Any]:
    """A stored paper in `papers latest`, with the keys of a search result (hit_json)."""
    return {"kind": "paper", **record_json(paper), "score": 0.0}


def print_papers(papers: list[Paper], as_json: bool) -> None:
    if as_json:
        print(json.dumps({"results": [paper_json(p) for p in papers]}, ensure_ascii=False))
        return
    print_hits({}, [paper_hit(p) for p in papers], as_json=False)


def print_talks(talks: list[tuple[str, Talk]], as_json: bool) -> None:
    if as_json:
        print(json.dumps({"talks": [talk_json(i, t) for i, t in talks]}, ensure_ascii=False))
        return
    if not talks:
        print("no talks found")
    for talk_id, talk in talks:
        local = talk.start.astimezone(ZoneInfo(talk.timezone or "UTC")) if talk.start else None
        when = f"{local:%a %Y-%m-%d %H:%M} {talk.timezone or 'UTC'}" if local else "time TBA"
        status = " [CANCELLED]" if talk.status == "cancelled" else ""
        who = ", ".join(talk.speakers) + (f" ({talk.affiliation})" if talk.affiliation else "")
        print(f"{when}{status} · {talk.title}\n    {who or 'speaker TBA'}"
              f"{' · ' + talk.series if talk.series else ''} · {talk_id}")


def write_bytes(document: bytes, path: str | None) -> None:
    if path:
        with open(path, "wb") as handle:
            handle.write(document)
    else:
        sys.stdout.buffer.write(document)
        sys.stdout.flush()


def paper_hit(paper: Paper) -> SearchHit:
    """A stored paper as a search result (the lines of `lectern papers latest`)."""
    return SearchHit(kind="paper", id=paper.id, title=paper.title, url=paper.url,
                     authors=paper.authors, published=paper.published, score=0.0)


def progress_bar():
    """A one-line progress bar on a terminal; nothing when output is piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} papers")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


def _report_json(report: IngestReport) -> dict[str, Any]:
    """A report as JSON, its location without a key it may carry (`?token=…`)."""
    return {**report.as_json(), "location": redact_url(report.location)}


def print_ingest(report: IngestReport, as_json: bool) -> None:
    if as_json:
        print(json.dumps(_report_json(report), ensure_ascii=False))
        return
    print(f"{redact_url(report.location)}: {report.summary()}")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)


def hit_json(hit: SearchHit) -> dict[str, Any]:
    return {"kind": hit.kind, "id": hit.id, "title": hit.title, "url": hit.url,
            "authors": hit.authors, "published": to_iso(hit.published), "score": hit.score}


def print_hits(head: dict[str, Any], hits: list[SearchHit], as_json: bool) -> None:
    if as_json:
        print(json.dumps({**head, "results": [hit_json(h) for h in hits]},
                         ensure_ascii=False))
        return
    if not hits:
        print("no papers found" + (f" for {head['query']!r}" if "query" in head else ""))
    for number, hit in enumerate(hits, 1):
        authors = ", ".join(hit.authors[:3]) + (" et al." if len(hit.authors) > 3 else "")
        day = hit.published.date().isoformat() if hit.published else "undated"
        print(f"{number:>2}. {hit.title}\n    {authors} · {day} · {hit.url or hit.id}")


def source_json(source: Source, health: SourceHealth) -> dict[str, Any]:
    # the operator's own listing: the one place a source's address shows whole
    return {"name": source.name, "kind": source.kind, "location": source.location,
            "every_minutes": source.interval_minutes, "timezone": source.timezone,
            "added_by": source.added_by, "last_polled": to_iso(source.last_polled),
            "last_success": to_iso(source.last_success),
            "last_error": redact(source.last_error) if source.last_error else None,
            "failures": source.failures, "healthy": not health.unhealthy,
            "health": health.state, "reason": health.reason or None,
            "last_reading": None if source.last_items is None else {
                "items": source.last_items, "warnings": source.last_warnings,
                "first_warning": redact(source.last_warning) if source.last_warning else None,
                "empty_since": to_iso(source.empty_since)}}


def print_sources(sources: list[Source], policy: HealthPolicy, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"sources": [source_json(s, assess(s, policy)) for s in sources]},
                         ensure_ascii=False))
        return
    if not sources:
        print("no sources: add [[sources]] to the config file (see examples/lectern.toml)")
    for source in sources:
        print(f"{source.name} [{source.kind}] {source.location}\n"
              f"    {source_health(source, assess(source, policy))}")


def print_polls(reports: list[tuple[str, IngestReport | None, str | None]],
                 as_json: bool) -> None:
    if as_json:
        print(json.dumps({"polls": [
            {"source": name, "error": redact(error) if error else None,
             **(_report_json(report) if report else {})}
            for name, report, error in reports]}, ensure_ascii=False))
        return
    for name, report, error in reports:
        if error:
            print(f"{name}: failed: {redact(error)}")
            continue
        warned = len(report.warnings)
        print(f"{name}: {report.summary()}" + (
            f"; {warned} warning{'s' if warned > 1 else ''}, the first: "
            f"{redact(report.warnings[0])}" if warned else ""))
