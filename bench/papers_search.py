"""The search side of bench/papers.py: the fixed mix of 200 queries in eight classes, timing
them through `Store.search`, and the baseline full scan in Python over every stored paper
(the way arxiv-sanity-lite searches), with the percentile both are reported by."""

from __future__ import annotations

import time

from bench.common import log
from bot.models import And, Not, Or, Query, Term
from bot.topics import parse_query
from storage.store import Store

# The fixed search mix: 200 queries in eight classes.
QUERIES = {
    "rare": ["legendretron", "automorphism", "pseudolikelihood", "groupnorm", "mobilenets",
             "longitude", "corroborate", "misclassifications", "rediscovery", "isometric",
             "efficientnets", "systematization", "zebrafish", "tokamak", "exoplanet",
             "beekeeping", "pottery", "glacier", "coral", "seismology", "ramanujan",
             "noether", "kovalevskaya", "mirzakhani", "hypatia", "unanswered", "vectorial",
             "orientations", "circumventing", "gaussians", "quaternion", "photosynthesis",
             "blockchain", "spectrogram", "lidar", "xylophone", "neuromorphic", "origami",
             "wavelet", "tsunami"],
    "common": ["learning", "model", "models", "neural", "network", "networks", "data",
               "training", "performance", "method", "results", "deep", "language", "large",
               "function", "propose", "approach", "show", "tasks", "distribution", "algorithm",
               "framework", "problem", "space", "graph", "representation", "generalization",
               "optimization", "inference", "the"],
    "and": ["learning model", "neural data", "graph representation", "language reasoning",
            "diffusion score", "deep optimization", "training performance", "protein structure",
            "equivariant networks", "adversarial robustness", "kernel regression",
            "attention transformer", "sparse model", "graph neural", "loss function",
            "activation functions", "canonical correlation", "domain translation",
            "self-supervised learning", "bayesian inference", "learning zebrafish",
            "tokamak control", "model exoplanet", "stochastic gradient", "reinforcement policy",
            "image generation", "language models reasoning", "neural network training",
            "data distribution shift", "contrastive representation"],
    "phrase": ['"neural networks"', '"language models"', '"large language models"',
               '"deep learning"', '"machine learning"', '"in this paper"', '"state of the art"',
               '"loss function"', '"activation functions"', '"score matching"',
               '"graph neural networks"', '"reinforcement learning"', '"diffusion models"',
               '"representation learning"', '"we propose"', '"gradient descent"',
               '"domain adaptation"', '"neural network"', '"to the best of our knowledge"',
               '"learning model"', '"data model"', '"medical imaging"', '"time series"',
               '"canonical correlation analysis"', '"pretrained models"',
               '"zebrafish behaviour"', '"training data"', '"self-supervised"',
               '"experimental results"', '"neural models learning"'],
    "or": ["diffusion OR flow", "protein OR molecule", "graph OR network", "vision OR image",
           "speech OR audio", "tokamak OR zebrafish", "kernel OR gaussian",
           "transformer OR attention", "robot OR robotics", "(causal OR causality) inference",
           "(sparse OR pruning) model", "legendretron OR groupnorm", "bandit OR regret",
           "federated OR privacy", "climate OR weather", '"score matching" OR "energy-based"',
           "reasoning OR planning", "segmentation OR detection", "quantum OR physics",
           "learning OR model"],
    "not": ["diffusion -video", "learning -neural", "transformer -language", "graph -neural",
            "model -learning", "networks -deep", "kernel -neural", "data -training",
            "optimization -convex", "language -models", "protein -structure",
            "representation -graph", "learning -the", "neural NOT networks",
            "(vision OR image) -generation"],
    "field": ["author:chen", "author:hinton", 'author:"Wei Zhang"', "author:ramanujan",
              "author:noether learning", "cat:cs.LG", "cat:q-bio.BM", "cat:cs.CV learning",
              "cat:astro-ph.IM", "cat:econ.EM model", "title:diffusion", "title:learning",
              'title:"neural networks"', "title:tokamak", "title:graphs author:wang",
              "source:arxiv", "author:pearl cat:stat.ML", "author:王宇航", "title:zebrafish -coral",
              "cat:quant-ph (kernel OR gaussian)"],
    "chinese": ["冷冻电镜", "电镜", "神经网络", "网络", "扩散模型", "模型", "强化学习", "学习",
                "动力学", "蛋白质", "注意力", "语言模型", "量子", "颗粒", "气象"],
}
# The queries also answered by a full scan (no cat:/source: fields: the scan reads only
# title, abstract and authors, as arxiv-sanity-lite does).
SCAN_QUERIES = ["legendretron", "learning", "neural data", '"neural networks"',
                "diffusion OR flow", "diffusion -video", "author:hinton", "冷冻电镜",
                '"large language models"', "tokamak"]

def time_searches(store: Store, rounds: int) -> dict[str, object]:
    """Every query of the mix: one warm-up pass, then `rounds` timed passes."""
    mix = [(kind, text) for kind, texts in QUERIES.items() for text in texts]
    assert len(mix) == 200, len(mix)
    parsed = [(kind, text, parse_query(text)) for kind, text in mix]
    hits: dict[str, int] = {}
    for _, text, query in parsed:
        hits[text] = len(store.search(query, limit=10))
    samples: list[float] = []
    worst: dict[str, float] = {}
    by_kind: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    for _ in range(rounds):
        for kind, text, query in parsed:
            began = time.perf_counter()
            store.search(query, limit=10)
            ms = (time.perf_counter() - began) * 1000
            samples.append(ms)
            by_kind[kind].append(ms)
            worst[text] = max(worst.get(text, 0.0), ms)
    slowest = max(worst, key=worst.__getitem__)
    return {"samples": samples, "worst_query": slowest, "worst_ms": worst[slowest],
            "by_kind": {k: {"p50": pct(v, 50), "max": max(v)} for k, v in by_kind.items()},
            "empty": sorted(t for t, n in hits.items() if n == 0),
            "worst_per_query": worst}


def scan_matches(query: Query, hay: str, authors: str) -> bool:
    """The baseline's matcher: lower-cased substring tests over the stored text."""
    if isinstance(query, Term):
        text = query.text.lower()
        return text in (authors if query.field == "author" else hay)
    if isinstance(query, And):
        return all(scan_matches(child, hay, authors) for child in query.children)
    if isinstance(query, Or):
        return any(scan_matches(child, hay, authors) for child in query.children)
    if isinstance(query, Not):
        return not scan_matches(query.child, hay, authors)
    raise TypeError(query)


def time_scans(store: Store) -> list[float]:
    """Each scan query against every stored paper, streamed, as arxiv-sanity-lite does."""
    times = []
    for text in SCAN_QUERIES:
        query = parse_query(text)
        began = time.perf_counter()
        found = []
        for title, abstract, authors in store.db.conn.execute(
                "SELECT title, abstract, authors FROM papers"):
            hay = f"{title}\n{abstract}".lower()
            if scan_matches(query, hay, authors.lower()):
                found.append(title)
        times.append((time.perf_counter() - began) * 1000)
        log(f"scan {text!r}: {len(found):,} matches in {times[-1]:,.0f} ms")
    return times


def pct(values: list[float], p: float) -> float:
    """Nearest rank (round half to even at exact ranks); not load_setup.percentile, which
    takes the lower rank there, so that figures stay comparable with earlier runs."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]

