"""A small index of titles alone, so that "the newest papers of a year with these words in
the title" (search's `best` order, storage.search) reads few papers at any corpus size.

In FTS5's index a word's papers are listed whatever column holds it: finding the newest
papers with `propose` in the title meant checking the positions of every paper with
`propose` anywhere, nearly every abstract. `papers_titles` (contentless, detail=none: only
which papers hold a token) holds each paper's title tokens (`__propos`) and its title's
adjacent pairs (`tk3mab7`: the three-letter codes of both tokens, see WORD_CODES), under the
same key as its full-text entry. Walking the papers that hold all of a query's title
tokens or pairs, newest first, meets the papers wanted after few others.

Tokens are bot.fulltext's, which are FTS5's own (case, diacritics, porter stems), so a
title that holds the words holds the index tokens. Every candidate is then checked against
the whole query in Python (`matches`) on the same tokens: phrase order, the other words,
fields, OR and exclusions.

Phrases of common words anywhere in a paper have an index of their own, built after
storing (storage.pairs); it uses this module's token codes, rows and check.
"""

from __future__ import annotations

import json
import operator
import zlib
from collections.abc import Iterator
from typing import Any

import sqlite_utils

from bot.fulltext import tokens
from bot.models import And, Not, Or, Query, Term
from storage.fts import PAPER_FIELDS, compile_match

TITLE_WORD, TITLE_PAIR = "__", "t"  # prefixes of a title's tokens and of its pairs
# A pair is indexed as the codes of its two tokens, each token hashed to one of
# WORD_CODES codes (three letters): short terms, few collisions. Colliding pairs only
# add candidates, which `matches` turns away.
WORD_CODES = 32 ** 3
ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
PAGE = 64  # candidates read from the index at a time
BUDGET = 600  # candidates checked at most, over all the years of one search
_SEQ_MASK = 0xFFFFFFFF  # storage.paper_index: a key's low 32 bits are its seq
_RANGE_CAP = 4_096  # papers an exclusion's walk over a page's range lists at most
# Query field -> the columns a term looks in (storage.fts.PAPER_FIELDS' columns).
_LISTS = ("authors", "categories", "sources")
_COLUMNS = {None: ("title", "abstract", "authors", "categories", "sources"),
            "title": ("title",), "author": ("authors",), "cat": ("categories",),
            "source": ("sources",)}


class ColumnTokens(dict):
    """A paper row's tokens per indexed column (list columns as lists or as their stored
    JSON text), each column tokenized when first asked for: checking a title match reads
    the title only."""

    def __init__(self, row: dict[str, Any]) -> None:
        super().__init__()
        self.row = row

    def __missing__(self, column: str) -> tuple[str, ...]:
        value = self.row[column]
        if column in _LISTS and not isinstance(value, list):  # JSON text, read when needed
            value = json.loads(value or "[]")
        if column in ("categories", "sources"):  # stored as they are (storage.fts)
            found = tokens(" ".join(value), indexed=False)
        else:
            found = tokens(", ".join(value) if column == "authors" else value or "")
        self[column] = found
        return found



def title_text(row: dict[str, Any]) -> str:
    """The row's entry in papers_titles: its title's ASCII tokens and pairs."""
    title = tokens(row["title"] or "")
    words = " ".join(TITLE_WORD + token for token in title if token.isascii())
    return " ".join(filter(None, (words, " ".join(TITLE_PAIR + p for p in _pairs(title)))))


class _Codes(dict):
    """Token -> its two-letter code, cached (a stable hash: crc32, not Python's)."""

    def __missing__(self, token: str) -> str:
        if len(self) >= 500_000:
            self.clear()
        number = zlib.crc32(token.encode()) % WORD_CODES
        self[token] = code = (ALPHABET[number >> 10] + ALPHABET[(number >> 5) & 31]
                              + ALPHABET[number & 31])
        return code


CODES = _Codes()


