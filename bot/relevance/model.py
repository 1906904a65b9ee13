"""A trained channel model: scores papers, says which liked paper one is most like, and
goes to and from bytes (bot.relevance.blob: no pickle)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import linear_kernel

from bot.models import Paper
from bot.relevance.blob import pack, unpack
from bot.relevance.features import N_FEATURES, Vectors, idf_from, vectorize, weighted

# `why` names a liked paper only when the two share this much (cosine of their features).
MIN_LIKENESS = 0.05
_ARRAYS = {"idf": "f", "coef": "f", "liked_data": "f", "liked_indices": "i",
           "liked_indptr": "i", "liked_counts": "i"}


class Model:
    """Scores are the classifier's log-odds: higher is more interesting, and a paper's score
    does not depend on the other papers scored with it (comparable across calls)."""

    def __init__(self, use_categories: bool, idf: np.ndarray, coef: np.ndarray,
                 intercept: float, liked_rows: sparse.csr_matrix, liked_ids: Sequence[str],
                 liked_counts: Sequence[int], n_disliked: int) -> None:
        self.use_categories = use_categories
        self._idf = idf_from(np.asarray(idf, dtype=np.float32))
        self._classifier = LogisticRegression()
        self._classifier.coef_ = np.asarray(coef, dtype=np.float32).reshape(1, -1)
        self._classifier.intercept_ = np.array([intercept])
        self._classifier.classes_ = np.array([0, 1])
        self._liked_rows = sparse.csr_matrix(liked_rows, dtype=np.float32)
        self.liked_ids, self.liked_counts = list(liked_ids), [int(n) for n in liked_counts]
        self.n_liked, self.n_disliked = len(self.liked_ids), int(n_disliked)

    def vectors(self, papers: Sequence[Paper] | Vectors) -> Vectors:
        """`papers` read as this model reads them (Vectors made the same way pass through)."""
        if isinstance(papers, Vectors):
            if papers.use_categories != self.use_categories:
                raise ValueError("vectors made with use_categories="
                                 f"{papers.use_categories} for a model of {self.use_categories}")
            return papers
        return vectorize(papers, use_categories=self.use_categories)

    def scores(self, papers: Sequence[Paper] | Vectors) -> list[float]:
        """Predicted interest of each paper, in order. Give `bot.relevance.vectorize`'s
        Vectors to score one day's papers for many channels while reading them once."""
        vectors = self.vectors(papers)
        if not vectors.ids:
            return []
        rows = weighted(self._idf, vectors)
        return self._classifier.decision_function(rows).tolist()

    def why(self, paper: Paper) -> tuple[str, int] | None:
        """(the id of the liked paper `paper` is most like, how many liked that one), or
        None when nothing was liked or no liked paper is much like it."""
        if not self.liked_ids:
            return None
        row = weighted(self._idf, self.vectors([paper]))
        likeness = linear_kernel(row, self._liked_rows)[0]
        best = int(np.argmax(likeness))
        if likeness[best] < MIN_LIKENESS:
            return None
        return self.liked_ids[best], self.liked_counts[best]

    def to_bytes(self) -> bytes:
        rows = self._liked_rows
        meta = {"use_categories": self.use_categories, "liked_ids": self.liked_ids,
                "intercept": float(self._classifier.intercept_[0]),
                "n_disliked": self.n_disliked}
        arrays = {"idf": self._idf.idf_.astype(np.float32),
                  "coef": self._classifier.coef_[0].astype(np.float32),
                  "liked_data": rows.data.astype(np.float32),
                  "liked_indices": rows.indices.astype(np.int32),
                  "liked_indptr": rows.indptr.astype(np.int32),
                  "liked_counts": np.array(self.liked_counts, dtype=np.int32)}
        return pack(meta, arrays)

    @classmethod
    def from_bytes(cls, blob: bytes) -> Model:
        """The model `to_bytes` gave; ValueError for anything malformed or of another version."""
        meta, arrays = unpack(blob, _ARRAYS)
        try:
            ids, intercept = meta["liked_ids"], float(meta["intercept"])
            n_disliked, use_categories = int(meta["n_disliked"]), meta["use_categories"]
        except (KeyError, TypeError) as error:
            raise ValueError(f"a malformed model: {error!r}") from error
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError("a model whose liked ids are not a list of ids")
        if not isinstance(use_categories, bool) or not np.isfinite(intercept):
            raise ValueError("a model with a malformed setting")
        coef, counts = arrays["coef"], arrays["liked_counts"]
        if coef.shape != (N_FEATURES,) or counts.shape != (len(ids),):
            raise ValueError("a model whose weights do not fit its feature space")
        if not np.all(np.isfinite(coef)):
            raise ValueError("a model whose weights are not finite")
        rows = _liked_rows(arrays, len(ids))
        return cls(use_categories, arrays["idf"], coef, intercept, rows, ids,
                   counts.tolist(), n_disliked)


def _liked_rows(arrays: dict[str, np.ndarray], n: int) -> sparse.csr_matrix:
    data, indices, indptr = arrays["liked_data"], arrays["liked_indices"], arrays["liked_indptr"]
    if indptr.shape != (n + 1,) or data.shape != indices.shape:
        raise ValueError("a model whose liked papers are malformed")
    try:
        rows = sparse.csr_matrix((data, indices, indptr), shape=(n, N_FEATURES))
        rows.check_format(full_check=True)
    except ValueError:
        raise
    except Exception as error:
        raise ValueError(f"a model whose liked papers are malformed: {error!r}") from error
    return rows
