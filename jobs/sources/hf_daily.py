"""Hugging Face Daily Papers (huggingface.co/api/daily_papers JSON) -> Papers keyed by arXiv id."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from bot.models import Paper, ParseError, ParseResult
from bot.paperids import arxiv_abs_url, arxiv_paper_id, arxiv_pdf_url, split_arxiv_id
from jobs.sources.feeds import collapse_whitespace


def parse(data: bytes, source: str) -> ParseResult:
    """Papers of one day's list in its order; items without a usable paper id are skipped."""
    items = _load(data)
    result = ParseResult()
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        paper = item_paper(item, source, result.warnings, number)
        if paper is not None and paper.id not in seen:
            seen.add(paper.id)
            result.papers.append(paper)
    return result


def _load(data: bytes) -> list[Any]:
    head = data.lstrip()[:1]
    if not head:
        raise ParseError("the answer is empty; Hugging Face sent no list of papers")
    if head == b"<":
        raise ParseError("the answer is an HTML or XML page, not Daily Papers JSON; check that "
                         "the address is .../api/daily_papers")
    try:
        value = json.loads(data)
    except UnicodeDecodeError as exc:
        raise ParseError(f"the answer is not UTF-8 text (bad byte at {exc.start}); "
                         "it cannot be Daily Papers JSON") from exc
    except RecursionError as exc:  # the C decoder recurses per level: `[[[[...` is hostile
        raise ParseError("the JSON nests deeper than Python can read (a hostile or broken "
                         "answer); it cannot be Daily Papers JSON") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: "
                         f"{exc.msg.removesuffix(' starting at')}; {_json_hint(exc)}") from exc
    if isinstance(value, dict) and value.get("error"):
        raise ParseError(f"Hugging Face answered with an error instead of papers: "
                         f"{collapse_whitespace(str(value['error']))}")
    if not isinstance(value, list):
        raise ParseError(f"expected a JSON list of papers, got a JSON {_json_kind(value)}; "
                         "check that the address is .../api/daily_papers")
    return value


def _json_hint(exc: json.JSONDecodeError) -> str:
    # An error at the very end (or an unclosed string) means the answer was cut off.
    if exc.msg.startswith("Unterminated") or exc.pos >= len(exc.doc.rstrip()) - 1:
        return "the answer looks truncated"
    return "the answer is damaged or is not Daily Papers JSON"


def _json_kind(value: Any) -> str:
    return {dict: "object", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")


def item_paper(item: Any, source: str, warnings: list[str], number: int) -> Paper | None:
    """One Daily Papers item as a Paper; a skipped item leaves a warning instead."""
    paper = item.get("paper") if isinstance(item, dict) else None
    if not isinstance(paper, dict):
        warnings.append(f"item {number} has no paper object; it was skipped")
        return None
    title = collapse_whitespace(_text(paper, "title") or _text(item, "title"))
    raw_id = _text(paper, "id").strip()
    parts = split_arxiv_id(raw_id) if raw_id else None
    if parts is None:
        what = f"the id {raw_id!r}, which is not an arXiv id" if raw_id else "no paper id"
        warnings.append(f"item {number} ({title or 'untitled'!r}) has {what}; it was skipped")
        return None
    if paper.get("withdrawnAt"):
        warnings.append(f"item {number} ({raw_id}) was withdrawn from Daily Papers; skipped")
        return None
    arxiv_id, version = parts
    return Paper(
        id=arxiv_paper_id(arxiv_id),
        title=title,
        source=source,
        # The arXiv page, not huggingface.co/papers/<id>: every source links the same place.
        url=arxiv_abs_url(arxiv_id),
        abstract=collapse_whitespace(_text(paper, "summary")),
        authors=_authors(paper),
        published=_instant(paper.get("publishedAt")),
        arxiv_id=arxiv_id,
        version=version,
        pdf_url=arxiv_pdf_url(arxiv_id, version),
        upvotes=_count(paper.get("upvotes")),
        num_comments=_count(item.get("numComments")),
        github_url=_link(paper.get("githubRepo")),
        project_url=_link(paper.get("projectPage")),
        listed_on=_listed_on(item, paper),
    )


def _text(mapping: dict[str, Any], key: str) -> str:
    value = mapping.get(key)
    return value if isinstance(value, str) else ""


def _authors(paper: dict[str, Any]) -> list[str]:
    authors = paper.get("authors")
    if not isinstance(authors, list):
        return []
    names = (collapse_whitespace(a.get("name")) for a in authors if isinstance(a, dict)
             and isinstance(a.get("name"), str))
    return list(dict.fromkeys(name for name in names if name))


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    # A time without an offset from this API is UTC, as all of its times are.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _listed_on(item: dict[str, Any], paper: dict[str, Any]) -> date | None:
    """The day the paper was on the list: `date`, else when it was listed (UTC)."""
    listed = item.get("date")
    if isinstance(listed, str):
        try:
            return date.fromisoformat(listed.strip()[:10])
        except ValueError:
            pass
    moment = _instant(item.get("publishedAt")) or _instant(paper.get("submittedOnDailyAt"))
    return moment.date() if moment else None


def _count(value: Any) -> int | None:
    # The API's counts are JSON numbers (sometimes 12.0); booleans are not counts.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _link(value: Any) -> str | None:
    if isinstance(value, str) and value.strip().startswith(("https://", "http://")):
        return value.strip()
    return None
