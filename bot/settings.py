"""Configuration: one typed Settings object from the TOML file and the environment.

Loaded once at start (STYLE.md, habit 7): every problem is reported together, and no
other module reads os.environ.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.platform_settings import (
    DiscordSettings,
    HttpSettings,
    SlackSettings,
    allow_ranges_setting,
    discord_settings,
    http_settings,
    slack_settings,
)
from bot.redact import redact_url
from bot.sourcekinds import SOURCE_KINDS, reserved_source_name

DEFAULT_DB = "lectern.db"
DEFAULT_USER_AGENT = "lectern/0.1 (research-group paper and seminar bot)"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_EVERY = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")

# Every setting, where it comes from, and what it does. README.md documents each one
# (tests/test_docs.py checks), so adding a setting here means adding it there.
SETTINGS_DOC: dict[str, str] = {
    "database": "SQLite file (env LECTERN_DB, flag --db; default ./lectern.db)",
    "timezone": "IANA zone used for display and naive times (env LECTERN_TIMEZONE; default UTC)",
    "fetch.max_body_mb": "largest body a fetch accepts, in MiB (default 10)",
    "fetch.timeout_seconds": "connect and read timeout of one request (default 30)",
    "fetch.user_agent": "User-Agent sent with every request",
    "fetch.allow_ranges": "IP ranges (CIDR) that sources added in chat may reach although "
                          "they are not public, e.g. [\"10.1.0.0/16\"] (default none)",
    "sources": "list of [[sources]] tables: name, kind, url (or path), every, timezone, "
               "stale_days",
    "health.failing_after": "failed polls in a row before a source is unhealthy (default 3)",
    "health.stale_days": "days a source's content may stay unchanged before it is stale "
                         "(default 30; 0: never)",
    "health.alerts_channel": "channel told when a config-file source turns unhealthy "
                             "(default none: the log only)",
    "subscriptions": "list of [[subscriptions]] tables: channel, query, kinds",
    "log_level": "DEBUG, INFO, WARNING or ERROR (env LECTERN_LOG_LEVEL; default INFO)",
    "SLACK_BOT_TOKEN": "Slack bot token (xoxb-...): turns the Slack adapter on",
    "SLACK_APP_TOKEN": "Slack app-level token (xapp-...): Socket Mode, no public URL needed",
    "SLACK_SIGNING_SECRET": "Slack signing secret: HTTP mode at /slack/events",
    "SLACK_API_URL": "Slack Web API base URL (default https://slack.com/api/)",
    "LECTERN_HTTP_HOST": "address the HTTP server listens on (default 127.0.0.1)",
    "LECTERN_HTTP_PORT": "port the HTTP server listens on (default 3000)",
    "LECTERN_PUBLIC_URL": "the address people reach that server by, e.g. https://lectern."
                          "example.org: calendar feed links are built from it (default none)",
    "slack.managers": "Slack user ids who may manage any channel, besides workspace admins",
    "DISCORD_BOT_TOKEN": "Discord bot token: turns the Discord adapter on",
    "DISCORD_API_URL": "Discord REST API base URL (default https://discord.com/api/v10)",
}


class SettingsError(ValueError):
    """Everything wrong with the configuration, one problem per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the configuration has problems:\n- " + "\n- ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class SourceConfig:
    name: str
    kind: str
    location: str
    interval_minutes: int = 60
    timezone: str | None = None
    stale_days: int | None = None  # None: health.stale_days

    def __repr__(self) -> str:  # a private calendar's URL carries its key: `?token=…`
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        shown["location"] = redact_url(self.location)
        return f"SourceConfig({', '.join(f'{k}={v!r}' for k, v in shown.items())})"


@dataclass(frozen=True, slots=True)
class SubscriptionConfig:
    channel: str
    query: str
    kinds: str = "all"


