"""Full-text plumbing: the normalised text we index, and Query trees compiled to FTS5 MATCH.

SQLite's porter tokenizer gives English inflection ("pruning" finds "Prune"); it keeps a
run of Chinese characters as one token, so we index each CJK character as its own token
and search Chinese words as phrases, which finds them as substrings ("冷冻电镜").
User text reaches FTS5 only inside double-quoted strings, with quotes doubled.
"""

from __future__ import annotations

import re
import unicodedata

from bot.cjk import CJK
from bot.models import And, Not, Or, Query, QueryError, Term

_HAS_TOKEN = re.compile(r"\w", re.UNICODE)

# Columns of the full-text indexes (storage.search and storage.talks rank by them: a word
# in the title says more about a paper or talk than one in its abstract).
PAPERS_FTS_COLUMNS = ("title", "abstract", "authors", "categories", "sources")
TALKS_FTS_COLUMNS = ("title", "abstract", "speakers", "affiliation", "series", "source")

# Query field -> FTS column, per table. A field a table lacks matches nothing there.
PAPER_FIELDS = {None: None, "title": "title", "author": "authors", "cat": "categories",
                "source": "sources"}


def index_text(text: str | None) -> str:
    """The form of `text` that goes into the index (and that queries are matched against)."""
    if not text:
        return ""
    if not text.isascii():
        # NFKC folds full-width letters and compatibility ideographs (U+2F63 -> 生) that
        # pages copied from PDFs are full of. Splitting on the (captured) CJK characters
        # and joining with spaces gives each its own token: the same tokens as
        # re.sub(" \\1 "), ten times faster (3.11 expands a sub template in Python).
        text = " ".join(CJK.split(unicodedata.normalize("NFKC", text)))
    return text


def _quoted(text: str) -> str | None:
    """One FTS5 string (a phrase), or None when the text holds nothing searchable."""
    # A NUL ends an FTS5 string early ("unterminated string"); the tokenizer splits on it.
    normal = index_text(text.replace("\x00", " "))
    if not _HAS_TOKEN.search(normal):
        return None
    return '"' + " ".join(normal.split()).replace('"', '""') + '"'


def compile_match(query: Query, fields: dict[str | None, str | None]) -> str | None:
    """Compile to an FTS5 MATCH expression; None means the query can match nothing here.

    Raises QueryError for queries FTS5 cannot answer (only exclusions).
    """
    if isinstance(query, Term):
        phrase = _quoted(query.text)
        column = fields.get(query.field, None) if query.field in fields else ""
        if phrase is None or column == "":
            return None
        return f"{column} : {phrase}" if column else phrase
    if isinstance(query, Or):
        if any(isinstance(child, Not) for child in query.children):
            raise QueryError("'OR' cannot join an exclusion: write e.g. "
                             "(diffusion OR flow) -video")
        parts = [p for p in (compile_match(c, fields) for c in query.children) if p]
        return "(" + " OR ".join(parts) + ")" if parts else None
    if isinstance(query, And):
        return _compile_and(query.children, fields)
    if isinstance(query, Not):
        return _compile_and((query,), fields)
    raise TypeError(f"not a query node: {query!r}")


def _compile_and(children: tuple[Query, ...], fields: dict[str | None, str | None]) -> str | None:
    wanted = [c for c in children if not isinstance(c, Not)]
    excluded = [c.child for c in children if isinstance(c, Not)]
    if not wanted:
        raise QueryError("a query needs at least one word to look for besides the "
                         "excluded ones, e.g. diffusion -video")
    parts = [compile_match(c, fields) for c in wanted]
    if any(p is None for p in parts):
        return None
    expression = "(" + " AND ".join(parts) + ")"
    for child in excluded:
        negative = compile_match(child, fields)
        if negative:
            expression += f" NOT {negative}"
    return expression
