"""Paper store benchmark: bulk ingest, a fixed search mix, and a Python full scan as baseline.

    python bench/papers.py --papers 1000000 [--corpus PATH] [--db PATH --keep] [--json]

Builds that many distinct papers by recombining real titles and abstracts (deterministic,
generated lazily), stores them through `Store.upsert_papers` in chunks, stores one daily
batch on top, then times a fixed mix of 200 searches and, for 10 of them, a scan over every
stored paper in Python (the way arxiv-sanity-lite searches). Progress goes to stderr; with
`--json` stdout holds exactly one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.models import And, Not, Or, Paper, Query, Term  # noqa: E402
from bot.topics import parse_query  # noqa: E402
from storage.store import Store  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds" / "paper-abstracts.txt"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BACKFILL_FROM = datetime(2015, 1, 1, tzinfo=UTC)
BACKFILL_TO = datetime(2026, 11, 21, tzinfo=UTC)
DAILY = datetime(2026, 11, 22, tzinfo=UTC)

CATEGORIES = ["cs.LG", "cs.CV", "cs.CL", "cs.AI", "stat.ML", "cs.NE", "cs.RO", "cs.IR",
              "cs.CR", "cs.DS", "cs.SD", "eess.IV", "eess.SP", "eess.AS", "math.OC",
              "math.ST", "q-bio.BM", "q-bio.NC", "q-bio.QM", "physics.comp-ph",
              "physics.chem-ph", "cond-mat.dis-nn", "quant-ph", "astro-ph.IM", "econ.EM"]
FIRST = ["Ada", "Alan", "Grace", "Omar", "Lena", "Mateo", "Priya", "Kofi", "Ingrid", "Yusuf",
         "Sofia", "Tomas", "Amara", "Noah", "Elif", "Ravi", "Hana", "Lucas", "Zara", "Ivan",
         "Wei", "Mei", "Yuhang", "Jing", "Hao", "Xin", "Li", "Jun", "Yan", "Qiang", "Ming",
         "Tao", "Lei", "Fang", "Min", "Hui", "Kenji", "Yuki", "Ji-woo", "Minh"]
LAST = ["Lovelace", "Turing", "Hopper", "Haddad", "Fischer", "Garcia", "Sharma", "Mensah",
        "Larsen", "Demir", "Rossi", "Novak", "Okafor", "Smith", "Yilmaz", "Iyer", "Sato",
        "Martin", "Khan", "Petrov", "Chen", "Wang", "Zhang", "Li", "Liu", "Yang", "Huang",
        "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "Tanaka", "Kim", "Park",
        "Nguyen", "Hinton", "Bengio", "Schmidhuber", "Vapnik", "Jordan", "Ng", "Pearl"]
# A few names that are rare on purpose (about 1 paper in 20,000 has one).
RARE_AUTHORS = ["Srinivasa Ramanujan", "Emmy Noether", "Sofia Kovalevskaya", "Kurt Godel",
                "Hypatia Alexandria", "Maryam Mirzakhani", "Shiing-Shen Chern"]
# Title endings, common ones first; the tail makes a spread of rare title words.
DOMAINS = ["Vision", "Language", "Graphs", "Robotics", "Speech", "Proteins", "Molecules",
           "Time Series", "Recommendation", "Healthcare", "Climate", "Finance",
           "Autonomous Driving", "Medical Imaging", "Materials Discovery", "Code Generation",
           "Single-Cell Genomics", "Cryo-EM Reconstruction", "Weather Forecasting",
           "Particle Physics", "Neuroscience", "Tabular Data", "Point Clouds", "Satellite Imagery",
           "Drug Design", "Music", "Legal Documents", "Education", "Agriculture", "Astronomy",
           "Seismology", "Zebrafish Behaviour", "Tokamak Plasma Control", "Coral Reef Monitoring",
           "Glacier Dynamics", "Exoplanet Transits", "Beekeeping", "Archaeological Pottery"]
CONNECTORS = [" for ", " in ", " with Applications to ", ": A Case Study in "]
PREFIXES = ["Scalable", "Robust", "Efficient", "Provable", "Sparse", "Adaptive", "Bayesian",
            "Federated", "Causal", "Contrastive", "Hierarchical", "Differentiable", "Online",
            "Multimodal", "Lightweight", "Interpretable", "Distributed", "Unsupervised",
            "Self-Supervised", "Few-Shot", "Zero-Shot", "Continual", "Private", "Fair",
            "Quantized", "Equivariant", "Stochastic", "Implicit", "Generative", "Neural",
            "Probabilistic", "Geometric", "Structured", "Universal", "Certified", "Fast",
            "Accelerated", "Decentralized", "Energy-Efficient", "Uncertainty-Aware"]
ZH_PHRASES = ["冷冻电镜", "神经网络", "分子动力学", "扩散模型", "强化学习", "深度学习",
              "大语言模型", "图神经网络", "蛋白质结构预测", "注意力机制", "自监督学习",
              "计算机视觉", "自然语言处理", "生成模型", "知识蒸馏", "联邦学习", "因果推断",
              "贝叶斯优化", "单颗粒分析", "量子计算", "医学图像分割", "对比学习", "多模态融合",
              "时间序列预测", "推荐系统", "语音识别", "机器翻译", "优化算法", "材料设计",
              "气象预报"]
ZH_TITLES = ["基于{a}的{b}方法", "{a}在{b}中的应用", "面向{b}的{a}研究", "{a}与{b}综述",
             "一种结合{a}和{b}的新框架"]
ZH_SENTENCES = ["本文提出一种结合{a}与{b}的新方法。", "我们在{a}任务上验证了{b}的有效性。",
                "实验表明，该方法在{a}基准上优于现有的{b}方法。", "{a}近年来受到广泛关注。",
                "我们分析了{a}的理论性质，并讨论了{b}的局限。",
                "代码与数据将公开发布，以促进{a}研究。"]
ZH_AUTHORS = ["王宇航", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴晓明"]
CHINESE_SHARE = 0.015

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


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Corpus:
    """Distinct papers recombined from seed titles and abstracts; deterministic, lazy."""

    def __init__(self, path: Path, seed: int = 20261123) -> None:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines[2:] if line]  # two junk header lines
        titles, abstracts = lines[0::2], lines[1::2]
        titles[0] = re.sub(r"^Subscribe(?=[A-Z])", "", titles[0])
        self.heads, self.tails = zip(*(self._halves(t) for t in titles), strict=True)
        self.sentences = [s for a in abstracts for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", a)]
        self.seed = seed

    @staticmethod
    def _halves(title: str) -> tuple[str, str]:
        if ": " in title:
            head, tail = title.split(": ", 1)
            return head + ":", tail
        words = title.split()
        cut = max(1, len(words) // 2)
        return " ".join(words[:cut]), " ".join(words[cut:]) or "Revisited"

    def papers(self, count: int, start: datetime, end: datetime, *, first_number: int = 1,
               salt: int = 0) -> Iterator[Paper]:
        """`count` papers published from `start` to `end`, oldest first, ids per month."""
        rng = random.Random(self.seed * 1_000_003 + salt)
        step = (end - start) / max(1, count)
        month, number = "", first_number
        for n in range(count):
            published = (start + step * n).replace(second=0, microsecond=0)
            yymm = published.strftime("%y%m")
            if yymm != month:
                month, number = yymm, first_number
            arxiv_id = f"{yymm}.{number:05d}"
            number += 1
            yield self._paper(rng, arxiv_id, published)

    def _paper(self, rng: random.Random, arxiv_id: str, published: datetime) -> Paper:
        if rng.random() < CHINESE_SHARE:
            a, b = rng.sample(ZH_PHRASES, 2)
            title = rng.choice(ZH_TITLES).format(a=a, b=b)
            abstract = "".join(rng.choice(ZH_SENTENCES).format(a=rng.choice(ZH_PHRASES),
                                                               b=rng.choice(ZH_PHRASES))
                               for _ in range(rng.randint(3, 6)))
            authors = rng.sample(ZH_AUTHORS, rng.randint(1, 4))
        else:
            title = f"{rng.choice(self.heads)} {rng.choice(self.tails)}"
            if rng.random() < 0.7:
                title = f"{rng.choice(PREFIXES)} {title}"
            if rng.random() < 0.6:
                index = min(int(rng.expovariate(0.18)), len(DOMAINS) - 1)
                title += rng.choice(CONNECTORS) + DOMAINS[index]
            abstract = " ".join(rng.sample(self.sentences, rng.randint(4, 9)))
            authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                       for _ in range(rng.randint(1, 8))]
            if rng.random() < 0.00005:
                authors.append(rng.choice(RARE_AUTHORS))
        categories = [rng.choice(CATEGORIES[:6]) if rng.random() < 0.7
                      else rng.choice(CATEGORIES)]
        categories += rng.sample(CATEGORIES, rng.randint(0, 2))
        return Paper(id=f"arxiv:{arxiv_id}", title=title, source="arxiv",
                     url=f"https://arxiv.org/abs/{arxiv_id}", abstract=abstract,
                     authors=authors, categories=categories, published=published,
                     updated=published, arxiv_id=arxiv_id, version=1, announce_type="new",
                     pdf_url=f"https://arxiv.org/pdf/{arxiv_id}v1")


def ingest(store: Store, corpus: Corpus, count: int, chunk: int) -> dict[str, float]:
    """Store the backfill in chunks; time only the store (generation is reported apart).

    Besides wall time, count the process's CPU time in the store: on a shared machine it
    says what the code costs when other work does not take the core away.
    """
    papers = corpus.papers(count, BACKFILL_FROM, BACKFILL_TO)
    stored, store_s, cpu_s, generate_s, slowest = 0, 0.0, 0.0, 0.0, 0.0
    started = time.perf_counter()
    while True:
        batch_started = time.perf_counter()
        batch = list(itertools.islice(papers, chunk))
        if not batch:
            break
        generate_s += time.perf_counter() - batch_started
        began, cpu_began = time.perf_counter(), time.process_time()
        result = store.upsert_papers(batch, NOW)
        elapsed = time.perf_counter() - began
        store_s, cpu_s = store_s + elapsed, cpu_s + time.process_time() - cpu_began
        slowest = max(slowest, elapsed)
        stored += len(result.new)
        log(f"ingest {stored:,}/{count:,} papers, {stored / store_s:,.0f} papers/s through "
            f"the store (this chunk {len(batch) / elapsed:,.0f}/s), "
            f"{time.perf_counter() - started:,.0f} s elapsed")
    if stored != count:
        raise SystemExit(f"expected {count} new papers, the store reported {stored}")
    return {"ingest_s": store_s, "cpu_s": cpu_s, "generate_s": generate_s,
            "slowest_chunk_s": slowest}


def daily_batch(store: Store, corpus: Corpus, count: int = 2_000) -> float:
    """One day's new papers into the full database (ids past any backfill number)."""
    batch = list(corpus.papers(count, DAILY, DAILY + timedelta(hours=20),
                               first_number=90_000, salt=1))
    began = time.perf_counter()
    result = store.upsert_papers(batch, NOW)
    elapsed = time.perf_counter() - began
    assert len(result.new) == count, result.counts()
    return elapsed


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
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def db_megabytes(path: Path) -> float:
    files = [path, path.with_name(path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def run(args: argparse.Namespace, path: Path) -> dict[str, object]:
    load_start = os.getloadavg()[0]
    corpus = Corpus(args.corpus)
    store = Store.open(path)
    try:
        timing = ingest(store, corpus, args.papers, args.chunk)
        daily_s = daily_batch(store, corpus)
        log(f"daily batch of 2,000 papers stored in {daily_s:.2f} s")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        searches = time_searches(store, args.rounds)
        scans = time_scans(store)
    finally:
        store.close()
    samples = searches.pop("samples")
    search_p50, scan_p50 = pct(samples, 50), statistics.median(scans)
    same = [searches["worst_per_query"][q] for q in SCAN_QUERIES]
    return {
        "papers": args.papers,
        "ingest_papers_per_s": round(args.papers / timing["ingest_s"]),
        "db_mb": round(db_megabytes(path), 1),
        "search_p50_ms": round(search_p50, 2),
        "search_p99_ms": round(pct(samples, 99), 2),
        "scan_p50_ms": round(scan_p50, 1),
        "speedup_vs_scan": round(scan_p50 / search_p50, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "daily_batch_s": round(daily_s, 3),
        "ingest_cpu_papers_per_s": round(args.papers / timing["cpu_s"]),
        "ingest_slowest_chunk_s": round(timing["slowest_chunk_s"], 1),
        "ingest_s": round(timing["ingest_s"], 1),
        "generate_s": round(timing["generate_s"], 1),
        "search_max_ms": round(searches["worst_ms"], 2),
        "search_worst_query": searches["worst_query"],
        "scan_queries_search_max_ms": round(max(same), 2),
        "search_by_class": {k: {m: round(v, 2) for m, v in d.items()}
                            for k, d in searches["by_kind"].items()},
        "queries_without_hits": searches["empty"],
        "load_avg_1m_start_end": [round(load_start, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=SEEDS,
                        help="seed file: two header lines, then title / abstract lines")
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--chunk", type=int, default=20_000, help="papers per upsert call")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the mix")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not 1 <= args.papers <= 10_000_000:
        raise SystemExit("--papers: from 1 to 10,000,000 (ids are YYMM.NNNNN per month)")
    if args.db and args.db.exists():
        raise SystemExit(f"{args.db} exists: the benchmark builds a fresh database")
    path = args.db or Path(tempfile.mkdtemp(prefix="lectern-bench-")) / "papers.db"
    try:
        figures = run(args, path)
    finally:
        if args.keep:
            log(f"kept {path}")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            if not args.db:
                path.parent.rmdir()
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
