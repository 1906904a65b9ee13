"""jobs.sources.talkspeaker: speaker lines as seminar pages and calendars write them. The
lines are copied from the shared corpus unless marked otherwise."""

from __future__ import annotations

import pytest

from jobs.sources.talkspeaker import (
    looks_like_name,
    only_people,
    split_speaker,
    starts_with_name,
)

EMORY = "realworld/ical/emory-seminars.ics"


@pytest.mark.parametrize(("line", "names", "affiliation"), [
    # zjuvag-2012-06-16-guoning-chen: "报告人：Guoning CHEN, PhD"
    ("Guoning CHEN, PhD", ["Guoning CHEN"], None),
    ("Guoning Chen Ph.D.", ["Guoning Chen"], None),
    # EMORY: degrees after the name, then a role and a department
    ("Haider Mejbel, MD Assistant Professor, Pathology School of Medicine", ["Haider Mejbel"],
     "Assistant Professor, Pathology School of Medicine"),
    ("Danielle Wallace, MPH, PhD Assistant Professor, Environmental Health School of Public "
     "Health", ["Danielle Wallace"], "Assistant Professor, Environmental Health School of "
     "Public Health"),
    ("Nadya Dimitrova, PhD Associate Professor, Dept. of Molecular, Cellular and Developmental "
     "Biology Yale University", ["Nadya Dimitrova"], "Associate Professor, Dept. of Molecular, "
     "Cellular and Developmental Biology Yale University"),
    ("Seth Concors, MD, FACS, FSSO", ["Seth Concors"], None),
    ("David Ledbetter, PhD, FACMG", ["David Ledbetter"], None),
    ("Mrinal S. Patnaik, MBBS", ["Mrinal S. Patnaik"], None),
    ("Jay Sarthy, MD, PhD (Seattle)", ["Jay Sarthy"], "Seattle"),
    ("Akanksha Mehta, MD and Jacqueline Lee, MD", ["Akanksha Mehta", "Jacqueline Lee"], None),
    ('Joon Seok Park, PhD "Gut Microbial Modulation of Antitumor Immunity and Cancer Therapy"',
     ["Joon Seok Park"], None),
    ("Michael Piacentino (Johns Hopkins)", ["Michael Piacentino"], "Johns Hopkins"),
    ('Alexandra "Sasha" Key, PhD', ['Alexandra "Sasha" Key'], None),
    ("Jose Augusto Monteiro de Oliveira Nova, MD Assistant Professor, Hematology & Medical "
     "Oncology School of Medicine", ["Jose Augusto Monteiro de Oliveira Nova"],
     "Assistant Professor, Hematology & Medical Oncology School of Medicine"),
    ("Janghee Woo / CTP", ["Janghee Woo"], "CTP"),
    ("Benjamin Barwick / Karen Conneely", ["Benjamin Barwick", "Karen Conneely"], None),
    ("TBD", [], None),
    # seminar pages (the seed pages of tests/jobs/sources/test_seminar_page.py)
    ("董彬, 北京大学", ["董彬"], "北京大学"),
    ("Yuhai Tu (IBM T. J. Watson Research Center)", ["Yuhai Tu"],
     "IBM T. J. Watson Research Center"),
    ("Le Lu (吕乐)", ["Le Lu (吕乐)"], None),
    ("许志钦 副教授（上海交通大学）", ["许志钦"], "上海交通大学"),
    ("许志钦 (Zhi-Qin John Xu)", ["许志钦 (Zhi-Qin John Xu)"], None),
    ("张三、李四", ["张三", "李四"], None),
    ("张三，博士，北京大学", ["张三"], "北京大学"),  # shape of 报告人 lines on zjuvag posts
    ("Zhong Li, Qianxiao Li", ["Zhong Li", "Qianxiao Li"], None),
    ("Weinan E", ["Weinan E"], None),
    ("Prof. Jane Doe, UC Berkeley", ["Jane Doe"], "UC Berkeley"),
    ("Jane Doe, Ph.D., Stanford University", ["Jane Doe"], "Stanford University"),
    # family names in capitals are names; acronyms are institutions; "MA" here is a name
    ("Zhong LI, Guoning CHEN", ["Zhong LI", "Guoning CHEN"], None),
    ("Jane Doe, MIT CSAIL", ["Jane Doe"], "MIT CSAIL"),
    ("Yi MA, MA", ["Yi MA"], None),
    # researchseminars.org and Indico speaker lines (tests/data/ical)
    ("John Smith (MIT) and Jane Doe (Harvard University)", ["John Smith", "Jane Doe"],
     "MIT; Harvard University"),
    ("A. Bé (Univ. of X, Paris (IMJ)), C. Dee & E. Eff (ETH)", ["A. Bé", "C. Dee", "E. Eff"],
     "Univ. of X, Paris (IMJ); ETH"),
    ("Tomás Herrera (CERN), Julia Novák, Wei Zhang (Jožef Stefan Institute)",
     ["Tomás Herrera", "Julia Novák", "Wei Zhang"], "CERN; Jožef Stefan Institute"),
])
def test_speaker_lines(line, names, affiliation):
    assert split_speaker(line) == (names, affiliation)


@pytest.mark.parametrize(("text", "expected"), [
    ("Guoning CHEN", True), ("Anne-Marie VAN DER BERG", True), ("Hao Huang", True),
    ("UC Berkeley", False), ("MIT CSAIL", False), ("NYU Shanghai", False),
    ("Tencent AI", False), ("Pathology School of Medicine", False), ("黄劲", True),
    ("Assistant Professor", False), ("Winship 2026", False),
])
def test_names_and_not_names(text, expected):
    assert looks_like_name(text) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Hao Huang (Emory)", True),
    ("Jay Sarthy, MD, PhD (Seattle)", True),
    ("Kenji Watanabe (University of Tokyo), Lena Fischer (UC Berkeley)", True),
    ("Colloquium (Room 3)", False),
    ("Opening Remarks (online)", False),
])
def test_only_people(line, expected):
    assert only_people(line) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Haider Mejbel, MD Assistant Professor, Pathology School of Medicine", True),
    ("Le Lu (吕乐)", True),
    # EMORY puts the event's name in its "Speaker:" column when no one speaks
    ("Debates and Didactics in Hematology and Oncology", False),
    ("2026 Cancer Biology T32 Training Program", False),
    ("Chromatin adaptations drive chemotherapy persistence in Myeloid Leukemia", False),
    ("[Grand Rounds] — TBD", False),
])
def test_starts_with_name(line, expected):
    assert starts_with_name(line) is expected


# Speaker lines of the joint-ML seed page and our fixtures (moved from test_seminar_page).
@pytest.mark.parametrize(("line", "names", "affiliation"), [
    ("董彬, 北京大学", ["董彬"], "北京大学"),
    ("Yuhai Tu (IBM T. J. Watson Research Center)", ["Yuhai Tu"],
     "IBM T. J. Watson Research Center"),
    ("Le Lu (吕乐)", ["Le Lu (吕乐)"], None),
    ("许志钦 副教授（上海交通大学）", ["许志钦"], "上海交通大学"),
    ("Zhong Li, Qianxiao Li", ["Zhong Li", "Qianxiao Li"], None),
    ("Prof. Jane Doe, UC Berkeley", ["Jane Doe"], "UC Berkeley"),
    ("John Smith (MIT) and Jane Doe (Harvard University)", ["John Smith", "Jane Doe"],
     "MIT; Harvard University"),
    ("张三、李四", ["张三", "李四"], None),
])
def test_seed_and_fixture_speaker_lines(line, names, affiliation):
    assert split_speaker(line) == (names, affiliation)
