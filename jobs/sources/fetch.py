"""HTTP fetching for sources: the one place they touch the network, politely and within limits.

Sources added in chat are fetched `guarded` (jobs.sources.netguard): their addresses are
checked, also after redirects. Every fetch has an overall network deadline, and bodies are
capped after decompression (jobs.sources.bodies).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import httpx

from bot.addresses import Network, parse_ranges
from bot.clock import Clock, SystemClock
from bot.pacing import Pacer
from bot.retry import RetryPolicy, parse_http_date, parse_retry_after
from jobs.sources.bodies import ACCEPT_ENCODING, BodyTooLarge, BodyUnreadable, read_capped
from jobs.sources.fetchrules import (
    FetchError,
    FetchResult,
    Transient,
    advice,
    check_scheme,
    give_up,
    out_of_time,
    pacing_slot,
    redirect_target,
    status_text,
    too_big,
)
from jobs.sources.fetchrules import pacing_slot as _pacing_slot  # noqa: F401 (tests)
from jobs.sources.netguard import AddressGuard, BlockedAddress, Resolver, guarded_client

USER_AGENT = "lectern/0.1 (+https://github.com/lectern-bot/lectern; research-group bot)"
ARXIV_INTERVAL = 3.0  # arXiv asks for at most one request every 3 seconds
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _default_intervals() -> Mapping[str, float]:
    hosts = ("arxiv.org", "export.arxiv.org", "rss.arxiv.org")
    return MappingProxyType(dict.fromkeys(hosts, ARXIV_INTERVAL))


@dataclass(frozen=True)
class FetchLimits:
    """How far a fetch may go; every wait is in seconds."""

    max_bytes: int = 10 * 1024 * 1024  # of the decompressed body
    max_redirects: int = 5
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # between two reads
    total_timeout: float = 120.0  # one request's network time (headers + body), per attempt
    # the whole fetch, over all attempts and redirects, waits between attempts included: a
    # server trickling a byte a second, or asking to wait, is given up within it
    deadline: float = 25.0
    max_attempts: int = 4
    backoff_base: float = 2.0  # doubles each retry, capped at max_backoff
    max_backoff: float = 300.0
    max_retry_after: float = 600.0  # a longer Retry-After: give up and report it
    # min seconds between requests to a host; a key also covers its subdomains
    host_intervals: Mapping[str, float] = field(default_factory=_default_intervals)

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.max_redirects < 0 or self.max_bytes < 0 \
                or self.deadline <= 0:
            raise ValueError("FetchLimits needs max_attempts >= 1, a positive deadline and "
                             "non-negative max_bytes and max_redirects")

    @property
    def retry(self) -> RetryPolicy:
        """Tries, backoff and the Retry-After waited out, as the one retry policy."""
        return RetryPolicy(attempts=self.max_attempts, base=self.backoff_base,
                           cap=self.max_backoff, max_retry_after=self.max_retry_after)


@dataclass
class _Budget:
    # seconds this fetch still has, network time and waits between attempts together (real
    # time, whatever clock is injected): a Retry-After of 10 minutes on each of 4 attempts
    # once held a poll for half an hour
    left: float


class Fetcher:
    """Reused httpx clients (one for the operator's sources, one guarded for sources added
    in chat); use `async with Fetcher(...)` or call `aclose()`.

    `allow_ranges` are the IP ranges chat-added sources may reach although not public
    (fetch.allow_ranges); `resolver` replaces the system resolver for them (tests)."""

    def __init__(
        self, limits: FetchLimits | None = None, *, user_agent: str,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        clock: Clock | None = None, transport: httpx.AsyncBaseTransport | None = None,
        allow_ranges: Iterable[str | Network] = (), resolver: Resolver | None = None,
    ) -> None:
        if not user_agent.strip():
            raise ValueError("user_agent must say who we are (see USER_AGENT)")
        self.limits = limits or FetchLimits()
        self._sleep = sleep
        self._retry = self.limits.retry
        self._pacer = Pacer(1.0, now=monotonic, sleep=sleep)  # a bucket per paced host
        self._clock = clock or SystemClock()  # only for an HTTP-date Retry-After without Date
        timeout = httpx.Timeout(self.limits.read_timeout, connect=self.limits.connect_timeout)
        headers = {"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING}
        self._client = httpx.AsyncClient(headers=headers, timeout=timeout,
                                         follow_redirects=False, transport=transport)
        self.guard = AddressGuard(parse_ranges(allow_ranges), resolver)
        self._guarded: httpx.AsyncClient | None = None  # made on the first guarded fetch
        self._guarded_options = {"headers": headers, "timeout": timeout}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()
        if self._guarded is not None:
            await self._guarded.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None,
        guarded: bool = False,
    ) -> FetchResult:
        """GET `url`, conditionally when validators are given; retry what is worth retrying.

        `guarded` (a source added in chat): only public addresses, or allowed ranges."""
        check_scheme(url, url)
        client = self._guarded_client() if guarded else self._client
        budget = _Budget(left=self.limits.deadline)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(1, self._retry.attempts + 1):
            try:
                result = await self._attempt(url, headers, client, budget)
            except Transient as failure:
                self._check_retry_after(failure)
                wait = self._retry.delay(attempt, failure.retry_after)
                if self._retry.exhausted(attempt) or wait >= budget.left:
                    raise give_up(failure, attempt) from failure
                budget.left -= wait  # a wait is part of the fetch's deadline too
                await self._sleep(wait)
                continue
            if result.not_modified:  # a 304 may omit the validators: keep the caller's
                result = replace(result, etag=result.etag or etag,
                                 last_modified=result.last_modified or last_modified)
            return result
        raise AssertionError("unreachable: max_attempts must be at least 1")

    def _guarded_client(self) -> httpx.AsyncClient:
        if self._guarded is None:
            self._guarded = guarded_client(self.guard, **self._guarded_options)
        return self._guarded

    async def _attempt(self, url: str, headers: dict[str, str], client: httpx.AsyncClient,
                       budget: _Budget) -> FetchResult:
        """One attempt: follow up to max_redirects redirects, each hop paced (and checked)."""
        current = url
        for hop in range(self.limits.max_redirects + 1):
            try:
                if client is self._guarded:
                    self.guard.check_url(current)
                response, body = await self._exchange(current, headers, client, budget)
            except BlockedAddress as exc:
                where = "" if current == url else f" (redirected from {url})"
                raise FetchError(f"Refused to fetch {current}{where}: {exc}.", url=url) from exc
            if response.status_code not in _REDIRECTS:
                return self._result(current, response, body)
            if hop == self.limits.max_redirects:
                break
            current = redirect_target(response, asked=url)
        raise FetchError(
            f"Too many redirects from {url} (more than {self.limits.max_redirects}, "
            f"last at {current}): check the URL or use its final address.", url=url)

    async def _exchange(self, url: str, headers: dict[str, str], client: httpx.AsyncClient,
                        budget: _Budget) -> tuple[httpx.Response, bytes]:
        """Send one request after pacing; read the body of a 2xx within the deadlines."""
        request = client.build_request("GET", url, headers=headers)
        await self._pace(request.url.host)
        deadline = min(self.limits.total_timeout, budget.left)
        if deadline <= 0:
            raise out_of_time(url, self.limits.deadline)
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(deadline):
                response = await client.send(request, stream=True)
                try:
                    ok = 200 <= response.status_code < 300
                    body = await self._read_capped(response, url) if ok else b""
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            if deadline < self.limits.total_timeout:
                raise out_of_time(url, self.limits.deadline) from exc
            raise Transient(f"did not finish within {deadline:g} s", url) from exc
        except httpx.TimeoutException as exc:
            raise Transient(f"timed out ({type(exc).__name__})", url) from exc
        except httpx.UnsupportedProtocol as exc:
            raise FetchError(f"Cannot fetch {url}: {exc}.", url=url) from exc
        except httpx.TransportError as exc:
            raise Transient(f"could not be reached ({type(exc).__name__}: {exc})", url) from exc
        finally:
            budget.left -= loop.time() - started
        return response, body

    async def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        """The decompressed body, aborting as soon as it passes max_bytes."""
        try:
            return await read_capped(response, self.limits.max_bytes)
        except BodyTooLarge as exc:
            raise too_big(url, self.limits.max_bytes, str(exc)) from exc
        except BodyUnreadable as exc:
            raise FetchError(f"The response from {url} cannot be read: {exc}; the server "
                             "sent a body lectern cannot decode, try again later.",
                             url=url) from exc

    def _result(self, url: str, response: httpx.Response, body: bytes) -> FetchResult:
        """A FetchResult for 2xx and 304; FetchError or Transient for the rest."""
        status = response.status_code
        if status == 304 or 200 <= status < 300:
            headers = response.headers
            return FetchResult(
                url=url, status=status, body=body, etag=headers.get("etag"),
                last_modified=headers.get("last-modified"),
                content_type=headers.get("content-type"), not_modified=status == 304)
        if status == 429 or status >= 500:
            retry_after = self._parse_retry_after(response)
            raise Transient(status_text(response), url, status, retry_after)
        raise FetchError(f"{status_text(response)} from {url}: {advice(status)}",
                         url=url, status=status)

    def _parse_retry_after(self, response: httpx.Response) -> float | None:
        server_now = response.headers.get("date")
        reference = parse_http_date(server_now) if server_now else None
        return parse_retry_after(response.headers.get("retry-after"),
                                 reference or self._clock.now())

    async def _pace(self, host: str) -> None:
        """Wait until this host's interval has passed since our last request to it."""
        slot = pacing_slot(host, self.limits.host_intervals)
        if slot is not None and slot[1] > 0:
            await self._pacer.wait(slot[0], rate=1 / slot[1])

    def _check_retry_after(self, failure: Transient) -> None:
        wait, limit = failure.retry_after, self._retry.max_retry_after
        if self._retry.too_long(wait):
            raise FetchError(
                f"{failure.what} from {failure.url}: the server asks us to wait {wait:g} s, "
                f"more than the {limit:g} s we allow; try again later.",
                url=failure.url, status=failure.status, retry_after=wait)
