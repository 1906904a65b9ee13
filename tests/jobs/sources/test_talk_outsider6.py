"""Seminar pages and programmes a sixth outsider found on GitHub: each document here is cut
down from a real one, named above it."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.talk_helpers import local, read

# efficiencyplustrials/efficiencyplustrials.github.io Reading_group/schedule/reading_schedule.md
# (commit 7367dbdf): a reading group's table headed "Topic/Paper"; two rows still hold the
# template's placeholders. Cells unpadded, notes and a link's attributes cut.
TOPIC_OR_PAPER = """\
# SWG-Wide Reading Group Schedule

## **Reading Schedule**

| **Date** | **Time** | **Topic/Paper** | **Presenter** | **Notes** |
| --- | --- | --- | --- | --- |
| 2025-11-10 | 10-11 AM | Enrollment Prediction | Vlad Anisimov | Modern Technologies ... |
| 2025-11-21 | 10-11 AM | Clinical Supply Chain | Christi Kleoudis | Brief description. |
| YYYY-MM-DD | HH:MM AM/PM | <a href="#">Paper Title 3</a> | Name 3 | Brief description. |
"""


def test_a_column_headed_topic_or_paper_gives_the_titles() -> None:
    now = datetime(2025, 10, 1, tzinfo=UTC)
    result = read(TOPIC_OR_PAPER, "America/New_York", now)
    assert [(local(t, "America/New_York"), t.speakers, t.title) for t in result.talks] == [
        ("2025-11-10 10:00-11:00", ["Vlad Anisimov"], "Enrollment Prediction"),
        ("2025-11-21 10:00-11:00", ["Christi Kleoudis"], "Clinical Supply Chain")]
    assert any("YYYY-MM-DD" in warning for warning in result.warnings)
