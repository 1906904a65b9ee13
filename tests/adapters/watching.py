"""A fake platform's record of what reached it that also notes, at each arrival, whether a
command was being answered (bot.foreground): the dispatcher's senders give way meanwhile."""

from __future__ import annotations


class Watched(list):
    def __init__(self, foreground) -> None:
        super().__init__()
        self.foreground, self.busy = foreground, []

    def append(self, item) -> None:
        self.busy.append(self.foreground.busy)
        super().append(item)
