"""The Slack and Discord settings, read from the environment (and the config file's
[slack] table): their tokens are Secrets, used and never shown. bot.settings loads them
with the rest; a platform whose bot token is unset is off. Also the network's other
settings: the HTTP server's address and the public URL its links are built from
(calendar feeds, Slack's HTTP mode), and the private ranges chat-added sources may reach.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.redact import remember_secret


@dataclass(frozen=True, slots=True)
class Secret:
    """A token: its value is used, never shown (repr, str and logs print stars)."""

    value: str = field(repr=False)

    def __post_init__(self) -> None:
        remember_secret(self.value)  # bot.redact hides it in any log line too

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class SlackSettings:
    bot_token: Secret
    app_token: Secret | None = None
    signing_secret: Secret | None = None
    api_url: str = "https://slack.com/api/"
    http_host: str = "127.0.0.1"
    http_port: int = 3000
    managers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    bot_token: Secret
    api_url: str = "https://discord.com/api/v10"


def _secret(env: Mapping[str, str], name: str) -> Secret | None:
    value = env.get(name, "").strip()
    return Secret(value) if value else None


def slack_settings(env: Mapping[str, str], table: object,
                   problems: list[str]) -> SlackSettings | None:
    token = _secret(env, "SLACK_BOT_TOKEN")
    app_token, signing = _secret(env, "SLACK_APP_TOKEN"), _secret(env, "SLACK_SIGNING_SECRET")
    if not isinstance(table, dict):
        problems.append("[slack] must be a table, e.g. [slack] then managers = [\"U0123ABC\"]")
        table = {}
    # Checked with or without a token: a wrong type is said now, not when Slack is set up.
    managers = table.get("managers", [])
    if not isinstance(managers, list) or not all(isinstance(m, str) for m in managers):
        problems.append(f'slack.managers must be a list of user ids, e.g. ["U0123ABC"], not '
                        f'{str(managers)[:40]!r}')
        managers = []
    if token is None:
        if app_token or signing:
            problems.append("SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set but "
                            "SLACK_BOT_TOKEN is not; set the bot token (xoxb-...) too")
        return None
    if app_token is None and signing is None:
        problems.append("SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or "
                        "SLACK_SIGNING_SECRET (HTTP mode)")
    port = env.get("LECTERN_HTTP_PORT", "3000")
    if not port.isdigit() or not 0 < int(port) < 65536:
        problems.append(f"LECTERN_HTTP_PORT {port!r} is not a port number")
        port = "3000"
    return SlackSettings(token, app_token, signing,
                         env.get("SLACK_API_URL") or "https://slack.com/api/",
                         env.get("LECTERN_HTTP_HOST") or "127.0.0.1", int(port),
                         tuple(managers))


def discord_settings(env: Mapping[str, str], problems: list[str]) -> DiscordSettings | None:
    token = _secret(env, "DISCORD_BOT_TOKEN")
    if token is None:
        return None
    return DiscordSettings(token, env.get("DISCORD_API_URL") or "https://discord.com/api/v10")


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Where lectern's HTTP server listens, and the address people reach it by (behind a
    reverse proxy, say); without `public_url` calendar links cannot be given."""

    host: str = "127.0.0.1"
    port: int = 3000
    public_url: str | None = None


def http_settings(env: Mapping[str, str], problems: list[str]) -> HttpSettings:
    port = env.get("LECTERN_HTTP_PORT", "3000")
    if not port.isdigit() or not 0 < int(port) < 65536:
        port = "3000"  # slack_settings says so
    public = (env.get("LECTERN_PUBLIC_URL") or "").strip().rstrip("/") or None
    if public and not public.startswith(("https://", "http://")):
        problems.append(f"LECTERN_PUBLIC_URL {public[:80]!r} must be an http(s) address, "
                        "e.g. https://lectern.example.org")
        public = None
    return HttpSettings(env.get("LECTERN_HTTP_HOST") or "127.0.0.1", int(port), public)


def allow_ranges_setting(value: object, problems: list[str]) -> tuple[str, ...]:
    """fetch.allow_ranges: a list of CIDR ranges such as "10.1.0.0/16"."""
    if not isinstance(value, list):
        problems.append('fetch.allow_ranges must be a list of IP ranges, e.g. ["10.1.0.0/16"]')
        return ()
    found = []
    for item in value:
        try:
            found.append(str(ipaddress.ip_network(str(item).strip(), strict=False)))
        except ValueError:
            problems.append(f"fetch.allow_ranges: {item!r} is not an IP range such as "
                            "\"10.1.0.0/16\" or \"fd00::/8\"")
    return tuple(found)
