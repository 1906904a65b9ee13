"""One simulated channel through the replayed days: shown its keyword matches (with
`recommended` on once a model exists: `bot.relevance.choose`), votes on 30% of what it
is shown (👍 when the paper has the channel's category), retrained after every day from
a TrainingSet built as the bot builds it; with each day's P@10 and costs."""

from __future__ import annotations

import random
import time
import tracemalloc
from dataclasses import dataclass, field

from bench.relevance_data import Day, World
from bot.models import Paper
from bot.relevance import Model, TrainingSet, Vectors, choose, train, vectorize
from bot.taste import strength

VOTE_CHANCE = 0.3
SIZE = 10
# `unseen` holds the papers of the last UNSEEN_DAYS listing days that were not shown.
UNSEEN_DAYS = 20
SCORE_BATCH = 1_000


@dataclass
class DayResult:
    week: int  # 1..8: which week of the replay the day is in
    keyword: float | None  # P@10 of each list; None when the list is empty
    model: float | None
    combined: float | None


@dataclass
class ChannelRun:
    category: str
    days: list[DayResult] = field(default_factory=list)
    train_s: list[float] = field(default_factory=list)
    score_ms: list[float] = field(default_factory=list)  # score 1,000 papers already read
    alone_ms: list[float] = field(default_factory=list)  # read them and score, one channel
    blob_mb: list[float] = field(default_factory=list)
    memory_mb: list[float] = field(default_factory=list)
    train_peak_mb: float = 0.0


def precision(shown: list[str], truth: set[str]) -> float | None:
    return sum(i in truth for i in shown) / len(shown) if shown else None


def _padded(day: Day, earlier: list[Paper]) -> list[Paper]:
    """The day's papers, then earlier ones, SCORE_BATCH in all: the timed batch."""
    return (day.papers + earlier[-(SCORE_BATCH - len(day.papers)):])[:SCORE_BATCH] \
        if len(day.papers) < SCORE_BATCH else day.papers


def _read(day: Day, earlier: list[Paper]) -> tuple[Vectors, float]:
    """The day's batch read (vectorized), once for all channels as the bot does, and the
    milliseconds that took."""
    if day.read is None:
        batch = _padded(day, earlier)
        began = time.perf_counter()
        vectors = vectorize(batch, use_categories=False)
        day.read = (vectors, (time.perf_counter() - began) * 1000)
    return day.read


class Channel:
    def __init__(self, category: str, world: World, per_day: int, seed: int) -> None:
        self.category, self.world, self.per_day = category, world, per_day
        self.truth = world.truth[category]
        self.rng = random.Random(f"{seed}:{category}")
        self.seed = seed
        self.votes: dict[str, bool] = {}  # paper id -> liked (True) or not
        self.shown_matches: list[Paper] = []
        self.shown: set[str] = set()
        self.papers: dict[str, Paper] = {}
        self.model: Model | None = None
        self.run = ChannelRun(category)

    def replay(self, measure_memory: bool) -> ChannelRun:
        earlier: list[Paper] = []
        for index, day in enumerate(self.world.days):
            self._one_day(day, earlier)
            earlier.extend(day.papers)
            self._retrain(index, timed=True)
        if measure_memory:
            self._train_peak(len(self.world.days) - 1)
        return self.run

    def _one_day(self, day: Day, earlier: list[Paper]) -> None:
        self.papers.update((p.id, p) for p in day.papers)
        # In the order lectern's lists take without a model (bot.taste.strength: more of
        # the words that matched in the title first, then more words), then as ingested.
        matched = sorted(day.matched[self.category], key=lambda i: strength(
            self.papers[i], day.words[f"{self.category} {i}"]), reverse=True)
        keyword = matched[:SIZE]
        scores: dict[str, float] = {}
        if self.model is not None:
            vectors, read_ms = _read(day, earlier)
            began = time.perf_counter()
            values = self.model.scores(vectors)
            score_ms = (time.perf_counter() - began) * 1000
            self.run.score_ms.append(score_ms)
            self.run.alone_ms.append(read_ms + score_ms)
            scores = dict(zip(vectors.ids[:len(day.papers)], values, strict=False))
        ranked = sorted(scores, key=lambda i: -scores[i])[:SIZE]
        combined = choose(matched, scores, per_day=self.per_day, size=SIZE)
        week = (day.when - self.world.start).days // 7 + 1
        self.run.days.append(DayResult(
            week, precision(keyword, self.truth),
            precision(ranked, self.truth) if scores else None,
            precision(combined, self.truth)))
        self._vote(combined, set(matched))

    def _vote(self, shown: list[str], matched: set[str]) -> None:
        """Members vote on VOTE_CHANCE of what they were shown: up when it is on topic."""
        for paper_id in shown:
            self.shown.add(paper_id)
            if self.rng.random() < VOTE_CHANCE:
                self.votes[paper_id] = paper_id in self.truth
            if paper_id in matched:
                self.shown_matches.append(self.papers[paper_id])

    def training_set(self, index: int) -> TrainingSet:
        """As the bot builds it: votes, shown matches nobody voted down, and the recent
        listings' papers the channel was not shown."""
        recent = self.world.days[max(0, index + 1 - UNSEEN_DAYS):index + 1]
        return TrainingSet(
            liked=[(self.papers[i], 1) for i, up in self.votes.items() if up],
            disliked=[self.papers[i] for i, up in self.votes.items() if not up],
            matched=[p for p in self.shown_matches if self.votes.get(p.id) is not False],
            unseen=[p for day in recent for p in day.papers if p.id not in self.shown])

    def _retrain(self, index: int, timed: bool) -> None:
        data = self.training_set(index)
        began = time.perf_counter()
        model = train(data, use_categories=False, seed=self.seed + index)
        if model is None:
            return
        self.run.train_s.append(time.perf_counter() - began)
        blob = model.to_bytes()
        self.run.blob_mb.append(len(blob) / 1e6)
        if index % 5 == 0:  # the size in memory of a model loaded from its bytes
            tracemalloc.start()
            loaded = Model.from_bytes(blob)
            self.run.memory_mb.append(tracemalloc.get_traced_memory()[0] / 1e6)
            tracemalloc.stop()
            del loaded
        self.model = model

    def _train_peak(self, index: int) -> None:
        """Peak memory of training on the last day's set (traced: slower, so not timed)."""
        data = self.training_set(index)
        tracemalloc.start()
        train(data, use_categories=False, seed=self.seed + index)
        self.run.train_peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
