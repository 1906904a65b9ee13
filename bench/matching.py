"""Subscription matching benchmark: many topic queries against one big batch of new papers.

    python bench/matching.py [--subscriptions 10000] [--papers 5000] [--corpus PATH] [--json]

Builds subscriptions from the words and phrases of real abstracts (single words, two-word
ANDs, phrases, ORs, exclusions, author:/cat:/title: fields) and new papers by recombining
real titles and abstracts (seeded, deterministic), then times compiling the topics,
building a SubscriptionIndex and matching every paper, tokenising it included (the median
of --rounds passes, after 500 earlier papers were tokenised, as a running bot's would have
been). A sample of papers is also matched topic by topic, to check the index and to give
a baseline.
Progress goes to stderr; with `--json` stdout holds exactly one JSON object. Each
measurement is one function in MEASUREMENTS that adds its figures to that object.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import SEEDS, log, read_seeds, sentences  # noqa: E402
from bench.lateness import measure_reminder_lateness  # noqa: E402
from bot.fulltext import tokens  # noqa: E402
from bot.matchindex import SubscriptionIndex, token_frequencies  # noqa: E402
from bot.matching import MatchDoc, Topic, compile_topic  # noqa: E402
from bot.models import Paper  # noqa: E402
from bot.topics import parse_query  # noqa: E402

CATEGORIES = ["cs.LG", "cs.CV", "cs.CL", "cs.AI", "stat.ML", "cs.NE", "cs.RO", "cs.IR",
              "cs.CR", "eess.IV", "math.OC", "q-bio.BM", "q-bio.NC", "quant-ph", "econ.EM"]
FIRST = ["Ada", "Alan", "Grace", "Omar", "Lena", "Priya", "Kofi", "Ingrid", "Yusuf", "Sofia",
         "Wei", "Mei", "Jing", "Hao", "Xin", "Kenji", "Yuki", "Minh", "Ravi", "Elif"]
# Surnames: a few real ones and many made of syllables, so that a surname is on well under
# 1% of the papers (author: subscriptions follow particular people).
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "to", "vin", "ha", "dor", "el", "nu", "pa",
             "ri", "schu", "ber", "gal", "ov", "ez", "ang", "sen"]
LAST = ["Chen", "Wang", "Zhang", "Li", "Liu", "Hinton", "Bengio", "Müller", "Øksendal"] + [
    (a + b + c).capitalize() for a in SYLLABLES for b in SYLLABLES[::3] for c in SYLLABLES[::4]]
ZH = ["冷冻电镜", "神经网络", "扩散模型", "强化学习", "蛋白质结构预测", "图神经网络"]
STOP = set("""a an and are as at be by can for from has have in into is it its of on or our
such that the their these this to we which with while using use based via show how new
both more than also however not only been between each other over when where through""".split())
# Shares of the subscription mix. Real topics are specific ("tokamak", "canonical
# correlation"), so topic words and phrases (judged by their stems) are those in at most
# MAX_SHARE of the ~160 seed abstracts: by default in one only, the rarest there are. Each
# seed sentence recurs in ~25 of 5,000 recombined papers, so even such a word is in about
# 0.5% of them: a heavier load than a day of arXiv puts on a niche topic.
MIX = {"word": 0.30, "and": 0.20, "phrase": 0.20, "or": 0.10, "not": 0.10, "field": 0.10}
MAX_SHARE = 0.01


class Seeds:
    """Titles, abstract sentences, topic words and phrases of the seed file."""

    def __init__(self, path: Path, max_share: float = MAX_SHARE) -> None:
        self.titles, abstracts = read_seeds(path)
        self.sentences = sentences(abstracts)
        documents = [re.findall(r"[a-z][a-z-]+[a-z]", a.lower()) for a in abstracts]
        # Rarity is judged on stems, as matching sees words ("functionals" is "function").
        runs = [tokens(a) for a in abstracts]
        counts = collections.Counter(t for run in runs for t in set(run))
        counts.update(p for run in runs for p in set(zip(run, run[1:], strict=False)))
        limit = max_share * len(documents)

        def rare(text: str) -> bool:
            run = tokens(text)
            key = run[0] if len(run) == 1 else tuple(run)
            return (all(w not in STOP and len(w) > 3 for w in text.split())
                    and 1 <= counts[key] <= limit)
        self.words = sorted({w for words in documents for w in words if rare(w)})
        self.phrases = sorted({f"{a} {b}" for words in documents
                               for a, b in zip(words, words[1:], strict=False)
                               if rare(f"{a} {b}")})


def make_papers(seeds: Seeds, count: int, rng: random.Random) -> list[Paper]:
    papers = []
    for n in range(count):
        if rng.random() < 0.03:
            title = f"基于{rng.choice(ZH)}的{rng.choice(ZH)}研究"
            abstract = "。".join(f"本文研究{rng.choice(ZH)}与{rng.choice(ZH)}" for _ in range(4))
        else:
            head, tail = rng.sample(seeds.titles, 2)
            title = " ".join(head.split()[:4] + tail.split()[4:] or tail.split())
            abstract = " ".join(rng.sample(seeds.sentences, rng.randint(4, 9)))
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 8))]
        categories = rng.sample(CATEGORIES, rng.randint(1, 3))
        papers.append(Paper(id=f"arxiv:2611.{n:05d}", title=title, source="arxiv",
                            abstract=abstract, authors=authors, categories=categories))
    return papers


def make_queries(seeds: Seeds, count: int, rng: random.Random) -> list[str]:
    words, phrases = seeds.words, seeds.phrases
    makers: dict[str, Callable[[], str]] = {
        "word": lambda: rng.choice(words),
        "and": lambda: " ".join(rng.sample(words, 2)),
        "phrase": lambda: f'"{rng.choice(phrases)}"',
        "or": lambda: " OR ".join(rng.sample(words, rng.randint(2, 3))),
        "not": lambda: f"{rng.choice(words)} -{rng.choice(words)}",
        "field": lambda: rng.choice([
            f"author:{rng.choice(LAST)}", f'author:"{rng.choice(FIRST)} {rng.choice(LAST)}"',
            f"cat:{rng.choice(CATEGORIES)} {rng.choice(words)}", f"title:{rng.choice(words)}",
            f"author:{rng.choice(LAST)} {rng.choice(words)}"]),
    }
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=count)
    return [makers[kind]() for kind in kinds]


def measure_matching(args: argparse.Namespace) -> dict[str, object]:
    """Compile, index and match; check a sample against topic-by-topic matching."""
    rng = random.Random(args.seed)
    seeds = Seeds(args.corpus, args.max_share)
    queries = make_queries(seeds, args.subscriptions, rng)
    papers = make_papers(seeds, args.papers, rng)
    log(f"{len(queries):,} subscriptions ({len(set(queries)):,} distinct), "
        f"{len(papers):,} papers, {len(seeds.words):,} topic words, "
        f"{len(seeds.phrases):,} phrases")
    began = time.perf_counter()
    topics = [(n, compile_topic(parse_query(q))) for n, q in enumerate(queries)]
    compile_s = time.perf_counter() - began
    # The bot runs for days: it has seen earlier papers (its stem cache is warm) and can
    # count their tokens for the index (--keys frequencies).
    earlier = [MatchDoc.from_paper(p)
               for p in make_papers(seeds, 500, random.Random(args.seed + 1))]
    frequencies = token_frequencies(earlier) if args.keys == "frequencies" else None
    began = time.perf_counter()
    index = SubscriptionIndex(topics, frequencies=frequencies)
    index_s = time.perf_counter() - began
    log(f"compiled in {compile_s:.3f} s, indexed {index.topic_count:,} topics in {index_s:.3f} s")

    passes = [match_batch(index, papers) for _ in range(args.rounds)]
    passes.sort(key=lambda timing: timing[0] + timing[1])
    tokenise_s, lookup_s, matches = passes[len(passes) // 2]  # the median pass
    match_s = tokenise_s + lookup_s
    log(f"matched {len(papers):,} papers in {match_s:.3f} s ({matches:,} matches), "
        f"passes {', '.join(f'{t + m:.3f}' for t, m, _ in passes)} s")
    sample = [MatchDoc.from_paper(p) for p in papers[:: max(1, len(papers) // args.check)]]
    brute_s, candidates = check_sample(index, topics, sample)
    return {
        "subscriptions": len(queries),
        "papers": len(papers),
        "match_s": round(match_s, 3),
        "match_s_best": round(sum(passes[0][:2]), 3),
        "tokenise_s": round(tokenise_s, 3),
        "lookup_s": round(lookup_s, 3),
        "compile_s": round(compile_s, 3),
        "index_s": round(index_s, 3),
        "keys": args.keys,
        "distinct_topics": index.topic_count,
        "matches_per_paper": round(matches / len(papers), 1),
        "papers_per_subscription": round(matches / len(queries), 1),
        "candidates_per_paper": round(candidates, 1),
        "brute_force_s_per_batch": round(brute_s * len(papers) / len(sample), 1),
        "checked_papers": len(sample),
    }


def match_batch(index: SubscriptionIndex, papers: list[Paper]) -> tuple[float, float, int]:
    """One pass as the bot makes it: (tokenise seconds, index seconds, matches)."""
    tokenise_s = lookup_s = 0.0
    matches = 0
    for paper in papers:
        began = time.perf_counter()
        doc = MatchDoc.from_paper(paper)
        middle = time.perf_counter()
        matches += len(index.matching(doc))
        lookup_s += time.perf_counter() - middle
        tokenise_s += middle - began
    return tokenise_s, lookup_s, matches


def check_sample(index: SubscriptionIndex, topics: list[tuple[int, Topic]],
                 sample: list[MatchDoc]) -> tuple[float, float]:
    """Brute force over `sample` (seconds) and the mean number of candidate topics; exits
    if the index and brute force disagree on any paper."""
    began = time.perf_counter()
    expected = [[(n, tuple(t)) for n, topic in topics if (t := topic.match(doc)) is not None]
                for doc in sample]
    brute_s = time.perf_counter() - began
    for doc, want in zip(sample, expected, strict=True):
        if sorted(index.matching(doc)) != want:
            raise SystemExit(f"index and brute force disagree on {doc!r}")
    candidates = sum(len(index.candidates(doc)) for doc in sample) / max(1, len(sample))
    log(f"checked {len(sample)} papers against brute force ({brute_s:.2f} s)")
    return brute_s, candidates


# Each adds its figures to the one JSON object (e.g. a reminder lateness measurement).
MEASUREMENTS: list[Callable[[argparse.Namespace], dict[str, object]]] = [
    measure_matching, measure_reminder_lateness]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--papers", type=int, default=5_000)
    parser.add_argument("--corpus", type=Path, default=SEEDS,
                        help="seed file: two header lines, then title / abstract lines")
    parser.add_argument("--max-share", type=float, default=MAX_SHARE,
                        help="topic words are in at most this share of the seed abstracts")
    parser.add_argument("--keys", choices=["length", "frequencies"], default="length",
                        help="how the index picks a topic's keys (default: longest token)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="timed passes over the batch (the median is reported)")
    parser.add_argument("--check", type=int, default=100,
                        help="papers also matched by brute force, to check the index")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--reminders", type=int, default=30,
                        help="reminders falling due while `lectern run` runs")
    parser.add_argument("--spread", type=float, default=20.0,
                        help="seconds over which those reminders fall due")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus} is absent: pass --corpus with a seed file")
    figures: dict[str, object] = {}
    for measure in MEASUREMENTS:
        figures.update(measure(args))
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:26} {value}")


if __name__ == "__main__":
    main()
