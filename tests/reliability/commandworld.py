"""What the rounds of attacks on slash commands share: the hooks `lectern run` gives
commands (as far as /seminars add needs them; conftest.py's `hooks` and `registry`
fixtures use them) and the check that a refusal is one short line."""

from __future__ import annotations

from bot.chat import Reply
from bot.commands.context import NoHooks
from jobs.sources import announcement

CRASHED = "something went wrong on our side"
SHORT = 400  # a refusal is one line a member reads at a glance


class ReadingHooks(NoHooks):
    """The hooks `lectern run` gives commands, as far as /seminars add needs them."""

    def __init__(self) -> None:
        self.planned = 0

    def items_stored(self, papers, talks) -> None:
        self.planned += len(talks.new) + len(talks.updated)

    def read_announcement(self, text, *, source, timezone, now):
        return announcement.parse(text, source, timezone=timezone, now=now)


def refused_briefly(reply: Reply) -> None:
    assert reply.refused, reply.message.text
    assert CRASHED not in reply.message.text
    assert len(reply.message.text) < SHORT, reply.message.text[:300]
    assert "\n" not in reply.message.text
