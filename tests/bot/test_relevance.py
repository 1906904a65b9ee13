"""bot.relevance: a channel's model trains, scores, explains, survives a round trip through
bytes (and refuses anything else), and chooses a day's list; on made-up papers (real ones:
tests/bot/test_relevance_real.py)."""

from __future__ import annotations

import io
import json
import pickle
import time

import numpy as np
import pytest

from bot.models import Paper
from bot.relevance import Model, TrainingSet, choose, learn, similar, train, vectorize
from bot.relevance import blob as blobs

TOPICS = {
    "proteins": "protein folding structure amino acid residues binding enzyme",
    "galaxies": "galaxy cluster redshift halo stellar mass survey quasar",
    "speech": "speech recognition acoustic speaker audio waveform phoneme",
}


def paper(n: int, topic: str, *, authors: tuple[str, ...] = ()) -> Paper:
    words = TOPICS[topic].split()
    # Each paper: its topic's words in a varying order, and a word of its own.
    text = " ".join(words[(n + i) % len(words)] for i in range(6))
    return Paper(id=f"arxiv:{topic}.{n}", title=f"{topic} study {n} {words[n % len(words)]}",
                 source="arxiv", abstract=f"{text} unique{topic}{n}.",
                 authors=list(authors) or [f"Author {topic.title()}{n % 3}"],
                 categories=[f"x.{topic}"])


def small_set(n_liked: int = 8) -> TrainingSet:
    liked = [(paper(i, "proteins"), 1 + i % 3) for i in range(n_liked)]
    disliked = [paper(i, "speech") for i in range(6)]
    matched = [paper(100 + i, "proteins") for i in range(4)]
    unseen = [paper(200 + i, t) for i in range(30) for t in ("galaxies", "speech")]
    return TrainingSet(liked, disliked, matched, unseen)


@pytest.fixture(scope="module")
def model() -> Model:
    trained = train(small_set(), seed=1)
    assert trained is not None
    return trained


def test_it_scores_the_liked_topic_highest(model: Model) -> None:
    new = [paper(500, "speech"), paper(501, "proteins"), paper(502, "galaxies")]
    scores = model.scores(new)
    assert scores[1] == max(scores)
    assert (model.n_liked, model.n_disliked) == (8, 6)


def test_scores_do_not_depend_on_the_company(model: Model) -> None:
    one, other = paper(600, "proteins"), paper(601, "galaxies")
    assert model.scores([one])[0] == pytest.approx(model.scores([other, one])[1], abs=1e-6)
    assert model.scores([]) == []


def test_round_trip_gives_the_same_scores(model: Model) -> None:
    blob = model.to_bytes()
    again = Model.from_bytes(blob)
    papers = [paper(700 + i, t) for i, t in enumerate(TOPICS)]
    assert again.scores(papers) == model.scores(papers)
    assert (again.n_liked, again.n_disliked) == (model.n_liked, model.n_disliked)
    assert again.why(papers[1]) == model.why(papers[1])
    assert again.to_bytes() == blob


def test_the_model_is_small(model: Model) -> None:
    assert len(model.to_bytes()) < 1_000_000


