"""A journal or preprint feed item's DOI, and the version of the work it names: from the
item's fields (prism:doi, dc:identifier, a labelled 'DOI:' line), a guid or link that is a
DOI, a publisher's /doi/ page, or a preprint server's /content/<DOI>v<N> page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.paperids import doi_in_publisher_link, exact_doi, normalize_doi
from jobs.sources.htmlblocks import html_blocks

# Preprint servers give each version a DOI of its own, the work's with a version suffix:
# ChemRxiv's '10.26434/chemrxiv-2024-sm9rp-v2' (v1 has none), '...chemrxiv.13082561.v2' and
# '...chemrxiv.15005231/v1', Research Square's '.../rs-123456/v2', OSF's '..._v2'. The
# versions are one paper, updated, as arXiv's are.
_DOI_VERSION = re.compile(r"(?P<work>10\.\d{4,9}/.*[a-z\d]{4})[-./_]v(?P<version>[1-9]\d?)")
# bioRxiv and medRxiv give one DOI to all versions and put the version after it in the
# page's address: '/content/10.1101/2025.09.29.678242v2', '.../2021.03.20.436288v3.full'.
_CONTENT_VERSION = re.compile(
    r"/content/(?P<doi>10\.\d{4,9}/[\d.]*\d)v(?P<version>[1-9]\d?)(?:[./]|$)")
_DOI_FIELD = re.compile(r"doi\s*:\s*(\S+)", re.IGNORECASE)
# Publishers that name an article's page by its DOI without a /doi/ segment: Springer's
# '/article/10.1007/s11230-021-10009-1', IOP's '/article/10.1088/1742-6596/803/1/012083/pdf',
# Frontiers' '/articles/10.3389/fpsyg.2021.734936/full', PLOS's 'article?id=10.1371/...'.
_ARTICLE_PATH = re.compile(r"/(?:article|articles|chapter)/(?P<doi>10\.\d{4,9}/.+?)"
                           r"(?:/(?:full|abstract|pdf|epdf|fulltext|meta|html))?/?$")


def doi_version(doi: str, links: list[str]) -> tuple[str, int | None]:
    """The DOI of the work and the version: the one a versioned DOI ends with, else the
    one the item's page names after that DOI."""
    match = _DOI_VERSION.fullmatch(doi)
    if match:
        return match["work"], int(match["version"])
    for link in links:
        found = _CONTENT_VERSION.search(urlsplit((link or "").strip()).path)
        if found and normalize_doi(found["doi"]) == doi:
            return doi, int(found["version"])
    return doi, None


def entry_doi(entry: Any, guid: str, links: list[str]) -> str | None:
    """The entry's DOI: from prism:doi or dc:identifier, else a guid or link that is a DOI
    (`doi:...`, a doi.org link), else a publisher's /doi/ link, else a page named by its
    DOI otherwise (_page_doi). The exact forms win: a publisher's link may carry more path
    after the DOI (ACS: `.../doi/<DOI>/<no>/<slug>`)."""
    for value in (entry.get("prism_doi"), *entry.get("dc_identifiers", ()), _labelled_doi(entry)):
        doi = normalize_doi(value)
        if doi:
            return doi
    for candidate in (guid, *links):
        doi = exact_doi(candidate)
        if doi:
            return doi
    for candidate in (*links, guid):
        doi = doi_in_publisher_link(candidate)
        if doi:
            return doi
    for candidate in (*links, guid):
        doi = _page_doi(candidate)
        if doi:
            return doi
    return None


def _page_doi(link: str | None) -> str | None:
    """The DOI an article's page is named by: a preprint's /content/<DOI>v<N>, an
    /article/<DOI> path, or an `id` or `doi` parameter that is a DOI."""
    parts = urlsplit((link or "").strip())
    found = _CONTENT_VERSION.search(parts.path) or _ARTICLE_PATH.search(parts.path)
    if found:
        return normalize_doi(found["doi"])
    values = (value for name, value in parse_qsl(parts.query) if name.lower() in ("id", "doi"))
    return next((doi for doi in map(exact_doi, values) if doi), None)


def _labelled_doi(entry: Any) -> str | None:
    """A DOI the description gives in a field of its own ('DOI: 10.3897/...': Pensoft)."""
    detail = entry.get("summary_detail") or {}
    blocks = html_blocks(detail.get("value")) if "html" in (detail.get("type") or "") else []
    found = (_DOI_FIELD.fullmatch(block) for block in blocks[:6])
    return next((match.group(1) for match in found if match), None)
