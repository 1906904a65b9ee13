"""Round 5 of attacks, the operator's clock: `--now` at the ends of Python's calendar
(9999-12-31, year 1, an offset that carries either past them in UTC) and `--from`/`--to`
the same. Each was an OverflowError traceback from deep in a command; now it is one line
saying what to type, exit code 2, and a time near a change of the clocks still runs."""

from __future__ import annotations

import pytest

from bot.app.cli import main


@pytest.mark.parametrize("now", ["9999-12-31", "9999-12-31T23:00:00Z", "0001-01-01",
                                 "9999-12-31T23:59:59-01:00", "0001-01-01T00:30:00+01:00",
                                 "1899-12-31T23:59:59Z", "9000-01-01T00:00:00Z"])
@pytest.mark.parametrize("command", [["dispatch"], ["seminars", "--json"],
                                     ["command", "--channel", "console:lab",
                                      "/seminars upcoming"]])
def test_a_now_past_what_lectern_can_plan_around_is_one_line(tmp_path, capsys, now,
                                                              command):
    code = main(["--db", str(tmp_path / "l.db"), "--now", now, *command])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "between the years 1900 and 9000" in err and now in err


@pytest.mark.parametrize("edge", ["--from", "--to"])
def test_a_listing_bound_past_year_9999_in_utc_is_refused(tmp_path, capsys, edge):
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(tmp_path / "l.db"), "seminars", edge, "9999-12-31T23:59:59-01:00"])
    assert stopped.value.code == 2
    assert "is not an ISO 8601 instant" in capsys.readouterr().err


@pytest.mark.parametrize("now", ["2026-03-29T01:30:00+00:00", "2026-10-25T01:30:00+01:00",
                                 "2026-03-08T07:00:00Z", "1900-01-01T00:00:00Z",
                                 "8999-12-31T23:59:59Z"])
def test_a_now_at_a_change_of_the_clocks_or_near_the_bounds_runs(tmp_path, capsys, now):
    assert main(["--db", str(tmp_path / "l.db"), "--now", now, "dispatch"]) == 0, \
        capsys.readouterr().err
