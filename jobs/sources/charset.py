"""Which charset a document is in, and its text: the byte-order mark, then the Content-Type
header, then the document's own declaration (`<?xml encoding>`, an HTML `<meta charset>`).
The one sniffer for feeds, seminar pages and pasted announcements.
"""

from __future__ import annotations

import codecs
import re

from bot.models import ParseError

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""",
                           re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# Documents that declare ASCII are very often UTF-8 in fact, and UTF-8 decodes every ASCII
# byte the same; GB2312 and GBK documents decode as GB18030, their superset (some declare
# one and use another).
_WIDER = {"us-ascii": "utf-8", "ascii": "utf-8", "gb2312": "gb18030", "gbk": "gb18030",
          "x-gbk": "gb18030", "euc-cn": "gb18030", "csgb2312": "gb18030"}
# Labels of the WHATWG Encoding Standard (what browsers read) that Python has no codec
# name for, as that standard decodes them: Thai feeds declare 'Windows-874', Japanese ASP
# pages 'x-sjis'. Without them the declaration was ignored and the text garbled.
_WIDER.update(dict.fromkeys(("windows-874", "dos-874", "iso-8859-11", "iso8859-11",
                             "iso885911", "tis-620"), "cp874"))
_WIDER.update(dict.fromkeys(("x-sjis", "windows-31j"), "cp932"))
_WIDER.update(dict.fromkeys(("x-euc-jp", "cseucpkdfmtjapanese"), "euc_jp"))
_WIDER.update(dict.fromkeys(("windows-949", "ks_c_5601-1989", "ksc_5601", "csksc56011987",
                             "iso-ir-149", "cseuckr"), "cp949"))
_WIDER.update(dict.fromkeys(("cn-big5", "x-x-big5"), "big5hkscs"))
_WIDER.update({f"x-cp125{digit}": f"cp125{digit}" for digit in "012345678"})
_WIDER.update(dict.fromkeys(("koi", "koi8"), "koi8-r") | {"koi8-ru": "koi8-u"})
_WIDER.update(dict.fromkeys(("x-mac-cyrillic", "x-mac-ukrainian"), "mac-cyrillic"))
_WIDER.update(dict.fromkeys(("mac", "csmacintosh", "x-mac-roman"), "mac-roman"))
_WIDER.update(dict.fromkeys(("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8",
                             "x-unicode20utf8"), "utf-8"))
_WIDER.update(dict.fromkeys(("iso-8859-8-i", "csiso88598i", "logical", "visual"),
                            "iso8859-8"))
_HEAD = 4096  # how far into a document its declaration and binary signatures are looked for
# Signatures of the binary files a misconfigured URL most often serves instead of a page.
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b",
                 b"\xd0\xcf\x11\xe0")
_BINARY_TYPES = re.compile(r"^\s*(?:image|audio|video|font)/|^\s*application/(?:pdf|zip|"
                           r"octet-stream|msword|vnd\.)", re.IGNORECASE)


def bom(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark names, and the mark's length; None without one."""
    return next(((name, len(mark)) for mark, name in _BOMS if data.startswith(mark)), None)


