"""Which web addresses a source added in chat may reach: URL spelling and IP ranges (pure).

The operator's own sources (config file, `lectern ingest`) are not judged here. Chat-added
URLs are refused when they carry credentials or odd host spellings, and their addresses when
they are not public, unless the operator allows a range (`fetch.allow_ranges`).
jobs.sources.netguard applies the same rules to every resolved address and redirect.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
ALLOW_SETTING = "fetch.allow_ranges"

# Ranges a member's URL may not reach, most specific reason first; anything else that is
# not globally routable (ipaddress' is_global) is refused too.
_FORBIDDEN: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "an unspecified ('this network') address"),
    ("127.0.0.0/8", "a loopback address"),
    ("10.0.0.0/8", "a private address"),
    ("172.16.0.0/12", "a private address"),
    ("192.168.0.0/16", "a private address"),
    ("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
    ("169.254.0.0/16", "a link-local address (cloud metadata lives there)"),
    ("224.0.0.0/4", "a multicast address"),
    ("240.0.0.0/4", "a reserved or broadcast address"),
    ("192.0.0.0/24", "a reserved (IETF protocol) address"),
    ("198.18.0.0/15", "a reserved (benchmarking) address"),
    ("::/128", "an unspecified address"),
    ("::1/128", "a loopback address"),
    ("::ffff:0:0/96", "an IPv4-mapped IPv6 address"),
    ("::/96", "an IPv4-compatible IPv6 address"),
    ("64:ff9b::/96", "a NAT64 address (it embeds an IPv4 address)"),
    ("64:ff9b:1::/48", "a local NAT64 address (it embeds an IPv4 address)"),
    ("2002::/16", "a 6to4 address (it embeds an IPv4 address)"),
    ("2001::/32", "a Teredo address (it embeds an IPv4 address)"),
    ("fc00::/7", "a private (unique local) address"),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local address"),
    ("ff00::/8", "a multicast address"),
)
_RANGES = tuple((ipaddress.ip_network(cidr), why) for cidr, why in _FORBIDDEN)
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$")
_DOTTED_QUAD = re.compile(r"^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}"
                          r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$")
_UNSAFE_CHARS = re.compile(r"[\s\\\x00-\x1f\x7f]")
_EXAMPLE = "https://example.org/feed.xml"
_INSTEAD = "give the feed's public address with its host name, e.g. https://example.org/feed.xml"


class AddressRefused(ValueError):
    """A URL or address a chat-added source may not use; the message says what to do."""


def parse_ranges(values: Iterable[object]) -> tuple[Network, ...]:
    """CIDR strings -> networks; ValueError names the first one that is not a range."""
    found = []
    for value in values:
        try:
            found.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError as error:
            raise ValueError(f"{value!r} is not an IP range such as \"10.1.0.0/16\" "
                             f"({error})") from error
    return tuple(found)


def forbidden_reason(address: IPAddress, allowed: Iterable[Network] = ()) -> str | None:
    """Why a chat-added source may not connect to `address`, or None when it may."""
    if any(address.version == net.version and address in net for net in allowed):
        return None
    for network, why in _RANGES:
        if address.version == network.version and address in network:
            return why
    if not address.is_global:
        return "not a public address"
    return None


def refusal(host: str, address: IPAddress, why: str) -> str:
    """One line for a refused address, naming the setting that would allow it."""
    what = str(address) if host == str(address) else f"{host} resolves to {address},"
    net = ipaddress.ip_network(address)
    return (f"{what} {'is ' if host == str(address) else ''}{why}, which sources added in "
            "chat may not reach; "
            f"{_INSTEAD}, or if it is meant, the operator can add \"{net}\" to "
            f"{ALLOW_SETTING} in the config file")


def check_address(host: str, address: IPAddress, allowed: Iterable[Network] = ()) -> None:
    why = forbidden_reason(address, allowed)
    if why is not None:
        raise AddressRefused(refusal(host, address, why))


def literal_address(host: str) -> IPAddress | None:
    """The IP a host names literally (`127.0.0.1`, `::1`), None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_member_url(url: str, allowed: Iterable[Network] = ()) -> str:
    """Refuse what a chat-added URL may not be, without DNS: other schemes, credentials,
    odd host spellings (`2130706433`, `0x7f.1`, `127.1`), localhost and literal addresses
    outside the public internet. Returns the URL; raises AddressRefused."""
    if _UNSAFE_CHARS.search(url):
        raise AddressRefused(f"{url!r} contains spaces, backslashes or control characters; "
                             f"{_INSTEAD}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError as error:
        raise AddressRefused(f"{url!r} is not a valid web address ({error}); "
                             f"{_INSTEAD}") from error
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise AddressRefused(f"{url!r} is not a web address; {_INSTEAD}")
    if "@" in parts.netloc:
        raise AddressRefused(f"{url!r} carries a user name or password; lectern does not "
                             "log in to sources added in chat: give an address that needs no "
                             "login, or ask the operator to add the source to the config file")
    check_host(parts.hostname, allowed, url=url)
    check_lookalike(parts.hostname)
    return url


# Scripts a label may mix (Unicode TS 39, "highly restrictive"): Japanese, Chinese and
# Korean names are written with Latin letters and Han beside their own script.
_MIXES = ({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}, {"LATIN", "HAN", "BOPOMOFO"},
          {"LATIN", "HAN", "HANGUL"})
# Cyrillic letters a reader takes for Latin ones: a label of only these under a Latin
# top-level domain (`раураl.com`) reads as an English name; Cyrillic-using countries' own
# domains are left alone.
_LATIN_LOOKALIKES = frozenset("аысԁеԍһіјӏорԛѕԝхуъьҽпгѵѡ")
_CYRILLIC_TLDS = frozenset({"ru", "su", "ua", "by", "kz", "bg", "rs", "mk", "mn", "kg",
                            "tj", "uz", "me", "ba"})


def _script(char: str) -> str | None:
    """The script of a letter from its Unicode name (the standard library has no Script
    property); None for digits, marks and other characters every script shares."""
    if not unicodedata.category(char).startswith("L"):
        return None
    word = unicodedata.name(char, "").split(" ")[0]
    if word in ("CJK", "IDEOGRAPHIC"):
        return "HAN"
    return None if word in ("KATAKANA-HIRAGANA", "MODIFIER", "") else word


def check_lookalike(host: str) -> None:
    """Refuse a host name that only looks like another one (an IDN homograph): a label
    mixing scripts (`ехample.org` with a Cyrillic е and х, also typed as `xn--…`), or a
    Cyrillic label spelling a Latin-looking word under a Latin domain. A name written in
    one script (`bücher.de`, `例子.测试`, `пример.рф`) is a genuine address."""
    try:
        shown = host.lower().encode("idna").decode("idna")
    except UnicodeError:
        return  # check_host has refused what IDNA cannot spell
    labels = shown.rstrip(".").split(".")
    for label in labels:
        scripts = {s for s in map(_script, label) if s}
        if len(scripts) > 1 and not any(scripts <= mix for mix in _MIXES):
            names = " and ".join(sorted(s.title() for s in scripts))
            raise AddressRefused(
                f"the host {host!r} mixes {names} letters in one name ({label!r}), as "
                "look-alike addresses do; type the address by hand in one alphabet or copy "
                f"it from the site itself, e.g. {_EXAMPLE}")
        tld = labels[-1]
        if (len(labels) > 1 and label != tld and tld.isascii() and tld not in _CYRILLIC_TLDS
                and scripts == {"CYRILLIC"} and set(label) - set("-0123456789")
                <= _LATIN_LOOKALIKES):
            raise AddressRefused(
                f"the host {host!r} is written in Cyrillic letters that look like Latin ones "
                f"({label!r} is {label.encode('idna').decode('ascii')}), as look-alike "
                f"addresses do; type the address by hand or copy it from the site itself, "
                f"e.g. {_EXAMPLE}")


def check_host(host: str, allowed: Iterable[Network] = (), *, url: str | None = None) -> None:
    """The host-name part of check_member_url (also applied to every redirect target)."""
    shown = url or host
    if "%" in host:
        raise AddressRefused(f"{shown!r} names a network interface (%); {_INSTEAD}")
    address = literal_address(host)
    if address is not None and (address.version == 6 or _DOTTED_QUAD.match(host)):
        check_address(str(address), address, allowed)
        return
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise AddressRefused(f"{shown!r} has a host name that is not valid; "
                             f"{_INSTEAD}") from error
    name = ascii_host[:-1] if ascii_host.endswith(".") else ascii_host
    if name == "localhost" or name.endswith(".localhost"):
        raise AddressRefused(f"{shown!r} points at this machine (localhost), which sources "
                             f"added in chat may not reach; {_INSTEAD}")
    last = name.rsplit(".", 1)[-1]
    if _NUMERIC_LABEL.match(last):  # a URL parser reads this as an IPv4 address
        if _DOTTED_QUAD.match(ascii_host):
            address = ipaddress.ip_address(ascii_host)
            check_address(ascii_host, address, allowed)
            return
        raise AddressRefused(f"{shown!r} spells an IP address in an unusual way ({host}); "
                             f"{_INSTEAD}")
