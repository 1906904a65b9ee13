"""Calendars, programmes and announcements a seventh outsider found on GitHub: each document
here is cut down from a real one, named above it, to the shape lectern misread."""

from __future__ import annotations

from datetime import UTC, datetime

from jobs.sources.ical_summary import split_summary
from jobs.sources.talkcues import is_when_line, split_when_place
from tests.jobs.sources.ical_helpers import parse_bytes
from tests.jobs.sources.talk_helpers import local, read

# Varek/esugCalendar betterTalks.ics (commit c6f16c7): ESUG 2011's programme as Apple iCal 5.0
# exported it, each SUMMARY "Title -- Speaker(s)", a double hyphen for the dash. No speaker
# was read (0 of the 57 events; 48 name people); the VTIMEZONE is cut.
ESUG_2011 = """BEGIN:VCALENDAR\r
METHOD:PUBLISH\r
VERSION:2.0\r
X-WR-CALNAME:ESUG 2011\r
PRODID:-//Apple Inc.//iCal 5.0//EN\r
X-WR-TIMEZONE:Europe/London\r
CALSCALE:GREGORIAN\r
BEGIN:VEVENT\r
CREATED:20110730T180616Z\r
UID:58E66A6C-779D-49B8-9CDA-C229001AC169\r
DTEND;TZID=Europe/London:20110826T101500\r
TRANSP:OPAQUE\r
SUMMARY:Magritte Magic -- Nick Ager and Esteban Lorenzano\r
DTSTART;TZID=Europe/London:20110826T093700\r
DTSTAMP:20110730T182112Z\r
SEQUENCE:8\r
END:VEVENT\r
BEGIN:VEVENT\r
CREATED:20110730T183150Z\r
UID:AF2F63F8-895E-4E41-B471-CB481D683ADF\r
DTEND;TZID=Europe/London:20110823T160000\r
TRANSP:OPAQUE\r
SUMMARY:Fuel: A Fast General Purpose Object Graph Serializer -- Mariano \r
 Martinez-Peck\r
DTSTART;TZID=Europe/London:20110823T153000\r
DTSTAMP:20110731T115254Z\r
LOCATION:Room B\r
SEQUENCE:4\r
END:VEVENT\r
BEGIN:VEVENT\r
CREATED:20110730T185435Z\r
UID:AD24185B-0D78-446D-BD4A-B35D394FE963\r
DTEND;TZID=Europe/London:20110823T150000\r
TRANSP:OPAQUE\r
SUMMARY:IWST 2011 -- Workshop\r
DTSTART;TZID=Europe/London:20110823T133000\r
DTSTAMP:20110730T185455Z\r
SEQUENCE:3\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_double_hyphen_parts_the_title_from_the_speakers() -> None:
    result = parse_bytes(ESUG_2011.encode(), now=datetime(2011, 8, 1, tzinfo=UTC))
    assert sorted((t.title, t.speakers) for t in result.talks) == [
        ("Fuel: A Fast General Purpose Object Graph Serializer", ["Mariano Martinez-Peck"]),
        ("IWST 2011 -- Workshop", []),  # a kind of session, not a person
        ("Magritte Magic", ["Nick Ager", "Esteban Lorenzano"])]


# data-ens/data-ens.github.io _site/conference-2017-12-08/index.html and
# _site/workshop-10-11-2021/index.html (commit 4fbb57f): the ENS-CFM chair's afternoon
# programmes, each row "time: Name (Affiliation) Title" with no mark after the parentheses.
# No speaker was read (0 of 13 rows; 10 now, the rest "(CFM)", an acronym a title could
# hold, or two people joined by " - "). Navigation and styles cut.
ENS_AFTERNOON = """\
<html><body><div class="container">
<h1>Special Afternoon ''Data Science in ENS''</h1>
<h2>When</h2>
<p>Friday, December 8th 2017, 12:00-17:00.</p>
<h2>Where</h2>
<p>Salle Jaurès, 29 rue d’Ulm.</p>
<h2>Schedule</h2>
<ul>
  <li>12:00-12:30: <strong>Elizabeth Purdom</strong> (Berkeley, visiting ENS-DMA) <em>Statistical
  challenges in analyzing high-dimensional experiments in molecular biology</em></li>
  <li>12:30-13:00: <strong>Bing Huang</strong> (University of Basel) <em>Scalable Quantum
  Machine Learning models</em></li>
  <li>13:00-14:00: Lunch (buffet)</li>
  <li>14:30-15:00: <strong>Steve Hardiman</strong> (CFM) <em>Order books: financial market
  microstructure</em></li>
  <li>16:00-16:30: <strong>François Landes</strong> (Simons Collaboration &amp; ENS) <em>How to
  use Machine Learning to understand the relationship between local structure and relaxation
  in glassy systems</em></li>
