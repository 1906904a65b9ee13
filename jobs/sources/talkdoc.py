"""A talk document (HTML page, markdown post, plain text) -> its lines and what it says of itself.

A blog post's front matter (title, date, tags) is metadata about the post: it is not a talk,
and its date only settles the year of dates the post writes without one. Front matter that
names a speaker, a time or a venue (a Jekyll seminar collection) is the talk itself: its
fields become labelled lines, and a body with no labels of its own is the abstract.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date

from jobs.sources.htmlblocks import html_lines
from jobs.sources.markdowndoc import is_markdown, markdown_html, split_front_matter
from jobs.sources.talkclock import read_clock
from jobs.sources.talkcues import date_phrase
from jobs.sources.talkdate import blank_dates, read_date
from jobs.sources.talklabels import (
    ABSTRACT,
    AFFILIATION,
    BIO,
    DATE,
    LOCATION,
    SPEAKER,
    TIME,
    TITLE,
    Line,
    label_kind,
    text_lines,
    tokenize,
)
from jobs.sources.talkwords import normalize

_TALK_KEYS = frozenset({SPEAKER, TIME, LOCATION})
# A post's metadata never names whose affiliation or bio it is: front matter with either is
# a talk's (a Jekyll talk collection: `name`, `affiliation`, `topic`, `date`), and there
# `name` is the speaker's.
_SPEAKER_KEYS = frozenset({AFFILIATION, BIO})
# A post's blurb that gives a day and a clock time is the time of the talk the post is.
_BLURBS = frozenset({"subtitle", "summary", "description", "excerpt"})
_NAME_KEYS = frozenset({"name", "speaker name", "full name"})
_OWN_KEYS = frozenset({ABSTRACT, TITLE, SPEAKER})
# Hugo shortcodes and Liquid tags ({{< ref "x.md" >}}, {{ site.baseurl }}, {% include %}): a
# site generator's, not the reader's; left in, they break the markdown links around them.
_TEMPLATE = re.compile(r"\{\{[<%]?.{0,300}?[>%]?\}\}|\{%.{0,300}?%\}", re.DOTALL)
_TABLE_RULE = re.compile(r"\|?[-:+| ]*-[-:+| ]*\|?")
_KRAMDOWN_IAL = re.compile(r"^\s*\{:[^}\n]*\}\s*$", re.MULTILINE)  # {:class="table"}
_MD_EMPHASIS = re.compile(r"(?<!\\)\*{1,3}([^*\n]+?)\*{1,3}")
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\([^)\s]{0,300}\)")
_FOOTNOTE = re.compile(r"<sup>[^<]{0,8}</sup>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")
_TOLD_BY_BODY = frozenset({TITLE, SPEAKER, AFFILIATION, ABSTRACT})
_END = "end"
# Front matter keys that name a talk field in other words than labels do (Hugo event pages).
_FRONT_ALIASES = {"seminar": TITLE, "talk": TITLE, "talk title": TITLE, "start": TIME,
                  "begin": TIME, "start date": TIME, "end": _END, "ends": _END,
                  "end time": _END, "finish": _END}
# A key for one language of a bilingual site ("affiliation_cn", "title_zh", "abstract-en"):
# the field of its stem, which the plain key, written first, wins when it is not empty.
_LANGUAGE_KEY = re.compile(r"(?P<stem>[a-z][a-z _-]*?)[ _-](?:cn|zh(?:[_-](?:cn|tw|hans|hant))?"
                           r"|en|ja|jp|ko|kr|de|fr|es|it|pt|ru|tw|hk|chs|cht|chn|eng)")
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|table|tr|td|br|meta|title"
                         r"|h[1-6]|ul|ol|li|dl|dt|section|article|span|strong|b|a)(?=[\s/>])",
                         re.IGNORECASE)


@dataclass(slots=True)
class TalkDocument:
    """The lines to read talks from, the document's own title and its publication date."""

    lines: list[Line]
    title: str | None = None
    published: date | None = None
    is_post: bool = False  # a post (front matter): its title names the post, not a series


def read_document(text: str, *, content_type: str | None = None) -> TalkDocument:
    """Lines of `text` read as markdown, HTML or plain text, by its type or its marks."""
    if is_markdown(text, content_type):
        return _markdown(text)
    if is_html(text, content_type):
        lines, title = html_lines(text)
        return TalkDocument(lines, title)
    lines = text_lines(text)
    return TalkDocument(lines, lines[0].text if lines else None)


def is_html(text: str, content_type: str | None = None) -> bool:
    """HTML by Content-Type, else by the first tags of the document."""
    if content_type:
        kind = content_type.split(";")[0].strip().lower()
        if kind in ("text/html", "application/xhtml+xml"):
            return True
        if kind == "text/plain":
            return False
    return bool(_HTML_SNIFF.search(text[:2048]))


