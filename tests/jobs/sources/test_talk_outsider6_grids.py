"""Week grids (the days as columns, the clock times as rows) a sixth outsider found on
GitHub: each document here is cut down from a real one, named above it."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.talk_helpers import local, read

# itp-school-2023/itp-school-2023.github.io program.md (commit 00808641): a summer school's
# week grid, the days as columns, a row per clock time, a row naming each week's days; a
# lecturer gives two lectures on a day. Three of five days kept, cells unpadded.
WEEK_GRID = (
    "# Program of the Summer School #\n"
    "\n"
    "All times are CEST.\n"
    "\n"
    "|  | Monday | Tuesday | Wednesday |\n"
    "| --- | --- | --- | --- |\n"
    "| **Week 1 (September 18-22)** |\n"
    "|  | *From 8:30:<br> Registration* |\n"
    "| 9:00 - 10:30 | Yves Bertot"
    " | Emily Riehl: Formalizing ∞-category theory in the Rzk proof assistant | Yves Bertot |\n"
    "| *Coffee break* |\n"
    "| 11:15 - 12:00 | *Introductions* * | Nikolai Kudasov | Paige Randall North |\n"
    "| *Lunch break* |\n"
    "| 14:00 - 14:45 | *Tool installation, etc.* * | Yves Bertot * | Paige Randall North * |\n"
    "| 15:30 - 17:00 |  | *Contributed Talks* | *Contributed Talks* |\n"
    "| **Week 2 (September 25-29)** |\n"
    "| 9:00 - 10:30 | Jannis Limperg: A Taste of Lean 4 | Benedikt Ahrens: The Univalence Principle"
    " | tba |\n"
)


def test_a_week_grid_gives_a_talk_for_each_day_and_time() -> None:
    talks = read(WEEK_GRID, "Europe/Berlin", datetime(2023, 9, 1, tzinfo=UTC)).talks
    found = {(local(t, "Europe/Berlin"), tuple(t.speakers)): t.title for t in talks}
    assert found[("2023-09-18 09:00-10:30", ("Yves Bertot",))] == "Talk by Yves Bertot"
    assert found[("2023-09-19 09:00-10:30", ("Emily Riehl",))] == (
        "Formalizing ∞-category theory in the Rzk proof assistant")
    assert ("2023-09-20 11:15-12:00", ("Paige Randall North",)) in found
    assert ("2023-09-20 14:00-14:45", ("Paige Randall North",)) in found  # her second
    assert found[("2023-09-26 09:00-10:30", ("Benedikt Ahrens",))] == "The Univalence Principle"
    assert not [t for t in talks if "Contributed" in t.title or t.title.casefold() == "tba"]
    assert len(talks) == 11  # 9 lectures, "Introductions" and "Tool installation, etc."


# iiccsss/iiccsss.github.io _pages/program.md (commit 070d0a16): a week grid in raw HTML,
# its week's dates said in the sentence above it, cells spanning rows, "<em>Workshop</em>
# Name" and "<strong>Keynote I</strong><br>Name" cells; a hackathon is no talk. Four days
# kept, Wednesday's and Thursday's in part.
SPANNING_GRID = """\
This is the summer school program for September 11–15, 2023.

<table class="table-responsive">
  <thead>
    <tr><th scope="col"></th><th scope="col">Monday</th><th scope="col">Tuesday</th>
        <th scope="col">Wednesday</th><th scope="col">Thursday</th></tr>
  </thead>
  <tbody>
    <tr>
        <td> 9:30–10:30 </td>
        <td class="table-warning"> Registration </td>
        <td rowspan="3" class="table-warning"> Tour of the Max Planck Institutes </td>
        <td rowspan="2" class="table-danger"> <em> Workshop </em> Marcel Binz </td>
        <td rowspan="3" class="table-info"> Hackathon / "Cognithon" / "Neurothon" </td>
    </tr>
    <tr>
        <td> 10:30–11:00 </td>
        <td class="table-warning"> Opening remarks </td>
    </tr>
    <tr>
        <td> 11:15–12:15 </td>
        <td class="table-primary"> <strong>Keynote I</strong> <br> Peter Dayan </td>
        <td class="table-primary"> <em> Title TBA </em> <br> Andrew Lampinen</td>
    </tr>
    <tr>
        <td> 13:30–15:00 </td>
        <td class="table-danger"> <em> Workshop </em> <br> John Jairo Madrid Carvajal </td>
        <td class="table-warning"> Contributed lightning talks </td>
    </tr>
    <tr>
        <td> 15:15–16:15 </td>
        <td class="table-primary"> <em> Title TBA </em> <br> Maria Eckstein </td>
        <td class="table-danger"> <em> Workshop </em> Nicole Ludwig </td>
    </tr>
  </tbody>
