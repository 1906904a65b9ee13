"""Fixtures of the source tests: fetchers on a fake clock (tests.jobs.sources.fetchworld)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from jobs.sources.fetch import USER_AGENT, Fetcher, FetchLimits
from tests.jobs.sources.fetchworld import NO_PACING, FakeTime


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def make_fetcher(fake_time: FakeTime) -> AsyncIterator[Callable[..., Fetcher]]:
    made: list[Fetcher] = []

    def make(**limits: object) -> Fetcher:
        limits.setdefault("host_intervals", NO_PACING)
        fetcher = Fetcher(FetchLimits(**limits), user_agent=USER_AGENT,
                          sleep=fake_time.sleep, monotonic=fake_time.monotonic)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        await fetcher.aclose()


