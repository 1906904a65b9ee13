"""Many subscriptions at once: SubscriptionIndex files each compiled Topic under keys (a rare
token, two tokens side by side) one of which every item it matches shows, so an item is
tried only against the topics whose keys it shows, and answers in advance those whose
keys alone decide."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

from bot.matching import MatchDoc, Topic
from bot.matchnodes import NEVER, AllOf, AnyOf, Node, Phrase, Word
from bot.models import Query

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


# What an item must show for a topic to be tried on it: a token it holds, or two tokens
# side by side in a column. A topic is filed under keys; what it matches shows one.
Key = str | tuple[str, str]
_ADJACENT = 0.5  # how much rarer two tokens are side by side than anywhere in an item


def _keys(node: Node, cost: Mapping[str, float]) -> list[Key] | None:
    """Keys of `node`; None when there are none to be had (the node must always be tried)."""
    if node is NEVER:
        return []
    if isinstance(node, Word):
        return [node.token]
    if isinstance(node, Phrase):  # the rarest two tokens side by side
        return [min(zip(node.run, node.run[1:]),  # noqa: B905 (one shorter)
                    key=lambda pair: (_weight([pair], cost), pair))]
    if isinstance(node, AnyOf):  # every branch's keys
        parts = [_keys(branch, cost) for branch in node.branches]
        return None if None in parts else [key for keys in parts for key in keys]
    assert isinstance(node, AllOf)  # an AND: the keys of its rarest part
    options = [keys for keys in (_keys(part, cost) for part in node.wanted) if keys is not None]
    return min(options, key=lambda keys: _weight(keys, cost), default=None)


def _weight(keys: list[Key], cost: Mapping[str, float]) -> float:
    """About the share of items that show one of `keys` (tokens taken as independent)."""
    return sum(cost[key] if isinstance(key, str) else cost[key[0]] * cost[key[1]] * _ADJACENT
               for key in keys)


def _second(node: Node, key: Key, cost: Mapping[str, float]) -> str | None:
    """For an AND filed under `key`: the rarest other token it needs, or None. Filed
    under both, it is tried only on items that show the two (ANDs of a rare word and a
    commoner one, a word and a field, fail on most items that show the rarer word)."""
    if not isinstance(node, AllOf):
        return None
    needed = _needed(node).difference((key,) if isinstance(key, str) else key)
    return min(needed, key=lambda token: (cost[token], token), default=None)


def _needed(node: Node) -> set[str]:
    """Tokens every item that matches `node` holds (in some column)."""
    if isinstance(node, Word):
        return {node.token}
    if isinstance(node, Phrase):
        return set(node.run)
    if isinstance(node, AllOf):
        return set().union(*map(_needed, node.wanted))
    return set()  # an OR needs none of its branches in particular


def _branch_keys(node: Node) -> tuple[tuple[Key, str], ...] | None:
    """For an OR of unfielded words and two-word phrases: (key, label) of each branch,
    each label once. A branch matches exactly when its key is shown, so the words such an
    OR names are read off the keys an item shows. None for any other node."""
    if not isinstance(node, AnyOf):
        return None
    found: dict[str, Key] = {}
    for branch in node.branches:
        if isinstance(branch, Word) and branch.field is None:
            found.setdefault(branch.label, branch.token)
        elif isinstance(branch, Phrase) and branch.field is None and len(branch.run) == 2:
            found.setdefault(branch.label, (branch.run[0], branch.run[1]))
        else:
            return None
    return tuple((key, label) for label, key in found.items())


def _sure(node: Node) -> bool:
    """Whether an item that meets the node's keys always matches it (no test needed)."""
    if isinstance(node, Word):
        return node.field is None
    if isinstance(node, Phrase):
        return node.field is None and len(node.run) == 2
    return isinstance(node, AnyOf) and all(map(_sure, node.branches))


Hit = tuple[K, tuple[str, ...]]


