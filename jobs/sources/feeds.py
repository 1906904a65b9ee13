"""Shared reading of RSS/Atom bytes: safe feedparser calls, encoding repair, text and dates."""

from __future__ import annotations

import codecs
import io
import re
import threading
import xml.parsers.expat
import xml.sax
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from bot.models import ParseError
from jobs.sources import charset, feedhooks
from jobs.sources.htmlblocks import html_blocks, html_to_text
from jobs.sources.xmlguard import BARE_AMP, check_xml

# Real feeds often break only these rules while their structure is sound: bare `&`
# (escaped with xmlguard.BARE_AMP), HTML entities such as `&nbsp;` and undeclared
# prefixes; readers accept such feeds.
_TRUNCATED = ("no element found", "unclosed token", "unclosed CDATA section")
MAX_BAD_STRETCHES = 1000  # a stray bad byte is repaired; a document of them is not text


@dataclass(slots=True)
class FeedDocument:
    """What feedparser read from a well-formed feed, plus the warnings for a person."""

    feed: Any
    entries: list[Any]
    version: str
    warnings: list[str] = field(default_factory=list)


def read_feed(data: bytes, *, sanitize_html: bool, content_type: str | None = None) -> FeedDocument:
    """Parse RSS/Atom bytes served with `content_type` (its charset counts, as
    charset.served_charset says); ParseError unless the document can be read as a whole."""
    if not data.strip():
        raise ParseError("the document is empty; the source sent no feed")
    # Blank lines before the XML declaration (a PHP template's stray newline) make the
    # document not well-formed though nothing else is wrong; readers skip them.
    if data[:1].isspace() and data.lstrip().startswith(b"<?xml"):
        data = data.lstrip()
    data, text, warnings = repair_encoding(charset.served_xml(data, content_type))
    data, text = _without_controls(data, text, warnings)
    check_xml(text)  # entity tricks and absurd nesting never reach feedparser
    try:
        # Always a byte stream: given a str, feedparser would open it as a URL or a path.
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=sanitize_html,
                                  resolve_relative_uris=False)
    except Exception as exc:  # a crash inside the parser on hostile input is unreadable input
        raise ParseError(f"the feed could not be parsed ({type(exc).__name__}: {exc})") from exc
    if not parsed.get("version"):
        raise ParseError(_not_a_feed(text))
    exc = parsed.get("bozo_exception")
    if isinstance(exc, xml.sax.SAXException):
        problem = structural_xml_error(text)
        if problem:
            raise ParseError(problem)
        warnings.append(f"the feed is not strict XML ({_sax_detail(exc, text)}); "
                        "it was read leniently")
    elif exc is not None:
        warnings.append(f"feed encoding: {exc}")
    return FeedDocument(parsed.feed, list(parsed.entries), parsed.version, warnings)


def repair_encoding(data: bytes) -> tuple[bytes, str, list[str]]:
    """Replace bytes the declared (or assumed UTF-8) encoding cannot decode.

    Returns the bytes to parse, their text, and a warning when bytes were replaced.
    Without this, feedparser re-decodes the whole feed as windows-1252 and garbles
    every non-ASCII character because of one bad byte. A feed that names no encoding and
    has no UTF-8 in it is in a legacy charset: it is read as Windows-1252, as browsers do.
    """
    wide = charset.bomless_wide(data)
    if wide:  # feedparser reads these as they are; re-encoding them as UTF-8 broke them
        return data, data.decode(wide, "replace"), []
    if charset.undeclared_legacy(data, MAX_BAD_STRETCHES):
        text = data.decode("cp1252", "replace")
        return text.encode("utf-8"), text, ["the feed names no encoding and is not UTF-8; "
                                            "it was read as Windows-1252"]
    encoding, skip = _sniff_encoding(data)
    try:
        codecs.lookup(encoding)
    except LookupError:
        return data, data.decode("utf-8", "replace"), []
    text, bad, first = _decode_counting(data[skip:], encoding)
    if not bad:
        return data, text, []
    name = "valid UTF-8" if encoding.startswith("utf-8") else f"valid {encoding}"
    noun = "byte that is" if bad == 1 else "bytes that are"
    warning = (f"{bad} {noun} not {name} {'was' if bad == 1 else 'were'} replaced "
               f"(first at byte {first + skip})")
    repaired = data[:skip] + text.encode(encoding, "xmlcharrefreplace")
    return repaired, text, [warning]


# Control characters XML 1.0 forbids, raw or as references: one in a title pasted from a
# word processor made the whole feed not well-formed (gofeed's rss_channel_item_illegal_char).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#(?:0*(?:[0-8]|1[1245-9]|2\d|3[01])"
                      r"|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]));")


