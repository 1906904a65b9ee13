"""The operator CLI's arguments (`lectern --help`): every command and option, each value
checked as it is parsed so a mistake is reported before anything runs (exit code 2)."""

from __future__ import annotations

import argparse
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.chat import ChannelRef
from bot.clock import parse_instant
from bot.settings import valid_channel
from bot.sourcekinds import INGEST_KINDS, reserved_source_name
from bot.timezones import NOT_ZONES

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code is 2 as well
        self.exit(EXIT_USAGE, f"lectern: {message}; see `lectern --help`\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lectern", description="Research-group paper and seminar bot.")
    parser.add_argument("--db", help="SQLite file (default: $LECTERN_DB or ./lectern.db)")
    parser.add_argument("--config", help="TOML config file (see examples/lectern.toml)")
    parser.add_argument("--now", help="ISO 8601 instant every command takes as now")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("run", help="run the bot (console channel without chat tokens)")
    commands.add_parser("migrate", help="create or upgrade the database schema")
    ingest = commands.add_parser("ingest", help="read one document into the database")
    ingest.add_argument("kind", choices=INGEST_KINDS)
    ingest.add_argument("location", help="http(s) URL, file path, or - for stdin")
    ingest.add_argument("--source", type=_source_name,
                        help="source name for the items (default: from location)")
    ingest.add_argument("--tz", "--timezone", dest="timezone", type=_zone,
                        help="IANA zone of naive times in the document (default: config)")
    ingest.add_argument("--series", help="the seminar series the document's talks belong to")
    _json(ingest)
    _add_listings(commands)
    _add_operations(commands)
    return parser


def _add_listings(commands) -> None:
    """The commands that print what is stored."""
    search = commands.add_parser("search", help="full-text search over papers and talks")
    search.add_argument("query")
    search.add_argument("--kind", choices=("papers", "talks", "all"), default="all")
    search.add_argument("--limit", type=_positive, default=10)
    search.add_argument("--sort", choices=("best", "new"), default=None,
                        help="papers: the best matches of the whole archive (default) or "
                             "the newest first; sort:new in the query does the same")
    _json(search)
    seminars = commands.add_parser("seminars", help="list stored talks, soonest first")
    when = seminars.add_mutually_exclusive_group()
    when.add_argument("--upcoming", action="store_true", help="talks not over yet (default)")
    when.add_argument("--all", action="store_true", help="every stored talk")
    seminars.add_argument("--from", dest="start", type=_instant, help="talks ending after")
    seminars.add_argument("--to", dest="stop", type=_instant, help="talks starting before")
    seminars.add_argument("--series", help="only this series")
    _json(seminars)
    export = commands.add_parser("export-ics", help="write stored talks as iCalendar")
    export.add_argument("--series", help="only this series")
    export.add_argument("--channel", type=_channel,
                        help="only the talks this channel follows, with its reminders as "
                             "alarms")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    papers = commands.add_parser("papers", help="list stored papers")
    papers_commands = papers.add_subparsers(dest="papers_command", required=True,
                                            parser_class=_Parser)
    latest = papers_commands.add_parser("latest", help="newest papers first")
    latest.add_argument("--limit", type=_positive, default=10)
    _json(latest)
    sources = commands.add_parser("sources", help="configured sources and their health")
    sources_commands = sources.add_subparsers(dest="sources_command", required=True,
                                              parser_class=_Parser)
    _json(sources_commands.add_parser("list", help="every source with its health"))


def _add_operations(commands) -> None:
    """The commands that poll, send, act as a member or set up Discord."""
    poll = commands.add_parser("poll", help="poll sources once, now")
    poll.add_argument("--source", help="only this source")
    _json(poll)
    _json(commands.add_parser("dispatch", help="send every delivery due at --now, once"))
    command = commands.add_parser("command", help="run one slash command as a channel member")
    command.add_argument("text", type=_slash,
                         help='the command as typed in chat, e.g. "/seminars next"')
    command.add_argument("--channel", required=True, type=_channel,
                         help="PLATFORM:ID, e.g. console:ml, slack:C0123ABC, discord:112233")
    command.add_argument("--user", default="operator", help="the member's id")
    command.add_argument("--manager", action="store_true",
                         help="the member manages the channel (may change its settings)")
    _json(command)
    discord = commands.add_parser("discord", help="Discord set-up")
    discord_commands = discord.add_subparsers(dest="discord_command", required=True,
                                              parser_class=_Parser)
    sync = discord_commands.add_parser(
        "sync", help="register the slash commands with Discord (after an upgrade)")
    sync.add_argument("--guild", type=_positive,
                      help="one server's id: its commands update at once (default: global)")


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON document")


# A --now lectern can plan around: it looks years back (backlogs) and ahead (feeds,
# reminders), and 9999-12-31 or year 1 overflowed Python's dates deep in a command.
NOW_YEARS = (1900, 9000)


def _instant(text: str):
    try:
        return parse_instant(text)
    except (ValueError, OverflowError):  # 9999-12-31T23:00-01:00 is past year 9999 in UTC
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 instant, e.g. "
                                         "2026-11-23T09:00:00Z") from None


def now_instant(text: str) -> datetime:
    """--now as an aware UTC instant; ValueError saying what to type instead."""
    try:
        moment = parse_instant(text)
    except OverflowError:  # in UTC past year 9999 or before year 1
        moment = None
    except ValueError:
        raise ValueError(f"--now {text!r} is not an ISO 8601 instant; use e.g. "
                         "2026-11-23T09:00:00Z") from None
    if moment is None or not NOW_YEARS[0] <= moment.year < NOW_YEARS[1]:
        raise ValueError(f"--now {text!r} is too far from today for lectern to plan "
                         f"around; give a time between the years {NOW_YEARS[0]} and "
                         f"{NOW_YEARS[1]}, e.g. 2026-11-23T09:00:00Z")
    return moment


def _zone(text: str) -> str:
    try:
        ZoneInfo(text)
        if text in NOT_ZONES:  # the host's clock or "-00": no place's (bot.timezones)
            raise ValueError(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"{text!r} is not an IANA time zone; use e.g. "
                                         "Europe/London or Asia/Shanghai") from None
    return text


def _source_name(text: str) -> str:
    """Not the name pasted talks are kept under: a document read into it would cancel
    the talks it does not list (bot.sourcekinds)."""
    if reserved := reserved_source_name(text):
        raise argparse.ArgumentTypeError(reserved)
    return text


def _channel(text: str) -> ChannelRef:
    if not valid_channel(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a channel; write PLATFORM:ID with PLATFORM one of console, "
            "slack or discord, e.g. console:ml, slack:C0123ABC or discord:112233")
    platform, _, channel_id = text.partition(":")
    return ChannelRef(platform, channel_id)


_LARGEST = 2**63 - 1  # SQLite's largest integer (a Discord server id fits)


def _positive(text: str) -> int:
    shown = text if len(text) <= 40 else text[:40] + "…"  # said back, not pasted back
    if not (text.isascii() and text.isdigit()) or int(text[:40]) < 1:
        raise argparse.ArgumentTypeError(f"{shown!r} is not a positive whole number")
    if len(text) > 19 or int(text) > _LARGEST:
        raise argparse.ArgumentTypeError(f"{shown!r} is too large; give at most {_LARGEST}")
    return int(text)


def _slash(text: str) -> str:
    if not text.strip().startswith("/") or not text.strip()[1:].strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not a slash command; type it as in "
                                         'chat, e.g. "/seminars next"')
    return text.strip()
