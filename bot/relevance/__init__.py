"""A channel's taste, learned from its votes (issue 16): features (bot.relevance.features),
training (learn), the trained model and its stored form (model, blob), and what a channel
is shown (choose). Pure: papers and votes in, scores out; no storage, I/O or clock. The
only package that imports scikit-learn, numpy and scipy.

Importing the package is cheap: its names load scikit-learn (about a second of CPU) when
first used (PEP 562), so a command line, or the reader child of a channel without votes,
never pays for it."""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {"choose": "choose", "similar": "choose", "Vectors": "features",
          "vectorize": "features", "TrainingSet": "learn", "train": "learn",
          "Model": "model"}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'bot.relevance' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"bot.relevance.{_HOMES[name]}"), name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value