def _without_controls(data: bytes, text: str, warnings: list[str]) -> tuple[bytes, str]:
    """The document without control characters, which no reader shows and XML forbids."""
    count = len(_CONTROL.findall(text))
    if not count or charset.bomless_wide(data):  # its NULs belong to its characters
        return data, text
    encoding, skip = _sniff_encoding(data)
    text = _CONTROL.sub("", text)
    try:
        data = data[:skip] + text.encode(encoding, "xmlcharrefreplace")
    except (LookupError, UnicodeError):
        data = data[:skip] + _CONTROL.sub("", data[skip:].decode("latin-1")).encode("latin-1")
    warnings.append(f"{count} control character{'s' if count > 1 else ''} (not allowed in "
                    f"XML) {'were' if count > 1 else 'was'} dropped")
    return data, text


def _sniff_encoding(data: bytes) -> tuple[str, int]:
    """The encoding a BOM or the XML declaration names (else UTF-8), and the BOM length."""
    return charset.bom(data) or (charset.declared_charset(data) or "utf-8", 0)


class _Tally(threading.local):
    """Bad bytes seen by the current decode (one pass in C, a call per bad stretch)."""

    bad, first, runs = 0, -1, 0


_TALLY = _Tally()


def _tally_errors(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    tally = _TALLY
    tally.first = exc.start if tally.first < 0 else tally.first
    tally.bad += exc.end - exc.start
    tally.runs += 1
    if tally.runs > MAX_BAD_STRETCHES:
        raise ParseError(f"more than {MAX_BAD_STRETCHES} stretches of bytes are not valid "
                         f"{exc.encoding} (the first at byte {tally.first}): the document is "
                         "not text in its encoding")
    return "\ufffd", exc.end


codecs.register_error("lectern-tally", _tally_errors)


def _decode_counting(body: bytes, encoding: str) -> tuple[str, int, int]:
    """Decode with U+FFFD for bad bytes; return the text, how many bytes, the first offset.

    Linear time however many bytes are bad (a loop re-decoding the rest was quadratic);
    a document with more than MAX_BAD_STRETCHES bad stretches is refused."""
    _TALLY.bad, _TALLY.first, _TALLY.runs = 0, -1, 0
    text = body.decode(encoding, "lectern-tally")
    return text, _TALLY.bad, _TALLY.first


def structural_xml_error(text: str) -> str | None:
    """Describe the first error that makes the document unreadable as XML, if any.

    Bare ampersands, HTML entities and undeclared namespace prefixes are forgiven.
    """
    parser = xml.parsers.expat.ParserCreate()  # no namespaces: prefixes are not checked
    try:
        parser.Parse(BARE_AMP.sub("&amp;", text), True)
    except xml.parsers.expat.ExpatError as exc:
        return describe_xml_error(xml.parsers.expat.ErrorString(exc.code), exc.lineno)
    return None


def describe_xml_error(message: str, line: int) -> str:
    """One sentence a person can act on for an XML syntax error."""
    if message in _TRUNCATED:
        hint = "the document looks truncated (it ends before its elements close)"
    elif message == "mismatched tag":
        hint = "an element is closed by the wrong tag, or the document was cut and joined"
    else:
        hint = "the source is sending something that is not a well-formed feed"
    return f"not well-formed XML at line {line}: {message}; {hint}"


def _sax_detail(exc: xml.sax.SAXException, text: str) -> str:
    if not isinstance(exc, xml.sax.SAXParseException):
        return str(exc)
    # feedparser puts an XML declaration on a line of its own when the document has none.
    shift = 0 if text.lstrip("\ufeff").startswith("<?xml") else 1
    return f"line {max(exc.getLineNumber() - shift, 1)}: {exc.getMessage()}"


def _not_a_feed(text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")
    if head[:1] in ("{", "["):
        return "the document is JSON, not an RSS or Atom feed"
    if re.search(r"<html[\s>]|<!doctype html", head[:2000], re.IGNORECASE):
        return ("the document is an HTML page, not an RSS or Atom feed; check that the "
                "address points at the feed itself")
    root = re.search(r"<([A-Za-z_][\w:.-]*)", head)
    if not root:
        return "the document is not XML at all, so it cannot be an RSS or Atom feed"
    if root.group(1).lower() in ("rss", "feed", "rdf:rdf"):  # a feed's root, nothing in it
        return (f"the feed (<{root.group(1)}>) holds no channel or entries that feedparser "
                "can read; check that the address gives the whole feed")
    return (f"the document is not an RSS or Atom feed: its root element is <{root.group(1)}>, "
            "not <rss>, <feed> or <rdf:RDF>")


feedhooks.install()


def utc_datetime(value: Any) -> datetime | None:
    """feedparser's *_parsed struct_time (always UTC) as an aware datetime."""
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def entry_time(entry: Any, name: str) -> datetime | None:
    """An entry's `published` or `updated` time as aware UTC, only if the feed gave it."""
    # dict.get: feedparser's own get() answers `updated` with `published` when it is missing.
    return utc_datetime(dict.get(entry, f"{name}_parsed"))


# A byte order mark inside a text (Pensoft's titles open with U+FEFF) is not part of it.
_INVISIBLE = str.maketrans("", "", "\ufeff")


def collapse_whitespace(text: str | None) -> str:
    return " ".join((text or "").translate(_INVISIBLE).split())


# Markup feedparser takes for text (it looks for closing tags of HTML elements): MathML and
# ScienceDirect's glyph images ('C<img class="glyph" src=".../entities/sbnd" />H'), whose
# chemical bonds are characters to a reader.
_MARKUP = re.compile(r"<(?:img|math)\b[^>]*>", re.IGNORECASE)
_GLYPH = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"'][^\"']*/entities/([sdt]bnd)[\"'][^>]*>",
                    re.IGNORECASE)
_BONDS = {"sbnd": "\u2013", "dbnd": "=", "tbnd": "\u2261"}


def detail_text(detail: Any, fallback: str | None = "") -> str:
    """Plain text of a feedparser *_detail (its `type` says whether the value is HTML, as
    does MathML or an image in it)."""
    if not detail:
        return collapse_whitespace(fallback)
    value = _GLYPH.sub(lambda glyph: _BONDS[glyph[1].lower()], detail.get("value", ""))
    if "html" in (detail.get("type") or "") or _MARKUP.search(value):
        return html_to_text(value).translate(_INVISIBLE)
    return collapse_whitespace(value)


def abstract_text(detail: Any) -> str:
    """The abstract in a description: without the labelled fields a journal's feed puts
    before it or instead of it ('Publication date:', 'Source:', 'Author(s):' at
    ScienceDirect; 'ZooKeys 1078: 135-188', 'DOI:', 'Authors:' above 'Abstract:' at
    Pensoft), without its own 'Abstract' label, and without the links to other formats
    and the fields after it ('HTML', 'XML', 'PDF'; PubMed's 'PMID: ... | DOI: ...')."""
    text = detail_text(detail)
    if "html" not in (detail.get("type") or ""):
        label = _LABEL_LINE.match(detail.get("value") or "")
        return collapse_whitespace(detail["value"][label.end():]) if label else text
    blocks = html_blocks(detail.get("value"))
    start = next((number for number, block in enumerate(blocks[:_HEAD])
                  if _ABSTRACT_LABEL.match(block)), None)
    if start is not None:  # what comes before the label is the header
        blocks = blocks[start:]
        blocks[0] = blocks[0][_ABSTRACT_LABEL.match(blocks[0]).end():]
    while blocks and (_FIELD.match(blocks[0]) or _ONLINE_CITATION.fullmatch(blocks[0])):
        blocks = blocks[1:]
    while blocks and (_FORMAT_LINK.fullmatch(blocks[-1]) or _FIELD.match(blocks[-1])):
        blocks.pop()  # PubMed ends with 'PMID: 34927315 | DOI: 10.1111/jam.15413
    return " ".join(block for block in blocks if block)


_HEAD = 6  # blocks a header may take before the abstract's label
_ABSTRACT_LABEL = re.compile(r"\s*(?:abstract|summary|graphical abstract)\s*(?:[:.]\s*|$)",
                             re.IGNORECASE)
_LABEL_LINE = re.compile(r"\s*(?:abstract|summary)\s*[:.]?[ \t]*\r?\n", re.IGNORECASE)
_FIELD = re.compile(r"(?:publication date|published|source|authors?|author\(s\)|doi|pmid)\s*:",
                    re.IGNORECASE)
# Nature's feeds open every item with the item's citation: '<p>Nature Catalysis, Published
# online: 12 May 2026; <a href="...">doi:10.1038/s41929-026-01535-6</a></p>Direct ...'.
_ONLINE_CITATION = re.compile(r"[^;]{1,200}, published online:[^;]{1,40};\s*doi:\s*\S+",
                              re.IGNORECASE)
_FORMAT_LINK = re.compile(r"(?:full[ -]?text|html|xml|pdf|epub)(?: version)?", re.IGNORECASE)
