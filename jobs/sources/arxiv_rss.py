"""arXiv's daily listings -> Papers: the 2024 format (rss.arxiv.org/rss/<cat> and
/atom/<cat>) and the RSS 1.0 listings before it (export.arxiv.org/rss/<cat>), whose titles
end in "(arXiv:<id>v<n> [<category>] UPDATED)" and whose dc:creator is escaped HTML."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from bot.models import (
    ANNOUNCE_CROSS,
    ANNOUNCE_NEW,
    ANNOUNCE_REPLACE,
    ANNOUNCE_REPLACE_CROSS,
    Paper,
    ParseError,
    ParseResult,
)
from bot.paperids import (
    arxiv_abs_url,
    arxiv_paper_id,
    arxiv_pdf_url,
    find_arxiv_id,
    normalize_doi,
)
from jobs.sources.feeds import (
    FeedDocument,
    collapse_whitespace,
    entry_time,
    read_feed,
    utc_datetime,
)
from jobs.sources.htmlblocks import html_to_text
from jobs.sources.paperauthors import people_names

ANNOUNCE_TYPES = frozenset({ANNOUNCE_NEW, ANNOUNCE_CROSS, ANNOUNCE_REPLACE, ANNOUNCE_REPLACE_CROSS})
# The description repeats id and announce type before the abstract:
# "arXiv:2401.01234v2 Announce Type: replace \nAbstract: ..."
_PREFIX = re.compile(
    r"^\s*arXiv:\s*(?P<id>\S+)\s+Announce\s+Type:\s*(?P<type>[\w-]+)\s*(?:Abstract:\s*)?",
    re.IGNORECASE)
# The pre-2024 listings' note after each title: "Title. (arXiv:1805.06430v2 [nucl-th]
# UPDATED)"; no word for a new paper, "UPDATED" for a replacement, "CROSS LISTED".
_OLD_NOTE = re.compile(
    r"\.?\s*\(\s*arXiv:\s*(?P<id>[^\s\[\]()]+)\s*\[(?P<category>[^\]\s]+)\]"
    r"\s*(?P<type>[A-Z][A-Z ]*?)?\s*\)\s*$")
_OLD_TYPES = {"": ANNOUNCE_NEW, "UPDATED": ANNOUNCE_REPLACE, "CROSS LISTED": ANNOUNCE_CROSS}
_MARKUP = re.compile(r"<[A-Za-z/]")


def parse(data: bytes, source: str, *, content_type: str | None = None) -> ParseResult:
    """Papers of one listing in document order; `replace` entries keep their announce type."""
    # Abstracts are plain text full of TeX (`$x<y$`): an HTML sanitizer would eat them.
    doc = read_feed(data, sanitize_html=False, content_type=content_type)
    _reject_error_feed(doc)
    result = ParseResult(warnings=list(doc.warnings))
    seen: set[str] = set()
    # The old listings date only the channel (dc:date): the day its papers were announced.
    listed = utc_datetime(dict.get(doc.feed, "updated_parsed"))
    for number, entry in enumerate(doc.entries, start=1):
        paper = entry_paper(entry, source, listed)
        if paper is None:
            title = collapse_whitespace(entry.get("title")) or "untitled"
            result.warnings.append(f"entry {number} ({title!r}) has no arXiv id in its guid, "
                                   "link or description; it was skipped")
        elif paper.id not in seen:
            seen.add(paper.id)
            result.papers.append(paper)
            if paper.announce_type and paper.announce_type not in ANNOUNCE_TYPES:
                result.warnings.append(f"{paper.id} has the unknown announce type "
                                       f"{paper.announce_type!r}; it was kept as given")
    return result


def _reject_error_feed(doc: FeedDocument) -> None:
    # An unknown category gives a well-formed, empty feed titled "Feed error for query: ...".
    title = collapse_whitespace(doc.feed.get("title"))
    if title.lower().startswith("feed error"):
        raise ParseError(f"arXiv could not build this listing ({title}); check the category "
                         "names in the feed address, e.g. cs.LG or math.AP")


def entry_paper(entry: Any, source: str, listed: datetime | None = None) -> Paper | None:
    """One listing entry as a Paper, or None when no arXiv id can be found in it; `listed`
    (the listing's date) dates an old-format entry, which has no date of its own."""
    description = entry.get("summary") or ""
    prefix = _PREFIX.match(description)
    title = collapse_whitespace(entry.get("title"))
    note = _OLD_NOTE.search(title)
    found = find_arxiv_id(f"arXiv:{note['id']}" if note else None, entry.get("id"),
                          f"arXiv:{prefix['id']}" if prefix else None, entry.get("link"))
    if found is None:
        return None
    arxiv_id, version = found
    abstract = description[prefix.end():] if prefix else description
    categories = _categories(entry)
    if note:  # the old listings: an HTML description, the primary category in the note
        title, abstract = title[:note.start()], html_to_text(abstract)
        categories = list(dict.fromkeys([note["category"], *categories]))
    return Paper(
        id=arxiv_paper_id(arxiv_id), title=detex(title), source=source,
        url=arxiv_abs_url(arxiv_id), abstract=detex(collapse_whitespace(abstract)),
        authors=_authors(entry), categories=categories,
        # A listing's <updated> is when the listing was built, not when the paper changed.
        published=entry_time(entry, "published") or (listed if note else None),
        arxiv_id=arxiv_id, version=version,
        doi=normalize_doi(entry.get("arxiv_doi")),
        pdf_url=arxiv_pdf_url(arxiv_id, version),
        announce_type=_announce_type(entry, prefix, note),
        # TeX accents as arXiv keeps them: 'Journal de l'\\'Ecole polytechnique'.
        journal_ref=detex(collapse_whitespace(entry.get("arxiv_journal_reference"))) or None,
    )


def is_listing_entry(entry: Any) -> bool:
    """Whether a feed entry is an item of an arXiv listing: it has an announce type, the
    listing's "arXiv:<id> Announce Type:" prefix, or the old listings' note after its title."""
    return bool(entry.get("arxiv_announce_type") or _PREFIX.match(entry.get("summary") or "")
                or _OLD_NOTE.search(collapse_whitespace(entry.get("title"))))


def _announce_type(entry: Any, prefix: re.Match[str] | None,
                   note: re.Match[str] | None) -> str | None:
    if note:
        word = collapse_whitespace(note["type"])
        return _OLD_TYPES.get(word, word.lower().replace(" ", "-"))
    value = entry.get("arxiv_announce_type") or (prefix["type"] if prefix else "")
    value = value.strip().lower()
    return value or None


def _authors(entry: Any) -> list[str]:
    # dc:creator holds the whole list in one element: "A, B, and C" (2024 format), or
    # escaped HTML links "<a href=...>A</a>, <a ...>B</a> (STAR Collaboration)" (before).
    creators = [a.get("name") or "" for a in entry.get("authors") or []]
    texts = (html_to_text(text) if _MARKUP.search(text) else text for text in creators)
    names = [name for text in texts for name in people_names(detex_name(text))]
    return [name for name in dict.fromkeys(names) if name]


def _categories(entry: Any) -> list[str]:
    terms = (collapse_whitespace(tag.get("term")) for tag in entry.get("tags") or [])
    return list(dict.fromkeys(term for term in terms if term))


_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
            "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}


def _accent_pattern(tag: str) -> str:
    # A letter-named accent (\v, \c, ...) must not be the start of a longer command (\cdot).
    return (rf"""\\(?:(?P<{tag}sym>['`^"~=.])|(?P<{tag}word>[uvHckr])(?![A-Za-z]))\s*"""
            rf"""(?:\{{\s*(?P<{tag}b1>\\?[A-Za-z])\s*\}}|(?P<{tag}b2>\\?[A-Za-z]))""")


# `{\'e}`, `\'{e}` and `\'e` alike; outer braces go only when both are there.
_ACCENT_RE = re.compile(rf"\{{{_accent_pattern('o_')}\}}|{_accent_pattern('')}")
_LETTER_NAMES = "ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j"
# TeX swallows the spaces after a control word: `Bj\o rn` is Bjørn.
_LETTER_RE = re.compile(
    rf"\{{\\({_LETTER_NAMES})\}}|\\({_LETTER_NAMES})(?![A-Za-z])(?:\{{\}}|\s*)")


def _accent(match: re.Match[str]) -> str:
    groups = {k.removeprefix("o_"): v for k, v in match.groupdict().items() if v}
    base = (groups.get("b1") or groups["b2"]).lstrip("\\")
    return unicodedata.normalize("NFC", base + _ACCENTS[groups.get("sym") or groups["word"]])


def detex(text: str) -> str:
    """Turn TeX accents (`Andr\\'e`, `{\\"o}`, `\\l`) that arXiv listings carry into Unicode."""
    if "\\" not in text:
        return text
    text = _ACCENT_RE.sub(_accent, text)
    return _LETTER_RE.sub(lambda m: _LETTERS[m.group(1) or m.group(2)], text)


def detex_name(name: str) -> str:
    """A person's name with TeX accents decoded and TeX grouping braces dropped."""
    return collapse_whitespace(detex(name).replace("{", "").replace("}", ""))
