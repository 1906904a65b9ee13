"""A dispatcher in its own process whose adapter can kill the process mid-send (used by
test_crash.py: SIGKILL after a message is posted, before it is marked sent)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from bot.chat import ChannelRef, Message, SentRef
from bot.clock import parse_instant
from jobs.dispatch import dispatch_due
from storage.store import Store


class RecordingAdapter:
    platform = "console"

    def __init__(self, log_path: str, kill_after: int) -> None:
        self.log_path, self.kill_after, self.count = log_path, kill_after, 0

    async def send(self, channel: ChannelRef, message: Message) -> SentRef:
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"{channel.id}|{message.title}\n")
            log.flush()
            os.fsync(log.fileno())
        self.count += 1
        if self.count == self.kill_after:
            os.kill(os.getpid(), signal.SIGKILL)  # posted, not yet marked sent
        return SentRef(channel, str(self.count))


def main(db: str, log_path: str, now: str, kill_after: int) -> None:
    store = Store.open(db)
    store.release_stale_claims()
    adapter = RecordingAdapter(log_path, kill_after)
    asyncio.run(dispatch_due(store, {"console": adapter}, parse_instant(now), "UTC"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
