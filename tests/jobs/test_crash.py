"""A crash between posting a message and marking it sent: kill -9 a real dispatcher
process mid-dispatch, restart it, count the messages."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from bot.models import Paper, TalkChanges
from jobs.planner import plan_new_items
from storage.store import Store
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]


def run_child(db: Path, log: Path, kill_after: int) -> int:
    return subprocess.run(
        [sys.executable, "-m", "tests.jobs.crash_child", str(db), str(log),
         "2026-11-23T09:00:00Z", str(kill_after)], cwd=ROOT, timeout=60).returncode


def test_kill_mid_dispatch_repeats_at_most_the_message_in_flight(tmp_path):
    db, log = tmp_path / "l.db", tmp_path / "sent.log"
    store = Store.open(db)
    for channel in ("console:a", "console:b", "console:c"):
        store.add_subscription(channel, "diffusion", "papers", "test", NOW)
    papers = [Paper(id=f"x:{n}", title=f"Diffusion {n}", source="x") for n in range(3)]
    result = store.upsert_papers(papers, NOW)
    assert plan_new_items(store, result, TalkChanges(), NOW, "UTC") == 9
    store.close()

    assert run_child(db, log, kill_after=4) == -9  # SIGKILL after the 4th post
    in_flight = log.read_text().splitlines()[-1]
    assert len(log.read_text().splitlines()) == 4
    assert run_child(db, log, kill_after=0) == 0  # the restart finishes the job

    posted = Counter(log.read_text().splitlines())
    assert len(posted) == 9  # nothing lost
    repeated = [message for message, count in posted.items() if count > 1]
    assert repeated == [in_flight] and posted[in_flight] == 2  # only the one in flight
    reopened = Store.open(db)
    assert reopened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {d.status for d in reopened.delivery_history()} == {"sent"}
    reopened.close()
