"""The one pacer: a token bucket's rate and burst, keys paced apart, turns taken on one key,
a hold after a 429, and a clock that stands still; time moved by a fake sleep, never waited."""

import asyncio
from dataclasses import dataclass, field

import pytest

from bot.pacing import MAX_KEYS, Pacer, TokenBucket


@dataclass
class FakeTime:
    now: float = 1000.0
    slept: list[float] = field(default_factory=list)
    moves: bool = True  # False: a clock that stands still (`lectern --now`)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.moves:
            self.now += seconds
        await asyncio.sleep(0)


def test_a_bucket_lets_a_burst_through_then_keeps_its_rate():
    bucket = TokenBucket(rate=2.0, burst=3)
    slots = [bucket.reserve(10.0) for _ in range(6)]
    assert slots == [10.0, 10.0, 10.0, 10.5, 11.0, 11.5]
    assert not bucket.idle(12.5) and bucket.idle(13.0)  # all three back by then
    assert bucket.reserve(20.0) == 20.0  # refilled while idle
    with pytest.raises(ValueError):
        TokenBucket(rate=0)


async def test_the_rate_holds_over_many_requests():
    time = FakeTime()
    pacer = Pacer(4.0, 2, now=time.clock, sleep=time.sleep)
    start = time.now
    for _ in range(42):
        await pacer.wait("C1")
    assert time.now - start == pytest.approx(40 / 4.0)  # after the burst of 2, 4 a second


async def test_keys_are_paced_apart_and_a_hold_stops_them_all():
    time = FakeTime()
    pacer = Pacer(1.0, now=time.clock, sleep=time.sleep)
    assert [await pacer.wait(key) for key in ("C1", "C2", "C1")] == [0.0, 0.0, 1.0]
    pacer.hold(30.0)
    assert await pacer.wait("C3") == pytest.approx(30.0)
    assert await pacer.wait("slow", rate=1 / 3.0) == 0.0
    assert await pacer.wait("slow") == pytest.approx(3.0)  # the key keeps its own rate


async def test_waiters_on_one_key_take_turns():
    time = FakeTime()
    pacer = Pacer(1 / 3.0, now=time.clock, sleep=time.sleep)
    await asyncio.gather(*(pacer.wait("arxiv.org") for _ in range(3)))
    assert time.slept == [pytest.approx(3.0), pytest.approx(3.0)]


async def test_a_clock_that_stands_still_cannot_stall_it():
    time = FakeTime(moves=False)
    pacer = Pacer(1.0, now=time.clock, sleep=time.sleep)
    for _ in range(4):
        await pacer.wait("C1")
    assert time.slept == [1.0, 1.0, 1.0]  # each wait moved its own notion of now on


async def test_quiet_keys_are_forgotten():
    time = FakeTime()
    pacer = Pacer(1.0, now=time.clock, sleep=time.sleep)
    for n in range(MAX_KEYS + 1):
        await pacer.wait(f"C{n}")
        if n < MAX_KEYS:
            time.now += 1.0
    assert len(pacer._buckets) <= MAX_KEYS
    assert "C0" not in pacer._buckets  # the quietest key went
    slept = len(time.slept)
    await pacer.wait(f"C{MAX_KEYS}")  # the key in use stayed: at once again, it waits
    assert time.slept[slept:] == [pytest.approx(1.0)]
