"""The `seminar-page` source: a seminar series' web page (HTML or text, any charset) -> Talks."""

from __future__ import annotations

import codecs
import re
from datetime import datetime

from bot.models import ParseError, ParseResult
from jobs.sources.talkdoc import read_document
from jobs.sources.talklabels import label_kind
from jobs.sources.talktext import read_talks

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# Signatures of the binary files a misconfigured URL most often serves instead of a page.
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b",
                 b"\xd0\xcf\x11\xe0")
_BINARY_TYPES = re.compile(r"^\s*(?:image|audio|video|font)/|^\s*application/(?:pdf|zip|"
                           r"octet-stream|msword|vnd\.)", re.IGNORECASE)
# GB2312 and GBK pages decode as GB18030, their superset; some declare one and use another.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030"}


def parse(data: bytes, source: str, *, timezone: str, content_type: str | None = None,
          series: str | None = None, now: datetime | None = None) -> ParseResult:
    """Talks announced on one page; ParseError when the bytes are not a text document.

    Naive times mean local time in `timezone`; `now` only settles dates typed without a year.
    """
    document = read_document(decode(data, content_type), content_type=content_type)
    guessed = None if document.is_post else _series(document.title)
    result = read_talks(document.lines, source=source, timezone=timezone,
                        series=series or guessed, now=now, key_scope=series or source,
                        published=document.published)
    if series:  # the operator's name for the series beats what the page says
        for talk in result.talks:
            talk.series = series
    if not result.talks and not result.warnings:
        result.warnings.append("no talks found: no block with a time and a title or speaker")
    starts = [talk.start for talk in result.talks if talk.start]
    if starts:  # a series page speaks for the dates from its first talk to its last
        result.covers = (min(starts), max(starts))
    return result


def decode(data: bytes, content_type: str | None = None) -> str:
    """The page's text: the declared charset (header, then meta), a BOM, UTF-8, then GB18030."""
    _reject_binary(data, content_type)
    declared = [_charset_param(content_type), _meta_charset(data)]
    bom = next((name for mark, name in _BOMS if data.startswith(mark)), None)
    tried: list[str] = []
    for name in [*declared, bom, "utf-8", "gb18030"]:
        codec = _codec(name)
        if codec is None or codec in tried:
            continue
        tried.append(codec)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        return _checked_text(text)
    fallback = next((c for c in tried if c in [_codec(n) for n in declared]), None)
    if fallback is None:
        raise ParseError("the page is not text in UTF-8, GB18030 or a declared charset")
    return _checked_text(data.decode(fallback, errors="replace"))


def _series(page_title: str | None) -> str | None:
    if not page_title or len(page_title) > 120:
        return None
    match = re.match(r"^\s*[【\[]?([^:：\]】\t]{1,40}?)[】\]]?\s*[:：\t]", page_title)
    if match and label_kind(match.group(1)):
        return None  # the page opens with a talk, not with the series' name
    return page_title.strip()


def _reject_binary(data: bytes, content_type: str | None) -> None:
    if content_type and _BINARY_TYPES.search(content_type):
        raise ParseError(f"the page is served as {content_type.split(';')[0]!r}, not as text")
    if data.startswith(_BINARY_MAGIC):
        raise ParseError("the page is a binary file (PDF, image or archive), not text")
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in data[:4096] and not utf16:
        raise ParseError("the page contains NUL bytes: it is binary, not text")


def _checked_text(text: str) -> str:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1b")
    if sample and controls / len(sample) > 0.05:
        raise ParseError("the page is mostly control characters: it is binary, not text")
    return text.lstrip("\ufeff")


def _charset_param(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def _meta_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _XML_ENCODING.search(head.lstrip()) or _CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = _SUPERSETS.get(name.strip().lower(), name.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
