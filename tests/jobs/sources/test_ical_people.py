"""jobs.sources.ical: who speaks, on what, and where to join, as real calendars write it
(Outlook's "Speaker (Affiliation), Title" SUMMARY, a scraper's "Speaker:" lines)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Talk
from jobs.sources.ical_summary import split_summary
from tests.conftest import shared_file
from tests.jobs.sources.ical_helpers import calendar, parse_bytes, utc


def realworld(name: str, now: datetime) -> list[Talk]:
    data = shared_file("corpus", "realworld", "ical", name).read_bytes()
    return parse_bytes(data, timezone="UTC", now=now).talks


@pytest.mark.parametrize(("summary", "expected"), [
    # hupple-combinatorics-outlook.ics (an Outlook 16.0 export)
    ("Hao Huang (Emory), On local Turán problems", ("Hao Huang (Emory)",
                                                    "On local Turán problems")),
    ("Jiaao Li (Nankai U.), Flows and cycle covers of signed graphs",
     ("Jiaao Li (Nankai U.)", "Flows and cycle covers of signed graphs")),
    ("Igor Kortchemski (Ecole polytechnique), The geometry of random minimal factorizations",
     ("Igor Kortchemski (Ecole polytechnique)", "The geometry of random minimal factorizations")),
    # the same habit with other marks, and two speakers
    ("Jane Doe (MIT): Robust estimation", ("Jane Doe (MIT)", "Robust estimation")),
    ("Jane Doe (MIT) – “Robust estimation”", ("Jane Doe (MIT)", "Robust estimation")),
    ("Jane Doe (MIT), John Roe (ETH Zürich), Two views of one graph",
     ("Jane Doe (MIT), John Roe (ETH Zürich)", "Two views of one graph")),
    # not a speaker in front: left whole
    ("Colloquium (Room 3), Robust estimation", None),
    ("Opening Remarks (online), then coffee", None),
    ("Robust estimation (with applications)", None),
    ("Hao Huang, On local Turán problems", None),
    ("[GMB Faculty Seminar] Michael Piacentino (Johns Hopkins)", None),
    # icl-aalto.github.io seminars.ics and utah-datascience.github.io talks.ics
    ("Wenwen Hou: Reshaping Reasoning in LLMs", ("Wenwen Hou", "Reshaping Reasoning in LLMs")),
    ("Randomized FunctionalAnalysis - Chris Musco",
     ("Chris Musco", "Randomized FunctionalAnalysis")),
    ("Literate Visualization: Making Sessions Reusable - Alexander Lex",
     ("Alexander Lex", "Literate Visualization: Making Sessions Reusable")),
    ("Lab seminar: results and plans", None),
])
def test_split_summary(summary, expected):
    assert split_summary(summary) == expected


def test_outlook_summary_gives_speaker_affiliation_title_and_zoom_link():
    talks = {t.start: t for t in realworld("hupple-combinatorics-outlook.ics",
                                           datetime(2020, 10, 20, tzinfo=UTC))}
    huang = talks[utc(2020, 10, 26, 14)]  # 22:00 "China Standard Time"
    assert (huang.speakers, huang.affiliation, huang.title) == (
        ["Hao Huang"], "Emory", "On local Turán problems")
    assert huang.end == utc(2020, 10, 26, 15) and huang.timezone == "Asia/Shanghai"
    assert huang.meeting_url == "https://cesnet.zoom.us/j/94263827473"
    assert huang.meeting_password == "23571113" and huang.abstract is None
    li = talks[utc(2020, 10, 29, 7)]
    assert (li.speakers, li.affiliation) == (["Jiaao Li"], "Nankai U.")
    assert li.meeting_url == "https://zoom.com.cn/j/61305595836"  # Zoom's China address
    assert li.meeting_password == "121323"  # written "Password 121323"
    postle = talks[utc(2020, 10, 27, 3, 30)]
    assert (postle.speakers, postle.affiliation) == (["Luke Postle"], "Waterloo")
    assert postle.end == utc(2020, 10, 27, 16, 30)  # really 11:30 to 00:30 the next day
    assert not [t for t in talks.values() if "(" in t.title]


def test_scraped_speaker_line_keeps_the_name_apart_from_degree_and_role():
    talks = realworld("emory-seminars.ics", datetime(2026, 8, 22, tzinfo=UTC))
    [mejbel] = [t for t in talks if "Haider Mejbel" in t.title]
    assert mejbel.speakers == ["Haider Mejbel"]
    assert mejbel.affiliation == "Assistant Professor, Pathology School of Medicine"
    [garcia] = [t for t in talks if t.speakers == ["Jacqueline Garcia"]]
    assert garcia.affiliation == "Dana-Farber"  # its own "Affiliation:" line wins
    assert garcia.meeting_url == "https://zoom.us/j/95694211560"
    [piacentino] = [t for t in talks if "Piacentino" in t.title]
    assert (piacentino.speakers, piacentino.affiliation) == (
        ["Michael Piacentino"], "Johns Hopkins")
    [retreat] = [t for t in talks if t.start == utc(2026, 8, 25, 12)]
    assert retreat.title.startswith("Breaking Immune Barriers")  # its "Talk title:" line
    # "The source document uses one shared column for the talk title or presenting person":
    # the event's name in the "Speaker:" line is nobody.
    assert retreat.speakers == []
    [debates] = [t for t in talks if "Debates and Didactics" in t.title]
    assert debates.speakers == [] and debates.affiliation is None
    # "Talk title: TBD" with no "Speaker:" line: the SUMMARY stays the title, no one speaks.
    tbd = [t for t in talks if t.title == "[Grand Rounds] — TBD"]
    assert tbd and all(t.speakers == [] for t in tbd)
    [wang] = [t for t in talks if t.title == "[Elkin Lecture] Peter Wang, PhD — TBD"]
    assert wang.speakers == ["Peter Wang"]


def test_description_speaker_line_beats_the_summary_form():
    # A researchseminars.org-like event whose SUMMARY also has the Outlook shape.
    data = calendar("UID:a@x\nDTSTART:20260512T150000Z\n"
                    "SUMMARY:Jane Doe (MIT), Robust estimation\n"
                    "DESCRIPTION:Speaker: John Roe (ETH Zürich)")
    [talk] = parse_bytes(data).talks
    assert talk.speakers == ["John Roe"] and talk.affiliation == "ETH Zürich"
    assert talk.title == "Jane Doe (MIT), Robust estimation"


def test_a_name_for_summary_and_a_title_to_come_name_the_speaker():
    # eschryver/seminarcal seminars.ics (Toronto economics): SUMMARY is the speaker.
    data = calendar("UID:b@x\nDTSTART:20260930T151000Z\nDTEND:20260930T163000Z\n"
                    "SUMMARY:David Jacks\nDESCRIPTION:<b>Title:</b> TBA\\n<b>Institution:</b> "
                    "National University of Singapore\\n<b>Series:</b> International trade\\n")
    [talk] = parse_bytes(data, now=datetime(2026, 9, 1, tzinfo=UTC)).talks
    assert (talk.title, talk.speakers, talk.affiliation, talk.series) == (
        "TBA", ["David Jacks"], "National University of Singapore", "International trade")