def _repacked(blob: bytes, change) -> bytes:
    """`blob` with its meta or arrays changed by `change(meta, arrays)`, packed again."""
    with np.load(io.BytesIO(blob[len(blobs.MAGIC):]), allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    meta = json.loads(arrays.pop("meta").tobytes())
    change(meta, arrays)
    out = io.BytesIO()
    np.savez_compressed(out, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                        **arrays)
    return blobs.MAGIC + out.getvalue()


def test_repacking_unchanged_loads(model: Model) -> None:
    """(So that each malformed blob below fails for its own change.)"""
    again = Model.from_bytes(_repacked(model.to_bytes(), lambda m, a: None))
    assert again.scores([paper(1, "speech")]) == model.scores([paper(1, "speech")])


@pytest.mark.parametrize("make", [
    lambda b: b"",
    lambda b: b"not a model at all",
    lambda b: b[:len(b) // 2],
    lambda b: blobs.MAGIC + b"PK\x03\x04 broken zip",
    lambda b: b.replace(blobs.MAGIC, b"lectern-relevanca\n"),
    lambda b: _repacked(b, lambda m, a: m.update(version=2)),
    lambda b: _repacked(b, lambda m, a: m.pop("liked_ids")),
    lambda b: _repacked(b, lambda m, a: m.update(liked_ids="arxiv:1")),
    lambda b: _repacked(b, lambda m, a: a.update(coef=a["coef"][:-1])),
    lambda b: _repacked(b, lambda m, a: a.update(coef=a["coef"].astype(np.int32))),
    lambda b: _repacked(b, lambda m, a: a.update(extra=np.zeros(3))),
    lambda b: _repacked(b, lambda m, a: a.update(liked_indices=a["liked_indices"] + 10**7)),
    lambda b: _repacked(b, lambda m, a: a.update(idf=-a["idf"])),
], ids=["empty", "text", "truncated", "broken-zip", "other-magic", "other-version",
        "no-ids", "ids-not-list", "short-coef", "int-coef", "extra-array", "bad-indices",
        "negative-idf"])
def test_malformed_blobs_raise_value_error(model: Model, make) -> None:
    with pytest.raises(ValueError):
        Model.from_bytes(make(model.to_bytes()))


LOADED: list[str] = []


def _record_load() -> str:
    LOADED.append("unpickled")
    return "boom"


class _Trap:
    def __reduce__(self):
        return (_record_load, ())


def test_a_pickle_is_never_loaded(model: Model) -> None:
    """An archive whose array holds pickled objects is refused without unpickling them."""
    out = io.BytesIO()
    np.savez(out, meta=np.frombuffer(b'{"version":1}', dtype=np.uint8),
             coef=np.array([_Trap()], dtype=object))
    for blob in (blobs.MAGIC + out.getvalue(), blobs.MAGIC + pickle.dumps(_Trap()),
                 pickle.dumps(_Trap())):
        with pytest.raises(ValueError):
            Model.from_bytes(blob)
    assert LOADED == []


def test_why_names_the_liked_paper_it_is_most_like(model: Model) -> None:
    liked = dict((p.id, n) for p, n in small_set().liked)
    answer = model.why(paper(4, "proteins"))  # the very paper liked as proteins.4
    assert answer == ("arxiv:proteins.4", liked["arxiv:proteins.4"])
    near = model.why(paper(900, "proteins"))
    assert near is not None and near[0] in liked and near[1] == liked[near[0]]
    far = Paper(id="arxiv:x", title="Zebrafish", source="arxiv", abstract="beekeeping hives")
    assert model.why(far) is None


def test_too_little_to_learn_from() -> None:
    empty = TrainingSet([], [], [], [paper(i, "speech") for i in range(20)])
    assert train(empty) is None
    no_negatives = TrainingSet([(paper(i, "proteins"), 1) for i in range(5)], [], [], [])
    assert train(no_negatives) is None
    too_few = TrainingSet([(paper(1, "proteins"), 2)], [], [paper(2, "proteins")],
                          [paper(i, "speech") for i in range(20)])
    assert train(too_few) is None
    weak_only = TrainingSet([], [], [paper(i, "proteins") for i in range(3)],
                            [paper(i, "speech") for i in range(20)])
    assert train(weak_only) is not None


def test_vectors_read_once_score_the_same(model: Model) -> None:
    papers = [paper(i, t) for i in range(3) for t in TOPICS]
    assert model.scores(vectorize(papers)) == model.scores(papers)
    with pytest.raises(ValueError):
        model.scores(vectorize(papers, use_categories=False))


def test_choose_without_a_model_is_the_keyword_list() -> None:
    matched = [f"m{i}" for i in range(14)]
    assert choose(matched, {}, per_day=3, size=10) == matched[:10]
    assert choose(matched[:4], {}, per_day=3, size=10) == matched[:4]


def test_choose_orders_by_interest_and_keeps_to_per_day_and_size() -> None:
    matched = ["m1", "m2", "m3"]
    scores = {"m1": 0.5, "m2": 2.0, "m3": -1.0, "o1": 3.0, "o2": 1.5, "o3": 1.2, "o4": 2.5,
              "low": -0.5}  # "low" is never recommended: its log-odds are below 0
    assert choose(matched, scores, per_day=2, size=10) == ["o1", "o4", "m2", "m1", "m3"]
    assert choose(matched, scores, per_day=3, size=10) == ["o1", "o4", "m2", "o2", "m1",
                                                          "m3"]
    assert choose(matched, scores, per_day=3, size=4) == ["o1", "o4", "m2", "o2"]
    assert choose(matched, scores, per_day=0, size=10) == ["m2", "m1", "m3"]
    assert choose(matched, scores, per_day=2, size=0) == []


def test_choose_recommends_only_what_the_model_leans_to() -> None:
    """A paper the keywords missed is added only with log-odds above 0 and above the
    median of the day's matches."""
    scores = {"m1": 2.0, "m2": -1.0, "m3": -0.5, "o1": 0.4, "o2": -0.2, "o3": 0.0}
    assert choose(["m1", "m2", "m3"], scores, per_day=5, size=10) == ["m1", "o1", "m3", "m2"]
    scores["m3"] = 0.5  # the median match now beats o1
    assert choose(["m1", "m2", "m3"], scores, per_day=5, size=10) == ["m1", "m3", "m2"]
    assert choose([], {"o1": 0.4, "o2": -0.2, "o3": 0.0}, per_day=5, size=10) == ["o1"]


def test_choose_keeps_lecterns_order_on_ties_and_unscored_matches_last() -> None:
    scores = {"a": 1.0, "b": 1.0, "c": 1.0}
    assert choose(["c", "a", "b", "new"], scores, per_day=1, size=10) == ["c", "a", "b", "new"]


def test_similar_finds_the_same_topic() -> None:
    papers = [paper(i, t) for i in range(5) for t in TOPICS]
    found = similar(papers, paper(2, "galaxies"), 4)
    assert len(found) == 4
    assert all(pid.startswith("arxiv:galaxies.") for pid, _ in found)
    assert "arxiv:galaxies.2" not in [pid for pid, _ in found]
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    assert similar(papers, paper(2, "galaxies"), 0) == []


def test_training_is_bounded_with_huge_inputs() -> None:
    def tiny(n: int, topic: str) -> Paper:
        return Paper(id=f"arxiv:{topic}.{n}", title=f"{topic} {n % 97}", source="arxiv",
                     abstract=TOPICS[topic])
    liked = [(tiny(i, "proteins"), 1) for i in range(5_000)]
    disliked = [tiny(i, "speech") for i in range(5_000)]
    matched = [tiny(10_000 + i, "proteins") for i in range(5_000)]
    unseen = [tiny(i, "galaxies") for i in range(200_000)]
    began = time.perf_counter()
    model = train(TrainingSet(liked, disliked, matched, unseen))
    assert time.perf_counter() - began < 5
    assert model is not None
    assert (model.n_liked, model.n_disliked) == (learn.MAX_LIKED, learn.MAX_DISLIKED)
    assert model.liked_ids[-1] == "arxiv:proteins.4999"  # the most recent are kept
