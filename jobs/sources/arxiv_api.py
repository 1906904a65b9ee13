"""arXiv API answers (export.arxiv.org/api/query, Atom) -> Papers, or the API's own error."""

from __future__ import annotations

from typing import Any

from bot.models import Paper, ParseError, ParseResult
from bot.paperids import (
    arxiv_abs_url,
    arxiv_paper_id,
    arxiv_pdf_url,
    find_arxiv_id,
    normalize_doi,
)
from jobs.sources.arxiv_rss import detex, detex_name
from jobs.sources.feeds import FeedDocument, collapse_whitespace, entry_time, read_feed

_ERROR_ID = "arxiv.org/api/errors"


def parse(data: bytes, source: str, *, content_type: str | None = None) -> ParseResult:
    """Papers of one API answer in its order; an answer with no entries is an empty result."""
    return parse_page(data, source, content_type=content_type)[0]


def parse_page(data: bytes, source: str, *,
               content_type: str | None = None) -> tuple[ParseResult, int | None]:
    """Like `parse`, plus opensearch:totalResults (how many papers the query matches in all)."""
    # Abstracts are plain text full of TeX (`$x<y$`): an HTML sanitizer would eat them.
    doc = read_feed(data, sanitize_html=False, content_type=content_type)
    _reject_api_error(doc)
    result = ParseResult(warnings=list(doc.warnings))
    seen: set[str] = set()
    for number, entry in enumerate(doc.entries, start=1):
        paper = entry_paper(entry, source)
        if paper is None:
            result.warnings.append(f"entry {number} ({entry.get('id') or 'no id'}) is not an "
                                   "arXiv abstract link; it was skipped")
        elif paper.id not in seen:
            seen.add(paper.id)
            result.papers.append(paper)
    return result, _total_results(doc)


def _reject_api_error(doc: FeedDocument) -> None:
    # The API reports a bad query as a feed whose only entry is the error, not as HTTP 400.
    for entry in doc.entries:
        if _ERROR_ID in (entry.get("id") or ""):
            summary = collapse_whitespace(entry.get("summary")) or "no reason given"
            raise ParseError(f"the arXiv API rejected the query: {summary}")


def _total_results(doc: FeedDocument) -> int | None:
    try:
        return int(doc.feed.get("opensearch_totalresults", ""))
    except ValueError:
        return None


def entry_paper(entry: Any, source: str) -> Paper | None:
    """One API entry as a Paper, or None when its id is not an arXiv abstract link."""
    found = find_arxiv_id(entry.get("id"), entry.get("link"))
    if found is None:
        return None
    arxiv_id, version = found
    return Paper(
        id=arxiv_paper_id(arxiv_id),
        title=detex(collapse_whitespace(entry.get("title"))),
        source=source,
        url=arxiv_abs_url(arxiv_id),
        abstract=detex(collapse_whitespace(entry.get("summary"))),
        authors=_authors(entry),
        categories=_categories(entry),
        published=entry_time(entry, "published"),
        updated=entry_time(entry, "updated"),
        arxiv_id=arxiv_id,
        version=version,
        doi=normalize_doi(entry.get("arxiv_doi")),
        # Built rather than copied: the API links http:// and other sources https://.
        pdf_url=arxiv_pdf_url(arxiv_id, version),
        comment=detex(collapse_whitespace(entry.get("arxiv_comment"))) or None,
        journal_ref=detex(collapse_whitespace(entry.get("arxiv_journal_ref"))) or None,
    )


def _authors(entry: Any) -> list[str]:
    names = (detex_name(a.get("name") or "") for a in entry.get("authors") or [])
    return list(dict.fromkeys(name for name in names if name))


def _categories(entry: Any) -> list[str]:
    # The primary category first, then the others in the API's order.
    primary = (entry.get("arxiv_primary_category") or {}).get("term")
    terms = [primary] + [tag.get("term") for tag in entry.get("tags") or []]
    cleaned = (collapse_whitespace(term) for term in terms if term)
    return list(dict.fromkeys(term for term in cleaned if term))