def _pairs(found: tuple[str, ...]) -> list[str]:
    """The codes of each adjacent pair of tokens."""
    codes = list(map(CODES.__getitem__, found))
    return list(map(operator.add, codes, codes[1:]))


def title_expression(query: Query) -> str | None:
    """The titles index's MATCH for "the query's words in the title": a superset of the
    papers FTS5's title-restricted query finds. None when a lone word is not ASCII or
    the query has no word for the title (then FTS5 walks)."""
    return _in_title(query) or None


def _in_title(query: Query) -> str | None:
    """title_expression of a part of the query; "" when the part narrows nothing."""
    if isinstance(query, Term):
        if query.field not in (None, "title"):
            return ""  # narrows nothing here; `matches` checks it
        found = tokens(query.text)
        if not found or (len(found) == 1 and not found[0].isascii()):
            return None
        if len(found) == 1:
            return f'"{TITLE_WORD}{found[0]}"'
        return " AND ".join(f'"{TITLE_PAIR}{pair}"' for pair in _pairs(found))
    if isinstance(query, Not):
        return ""  # an exclusion narrows nothing here; `matches` checks it
    parts = [_in_title(child) for child in query.children]
    if any(part is None for part in parts) or not any(parts):
        return None
    if isinstance(query, Or) and not all(parts):
        return None  # one side could be anywhere: nothing to narrow by
    joiner = " AND " if isinstance(query, And) else " OR "
    narrowed = "(" + joiner.join(part for part in parts if part) + ")"
    if isinstance(query, And):  # a title holding an excluded word is excluded for sure
        narrowed += "".join(f' NOT "{TITLE_WORD}{word}"' for word in _excluded_words(query))
    return narrowed


def _excluded_words(query: And) -> list[str]:
    """The single words an And excludes everywhere or in the title (its exact tokens are
    in the titles index; a phrase's hashed pairs could exclude a paper wrongly)."""
    found = []
    for child in query.children:
        if isinstance(child, Not) and isinstance(child.child, Term) \
                and child.child.field in (None, "title"):
            words = tokens(child.child.text)
            if len(words) == 1 and words[0].isascii():
                found.append(words[0])
    return found


def matches(query: Query, columns: dict[str, tuple[str, ...]], in_title: bool) -> bool:
    """Whether a paper's tokens answer the query as FTS5 would; `in_title`: the wanted
    unfielded words must be in its title (an exclusion still looks everywhere)."""
    if isinstance(query, Term):
        looked = _COLUMNS.get(query.field, ())
        if in_title and query.field is None:
            looked = ("title",)
        sequence = tokens(query.text)
        return bool(sequence) and any(_holds(columns[c], sequence) for c in looked)
    if isinstance(query, Not):
        return not matches(query.child, columns, False)
    if isinstance(query, And):
        return all(matches(child, columns, in_title) for child in query.children)
    return any(matches(child, columns, in_title) for child in query.children)


def _holds(found: tuple[str, ...], sequence: tuple[str, ...]) -> bool:
    if len(sequence) == 1:
        return sequence[0] in found
    first, size = sequence[0], len(sequence)
    return any(found[i:i + size] == sequence for i, token in enumerate(found)
               if token == first)


