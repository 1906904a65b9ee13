"""Topic queries compiled for matching in Python: a tree of nodes that test a MatchDoc.

`compile_node` turns a bot.topics query into nodes with the meaning storage.fts gives it
in SQLite: a term is a run of tokens inside one column (fielded: that column), AND, OR and
NOT as FTS5 has them, and the same queries refused. Each node answers `test(doc)`, and
`collect(doc, out)`, which answers the same and appends the labels of the words that
matched. The doc is a bot.matching.MatchDoc (tokens, fields, field_runs()).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.fulltext import tokens
from bot.models import And, Not, Or, Query, QueryError, Term

if TYPE_CHECKING:
    from bot.matching import MatchDoc

# storage.fts searches a term only if its NFKC text has a word character.
_HAS_WORD = re.compile(r"\w")


class Never:
    """A term with nothing searchable in it ("-", "…"): FTS5 finds nothing for it."""

    def test(self, doc: MatchDoc) -> bool:
        return False

    def collect(self, doc: MatchDoc, out: list[str]) -> bool:
        return False


NEVER = Never()


class Word:
    """One token, anywhere (`field` None) or in one field's column."""

    __slots__ = ("label", "token", "field")

    def __init__(self, label: str, token: str, field: str | None) -> None:
        self.label, self.token, self.field = label, token, field

    def test(self, doc: MatchDoc) -> bool:
        if self.field is None:
            return self.token in doc.tokens
        return self.token in doc.fields.get(self.field, ())

    def collect(self, doc: MatchDoc, out: list[str]) -> bool:
        if self.field is None:  # (test, inlined: ORs of words are common)
            found = self.token in doc.tokens
        else:
            found = self.token in doc.fields.get(self.field, ())
        if found:
            out.append(self.label)
        return found


class Phrase:
    """Consecutive tokens in one column (also a word that splits: cs.LG, 冷冻电镜)."""

    __slots__ = ("label", "run", "needed", "field")

    def __init__(self, label: str, run: tuple[str, ...], field: str | None) -> None:
        self.label, self.run, self.field = label, run, field
        self.needed = frozenset(run)

    def test(self, doc: MatchDoc) -> bool:
        if not self.needed <= doc.tokens:
            return False
        return any(holds(column, self.run) for column in doc.field_runs(self.field))

    def collect(self, doc: MatchDoc, out: list[str]) -> bool:
        if self.test(doc):
            out.append(self.label)
            return True
        return False


def holds(column: tuple[str, ...], run: tuple[str, ...]) -> bool:
    """Whether `run` (tokens) stands in `column` side by side, in order: a phrase."""
    first, size, start = run[0], len(run), 0
    while True:
        try:
            start = column.index(first, start)
        except ValueError:
            return False
        if column[start:start + size] == run:
            return True
        start += 1


def is_plain_word(node: Node) -> bool:
    """An unfielded one-token word: the cheapest test, done as set operations."""
    return isinstance(node, Word) and node.field is None


def _plain_words(nodes: Sequence[Node]) -> frozenset[str]:
    return frozenset(node.token for node in nodes if is_plain_word(node))


class AllOf:
    """Every wanted part and none of the excluded ones (FTS5's `a AND b NOT c`)."""

    __slots__ = ("wanted", "needed", "banned", "rest", "rest_excluded")

    def __init__(self, wanted: Sequence[Node], excluded: Sequence[Node]) -> None:
        self.wanted = tuple(wanted)
        self.needed, self.banned = _plain_words(wanted), _plain_words(excluded)
        self.rest = tuple(node for node in wanted if not is_plain_word(node))
        self.rest_excluded = tuple(node for node in excluded if not is_plain_word(node))

    def test(self, doc: MatchDoc) -> bool:
        tokens = doc.tokens
        if not self.needed <= tokens or not tokens.isdisjoint(self.banned):
            return False
        for part in self.rest:
            if not part.test(doc):
                return False
        for part in self.rest_excluded:
            if part.test(doc):
                return False
        return True

    def collect(self, doc: MatchDoc, out: list[str]) -> bool:
        if not self.test(doc):
            return False
        for part in self.wanted:  # each matches: this names its words (an OR's branches)
            part.collect(doc, out)
        return True


