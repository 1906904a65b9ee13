"""Phrases of common words, fast at any corpus size: an index of adjacent token pairs.

FTS5 answers `"neural models learning"` by checking the positions of every paper that holds
all three words: hundreds of thousands at a million papers, although none holds the
phrase. So each paper also has an entry in `papers_pairs` (contentless, detail=none: only
which papers hold a token) whose tokens are its adjacent token pairs, `neural_model` and
`model_learn`, per column, and again for the title alone (`neural__model`). A phrase's
pairs are far rarer than its words, so walking the papers that hold all of them, newest
first, finds the phrase's papers after looking at few others.

Tokens are bot.fulltext's, which are FTS5's own (case, diacritics, porter stems), so a
pair is in the index whenever the phrase is in the text. The walk's candidates are then
checked against the whole query in Python (`Plan.matches`) on the same tokens: exact
phrase order, the other words, the fields and the exclusions. Only ASCII tokens make pairs
(a CJK phrase's characters are rare enough for FTS5 alone).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import sqlite_utils

from bot.fulltext import tokens
from bot.models import And, Not, Query, Term

ANY, TITLE = "_", "__"  # the glue of a pair anywhere, of a pair in the title
PAGE = 128  # candidates read from the pairs index at a time
MAX_EXAMINED = 4_096  # candidates one walk checks at most
# Query field -> the columns a term looks in (storage.fts.PAPER_FIELDS' columns).
_COLUMNS = {None: ("title", "abstract", "authors", "categories", "sources"),
            "title": ("title",), "author": ("authors",), "cat": ("categories",),
            "source": ("sources",)}
_SEQ_MASK = 0xFFFFFFFF  # storage.paper_index: a key's low 32 bits are its seq


def column_tokens(row: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """A paper row's tokens per indexed column (list columns as lists)."""
    return {"title": tokens(row["title"] or ""), "abstract": tokens(row["abstract"] or ""),
            "authors": tokens(", ".join(row["authors"])),
            "categories": tokens(" ".join(row["categories"]), indexed=False),
            "sources": tokens(" ".join(row["sources"]), indexed=False)}


def pair_text(row: dict[str, Any]) -> str:
    """The row's entry in papers_pairs: its title's pairs, then every column's."""
    columns = column_tokens(row)
    parts = [_pairs(columns["title"], TITLE), *(_pairs(t, ANY) for t in columns.values())]
    return " ".join(part for part in parts if part)


def _pairs(found: tuple[str, ...], glue: str) -> str:
    if not all(map(str.isascii, found)):
        found = tuple(token if token.isascii() else "" for token in found)
        return " ".join(a + glue + b for a, b in pairwise(found) if a and b)
    return " ".join(map(glue.join, pairwise(found)))


@dataclass(frozen=True, slots=True)
class _Term:
    sequence: tuple[str, ...]
    columns: tuple[str, ...]
    excluded: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """A query the pairs index can answer: a conjunction of terms and exclusions, at
    least one of them a phrase of ASCII tokens."""

    terms: tuple[_Term, ...]

    def expression(self, in_title: bool) -> str:
        """The pairs index's MATCH: every pair of every wanted phrase (`in_title`: an
        unfielded one's pairs in the title)."""
        wanted = set()
        for term in self.terms:
            if term.excluded or len(term.sequence) < 2:
                continue
            glue = TITLE if term.columns == ("title",) or (in_title and len(term.columns) > 1) \
                else ANY
            wanted.update(a + glue + b for a, b in pairwise(term.sequence)
                          if a.isascii() and b.isascii())
        return " AND ".join(f'"{pair}"' for pair in sorted(wanted))

    def matches(self, row: dict[str, Any], in_title: bool) -> bool:
        """Whether the row answers the query (`in_title`: unfielded terms in its title)."""
        columns = column_tokens(row)
        for term in self.terms:
            narrowed = in_title and not term.excluded and len(term.columns) > 1
            looked = ("title",) if narrowed else term.columns
            found = any(_holds(columns[c], term.sequence) for c in looked)
            if found == term.excluded:
                return False
        return True


def plan(query: Query) -> Plan | None:
    """A Plan for the query, or None when FTS5 alone answers it well (no phrase of ASCII
    words, or an OR, which the pairs cannot narrow)."""
    children = query.children if isinstance(query, And) else (query,)
    terms = []
    for child in children:
        excluded = isinstance(child, Not)
        term = child.child if excluded else child
        if not isinstance(term, Term) or term.field not in _COLUMNS:
            return None
        sequence = tokens(term.text)
        if not sequence:
            return None
        terms.append(_Term(sequence, _COLUMNS[term.field], excluded))
    phrased = any(not t.excluded and len(t.sequence) > 1
                  and any(a.isascii() and b.isascii() for a, b in pairwise(t.sequence))
                  for t in terms)
    return Plan(tuple(terms)) if phrased else None


def _holds(found: tuple[str, ...], sequence: tuple[str, ...]) -> bool:
    if len(sequence) == 1:
        return sequence[0] in found
    first, size = sequence[0], len(sequence)
    return any(found[i:i + size] == sequence for i, token in enumerate(found)
               if token == first)


def walk(db: sqlite_utils.Database, chosen: Plan, span: tuple[int, int] | None, count: int,
         in_title: bool) -> list[int]:
    """Seqs of the `count` newest papers (within the key range `span`) that answer the
    plan, looking at no more than MAX_EXAMINED candidates."""
    found: list[int] = []
    for page in _pages(db, chosen.expression(in_title), span):
        for key, row in _rows(db, page):
            if chosen.matches(row, in_title):
                found.append(key & _SEQ_MASK)
                if len(found) >= count:
                    return found
    return found


def _pages(db: sqlite_utils.Database, expression: str,
           span: tuple[int, int] | None) -> Iterator[list[int]]:
    low, high = span or (-(2**63), 2**63 - 1)
    examined = 0
    while examined < MAX_EXAMINED:
        page = [row[0] for row in db.execute(
            "SELECT rowid FROM papers_pairs WHERE papers_pairs MATCH ? AND rowid BETWEEN ? "
            "AND ? ORDER BY rowid DESC LIMIT ?", [expression, low, high, PAGE])]
        if not page:
            return
        yield page
        examined += len(page)
        high = page[-1] - 1


def _rows(db: sqlite_utils.Database, keys: list[int]) -> list[tuple[int, dict]]:
    """The candidates' rows, newest first (a key's low 32 bits are the row's seq)."""
    by_seq = {key & _SEQ_MASK: key for key in keys}
    cursor = db.execute("SELECT seq, title, abstract, authors, categories, sources FROM "
                        "papers WHERE seq IN (SELECT value FROM json_each(?))",
                        [json.dumps(list(by_seq))])
    rows = {}
    for seq, title, abstract, authors, categories, sources in cursor:
        rows[by_seq[seq]] = {"title": title, "abstract": abstract,
                             "authors": json.loads(authors or "[]"),
                             "categories": json.loads(categories or "[]"),
                             "sources": json.loads(sources or "[]")}
    return [(key, rows[key]) for key in keys if key in rows]
