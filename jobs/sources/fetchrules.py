"""What a fetch makes of answers besides reading them: its result and error types, which
URLs and redirects it may follow, a host's pacing slot, and the words of each
failure (pure; the I/O is in jobs.sources.fetch)."""

from __future__ import annotations

import http
from collections.abc import Mapping
from dataclasses import dataclass

import httpx


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


class Transient(Exception):
    """A failure worth retrying: 429, 5xx, connection trouble or a timeout."""

    def __init__(self, what: str, url: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(what)
        self.what, self.url, self.status, self.retry_after = what, url, status, retry_after


def pacing_slot(host: str, intervals: Mapping[str, float]) -> tuple[str, float] | None:
    """The most specific configured key that is `host` or a parent domain of it."""
    host = host.lower().rstrip(".")
    matches = [key for key in intervals if host == key or host.endswith("." + key)]
    if not matches:
        return None
    key = max(matches, key=len)
    return key, intervals[key]


def status_text(response: httpx.Response) -> str:
    try:
        phrase = http.HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = response.reason_phrase
    return f"{response.status_code} {phrase}".strip()


def advice(status: int) -> str:
    if status in (401, 403):
        return "the server refuses access; check the URL or whether it needs a login."
    if status == 410:
        return "the server says it is gone for good; remove or replace the source."
    return "check the URL."


def check_scheme(url: str, asked: str) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        message = f"Cannot fetch {url!r}: it is not a valid URL ({exc})."
        raise FetchError(message, url=asked) from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        where = "" if url == asked else f" (redirected from {asked})"
        raise FetchError(f"Cannot fetch {url!r}{where}: only http:// and https:// URLs "
                         "with a host name are supported.", url=asked)


def redirect_target(response: httpx.Response, asked: str) -> str:
    """Where a redirect points, if it is somewhere we may go."""
    location = response.headers.get("location", "").strip()
    try:
        target = str(response.url.join(location)) if location else ""
    except httpx.InvalidURL:
        target = ""
    if not target:
        raise FetchError(
            f"{status_text(response)} from {response.url} has no usable Location header: "
            "the server's redirect is broken; use the page's final address instead.",
            url=asked, status=response.status_code)
    check_scheme(target, asked)
    return target


def too_big(url: str, limit: int, how: str) -> FetchError:
    return FetchError(
        f"The response from {url} is larger than the {limit}-byte limit ({how}): "
        "check the URL, or raise FetchLimits.max_bytes if the source is really that big.",
        url=url)


def out_of_time(url: str, deadline: float) -> FetchError:
    return FetchError(
        f"{url} did not finish within the {deadline:g} s a fetch may take (all attempts "
        "together): the server is too slow or trickles its answer; try again later.", url=url)


def give_up(failure: Transient, attempts: int) -> FetchError:
    if failure.status is not None:
        what = f"{failure.what} from {failure.url}"
        advice = "the server keeps failing or limiting us; try again later."
    else:
        what = f"{failure.url} {failure.what}"
        advice = "check the host name and the network, or try again later."
    times = "once" if attempts == 1 else f"{attempts} times"
    return FetchError(f"{what} (tried {times}): {advice}", url=failure.url,
                      status=failure.status, retry_after=failure.retry_after)
