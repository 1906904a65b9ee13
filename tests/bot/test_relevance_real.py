"""bot.relevance on real papers (../shared/corpus/arxiv-metadata, skipped where absent): a
model learns a category from twenty liked papers, and bench/relevance.py runs."""

from __future__ import annotations

import itertools
import json
import lzma
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.matching import MatchDoc, compile_topic
from bot.models import Paper
from bot.relevance import TrainingSet, choose, train
from bot.topics import parse_query
from tests.conftest import shared_file


def _arxiv_days(lines: int) -> list[list[Paper]]:
    """The first `lines` papers of the corpus (its first daily listings), by day."""
    path = shared_file("corpus", "arxiv-metadata", "papers.jsonl.xz")
    days: dict[str, list[Paper]] = {}
    with lzma.open(path, "rt", encoding="utf-8") as rows:
        for line in itertools.islice(rows, lines):
            row = json.loads(line)
            days.setdefault(row["date"], []).append(Paper(
                id=f"arxiv:{row['id']}", title=row["title"], source="arxiv",
                abstract=row["abstract"], authors=row["authors"], categories=row["categories"]))
    return list(days.values())


@pytest.fixture(scope="module")
def arxiv_days() -> list[list[Paper]]:
    return _arxiv_days(3_000)


@pytest.mark.parametrize(("category", "query"), [
    ("cs.RO", "robot OR robotic OR manipulation OR navigation"),
    ("cs.GR", 'rendering OR mesh OR 3D OR "gaussian splatting"'),
    ("cs.IR", "recommendation OR retrieval OR search OR ranking"),
])
def test_twenty_liked_papers_of_a_real_category_beat_the_keywords(
        arxiv_days: list[list[Paper]], category: str, query: str) -> None:
    """On real listings (the corpus's first 12 days): liked = the first 20 papers of the
    category, unseen = the rest of the first 10 days. Over the last 3 days, the model's
    daily top 10 hold more of the category than the first 10 matches of a keyword
    subscription, and the matches ranked by the model at least as many. The model does
    not see categories, as in the bench."""
    past = [p for day in arxiv_days[:-3] for p in day]
    liked = [p for p in past if category in p.categories][:20]
    unseen = [p for p in past if p not in liked]
    model = train(TrainingSet([(p, 1) for p in liked], [], [], unseen), use_categories=False)
    assert model is not None and model.n_liked == 20
    topic = compile_topic(parse_query(query))
    keyword = ranked = reranked = 0
    for day in arxiv_days[-3:]:
        on_topic = {p.id for p in day if category in p.categories}
        matches = [p.id for p in day if topic.match(MatchDoc.from_paper(p)) is not None]
        scores = dict(zip([p.id for p in day], model.scores(day), strict=True))
        keyword += len(on_topic.intersection(matches[:10]))
        ranked += len(on_topic.intersection(sorted(scores, key=lambda i: -scores[i])[:10]))
        reranked += len(on_topic.intersection(choose(matches, scores, per_day=0, size=10)))
    assert ranked > keyword
    assert reranked >= keyword


@pytest.mark.slow
def test_the_bench_runs_quick() -> None:
    """bench/relevance.py --quick (2 channels, 1 week of the real listings) ends with the
    JSON line of issue 16's figures."""
    shared_file("corpus", "arxiv-metadata", "papers.jsonl.xz")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(root / "bench" / "relevance.py"), "--quick",
                           "--json"], capture_output=True, text=True, check=True, timeout=300)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("keyword_p10_4w", "model_p10_4w", "combined_p10_4w"):
        assert 0 <= figures[key] <= 1
    assert figures["combined_over_keyword_min_8w"] > 0
    assert 0 < figures["train_s_max"] < 10 and 0 < figures["score_ms_max"] < 5_000
    assert 0 < figures["read_ms_max"] < 5_000 and figures["alone_ms_max"] >= figures["read_ms_max"]
    assert 0 < figures["model_mb_max"] < 50


@pytest.mark.slow
def test_the_ceiling_bench_runs() -> None:
    """bench/relevance_ceiling.py on two weeks (one to learn from, one to pick from) ends
    with a JSON line: each channel's keyword and model P@10, and the means."""
    shared_file("corpus", "arxiv-metadata", "papers.jsonl.xz")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(root / "bench" / "relevance_ceiling.py"),
                           "--weeks", "2", "--positives", "5,all", "--json"],
                          capture_output=True, text=True, check=True, timeout=300)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures["mean"]) == {"keyword", "5", "all"}
    assert len(figures["channels"]) == 10
    for row in figures["channels"].values():
        assert all(0 <= row[key] <= 1 for key in ("keyword", "5", "all"))
        assert row["positives_available"] > 0


@pytest.mark.slow
def test_the_ceiling_bench_reads_stored_sentence_vectors(tmp_path) -> None:
    """--features both puts bench/embed_papers.py's vectors beside the words (here random
    ones of the right shape, for every paper of the two weeks: the plumbing, not the
    model); --features vectors without --vectors is a one-line usage error."""
    import numpy as np

    from bench.embed_papers import listed
    from bench.relevance_data import CORPUS, last_day

    shared_file("corpus", "arxiv-metadata", "papers.jsonl.xz")
    end = last_day(CORPUS)
    ids, _ = listed(end - timedelta(days=13), end)
    vectors = np.random.default_rng(0).normal(size=(len(ids), 384)).astype(np.float16)
    np.savez(tmp_path / "v.npz", ids=np.array(ids), vecs=vectors)
    script = str(Path(__file__).resolve().parents[2] / "bench" / "relevance_ceiling.py")
    done = subprocess.run([sys.executable, script, "--weeks", "2", "--positives", "5",
                           "--features", "both", "--vectors", str(tmp_path / "v.npz"),
                           "--json"], capture_output=True, text=True, check=True, timeout=300)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["features"] == "both" and len(figures["channels"]) == 10
    refused = subprocess.run([sys.executable, script, "--features", "vectors"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "needs --vectors" in refused.stderr
