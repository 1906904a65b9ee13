"""A channel's taste, learned from its votes (issue 16): features (bot.relevance.features),
training (learn), the trained model and its stored form (model, blob), and what a channel
is shown (choose). Pure: papers and votes in, scores out; no storage, I/O or clock. The
only package that imports scikit-learn, numpy and scipy."""

from bot.relevance.choose import choose, similar
from bot.relevance.features import Vectors, vectorize
from bot.relevance.learn import TrainingSet, train
from bot.relevance.model import Model

__all__ = ["Model", "TrainingSet", "Vectors", "choose", "similar", "train", "vectorize"]
