"""Canonical paper ids: arXiv ids and DOIs found in any text or link, guid hashes, and
links without tracking parameters.

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
# Pages that are named by the arXiv id: arXiv's own, Hugging Face's paper pages (the same
# papers as HF Daily's) and alphaXiv's.
_IN_LINK = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)|(?:huggingface|hf)\.co/papers|alphaxiv\.org/(?:abs|overview))"
    rf"/(?:{_NEW}|{_OLD}){_VERSION}(?!\d)", re.IGNORECASE)
# `arXiv:2401.01234`, `oai:arXiv.org:...`, and arXiv's own DOIs (10.48550/arXiv.2401.01234).
_IN_TEXT = re.compile(
    rf"(?:\barxiv:|oai:arxiv\.org:|\b10\.48550/arxiv\.)\s*(?:{_NEW}|{_OLD}){_VERSION}(?!\d)",
    re.IGNORECASE)
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


_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})
_BARE_DOI = re.compile(r"^(?:doi:\s*|info:doi/)?10\.\d{4,9}/\S+$", re.IGNORECASE)
# Silverchair-hosted journals (ACS, OUP, ...) link `/article/doi/<DOI>/<article no>/<slug>`:
# the article number and slug follow the DOI and are not part of it.
_ARTICLE_TAIL = re.compile(r"/\d{5,}(?:/[^/]*[A-Za-z][^/]*)?/?$")


def exact_doi(text: str | None) -> str | None:
    """The DOI of a text that is nothing but one: `10.1/x`, `doi:10.1/x`, `info:doi/...`,
    or a doi.org link (the guid of ACS's feeds)."""
    text = (text or "").strip()
    if _BARE_DOI.match(text):
        return normalize_doi(text)
    parts = urlsplit(text)
    if parts.netloc.lower() in _DOI_HOSTS:
        return normalize_doi(parts.path)
    return None


def doi_in_publisher_link(link: str | None) -> str | None:
    """The DOI of a publisher's `.../doi/<DOI>` page (`/doi/abs/...`, `/doi/full/...` too).

    Any other link may carry a DOI-like piece of a path or query that is not the paper's,
    so only `/doi/` paths count. Under `/article/doi/` a trailing article number and slug
    are cut off (elsewhere a DOI such as 10.1051/0004-6361/202245678 may end in digits)."""
    path = urlsplit((link or "").strip()).path
    if "/doi/" not in path:
        return None
    doi = normalize_doi(path.split("/doi/", 1)[1])
    if doi is None or "/article/doi/" not in path:
        return doi
    prefix, _, suffix = doi.partition("/")
    return f"{prefix}/{_ARTICLE_TAIL.sub('', suffix)}"


# Query parameters that say who sent a reader, or when the feed was built, not what the
# page is: ad and mail campaign tags, ScienceDirect's `dgcid=rss_sd_all`, Atypon's (Wiley,
# Science) `af=R`, bioRxiv's `rss=1`, OpenURL referrer data (Cambridge's `rft_dat`), and
# PubMed's feed-build stamps (`fc=20211019130814&ff=20211019130828&v=2.15.0`, new at every
# build: kept, they made each build's items new papers).
_TRACKING = re.compile(r"^(?:utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|"
                       r"mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|ref_src|dgcid|wt\..+|_ga|_gl|"
                       r"rft_dat)$", re.IGNORECASE)
_TRACKING_PAIRS = frozenset({("af", "R"), ("rss", "1")})
_BUILD_STAMPS = {"fc": re.compile(r"\d{14}"), "ff": re.compile(r"\d{14}"),
                 "v": re.compile(r"\d+\.\d+\.\d+")}


def _tracking(name: str, value: str) -> bool:
    stamp = _BUILD_STAMPS.get(name)
    return (bool(_TRACKING.match(name)) or (name, value) in _TRACKING_PAIRS
            or (stamp is not None and stamp.fullmatch(value) is not None))


def without_tracking(url: str) -> str:
    """The link as given, minus its tracking parameters: the address to store and show."""
    url = url.strip()
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [pair for pair in parts.query.split("&")
            if pair and not _tracking(*_query_pair(pair))]
    return urlunsplit(parts._replace(query="&".join(kept)))


def _query_pair(pair: str) -> tuple[str, str]:
    (name, value), = parse_qsl(pair, keep_blank_values=True) or [(pair, "")]
    return name, value

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
                   if not _tracking(*pair))
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
