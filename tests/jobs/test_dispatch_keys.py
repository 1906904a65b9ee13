"""Message keys (Discord's nonce, Slack's metadata): stable per delivery, and a message of
several rows names them all, so one regrouped after a restart (a catch-up list that grew)
is not taken for the message already posted, which would mark unposted rows sent."""

from __future__ import annotations

from bot.outbox import message_key as _key


def test_one_row_keeps_the_plain_key():
    assert _key([7]) == "lectern-7"


def test_several_rows_name_them_all_in_any_order():
    assert _key([3, 1, 2]) == _key([1, 2, 3]) != _key([1, 2, 3, 4])
    assert _key([1, 2, 3]).startswith("lectern-1-")
