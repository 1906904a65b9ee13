"""Reminder lateness while `lectern run` runs: reminders planned to fall due over a few
seconds, a real `lectern run` process on the console channel, and how late each went out
(the outbox's sent_at minus due_at; whole seconds, as the database stores instants)."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.clock import SystemClock, parse_instant
from bot.models import Talk, UpsertResult
from jobs.planner import plan_new_items
from storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
LEAD = 20.0  # seconds from start-up until the first reminder falls due


def measure_reminder_lateness(args: argparse.Namespace) -> dict[str, object]:
    count, spread = args.reminders, args.spread
    with tempfile.TemporaryDirectory() as tmp:
        db, config = Path(tmp) / "late.db", Path(tmp) / "late.toml"
        config.write_text('timezone = "UTC"\n')
        now = SystemClock().now()
        store = Store.open(db)
        store.add_subscription("console:bench", "seminar", "talks", "bench", now)
        store.update_channel("console:bench", reminder_offsets=(1,))
        # A one-minute reminder for each talk, due LEAD..LEAD+spread seconds from now.
        talks = [Talk(key=f"t{n}", title=f"Seminar {n}", source="bench",
                      start=now + timedelta(seconds=60 + LEAD + n * spread / count))
                 for n in range(count)]
        changes = store.upsert_talks("bench", talks, now)
        plan_new_items(store, UpsertResult(), changes, now, "UTC")
        store.close()
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(config), "--db", str(db), "run"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            time.sleep(LEAD + spread + 5)  # a benchmark, not a test: real time is the point
        finally:
            bot.terminate()
            bot.wait(timeout=30)
        store = Store.open(db)
        late = sorted((parse_instant(r["sent_at"]) - parse_instant(r["due_at"])).total_seconds()
                      for r in store.db.query("SELECT due_at, sent_at FROM deliveries WHERE "
                                              "purpose LIKE 'reminder:%' AND status = 'sent'"))
        store.close()
    if not late:
        return {"reminders_sent": 0, "reminder_lateness_p99_s": None}
    return {"reminders_sent": len(late), "reminders_planned": count,
            "reminder_lateness_p50_s": late[len(late) // 2],
            "reminder_lateness_p99_s": late[min(len(late) - 1, int(len(late) * 0.99))]}