@dataclass(frozen=True, slots=True)
class HealthSettings:
    """When sources count as unhealthy (bot.health) and who hears about the operator's."""

    failing_after: int = 3
    stale_days: int = 30
    alerts_channel: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    database: str = DEFAULT_DB
    timezone: str = "UTC"
    max_body_bytes: int = 10 * 1024 * 1024
    timeout_seconds: float = 30.0
    user_agent: str = DEFAULT_USER_AGENT
    allow_ranges: tuple[str, ...] = ()  # fetch.allow_ranges, CIDR, for chat-added sources
    sources: tuple[SourceConfig, ...] = ()
    subscriptions: tuple[SubscriptionConfig, ...] = ()
    log_level: str = "INFO"
    slack: SlackSettings | None = None
    discord: DiscordSettings | None = None
    config_path: str | None = None
    health: HealthSettings = field(default_factory=HealthSettings)
    http: HttpSettings = field(default_factory=HttpSettings)


def load_settings(config_path: str | None = None, *, db: str | None = None,
                  environ: Mapping[str, str] | None = None,
                  fallback_config: str | None = None) -> Settings:
    """Read the TOML file (if any) and the environment; raise SettingsError listing all
    problems. Flags (`db`) beat the environment, which beats the file; `fallback_config`
    is read when neither the flag nor LECTERN_CONFIG names a file."""
    env = os.environ if environ is None else environ
    config_path = config_path or env.get("LECTERN_CONFIG") or fallback_config or None
    data, problems = _read_toml(config_path)
    base = Path(config_path).resolve().parent if config_path else Path.cwd()
    timezone = env.get("LECTERN_TIMEZONE") or data.get("timezone", "UTC")
    if not _valid_zone(timezone):
        problems.append(f"timezone {timezone!r} is not an IANA zone; use e.g. Europe/London")
    fetch = data.get("fetch", {})
    max_mb = _number(fetch.get("max_body_mb", 10), "fetch.max_body_mb", problems, 1024)
    timeout = _number(fetch.get("timeout_seconds", 30), "fetch.timeout_seconds", problems,
                      600)
    allow_ranges = allow_ranges_setting(fetch.get("allow_ranges", []), problems)
    sources = _sources(data.get("sources", []), base, problems)
    subscriptions = _subscriptions(data.get("subscriptions", []), problems)
    log_level = str(env.get("LECTERN_LOG_LEVEL") or data.get("log_level", "INFO")).upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        problems.append(f"log_level {log_level!r} must be DEBUG, INFO, WARNING or ERROR")
    database = db or env.get("LECTERN_DB") or data.get("database") or DEFAULT_DB
    slack = slack_settings(env, data.get("slack", {}), problems)
    discord = discord_settings(env, problems)
    health = _health(data.get("health", {}), problems)
    http = http_settings(env, problems)
    if problems:
        raise SettingsError(problems)
    return Settings(
        database=str(database), timezone=timezone, max_body_bytes=int(max_mb * 1024 * 1024),
        timeout_seconds=float(timeout),
        user_agent=str(fetch.get("user_agent", DEFAULT_USER_AGENT)), sources=sources,
        subscriptions=subscriptions, log_level=log_level, slack=slack, discord=discord,
        config_path=config_path, health=health, allow_ranges=allow_ranges, http=http)


def _read_toml(path: str | None) -> tuple[dict, list[str]]:
    if not path:
        return {}, []
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle), []
    except FileNotFoundError:
        return {}, [f"config file {path} does not exist; check --config or LECTERN_CONFIG"]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as error:
        why = "nests too deep" if isinstance(error, RecursionError) else str(error)[:200]
        return {}, [f"config file {path} is not valid TOML (UTF-8 text): {why}; see "
                    "examples/lectern.toml"]
    except OSError as error:  # a directory, no permission, ...
        return {}, [f"config file {path} cannot be read ({error.strerror or error}); give "
                    "the path of a .toml file"]


