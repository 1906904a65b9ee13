"""Rows of test_talktime_table.py read in US and European zones (the rest are there), and how
a section of rows is made: (zone, now, phrase, start, end) as pytest params."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest


def section(zone: str, now: str, rows: list[tuple[str, str | None, str | None]]) -> list:
    """Rows read in `zone` with `now` (local wall time)."""
    moment = datetime.fromisoformat(now).replace(tzinfo=ZoneInfo(zone))
    return [pytest.param(zone, moment, *row, id=f"{zone}|{row[0][:40]}") for row in rows]


WESTERN = [
    # ernbilen/EHEC-website _data/past_seminars.csv and schedule.md (a US series)
    *section("America/New_York", "2021-01-01 12:00", [
        ("4/22/2020,2:30 PM EDT", "2020-04-22 14:30", None),
        ("12/16/2020,2:30 PM EDT", "2020-12-16 14:30", None),
        ("6/3/2020,2:30 PM EDT", "2020-06-03 14:30", None),  # the US writes the month first
        ("3/10/2021,2:30 PM EDT", "2021-03-10 14:30", None),
        ("1/13/2021", "2021-01-13", None),
        ("All seminars start at **2:30PM EDT / 1:30PM CDT / 11:30AM PDT**.", "14:30", None),
        # issue 11's list
        ("2:00 PM - 3:00 PM EST", "14:00", "15:00"),
        ("Dec. 1, 2023, 2:00 PM - 3:00 PM EST", "2023-12-01 14:00", "15:00"),
    ]),
    # physics.ua.edu/recent-events/colloquia (pages search)
    *section("America/Chicago", "2018-08-01 12:00", [
        ("colloquia are held from 3:45 to 4:45 p.m, with refreshments", "15:45", "16:45"),
        ("served at 3:30 p.m., in 227 Gallalee Hall", "15:30", None),
    ]),
    # graduate.utulsa.edu/research-colloquium/agenda (pages search)
    *section("America/Chicago", "2022-03-01 12:00", [
        ("Monday, March 28 – 8:00 AM – 5:00 PM", "2022-03-28 08:00", "17:00"),
        ("Friday, April 1 – 8:00 AM – 5:00 PM", "2022-04-01 08:00", "17:00"),
    ]),
    # www3.nd.edu/~bhall/colloquia (pages search)
    *section("America/Indiana/Indianapolis", "2019-09-01 12:00", [
        ("Wednesday, October 30, Debraj Chakrabarti, Central Michigan University",
         "2019-10-30", None),
    ]),
    # a UCSF workshop schedule (code search, "All posted times are **Pacific**")
    *section("America/Los_Angeles", "2023-06-01 12:00", [
        ("### Monday, June 26", "2023-06-26", None),
        ("|**8:50 am**  | Zoom session starts |", "08:50", None),
        ("|**11:30 pm**  | Technology talk by Lexogen |", "23:30", None),
    ]),
    # hbasold/liacs-theory _posts/2019-09-04-seminar-start.md
    *section("Europe/Amsterdam", "2019-09-04 15:00", [
        ("date:   2019-09-04 15:00:00 +0200", "2019-09-04 15:00", None),
        ("The seminar will take every other week at 2pm, starting on 9 September.",
         "2019-09-09 14:00", None),
        ("* 9 Sept, 413", "2019-09-09", None),
        ("* 07 Oct, 401", "2019-10-07", None),
    ]),
    # c4dm/c4dmpoole input/seminars.md
    *section("Europe/London", "2023-08-01 12:00", [
        ("Usually, seminars take place on Wednesdays, 3pm, in room Eng 209", "15:00", None),
        # issue 11's list
        ("Thursday 3 October 2024, 16:00 - 17:00 (UK time)", "2024-10-03 16:00", "17:00"),
        ("Thu, 24 Aug 2023 14:00:00 +0000", "2023-08-24 15:00", None),
        ("2023-08-24T14:00:00Z", "2023-08-24 15:00", None),
    ]),
    # the-au-forml-lab colloquium_talks/Balzer.md: the time again in brackets for UTC
    *section("America/New_York", "2021-08-20 12:00", [
        ("When: Friday, 9/3/2021, between 1pm and 2pm (5pm-6pm UTC), EST",
         "2021-09-03 13:00", "14:00"),
        ("Time: 1pm-2pm EDT (5pm-6pm UTC)", "13:00", "14:00"),
    ]),
    # NAUMathStat/seminars colloquiumSpring2024.md: a weekday settles "1/23" without a year
    *section("America/Phoenix", "2024-01-10 12:00", [
        ("Tuesday 1/23 at 4:00-4:50", "2024-01-23 16:00", "16:50"),
        ("Tuesday 2/6 at 4:00-4:50", "2024-02-06 16:00", "16:50"),
    ]),
    # lcc19941214/SJC-EnVersion academ*.php (Wuhan University, English pages)
    *section("Asia/Shanghai", "2015-09-01 12:00", [
        ("7:30 p.m.-9：30 p.m. 30th,Oct.", "2015-10-30 19:30", "21:30"),
        ("9:50 a.m.-12:00 a.m.24th ,Sept.", "2015-09-24 09:50", "12:00"),
        ("3:00 p.m.-5:00 p.m.25th ,Sept.", "2015-09-25 15:00", "17:00"),
    ]),
]
