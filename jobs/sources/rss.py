"""Any RSS 0.9x/1.0/2.0 or Atom feed (journals, blogs) -> Papers with canonical ids.

An item's id is its arXiv id (an arXiv or Hugging Face paper link, guid, dc:identifier,
an arXiv DOI), else its DOI (prism:doi, dc:identifier, a doi.org guid or link, a
publisher's /doi/ link). An item with neither is known by its link, reduced by
bot.paperids.identity_url (http/https, `www.`, trailing slash, tracking parameters and
fragments do not count), then by its guid when it has no link of its own, then by its
title. Feeds rotate guids and re-date items; the page an item links to is what stays, so
none is posted twice. A link to the feed's own page or a site's root names no item: the
guid is used instead. Stored links lose their tracking parameters.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from bot.models import Paper, ParseResult
from bot.paperids import (
    arxiv_abs_url,
    arxiv_paper_id,
    arxiv_pdf_url,
    doi_paper_id,
    find_arxiv_id,
    guid_paper_id,
    identity_url,
    title_identity,
    without_tracking,
)
from jobs.sources import arxiv_rss, paperauthors
from jobs.sources.feedids import doi_version, entry_doi
from jobs.sources.feeds import (
    abstract_text,
    collapse_whitespace,
    detail_text,
    entry_time,
    read_feed,
)
from jobs.sources.feedtitle import entry_title
from jobs.sources.htmlblocks import html_blocks, html_to_text
from jobs.sources.paperauthors import description_authors, entry_authors, people_names
from jobs.sources.talkspeaker import looks_like_name


def parse(data: bytes, source: str, *, content_type: str | None = None) -> ParseResult:
    """Papers in document order; duplicates (same guid, then same link) keep the first.
    `content_type` is the header the feed was served with (its charset counts)."""
    doc = read_feed(data, sanitize_html=True, content_type=content_type)
    if doc.entries and all(arxiv_rss.is_listing_entry(entry) for entry in doc.entries):
        # arXiv's own listing, added as a plain feed: its reader keeps the TeX the HTML
        # sanitizer would eat ('$a<b$ and $c>d$') and the announce types ('replace' is
        # no news).
        return arxiv_rss.parse(data, source, content_type=content_type)
    result = ParseResult(warnings=list(doc.warnings))
    seen: set[str] = set()  # guids, item links and paper ids already taken
    home = _home_page(doc.feed)
    for number, entry in enumerate(doc.entries, start=1):
        guid = collapse_whitespace(entry.get("id"))
        link = (entry.get("link") or "").strip()
        if not link and not detail_text(entry.get("title_detail"), entry.get("title")):
            result.warnings.append(f"entry {number} has neither a title nor a link; "
                                   "it was skipped")
            continue
        page = item_page(link, home)
        keys = [f"guid {guid}" if guid else "", f"link {page}" if page else ""]
        if any(key in seen for key in keys if key):
            continue
        paper = entry_paper(entry, source, home)
        # Two entries for one paper (a DOI under two guids) would be one row anyway.
        if f"id {paper.id}" in seen:
            continue
        seen.update(key for key in (*keys, f"id {paper.id}") if key)
        result.papers.append(paper)
    return result


def _home_page(feed: Any) -> str | None:
    link = (feed.get("link") or "").strip() if feed else ""
    return identity_url(link) if link else None


def item_page(link: str, home: str | None) -> str | None:
    """The link as an item's identity; None for no link, the feed's home page or a bare
    site root (feeds that link every item there)."""
    if not link:
        return None
    page = identity_url(link)
    if page == home or not urlsplit(link).path.strip("/"):
        return None
    return page


def entry_identity(guid: str, link: str, title: str, home: str | None = None) -> str:
    """What a plain feed item is known by: its page, else its guid, else its title."""
    page = item_page(link, home)
    if page:
        return page
    if guid:
        return identity_url(guid) if guid.startswith(("http://", "https://")) else guid
    return title_identity(title)


def entry_paper(entry: Any, source: str, home: str | None = None) -> Paper:
    """One feed entry as a Paper; its id is arXiv's, else the DOI's, else a hash of its
    identity (entry_identity), which an item with a DOI or arXiv id names as `former_id`
    (it may have been stored under it before it carried one)."""
    guid = collapse_whitespace(entry.get("id"))
    link = (entry.get("link") or "").strip()
    title = entry_title(entry)
    hrefs = [link_["href"] for link_ in entry.get("links") or [] if link_.get("href")]
    arxiv = find_arxiv_id(link, guid, *hrefs, entry.get("dc_identifier"),
                          entry.get("prism_doi"))
    doi = entry_doi(entry, guid, [link, *hrefs])
    identity = entry_identity(guid, link, title, home)
    if arxiv:
        arxiv_id, version = arxiv
        paper_id, url = arxiv_paper_id(arxiv_id), arxiv_abs_url(arxiv_id)
        pdf_url: str | None = arxiv_pdf_url(arxiv_id, version)
    else:
        arxiv_id = version = None
        url = without_tracking(link) or (f"https://doi.org/{doi}" if doi else "")
        pdf_url = _pdf_link(entry)
        work, version = doi_version(doi, [link, *hrefs]) if doi else (None, None)
        paper_id = doi_paper_id(work) if work else guid_paper_id(source, identity)
    plain_id = guid_paper_id(source, identity)
    return Paper(
        id=paper_id, title=title, source=source, url=url, abstract=_abstract(entry),
        authors=_authors(entry),
        categories=_categories(entry),
        # Many blogs give only <updated> (or dc:date); it is then the best publication time.
        published=entry_time(entry, "published") or entry_time(entry, "updated")
        or _labelled_day(entry.get("summary")),
        updated=entry_time(entry, "updated"),
        arxiv_id=arxiv_id, version=version, doi=doi, pdf_url=pdf_url,
        journal_ref=_journal_ref(entry), former_id=None if paper_id == plain_id else plain_id,
    )


def _abstract(entry: Any) -> str:
    # feedparser copies Atom <content> into `summary` without its type: read the content.
    contents = entry.get("content") or []
    if entry.get("summary_detail"):
        text = abstract_text(entry["summary_detail"])
        # The content is the abstract when the description is a stub (Wiley: 'TAXON,
        # EarlyView.', its dc:description filed as content) or a piece of it (PubMed: the
        # last paragraph; content:encoded has them all).
        full = abstract_text(contents[0]) if contents else ""
        if len(full) > len(text) and (len(text.split()) <= _STUB_WORDS or text in full):
            text = full
    else:
        text = abstract_text(contents[0]) if contents else html_to_text(entry.get("summary"))
    # The header up to the list of authors read from it (RSC: 'Communication — 18 August
    # 2026', then 'A; B; C') is no part of the abstract.
    block = _people_block(entry)[0]
    at = text.find(block) if block else -1
    text = text[at + len(block):].strip() if 0 <= at <= _HEADER_CHARS else text
    # "Author(s): A, B Abstract: ..." (generated arXiv feeds): the authors are read apart.
    text = paperauthors.leading_people(_AUTHORS_FIRST.sub("", text, count=1))[1]
    # The issue it is in, or a lone '.' (Taylor & Francis ahead of print): no abstract given.
    if _CITATION.fullmatch(text) or not re.search(r"\w", text):
        return ""
    # Entities escaped twice by a feed generator ("&amp;percnt;") are still entities.
    return html.unescape(text) if _ENTITY.search(text) else text


_STUB_WORDS = 12  # a description this short is a citation line, not an abstract
_HEADER_CHARS = 300  # the most a header before the authors takes
_AUTHORS_FIRST = re.compile(r"^\s*authors?(?:\(s\))?\s*:[^\n]{0,3000}?\babstract\s*:\s*",
                            re.IGNORECASE)
# A description that only cites the issue: Wiley's 'TAXON, Volume 70, Issue 5, Page 946-988,
# October 2021.', 'TAXON, EarlyView.'; Atypon's 'Volume 67, Issue 4, December 2021, Page 2-9'
_CITATION = re.compile(r"(?:[^\n]{1,150}?, )?(?:EarlyView|Vol(?:ume|\.) [\w.-]+(?:, (?:(?:Issue"
                       r"|No\.) [\w.-]+|Pages? [\w.-]+|[A-Z][a-z]+\.? (?:\d{1,2}, )?\d{4}))+) ?\.?")
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,10}|#\d{2,6}|#x[0-9a-fA-F]{2,6});")


def _authors(entry: Any) -> list[str]:
    """The entry's authors; where it names one, or none, and its description opens with a
    paragraph listing several people starting with that one (arXiv feeds made by scripts),
    that list."""
    named = entry_authors(entry)
    listed = _description_authors(entry) or _listed_first(entry) or paperauthors.leading_people(
        html_to_text(entry.get("summary")))[0]
    if len(named) <= 1 and len(listed) > 1 and (not named or listed[0] == named[0]):
        return listed
    return named or listed


def _listed_first(entry: Any) -> list[str]:
    return _people_block(entry)[1]


def _people_block(entry: Any) -> tuple[str, list[str]]:
    """The description's first block if it lists people, or one of its first blocks that
    is a semicolon list of names (RSC feeds: article type and date, then 'A; B; C'), and
    the people it lists."""
    detail = entry.get("summary_detail") or {}
    blocks = html_blocks(detail.get("value")) if "html" in (detail.get("type") or "") else []
    for number, block in enumerate(blocks[:3]):
        if len(block) > 2000 or (number and ";" not in block):
            continue
        people = people_names(block)
        written = [" ".join(person.split(", ", 1)[::-1]) for person in people]  # Given Family
        if len(people) > 1 and (all(looks_like_name(p) for p in written) or (
                ";" in block and _mostly_names(written))):
            return block, people
    return "", []


def _mostly_names(people: list[str]) -> bool:
    # Name lists typed by authors keep some in lower or upper case ('chengyun zhou').
    shaped = all(_NAME_SHAPE.fullmatch(person) for person in people)
    return shaped and 2 * sum(looks_like_name(p) for p in people) >= len(people)


_NAME_SHAPE = re.compile(r"[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){1,4}")


def _description_authors(entry: Any) -> list[str]:
    # ScienceDirect's feeds name the authors only in an "Author(s): ..." paragraph.
    detail = entry.get("summary_detail") or {}
    return description_authors(detail.get("value")) if "html" in (
        detail.get("type") or "") else []


def _categories(entry: Any) -> list[str]:
    terms = (collapse_whitespace(tag.get("term")) for tag in entry.get("tags") or [])
    return list(dict.fromkeys(term for term in terms if term))


def _pdf_link(entry: Any) -> str | None:
    for link in entry.get("links") or []:
        if link.get("type") == "application/pdf" and link.get("href"):
            return without_tracking(link["href"])
    return None


# ScienceDirect's feeds date their items only in the description: 'Publication date:
# Available online 3 November 2021' or '... date: 15 January 2022' (a day); 'Publication
# date: January 2022' names only the issue's month, which is no day and is left unread.
_LABELLED_DAY = re.compile(r"(?:publication date\s*:|available online)\s*(?:available online\s*)?"
                           r"(\d{1,2}) ([A-Z][a-z]{2,8}) (\d{4})\b", re.IGNORECASE)


def _labelled_day(summary: str | None) -> datetime | None:
    found = _LABELLED_DAY.search(summary or "")
    try:
        day = datetime.strptime(" ".join(found.groups()), "%d %B %Y") if found else None
    except ValueError:
        return None
    return day.replace(tzinfo=UTC) if day else None


def _journal_ref(entry: Any) -> str | None:
    name = collapse_whitespace(entry.get("prism_publicationname"))
    # Taylor & Francis' feeds give the article's title as prism:publicationName and the
    # journal's name in dc:source.
    title = detail_text(entry.get("title_detail"), entry.get("title"))
    if name and name.casefold() == title.casefold():
        name = collapse_whitespace(entry.get("dc_source"))
    volume = collapse_whitespace(entry.get("prism_volume"))
    if not name:
        return None
    return f"{name} {volume}" if volume else name
