"""What command handlers may use: the store, the clock, the settings, and hooks into the
running bot (plan announcements for what a command stored, reschedule source polls, read a
pasted announcement: the reader lives in jobs, which commands may not import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.models import ParseResult, Subscription, TalkChanges, UpsertResult
from bot.settings import Settings
from storage.store import Store


class BotHooks(Protocol):
    def items_stored(self, papers: UpsertResult, talks: TalkChanges) -> None:
        """New or changed items were stored (e.g. by /seminars add): plan deliveries."""
        ...

    def subscription_added(self, sub: Subscription) -> int:
        """A channel follows a new topic: plan its upcoming matching talks; how many."""
        ...

    def sources_changed(self) -> None:
        """A source was added or removed: rebuild the poll jobs."""
        ...

    async def try_source(self, name: str) -> str:
        """Poll a source just added, once: what it held, or why it failed and what to do,
        in a sentence."""
        ...

    def reminders_changed(self, channel_id: str) -> None:
        """A channel's reminder offsets changed: re-plan its pending reminders."""
        ...

    def deliveries_planned(self) -> None:
        """A command planned deliveries itself (/remind): the dispatcher should know."""
        ...

    async def fetch_papers(self, paper_ids: list[str]) -> None:
        """Fetch and store papers by id (arXiv ids, from the arXiv API) without announcing
        them: examples a channel gives its taste (/subscribe like)."""
        ...

    def read_announcement(self, text: str, *, source: str, timezone: str,
                          now: datetime) -> ParseResult:
        """The talk(s) a pasted announcement gives (jobs.sources.announcement.parse);
        `source` scopes the talks' keys, `timezone` is that of naive times."""
        ...


class NoHooks:
    """For the CLI's one-shot commands and tests: nothing else is running."""

    def items_stored(self, papers: UpsertResult, talks: TalkChanges) -> None:
        return None

    def subscription_added(self, sub: Subscription) -> int:
        return 0

    def sources_changed(self) -> None:
        return None

    async def try_source(self, name: str) -> str:
        return "It is polled on its schedule; /sources shows how that goes."

    def reminders_changed(self, channel_id: str) -> None:
        return None

    def deliveries_planned(self) -> None:
        return None

    async def fetch_papers(self, paper_ids: list[str]) -> None:
        return None

    def read_announcement(self, text: str, *, source: str, timezone: str,
                          now: datetime) -> ParseResult:
        return ParseResult(warnings=["this lectern cannot read announcements (no reader "
                                     "is wired in); ask the operator"])


@dataclass(frozen=True, slots=True)
class BotContext:
    store: Store
    clock: Clock
    settings: Settings
    hooks: BotHooks = field(default_factory=NoHooks)