</ul>
</div></body></html>
"""
ENS_WORKSHOP_ROW = """\
<h2>Schedule</h2>
<p>Wednesday, November 10th 2021, 14:00-18:00.</p>
<ul>
  <li>14h45-15h20: <strong>Marc Potters</strong> (Capital Fund Management) <em>Optimal block
  size in cross-validation: an example form covariance matrix estimation</em></li>
  <li>17h15-17h40: <strong>Rudy Morel</strong> (Departement d’Informatique and CDS ENS)
  <em>Time-scale stationary processes for finance and turbulence</em></li>
</ul>
"""


def test_a_row_names_the_speaker_and_affiliation_then_the_title() -> None:
    result = read(ENS_AFTERNOON, "Europe/Paris", datetime(2017, 11, 1, tzinfo=UTC))
    assert [(local(t, "Europe/Paris")[11:], t.speakers, t.affiliation, t.title[:30])
            for t in result.talks] == [
        ("12:00-12:30", ["Elizabeth Purdom"], "Berkeley, visiting ENS-DMA",
         "Statistical challenges in anal"),
        ("12:30-13:00", ["Bing Huang"], "University of Basel", "Scalable Quantum Machine Learn"),
        # "(CFM)" could as well be a title's acronym: without a mark the row stays whole.
        ("14:30-15:00", [], None, "Steve Hardiman (CFM) Order boo"),
        ("16:00-16:30", ["François Landes"], "Simons Collaboration & ENS",
         "How to use Machine Learning to")]
    workshop = read(ENS_WORKSHOP_ROW, "Europe/Paris", datetime(2021, 11, 1, tzinfo=UTC))
    assert [(t.speakers, t.affiliation) for t in workshop.talks] == [
        (["Marc Potters"], "Capital Fund Management"),
        (["Rudy Morel"], "Departement d’Informatique and CDS ENS")]
    # greleigh/Logic-GU _pages/archive/seminar-2005-2013.md (commit 439659f): the parentheses
    # hold the room, not where the speaker works; such a row is left whole.
    assert split_summary("Valentin Goranko (D404, Humanisten) Logics for multi-agent "
                         "systems: an appetizer") is None


# SeminarsInEconomicTheory/virtual-econ.info virtual-econ-calendar.ics (commit 9db4561): a
# Google Calendar gathering economics webinars. A title in quotes right after "Name
# (University)" is the title, the co-authors after it are not ('"Migration and Informal
# Insurance", with A. Mushfiq Mobarak...'); a hyphenated family name is one name; "O-ring
# Production Networks" after a dash is no person, and "VITM Seminar:" before Daniel Xu is
# his series. Descriptions and other fields cut.
VIRTUAL_ECON = """BEGIN:VCALENDAR\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
VERSION:2.0\r
BEGIN:VEVENT\r
DTSTAMP:20201211T000354Z\r
DTEND:20200623T161500Z\r
DTSTART:20200623T150000Z\r
SUMMARY:Costas Meghir (Yale University) "Migration and Informal Insurance"\\, with A. M\r
 ushfiq Mobarak\\, Corina D. Mommaerts and Melanie Morten)\r