def newest_in_titles(db: sqlite_utils.Database, query: Query,
                     spans: list[tuple[int, int]], count: int) -> list[int] | None:
    """Seqs of the `count` newest papers of each key range in `spans` with the query's
    words in their title; None when this index cannot answer (then FTS5 does). A query
    of plain words (AND, OR) is answered by the index alone, in one statement; any other
    has its candidates checked, at most BUDGET of them over all the ranges."""
    expression = title_expression(query)
    if expression is None or not spans:
        return None if expression is None else []
    if _exact(query):
        parts = " UNION ALL ".join(
            ["SELECT * FROM (SELECT rowid & ? FROM papers_titles WHERE papers_titles "
             "MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid DESC LIMIT ?)"] * len(spans))
        values = [v for low, high in spans for v in (_SEQ_MASK, expression, low, high, count)]
        return [row[0] for row in db.execute(parts, values)]
    each = max(PAGE, BUDGET // len(spans))
    return [seq for span in spans
            for seq in _checked(db, expression, query, span, count, each)]


def _exact(query: Query) -> bool:
    """Whether the index's tokens alone answer the query in titles: single ASCII words
    joined by AND and OR (a phrase's pairs are hashed, an exclusion or a field looks
    outside the title)."""
    if isinstance(query, Term):
        found = tokens(query.text)
        return query.field in (None, "title") and len(found) == 1 and found[0].isascii()
    return isinstance(query, And | Or) and all(map(_exact, query.children))


def _checked(db: sqlite_utils.Database, expression: str, query: Query,
             span: tuple[int, int], count: int, budget: int) -> list[int]:
    """Seqs of the `count` newest papers in `span` holding the expression's tokens that
    answer the query with its words in the title, among at most `budget` candidates."""
    found: list[int] = []
    excluding = _exclusions(query)
    for page in _pages(db, expression, span, budget):
        if excluding:
            page = _without(db, excluding, page)
        for key, row in rows_of(db, page):
            if matches(query, ColumnTokens(row), True):
                found.append(key & _SEQ_MASK)
                if len(found) >= count:
                    return found
    return found


def _exclusions(query: Query) -> str | None:
    """FTS5's MATCH for what a match of the query must not hold anywhere it looks (the
    exclusions of a top-level AND), else None."""
    if not isinstance(query, And):
        return None
    parts = [compile_match(child.child, PAPER_FIELDS) for child in query.children
             if isinstance(child, Not) and isinstance(child.child, Term)]
    return " OR ".join(filter(None, parts)) or None


def _without(db: sqlite_utils.Database, excluding: str, keys: list[int]) -> list[int]:
    """`keys` (newest first) less those FTS5 finds holding an exclusion: one walk over
    their range instead of reading and tokenising each paper ("model -learning": nearly
    every candidate goes, most for a word in the abstract). All of them when the range
    holds too many papers to list."""
    held = [row[0] for row in db.execute(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? AND rowid BETWEEN ? AND ? "
        "LIMIT ?", [excluding, keys[-1], keys[0], _RANGE_CAP + 1])]
    if len(held) > _RANGE_CAP:
        return keys
    gone = set(held)
    return [key for key in keys if key not in gone]


def _pages(db: sqlite_utils.Database, expression: str, span: tuple[int, int],
           budget: int) -> Iterator[list[int]]:
    """Pages of keys holding the expression's tokens, newest first, `budget` at most."""
    low, high = span
    while budget > 0:
        page = [row[0] for row in db.execute(
            "SELECT rowid FROM papers_titles WHERE papers_titles MATCH ? AND rowid "
            "BETWEEN ? AND ? ORDER BY rowid DESC LIMIT ?",
            [expression, low, high, min(PAGE, budget)])]
        if not page:
            return
        yield page
        budget -= len(page)
        high = page[-1] - 1


def rows_of(db: sqlite_utils.Database, keys: list[int]) -> list[tuple[int, dict]]:
    """The candidates' rows, newest first (a key's low 32 bits are the row's seq); list
    columns as their JSON text, for ColumnTokens."""
    by_seq = {key & _SEQ_MASK: key for key in keys}
    cursor = db.execute("SELECT seq, title, abstract, authors, categories, sources FROM "
                        "papers WHERE seq IN (SELECT value FROM json_each(?))",
                        [json.dumps(list(by_seq))])
    rows = {}
    for seq, title, abstract, authors, categories, sources in cursor:
        rows[by_seq[seq]] = {"title": title, "abstract": abstract, "authors": authors,
                             "categories": categories, "sources": sources}
    return [(key, rows[key]) for key in keys if key in rows]
