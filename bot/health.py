"""Source health rules (pure): when a source counts as failing or stale.

* failing: `failing_after` polls in a row failed (default 3; fewer is only "flaky").
* stale, arXiv listings: a poll after arXiv's next announcement was due still served the
  batch seen before. arXiv announces Sunday to Thursday at 20:00 US Eastern; the listing
  gets ARXIV_GRACE to appear, so a weekday morning must bring a new batch.
* stale, any source: its content has not changed for `stale_days` (default 30, per source
  or for all; 0 turns the rule off), measured up to its last successful poll.

Everything is judged from the source's row (failures, last_success, last_new), so
`/sources`, `lectern sources list` and the notices to managers always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.models import Source, SourceHealth
from bot.settings import HealthSettings, Settings

_DEFAULT = HealthSettings()  # failing after 3; stale after 30 days with nothing new
ARXIV_LISTINGS = frozenset({"arxiv-rss"})  # kinds that bring one batch per announcement
ARXIV_ZONE = ZoneInfo("America/New_York")
ARXIV_DAYS = frozenset({6, 0, 1, 2, 3})  # Sunday to Thursday (Monday is 0)
ARXIV_AT = time(20, 0)
# The listings follow the announcement within a few hours; later than this is stale.
ARXIV_GRACE = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class HealthPolicy:
    failing_after: int = _DEFAULT.failing_after
    stale_days: int = _DEFAULT.stale_days
    stale_days_for: Mapping[str, int] = field(default_factory=dict)  # by source name

    def stale_after(self, name: str) -> timedelta | None:
        days = self.stale_days_for.get(name, self.stale_days)
        return timedelta(days=days) if days > 0 else None

    @classmethod
    def from_settings(cls, settings: Settings) -> HealthPolicy:
        return cls(settings.health.failing_after, settings.health.stale_days,
                   {s.name: s.stale_days for s in settings.sources if s.stale_days is not None})


def assess(source: Source, policy: HealthPolicy) -> SourceHealth:
    """The source's health after its latest poll."""
    if source.failures >= policy.failing_after:
        return SourceHealth("failing", f"{source.failures} polls in a row failed",
                            since=source.last_success)
    if source.failures:
        return SourceHealth("flaky", f"{source.failures} in a row failed",
                            since=source.last_success)
    if source.last_success is None:
        return SourceHealth("pending", "not polled yet")
    changed = source.last_new
    if changed is None:  # polled before lectern kept track: the clock starts now
        return SourceHealth("ok")
    if source.kind in ARXIV_LISTINGS:
        due = arxiv_batch_due(changed)
        if source.last_success >= due:
            return SourceHealth(
                "stale", f"it still served the batch first seen {_day(changed)} after "
                f"arXiv's announcement of {_day(due - ARXIV_GRACE)} UTC", since=changed)
    limit = policy.stale_after(source.name)
    if limit is not None and source.last_success - changed >= limit:
        return SourceHealth("stale", f"its content has not changed since {_day(changed)} "
                            f"UTC ({limit.days} days or more)", since=changed)
    return SourceHealth("ok")


def arxiv_batch_due(seen: datetime) -> datetime:
    """When a listing whose batch was first seen at `seen` must show a newer one: the
    next announcement after it (Sunday to Thursday, 20:00 US Eastern) plus ARXIV_GRACE."""
    local = seen.astimezone(ARXIV_ZONE)
    day = local.date()
    for _ in range(8):
        moment = datetime.combine(day, ARXIV_AT, tzinfo=ARXIV_ZONE)
        if moment > local and moment.weekday() in ARXIV_DAYS:
            return (moment + ARXIV_GRACE).astimezone(seen.tzinfo)
        day += timedelta(days=1)
    raise AssertionError("arXiv announces every week")  # pragma: no cover


def _day(moment: datetime) -> str:
    return f"{moment:%a %Y-%m-%d %H:%M}"
