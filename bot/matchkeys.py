"""Where SubscriptionIndex files a topic: the keys (a token, two tokens side by side) one of
which every item the topic matches shows, chosen rarest first, and which topics those keys
alone decide, so that their answers can be made in advance."""

from __future__ import annotations

from collections.abc import Mapping

from bot.matchnodes import NEVER, AllOf, AnyOf, Node, Phrase, Word


class Cost(dict[str, float]):
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


# What an item must show for a topic to be tried on it: a token it holds, or two tokens
# side by side in a column. A topic is filed under keys; what it matches shows one.
Key = str | tuple[str, str]
_ADJACENT = 0.5  # how much rarer two tokens are side by side than anywhere in an item


def keys_of(node: Node, cost: Mapping[str, float]) -> list[Key] | None:
    """Keys of `node`; None when there are none to be had (the node must always be tried)."""
    if node is NEVER:
        return []
    if isinstance(node, Word):
        return [node.token]
    if isinstance(node, Phrase):  # the rarest two tokens side by side
        return [min(zip(node.run, node.run[1:]),  # noqa: B905 (one shorter)
                    key=lambda pair: (_weight([pair], cost), pair))]
    if isinstance(node, AnyOf):  # every branch's keys
        parts = [keys_of(branch, cost) for branch in node.branches]
        return None if None in parts else [key for keys in parts for key in keys]
    assert isinstance(node, AllOf)  # an AND: the keys of its rarest part
    options = [keys for keys in (keys_of(part, cost) for part in node.wanted) if keys is not None]
    return min(options, key=lambda keys: _weight(keys, cost), default=None)


def _weight(keys: list[Key], cost: Mapping[str, float]) -> float:
    """About the share of items that show one of `keys` (tokens taken as independent)."""
    return sum(cost[key] if isinstance(key, str) else cost[key[0]] * cost[key[1]] * _ADJACENT
               for key in keys)


def second_of(node: Node, key: Key, cost: Mapping[str, float]) -> str | None:
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


def branch_keys(node: Node) -> tuple[tuple[Key, str], ...] | None:
    """For an OR of unfielded words and two-word phrases: (key, label) of each branch,
    each label once. A branch matches exactly when its key is shown, so the words such an
    OR names are read off the keys an item shows. None for any other node."""
    if not isinstance(node, AnyOf):
        return None
    found: dict[str, Key] = {}
    for branch in node.branches:
        if (key := sure_key(branch)) is None:
            return None
        found.setdefault(branch.label, key)  # type: ignore[union-attr]  (a Word or Phrase)
    return tuple((key, label) for label, key in found.items())


def sure_key(node: Node) -> Key | None:
    """The one key that decides `node` (an unfielded word or two-word phrase), or None."""
    if isinstance(node, Word) and node.field is None:
        return node.token
    if isinstance(node, Phrase) and node.field is None and len(node.run) == 2:
        return (node.run[0], node.run[1])
    return None


def is_sure(node: Node) -> bool:
    """Whether an item that meets the node's keys always matches it (no test needed)."""
    if isinstance(node, AnyOf):
        return all(map(is_sure, node.branches))
    return sure_key(node) is not None


def decided_by(node: Node, key: Key, second: str | None) -> bool:
    """Whether an AND filed under `key` (and `second`, second_of, unless None) matches
    every item that shows them and none of its excluded words: its parts are decided by
    those keys and it excludes only single words."""
    if not isinstance(node, AllOf) or node.rest_excluded:
        return False
    return {*map(sure_key, node.wanted)} == ({key} if second is None else {key, second})
