"""Add to Google Calendar (bot.gcal): the template link of a talk, in UTC, that fits a
Discord link button (512 characters) however long the talk's details."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from bot.gcal import MAX_URL, google_calendar_url
from bot.models import Talk
from bot.render import render_talk_announcement


def talk(**fields) -> Talk:
    base = dict(key="k", source="s", title="Diffusion as transport", speakers=["Jane Doe"],
                start=datetime(2026, 12, 3, 15, tzinfo=timezone(timedelta(hours=8))),
                location="Room 1", meeting_url="https://zoom.us/j/1")
    return Talk(**{**base, **fields})


def test_the_link_holds_the_talk_in_utc():
    query = parse_qs(urlsplit(google_calendar_url(talk())).query)
    assert query["action"] == ["TEMPLATE"] and query["text"] == ["Diffusion as transport"]
    assert query["dates"] == ["20261203T070000Z/20261203T080000Z"]  # an hour by default
    assert query["location"] == ["Room 1"] and "https://zoom.us/j/1" in query["details"][0]


def test_long_details_are_trimmed_to_fit_a_button():
    url = google_calendar_url(talk(speakers=["名字" * 200], title="T" * 500,
                                   meeting_url="https://x.org/" + "a" * 900))
    assert url is not None and len(url) <= MAX_URL


def test_an_announcement_offers_it_unless_cancelled_or_undated():
    def labels(item: Talk) -> list[str]:
        return [b.label for b in render_talk_announcement("t1", item, "UTC", None).buttons]

    assert labels(talk()) == ["Add to Google Calendar"]
    assert labels(talk(status="cancelled")) == []
    assert labels(talk(start=None)) == []
    assert google_calendar_url(talk(end=datetime(2026, 12, 3, 9, tzinfo=UTC))).count(
        "T090000Z") == 1