class AnyOf:
    """At least one branch (FTS5's OR); a match names every branch that matched."""

    __slots__ = ("branches", "words", "rest", "labels")

    def __init__(self, branches: Sequence[Node]) -> None:
        self.branches = tuple(branches)
        self.words = _plain_words(branches)
        self.rest = tuple(node for node in branches if not is_plain_word(node))
        # The usual OR, of unfielded words only: (token, label), each label once.
        first: dict[str, str] = {}
        for node in () if self.rest else branches:
            first.setdefault(node.label, node.token)
        self.labels = tuple((token, label) for label, token in first.items())

    def test(self, doc: MatchDoc) -> bool:
        if not doc.tokens.isdisjoint(self.words):
            return True
        for branch in self.rest:
            if branch.test(doc):
                return True
        return False

    def collect(self, doc: MatchDoc, out: list[str]) -> bool:
        mark = len(out)  # (a branch that matches names a word or more)
        if self.labels:
            tokens = doc.tokens
            out.extend([label for token, label in self.labels if token in tokens])
        else:
            for branch in self.branches:
                branch.collect(doc, out)
        return len(out) > mark


Node = Never | Word | Phrase | AllOf | AnyOf


def compile_node(query: Query) -> Node:
    """The node for `query`; raises QueryError where storage.fts.compile_match does."""
    if isinstance(query, Term):
        return _term(query)
    if isinstance(query, Or):
        if any(isinstance(child, Not) for child in query.children):
            raise QueryError("'OR' cannot join an exclusion: write e.g. "
                             "(diffusion OR flow) -video")
        branches = [node for node in map(compile_node, query.children) if node is not NEVER]
        if not branches:
            return NEVER
        return branches[0] if len(branches) == 1 else AnyOf(branches)
    if isinstance(query, And):
        return _all(query.children)
    if isinstance(query, Not):
        return _all((query,))
    raise TypeError(f"not a query node: {query!r}")


def _all(children: Sequence[Query]) -> Node:
    wanted = [child for child in children if not isinstance(child, Not)]
    excluded = [child.child for child in children if isinstance(child, Not)]
    if not wanted:
        raise QueryError("a query needs at least one word to look for besides the "
                         "excluded ones, e.g. diffusion -video")
    parts = [compile_node(child) for child in wanted]
    if NEVER in parts:  # FTS5 finds nothing (and, like storage.fts, reads no further)
        return NEVER
    dropped = [node for node in map(compile_node, excluded) if node is not NEVER]
    return parts[0] if len(parts) == 1 and not dropped else AllOf(parts, dropped)


def _term(term: Term) -> Node:
    run = tokens(term.text)
    if not run or not _HAS_WORD.search(unicodedata.normalize("NFKC", term.text)):
        return NEVER
    label = label_of(term)
    return Word(label, run[0], term.field) if len(run) == 1 else Phrase(label, run, term.field)


def label_of(term: Term) -> str:
    """A term as the user wrote it, for the "matched: ..." line: `author:"Wei Zhang"`."""
    text = term.text
    if term.phrase or any(char.isspace() for char in text):
        text = f'"{text}"'
    return f"{term.field}:{text}" if term.field else text


def static_labels(node: Node) -> tuple[str, ...] | None:
    """The words any match of `node` names, or None if they depend on the item (an OR)."""
    if isinstance(node, Word | Phrase):
        return (node.label,)
    if isinstance(node, AllOf):
        parts = [static_labels(part) for part in node.wanted]
        if any(part is None for part in parts):
            return None
        return tuple(dict.fromkeys(label for part in parts for label in part))
    return None if isinstance(node, AnyOf) else ()
