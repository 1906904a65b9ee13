"""Which subscriptions want a new paper or talk: topic queries matched in Python.

An item becomes a MatchDoc, tokenised once with bot.fulltext (the tokens of the store's
FTS5 index); a subscription's query becomes a Topic, compiled once. A Topic matches what
a search for the same query finds (storage.fts): words and "phrases" are runs of tokens
inside one column, an unfielded word searches every column, a field a kind of item lacks
(`speaker:` on papers, `cat:` on talks) matches nothing there, and the same queries are
refused. SubscriptionIndex answers thousands of topics at once: it evaluates only the
topics one of whose necessary tokens the item holds.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from bot.fulltext import tokens
from bot.models import And, Not, Or, Paper, Query, QueryError, Talk, Term

PAPER, TALK = "paper", "talk"
# Query field -> the column it searches (storage.fts.PAPER_FIELDS, storage.talks.TALK_FIELDS:
# for talks `author:` means the speakers; papers have no speakers).
_FIELDS = {"title": "title", "author": "authors", "cat": "categories", "series": "series",
           "source": "sources"}
_KIND_FIELDS = {PAPER: _FIELDS, TALK: {**_FIELDS, "speaker": "authors"}}
# storage.fts searches a term only if its NFKC text has a word character.
_HAS_WORD = re.compile(r"\w")


@functools.lru_cache(maxsize=4096)
def _repeated(text: str, indexed: bool) -> tuple[str, ...]:
    """The tokens of a column that repeats from item to item (categories, source, series)."""
    return tuple(tokens(text, indexed=indexed)) if text else ()


class MatchDoc:
    """The searchable view of one paper or talk, with its columns tokenised as FTS5 does.

    `text` is the title and abstract (for talks also the affiliation); `authors` are a
    paper's authors or a talk's speakers; `tokens` holds every token of every column.
    """

    __slots__ = ("kind", "title", "text", "authors", "categories", "series", "sources",
                 "tokens", "_fields", "_runs")

    def __init__(self, kind: str, *, title: str, abstract: str = "",
                 authors: Sequence[str] = (), categories: Sequence[str] = (),
                 series: str = "", sources: Sequence[str] = (), affiliation: str = "") -> None:
        self.kind, self.title, self.series = kind, title, series
        self.text = "\n".join(part for part in (title, abstract, affiliation) if part)
        self.authors, self.sources = tuple(authors), tuple(sources)
        self.categories = tuple(dict.fromkeys(categories))
        # The columns as storage indexes them; categories and sources are stored as typed.
        runs = {"title": tuple(tokens(title)), "abstract": tuple(tokens(abstract)),
                "authors": tuple(tokens(", ".join(self.authors))),
                "affiliation": tuple(tokens(affiliation)), "series": _repeated(series, True),
                "categories": _repeated(" ".join(self.categories), False),
                "sources": _repeated(" ".join(self.sources), False)}
        self._runs = [run for run in runs.values() if run]
        self.tokens = frozenset(itertools.chain.from_iterable(self._runs))
        self._fields = {field: runs[column] for field, column in _KIND_FIELDS[kind].items()}

    def field_runs(self, field: str | None) -> list[tuple[str, ...]]:
        """The token sequences of the columns `field` searches (None: every column)."""
        if field is None:
            return self._runs
        run = self._fields.get(field)
        return [run] if run else []

    @classmethod
    def from_paper(cls, paper: Paper, sources: Sequence[str] | None = None) -> MatchDoc:
        """`sources`: every source the store has seen the paper in (default: its own)."""
        return cls(PAPER, title=paper.title.strip(), abstract=paper.abstract or "",
                   authors=paper.authors, categories=paper.categories,
                   sources=sources if sources is not None else [paper.source])

    @classmethod
    def from_talk(cls, talk: Talk) -> MatchDoc:
        return cls(TALK, title=talk.title.strip() or "TBA",  # the title storage gives it
                   abstract=talk.abstract or "", authors=talk.speakers,
                   series=talk.series or "", sources=[talk.source],
                   affiliation=talk.affiliation or "")

    def __repr__(self) -> str:
        return f"MatchDoc({self.kind}, {self.title!r})"


# -- Compiled queries --------------------------------------------------------------------
# Each node answers `test(doc)`; `collect(doc, out)` answers the same and appends the
# labels of the words that matched; `keys(cost)` gives tokens of which a matching item
# holds at least one (None: no such set, the topic must always be tried).

Keys = frozenset[str] | None


class _Never:
    """A term with nothing searchable in it ("-", "…"): FTS5 finds nothing for it."""

    def test(self, doc: MatchDoc) -> bool:
        return False

    def collect(self, doc: MatchDoc, out: list[str]) -> bool:
        return False

    def keys(self, cost: Mapping[str, float]) -> Keys:
        return frozenset()


_NEVER = _Never()


class _Word:
    __slots__ = ("label", "token", "field")

    def __init__(self, label: str, token: str, field: str | None) -> None:
        self.label, self.token, self.field = label, token, field

    def test(self, doc: MatchDoc) -> bool:
        if self.field is None:
            return self.token in doc.tokens
        return self.token in doc._fields.get(self.field, ())

    def collect(self, doc: MatchDoc, out: list[str]) -> bool:
        if self.field is None:
            found = self.token in doc.tokens
        else:
            found = self.token in doc._fields.get(self.field, ())
        if found:  # (test, inlined: ORs of words are common and called often)
            out.append(self.label)
        return found

    def keys(self, cost: Mapping[str, float]) -> Keys:
        return frozenset((self.token,))


class _Phrase:
    """Consecutive tokens in one column (also a word that splits, e.g. cs.LG, 冷冻电镜)."""

    __slots__ = ("label", "run", "needed", "field")

    def __init__(self, label: str, run: tuple[str, ...], field: str | None) -> None:
        self.label, self.run, self.needed, self.field = label, run, frozenset(run), field

    def test(self, doc: MatchDoc) -> bool:
        if not self.needed <= doc.tokens:
            return False
        return any(_holds(column, self.run) for column in doc.field_runs(self.field))

    def collect(self, doc: MatchDoc, out: list[str]) -> bool:
        if self.test(doc):
            out.append(self.label)
            return True
        return False

    def keys(self, cost: Mapping[str, float]) -> Keys:
        return frozenset((min(self.run, key=cost.__getitem__),))


def _holds(column: tuple[str, ...], run: tuple[str, ...]) -> bool:
    first, size, start = run[0], len(run), 0
    while True:
        try:
            start = column.index(first, start)
        except ValueError:
            return False
        if column[start:start + size] == run:
            return True
        start += 1


def _plain_words(nodes: Sequence[_Node]) -> frozenset[str]:
    return frozenset(node.token for node in nodes if _is_plain_word(node))


def _is_plain_word(node: _Node) -> bool:
    return isinstance(node, _Word) and node.field is None


class _All:
    """Every wanted part and none of the excluded ones (FTS5's `a AND b NOT c`)."""

    __slots__ = ("wanted", "needed", "banned", "rest", "rest_excluded")

    def __init__(self, wanted: list[_Node], excluded: list[_Node]) -> None:
        self.wanted = tuple(wanted)
        # Unfielded words are tested together, as set operations.
        self.needed, self.banned = _plain_words(wanted), _plain_words(excluded)
        self.rest = tuple(node for node in wanted if not _is_plain_word(node))
        self.rest_excluded = tuple(node for node in excluded if not _is_plain_word(node))

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
        for part in self.wanted:  # each matches: this names the words (and OR branches)
            part.collect(doc, out)
        return True

    def keys(self, cost: Mapping[str, float]) -> Keys:
        # Any one wanted part's keys will do: take the part whose keys are rarest.
        options = [keys for keys in (part.keys(cost) for part in self.wanted) if keys is not None]
        return min(options, key=lambda keys: sum(map(cost.__getitem__, keys)), default=None)


class _Any:
    __slots__ = ("branches", "words", "rest", "labels")

    def __init__(self, branches: list[_Node]) -> None:
        self.branches = tuple(branches)
        self.words = _plain_words(branches)
        self.rest = tuple(node for node in branches if not _is_plain_word(node))
        self.labels = tuple((node.token, node.label) for node in branches if not self.rest)

    def test(self, doc: MatchDoc) -> bool:
        if not doc.tokens.isdisjoint(self.words):
            return True
        for branch in self.rest:
            if branch.test(doc):
                return True
        return False

    def collect(self, doc: MatchDoc, out: list[str]) -> bool:
        # Every branch that matches is named, not only the first; each names a word or more.
        mark = len(out)
        if self.labels:  # only unfielded words, the usual OR
            tokens = doc.tokens
            out.extend([label for token, label in self.labels if token in tokens])
        else:
            for branch in self.branches:
                branch.collect(doc, out)
        return len(out) > mark

    def keys(self, cost: Mapping[str, float]) -> Keys:
        found: set[str] = set()
        for branch in self.branches:
            keys = branch.keys(cost)
            if keys is None:
                return None
            found |= keys
        return frozenset(found)


_Node = _Never | _Word | _Phrase | _All | _Any


def _compile(query: Query) -> _Node:
    """The node for `query`; raises QueryError where storage.fts.compile_match does."""
    if isinstance(query, Term):
        return _term(query)
    if isinstance(query, Or):
        if any(isinstance(child, Not) for child in query.children):
            raise QueryError("'OR' cannot join an exclusion: write e.g. "
                             "(diffusion OR flow) -video")
        branches = [node for node in map(_compile, query.children) if node is not _NEVER]
        if not branches:
            return _NEVER
        return branches[0] if len(branches) == 1 else _Any(branches)
    if isinstance(query, And):
        return _all(query.children)
    if isinstance(query, Not):
        return _all((query,))
    raise TypeError(f"not a query node: {query!r}")


def _all(children: Sequence[Query]) -> _Node:
    wanted = [child for child in children if not isinstance(child, Not)]
    excluded = [child.child for child in children if isinstance(child, Not)]
    if not wanted:
        raise QueryError("a query needs at least one word to look for besides the "
                         "excluded ones, e.g. diffusion -video")
    parts = [_compile(child) for child in wanted]
    if _NEVER in parts:  # FTS5 finds nothing (and, like storage.fts, reads no further)
        return _NEVER
    dropped = [node for node in map(_compile, excluded) if node is not _NEVER]
    return parts[0] if len(parts) == 1 and not dropped else _All(parts, dropped)


def _term(term: Term) -> _Node:
    run = tuple(tokens(term.text))
    if not run or not _HAS_WORD.search(unicodedata.normalize("NFKC", term.text)):
        return _NEVER
    label = label_of(term)
    return _Word(label, run[0], term.field) if len(run) == 1 else _Phrase(label, run, term.field)


def label_of(term: Term) -> str:
    """A term as the user wrote it, for the "matched: ..." line: `author:"Wei Zhang"`."""
    text = term.text
    if term.phrase or any(char.isspace() for char in text):
        text = f'"{text}"'
    return f"{term.field}:{text}" if term.field else text


class Topic:
    """A compiled subscription query: `match(doc)` says whether and by which words."""

    __slots__ = ("query", "_root", "_labels")

    def __init__(self, query: Query, root: _Node) -> None:
        self.query, self._root = query, root
        # Without an OR, the words a match names do not depend on the item.
        self._labels = _static_labels(root)

    def match(self, doc: MatchDoc) -> list[str] | None:
        """None when `doc` does not match, else the user's words that matched, in order."""
        terms = self._terms(doc)
        return None if terms is None else list(terms)

    def _terms(self, doc: MatchDoc) -> tuple[str, ...] | None:
        if self._labels is not None:
            return self._labels if self._root.test(doc) else None
        out: list[str] = []
        if not self._root.collect(doc, out):
            return None
        return tuple(dict.fromkeys(out)) if len(out) > 1 else tuple(out)

    def __repr__(self) -> str:
        return f"Topic({self.query!r})"


def _static_labels(node: _Node) -> tuple[str, ...] | None:
    if isinstance(node, _Word | _Phrase):
        return (node.label,)
    if isinstance(node, _All):
        parts = [_static_labels(part) for part in node.wanted]
        if any(part is None for part in parts):
            return None
        return tuple(dict.fromkeys(label for part in parts for label in part))
    return None if isinstance(node, _Any) else ()


def compile_topic(query: Query) -> Topic:
    """Compile a parsed query; raises QueryError for one a search would refuse too."""
    return Topic(query, _compile(query))


# -- Many subscriptions at once ----------------------------------------------------------

K = TypeVar("K", bound=Hashable)


class _Cost(dict[str, float]):
    """Token -> how common it is (lower is a better key); unknown tokens count as rare."""

    def __init__(self, frequencies: Mapping[str, float] | None) -> None:
        super().__init__()
        self.frequencies = frequencies

    def __missing__(self, token: str) -> float:
        if self.frequencies is not None:
            value = float(self.frequencies.get(token, 0))
        else:
            value = 0.5 ** len(token)  # no statistics: a longer token is likely rarer
        self[token] = value
        return value


def token_frequencies(docs: Iterable[MatchDoc]) -> dict[str, int]:
    """How many of `docs` hold each token: recent items make good SubscriptionIndex stats."""
    counts: dict[str, int] = {}
    for doc in docs:
        for token in doc.tokens:
            counts[token] = counts.get(token, 0) + 1
    return counts


class SubscriptionIndex(Generic[K]):
    """Many (subscription id, Topic) pairs, answering which of them match an item.

    Each distinct topic is filed under tokens one of which every item it matches holds
    (for an AND the rarest part's, for an OR every branch's); an item is tried only
    against the topics filed under its tokens. `frequencies` (token_frequencies of recent
    items) picks rarer keys; without it the longest token of each part is taken.
    """

    def __init__(self, subscriptions: Iterable[tuple[K, Topic]], *,
                 frequencies: Mapping[str, float] | None = None) -> None:
        by_query: dict[Query, int] = {}
        self._topics: list[Topic] = []
        self._members: list[list[K]] = []
        for key, topic in subscriptions:
            group = by_query.setdefault(topic.query, len(self._topics))
            if group == len(self._topics):
                self._topics.append(topic)
                self._members.append([])
            self._members[group].append(key)
        cost = _Cost(frequencies)
        self._by_token: dict[str, list[int]] = {}
        self._always: list[int] = []  # no necessary token known: tried on every item
        for group, topic in enumerate(self._topics):
            keys = topic._root.keys(cost)
            if keys is None:
                self._always.append(group)
            for token in keys or ():
                self._by_token.setdefault(token, []).append(group)
        self._keys = frozenset(self._by_token)
        self._labels = [topic._labels for topic in self._topics]
        self._tests = [topic._root.test for topic in self._topics]

    def __len__(self) -> int:
        return sum(map(len, self._members))

    @property
    def topic_count(self) -> int:
        """Distinct topics (subscriptions with the same query share one)."""
        return len(self._topics)

    def candidates(self, doc: MatchDoc) -> list[Topic]:
        """The distinct topics `matching` tries on `doc` (the others cannot match it)."""
        return [self._topics[group] for group in self._candidate_groups(doc)]

    def _candidate_groups(self, doc: MatchDoc) -> list[int]:
        found = set(self._always)
        by_token = self._by_token
        for token in doc.tokens.intersection(self._keys):  # C iterates the smaller set
            found.update(by_token[token])
        return sorted(found)

    def matching(self, doc: MatchDoc) -> list[tuple[K, tuple[str, ...]]]:
        """(subscription id, the words that matched) for every matching subscription.

        Subscriptions with the same query come together, in the order they were given;
        the word tuple is shared between them.
        """
        hits: list[tuple[K, tuple[str, ...]]] = []
        labels, tests, topics = self._labels, self._tests, self._topics
        for group in self._candidate_groups(doc):  # (the hot loop: locals, no calls to spare)
            terms = labels[group]
            if terms is None:
                terms = topics[group]._terms(doc)
                if terms is None:
                    continue
            elif not tests[group](doc):
                continue
            keys = self._members[group]
            if len(keys) == 1:
                hits.append((keys[0], terms))
            else:
                hits.extend(zip(keys, itertools.repeat(terms)))
        return hits
