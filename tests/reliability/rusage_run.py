"""Run a command and report its CPU time, peak RSS and wall time (from os.wait4) as JSON.

    python tests/reliability/rusage_run.py REPORT.json TIMEOUT -- COMMAND...

This launcher is a small process on purpose: on Linux a child's peak RSS counts the image it
was forked from until it execs, so a child started straight from a big test process would
report the test process' size. COMMAND is killed after TIMEOUT seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time


def main() -> int:
    report, timeout, _, *command = sys.argv[1:]
    started = time.monotonic()
    child = subprocess.Popen(command)
    watchdog = threading.Timer(float(timeout), child.kill)
    watchdog.start()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    watchdog.cancel()
    child.returncode = code = os.waitstatus_to_exitcode(status)
    with open(report, "w") as handle:
        json.dump({"cpu": usage.ru_utime + usage.ru_stime, "max_rss_kb": usage.ru_maxrss,
                   "wall": wall, "exit": code}, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
