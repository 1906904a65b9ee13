"""Training a channel's model: what it learns from (votes, weak positives, sampled
negatives), how much of each it takes at most, and how much each weighs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.models import Paper
from bot.relevance.features import fit_idf, vectorize, weighted
from bot.relevance.model import Model

# Caps, so that training is bounded whatever the channel's history: the most recent
# (the last in each sequence) are kept.
MAX_LIKED = 400
MAX_DISLIKED = 400
MAX_MATCHED = 600
MAX_NEGATIVES = 1200  # sampled (seeded) from `unseen`
# A vote is worth more than a keyword match nobody objected to, or a paper not shown; a
# like more than a dislike (likes are rarer). Measured with bench/relevance.py on the 8
# weeks before those it reports: weak positives at 0.3 or votes at 1 did worse at 4 weeks.
LIKED_WEIGHT, DISLIKED_WEIGHT = 3.0, 2.0
MATCHED_WEIGHT, UNSEEN_WEIGHT = 0.1, 0.3
# Too little to learn from below this many positive examples (liked or matched).
MIN_POSITIVES = 3
C = 4.0


@dataclass(frozen=True)
class TrainingSet:
    """A channel's evidence, oldest first in each sequence.

    liked: papers voted up (net), with how many members liked each; disliked: voted down
    (net); matched: keyword matches the channel was shown that nobody voted down (weak
    positives); unseen: recent papers the channel was not shown (negatives are sampled).
    """

    liked: Sequence[tuple[Paper, int]]
    disliked: Sequence[Paper]
    matched: Sequence[Paper]
    unseen: Sequence[Paper]


@dataclass(frozen=True)
class _Examples:
    liked: list[tuple[Paper, int]]
    disliked: list[Paper]
    matched: list[Paper]
    negatives: list[Paper]


def _last_distinct(items: Sequence, key, cap: int, taken: set[str]) -> list:
    """The last `cap` items whose key is not in `taken`, oldest first; adds their keys."""
    out: list = []
    for item in reversed(items):
        if len(out) >= cap:
            break
        if key(item) not in taken:
            taken.add(key(item))
            out.append(item)
    return out[::-1]


def _sample(unseen: Sequence[Paper], taken: set[str], seed: int) -> list[Paper]:
    """Up to MAX_NEGATIVES of `unseen` at random (seeded), none already taken: bounded
    work however long `unseen` is (twice the cap are drawn, repeats and taken dropped)."""
    if not unseen:
        return []
    rng = np.random.default_rng(seed)
    drawn = rng.choice(len(unseen), size=min(len(unseen), 2 * MAX_NEGATIVES), replace=False)
    picked = _last_distinct([unseen[int(i)] for i in drawn], lambda p: p.id,
                            MAX_NEGATIVES, taken)
    return picked


def _examples(data: TrainingSet, seed: int) -> _Examples:
    taken: set[str] = set()
    liked = _last_distinct(data.liked, lambda pair: pair[0].id, MAX_LIKED, taken)
    disliked = _last_distinct(data.disliked, lambda p: p.id, MAX_DISLIKED, taken)
    matched = _last_distinct(data.matched, lambda p: p.id, MAX_MATCHED, taken)
    return _Examples(liked, disliked, matched, _sample(data.unseen, taken, seed))


def _vote_weight(count: int) -> float:
    """A paper several members liked counts more, with diminishing returns."""
    return LIKED_WEIGHT * (1.0 + math.log(max(count, 1)))


def train(data: TrainingSet, *, use_categories: bool = True, seed: int = 0) -> Model | None:
    """A model of what the channel likes, or None when there is too little to learn from:
    fewer than MIN_POSITIVES positive examples (liked or matched), or no negatives. Takes
    at most MAX_LIKED, MAX_DISLIKED, MAX_MATCHED (the most recent)
    and MAX_NEGATIVES sampled from `unseen`, so time and memory are bounded."""
    ex = _examples(data, seed)
    if len(ex.liked) + len(ex.matched) < MIN_POSITIVES:
        return None
    if not ex.disliked and not ex.negatives:
        return None
    papers = [p for p, _ in ex.liked] + ex.disliked + ex.matched + ex.negatives
    weights = ([_vote_weight(n) for _, n in ex.liked] + [DISLIKED_WEIGHT] * len(ex.disliked)
               + [MATCHED_WEIGHT] * len(ex.matched) + [UNSEEN_WEIGHT] * len(ex.negatives))
    labels = ([1] * len(ex.liked) + [0] * len(ex.disliked) + [1] * len(ex.matched)
              + [0] * len(ex.negatives))
    vectors = vectorize(papers, use_categories=use_categories)
    idf = fit_idf(vectors)
    matrix = weighted(idf, vectors)
    classifier = LogisticRegression(C=C, solver="liblinear", class_weight="balanced")
    classifier.fit(matrix, np.array(labels), sample_weight=np.array(weights))
    return Model(use_categories, idf.idf_, classifier.coef_[0], float(classifier.intercept_[0]),
                 matrix[:len(ex.liked)], [p.id for p, _ in ex.liked],
                 [n for _, n in ex.liked], len(ex.disliked))
