"""Which subscriptions want a new paper or talk: topic queries matched in Python.

An item becomes a MatchDoc, tokenised once with bot.fulltext (the tokens of the store's
FTS5 index); a subscription's query becomes a Topic, compiled once. A Topic matches what
a search for the same query finds (storage.fts; bot.matchnodes has the details): an
unfielded word searches every column the store indexes, a field an item lacks (`speaker:`
on papers, `cat:` on talks) matches nothing there. SubscriptionIndex answers thousands of
topics at once, trying on an item only the topics whose keys (a rare token, two tokens
side by side) the item shows.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Sequence

from bot.fulltext import tokens
from bot.matchnodes import AnyOf, Node, compile_node, static_labels
from bot.models import Paper, Query, Talk

PAPER, TALK = "paper", "talk"


@functools.lru_cache(maxsize=4096)
def _repeated(text: str, indexed: bool) -> tuple[str, ...]:
    """The tokens of a column that repeats from item to item (categories, source, series)."""
    return tokens(text, indexed=indexed) if text else ()


class MatchDoc:
    """The searchable view of one paper or talk, with its columns tokenised as FTS5 does.

    `text` is the title and abstract (for talks also the affiliation); `authors` are a
    paper's authors or a talk's speakers; `tokens` holds every token of every column.
    """

    __slots__ = ("kind", "title", "abstract", "affiliation", "authors", "categories",
                 "series", "sources", "tokens", "fields", "_runs")

    def __init__(self, kind: str, *, title: str, abstract: str = "",
                 authors: Sequence[str] = (), categories: Sequence[str] = (),
                 series: str = "", sources: Sequence[str] = (), affiliation: str = "") -> None:
        self.kind, self.title, self.abstract, self.affiliation = kind, title, abstract, affiliation
        self.series, self.authors, self.sources = series, tuple(authors), tuple(sources)
        self.categories = tuple(dict.fromkeys(categories))
        # The columns as storage indexes them; categories and sources are stored as typed.
        title_run = tokens(title)
        authors_run = tokens(", ".join(self.authors)) if authors else ()
        series_run = _repeated(series, True)
        categories_run = _repeated(" ".join(self.categories), False)
        sources_run = _repeated(" ".join(self.sources), False)
        self._runs = [run for run in (title_run, tokens(abstract) if abstract else (),
                                      authors_run, tokens(affiliation) if affiliation else (),
                                      series_run, categories_run, sources_run) if run]
        self.tokens = frozenset(itertools.chain.from_iterable(self._runs))
        # Query field -> the column it searches (storage.fts.PAPER_FIELDS,
        # storage.talks.TALK_FIELDS: for talks `author:` means the speakers).
        self.fields = {"title": title_run, "author": authors_run, "cat": categories_run,
                       "series": series_run, "source": sources_run}
        if kind == TALK:
            self.fields["speaker"] = authors_run  # (papers have no speakers)

    @property
    def text(self) -> str:
        return "\n".join(part for part in (self.title, self.abstract, self.affiliation) if part)

    def adjacent(self) -> Iterable[tuple[str, str]]:
        """Every two tokens that follow each other in a column, one by one, repeats
        included (a set of them would cost more to make than a lookup saves)."""
        return itertools.chain.from_iterable(
            zip(run, run[1:]) for run in self._runs)  # noqa: B905 (one shorter)

    def field_runs(self, field: str | None) -> list[tuple[str, ...]]:
        """The token sequences of the columns `field` searches (None: every column)."""
        if field is None:
            return self._runs
        run = self.fields.get(field)
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


class Topic:
    """A compiled subscription query: `match(doc)` says whether and by which words."""

    __slots__ = ("query", "_root", "_labels", "_words")

    def __init__(self, query: Query, root: Node) -> None:
        self.query, self._root = query, root
        # Without an OR, the words a match names do not depend on the item.
        self._labels = static_labels(root)
        # The usual OR, of unfielded words only: named without a call per branch.
        self._words = root.labels if isinstance(root, AnyOf) and root.labels else None

    def match(self, doc: MatchDoc) -> list[str] | None:
        """None when `doc` does not match, else the user's words that matched, in order."""
        terms = self._terms(doc)
        return None if terms is None else list(terms)

    def _terms(self, doc: MatchDoc) -> tuple[str, ...] | None:
        if self._labels is not None:
            return self._labels if self._root.test(doc) else None
        if self._words is not None:
            tokens = doc.tokens
            return tuple([label for token, label in self._words if token in tokens]) or None
        out: list[str] = []
        if not self._root.collect(doc, out):
            return None
        return tuple(dict.fromkeys(out)) if len(out) > 1 else tuple(out)

    def __repr__(self) -> str:
        return f"Topic({self.query!r})"


def compile_topic(query: Query) -> Topic:
    """Compile a parsed query; raises QueryError for one a search would refuse too."""
    return Topic(query, compile_node(query))
