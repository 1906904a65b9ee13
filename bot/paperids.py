"""Canonical paper ids: arXiv ids and DOIs found in any text or link, and guid hashes.

One paper seen by several sources must get one id, so every parser builds ids here.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# New-style ids (0704.0001 onwards) and old-style ids (hep-th/9901001, math.AG/0601001).
_NEW = r"(?P<new>\d{4}\.\d{4,5})"
_OLD = r"(?P<old>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})"
_VERSION = r"(?:v(?P<version>\d+))?"
_ID = re.compile(rf"(?:{_NEW}|{_OLD}){_VERSION}(?![\d.])")
_IN_LINK = re.compile(
    rf"arxiv\.org/(?:abs|pdf|html)/(?:{_NEW}|{_OLD}){_VERSION}", re.IGNORECASE)
_IN_TEXT = re.compile(
    rf"(?:\barxiv:|oai:arxiv\.org:)\s*(?:{_NEW}|{_OLD}){_VERSION}", re.IGNORECASE)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)


def split_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """Return (id without version, version) for a bare arXiv id such as `2401.01234v2`."""
    match = _ID.fullmatch(text.strip())
    return _parts(match) if match else None


def find_arxiv_id(*texts: str | None) -> tuple[str, int | None] | None:
    """Find an arXiv id in links (`arxiv.org/abs/...`) or text (`arXiv:`, `oai:arXiv.org:`)."""
    for text in texts:
        if not text:
            continue
        match = _IN_LINK.search(text) or _IN_TEXT.search(text)
        if match:
            return _parts(match)
    return None


def _parts(match: re.Match[str]) -> tuple[str, int | None]:
    version = match.group("version")
    return (match.group("new") or match.group("old"), int(version) if version else None)


def normalize_doi(text: str | None) -> str | None:
    """`https://doi.org/10.1000/XYZ.` -> `10.1000/xyz` (DOIs are case-insensitive)."""
    if not text:
        return None
    match = _DOI.search(text)
    if not match:
        return None
    return match.group(1).rstrip(".,;)]").lower()


def arxiv_paper_id(arxiv_id: str) -> str:
    return f"arxiv:{arxiv_id}"


def doi_paper_id(doi: str) -> str:
    return f"doi:{doi}"


def guid_paper_id(source: str, guid: str) -> str:
    """`<source>:<hash>` for a paper known only by its feed guid (or link)."""
    digest = hashlib.sha256(guid.strip().encode("utf-8")).hexdigest()[:16]
    return f"{source}:{digest}"


# Query parameters that say who sent a reader, not what the page is.
_TRACKING = re.compile(r"^(?:utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|"
                       r"mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|ref_src)$",
                       re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def identity_url(url: str) -> str:
    """A link reduced to what names the page, for telling one feed item from another:
    http and https alike, no `www.`, no default port, no fragment, no trailing slash, no
    tracking parameters (utm_*, fbclid, ...), the other parameters sorted. Not a URL to
    fetch: only for comparing and hashing."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return canonical_url(url)
    host = parts.hostname.lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the text as it is
        port = None
    if port and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = re.sub(r"/+$", "", parts.path)
    query = sorted(pair for pair in parse_qsl(parts.query, keep_blank_values=True)
                   if not _TRACKING.match(pair[0]))
    return f"//{host}{path}" + (f"?{urlencode(query)}" if query else "")


def title_identity(title: str) -> str:
    """A title as an identity: case and spacing do not count."""
    return "title:" + " ".join(title.split()).casefold()


def canonical_url(url: str) -> str:
    """Normalise a link for deduplication: lower-case scheme and host, no fragment."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, ""))


def arxiv_abs_url(arxiv_id: str) -> str:
    """The abstract page every source links for an arXiv paper (no version: the latest)."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_pdf_url(arxiv_id: str, version: int | None = None) -> str:
    """The PDF of one version when it is known, else of the latest version."""
    suffix = f"v{version}" if version else ""
    return f"https://arxiv.org/pdf/{arxiv_id}{suffix}"
