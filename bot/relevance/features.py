"""What the relevance model sees of a paper: the words of its title and abstract and tags
for its authors (and, when asked, its arXiv categories), hashed into a fixed space.

Hashing needs no vocabulary, so a day's papers are read once (`vectorize`) and every
channel's model scores the same vectors: reading the text is most of the cost of scoring.
A model keeps its own idf (fitted on what it was trained on) and weights over that space."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from bot.models import Paper

N_FEATURES = 2**19
# Lowercase ASCII words of two characters or more ("3d"; "x-ray" -> "ray"): a plainer
# pattern than scikit-learn's default, and about twice as fast on abstracts. Words only:
# word pairs too were measured (bench/relevance.py) no better, and 40% slower to read.
_WORDS = HashingVectorizer(token_pattern=r"[a-z0-9][a-z0-9]+", strip_accents="ascii",
                           stop_words="english").build_analyzer()
_NAME = re.compile(r"[a-z]+")
MAX_AUTHORS = 50


@functools.lru_cache(maxsize=65536)
def author_tag(name: str) -> str:
    """"Jane Q. Doe" and "J. Doe" are one tag, `a:doe_j`: last name and first initial."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    parts = _NAME.findall(folded) or name.lower().split()
    if not parts:
        return ""
    return f"a:{parts[-1]}_{parts[0][0]}" if len(parts) > 1 else f"a:{parts[0]}"


def _tokens(paper: Paper, use_categories: bool) -> list[str]:
    tokens = _WORDS(f"{paper.title}\n{paper.abstract or ''}")
    tokens += [author_tag(name) for name in paper.authors[:MAX_AUTHORS]]
    if use_categories:
        tokens += [f"c:{cat.lower()}" for cat in paper.categories]
    return tokens


def _with_categories(paper: Paper) -> list[str]:
    return _tokens(paper, True)


def _without_categories(paper: Paper) -> list[str]:
    return _tokens(paper, False)


def _hasher(use_categories: bool) -> HashingVectorizer:
    return HashingVectorizer(analyzer=_with_categories if use_categories else _without_categories,
                             n_features=N_FEATURES, alternate_sign=False, norm=None,
                             dtype=np.float32)


@dataclass(frozen=True)
class Vectors:
    """Papers read once: raw term counts in the hashed space, one row per paper."""

    ids: list[str]
    counts: sparse.csr_matrix
    use_categories: bool


def vectorize(papers: Sequence[Paper], *, use_categories: bool = True) -> Vectors:
    """The papers' term counts (the expensive part of scoring: do it once a day)."""
    if not papers:
        return Vectors([], sparse.csr_matrix((0, N_FEATURES), dtype=np.float32), use_categories)
    counts = _hasher(use_categories).transform(papers)
    return Vectors([p.id for p in papers], sparse.csr_matrix(counts), use_categories)


def fit_idf(vectors: Vectors) -> TfidfTransformer:
    """TF-IDF weights (sublinear tf, smoothed idf) fitted on a training set."""
    return TfidfTransformer(sublinear_tf=True, norm=None).fit(vectors.counts)


def idf_from(idf: np.ndarray) -> TfidfTransformer:
    """The TfidfTransformer a stored idf array stands for."""
    if idf.shape != (N_FEATURES,) or not np.all(np.isfinite(idf)) or np.any(idf <= 0):
        raise ValueError("a model whose idf is malformed")
    weights = TfidfTransformer(sublinear_tf=True, norm=None)
    weights.idf_ = idf.astype(np.float64)
    return weights


def weighted(weights: TfidfTransformer, vectors: Vectors) -> sparse.csr_matrix:
    """TF-IDF rows, each of unit length (so that dot products are cosines)."""
    return normalize(weights.transform(vectors.counts)).astype(np.float32)
