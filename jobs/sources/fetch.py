"""HTTP fetching for sources: the one place they touch the network, politely and within limits."""

from __future__ import annotations

import asyncio
import email.utils
import http
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import MappingProxyType

import httpx

from bot.clock import Clock, SystemClock

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
    max_attempts: int = 4
    backoff_base: float = 2.0  # doubles each retry, capped at max_backoff
    max_backoff: float = 300.0
    max_retry_after: float = 600.0  # a longer Retry-After: give up and report it
    # min seconds between requests to a host; a key also covers its subdomains
    host_intervals: Mapping[str, float] = field(default_factory=_default_intervals)

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.max_redirects < 0 or self.max_bytes < 0:
            raise ValueError("FetchLimits needs max_attempts >= 1 and non-negative max_bytes "
                             "and max_redirects")


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL after redirects
    status: int  # 2xx, or 304 when not modified
    body: bytes  # b"" on 304
    etag: str | None
    last_modified: str | None
    content_type: str | None  # the full header: its charset matters for pages
    not_modified: bool


class FetchError(Exception):
    """A fetch that failed; the message says which URL, what happened and what to do."""

    def __init__(self, message: str, *, url: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.url, self.status, self.retry_after = url, status, retry_after


class _Transient(Exception):
    """A failure worth retrying: 429, 5xx, connection trouble or a timeout."""

    def __init__(self, what: str, url: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(what)
        self.what, self.url, self.status, self.retry_after = what, url, status, retry_after


class Fetcher:
    """One reused httpx client; use `async with Fetcher(...)` or call `aclose()`."""

    def __init__(
        self, limits: FetchLimits | None = None, *, user_agent: str,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        clock: Clock | None = None, transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not user_agent.strip():
            raise ValueError("user_agent must say who we are (see USER_AGENT)")
        self.limits = limits or FetchLimits()
        self._sleep, self._monotonic = sleep, monotonic
        self._clock = clock or SystemClock()  # only for an HTTP-date Retry-After without Date
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_sent: dict[str, float] = {}
        timeout = httpx.Timeout(self.limits.read_timeout, connect=self.limits.connect_timeout)
        self._client = httpx.AsyncClient(headers={"User-Agent": user_agent}, timeout=timeout,
                                         follow_redirects=False, transport=transport)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None,
    ) -> FetchResult:
        """GET `url`, conditionally when validators are given; retry what is worth retrying."""
        _check_scheme(url, url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = self.limits.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                result = await self._attempt(url, headers)
            except _Transient as failure:
                self._check_retry_after(failure)
                if attempt == attempts:
                    raise _give_up(failure, attempts) from failure
                await self._sleep(self._retry_wait(failure, attempt))
                continue
            if result.not_modified:  # a 304 may omit the validators: keep the caller's
                result = replace(result, etag=result.etag or etag,
                                 last_modified=result.last_modified or last_modified)
            return result
        raise AssertionError("unreachable: max_attempts must be at least 1")

    async def _attempt(self, url: str, headers: dict[str, str]) -> FetchResult:
        """One attempt: follow up to max_redirects redirects, each hop paced."""
        current = url
        for hop in range(self.limits.max_redirects + 1):
            response, body = await self._exchange(current, headers)
            if response.status_code not in _REDIRECTS:
                return self._result(current, response, body)
            if hop == self.limits.max_redirects:
                break
            current = _redirect_target(response, asked=url)
        raise FetchError(
            f"Too many redirects from {url} (more than {self.limits.max_redirects}, "
            f"last at {current}): check the URL or use its final address.", url=url)

    async def _exchange(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        """Send one request after pacing; read the body of a 2xx within the deadline."""
        request = self._client.build_request("GET", url, headers=headers)
        await self._pace(request.url.host)
        deadline = self.limits.total_timeout
        try:
            async with asyncio.timeout(deadline):
                response = await self._client.send(request, stream=True)
                try:
                    ok = 200 <= response.status_code < 300
                    body = await self._read_capped(response, url) if ok else b""
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            raise _Transient(f"did not finish within {deadline:g} s", url) from exc
        except httpx.TimeoutException as exc:
            raise _Transient(f"timed out ({type(exc).__name__})", url) from exc
        except httpx.UnsupportedProtocol as exc:
            raise FetchError(f"Cannot fetch {url}: {exc}.", url=url) from exc
        except httpx.TransportError as exc:
            raise _Transient(f"could not be reached ({type(exc).__name__}: {exc})", url) from exc
        except httpx.DecodingError as exc:
            raise FetchError(f"The response from {url} could not be decompressed ({exc}): "
                             "the server sent a corrupt body; try again later.", url=url) from exc
        return response, body

    async def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        """The decompressed body, aborting as soon as it passes max_bytes."""
        limit = self.limits.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise _too_big(url, limit, f"it declares {int(declared)} bytes")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                raise _too_big(url, limit, "the body kept coming")
        return bytes(body)

    def _result(self, url: str, response: httpx.Response, body: bytes) -> FetchResult:
        """A FetchResult for 2xx and 304; FetchError or _Transient for the rest."""
        status = response.status_code
        if status == 304 or 200 <= status < 300:
            headers = response.headers
            return FetchResult(
                url=url, status=status, body=body, etag=headers.get("etag"),
                last_modified=headers.get("last-modified"),
                content_type=headers.get("content-type"), not_modified=status == 304)
        if status == 429 or status >= 500:
            retry_after = self._parse_retry_after(response)
            raise _Transient(_status_text(response), url, status, retry_after)
        raise FetchError(f"{_status_text(response)} from {url}: {_advice(status)}",
                         url=url, status=status)

    def _parse_retry_after(self, response: httpx.Response) -> float | None:
        server_now = response.headers.get("date")
        reference = _parse_http_date(server_now) if server_now else None
        return parse_retry_after(response.headers.get("retry-after"),
                                 reference or self._clock.now())

    async def _pace(self, host: str) -> None:
        """Wait until this host's interval has passed since our last request to it."""
        slot = _pacing_slot(host, self.limits.host_intervals)
        if slot is None:
            return
        key, interval = slot
        async with self._locks.setdefault(key, asyncio.Lock()):
            last = self._last_sent.get(key)
            if last is not None:
                wait = last + interval - self._monotonic()
                if wait > 0:
                    await self._sleep(wait)
            self._last_sent[key] = self._monotonic()

    def _check_retry_after(self, failure: _Transient) -> None:
        wait, limit = failure.retry_after, self.limits.max_retry_after
        if wait is not None and wait > limit:
            raise FetchError(
                f"{failure.what} from {failure.url}: the server asks us to wait {wait:g} s, "
                f"more than the {limit:g} s we allow; try again later.",
                url=failure.url, status=failure.status, retry_after=wait)

    def _retry_wait(self, failure: _Transient, attempt: int) -> float:
        """The server's Retry-After when it gave one, else exponential backoff."""
        if failure.retry_after is not None:
            return failure.retry_after
        return min(self.limits.backoff_base * 2 ** (attempt - 1), self.limits.max_backoff)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After (delta-seconds or an HTTP-date, judged against `now`) -> seconds, or None."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _parse_http_date(value)
    if when is None:
        return None
    return max(0.0, (when - now).total_seconds())


def _parse_http_date(value: str) -> datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def _pacing_slot(host: str, intervals: Mapping[str, float]) -> tuple[str, float] | None:
    """The most specific configured key that is `host` or a parent domain of it."""
    host = host.lower().rstrip(".")
    matches = [key for key in intervals if host == key or host.endswith("." + key)]
    if not matches:
        return None
    key = max(matches, key=len)
    return key, intervals[key]


def _check_scheme(url: str, asked: str) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        message = f"Cannot fetch {url!r}: it is not a valid URL ({exc})."
        raise FetchError(message, url=asked) from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        where = "" if url == asked else f" (redirected from {asked})"
        raise FetchError(f"Cannot fetch {url!r}{where}: only http:// and https:// URLs "
                         "with a host name are supported.", url=asked)


def _redirect_target(response: httpx.Response, asked: str) -> str:
    """Where a redirect points, if it is somewhere we may go."""
    location = response.headers.get("location", "").strip()
    try:
        target = str(response.url.join(location)) if location else ""
    except httpx.InvalidURL:
        target = ""
    if not target:
        raise FetchError(
            f"{_status_text(response)} from {response.url} has no usable Location header: "
            "the server's redirect is broken; use the page's final address instead.",
            url=asked, status=response.status_code)
    _check_scheme(target, asked)
    return target


def _status_text(response: httpx.Response) -> str:
    try:
        phrase = http.HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = response.reason_phrase
    return f"{response.status_code} {phrase}".strip()


def _advice(status: int) -> str:
    if status in (401, 403):
        return "the server refuses access; check the URL or whether it needs a login."
    if status == 410:
        return "the server says it is gone for good; remove or replace the source."
    return "check the URL."


def _too_big(url: str, limit: int, how: str) -> FetchError:
    return FetchError(
        f"The response from {url} is larger than the {limit}-byte limit ({how}): "
        "check the URL, or raise FetchLimits.max_bytes if the source is really that big.",
        url=url)


def _give_up(failure: _Transient, attempts: int) -> FetchError:
    if failure.status is not None:
        what = f"{failure.what} from {failure.url}"
        advice = "the server keeps failing or limiting us; try again later."
    else:
        what = f"{failure.url} {failure.what}"
        advice = "check the host name and the network, or try again later."
    return FetchError(f"{what} (tried {attempts} times): {advice}", url=failure.url,
                      status=failure.status, retry_after=failure.retry_after)
