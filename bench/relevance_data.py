"""The relevance bench's world: the real arXiv listings of ../shared/corpus/arxiv-metadata
day by day, the 10 simulated channels of issue 16 (a category each, the hidden truth, and
the OR query a member would type), and each day's keyword matches through lectern's own
query language and matcher."""

from __future__ import annotations

import json
import lzma
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench.common import ROOT
from bot.matching import MatchDoc, Topic, compile_topic
from bot.models import Paper
from bot.relevance import Vectors
from bot.topics import parse_query

CORPUS = ROOT.parent / "shared" / "corpus" / "arxiv-metadata" / "papers.jsonl.xz"
# Issue 16's channels: category -> the words of the issue as a member would type them,
# an OR query; names of several words ("black hole", "gamma-ray burst", "dark energy",
# "cosmic microwave background", "protoplanetary disk", "gravitational waves", "general
# relativity", "user study", "gaussian splatting") as "phrases", the way the query
# language asks for a name (`WORDS` below is the word-by-word alternative, for comparison).
PHRASES = {
    "cs.RO": "robot OR robotic OR manipulation OR navigation",
    "cs.IR": "recommendation OR retrieval OR search OR ranking",
    "cs.CR": "security OR attack OR privacy OR adversarial OR jailbreak",
    "cs.HC": '"user study" OR interaction OR interface OR participants',
    "cs.SD": "audio OR speech OR music OR sound",
    "cs.GR": 'rendering OR mesh OR 3D OR "gaussian splatting"',
    "astro-ph.HE": '"neutron star" OR "black hole" OR "gamma-ray burst"',
    "astro-ph.EP": 'exoplanet OR planet OR "protoplanetary disk"',
    "astro-ph.CO": 'cosmology OR "dark energy" OR "cosmic microwave background"',
    "gr-qc": '"gravitational waves" OR "general relativity"',
}
WORDS = {cat: " OR ".join(query.replace('"', "").replace(" OR ", " ").split())
         for cat, query in PHRASES.items()}
WEEKS = 8


@dataclass
class Day:
    """One listing day: its papers in listing order, and each channel's matches (ids, in
    that order, as they were ingested) with the words that matched each."""

    when: date
    papers: list[Paper]
    matched: dict[str, list[str]] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)  # "cat id" -> the words that matched
    # The day's batch read once for every channel (as the bot does), and how long that
    # took: filled by the first channel to score the day (bench/relevance_replay.py).
    read: tuple[Vectors, float] | None = None


@dataclass
class World:
    days: list[Day]  # the replayed days, oldest first
    truth: dict[str, set[str]]  # category -> ids of the papers that have it (any position)
    start: date


def _paper(row: dict) -> Paper:
    return Paper(id=f"arxiv:{row['id']}", title=row["title"], source="arxiv",
                 abstract=row.get("abstract") or "", authors=list(row.get("authors") or []),
                 categories=list(row.get("categories") or []),
                 listed_on=date.fromisoformat(row["date"]))


def read_listings(path: Path, first: date, last: date) -> dict[date, list[Paper]]:
    """The papers listed from `first` to `last`, by day, in the file's order."""
    days: dict[date, list[Paper]] = {}
    with lzma.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            when = date.fromisoformat(row["date"])
            if first <= when <= last:
                days.setdefault(when, []).append(_paper(row))
    return dict(sorted(days.items()))


def last_day(path: Path) -> date:
    with lzma.open(path, "rt", encoding="utf-8") as lines:
        return max(date.fromisoformat(json.loads(line)["date"]) for line in lines)


def build_world(path: Path, end: date, categories: list[str], *, weeks: int = WEEKS,
                words: bool = False) -> World:
    """The `weeks` weeks ending on `end` (inclusive), matched for each channel."""
    start = end - timedelta(days=7 * weeks - 1)
    listings = read_listings(path, start, end)
    queries = WORDS if words else PHRASES
    topics: dict[str, Topic] = {cat: compile_topic(parse_query(queries[cat]))
                                for cat in categories}
    truth: dict[str, set[str]] = {cat: set() for cat in categories}
    days = []
    for when, papers in listings.items():
        day = Day(when, papers, {cat: [] for cat in categories})
        for paper in papers:
            doc = MatchDoc.from_paper(paper)
            for cat, topic in topics.items():
                if (words := topic.match(doc)) is not None:
                    day.matched[cat].append(paper.id)
                    day.words[f"{cat} {paper.id}"] = ", ".join(words)  # as planned
                if cat in paper.categories:
                    truth[cat].add(paper.id)
        days.append(day)
    return World(days, truth, start)
