"""Seminar pages and talk posts a fourth outsider found on GitHub: each document here is cut
down from a real one, named above it, to the shape lectern misread."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.talk_helpers import local, read

# vzvu3k6k/nlp-colloquium-jp.github.io _schedule/2022-10-05_keiji-shinzato.md (commit
# cd34efbd): a Jekyll talk collection whose front matter names the speaker `name`, the title
# `topic`, and the start as `date` with an offset run on to the seconds.
COLLECTION = """\
---
layout: talk
date: 2022-10-05 10:00:00+0900
name: 新里圭司
name_en: Keiji Shinzato
affiliation: "Rakuten Institute of Technology Americas"
topic: "Simple and Effective Knowledge-Driven Query Expansion for QA-Based Product Attribute \
Extraction"
abstract: "A key challenge in attribute value extraction (AVE) from e-commerce sites is how to \
handle a large number of attributes for diverse products."
display: true
---

[[スライド]](https://www.slideshare.net/rakutentech/simple-and-effective) (ACL 2022)
"""

# The same collection, _schedule/2023-04-19_riku-arakawa_hiromu-yakura.md: two speakers, the
# values written as HTML with footnote marks.
COLLECTION_HTML = """\
---
layout: talk
date: 2023-04-19 12:00:00+0900
name: <a href="https://rikky0611.github.io">Riku Arakawa</a><sup>1</sup>, \
<a href="https://yumetaro.info">Hiromu Yakura</a><sup>2</sup>
affiliation: <sup>1</sup>Carnegie Mellon University, <sup>2</sup>筑波大学
topic: "NLP for HCI: 人の行動変更を促すためのNLPベースのプロンプトの導入"
---
"""


def test_a_talk_collection_naming_its_speaker_name_is_a_talk() -> None:
    now = datetime(2022, 9, 1, tzinfo=UTC)
    [talk] = read(COLLECTION, "Asia/Tokyo", now).talks
    assert talk.title.startswith("Simple and Effective Knowledge-Driven Query Expansion")
    assert (talk.speakers, talk.affiliation) == (["新里圭司"],
                                                 "Rakuten Institute of Technology Americas")
    assert talk.start == datetime(2022, 10, 5, 1, 0, tzinfo=UTC)  # 10:00 at +09:00
    assert local(read(COLLECTION, "Europe/London", now).talks[0], "Asia/Tokyo") \
        == "2022-10-05 10:00"


def test_front_matter_values_written_as_html_are_read_as_their_text() -> None:
    [talk] = read(COLLECTION_HTML, "Asia/Tokyo", datetime(2023, 4, 1, tzinfo=UTC)).talks
    assert talk.speakers == ["Riku Arakawa", "Hiromu Yakura"]
    assert talk.affiliation == "Carnegie Mellon University, 筑波大学"
    assert local(talk, "Asia/Tokyo") == "2023-04-19 12:00"


# greleigh/Logic-GU _pages/MiL/colloquium.md (commit 439659ff): a list of talks under term
# headings; each item gives the day without a year and a range "10:15 - 12:00" before the room.
TERMS = """\
---
layout: page
title: "Colloquium in Logic: Schedule"
---

### Fall 2022

- 23 September, 10:15 - 12:00 (J406), **Vlad Lazar** on Aristotle's Term logic
- 9 December, **13:15 - 15:00** (J442) **Armand Feuilleaubois**

### Spring 2021

- 16 APR, FRI 10:15 – 12:00, Fredrik Engström on Dependence Logic
"""


def test_a_range_after_the_day_is_the_talks_time_and_a_term_heading_gives_the_year() -> None:
    talks = read(TERMS, "Europe/Stockholm", datetime(2026, 9, 1, tzinfo=UTC)).talks
    assert [local(talk, "Europe/Stockholm") for talk in talks] == [
        "2022-09-23 10:15-12:00", "2022-12-09 13:15-15:00", "2021-04-16 10:15-12:00"]
    assert talks[2].title == "Fredrik Engström on Dependence Logic"  # no "12:00, " left in it


# bostondataprivacy/bostondataprivacy.github.io talks.html (commit bbc0b636): a table of two
# cells a row, the day and time ("3-430 pm ET": 4:30 without its colon) beside the title with
# "Speaker:" and "Abstract:" under it; the year only in a row between terms.
TWO_CELL_ROWS = """\
<html><body><table class="table">
<tr><td colspan=3><center><strong>=== Fall 2023 ===</strong></center></td></tr>
<tr><td> Friday, December 8th, 3-430 pm ET </td>
<td><strong> On Provable Copyright Protection for Generative Models</strong><br>
<br> Speaker: <a href="https://nikhilvyas.github.io/">Nikhil Vyas, Harvard</a>
<br>
<br> Abstract: There is a growing concern that learned conditional generative models may output
samples that are substantially similar to some copyrighted data C.
</td></tr>
<tr><td colspan=3><center><strong>=== Spring 2022 ===</strong></center></td></tr>
<tr><td>Monday, February 14 at 11:15-12:30 ET</td>
<td><strong>Privatizing One-shot and Continual Observation Histograms</strong><br>
<br> Speaker: <a href="https://www2.math.upenn.edu/~ryrogers/">Ryan Rogers, LinkedIn</a>
<br><a href="https://youtu.be/zNfytmw5vMw">View recording here</a><br>
<br> Abstract: Member privacy is a priority at LinkedIn.
</td></tr>
</table></body></html>
"""


def test_a_row_giving_the_time_in_its_first_cell_and_the_talk_in_its_second() -> None:
    talks = read(TWO_CELL_ROWS, "America/New_York", datetime(2026, 9, 1, tzinfo=UTC)).talks
    assert [(talk.title, talk.speakers, talk.affiliation) for talk in talks] == [
        ("On Provable Copyright Protection for Generative Models", ["Nikhil Vyas"], "Harvard"),
        ("Privatizing One-shot and Continual Observation Histograms", ["Ryan Rogers"],
         "LinkedIn")]
    assert [local(talk, "America/New_York") for talk in talks] == [
        "2023-12-08 15:00-16:30", "2022-02-14 11:15-12:30"]


# METU-SIAM/metu-siam.github.io seminars.md (commit 9cf8174f): a Jekyll page of raw HTML event
# cards, nested by indentation and split by blank lines (kramdown reads each element to its
# closing tag); the card's badge "Seminar" stands before its date.
EVENT_CARDS = """\
---
title: Seminars
layout: page
---
## Past Seminars

<div class="events-grid">
  <div class="event-card">
    <div class="event-card-inner">
      <div class="event-image-wrapper">
        <img
          src="{{ '/assets/seminar/tugluk-seminar.jpg' | relative_url }}"
          alt="Whither data? seminar poster"
        />
      </div>

      <div class="event-content">
        <div class="event-meta">
          <span class="event-type">Seminar</span>
          <span class="event-date">December 11, 2025 &middot; 14:30–15:30</span>
        </div>

        <h3 id="whither-data-2025-12-12" class="event-title">
          Whither data? Scientific computing and compression in the exascale era
        </h3>

        <p class="event-speaker">
          <strong>Speaker:</strong> Ozan Tuğluk (Scientific Computing Program / IAM)
        </p>

        <p class="event-venue">
          <strong>Venue:</strong> Institute of Applied Mathematics (IAM), Seminar Room (S-212)
        </p>

        <details class="event-abstract">
          <summary>Abstract </summary>
          <p>
            Rapidly evolving high performance computing resources result in an exponential
            increase in data storage demands.
          </p>
        </details>
      </div>
    </div>
  </div>
</div>
"""


def test_raw_html_cards_indented_across_blank_lines_are_read_as_html() -> None:
    [talk] = read(EVENT_CARDS, "Europe/Istanbul", datetime(2025, 9, 1, tzinfo=UTC)).talks
    assert talk.title == "Whither data? Scientific computing and compression in the exascale era"
    assert (talk.speakers, talk.affiliation) == (["Ozan Tuğluk"],
                                                 "Scientific Computing Program / IAM")
    assert talk.location == "Institute of Applied Mathematics (IAM), Seminar Room (S-212)"
    assert talk.abstract.startswith("Rapidly evolving high performance computing")
    assert local(talk, "Europe/Istanbul") == "2025-12-11 14:30-15:30"


# durham-qlm/durham-qlm.github.io events/ICAP_satellite.md (commit e313e6b2): a meeting's
# registration fees, a deadline in each row's first cell; no row is a talk.
FEES = """\
---
layout: page
title: Dipolar Quantum Matter
subtitle: An ICAP28 Satellite Meeting
---
Starting with lunch on Monday 22nd July and ending with lab tours on the afternoon of Wednesday
24th July, there will be a mixture of invited and hot-topic speakers, discussion sessions, a
poster evening (Tuesday) and conference banquet (Monday). <br>
## Registration
The registration fee includes the conference dinner on the Monday evening. <br>
|   |Full delegate |Student delegate |
|:---  | :----: |  --: |
|Standard Rate (Until April 30th 2024) | £200 | £150|
| Late Rate (Until June 30th 2024) | £250 | £200|
|On-site registration | £350 | £300|

## Invited speakers
To be updated continuously.<br>
"""


def test_a_fee_table_with_deadlines_is_no_list_of_talks() -> None:
    assert read(FEES, "Europe/London", datetime(2024, 1, 1, tzinfo=UTC)).talks == []
