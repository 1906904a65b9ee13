"""How far a channel's model can get with every label it could want (issue 16): the ceiling
of bot.relevance's features and classifier on the real listings, apart from votes.

    python bench/relevance_ceiling.py [--end YYYY-MM-DD] [--weeks 4] [--positives 5,20,all]
                                      [--features words|vectors|both --vectors A.npz,B.npz]
                                      [--json]

For each of bench/relevance.py's 10 channels: the model is trained on the first weeks of the
window (all but the last), with N of the channel's on-topic papers as positives (the truth
itself, not votes; `all` = every one) and 2,000 of the others as negatives, with the
classifier and weights bot.relevance uses (TF-IDF of words and author tags, no categories;
LogisticRegression, C and class balance as in bot/relevance/learn.py). It then picks each
day's top 10 of the last week; P@10 as in bench/relevance.py, against the keyword list's.
If the model alone with all labels is not well above the keywords, no amount of votes
makes the combination 1.5x the keywords.

`--features vectors` puts a pretrained sentence model's embeddings (bench/embed_papers.py,
all-MiniLM-L6-v2) in place of the words, `both` beside them (each row of unit length,
times `--vectors-weight`): whether other features than words would lift the ceiling.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import log  # noqa: E402
from bench.relevance_data import CORPUS, PHRASES, build_world, last_day  # noqa: E402
from bench.relevance_replay import precision  # noqa: E402

NEGATIVES = 2_000


class Features:
    """What the model sees of papers: TF-IDF of words and author tags as bot.relevance
    reads them (idf fitted on the training papers), stored sentence embeddings, or both."""

    def __init__(self, kind: str, embeddings: dict | None, weight: float) -> None:
        self.kind, self.embeddings, self.weight, self.idf = kind, embeddings, weight, None

    def __call__(self, papers):
        import numpy as np
        from scipy import sparse

        from bot.relevance import vectorize
        from bot.relevance.features import fit_idf, weighted

        dense = None
        if self.kind != "words":
            dense = np.stack([self.embeddings[p.id] for p in papers]).astype(np.float32)
            if self.kind == "vectors":
                return dense
        vectors = vectorize(papers, use_categories=False)
        if self.idf is None:
            self.idf = fit_idf(vectors)
        words = weighted(self.idf, vectors)
        if dense is None:
            return words
        return sparse.hstack([words, sparse.csr_matrix(dense * self.weight)]).tocsr()


def load_vectors(paths: str) -> dict:
    """Paper id -> embedding, from bench/embed_papers.py's files."""
    import numpy as np

    out = {}
    for path in paths.split(","):
        stored = np.load(path)
        out.update(zip((str(i) for i in stored["ids"]), stored["vecs"], strict=True))
    return out


def ceiling(world, category: str, counts: list[int | None], seed: int,
            features: Features) -> dict[str, float]:
    """P@10 over the last week's days: the keywords', and the model's for each count of
    positive labels (None = all)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from bot.relevance import learn

    split = len(world.days) - sum(1 for d in world.days if (world.days[-1].when - d.when).days < 7)
    train_papers = [p for d in world.days[:split] for p in d.papers]
    truth = world.truth[category]
    matrix = features(train_papers)
    on = [i for i, p in enumerate(train_papers) if p.id in truth]
    off = [i for i, p in enumerate(train_papers) if p.id not in truth]
    test = world.days[split:]
    out = {"keyword": statistics.fmean(
        v for d in test if (v := precision(d.matched[category][:10], truth)) is not None)}
    for count in counts:
        rng = random.Random(f"{seed}:{category}:{count}")
        rows = rng.sample(on, min(count or len(on), len(on))) + rng.sample(
            off, min(NEGATIVES, len(off)))
        labels = np.array([train_papers[i].id in truth for i in rows])
        model = LogisticRegression(C=learn.C, solver="liblinear", class_weight="balanced")
        model.fit(matrix[rows], labels)
        days = []
        for day in test:
            scores = model.decision_function(features(day.papers))
            top = np.argsort(-scores)[:10]
            days.append(precision([day.papers[i].id for i in top], truth))
        out[str(count or "all")] = statistics.fmean(days)
    out["positives_available"] = len(on)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--end", type=date.fromisoformat, default=None)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--positives", default="5,20,all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--features", choices=["words", "vectors", "both"], default="words")
    parser.add_argument("--vectors", default=None, help="bench/embed_papers.py's files")
    parser.add_argument("--vectors-weight", type=float, default=1.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.features != "words" and not args.vectors:
        parser.error("--features vectors or both needs --vectors (bench/embed_papers.py)")
    counts = [None if c == "all" else int(c) for c in args.positives.split(",")]
    end = args.end or last_day(CORPUS)
    world = build_world(CORPUS, end, list(PHRASES), weeks=args.weeks)
    result = {}
    embeddings = load_vectors(args.vectors) if args.vectors else None
    for category in PHRASES:
        features = Features(args.features, embeddings, args.vectors_weight)
        result[category] = ceiling(world, category, counts, args.seed, features)
        log(f"{category}: {result[category]}")
    columns = ["keyword", *(str(c or "all") for c in counts)]
    means = {c: statistics.fmean(r[c] for r in result.values()) for c in columns}
    print(f"model alone with N true labels, P@10 of the last week to {end} "
          f"(trained on the {args.weeks - 1} weeks before)")
    print(f"{'channel':>12} {'labels':>6} " + " ".join(f"{c:>8}" for c in columns))
    for category, row in result.items():
        print(f"{category:>12} {row['positives_available']:>6} "
              + " ".join(f"{row[c]:>8.3f}" for c in columns))
    print(f"{'mean':>12} {'':>6} " + " ".join(f"{means[c]:>8.3f}" for c in columns))
    if args.json:
        print(json.dumps({"end": end.isoformat(), "weeks": args.weeks, "mean": means,
                          "features": args.features,
                          "channels": result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