def bomless_wide(data: bytes) -> str | None:
    """UTF-16 or UTF-32 that a document without a byte-order mark is in, told by the NUL
    bytes around its first '<' (XML 1.0, appendix F); None for any other document."""
    if data[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00"):
        return "utf-32-be" if data[0] == 0 else "utf-32-le"
    if data[:2] in (b"\x00<", b"<\x00"):
        return "utf-16-be" if data[0] == 0 else "utf-16-le"
    return None


def header_charset(content_type: str | None) -> str | None:
    """The charset a Content-Type header names: lower case, widened to its superset."""
    match = _HEADER_CHARSET.search(content_type or "")
    return _widened(match.group(1)) if match else None


def declared_charset(data: bytes, *, html: bool = False) -> str | None:
    """The charset a document declares in its XML declaration or (`html`) its <meta
    charset>: lower case, widened to its superset."""
    head = data[:_HEAD]
    match = _XML_ENCODING.match(head) or (_META_CHARSET.search(head) if html else None)
    return _widened(match.group(1).decode("ascii", "replace")) if match else None


def codec(name: str | None) -> str | None:
    """Python's name for the codec of a charset name; None when there is none."""
    if not name:
        return None
    try:
        return codecs.lookup(_widened(name)).name
    except LookupError:
        return None


def served_charset(data: bytes, content_type: str | None) -> str | None:
    """The codec the charset of the Content-Type a document was served with makes it, where
    that charset decides: after a byte-order mark and before the document's own declaration
    (RFC 7303 section 3.2 for XML, RFC 5545 section 3.1.4 for calendars; feedparser too).
    None where the document decides: it has a BOM or is UTF-16/32 (told by its NULs), the
    charset is unknown or cannot decode it (a server's default wrong for this body), or it
    names a legacy charset while the body is UTF-8 beyond ASCII (a text in a legacy
    charset is hardly ever valid UTF-8 by chance; a server's default charset often is
    wrong for the UTF-8 documents it serves)."""
    named = codec(header_charset(content_type))
    if named is None or bom(data) or bomless_wide(data) or named.startswith(("utf-16",
                                                                            "utf-32")):
        return None
    try:
        data.decode(named)
    except UnicodeDecodeError:
        return None
    if named != "utf-8" and not data.isascii() and _is_utf8(data):
        return None
    return named


def calendar_text(data: bytes, content_type: str | None) -> tuple[str, str | None]:
    """An iCalendar document's text: in the encoding its byte-order mark names (Windows
    Calendar saves UTF-16 with one), else the served charset (RFC 5545 section 3.1.4),
    else UTF-8, else Windows-1252 with the warning that says so."""
    marked = bom(data)
    try:
        if marked is not None:
            return data[marked[1]:].decode(marked[0]), None
        return data.decode(served_charset(data, content_type) or "utf-8-sig"), None
    except UnicodeDecodeError:
        return (data.decode("cp1252", errors="replace"),
                "the calendar is not UTF-8; it was read as Windows-1252")


def served_xml(data: bytes, content_type: str | None) -> bytes:
    """An XML document as an XML parser reads it right: as UTF-8, its declaration saying
    so, when the Content-Type's charset decides its encoding (served_charset) or when it
    declares one by a label only browsers know ('Windows-874'); else as it is."""
    name = served_charset(data, content_type)
    label = _XML_ENCODING.match(data[:_HEAD])
    label = label.group(1).decode("ascii", "replace") if label else None
    if name is None and label is not None and not bom(data) and _python_lacks(label):
        name = codec(label)
        try:
            data.decode(name or "")
        except (UnicodeDecodeError, LookupError):
            return data  # the encoding repair reports its bad bytes
    if name is None or (name == codec(label) and not _python_lacks(label or "")):
        return data
    text = data.decode(name)
    return _XML_ENCODING_VALUE.sub(r"\g<1>utf-8\g<2>", text, count=1).encode("utf-8")


def _python_lacks(label: str) -> bool:
    try:
        codecs.lookup(label)
    except LookupError:
        return True
    return False


_XML_ENCODING_VALUE = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[\w.:-]+(["'])""",
                                 re.IGNORECASE)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# One of UTF-8's multi-byte sequences; a text in a single-byte charset hardly ever has one.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                            rb"|[\xf0-\xf4][\x80-\xbf]{3}")


def undeclared_legacy(data: bytes, most: int) -> bool:
    """Whether a document that names no charset (no BOM, no declaration) is in a legacy
    single-byte charset, not UTF-8: it does not decode as UTF-8, and its bytes that are no
    part of a UTF-8 sequence outnumber its UTF-8 sequences (miniflux's
    no_encoding_ISO-8859-1.xml, a French magazine's feed: 'tr\\xe8s', and by chance
    'dou\\xe9\\xa0\\xbb' is one sequence). A UTF-8 text with stray bad bytes has more
    sequences than strays; one stray alone is taken for damage, and more than `most` for a
    document that is not text (as a UTF-8 one with as many bad stretches is)."""
    if bom(data) or declared_charset(data) or b"\x00" in data[:_HEAD]:
        return False  # UTF-16 and UTF-32 without a BOM carry NULs
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        high = len(data) - len(data.translate(None, _HIGH))
        if high > 2 * most:
            return False
        sequences = _UTF8_SEQUENCE.findall(data)
        strays = high - sum(map(len, sequences))
        return 1 < strays <= most and strays > len(sequences)
    return False


_HIGH = bytes(range(0x80, 0x100))


def decode(data: bytes, content_type: str | None = None) -> str:
    """A page's or an announcement's text: its BOM, the declared charset (header, then the
    document), UTF-8, then GB18030; ParseError when the bytes are not a text document."""
    _reject_binary(data, content_type)
    marked = bom(data)
    body = data[marked[1]:] if marked else data
    named = [codec(header_charset(content_type)), codec(declared_charset(data, html=True))]
    tried: list[str] = []
    for name in (marked[0] if marked else None, *named, "utf-8", "gb18030"):
        name = codec(name)
        if name is None or name in tried:
            continue
        tried.append(name)
        try:
            return _checked_text(body.decode(name))
        except UnicodeDecodeError:
            continue
    fallback = next((name for name in named if name), None)
    if fallback is None:
        raise ParseError("the page is not text in UTF-8, GB18030 or a declared charset")
    return _checked_text(body.decode(fallback, errors="replace"))


def _widened(name: str) -> str:
    name = name.strip().lower()
    return _WIDER.get(name, name)


def _reject_binary(data: bytes, content_type: str | None) -> None:
    if content_type and _BINARY_TYPES.search(content_type):
        raise ParseError(f"the page is served as {content_type.split(';')[0]!r}, not as text")
    if data.startswith(_BINARY_MAGIC):
        raise ParseError("the page is a binary file (PDF, image or archive), not text")
    marked = bom(data)
    wide = marked is not None and marked[0] != "utf-8"  # UTF-16 and UTF-32 carry NULs
    if b"\x00" in data[:_HEAD] and not wide:
        raise ParseError("the page contains NUL bytes: it is binary, not text")


def _checked_text(text: str) -> str:
    sample = text[:_HEAD]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1b")
    if sample and controls / len(sample) > 0.05:
        raise ParseError("the page is mostly control characters: it is binary, not text")
    return text.lstrip("\ufeff")
