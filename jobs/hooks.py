"""What the jobs do when a command changes something (bot.commands.context.BotHooks):
plan what a command stored, re-plan a channel's reminders, read a pasted announcement, and,
while `lectern run` runs, wake the dispatcher and rebuild the poll jobs.

One class for the CLI's one-shot commands and for `lectern run`: without `wake` and
`reschedule` what is planned is sent by the next `lectern dispatch` or `lectern run`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from bot.clock import Clock
from bot.models import ParseError, ParseResult, Subscription, TalkChanges, UpsertResult
from bot.paperids import arxiv_paper_id, split_arxiv_id
from bot.redact import redact
from bot.settings import Settings
from jobs.ingest import IngestReport
from jobs.planner import plan_new_items, plan_upcoming, replan_reminders
from jobs.poll_jobs import make_fetcher, poll_checked
from jobs.sources import announcement, arxiv_api
from jobs.sources.fetch import FetchError
from storage.store import Store

log = logging.getLogger(__name__)
ARXIV_API = "https://export.arxiv.org/api/query"
SEEDS_SOURCE = "examples"  # the source named on papers fetched as a channel's examples


def _nothing() -> None:
    return None


def first_reading(name: str, report: IngestReport | None, error: str | None) -> str:
    """What the first poll of a source found, for the channel that added it."""
    if error is not None:
        return (f"The first try failed: {redact(error).rstrip('.')}. It is tried again on "
                f"its schedule; /sources remove {name} takes it back.")
    if report is None:
        return "It is polled on its schedule; /sources shows how that goes."
    said = f"First reading: {report.summary()}."
    if report.warnings:
        said += f" Warning: {redact(report.warnings[0])[:200]}"
    return said


class JobHooks:
    """The hooks commands are given: planning in jobs.planner, announcements read by
    jobs.sources.announcement; `wake` tells the dispatcher new work is planned,
    `reschedule` rebuilds the poll jobs after a source was added or removed."""

    def __init__(self, store: Store, clock: Clock, settings: Settings, *,
                 wake: Callable[[], None] = _nothing,
                 reschedule: Callable[[], None] = _nothing,
                 arxiv_api: str = ARXIV_API) -> None:
        self.store, self.clock, self.settings = store, clock, settings
        self.wake, self.reschedule = wake, reschedule
        self.arxiv_api = arxiv_api

    def items_stored(self, papers: UpsertResult, talks: TalkChanges) -> None:
        plan_new_items(self.store, papers, talks, self.clock.now(), self.settings.timezone)
        self.wake()

    def subscription_added(self, sub: Subscription) -> int:
        found = plan_upcoming(self.store, sub, self.clock.now(), self.settings.timezone)
        if found:
            self.wake()
        return found

    def sources_changed(self) -> None:
        self.reschedule()

    async def try_source(self, name: str) -> str:
        fetcher = make_fetcher(self.settings, attempts=1)
        try:
            report, error, _ = await poll_checked(self.store, self.settings, name, fetcher,
                                                  self.clock.now())
        finally:
            await fetcher.aclose()
        self.wake()
        return first_reading(name, report, error)

    def reminders_changed(self, channel_id: str) -> None:
        replan_reminders(self.store, channel_id, self.clock.now(), self.settings.timezone)
        self.wake()

    def deliveries_planned(self) -> None:
        self.wake()

    def read_announcement(self, text: str, *, source: str, timezone: str,
                          now: datetime) -> ParseResult:
        return announcement.parse(text, source, timezone=timezone, now=now)

    async def fetch_papers(self, paper_ids: list[str]) -> None:
        """arXiv papers by id, from the arXiv API, stored without being announced (an
        example a channel gives its taste is not news); a failure stores nothing."""
        ids = [found[0] for i in paper_ids if i.startswith("arxiv:")
               and (found := split_arxiv_id(i.removeprefix("arxiv:")))]
        if not ids:
            return
        fetcher = make_fetcher(self.settings, attempts=1)
        query = urlencode({"id_list": ",".join(ids), "max_results": len(ids)}, safe=",/")
        try:
            fetched = await fetcher.fetch(f"{self.arxiv_api}?{query}")
            result = arxiv_api.parse(fetched.body or b"", SEEDS_SOURCE)
        except (FetchError, ParseError) as error:
            log.warning("could not fetch %s from arXiv: %s", ", ".join(ids), error)
            return
        finally:
            await fetcher.aclose()
        asked = {arxiv_paper_id(i) for i in ids}  # nothing else the answer holds
        papers, now = [p for p in result.papers if p.id in asked], self.clock.now()
        # the reader child may hold the write lock: waited for in the loop (storage.db)
        await self.store.transaction_when_free(lambda: self.store.upsert_papers(papers, now))
