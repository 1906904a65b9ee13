"""A channel's taste, between its votes and bot.relevance's model: what the model learns from
(votes, the keyword matches the channel was shown, papers it was not shown), when it is due
to learn again, the model as stored (loaded once per training), and what it says: lists in
order of predicted interest, the day's recommendations and the "why" line beside each.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import relevance
from bot.fulltext import tokens
from bot.matchnodes import holds
from bot.models import Channel, Paper
from storage.store import Store

SETTLE = timedelta(seconds=60)  # votes wait this long for the next before training
STALE = timedelta(days=1)  # a model learns the day's shown papers once a day
BACKOFF = timedelta(hours=1)  # after a training failed (past its limits), it waits this long
WINDOW = timedelta(days=120)  # shown and unseen papers come from this far back
MAX_VOTED, MAX_SHOWN, MAX_UNSEEN = 800, 2000, 3000  # bounds on what one training reads
DEFAULT_SIZE, MAX_SIZE = 10, 25  # papers a list shows (when the channel set none; at most)
BY_VOTES = "by this channel’s votes"
BY_TOPICS = "like the papers this channel’s topics bring"  # a model of matches, no likes yet


def training_set(store: Store, channel_id: str, now: datetime) -> relevance.TrainingSet:
    """Votes (net per paper), the keyword matches the channel was shown that nobody voted
    down, and papers of the same window never planned for it (neither sent nor waiting,
    matched nor recommended); oldest first in each."""
    tally = store.votes.tally(channel_id)
    voted = store.votes.papers(list(tally)[-MAX_VOTED:])  # the latest votes count
    liked = [(p, tally[p.id].up) for p in voted if tally[p.id].net > 0]
    disliked = [p for p in voted if tally[p.id].net < 0]
    shown = store.votes.shown_papers(channel_id, now - WINDOW, MAX_SHOWN)[::-1]
    matched = store.votes.papers([i for i in shown if i not in tally])
    recent = store.votes.unseen_papers(channel_id, now - WINDOW, MAX_UNSEEN)[::-1]
    unseen = [p for p in recent if p.id not in tally]  # a vote may come without a delivery
    return relevance.TrainingSet(liked=liked, disliked=disliked, matched=matched,
                                 unseen=unseen)


def due(store: Store, channel_id: str, now: datetime) -> bool:
    """Whether the channel's model should learn now: votes it has not learned from that
    have settled, or a day's new papers shown since it last learned."""
    last_vote = store.votes.last_vote_at(channel_id)
    stored = store.votes.model(channel_id)
    if stored is not None and stored.failed_at is not None and (
            now - stored.failed_at < BACKOFF):
        return False  # it failed a moment ago: not every minute
    if last_vote is None and not store.votes.shown_papers(channel_id, now - STALE, 1):
        return False
    if last_vote is not None and (stored is None or stored.votes_through is None
                                  or last_vote > stored.votes_through):
        return now - last_vote >= SETTLE
    return stored is None or now - stored.trained_at >= STALE


def learn(store: Store, channel_id: str, now: datetime) -> bool:
    """Train the channel's model and store it. With too little to learn from, an empty
    model is stored (none is used) so that it is not tried again before the next vote or
    day; False then."""
    votes_through = store.votes.last_vote_at(channel_id)
    data = training_set(store, channel_id, now)
    model = relevance.train(data)
    store.votes.save_model(channel_id, model.to_bytes() if model else b"", now,
                           votes_through, len(data.liked), len(data.disliked))
    return model is not None