</table>
"""


def test_a_week_grid_dated_above_it_with_cells_spanning_rows() -> None:
    talks = read(SPANNING_GRID, "Europe/Berlin", datetime(2023, 8, 1, tzinfo=UTC)).talks
    assert [(local(t, "Europe/Berlin"), t.title, t.speakers) for t in talks] == [
        ("2023-09-12 09:30-12:15", "Tour of the Max Planck Institutes", []),
        ("2023-09-13 09:30-11:00", "Workshop", ["Marcel Binz"]),
        ("2023-09-11 11:15-12:15", "Keynote I", ["Peter Dayan"]),
        ("2023-09-13 11:15-12:15", "Title TBA", ["Andrew Lampinen"]),
        ("2023-09-11 13:30-15:00", "Workshop", ["John Jairo Madrid Carvajal"]),
        ("2023-09-11 15:15-16:15", "Title TBA", ["Maria Eckstein"]),
        ("2023-09-12 15:15-16:15", "Workshop", ["Nicole Ludwig"])]


# ilectra/durham docs/hpcdays/index.md (commit 00178b70), the week grid the fifth round left
# (8 garbled Monday talks): headers "Tuesday 3.6." under "2nd June - 7th June 2025", cells
# holding sessions side by side (<br /><br />), a "(t.b.c.)" line, a Saturday "Social".
# Three of six days, three rows kept, links shortened.
SIDE_BY_SIDE = """\
**2nd June - 7th June 2025**

## Programme

<table border="1">
<tr>
  <td></td>
  <td><b>Tuesday 3.6.</b></td>
  <td><b>Thursday 5.6.</b></td>
  <td><b>Saturday 7.6.</b></td>
</tr>
<tr>
  <td> 9:00-9:45 </td>
  <td rowspan="2"> Tutorial: <a href="t.html#l">Lustre</a> <br /><br />  Tutorial: AMD GPUs </td>
  <td> Keynote: <a href="k.html#Neumann">t.b.a.</a> (Philipp Neumann) </td>
  <td rowspan=13> Social </td>
</tr>
<tr>
  <td> 9:45-10:30 </td>
  <td> Workshop: <a href="w.html#eCSE">eCSE Session</a><br/><br/>Workshop: Particle Physics </td>
</tr>
<tr>
  <td> 13:30-15:00 </td>
  <td> Tutorial: SYCL <br /> <br /> Workshop: <a href="w.html#DiRACRSEs"> DiRAC RSEs </a> </td>
  <td> Keynote: Digital Research Infrastructure <br /> (t.b.c.) <br /><br /> UKRI DRI</td>
</tr>
</table>
"""


def test_a_week_grid_cell_of_sessions_side_by_side_gives_each() -> None:
    talks = read(SIDE_BY_SIDE, "Europe/London", datetime(2025, 5, 1, tzinfo=UTC)).talks
    assert [(local(t, "Europe/London"), t.title, t.speakers) for t in talks] == [
        ("2025-06-03 09:00-10:30", "Tutorial: Lustre", []),
        ("2025-06-03 09:00-10:30", "Tutorial: AMD GPUs", []),
        ("2025-06-05 09:00-09:45", "Keynote: t.b.a.", ["Philipp Neumann"]),
        ("2025-06-05 09:45-10:30", "Workshop: eCSE Session", []),
        ("2025-06-05 09:45-10:30", "Workshop: Particle Physics", []),
        ("2025-06-03 13:30-15:00", "Tutorial: SYCL", []),
        ("2025-06-03 13:30-15:00", "Workshop: DiRAC RSEs", []),
        ("2025-06-05 13:30-15:00", "Keynote: Digital Research Infrastructure", []),
        ("2025-06-05 13:30-15:00", "UKRI DRI", [])]