class SubscriptionIndex(Generic[K]):
    """Many (subscription id, Topic) pairs, answering which of them match an item.

    Each distinct topic is filed under keys (bot.matchindex.Key) one of which every item it
    matches shows; an item is tried only against the topics filed under its keys, an AND
    only where a second token it needs is shown too. A topic that is one unfielded word
    or two-word phrase matches whatever shows its key, and an OR of such branches names
    the branches whose keys are shown, so their answers are made in advance.
    `frequencies` (token_frequencies of recent items) picks the rarest tokens as keys;
    without it the longest are taken.
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
        self._files: dict[Key, list[int]] = {}  # key -> topics to try
        self._ready: dict[Key, list[Hit]] = {}  # key -> the answers of topics it decides
        self._decides: dict[Key, list[int]] = {}  # (those topics, for `candidates`)
        self._always: list[int] = []  # no keys: tried on every item
        # key -> token -> ANDs to try on an item that shows both (see _second)
        self._seconds: dict[Key, dict[str, list[int]]] = {}
        # ORs of words and two-word phrases (_branch_keys): a branch's key -> the answers
        # when it is the only branch shown, and (topic, its word) to see whether it is
        self._or_ready: dict[Key, list[Hit]] = {}
        self._or_words: dict[Key, list[tuple[int, str]]] = {}
        self._branches: dict[int, tuple[tuple[Key, str], ...]] = {}
        cost = _Cost(frequencies)
        for group, topic in enumerate(self._topics):
            self._file(group, topic, cost)
        self._second_pairs = {key: tuple(by_token.items())  # (what the hot loop reads)
                              for key, by_token in self._seconds.items()}
        filed = (*self._files, *self._ready, *self._seconds, *self._or_ready)
        self._tokens = frozenset(key for key in filed if isinstance(key, str))
        self._pairs = frozenset(key for key in filed if not isinstance(key, str))
        self._labels = [topic._labels for topic in self._topics]
        self._tests = [None if _sure(topic._root) else topic._root.test
                       for topic in self._topics]

    def _file(self, group: int, topic: Topic, cost: Mapping[str, float]) -> None:
        keys = _keys(topic._root, cost)
        if keys is None:
            self._always.append(group)
        elif len(keys) == 1 and topic._labels is not None and _sure(topic._root):
            self._ready.setdefault(keys[0], []).extend(
                (member, topic._labels) for member in self._members[group])
            self._decides.setdefault(keys[0], []).append(group)
        elif (branches := _branch_keys(topic._root)) is not None:
            self._branches[group] = branches
            for key, label in branches:
                self._or_ready.setdefault(key, []).extend(
                    (member, (label,)) for member in self._members[group])
                self._or_words.setdefault(key, []).append((group, label))
                self._decides.setdefault(key, []).append(group)
        elif len(keys) == 1 and (second := _second(topic._root, keys[0], cost)) is not None:
            self._seconds.setdefault(keys[0], {}).setdefault(second, []).append(group)
        else:
            for key in dict.fromkeys(keys):
                self._files.setdefault(key, []).append(group)

    def __len__(self) -> int:
        return sum(map(len, self._members))

    @property
    def topic_count(self) -> int:
        """Distinct topics (subscriptions with the same query share one)."""
        return len(self._topics)

    def candidates(self, doc: MatchDoc) -> list[Topic]:
        """The distinct topics that can match `doc` (`matching` tries or answers them)."""
        keys = self._shown(doc)
        decided = itertools.chain.from_iterable(map(self._decides.get, keys, itertools.repeat(())))
        groups = sorted({*decided, *self._tried(keys, doc.tokens)})
        return [self._topics[group] for group in groups]

    def _shown(self, doc: MatchDoc) -> list[Key]:
        """The keys `doc` shows, in a steady order (set order changes from run to run)."""
        keys: list[Key] = sorted(doc.tokens.intersection(self._tokens))  # (C: smaller side)
        if self._pairs:
            keys += sorted(self._pairs.intersection(doc.adjacent()))
        return keys

    def _tried(self, keys: list[Key], tokens: frozenset[str]) -> list[int]:
        tried = set(self._always)
        tried.update(itertools.chain.from_iterable(
            map(self._files.get, keys, itertools.repeat(()))))
        seconds = self._second_pairs
        for key in keys:
            for token, groups in seconds.get(key, ()):  # (a few: faster than a set op)
                if token in tokens:
                    tried.update(groups)
        return sorted(tried)

    def matching(self, doc: MatchDoc) -> list[tuple[K, tuple[str, ...]]]:
        """(subscription id, the words that matched) for every matching subscription.

        In no particular order, but the same from run to run; subscriptions with the same
        query come together and share one tuple of words.
        """
        keys = self._shown(doc)
        hits: list[Hit] = list(itertools.chain.from_iterable(
            map(self._ready.get, keys, itertools.repeat(()))))
        self._answer_ors(keys, hits)
        labels, tests, topics = self._labels, self._tests, self._topics
        for group in self._tried(keys, doc.tokens):  # (the hot loop: locals, no calls to spare)
            terms, test = labels[group], tests[group]
            if terms is None:  # the words depend on the item (an OR)
                terms = topics[group]._terms(doc)
                if terms is None:
                    continue
            elif test is not None and not test(doc):
                continue
            members = self._members[group]
            if len(members) == 1:
                hits.append((members[0], terms))
            else:
                hits.extend(zip(members, itertools.repeat(terms)))
        return hits

    def _answer_ors(self, keys: list[Key], hits: list[Hit]) -> None:
        """The ORs of _branch_keys: their branches match exactly where their keys are
        shown, so their answers are made in advance for an item that shows one word of
        each (the usual case); an OR that shows several names them in the order written."""
        shown = list(itertools.chain.from_iterable(
            map(self._or_words.get, keys, itertools.repeat(()))))
        if len({group for group, _ in shown}) == len(shown):
            hits.extend(itertools.chain.from_iterable(
                map(self._or_ready.get, keys, itertools.repeat(()))))
            return
        found: dict[int, list[str]] = {}
        for group, label in shown:
            found.setdefault(group, []).append(label)
        keyset = frozenset(keys)
        for group, words in found.items():
            if len(words) > 1:
                words = [label for key, label in self._branches[group] if key in keyset]
            hits.extend(zip(self._members[group], itertools.repeat(tuple(words))))
