"""`lectern run`: the long-running process. It takes the database's run lock, polls the
sources on their schedule, sends what falls due, and keeps the console and the chat
adapters connected until stopped. bot.main builds the parts; this module runs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from adapters.console import ConsoleAdapter
from bot.chat import Adapter
from bot.clock import Clock, SystemClock
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.main import (
    CliHooks,
    chat_adapters,
    make_fetcher,
    open_store,
    poll_checked,
    sync_sources,
    sync_subscriptions,
)
from bot.models import TalkChanges, UpsertResult
from bot.runlock import RunLock
from bot.settings import Settings, SettingsError
from jobs.dispatch_loop import DispatchLoop
from jobs.scheduler import Scheduler
from storage.store import Store

log = logging.getLogger("lectern")
# At start, sending waits for the first round of polls (at most this long), so news missed
# while the bot was down arrives as one catch-up list per channel, not one per source.
FIRST_ROUND_SECONDS = 60.0


class RunHooks(CliHooks):
    """Hooks for `lectern run`: also wake the dispatcher and rebuild the poll jobs."""

    def __init__(self, store: Store, clock: Clock, settings: Settings,
                 dispatcher: DispatchLoop, reschedule: Callable[[], None]) -> None:
        super().__init__(store, clock, settings)
        self.dispatcher, self.reschedule = dispatcher, reschedule

    def items_stored(self, papers: UpsertResult, talks: TalkChanges) -> None:
        super().items_stored(papers, talks)
        self.dispatcher.wake()

    def sources_changed(self) -> None:
        self.reschedule()

    def reminders_changed(self, channel_id: str) -> None:
        super().reminders_changed(channel_id)
        self.dispatcher.wake()

    def deliveries_planned(self) -> None:
        self.dispatcher.wake()


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
    """Serve once this process holds the database's run lock (bot.runlock): a second
    `lectern run` on the same database waits, then takes over when the first exits."""
    lock = RunLock(settings.database)
    if lock.path is not None and not lock.supported:
        log.warning("this system has no file locks: nothing stops a second lectern run "
                    "from sending too")
    waited = False

    def waiting(holder: str) -> None:
        nonlocal waited
        waited = True
        log.warning("another lectern run holds the database %s (%s; lock file %s): this "
                    "one waits and takes over when it stops", settings.database, holder,
                    lock.path)

    await lock.acquire(clock.now, waiting)
    if waited:
        log.warning("the other lectern run stopped: this one now serves %s",
                    settings.database)
    try:
        await _serve_holding_lock(settings, clock)
    finally:
        lock.release()


async def _serve_holding_lock(settings: Settings, clock: Clock) -> None:
    store = open_store(settings)
    sync_sources(store, settings, clock.now())
    sync_subscriptions(store, settings, clock.now())
    adapters: dict[str, Adapter] = {}
    dispatcher = DispatchLoop(store, adapters, clock, settings.timezone)
    scheduler = Scheduler()
    async with make_fetcher(settings) as fetcher:
        first_round = _FirstRound({source.name for source in store.list_sources()})

        async def poll(name: str) -> None:
            try:
                report, _, notices = await poll_checked(store, settings, name, fetcher,
                                                        clock.now(), scheduled=True)
            finally:
                first_round.polled(name)
            if report:
                log.info("%s: %s", name, report.summary())
            if report or notices:
                dispatcher.wake()

        def reschedule() -> None:
            scheduler.schedule_polls(store.list_sources(), poll,
                                     first_run=SystemClock().now())

        hooks = RunHooks(store, clock, settings, dispatcher, reschedule)
        registry = build_registry(BotContext(store=store, clock=clock, settings=settings,
                                             hooks=hooks))
        adapters["console"] = console = ConsoleAdapter(registry)
        await console.start()
        chat = chat_adapters(settings, registry, clock, store)
        await _start(chat, adapters)
        reschedule()
        scheduler.start()
        log.info("lectern is running: %d sources, %d subscriptions, channels on %s "
                 "(database %s)", len(store.list_sources()), len(store.list_subscriptions()),
                 ", ".join(adapters), settings.database)
        sender = asyncio.create_task(_send_after(first_round, dispatcher))
        try:
            await console.serve()
            await sender  # stdin closed: keep polling and sending until stopped
        finally:
            sender.cancel()
            scheduler.shutdown()
            for adapter in (console, *chat.values()):  # a chat one may not have started
                with contextlib.suppress(Exception):
                    await adapter.stop()
            with contextlib.suppress(Exception):
                store.close()


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


class _FirstRound:
    """Which of the sources known at start have been polled once since."""

    def __init__(self, names: set[str]) -> None:
        self.waiting = set(names)
        self.done = asyncio.Event()
        if not self.waiting:
            self.done.set()

    def polled(self, name: str) -> None:
        self.waiting.discard(name)
        if not self.waiting:
            self.done.set()


async def _send_after(first_round: _FirstRound, dispatcher: DispatchLoop) -> None:
    """Run the dispatcher once the first round of polls is in, or FIRST_ROUND_SECONDS
    have passed (a slow source must not hold up reminders for long)."""
    try:
        await asyncio.wait_for(first_round.done.wait(), timeout=FIRST_ROUND_SECONDS)
    except TimeoutError:
        log.info("sending before the first poll of %s finished",
                 ", ".join(sorted(first_round.waiting)))
    await dispatcher.run_forever()
