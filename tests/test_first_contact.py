"""First contact with `make run`: the demo bot in a real child process stops at once on
Ctrl-C (SIGINT) while the console waits for a line, and leaves its database whole."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from adapters.console import PROMPT_HINT

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
# "At once" for a person; room for a loaded machine (the old console waited for Enter).
STOP_SECONDS = 45


def test_ctrl_c_stops_the_demo_at_once_with_the_database_whole(tmp_path):
    db, log = tmp_path / "demo.db", tmp_path / "stderr.log"
    with log.open("w") as stderr:  # the child keeps its own copy
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(ROOT / "examples" / "demo.toml"),
             "--db", str(db), "run"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=stderr, text=True, env={**os.environ, "PYTHONFAULTHANDLER": "1"},
            preexec_fn=_as_a_terminal_starts_it)
    try:
        for line in proc.stdout:  # the console is waiting for a line once it says so
            if PROMPT_HINT in line:
                break
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends; stdin stays open, unread
        # A bound, not a wait for time: the old console hung here until Enter was pressed.
        # What it still prints is read meanwhile (stdin stays open): a demo that writes more
        # than a pipe holds after the hint would block on that write, not on Ctrl-C.
        threading.Thread(target=proc.stdout.read, daemon=True).start()
        assert _exit_code(proc, log) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] > 0


def _as_a_terminal_starts_it() -> None:
    """In the child before exec: Ctrl-C as a terminal leaves it for a program it starts,
    handled by default and not blocked. A test run started in the background by a shell
    without job control (`make test &`, a script's `cmd &`) has SIGINT ignored, as POSIX
    shells do for such jobs, and the demo inherited that: its loop idle in select, it
    never saw the SIGINT (faulthandler's stacks), and this test failed in every such run."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _exit_code(proc: subprocess.Popen, log: Path) -> int:
    """The demo's exit code once it stops; if it has not within STOP_SECONDS, its threads'
    stacks (faulthandler, on SIGABRT) in the failure: this failed a few times in full runs
    on a loaded machine and never alone, so the next failure must say where it waited."""
    try:
        return proc.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        proc.wait(timeout=30)
        here = (signal.getsignal(signal.SIGINT),
                signal.pthread_sigmask(signal.SIG_BLOCK, set()))
        pytest.fail(f"no exit {STOP_SECONDS} s after Ctrl-C (here SIGINT is {here[0]!r}, "
                    f"blocked: {sorted(here[1])}); where it was:\n"
                    + log.read_text(errors="replace")[-6000:])
