"""Teaching each channel's taste model (bot.taste, bot.relevance): every minute the
channels whose votes settled, or whose model is a day old, learn again. Under `lectern
run` the training runs in the ingest worker's supervised child, within its CPU, memory
and wall limits, with its own connection to the database; elsewhere (tests, one-shot
commands) here. The model is stored, so a restart does not train again."""

from __future__ import annotations

import asyncio
import functools
import logging
from datetime import datetime

from bot import relevance
from bot.taste import BACKOFF, due, learn
from jobs.ingest import child_store, worker
from storage.store import Store

log = logging.getLogger(__name__)
EVERY_SECONDS = 60  # how often `lectern run` looks for channels due to learn


def warm_up(store: Store) -> None:
    """Where channels have votes, load scikit-learn in a thread now (a second of CPU),
    so that the first digest ordered by a model does not hold the event loop for it."""
    if store.votes.channels_voting():
        asyncio.get_running_loop().run_in_executor(None, getattr, relevance, "Model")


def learning_channels(store: Store) -> list[str]:
    """Channels with votes, or with recommendations on (their shown papers teach too)."""
    voting = set(store.votes.channels_voting())
    voting |= {c.id for c in store.list_channels() if c.recommend_per_day}
    return sorted(voting)


async def learn_due(store: Store, now: datetime) -> list[str]:
    """Train every channel that is due; the channels that learned. A training that fails
    (past the child's limits, or any error) is recorded, so the channel waits before it
    is tried again (bot.taste.BACKOFF), and never stops the others."""
    learned = []
    for channel_id in learning_channels(store):
        if not due(store, channel_id, now):
            continue
        try:
            if await _learn(store, channel_id, now):
                learned.append(channel_id)
        except Exception as error:  # one channel's failure is its own
            store.votes.training_failed(channel_id, now)
            log.warning("the taste of %s was not learned (tried again in %s): %s",
                        channel_id, BACKOFF, error)
    return learned


async def _learn(store: Store, channel_id: str, now: datetime) -> bool:
    child, path = worker(), store.path
    if child is None or path is None:
        return learn(store, channel_id, now)
    job = functools.partial(child.run, learn_at, path, channel_id, now)
    return await asyncio.get_running_loop().run_in_executor(None, job)


def learn_at(path: str, channel_id: str, now: datetime) -> bool:
    """learn() in the child, on its own connection to the database at `path`."""
    return learn(child_store(path), channel_id, now)
