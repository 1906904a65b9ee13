"""Many subscriptions at once: SubscriptionIndex files each compiled Topic under keys (a rare
token, two tokens side by side) one of which every item it matches shows, so an item is
tried only against the topics whose keys it shows, and answers in advance those whose
keys alone decide."""

from __future__ import annotations

import collections
import itertools
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

from bot.matching import MatchDoc, Topic
from bot.matchkeys import Cost, Key, branch_keys, decided_by, is_sure, keys_of, second_of
from bot.models import Query

K = TypeVar("K", bound=Hashable)


def token_frequencies(docs: Iterable[MatchDoc]) -> dict[str, int]:
    """How many of `docs` hold each token: recent items make good SubscriptionIndex stats."""
    counts: dict[str, int] = {}
    for doc in docs:
        for token in doc.tokens:
            counts[token] = counts.get(token, 0) + 1
    return counts


Hit = tuple[K, tuple[str, ...]]


class SubscriptionIndex(Generic[K]):
    """Many (subscription id, Topic) pairs, answering which of them match an item.

    Each distinct topic is filed under keys (bot.matchkeys.Key) one of which every item it
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
        # key -> token -> ANDs to try on an item that shows both (see second_of)
        self._seconds: dict[Key, dict[str, list[int]]] = {}
        # key -> ANDs its key and second decide (decided_by) where no excluded word is
        # shown: (second or None, the excluded words, the answers, the topic)
        self._guarded: dict[Key, list[tuple[str | None, frozenset[str], list[Hit], int]]] = {}
        # ORs of words and two-word phrases (branch_keys): a branch's key -> the answers
        # when it is the only branch shown, and (topic, its word) to see whether it is
        self._or_ready: dict[Key, list[Hit]] = {}
        self._or_words: dict[Key, list[tuple[int, str]]] = {}
        self._branches: dict[int, tuple[tuple[Key, str], ...]] = {}
        cost = Cost(frequencies)
        for group, topic in enumerate(self._topics):
            self._file(group, topic, cost)
        self._number_keys()
        self._labels = [topic._labels for topic in self._topics]
        self._tests = [None if is_sure(topic._root) else topic._root.test
                       for topic in self._topics]

    def _file(self, group: int, topic: Topic, cost: Mapping[str, float]) -> None:
        keys = keys_of(topic._root, cost)
        if keys is None:
            self._always.append(group)
        elif len(keys) == 1 and topic._labels is not None and is_sure(topic._root):
            self._ready.setdefault(keys[0], []).extend(
                (member, topic._labels) for member in self._members[group])
            self._decides.setdefault(keys[0], []).append(group)
        elif (branches := branch_keys(topic._root)) is not None:
            self._branches[group] = branches
            for key, label in branches:
                self._or_ready.setdefault(key, []).extend(
                    (member, (label,)) for member in self._members[group])
                self._or_words.setdefault(key, []).append((group, label))
                self._decides.setdefault(key, []).append(group)
        elif (len(keys) == 1 and topic._labels is not None and decided_by(
                topic._root, keys[0], second := second_of(topic._root, keys[0], cost))):
            answers = [(member, topic._labels) for member in self._members[group]]
            self._guarded.setdefault(keys[0], []).append(
                (second, topic._root.banned, answers, group))  # type: ignore[union-attr]
        elif len(keys) == 1 and (second := second_of(topic._root, keys[0], cost)) is not None:
            self._seconds.setdefault(keys[0], {}).setdefault(second, []).append(group)
        else:
            for key in dict.fromkeys(keys):
                self._files.setdefault(key, []).append(group)

    def _number_keys(self) -> None:
        """Number the keys in the order an item's keys are read (tokens, then pairs, each
        sorted: set order changes from run to run), so that an item's keys are sorted as
        small ints and what is filed under them is read from lists."""
        filed = {*self._files, *self._ready, *self._seconds, *self._or_ready, *self._guarded}
        tokens = sorted(key for key in filed if isinstance(key, str))
        pairs = sorted(key for key in filed if not isinstance(key, str))
        self._ids: dict[Key, int] = {key: n for n, key in enumerate([*tokens, *pairs])}
        self._tokens, self._pairs = frozenset(tokens), frozenset(pairs)

        def listed(filing: Mapping[Key, list]) -> list:  # key id -> what is filed, or ()
            out: list = [()] * len(self._ids)
            for key, value in filing.items():
                out[self._ids[key]] = value
            return out
        self._files_at, self._decides_at = listed(self._files), listed(self._decides)
        self._ready_at, self._guarded_at = listed(self._ready), listed(self._guarded)
        self._or_ready_at = listed(self._or_ready)
        self._or_owners_at = listed({  # the OR of each answer in _or_ready
            key: tuple(group for group, _ in words for _ in self._members[group])
            for key, words in self._or_words.items()})
        self._or_groups = listed({key: tuple(group for group, _ in words)
                                  for key, words in self._or_words.items()})
        # key -> every answer it makes when no OR shows two words: the topics it decides
        # and its OR branches (what `matching` reads for most items)
        self._answers = listed({key: [*self._ready.get(key, ()), *self._or_ready.get(key, ())]
                                for key in {**self._ready, **self._or_ready}})
        self._second_pairs = {self._ids[key]: tuple(by_token.items())  # (the hot loop's)
                              for key, by_token in self._seconds.items()}
        self._second_keys = frozenset(self._second_pairs)
        self._branch_ids = {group: tuple((self._ids[key], label) for key, label in branches)
                            for group, branches in self._branches.items()}

    def __len__(self) -> int:
        return sum(map(len, self._members))

    @property
    def topic_count(self) -> int:
        """Distinct topics (subscriptions with the same query share one)."""
        return len(self._topics)

    def candidates(self, doc: MatchDoc) -> list[Topic]:
        """The distinct topics that can match `doc` (`matching` tries or answers them)."""
        keys = self._shown(doc)
        decided = itertools.chain.from_iterable(map(self._decides_at.__getitem__, keys))
        tokens = doc.tokens
        guarded = (group for key in keys for second, banned, _, group in self._guarded_at[key]
                   if (second is None or second in tokens) and tokens.isdisjoint(banned))
        groups = sorted({*decided, *guarded, *self._tried(keys, tokens)})
        return [self._topics[group] for group in groups]

    def _shown(self, doc: MatchDoc) -> list[int]:
        """The ids of the keys `doc` shows, sorted (_number_keys)."""
        ids = self._ids.__getitem__
        keys = list(map(ids, doc.tokens.intersection(self._tokens)))  # (C: smaller side)
        if self._pairs:
            keys += map(ids, self._pairs.intersection(doc.adjacent()))
        keys.sort()
        return keys

    def _tried(self, keys: list[int], tokens: frozenset[str]) -> list[int]:
        tried = set(self._always)
        tried.update(itertools.chain.from_iterable(map(self._files_at.__getitem__, keys)))
        seconds = self._second_pairs
        for key in self._second_keys.intersection(keys):  # (tried is sorted: any order)
            for token, groups in seconds[key]:  # (a few: faster than a set op)
                if token in tokens:
                    tried.update(groups)
        return sorted(tried)

    def matching(self, doc: MatchDoc) -> list[tuple[K, tuple[str, ...]]]:
        """(subscription id, the words that matched) for every matching subscription.

        In no particular order, but the same from run to run; subscriptions with the same
        query come together and share one tuple of words.
        """
        keys = self._shown(doc)
        groups = list(itertools.chain.from_iterable(map(self._or_groups.__getitem__, keys)))
        if len(set(groups)) == len(groups):  # no OR shows two of its words: all made
            hits: list[Hit] = list(itertools.chain.from_iterable(
                map(self._answers.__getitem__, keys)))
        else:
            hits = list(itertools.chain.from_iterable(map(self._ready_at.__getitem__, keys)))
            hits += self._answer_ors(keys, groups)
        tokens = doc.tokens
        for guarded in filter(None, map(self._guarded_at.__getitem__, keys)):  # (keys' order)
            for second, banned, answers, _ in guarded:
                if (second is None or second in tokens) and tokens.isdisjoint(banned):
                    hits.extend(answers)
        labels, tests, topics = self._labels, self._tests, self._topics
        for group in self._tried(keys, tokens):  # (the hot loop: locals, no calls to spare)
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

    def _answer_ors(self, keys: list[int], groups: list[int]) -> list[Hit]:
        """The answers of the ORs of branch_keys for an item that shows two words of one
        of them (`groups`: an OR for each of its words shown): those made in advance, each
        OR once, where it first shows; one that shows several names them in the order
        written."""
        answers = list(itertools.chain.from_iterable(map(self._or_ready_at.__getitem__, keys)))
        owners = list(itertools.chain.from_iterable(map(self._or_owners_at.__getitem__, keys)))
        counts = collections.Counter(groups)
        keyset, dropped = frozenset(keys), []
        for group in [group for group, count in counts.items() if count > 1]:
            members = self._members[group]
            words = tuple(label for key, label in self._branch_ids[group] if key in keyset)
            at = owners.index(group)
            answers[at:at + len(members)] = zip(members, itertools.repeat(words))
            for _ in range(counts[group] - 1):  # its other words' answers go
                at = owners.index(group, at + len(members))
                dropped.append((at, len(members)))
        for at, size in sorted(dropped, reverse=True):
            del answers[at:at + size]
        return answers
