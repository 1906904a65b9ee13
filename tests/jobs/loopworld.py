"""The loop's parts around one real store, for tests/jobs/test_loop.py: what `lectern run`
does step by step (subscribe, store, plan, dispatch as time moves), and papers and talks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.models import ANNOUNCE_NEW, Paper, Talk, TalkChanges, UpsertResult
from jobs.dispatch import dispatch_due
from jobs.planner import plan_new_items
from tests.fakes import FakeAdapter

__all__ = ["D", "H", "M", "T0", "ZONE", "Bot", "paper", "talk"]

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
H, M, D = timedelta(hours=1), timedelta(minutes=1), timedelta(days=1)
ZONE = "Europe/London"


class Bot:
    """The loop's parts around one real store: what `lectern run` does, step by step."""

    def __init__(self, store):
        self.store = store
        self.adapter = FakeAdapter()
        self.now = T0

    def subscribe(self, channel: str, query: str, kinds: str = "all") -> int:
        return self.store.add_subscription(channel, query, kinds, "U1", self.now).id

    def papers(self, *papers: Paper) -> UpsertResult:
        result = self.store.upsert_papers(papers, self.now)
        plan_new_items(self.store, result, TalkChanges(), self.now, ZONE)
        return result

    def talks(self, source: str, *talks: Talk, covers=None) -> TalkChanges:
        changes = self.store.upsert_talks(source, list(talks), self.now, covers)
        plan_new_items(self.store, UpsertResult(), changes, self.now, ZONE)
        return changes

    async def run_until(self, moment: datetime, step: timedelta = M) -> list[str]:
        """Dispatch every `step` up to `moment`, as the running bot would; return texts."""
        before = len(self.adapter.sent)
        while self.now < moment:
            self.now = min(self.now + step, moment)
            await dispatch_due(self.store, {"console": self.adapter}, self.now, ZONE)
        return self.adapter.texts()[before:]

    async def dispatch(self, at: datetime):
        self.now = at
        return await dispatch_due(self.store, {"console": self.adapter}, at, ZONE)


def paper(n: int, title: str = "Diffusion Models", **fields) -> Paper:
    base = dict(id=f"arxiv:2611.{n:05d}", title=title, source="arxiv-cs-lg",
                url=f"https://arxiv.org/abs/2611.{n:05d}", abstract="We study things.",
                authors=["Ada Lovelace"], categories=["cs.LG"], arxiv_id=f"2611.{n:05d}",
                announce_type=ANNOUNCE_NEW, published=T0)
    base.update(fields)
    return Paper(**base)


def talk(key: str, start: datetime, **fields) -> Talk:
    base = dict(key=key, title="Diffusion for Proteins", source="dept", start=start,
                end=start + H, timezone=ZONE, speakers=["Grace Hopper"], location="Room 1")
    base.update(fields)
    return Talk(**base)


