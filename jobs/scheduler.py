"""The scheduler: the only APScheduler import. Jobs are rebuilt from the database at start."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.models import Source


class Scheduler:
    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone="UTC")

    def schedule_polls(self, sources: list[Source], poll: Callable[[str], Awaitable[object]],
                       first_run: datetime) -> None:
        """One interval job per source; each job polls by name so edits take effect."""
        for job in self._scheduler.get_jobs():
            if job.id.startswith("poll:"):
                job.remove()
        for source in sources:
            self._scheduler.add_job(
                poll, "interval", args=[source.name], id=f"poll:{source.name}",
                minutes=source.interval_minutes, next_run_time=first_run,
                # Spread the polls so that sources sharing a host are not hit together.
                jitter=min(300, source.interval_minutes * 6),
                max_instances=1, coalesce=True, misfire_grace_time=None)

    def every(self, job_id: str, seconds: int, job: Callable[[], Awaitable[object]]) -> None:
        """A job that runs every `seconds`, never two at once."""
        self._scheduler.add_job(job, "interval", id=job_id, seconds=seconds,
                                replace_existing=True, max_instances=1, coalesce=True)

    def start(self) -> None:
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
