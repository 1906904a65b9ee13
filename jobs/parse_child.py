"""Reading documents in a supervised child process with hard limits: what a hostile feed,
page or calendar can cost `lectern run` is bounded by the operating system, not only by
the readers' own guards (xmlguard, icalguard, the tag and line caps).

One long-lived child (`python -m jobs.parse_child`, started on first use) takes one
document at a time: it parses it (ParseWorker.parse) or, under `lectern run`, parses,
stores and plans it in its own connection to the database (jobs.ingest.store_at, through
ParseWorker.run). Requests and results cross its stdin and stdout as length-prefixed
pickles between our own two processes. Before each document the child sets its CPU limit
to what it has used plus the document's budget (RLIMIT_CPU: past it the kernel stops the
child); its address space is capped once at start (RLIMIT_AS: an allocation past it
fails). The parent waits at most `wall_seconds`, then kills it. A document that hits a
limit is refused whole with a ParseError that says which: only a finished answer ever
comes back, and a child stopped mid-transaction leaves SQLite to roll it back, so nothing
of a refused document is stored. A dead child is replaced at the next document.

The bot's event loop never parses nor stores: the parent waits in the ingest's thread.
"""

from __future__ import annotations

import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeVar

from bot.models import ParseError, ParseResult
from jobs.sources import parse_document

_HEADER = struct.Struct("!Q")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """What one document may cost. The largest calendar lectern reads (10,000 events,
    icalguard.MAX_EVENTS) takes about 4.3 s of CPU and 70 MB; these leave room."""

    cpu_seconds: int = 20
    memory_bytes: int = 2048 * 1024 * 1024  # the child's whole address space
    wall_seconds: float = 60.0


STOPPING = "lectern is stopping; nothing of it is stored"


class ParseWorker:
    """The parent's side: one child at a time, (re)started when needed."""

    def __init__(self, limits: ParseLimits | None = None) -> None:
        self.limits = limits or ParseLimits()
        self._child: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._closed = False  # once closed, no child is started again
        self.started = 0  # children started so far (a restart after a death adds one)

    def parse(self, kind: str, body: bytes, **options: Any) -> ParseResult:
        """parse_document(kind, body, **options) in the child; ParseError when the
        document cannot be read or hits a limit. Blocks: call it off the event loop."""
        return self.run(parse_document, kind, body, **options)

    def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """function(*args, **kwargs) in the child, within the limits: a module-level
        function (it crosses by name). ParseError when it raises one or hits a limit;
        nothing but a finished answer comes back. Blocks: call it off the event loop."""
        with self._lock:
            if self._closed:  # a document queued behind the one stopped with the bot
                raise ParseError(STOPPING)
            child = self._running()
            if self._closed:  # closed as it started: close() may have missed this child
                self.close()
                raise ParseError(STOPPING)
            try:
                _write(child.stdin, (function, args, kwargs, self.limits.cpu_seconds))
                outcome, value = self._answer(child)
            except (BrokenPipeError, EOFError, OSError):
                raise ParseError(self._died(child)) from None
        if outcome == "ok":
            return value
        if outcome == "crashed":
            raise RuntimeError(f"the reader failed in its child process:\n{value}")
        raise ParseError(value)

    def close(self) -> None:
        """Stop the child, also while a document is being read (not under the lock: a
        parse holds it, and the bot stopping must not wait for the document). A document
        queued behind it is refused, not read in a new child: the thread pool's exit
        waits for every queued job, and a fresh child reading a large feed would keep a
        Ctrl-C'd `lectern run` alive for as long as that takes."""
        self._closed = True
        child = self._child
        if child is not None and child.poll() is None:
            child.kill()
            child.wait()

    def _running(self) -> subprocess.Popen[bytes]:
        if self._child is None or self._child.poll() is not None:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "jobs.parse_child", str(self.limits.memory_bytes)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            self.started += 1
        return self._child

    def _answer(self, child: subprocess.Popen[bytes]) -> tuple[str, Any]:
        ready, _, _ = select.select([child.stdout], [], [], self.limits.wall_seconds)
        if not ready:
            child.kill()
            child.wait()
            raise ParseError(f"reading it took more than {self.limits.wall_seconds:g} s; "
                             "it was stopped and nothing of it is stored")
        return _read(child.stdout)

    def _died(self, child: subprocess.Popen[bytes]) -> str:
        code = child.wait()
        self._child = None
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            return (f"reading it used more than {self.limits.cpu_seconds} s of CPU or "
                    "all the memory allowed; it was stopped and nothing of it is stored")
        return f"the reader stopped unexpectedly (exit {code}); nothing of it is stored"


def _write(stream: BinaryIO | None, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    assert stream is not None
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read(stream: BinaryIO | None) -> Any:
    assert stream is not None
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the child closed its output")
    size = _HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the child closed its output mid-answer")
    return pickle.loads(data)  # noqa: S301 - our own child's answer


def serve(memory_bytes: int) -> None:
    """The child: limit the address space, then parse each request until stdin ends."""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ValueError, OSError):  # a platform that cannot: CPU and wall limits stay
        pass
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    while True:
        try:
            function, args, kwargs, cpu = _read(requests)
        except EOFError:
            return
        used = resource.getrusage(resource.RUSAGE_SELF)
        budget = int(used.ru_utime + used.ru_stime) + cpu
        resource.setrlimit(resource.RLIMIT_CPU, (budget, resource.RLIM_INFINITY))
        _write(answers, _outcome(function, args, kwargs, memory_bytes))


def _outcome(function: Callable[..., Any], args: tuple, kwargs: dict[str, Any],
             memory_bytes: int) -> tuple[str, Any]:
    try:
        return "ok", function(*args, **kwargs)
    except ParseError as error:
        return "refused", str(error)
    except MemoryError:
        return "refused", (f"reading it needed more than {memory_bytes // 2**20} MB; "
                           "nothing of it is stored")
    except RecursionError:
        return "refused", "it nests deeper than lectern reads; nothing of it is stored"
    except Exception:  # a reader's bug: the parent raises it as the bug it is
        return "crashed", traceback.format_exc(limit=20)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