UID:38mo0649vqdjrs0ctdumpvr91j@google.com\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTAMP:20201211T000344Z\r
DTEND:20200622T163000Z\r
DTSTART:20200622T153000Z\r
SUMMARY:VQMS - Avner Strulov-Shlain\r
UID:1atotc969gk5v8at6mvcjd9c61@google.com\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTAMP:20201211T000345Z\r
DTEND:20200514T193000Z\r
DTSTART:20200514T180000Z\r
SUMMARY:VITM Seminar: Daniel Xu (Duke) - O-ring Production Networks\r
UID:44r9dqg1uqesr955sdvs03hj47@google.com\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_quoted_title_after_the_affiliation_ends_with_its_quotes() -> None:
    result = parse_bytes(VIRTUAL_ECON.encode(), now=datetime(2020, 5, 1, tzinfo=UTC))
    assert sorted((t.speakers, t.affiliation, t.title) for t in result.talks) == [
        (["Avner Strulov-Shlain"], None, "VQMS"),
        (["Costas Meghir"], "Yale University", "Migration and Informal Insurance"),
        (["Daniel Xu"], "Duke", "O-ring Production Networks")]


def test_the_series_before_a_colon_is_no_speaker() -> None:
    # The same calendar: 115 of its talks had a series for their speaker ("Invited Seminar",
    # "Virtual Finance Workshop", "Junior Migration Seminar"). What follows the series is
    # read as a SUMMARY of its own; a bare name stays in the title, as a topic could be
    # written the same ("Virtual Finance Workshop: Mutual Funds").
    assert split_summary("Invited Seminar: Svetlana Abramova") is None
    assert split_summary("Virtual Finance Workshop: Mutual Funds") is None
    assert split_summary("VIDE Seminar: Catherine Tucker (MIT)") == (
        "Catherine Tucker (MIT)", "VIDE Seminar: Catherine Tucker (MIT)")
    assert split_summary("VITM Seminar: Adrien Bilal: The Geography of Unemployment") == (
        "Adrien Bilal", "The Geography of Unemployment")
    # After a series the speaker may come first, then a dash and the title (26 talks).
    assert split_summary("Junior Migration Seminar- Lena Schmid - The Decision to Flee: "
                         "Analyzing Gender-Specific Determinants of International Refugee "
                         "Migration") == ("Lena Schmid", "The Decision to Flee: Analyzing "
                                          "Gender-Specific Determinants of International "
                                          "Refugee Migration")
    assert split_summary("SoDa Labs Webinar - Salma Mousa (Stanford)") == (
        "Salma Mousa (Stanford)", "SoDa Labs Webinar - Salma Mousa (Stanford)")


# dlidynamics/fudandynamics _seminars/2025-10-15-Yanqi-Qiu.md (commit 8693006): a bilingual
# Jekyll seminar post whose template keeps a key per language ("affiliation" and
# "affiliation_cn", its comments "英文单位（可选）"); here only the Chinese one is filled in.
# The affiliation was lost (3 of the site's 28 posts). Abstract cut.
BILINGUAL_FRONT_MATTER = """\
---
layout: seminar
title: Fourier and  other aspects on multiplicative chaos
speaker: Yanqi Qiu            # 英文名（必填）
speaker_cn:      邱彦奇          # 中文名（可选）
affiliation:      # 英文单位（可选）
affiliation_cn:  国科大杭州高等研究院         # 中文单位（可选）
datetime: 2025-10-15 14:00
place: Room 102, SCMS
abstract: "I will review our recent processes on Fourier decay of random measures arising
  from Kahane's T-martingale theory."
---
"""


def test_a_key_for_one_language_gives_its_field() -> None:
    result = read(BILINGUAL_FRONT_MATTER, "Asia/Shanghai", datetime(2025, 9, 1, tzinfo=UTC),
                  kind="announcement")
    assert [(local(t, "Asia/Shanghai"), t.speakers, t.affiliation, t.location)
            for t in result.talks] == [
        ("2025-10-15 14:00", ["Yanqi Qiu"], "国科大杭州高等研究院", "Room 102, SCMS")]


