"""Fetching for sources added in chat: every address is checked, and the connection goes to
the address that was checked (no second DNS lookup between the check and the connect).

An httpcore network backend resolves the host once, refuses the whole host when any of its
addresses is not allowed (bot.addresses), then connects to a checked IP while TLS (SNI,
certificate) and the Host header keep the host name. The resolver can be injected so tests
can map a name to 127.0.0.1. The operator's own sources never come here.
"""

from __future__ import annotations

import asyncio
import socket
import typing
from collections.abc import Awaitable, Callable, Iterable

import httpcore
import httpx

from bot.addresses import (
    AddressRefused,
    IPAddress,
    Network,
    check_address,
    check_member_url,
    literal_address,
)

Resolver = Callable[[str, int], Awaitable[list[str]]]  # host, port -> IP strings


async def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the system resolver (getaddrinfo, in a thread)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class BlockedAddress(Exception):
    """A chat-added source's host is or resolves to an address it may not reach."""


class AddressGuard:
    """The policy for chat-added sources: allowed extra ranges and how names resolve."""

    def __init__(self, allowed: Iterable[Network] = (),
                 resolver: Resolver | None = None) -> None:
        self.allowed = tuple(allowed)
        self.resolver = resolver or system_resolver

    def check_url(self, url: str) -> None:
        """Spelling and literal-address checks of one URL (the first or a redirect)."""
        try:
            check_member_url(url, self.allowed)
        except AddressRefused as error:
            raise BlockedAddress(str(error)) from None

    async def addresses(self, host: str, port: int) -> list[IPAddress]:
        """The checked addresses to connect to; BlockedAddress if any of them is refused."""
        literal = literal_address(host)
        if literal is not None:
            found = [literal]
        else:
            try:
                names = await self.resolver(host, port)
            except OSError as error:  # socket.gaierror: no such host, no DNS
                raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
            found = [address for name in names
                     if (address := literal_address(name.split("%", 1)[0])) is not None]
            if not found:
                raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
        for address in found:
            try:
                check_address(host, address, self.allowed)
            except AddressRefused as error:
                raise BlockedAddress(str(error)) from None
        return found


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check, then connect to the checked IP (anyio underneath)."""

    def __init__(self, guard: AddressGuard,
                 inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self.guard.addresses(host, port)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(f"resolving {host} took too long") from error
        failure: Exception | None = None
        for address in addresses:  # each one was checked; try them in the resolver's order
            try:
                return await self.inner.connect_tcp(str(address), port, timeout=timeout,
                                                    local_address=local_address,
                                                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None
        raise failure

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[typing.Any] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("sources added in chat may not use Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (same TLS and error mapping) over a GuardedBackend pool."""

    def __init__(self, guard: AddressGuard) -> None:
        context = httpx.create_ssl_context()  # certifi, or SSL_CERT_FILE like the open client
        super().__init__(verify=context, trust_env=False)  # no proxy: we connect where we checked
        self._pool = httpcore.AsyncConnectionPool(ssl_context=context,
                                                  network_backend=GuardedBackend(guard))


def guarded_client(guard: AddressGuard, *, headers: dict[str, str],
                   timeout: httpx.Timeout) -> httpx.AsyncClient:
    """A client of its own for chat-added sources, so no pooled connection is shared with
    the operator's sources (a connection made for them was never checked)."""
    return httpx.AsyncClient(headers=headers, timeout=timeout, follow_redirects=False,
                             transport=GuardedTransport(guard), trust_env=False)
