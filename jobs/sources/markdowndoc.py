"""Markdown posts (Hexo, Jekyll, Hugo) -> their front matter and their body as HTML.

Front matter is YAML between `---` lines (PyYAML, safe loader, no aliases) or TOML between
`+++` lines (tomllib). The body is rendered by markdown-it-py (CommonMark with tables; raw
HTML passes through, a wrapped line is joined unless a label opens it), and every block carries
the markdown line it came from (`data-line`), so warnings name lines of the post itself.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from typing import Any

import yaml
from markdown_it import MarkdownIt

from bot.models import ParseError

MAX_FRONT_MATTER = 64 * 1024  # a post's metadata is a few hundred bytes
MAX_MARKDOWN = 256 * 1024  # a long seminar post is tens of KiB
_FRONT = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n\1[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_PLAIN_FIELD = re.compile(r"^(?P<key>[A-Za-z_][\w -]{0,30}?)\s*[:=][ \t]*(?P<value>.*)$",
                          re.MULTILINE)
_MARKDOWN_HINTS = re.compile(r"^#{1,6}\s+\S|^\s*\*\*[^*\n]+\*\*|^\S.*\n(?:=+|-{3,})[ \t]*$"
                             r"|\[[^\]\n]{1,200}\]\((?:https?://|\.{0,2}/)[^)\s]*\)",
                             re.MULTILINE)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_OPEN_TAG = re.compile(r"<([A-Za-z][\w-]*)\b(?:[^<>]*[^/<>])?>")  # not "<br/>"
_CLOSE_TAG = re.compile(r"</[A-Za-z][\w-]*\s*>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})


# Built once: building the rule chains costs about a millisecond; parsing shares no state.
_RENDERER = MarkdownIt("commonmark", {"html": True}).enable("table")
# A line wrap inside a paragraph: the page reader keeps it as a break only where a label
# or a date opens the next line (htmlblocks.unwrap).
_RENDERER.add_render_rule("softbreak", lambda *_: '<br data-soft="1">\n')


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors and aliases: front matter never needs them, and
    they are how a few bytes of YAML expand into gigabytes."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused
        return super().compose_node(parent, index)


class _AliasRefused(Exception):
    """Front matter with an alias is hostile or broken: none of it is read."""


def split_front_matter(text: str) -> tuple[dict[str, str], str, int]:
    """The front matter as flat text values, the body, and how many lines the front took.

    Front matter is the post's metadata, never part of its body. What a YAML or TOML parser
    refuses (a stray tab) is read line by line as "key: value", as a person would; a block
    too big for metadata, or one with YAML aliases, gives nothing.
    """
    match = _FRONT.match(text)
    if match is None:
        return {}, text, 0
    body, lines = text[match.end():], match.group(0).count("\n")
    if len(match.group(2)) > MAX_FRONT_MATTER:
        return {}, body, lines
    try:
        data = (yaml.load(match.group(2), Loader=_NoAliasLoader) if match.group(1) == "---"
                else tomllib.loads(match.group(2)))
    except _AliasRefused:
        return {}, body, lines
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        # ValueError: a value the parser cannot build ("date: 2026-02-30", a 5000-digit int)
        data = _plain_fields(match.group(2))
    if not isinstance(data, dict):
        return {}, body, lines
    fields = {str(key).strip(): flat for key, value in data.items()
              if (flat := _flat(value))}
    return fields, body, lines


def is_markdown(text: str, content_type: str | None = None) -> bool:
    """Markdown by type, else by front matter or markdown's own marks; never a document
    served as HTML (a page may well show "[x](https://...)" in its text)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in ("text/markdown", "text/x-markdown"):
        return True
    if kind in ("text/html", "application/xhtml+xml"):
        return False
    return bool(_FRONT.match(text)) or bool(_MARKDOWN_HINTS.search(text[:20_000]))


def markdown_html(body: str, *, first_line: int = 1) -> tuple[str, list[tuple[int, int]]]:
    """The body as HTML, and where its raw HTML blocks came from.

    Each markdown block carries its line in the whole document (`data-line`); raw HTML
    passes through untouched (a wrapper would break a table split by blank lines), so the
    second value maps lines of the HTML to lines of the document: (html line, its line).
    ParseError for a body over MAX_MARKDOWN: rendering costs about 5 ms a KiB at worst."""
    if len(body) > MAX_MARKDOWN:
        raise ParseError(f"the markdown document is {len(body) // 1024} KiB, more than the "
                         f"{MAX_MARKDOWN // 1024} KiB a seminar post could need; it was not read")
    tokens = _RENDERER.parse(_unindented_html(body))
    raw: list[tuple[str, int]] = []
    for token in tokens:
        if token.map and token.nesting == 1:
            token.attrSet("data-line", str(token.map[0] + first_line))
        elif token.map and token.type == "html_block":
            raw.append((token.content, token.map[0] + first_line))
    html = _RENDERER.renderer.render(tokens, _RENDERER.options, {})
    line_map: list[tuple[int, int]] = []
    position = 0
    for content, line in raw:
        found = html.find(content, position)
        if found >= 0:
            line_map.append((html.count("\n", 0, found) + 1, line))
            position = found + len(content)
    return html, line_map


def _unindented_html(body: str) -> str:
    """Raw HTML indented as its author nests it: a line indented four spaces or more inside an
    open element is flush left. Jekyll's kramdown reads such a block to its closing tag;
    CommonMark would end it at a blank line and show the indented rest as a code block
    ("<div class="event-card">", a blank line, "        <h3>Title</h3>")."""
    lines = body.split("\n")
    depth, fence = 0, None
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if fence or _FENCE.match(line):
            marks = _FENCE.match(line)
            if marks and (fence is None or marks.group(1).startswith(fence)):
                fence = None if fence else marks.group(1)[:3]
            continue
        indented = len(line) - len(stripped) >= 4 or line.startswith("\t")
        if depth > 0 and indented:
            lines[index] = stripped
        elif not (stripped.startswith("<") and not indented):
            continue  # markdown, or an indented code block outside any element
        opened = sum(1 for tag in _OPEN_TAG.findall(stripped) if tag.lower() not in _VOID)
        depth = max(0, depth + opened - len(_CLOSE_TAG.findall(stripped)))
    return "\n".join(lines)


def _plain_fields(front: str) -> dict[str, str]:
    """"key: value" lines, quotes around a value dropped: front matter YAML would not read."""
    fields: dict[str, str] = {}
    for match in _PLAIN_FIELD.finditer(front):
        value = match["value"].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        fields.setdefault(match["key"], value)
    return fields


def _flat(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(part for part in (_flat(v) for v in value) if part)
    if isinstance(value, dict):
        return ""
    return " ".join(str(value).split()) if value is not None else ""