# data-ens/data-ens.github.io _site/reading_group/index.html (commit 4fbb57f): the Laplace
# reading group's next talk, one paragraph of lines: the day, the time written the French way
# ("11h00-12h00") and the room after commas; the speaker with the affiliation; then labelled
# title and abstract. It was skipped ("no time"); with a time, the heading over it ("Next
# seminars") was taken for the speaker and the speaker's line for more of the room.
READING_GROUP = """\
<html><body><div class="container">
<h1 id="laplace-reading-group">Laplace Reading Group</h1>
<p>Welcome to the “Laplace” reading group, a series of seminars and informal discussions.</p>
<h1 id="next-seminars">Next seminars</h1>

<p>
  January 29th, 2020, 11h00-12h00, room L382/L384, 24 rue Lhomond.<br />
  <a href="">Stefano Sarao Mannelli</a>  (IPhT, CEA Saclay)<br />
  <b>Title:</b> <i>Tutorial on Gradient Descent Dynamics</i><br />
  <b>Abstract:</b> Descent algorithms, such as (noisy) gradient descent (GD), are ubiquitously
  used in optimization.
  </p>

<h1 id="contact">Contact</h1>
</div></body></html>
"""


def test_a_line_of_day_time_and_room_then_the_speaker_over_the_title() -> None:
    assert is_when_line("January 29th, 2020, 11h00-12h00")
    assert split_when_place("January 29th, 2020, 11h00-12h00, room L382/L384, 24 rue "
                            "Lhomond.") == ("January 29th, 2020, 11h00-12h00",
                                            "room L382/L384, 24 rue Lhomond.")
    result = read(READING_GROUP, "Europe/Paris", datetime(2019, 12, 1, tzinfo=UTC))
    assert [(local(t, "Europe/Paris"), t.speakers, t.affiliation, t.title, t.location)
            for t in result.talks] == [
        ("2020-01-29 11:00-12:00", ["Stefano Sarao Mannelli"], "IPhT, CEA Saclay",
         "Tutorial on Gradient Descent Dynamics", "room L382/L384, 24 rue Lhomond")]


# lcc19941214/SJC-EnVersion academlist/1.php (commit bbb43f5c): a Wuhan University lecture
# notice, an "Expert:" heading over one paragraph per person, each a name in bold then its
# post. Only the first expert was read (1 of 3), and his post not at all: at 14 words the
# line was taken for a biography. The site's navigation is cut.
EXPERTS = """\
<h2>WHU, Media academic salon in autumn</h2>
<div class="u-text">
  <h3>Expert:</h3>
  <p> <strong>Wu Xinxun</strong>
    , Dean of the Industrial Research Institute of Chinese Art, Shanghai University.
  </p>
  <p> <strong>Cui Baoguo</strong>
    , Associate dean of Journalism and Communication School of Tsinghua University.
  </p>
  <p>
    <strong>Fan Yijin</strong>
    , Dean of Journalism and Communication School of Jinan University.
  </p>
  <h3>Host:</h3>
  <p>
    <strong>Prof. Lv Shangbin</strong>
  </p>
  <h3>Time</h3>
  <p>7:30 p.m.-9：30 p.m. 30th,Oct.</p>
  <h3>Location:</h3>
  <p>Room 114</p>
</div>
"""


def test_a_label_over_one_paragraph_per_person_gives_every_speaker() -> None:
    talk, = read(EXPERTS, "Asia/Shanghai", datetime(2015, 9, 1, tzinfo=UTC)).talks
    assert (local(talk, "Asia/Shanghai"), talk.speakers, talk.affiliation, talk.chair) == (
        "2015-10-30 19:30-21:30", ["Wu Xinxun", "Cui Baoguo", "Fan Yijin"],
        "Dean of the Industrial Research Institute of Chinese Art, Shanghai University; "
        "Associate dean of Journalism and Communication School of Tsinghua University; "
        "Dean of Journalism and Communication School of Jinan University", "Lv Shangbin")
