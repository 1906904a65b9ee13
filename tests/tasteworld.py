"""Papers on two clearly different topics, for the taste tests: what a channel likes
(protein structure) and what it turns down (galaxy surveys). The words are those of real
abstracts in each field; only the plumbing is under test here, the model's quality is
measured on 108,854 real papers by bench/relevance.py and tests/bot/test_relevance.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.models import Paper

LIKED_WORDS = ["protein", "folding", "structure prediction", "residue contacts",
               "side-chain packing", "binding affinity", "enzyme design", "cryo-EM maps"]
OTHER_WORDS = ["galaxy", "cluster lensing", "redshift survey", "dark matter halos",
               "stellar populations", "quasar spectra", "cosmic shear", "supernova rates"]
SHARED = ["deep learning", "a benchmark", "we propose", "state of the art"]


def topic_paper(topic: str, n: int, day: datetime, *, source: str = "arxiv") -> Paper:
    """The n-th paper of a topic ("liked" or "other"), published on `day`."""
    words = LIKED_WORDS if topic == "liked" else OTHER_WORDS
    a, b, c = (words[(n + k) % len(words)] for k in (0, 3, 5))
    shared = SHARED[n % len(SHARED)]
    number = (0 if topic == "liked" else 50_000) + n
    arxiv = f"2611.{number:05d}"
    return Paper(id=f"arxiv:{arxiv}", title=f"{a.title()} with {b} and {shared}",
                 source=source, url=f"https://arxiv.org/abs/{arxiv}", arxiv_id=arxiv,
                 abstract=f"We study {a} and {c} using {shared}. Our {b} results improve "
                          f"on {c} baselines for {a}.",
                 authors=[f"Author {topic.title()} {n % 5}"], categories=["cs.LG"],
                 published=day + timedelta(minutes=n))


def mixed_day(day: datetime, start: int, count: int) -> list[Paper]:
    """`count` papers of each topic, interleaved, other topic first."""
    papers = []
    for n in range(start, start + count):
        papers += [topic_paper("other", n, day), topic_paper("liked", n, day)]
    return papers
