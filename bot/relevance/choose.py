"""What a channel is shown for a day with `recommended` on, and the papers most like one
(for /papers similar: by the model's text features, no votes needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sklearn.metrics.pairwise import linear_kernel

from bot.models import Paper
from bot.relevance.features import fit_idf, vectorize, weighted

# A paper the keywords missed is recommended only when the model leans to "liked" (its
# log-odds are above MIN_RECOMMENDED) and rates it above the day's median keyword match
# (ABOVE_MATCHES of them score lower): a recommendation must not dilute a precise
# subscription. On the 8 weeks before those bench/relevance.py reports, the median rule
# changed nothing at 4 weeks and little at 8 (0.374 against 0.379).
MIN_RECOMMENDED = 0.0
ABOVE_MATCHES = 0.5


def choose(matched: Sequence[str], scores: Mapping[str, float], *, per_day: int,
           size: int) -> list[str]:
    """The day's keyword matches (ids, in lectern's order) and up to `per_day` of its other
    papers that score above MIN_RECOMMENDED and the matches' median, ordered by score,
    trimmed to `size` (ties keep lectern's order; a match `scores` lacks goes last).
    `scores` covers every paper of the day; empty (no model): matched[:size]."""
    if not scores:
        return list(matched[:size])
    keyword = dict.fromkeys(matched)
    others = sorted((i for i in scores if i not in keyword), key=lambda i: -scores[i])
    bar = MIN_RECOMMENDED
    known = sorted(scores[i] for i in keyword if i in scores)
    if known:
        bar = max(bar, known[min(int(len(known) * ABOVE_MATCHES), len(known) - 1)])
    picked = [i for i in others[:max(per_day, 0)] if scores[i] > bar]
    shown = sorted([*keyword, *picked], key=lambda i: -scores.get(i, float("-inf")))
    return shown[:max(size, 0)]


def similar(papers: Sequence[Paper], to: Paper, k: int) -> list[tuple[str, float]]:
    """The k papers of `papers` most like `to` (cosine of TF-IDF of words, authors and
    categories, fitted on them), best first, with their likeness; `to` itself and papers
    sharing nothing with it left out."""
    others = [p for p in papers if p.id != to.id]
    if not others or k <= 0:
        return []
    vectors = vectorize([to, *others])
    rows = weighted(fit_idf(vectors), vectors)
    likeness = linear_kernel(rows[:1], rows[1:])[0]
    order = sorted(range(len(others)), key=lambda i: -likeness[i])[:k]
    return [(others[i].id, float(likeness[i])) for i in order if likeness[i] > 0]
