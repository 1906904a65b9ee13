"""`lectern run`: the long-running process. It takes the database's sender lease, polls the
sources on their schedule, sends what falls due, and keeps the console and the chat
adapters connected until stopped. bot.app.build wires the parts; this module runs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.app import calendars
from bot.app.build import App, build
from bot.app.calendars import FeedServer
from bot.app.lease import SenderLease
from bot.chat import Adapter
from bot.clock import Clock
from bot.services.config import sync_sources, sync_subscriptions
from bot.settings import Settings, SettingsError
from jobs.dispatch_loop import DispatchLoop
from jobs.ingest import isolate_parsing, stop_isolation
from jobs.poll_jobs import FirstRound, ScheduledPolls
from storage.lease import Holder
from storage.store import Store

log = logging.getLogger("lectern")
# At start, sending waits for the first round of polls (at most this long), so news missed
# while the bot was down arrives as one catch-up list per channel, not one per source.
FIRST_ROUND_SECONDS = 60.0


def run(settings: Settings, clock: Clock) -> int:
    """`lectern run`: poll sources on their schedule, send what is due, serve the console."""
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        asyncio.run(_serve(settings, clock))
    except KeyboardInterrupt:
        pass
    except SettingsError as error:
        log.error("%s", error)
        return 2
    return 0


async def _serve(settings: Settings, clock: Clock) -> None:
    """Serve once this process holds the database's sender lease (bot.app.lease): a
    second `lectern run` or a `lectern dispatch` on the same database, by any path, waits
    or stops; a `lectern run` takes over when the holder stops or dies."""
    store = Store.open(settings.database)
    lease = SenderLease(store, settings.database)
    try:
        def waiting(holder: Holder) -> None:
            log.warning("another lectern run holds the database %s (%s): this one waits "
                        "and takes over when it stops", settings.database, holder.describe())

        if await lease.take(waiting):
            log.warning("the other lectern run stopped: this one now serves %s",
                        settings.database)
        serving = asyncio.create_task(_serve_holding_lock(settings, clock))
        keeping = asyncio.create_task(lease.keep())
        try:
            await asyncio.wait({serving, keeping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (serving, keeping):
                task.cancel()
            await asyncio.gather(serving, keeping, return_exceptions=True)
        if serving.done() and not serving.cancelled() and serving.exception():
            raise serving.exception()
    finally:
        with contextlib.suppress(Exception):
            lease.release()
        store.close()


async def _serve_holding_lock(settings: Settings, clock: Clock) -> None:
    app = build(settings, clock, live=True)
    isolate_parsing()  # a hostile document costs a child its limits, never the bot
    try:
        sync_sources(app.store, settings, clock.now())
        sync_subscriptions(app.store, settings, clock.now())
        assert app.polls is not None and app.dispatcher is not None
        async with app.polls:
            await _serve_app(app, app.polls, app.dispatcher)
    finally:
        stop_isolation()
        with contextlib.suppress(Exception):
            app.close()


async def _serve_app(app: App, polls: ScheduledPolls, dispatcher: DispatchLoop) -> None:
    """Connect the console and the chat adapters, start the poll jobs, and send once the
    first round is in; until the console's input ends and the process is stopped."""
    console = app.adapters["console"] = app.console()
    await console.start()
    feeds = _feed_server(app)
    try:
        if feeds is not None:
            log.info("calendar feeds: listening on http://%s:%d/cal/", feeds.host,
                     await feeds.start())
        await _start(app.chat, app.adapters)
        polls.start()
        log.info("lectern is running: %d sources, %d subscriptions, channels on %s "
                 "(database %s)", len(app.store.list_sources()),
                 len(app.store.list_subscriptions()), ", ".join(app.adapters),
                 app.settings.database)
        sender = asyncio.create_task(_send_after(polls.first_round, dispatcher))
        try:
            await console.serve()
            await sender  # stdin closed: keep polling and sending until stopped
        finally:
            sender.cancel()
    finally:
        polls.stop()
        if feeds is not None:
            await feeds.stop()
        for adapter in (console, *app.chat.values()):  # a chat one may not have started
            with contextlib.suppress(Exception):
                await adapter.stop()


def _feed_server(app: App) -> FeedServer | None:
    """Where the calendar feeds are served: beside Slack's HTTP mode when it runs, else on
    a server of their own once LECTERN_PUBLIC_URL says how people reach it."""
    feed_routes = calendars.routes(app.store, app.clock)
    slack = app.chat.get("slack")
    if slack is not None and getattr(slack, "mode", None) == "http":
        slack.routes.extend(feed_routes)
        return None
    http = app.settings.http
    return FeedServer(feed_routes, http.host, http.port) if http.public_url else None


async def _start(chat: dict[str, Adapter], started: dict[str, Adapter]) -> None:
    """Start each chat adapter, adding it to `started`; a refused configuration stops
    lectern run with a message that names the platform."""
    for name, adapter in chat.items():
        try:
            await adapter.start()
        except Exception as error:  # a refused token: say which, stop cleanly
            raise SettingsError([f"{name} did not accept the configuration: {error}"]
                                ) from error
        started[name] = adapter
        log.info("connected to %s", name)


async def _send_after(first_round: FirstRound, dispatcher: DispatchLoop) -> None:
    """Run the dispatcher once the first round of polls is in, or FIRST_ROUND_SECONDS
    have passed (a slow source must not hold up reminders for long)."""
    try:
        # asyncio.timeout, not wait_for: in 3.11 wait_for can drop the cancel of a Ctrl-C
        # that comes as the round ends (tests/jobs/test_cancel_races.py)
        async with asyncio.timeout(FIRST_ROUND_SECONDS):
            await first_round.done.wait()
    except TimeoutError:
        log.info("sending before the first poll of %s finished",
                 ", ".join(sorted(first_round.waiting)))
    await dispatcher.run_forever()
