"""A failed send is tried again by the one retry policy: backoff, or the platform's
Retry-After (DeliveryError.retry_after) when it gave one; then marked failed."""

from datetime import timedelta

from bot.chat import DeliveryError
from jobs.dispatch import RETRY
from tests.jobs.test_loop import T0, Bot, paper

M = timedelta(minutes=1)



async def test_the_platforms_retry_after_sets_the_next_try(store):
    bot = Bot(store)
    bot.subscribe("console:ml", "diffusion")
    bot.papers(paper(1))
    bot.adapter.fail_with = DeliveryError("Discord asked to wait 600 s", retry_after=600.0)
    assert (await bot.dispatch(T0)).sent == []
    bot.adapter.fail_with = None
    assert (await bot.dispatch(T0 + 9 * M)).sent == []  # past the backoff, not past the ask
    assert len((await bot.dispatch(T0 + 10 * M)).sent) == 1


async def test_without_retry_after_it_backs_off_then_gives_up(store):
    bot = Bot(store)
    bot.subscribe("console:ml", "diffusion")
    bot.papers(paper(1))
    bot.adapter.fail_with = DeliveryError("503 from the platform")
    at, waits = T0, []
    for _ in range(RETRY.attempts):
        report = await bot.dispatch(at)
        if report.failed:
            break
        due = bot.store.due_deliveries(at + timedelta(days=1), limit=10)[0].due_at
        waits.append(due - at)
        at = due
    assert waits == [2 * M, 4 * M, 8 * M, 16 * M]
    assert [entry["reason"] for entry in report.failed] == ["503 from the platform"]
