"""A real child process holding a database's write lock, as the reader child of `lectern
run` does while it stores a document: for tests of what waits for the lock, and how."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def lock_held_by_a_child(path: str) -> Iterator[subprocess.Popen]:
    """The child holds the write lock until its stdin closes (close it to let go)."""
    child = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.isolation_level = None; c.execute('BEGIN IMMEDIATE'); print('held', flush=True);"
         " sys.stdin.read(); c.execute('ROLLBACK')", path],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        yield child
    finally:
        child.kill()
        child.wait()