def _number(value: object, name: str, problems: list[str], maximum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or \
            not 0 < value <= maximum:
        problems.append(f"{name} must be a positive number up to {maximum:g}, not "
                        f"{str(value)[:40]}")
        return 1
    return value


def _valid_zone(name: object) -> bool:
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


def parse_every(text: str) -> int | None:
    """`30m`, `6h`, `1d` -> minutes (None when unreadable or beyond a year)."""
    match = _EVERY.match(str(text)[:40])
    if not match or len(match.group(1)) > 9:
        return None
    minutes = int(match.group(1)) * {"m": 1, "h": 60, "d": 1440}[match.group(2)]
    return minutes if 0 < minutes <= 366 * 1440 else None  # at most yearly


def _sources(entries: object, base: Path, problems: list[str]) -> tuple[SourceConfig, ...]:
    if not isinstance(entries, list):
        problems.append("sources must be a list of [[sources]] tables")
        return ()
    found: dict[str, SourceConfig] = {}
    for number, entry in enumerate(entries, 1):
        where = f"source #{number}"
        name = entry.get("name", "") if isinstance(entry, dict) else ""
        if not isinstance(name, str) or not _NAME.match(name):  # a number is no name
            problems.append(f"{where} needs a name of letters, digits, '.', '_' or '-', "
                            'in quotes, e.g. name = "arxiv-cs-lg"')
            continue
        where = f"source {name!r}"
        if reserved := reserved_source_name(name):
            problems.append(f"{where}: {reserved}")
        kind, url, path = entry.get("kind"), entry.get("url"), entry.get("path")
        if kind not in SOURCE_KINDS:
            problems.append(f"{where}: kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
        if bool(url) == bool(path):
            problems.append(f"{where}: give exactly one of url = \"https://...\" or path = ...")
        elif url and not str(url).startswith(("http://", "https://")):
            problems.append(f"{where}: url must start with http:// or https://")
        minutes = parse_every(entry.get("every", "60m"))
        if minutes is None:
            problems.append(f"{where}: every must look like 30m, 6h or 1d, at most a year")
        zone = entry.get("timezone")
        if zone is not None and not _valid_zone(zone):
            problems.append(f"{where}: timezone {zone!r} is not an IANA zone")
        if name in found:
            problems.append(f"{where} is defined twice")
        location = str(url) if url else str((base / str(path)).resolve()) if path else ""
        stale = entry.get("stale_days")
        if stale is not None and not _days(stale):
            problems.append(f"{where}: stale_days must be a whole number of days (0: never)")
            stale = None
        found[name] = SourceConfig(name, str(kind), location, minutes or 60, zone, stale)
    return tuple(found.values())


def _days(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _health(table: object, problems: list[str]) -> HealthSettings:
    if not isinstance(table, dict):
        problems.append("health must be a [health] table")
        return HealthSettings()
    default = HealthSettings()
    failing = table.get("failing_after", default.failing_after)
    if not _days(failing) or failing < 1:
        problems.append(f"health.failing_after must be a whole number from 1, not {failing!r}")
        failing = default.failing_after
    stale = table.get("stale_days", default.stale_days)
    if not _days(stale):
        problems.append(f"health.stale_days must be a whole number of days (0: never), "
                        f"not {stale!r}")
        stale = default.stale_days
    alerts = table.get("alerts_channel")
    if alerts is not None and not (isinstance(alerts, str) and valid_channel(alerts)):
        problems.append("health.alerts_channel must look like console:lab, slack:C0123ABC or "
                        "discord:112233445566")
        alerts = None
    return HealthSettings(failing, stale, alerts)


_CHANNEL = re.compile(r"^(console|slack|discord):[A-Za-z0-9._-]{1,64}$")


def valid_channel(name: str) -> bool:
    """`PLATFORM:ID`, e.g. console:ml, slack:C0123ABC, discord:112233445566."""
    return bool(_CHANNEL.match(name))


def _subscriptions(entries: object, problems: list[str]) -> tuple[SubscriptionConfig, ...]:
    if not isinstance(entries, list):
        problems.append("subscriptions must be a list of [[subscriptions]] tables")
        return ()
    found = []
    for number, entry in enumerate(entries, 1):
        entry = entry if isinstance(entry, dict) else {}
        channel, query = str(entry.get("channel", "")), str(entry.get("query", "")).strip()
        kinds = entry.get("kinds", "all")
        where = f"subscription #{number}"
        if not valid_channel(channel):
            problems.append(f"{where}: channel must look like console:ml, slack:C0123ABC or "
                            "discord:112233445566")
        if not query:
            problems.append(f"{where}: query is empty; give a topic such as \"diffusion\"")
        if kinds not in ("all", "papers", "talks"):
            problems.append(f"{where}: kinds must be all, papers or talks")
        found.append(SubscriptionConfig(channel, query, str(kinds)))
    return tuple(found)
