"""URLs typed in chat cannot reach this machine or its network: a loopback listener counts the
connections it accepts, and a chat-added source never gets one in (directly, by name, by an
odd spelling, via a redirect, or by a second DNS answer), unless the operator allows a range.
The operator's config-file sources and `lectern ingest` still reach loopback."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from adapters.text import to_text
from bot.addresses import AddressRefused, check_member_url, forbidden_reason, parse_ranges
from bot.chat import ChannelRef, Invocation, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext, NoHooks
from bot.models import Source
from bot.redact import redact_url
from bot.settings import Settings, load_settings
from jobs.ingest import ingest
from jobs.sources.fetch import USER_AGENT, Fetcher, FetchError, FetchLimits
from tests.conftest import NOW
from tests.reliability.ssrfworld import chat_source, fetcher, listening, poll


async def test_a_chat_source_on_loopback_is_refused_and_never_connects(store) -> None:
    async with listening() as loopback:
        name = chat_source(store, loopback.url())
        error = await poll(store, name, fetcher())
    assert loopback.accepted == 0
    assert "127.0.0.1 is a loopback address" in error and "fetch.allow_ranges" in error
    assert '"127.0.0.1/32"' in error
    source = store.get_source(name)
    assert source.failures == 1 and source.last_error == error


async def test_a_name_that_resolves_to_loopback_is_refused(store) -> None:
    async with listening() as loopback:
        name = chat_source(store, loopback.url(host="feeds.example"))
        error = await poll(store, name, fetcher(table={"feeds.example": ["127.0.0.1"]}))
    assert loopback.accepted == 0
    assert "feeds.example resolves to 127.0.0.1, a loopback address" in error


async def test_every_resolved_address_is_checked(store) -> None:
    table = {"mixed.example": ["93.184.216.34", "127.0.0.1"]}
    async with listening() as loopback:
        name = chat_source(store, loopback.url(host="mixed.example"))
        error = await poll(store, name, fetcher(table=table))
    assert loopback.accepted == 0 and "resolves to 127.0.0.1" in error


async def test_ipv6_loopback_and_mapped_addresses_are_refused(store) -> None:
    async with listening("::1") as loopback:
        for number, host in enumerate(["[::1]", "[::ffff:127.0.0.1]", "v6.example"]):
            made = fetcher(table={"v6.example": ["::1"]})
            error = await poll(store, chat_source(store, loopback.url(host=host),
                                                  f"v6-{number}"), made)
            assert "which sources added in chat may not reach" in error
    assert loopback.accepted == 0


ODD = ["http://2130706433:{port}/feed", "http://0x7f.1:{port}/feed", "http://127.1:{port}/feed",
       "http://017700000001:{port}/feed", "http://0177.0.0.1:{port}/feed",
       "http://0x7f000001:{port}/feed", "http://127.0.0.1.:{port}/feed",
       "http://user@127.0.0.1:{port}/feed", "http://user:pw@feeds.example:{port}/feed",
       "http://localhost:{port}/feed", "http://a.localhost:{port}/feed",
       "http://[::ffff:7f00:1]:{port}/feed", "http://[64:ff9b::7f00:1]:{port}/feed",
       "http://[2002:7f00:1::1]:{port}/feed", "http://[::127.0.0.1]:{port}/feed",
       "http://[fe80::1%25lo]:{port}/feed", "http://169.254.169.254:{port}/latest/meta-data",
       "http://10.0.0.1:{port}/feed", "http://100.64.0.1:{port}/feed",
       "http://0.0.0.0:{port}/feed", "http://224.0.0.1:{port}/feed",
       "http://255.255.255.255:{port}/feed", "http://[fd00::1]:{port}/feed",
       "http://feeds.example\\@127.0.0.1:{port}/feed"]


async def test_odd_spellings_are_refused_by_the_fetcher_and_never_connect(store) -> None:
    async with listening() as loopback:
        async with fetcher(table={"feeds.example": ["93.184.216.34"]}) as made:
            for template in ODD:
                url = template.format(port=loopback.port)
                with pytest.raises(FetchError, match="Refused to fetch|not a valid URL"):
                    await made.fetch(url, guarded=True)
    assert loopback.accepted == 0


@pytest.mark.parametrize("template", ODD)
def test_odd_spellings_are_refused_when_typed(template: str) -> None:
    with pytest.raises(AddressRefused):
        check_member_url(template.format(port=8080))


async def test_sources_add_refuses_at_once_with_what_to_do(store, clock) -> None:
    registry = build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                         hooks=NoHooks()))

    async def add(url: str) -> str:
        invocation = Invocation("sources", f"add rss {url} x", ChannelRef("discord", "42"),
                                UserRef("u7", "Ana"), True)
        return to_text((await registry.dispatch(invocation)).message)

    refused = await add("http://2130706433/feed")
    assert "unusual way" in refused and "e.g. https://example.org/feed.xml" in refused
    assert "log in" in await add("https://me:secret@example.org/feed")
    assert "fetch.allow_ranges" in await add("http://169.254.169.254/latest/meta-data")
    assert store.get_source("x") is None


def test_the_policy_on_addresses() -> None:
    from ipaddress import ip_address as ip
    assert forbidden_reason(ip("93.184.216.34")) is None
    assert forbidden_reason(ip("2606:4700::1111")) is None
    assert "link-local" in forbidden_reason(ip("169.254.169.254"))
    assert "carrier-grade" in forbidden_reason(ip("100.64.1.1"))
    assert "IPv4-mapped" in forbidden_reason(ip("::ffff:8.8.8.8"))
    assert forbidden_reason(ip("192.0.2.7")) == "not a public address"  # documentation
    assert forbidden_reason(ip("10.1.2.3"), parse_ranges(["10.1.0.0/16"])) is None
    assert forbidden_reason(ip("10.2.0.1"), parse_ranges(["10.1.0.0/16"])) is not None


async def test_a_redirect_from_an_allowed_server_to_loopback_is_refused(store) -> None:
    async with listening() as loopback:
        targets = [loopback.url(), loopback.url(host="sneaky.example"),
                   loopback.url(host="2130706433")]
        table = {"allowed.example": ["127.0.0.2"], "sneaky.example": ["127.0.0.1"]}
        for number, target in enumerate(targets):
            async with listening("127.0.0.2", redirect_to=target) as allowed:
                name = chat_source(store, allowed.url(host="allowed.example"), f"r{number}")
                error = await poll(store, name, fetcher(("127.0.0.2/32",), table))
                assert allowed.accepted == 1, error
                where = redact_url(allowed.url(host="allowed.example"))  # path masked
                assert f"redirected from {where}" in error
    assert loopback.accepted == 0


async def test_the_connection_goes_to_the_checked_address(store) -> None:
    """A resolver that answers differently the second time (DNS rebinding) is asked once."""
    answers = iter([["127.0.0.2"], ["127.0.0.1"], ["127.0.0.1"]])
    calls: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    async with listening() as loopback, listening("127.0.0.2") as allowed:
        made = Fetcher(FetchLimits(max_attempts=1, host_intervals={}), user_agent=USER_AGENT,
                       allow_ranges=["127.0.0.2/32"], resolver=rebinding)
        name = chat_source(store, allowed.url(host="rebind.example"))
        assert await poll(store, name, made) is None
    assert calls == ["rebind.example"] and allowed.accepted == 1 and loopback.accepted == 0
    assert allowed.hosts_seen == [f"rebind.example:{allowed.port}"]  # Host stays the name


async def test_an_allowed_range_lets_a_loopback_server_through(store) -> None:
    async with listening() as loopback:
        name = chat_source(store, loopback.url())
        assert await poll(store, name, fetcher(("127.0.0.0/8",))) is None
    assert loopback.accepted == 1 and store.get_source(name).failures == 0


async def test_a_resolution_failure_is_reported_on_the_source(store) -> None:
    name = chat_source(store, "http://nowhere.example/feed")
    error = await poll(store, name, fetcher())
    assert "nowhere.example" in error and store.get_source(name).failures == 1


async def test_config_and_cli_sources_still_reach_loopback(store) -> None:
    async with listening() as loopback:
        store.save_source(Source("operator", "rss", loopback.url()), NOW)
        assert await poll(store, "operator", fetcher()) is None
        async with fetcher() as made:
            report = await ingest(store, "rss", loopback.url(), source="cli", timezone="UTC",
                                  now=NOW, fetcher=made)
    assert report.papers.counts()["new"] + report.papers.counts()["unchanged"] == 1
    assert loopback.accepted == 2


def test_allow_ranges_is_a_checked_setting(tmp_path: Path) -> None:
    config = tmp_path / "lectern.toml"
    config.write_text('[fetch]\nallow_ranges = ["10.1.0.0/16", "fd00::/8"]\n')
    assert load_settings(str(config), environ={}).allow_ranges == ("10.1.0.0/16", "fd00::/8")
    config.write_text('[fetch]\nallow_ranges = ["intranet"]\n')
    with pytest.raises(ValueError, match="'intranet' is not an IP range"):
        load_settings(str(config), environ={})


async def test_the_listener_counts_what_it_accepts() -> None:
    """The counting listener itself works: a plain connection is counted."""
    async with listening() as loopback:
        _, writer = await asyncio.open_connection("127.0.0.1", loopback.port)
        writer.close()
        await asyncio.sleep(0.05)
    assert loopback.accepted == 1


async def test_tls_goes_to_the_checked_ip_but_speaks_to_the_host_name(store, tmp_path,
                                                                       monkeypatch) -> None:
    """SNI, certificate check and Host stay the name, while the socket goes to the IP."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate for feeds.example")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                    "/CN=feeds.example", "-addext", "subjectAltName=DNS:feeds.example",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust it, as an operator's CA bundle
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    async with listening(tls=tls) as server:
        url = f"https://feeds.example:{server.port}/feed"
        name = chat_source(store, url)
        table = {"feeds.example": ["127.0.0.1"]}
        assert await poll(store, name, fetcher(("127.0.0.1/32",), table)) is None
        assert server.sni == ["feeds.example"]
        assert server.hosts_seen == [f"feeds.example:{server.port}"]
        refused = await poll(store, chat_source(store, url, "other"), fetcher((), table))
    assert "127.0.0.1, a loopback address" in refused and server.accepted == 1