def _markdown(text: str) -> TalkDocument:
    fields, body, front_lines = split_front_matter(text)
    body = _kramdown_tables(_TEMPLATE.sub("", body))
    lines = [_without_markdown_marks(line)
             for line in html_lines(*markdown_html(body, first_line=front_lines + 1))[0]]
    title = fields.get("title")
    if not fields:
        return TalkDocument(lines, lines[0].text if lines else None)
    kinds = {key: _front_kind(key) for key in fields}
    if _SPEAKER_KEYS & set(kinds.values()) and SPEAKER not in kinds.values():
        kinds.update({key: SPEAKER for key in fields if _folded(key) in _NAME_KEYS})
    if not (_TALK_KEYS | _SPEAKER_KEYS) & set(kinds.values()):
        published = read_date(fields.get("date", ""), today=None)
        when = next((value for key, value in fields.items() if _folded(key) in _BLURBS
                     and blank_dates(normalize(value)) != normalize(value)
                     and read_clock(value)), None)
        if when is not None:  # subtitle: "12/11/2025, 12pm-1pm, OCW017" over its talk
            lines = [Line(f"Time: {when}", (), True, front_lines), *lines]
        return TalkDocument(lines, title, published, is_post=True)
    own = {token.kind for token in tokenize(lines)}
    # A body that labels its own title or speaker tells the talk; the front matter still
    # gives its time and place (a Hugo event's `start`, `end`, `venue`).
    drop = _TOLD_BY_BODY if own & {TITLE, SPEAKER} else frozenset()
    body = lines if own & _OWN_KEYS else _as_abstract(lines)
    return TalkDocument(_front_lines(fields, kinds, drop) + body, title, is_post=True)


def _kramdown_tables(body: str) -> str:
    """kramdown's table rules ("|----+----|", a rule above the header) read as GFM's: a rule
    with "+" becomes "|", a rule with no row above it goes; its attribute lists go too."""
    lines = _KRAMDOWN_IAL.sub("", body).split("\n")
    kept: list[str] = []
    for line in lines:
        if _TABLE_RULE.fullmatch(line.strip()):
            if not kept or not kept[-1].lstrip().startswith("|"):
                continue  # a border above the header row
            line = line.replace("+", "|")
        kept.append(line)
    return "\n".join(kept)


def _without_markdown_marks(line: Line) -> Line:
    """Markdown left as it is inside raw HTML ("<td>**Keynote** [Dr. Doe](/doe)</td>"): its
    emphasis and link marks are not the talk's words."""
    if "*" not in line.text and "](" not in line.text:
        return line
    text = _MD_LINK.sub(r"\1", _MD_EMPHASIS.sub(r"\1", line.text))
    return Line(text, line.links, line.para_start, line.number, line.tag)


def _front_kind(key: str) -> str | None:
    kind = _FRONT_ALIASES.get(_folded(key)) or label_kind(key)
    language = _LANGUAGE_KEY.fullmatch(key.casefold()) if kind is None else None
    return _front_kind(language["stem"]) if language else kind


def _folded(key: str) -> str:
    return " ".join(key.replace("_", " ").casefold().split())


def _front_lines(fields: dict[str, str], kinds: dict[str, str | None],
                 drop: frozenset[str]) -> list[Line]:
    """Front matter fields of talk kinds as labelled lines. The first of each kind wins
    ("time: 3 - 5 pm" over the "start_time: 15:00" after it), but a talk's own title key
    (`seminar`) beats `title`, which may be the page's; an `end` joins the start's line,
    and a start that has its own date makes `date` (when the post was written) moot."""
    chosen: dict[str, tuple[int, str, str]] = {}
    for number, (key, value) in enumerate(fields.items(), start=2):
        kind = kinds[key]
        if kind is None or kind in drop:
            continue
        preferred = kind == TITLE and _FRONT_ALIASES.get(key.casefold()) == TITLE
        if kind not in chosen or preferred:
            chosen[kind] = (number, key, value)
    end = chosen.pop(_END, None)
    if TIME in chosen:
        number, key, value = chosen[TIME]
        clock = read_clock(end[2]) if end else None
        if clock is not None:
            chosen[TIME] = (number, key, f"{value} - {clock[0].strftime('%H:%M')}")
        if date_phrase(value):
            chosen.pop(DATE, None)
    ordered = sorted((number, key, _inline_text(value))
                     for number, key, value in chosen.values())
    return [Line(f"{_label(key, kinds.get(key))}: {value}", (), index == 0, number)
            for index, (number, key, value) in enumerate(ordered)]


def _inline_text(value: str) -> str:
    """A value the site's template renders as HTML ("<a href=...>Name</a><sup>1</sup>"): its
    text, without the footnote marks."""
    if "<" not in value:
        return value
    return " ".join(html.unescape(_TAG.sub("", _FOOTNOTE.sub("", value))).split())


def _label(key: str, kind: str | None) -> str:
    """The key as the label of its kind: an alias no label reads ("name", "seminar",
    "begin") is written as its kind's own word."""
    if kind is None or kind == _END or label_kind(key) == kind:
        return key.replace("_", " ")
    return kind


def _as_abstract(body: list[Line]) -> list[Line]:
    """A body that does not label its own abstract (or title, or speaker) is the abstract."""
    if not body:
        return body
    return [Line("Abstract:", (), True, body[0].number), *body]
