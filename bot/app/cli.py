"""The operator CLI, `lectern` (also `python -m bot`): each command run on the built app
(bot.app.build), its arguments in bot.app.arguments, its printing in bot.app.output.

Read commands print a stable JSON document with --json. Errors go to stderr as one
sentence a person can act on; exit code 2 for bad usage or input, 1 for failures.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from adapters.text import to_text
from bot.app import output, serve
from bot.app.arguments import EXIT_USAGE, build_parser, now_instant
from bot.app.build import App, build, discord_sync
from bot.app.calendars import exportable
from bot.app.lease import EXIT_BUSY, SenderLease
from bot.chat import Invocation, UserRef
from bot.clock import Clock, FixedClock, SystemClock
from bot.health import HealthPolicy
from bot.models import ParseError, QueryError
from bot.redact import install_log_redaction, redact
from bot.services.config import sync_sources, sync_subscriptions
from bot.settings import Settings, SettingsError, load_settings
from bot.topics import parse_query, split_sort
from jobs.ingest import InputError, isolate_parsing, stop_isolation
from jobs.outgoing import DispatchReport
from jobs.poll_jobs import poll_all
from jobs.sources.fetch import FetchError
from jobs.sources.ical_export import export_ics
from storage.db import DatabaseRefused
from storage.pairs import index_pending

EXIT_FAILURE = 1
INDEX_SECONDS = 30.0  # `lectern ingest`'s work on the phrase index (~150,000 papers)
__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    install_log_redaction()  # before anything logs: no token or private URL in any log
    args = build_parser().parse_args(argv)
    if (garbled := _not_text(args)) is not None:
        instead = ("give the file on standard input instead: lectern ingest KIND - < FILE"
                   if garbled == "the location" else "type it again")
        return _fail(EXIT_USAGE, f"{garbled} holds bytes that are not UTF-8 text (a name "
                                 f"or a paste in another encoding); {instead}")
    try:
        clock: Clock = FixedClock(now_instant(args.now)) if args.now else SystemClock()
    except ValueError as refused:
        return _fail(EXIT_USAGE, str(refused))
    try:
        # `lectern run` with no config anywhere runs the offline examples, to show at
        # once what it does; other commands read only what they are given.
        fallback = str(DEMO_CONFIG) if args.command == "run" and DEMO_CONFIG.exists() else None
        settings = load_settings(args.config, db=args.db, fallback_config=fallback)
        if fallback and settings.config_path == fallback:
            print(f"lectern: no --config or LECTERN_CONFIG given: running the offline "
                  f"examples ({fallback})", file=sys.stderr)
        code = _dispatch(args, settings, clock)
        sys.stdout.flush()  # a reader that has gone is found here, not at interpreter exit
        return code
    except BrokenPipeError:  # `lectern seminars | head -1`: the reader has gone, quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (SettingsError, InputError, ParseError, QueryError, DatabaseRefused) as error:
        return _fail(EXIT_USAGE, str(error))
    except FetchError as error:
        return _fail(EXIT_FAILURE, redact(str(error)))
    except sqlite3.DatabaseError as error:  # damaged, full, read-only: one line, no trace
        return _fail(EXIT_FAILURE, database_fault(error, args.db or "the database"))
    except OSError as error:  # a full disk or a read-only place for a file written
        return _fail(EXIT_FAILURE, os_fault(error))
    except KeyboardInterrupt:
        return 130


async def _dispatch_holding(app: App, lease: SenderLease,
                            json_out: bool) -> DispatchReport | None:
    """`lectern dispatch` while holding the sender lease (renewed as it sends); None when
    another process took the lease over meanwhile: sending stops at once, as the new
    holder now sends (what was in flight it looks for before sending again)."""
    keeping = asyncio.create_task(lease.keep())
    sending = asyncio.create_task(
        app.dispatch_once(console_out=sys.stderr if json_out else None))
    try:
        await asyncio.wait({keeping, sending}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (keeping, sending):
            task.cancel()
        await asyncio.gather(keeping, sending, return_exceptions=True)
    return sending.result() if not sending.cancelled() else None


def _not_text(args: argparse.Namespace) -> str | None:
    """The first argument holding bytes the terminal could not decode (Python keeps them
    as lone surrogates, which no database, file or JSON document can store)."""
    for name, value in vars(args).items():
        if name == "text":  # a slash command: the registry answers it as chat would
            continue
        texts = [value] if isinstance(value, str) else [
            getattr(value, "id", None), getattr(value, "platform", None)]
        for text in texts:
            if isinstance(text, str) and not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    return _POSITIONAL.get(name) or "--" + name.replace("_", "-")
    return None


_POSITIONAL = {"query": "the query", "location": "the location"}


def os_fault(error: OSError) -> str:
    """A failed write or read in one line, with the advice that fits its cause."""
    where = f" ({error.filename})" if error.filename else ""
    said = f"{error.strerror or error}{where}"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{said}; free some space, then run it again"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{said}; check the file's and its folder's permissions, or write elsewhere"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"{said}; check that the folder exists and the path is spelled right"
    return f"{said}; check the path and the disk, then run it again"


def database_fault(error: sqlite3.DatabaseError, database: str) -> str:
    """What a SQLite failure means for the operator, in one line with what to do."""
    said = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
    lowered = said.lower()
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return (f"{database} is not a lectern database or is damaged ({said}); restore it "
                "from a backup, or give --db a new file")
    if "full" in lowered:
        return (f"the disk holding {database} is full ({said}); nothing was half-written: "
                "free some space and run it again")
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return (f"cannot write {database} ({said}); lectern needs to write its database: "
                "check the file's and its folder's permissions, or give --db another file")
    return f"the database {database} failed ({said}); check the file and run it again"


def _dispatch(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    command = args.command
    if command == "run":
        return serve.run(settings, clock)
    if command == "discord":  # talks to Discord only, never to the database
        guild = str(args.guild) if args.guild else None
        names = discord_sync(settings, clock, guild)
        print(f"registered {len(names)} commands "
              + (f"in server {guild} (visible now)" if guild
                 else "globally (Discord shows them within an hour)")
              + ": " + ", ".join(f"/{name}" for name in names))
        return 0
    app = build(settings, clock, apply_migrations=command != "migrate")
    try:
        if command != "migrate":
            # The config file's subscriptions exist before anything is stored, so items a
            # command stores are matched against them.
            sync_subscriptions(app.store, settings, clock.now())
        if command in ("search", "seminars", "export-ics", "papers", "sources"):
            return _read(args, app)
        return _change(args, app)
    finally:
        app.close()


def _read(args: argparse.Namespace, app: App) -> int:
    """The commands that print what is stored."""
    command, store, now = args.command, app.store, app.clock.now()
    if command == "search":
        words, sort = split_sort(args.query)  # --sort, when given, wins over sort:
        hits = store.search(parse_query(words), limit=args.limit, kind=args.kind,
                            sort=args.sort or sort)
        output.print_hits({"query": args.query}, hits, args.json)
    elif command == "seminars":
        start = None if args.all else (args.start or now)
        talks = store.list_talks(ending_after=start, starting_before=args.stop,
                                 series=args.series)
        output.print_talks(talks, args.json)
    elif command == "export-ics":
        channel_id = f"{args.channel.platform}:{args.channel.id}" if args.channel else None
        channel = store.ensure_channel(channel_id, now) if channel_id else None
        talks = store.list_talks(series=args.series, followed_by=channel_id)
        document = export_ics(exportable(talks), now,
                              name=args.series or channel_id or "lectern talks",
                              alarms=channel.offsets() if channel else ())
        output.write_bytes(document, args.output)
    elif command == "papers":
        output.print_papers(store.latest_papers(args.limit), args.json)
    elif command == "sources":
        output.print_sources(sync_sources(store, app.settings, now),
                             HealthPolicy.from_settings(app.settings), args.json)
    return 0


def _change(args: argparse.Namespace, app: App) -> int:
    """The commands that store, poll, send or act as a member."""
    command = args.command
    if command == "migrate":
        applied = app.store.migrate()
        print(f"database {app.settings.database}: "
              + (f"applied migrations {applied}" if applied else "up to date"))
    elif command == "ingest":
        report = asyncio.run(app.ingest(args.kind, args.location, source=args.source,
                                        timezone=args.timezone, series=args.series,
                                        progress=output.progress_bar()))
        # Phrases of common words (storage.pairs), for at most INDEX_SECONDS: after an
        # upgrade every stored paper waits, and a small file must not wait for them all.
        index_pending(app.store.db, INDEX_SECONDS)
        output.print_ingest(report, args.json)
    elif command == "poll":  # run from cron too: documents read within the child's limits
        isolate_parsing()
        try:
            reports = asyncio.run(poll_all(app.store, app.settings, app.clock,
                                           only=args.source))
        finally:
            stop_isolation()
        output.print_polls(reports, args.json)
    elif command == "dispatch":
        lease = SenderLease(app.store, app.settings.database)
        holder = lease.try_take()
        if holder is not None:
            return _fail(EXIT_BUSY, f"another lectern ({holder.describe()}) is sending from "
                                    f"{app.settings.database}; it sends what is due, or run "
                                    "lectern dispatch again once it stops")
        try:
            report = asyncio.run(_dispatch_holding(app, lease, args.json))
        finally:
            lease.release()
        if report is None:
            return _fail(EXIT_BUSY, f"another lectern took over sending from "
                                    f"{app.settings.database} while this dispatch ran; it "
                                    "sends the rest")
        if args.json:
            print(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            print(f"sent {len(report.sent)}, skipped {len(report.skipped)}, "
                  f"failed {len(report.failed)}", file=sys.stderr)
    elif command == "command":
        return _command(args, app)
    return 0


def _command(args: argparse.Namespace, app: App) -> int:
    """`lectern command`: one slash command as a channel member; its reply printed."""
    reply = asyncio.run(app.command(_invocation(args)))
    text = to_text(reply.message)
    print(json.dumps({"text": text, "private": reply.ephemeral, "ok": not reply.refused},
                     ensure_ascii=False) if args.json else text)
    return EXIT_USAGE if reply.refused else 0


def _invocation(args: argparse.Namespace) -> Invocation:
    name, *rest = args.text[1:].split(maxsplit=1)
    return Invocation(name, rest[0] if rest else "", args.channel,
                      UserRef(args.user, args.user), is_manager=args.manager)


DEMO_CONFIG = Path(__file__).resolve().parents[2] / "examples" / "demo.toml"


def _fail(code: int, message: str) -> int:
    print(f"lectern: {message}", file=sys.stderr)
    return code
