"""The operator CLI, `lectern` (also `python -m bot`): argument parsing and output.

Read commands print a stable JSON document with --json. Errors go to stderr as one
sentence a person can act on; exit code 2 for bad usage or input, 1 for failures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.text import to_text
from bot import cli_output as output
from bot import main as app
from bot import serve
from bot.chat import ChannelRef, Invocation, UserRef
from bot.clock import Clock, FixedClock, SystemClock, parse_instant
from bot.health import HealthPolicy
from bot.models import ParseError, QueryError
from bot.redact import install_log_redaction, redact
from bot.settings import Settings, SettingsError, load_settings, valid_channel
from bot.sourcekinds import INGEST_KINDS
from bot.topics import parse_query
from jobs.ingest import InputError
from jobs.sources.fetch import FetchError
from jobs.sources.ical_export import export_ics

EXIT_FAILURE, EXIT_USAGE = 1, 2


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
    ingest.add_argument("--source", help="source name for the items (default: from location)")
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


def _instant(text: str):
    try:
        return parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 instant, e.g. "
                                         "2026-11-23T09:00:00Z") from None


def _zone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"{text!r} is not an IANA time zone; use e.g. "
                                         "Europe/London or Asia/Shanghai") from None
    return text


def _channel(text: str) -> ChannelRef:
    if not valid_channel(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a channel; write PLATFORM:ID with PLATFORM one of console, "
            "slack or discord, e.g. console:ml, slack:C0123ABC or discord:112233")
    platform, _, channel_id = text.partition(":")
    return ChannelRef(platform, channel_id)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    install_log_redaction()  # before anything logs: no token or private URL in any log
    args = build_parser().parse_args(argv)
    try:
        clock: Clock = FixedClock(parse_instant(args.now)) if args.now else SystemClock()
    except ValueError:
        return _fail(EXIT_USAGE, f"--now {args.now!r} is not an ISO 8601 instant; "
                                 "use e.g. 2026-11-23T09:00:00Z")
    try:
        # `lectern run` with no config anywhere runs the offline examples, to show at
        # once what it does; other commands read only what they are given.
        fallback = str(DEMO_CONFIG) if args.command == "run" and DEMO_CONFIG.exists() else None
        settings = load_settings(args.config, db=args.db, fallback_config=fallback)
        if fallback and settings.config_path == fallback:
            print(f"lectern: no --config or LECTERN_CONFIG given: running the offline "
                  f"examples ({fallback})", file=sys.stderr)
        return _dispatch(args, settings, clock)
    except (SettingsError, InputError, ParseError, QueryError) as error:
        return _fail(EXIT_USAGE, str(error))
    except FetchError as error:
        return _fail(EXIT_FAILURE, redact(str(error)))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `lectern seminars | head`: the reader has gone, quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    command = args.command
    if command == "run":
        return serve.run(settings, clock)
    if command == "discord":  # talks to Discord only, never to the database
        guild = str(args.guild) if args.guild else None
        names = app.discord_sync(settings, guild)
        print(f"registered {len(names)} commands "
              + (f"in server {guild} (visible now)" if guild
                 else "globally (Discord shows them within an hour)")
              + ": " + ", ".join(f"/{name}" for name in names))
        return 0
    store = app.open_store(settings, apply_migrations=command != "migrate")
    try:
        if command != "migrate":
            # The config file's subscriptions exist before anything is stored, so items a
            # command stores are matched against them.
            app.sync_subscriptions(store, settings, clock.now())
        if command in ("search", "seminars", "export-ics", "papers", "sources"):
            return _read(args, store, settings, clock)
        return _change(args, store, settings, clock)
    finally:
        store.close()


def _read(args: argparse.Namespace, store, settings: Settings, clock: Clock) -> int:
    """The commands that print what is stored."""
    command = args.command
    if command == "search":
        hits = store.search(parse_query(args.query), limit=args.limit, kind=args.kind)
        output.print_hits({"query": args.query}, hits, args.json)
    elif command == "seminars":
        start = None if args.all else (args.start or clock.now())
        talks = store.list_talks(ending_after=start, starting_before=args.stop,
                                 series=args.series)
        output.print_talks(talks, args.json)
    elif command == "export-ics":
        channel_id = f"{args.channel.platform}:{args.channel.id}" if args.channel else None
        channel = store.ensure_channel(channel_id, clock.now()) if channel_id else None
        talks = store.list_talks(series=args.series, followed_by=channel_id)
        document = export_ics(talks, clock.now(),
                              name=args.series or channel_id or "lectern talks",
                              alarms=channel.offsets() if channel else ())
        output.write_bytes(document, args.output)
    elif command == "papers":
        output.print_papers(store.latest_papers(args.limit), args.json)
    elif command == "sources":
        output.print_sources(app.sync_sources(store, settings, clock.now()),
                             HealthPolicy.from_settings(settings), args.json)
    return 0


def _change(args: argparse.Namespace, store, settings: Settings, clock: Clock) -> int:
    """The commands that store, poll, send or act as a member."""
    command = args.command
    if command == "migrate":
        applied = store.migrate()
        print(f"database {settings.database}: "
              + (f"applied migrations {applied}" if applied else "up to date"))
    elif command == "ingest":
        report = asyncio.run(app.ingest(store, settings, clock, args.kind, args.location,
                                        source=args.source, timezone=args.timezone,
                                        series=args.series, progress=output.progress_bar()))
        output.print_ingest(report, args.json)
    elif command == "poll":
        reports = asyncio.run(app.poll_all(store, settings, clock, only=args.source))
        output.print_polls(reports, args.json)
    elif command == "dispatch":
        report = asyncio.run(app.dispatch_once(
            store, settings, clock, console_out=sys.stderr if args.json else None))
        if args.json:
            print(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            print(f"sent {len(report.sent)}, skipped {len(report.skipped)}, "
                  f"failed {len(report.failed)}", file=sys.stderr)
    elif command == "command":
        reply = app.run_command(store, settings, clock, _invocation(args))
        text = to_text(reply.message)
        print(json.dumps({"text": text, "private": reply.ephemeral, "ok": not reply.refused},
                         ensure_ascii=False) if args.json else text)
        if reply.refused:
            return EXIT_USAGE
    return 0


def _slash(text: str) -> str:
    if not text.strip().startswith("/") or not text.strip()[1:].strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not a slash command; type it as in "
                                         'chat, e.g. "/seminars next"')
    return text.strip()


def _invocation(args: argparse.Namespace) -> Invocation:
    name, *rest = args.text[1:].split(maxsplit=1)
    return Invocation(name, rest[0] if rest else "", args.channel,
                      UserRef(args.user, args.user), is_manager=args.manager)


DEMO_CONFIG = Path(__file__).resolve().parents[1] / "examples" / "demo.toml"


def _fail(code: int, message: str) -> int:
    print(f"lectern: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