class Tastes:
    """The stored models, each loaded once per training (by when it was trained)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._loaded: dict[str, tuple[datetime, relevance.Model]] = {}
        self._read: tuple[tuple[str, ...], relevance.Vectors] | None = None

    def scores(self, model: relevance.Model, papers: Sequence[Paper]) -> list[float]:
        """The model's scores of `papers`, read once for every channel that scores the
        same papers (reading is most of the cost: ~80 ms for 1,000 papers, scoring ~15)."""
        ids = tuple(p.id for p in papers)
        if self._read is None or self._read[0] != ids:
            self._read = (ids, relevance.vectorize(list(papers)))
        return model.scores(self._read[1])

    def model(self, channel_id: str) -> relevance.Model | None:
        trained_at = self.store.votes.model_trained_at(channel_id)
        if trained_at is None:
            return None
        known = self._loaded.get(channel_id)
        if known is None or known[0] != trained_at:
            stored = self.store.votes.model(channel_id)
            if stored is None or not stored.blob:  # none yet, or too little to learn from
                return None
            try:
                known = (stored.trained_at, relevance.Model.from_bytes(stored.blob))
            except ValueError:  # written by another version: it learns again
                return None
            self._loaded[channel_id] = known
        return known[1]

    def order(self, channel_id: str, papers: Sequence[Paper]) -> list[Paper]:
        """Most interesting first by the channel's model; as given without one."""
        model = self.model(channel_id)
        if model is None or len(papers) < 2:
            return list(papers)
        scores = self.scores(model, papers)
        ranked = sorted(range(len(papers)), key=lambda n: -scores[n])
        return [papers[n] for n in ranked]

    def why(self, channel_id: str, paper: Paper) -> str | None:
        """"like *Title* that 3 of you liked", naming the liked paper it is most like."""
        model = self.model(channel_id)
        found = model.why(paper) if model is not None else None
        if found is None:
            return None
        liked_id, count = found
        stored = self.store.get_paper(liked_id)
        if stored is None:
            return None
        who = "one of you" if count == 1 else f"{count} of you"
        return f"like *{stored[0].title}* that {who} liked"


def strength(paper: Paper, matched: str | None) -> tuple[int, int]:
    """How surely `paper` is on the topic whose words matched it (a delivery's `matched`:
    `robot, "user study", author:lee`): how many of them its title holds (`title:` ones
    included), then how many matched. A title that names a channel's topic is the surest
    sign a paper is on it, more of its words the next: lists without a taste model put
    the strongest first (bench/relevance.py, BENCHMARKS.md)."""
    if not matched:
        return 0, 0
    title = tokens(paper.title)
    labels = matched.split(", ")
    found = 0
    for label in labels:
        field, colon, value = label.partition(":")
        if colon and field.isalpha() and field.islower():  # author:, cat:, title: ...
            if field != "title":
                continue
            label = value
        run = tokens(label)  # (quotes are separators)
        if run and holds(title, run):
            found += 1
    return found, len(labels)


def size_of(channel: Channel | None) -> int:
    return (channel.digest_size if channel and channel.digest_size else DEFAULT_SIZE)


def recommendations(store: Store, tastes: Tastes, channel: Channel, papers: Sequence[Paper],
                    matched: Sequence[str], now: datetime,
                    zone: str) -> list[tuple[Paper, str]]:
    """New `papers` the channel's model adds to its keyword `matched` ids, each with its
    "why" line; at most the channel's number a day (its local day), best first."""
    if not channel.recommend_per_day:
        return []
    local = now.astimezone(ZoneInfo(channel.timezone or zone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    left = channel.recommend_per_day - store.votes.recommended_since(channel.id, midnight)
    picks = recommend(tastes, channel, papers, matched, left)
    model = tastes.model(channel.id)
    # without a liked paper like it, the why line says what the model learned from
    fallback = (BY_VOTES if model is not None and model.liked_ids else BY_TOPICS)
    return [(p, tastes.why(channel.id, p) or fallback) for p in picks]


def recommend(tastes: Tastes, channel: Channel, papers: Sequence[Paper],
              matched: Sequence[str], per_day: int) -> list[Paper]:
    """Of the day's `papers`, the ones the model adds to the channel's keyword `matched`
    ids (at most `per_day`), best first."""
    model = tastes.model(channel.id)
    if model is None or per_day <= 0 or not papers:
        return []
    scores = dict(zip((p.id for p in papers), tastes.scores(model, papers), strict=True))
    shown = relevance.choose(list(matched), scores, per_day=per_day,
                             size=len(matched) + per_day)
    taken = set(matched)
    by_id = {p.id: p for p in papers}
    return [by_id[i] for i in shown if i not in taken and i in by_id]
