"""Hostile bodies end within limits (CPU <= 2 s, memory growth <= 100 MB, wall <= 30 s), mark
the source unhealthy, store nothing and leave the bot serving.

Each case polls a source in a child process (hostile_poll.py, with the default settings)
against the hostile server (hostile_server.py) on 127.0.0.1; a small launcher
(rusage_run.py) reads the child's CPU time and peak RSS from os.wait4, and the RSS is
compared with a benign poll's."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from bot.models import ParseError
from jobs.sources import ical, rss, xmlguard
from jobs.sources.htmlblocks import html_lines
from tests.reliability.hostile_server import RSS, Hostile, hostile_app, trickle_headers

ROOT = Path(__file__).resolve().parents[2]
CPU_LIMIT, RSS_GROWTH_LIMIT_MB, WALL_LIMIT = 2.0, 100.0, 30.0


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Iterator[tuple[Hostile, Path]]:
    canary = tmp_path_factory.mktemp("xxe") / "canary.txt"
    canary.write_text("CANARY-XXE-7f3a\n")
    server, loop, ready = Hostile(), asyncio.new_event_loop(), threading.Event()
    state: dict = {}

    async def start() -> None:
        import socket
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server.base = f"http://127.0.0.1:{port}"
        runner = web.AppRunner(hostile_app(server, canary), shutdown_timeout=0.5)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        raw = await asyncio.start_server(trickle_headers, "127.0.0.1", 0)
        state.update(runner=runner, raw=raw, raw_port=raw.sockets[0].getsockname()[1])

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(30)
    server.headers_url = f"http://127.0.0.1:{state['raw_port']}/feed"
    yield server, canary
    asyncio.run_coroutine_threadsafe(state["runner"].cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


@dataclass
class Outcome:
    cpu: float
    max_rss_mb: float
    wall: float
    result: dict
    stdout: str
    stderr: str


def start_poll(tmp_path: Path, name: str, kind: str, url: str) -> subprocess.Popen:
    """Poll in a child (through rusage_run.py, which measures it); killed after 2 x the
    wall limit."""
    config = tmp_path / f"{name}.toml"
    config.write_text(f'[[sources]]\nname = "{name}"\nkind = "{kind}"\nurl = "{url}"\n')
    out, err = (open(tmp_path / f"{name}.{s}", "w") for s in ("out", "err"))
    command = [sys.executable, str(Path(__file__).parent / "rusage_run.py"),
               str(tmp_path / f"{name}.usage"), str(2 * WALL_LIMIT), "--",
               sys.executable, "-m", "tests.reliability.hostile_poll", str(config),
               str(tmp_path / f"{name}.db"), name]
    with out, err:
        return subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err)


def finish_poll(tmp_path: Path, name: str, launcher: subprocess.Popen) -> Outcome:
    assert launcher.wait(4 * WALL_LIMIT) == 0
    usage = json.loads((tmp_path / f"{name}.usage").read_text())
    stdout = (tmp_path / f"{name}.out").read_text()
    stderr = (tmp_path / f"{name}.err").read_text()
    lines = stdout.strip().splitlines()
    result = json.loads(lines[-1]) if usage["exit"] == 0 and lines else {}
    return Outcome(usage["cpu"], usage["max_rss_kb"] / 1024, usage["wall"], result,
                   stdout, stderr)


def poll_in_child(tmp_path: Path, name: str, kind: str, url: str) -> Outcome:
    return finish_poll(tmp_path, name, start_poll(tmp_path, name, kind, url))


@pytest.fixture(scope="module")
def baseline(hostile, tmp_path_factory) -> Outcome:
    server, _ = hostile
    outcome = poll_in_child(tmp_path_factory.mktemp("benign"), "benign", "rss",
                            server.url("/benign"))
    assert outcome.result["error"] is None and outcome.result["failures"] == 0, outcome
    return outcome


def check_limits(case: str, outcome: Outcome, baseline: Outcome) -> dict:
    growth = outcome.max_rss_mb - baseline.max_rss_mb
    print(f"\nhostile {case}: cpu {outcome.cpu:.2f} s, rss growth {growth:.1f} MB "
          f"(peak {outcome.max_rss_mb:.0f} MB), wall {outcome.wall:.1f} s")
    assert outcome.result, f"the child failed:\n{outcome.stderr[-3000:]}"
    assert outcome.cpu <= CPU_LIMIT, (case, outcome.cpu)
    assert growth <= RSS_GROWTH_LIMIT_MB, (case, growth)
    assert outcome.wall <= WALL_LIMIT, (case, outcome.wall)
    result = outcome.result
    assert result["error"] and result["failures"] == 1, (case, result)
    assert "unexpected error" not in result["last_error"], result["last_error"]
    assert result["stall"] < CPU_LIMIT, (case, result["stall"])  # the loop kept turning
    assert "Sources" in result["reply"] and case in result["reply"]  # /sources answered
    return result


CASES = [  # name, kind, path, what the recorded error says
    ("laughs", "rss", "/laughs", "billion laughs"),
    ("xxe-file", "rss", "/xxe-file", "external or parameter entity"),
    ("xxe-http", "rss", "/xxe-http", "external or parameter entity"),
    ("xxe-param", "rss", "/xxe-param", "external or parameter entity"),
    ("xxe-dtd", "rss", "/xxe-dtd", "DOCTYPE points at"),
    ("gzip-bomb", "rss", "/gzip-bomb", "expands past that when decompressed"),
    ("big-50mb", "rss", "/big", "declares 52428800 bytes"),
    ("big-chunked", "rss", "/big-chunked", "the body kept coming"),
    ("endless", "rss", "/endless", "the body kept coming"),
    ("bad-utf8", "rss", "/bad-utf8", "are not valid utf-8"),
    ("bad-utf8-json", "hf-daily", "/bad-utf8.json", "not UTF-8"),
    ("deep-xml", "rss", "/deep.xml", "200013 tags, more than the 100000"),
    ("deep-json", "hf-daily", "/deep.json", "nests deeper than Python can read"),
    ("deep-html", "seminar-page", "/deep.html", "200004 tags, more than the 100000"),
    ("deep-ics", "ical", "/deep.ics", "100000 events, more than the 10000"),
    ("many-talks", "ical", "/many-talks.ics", "40000 events, more than the 10000"),
    ("daily", "ical", "/daily.ics", "or more talks in the window, more than the 5000"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("case", "kind", "path", "says"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_body_ends_within_limits(hostile, baseline, tmp_path, case, kind, path,
                                           says) -> None:
    server, canary = hostile
    probes = server.probes
    outcome = poll_in_child(tmp_path, case, kind, server.url(path))
    result = check_limits(case, outcome, baseline)
    assert says in result["last_error"], result["last_error"]
    secret = canary.read_text().strip()
    assert secret not in outcome.stdout + outcome.stderr
    assert secret.encode() not in (tmp_path / f"{case}.db").read_bytes()
    assert server.probes == probes  # no external entity was fetched
    assert stored(tmp_path / f"{case}.db") == {"papers": 0, "talks": 0}  # none half-stored


def stored(db: Path) -> dict[str, int]:
    """The papers and talks a poll's database holds."""
    with closing(sqlite3.connect(db)) as connection:
        return {"papers": connection.execute("SELECT count(*) FROM papers").fetchone()[0],
                "talks": connection.execute("SELECT count(*) FROM talks").fetchone()[0]}


@pytest.mark.slow
def test_slow_servers_are_given_up_within_the_deadline(hostile, baseline, tmp_path) -> None:
    """A body trickling a byte a second, and headers that never end: both at once."""
    server, _ = hostile
    children = {"trickle-body": start_poll(tmp_path, "trickle-body", "rss",
                                           server.url("/trickle")),
                "trickle-headers": start_poll(tmp_path, "trickle-headers", "rss",
                                              server.headers_url)}
    for case, launcher in children.items():
        result = check_limits(case, finish_poll(tmp_path, case, launcher), baseline)
        assert "did not finish within the 25 s a fetch may take" in result["last_error"]


# In-process checks that the guards refuse only what is hostile.

def test_harmless_doctypes_and_entities_still_read() -> None:
    netscape = RSS.replace(b"<rss", b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD '
                           b'RSS 0.91//EN" "http://my.netscape.com/publish/formats/'
                           b'rss-0.91.dtd"><rss', 1)
    declared = RSS.replace(b"<rss", b'<!DOCTYPE rss [<!ENTITY mdash "&#8212;">]><rss', 1)
    assert rss.parse(netscape, "s").papers[0].title == "A paper"
    assert rss.parse(declared.replace(b"A paper", b"A&mdash;paper"), "s").papers[0].title \
        == "A\u2014paper"


def test_a_feed_nested_within_the_limit_still_reads() -> None:
    depth = xmlguard.MAX_DEPTH - 10
    nested = RSS.replace(b"<item>", b"<item>" + b"<x>" * depth + b"</x>" * depth)
    assert len(rss.parse(nested, "s").papers) == 1


def test_bad_bytes_are_counted_in_linear_time() -> None:
    stray = RSS.replace(b"A paper", b"A\xff paper")
    assert "1 byte that is not valid UTF-8 was replaced" in rss.parse(stray, "s").warnings[0]
    started = time.process_time()
    with pytest.raises(ParseError, match="more than 1000 stretches"):
        rss.parse(RSS.replace(b"A paper", b"\xff " * 3_000_000), "s")
    assert time.process_time() - started < 1.0


def test_calendars_and_pages_of_ordinary_depth_still_read() -> None:
    calendar = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\n"
                b"DTSTART:20261201T100000Z\r\nSUMMARY:Talk\r\nBEGIN:VALARM\r\n"
                b"ACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n"
                b"END:VCALENDAR\r\n")
    now = datetime(2026, 11, 23, tzinfo=UTC)
    assert len(ical.parse(calendar, "s", timezone="UTC", now=now).talks) == 1
    page = "<ul>" + "<li><p>x<br><img src=a>" * 6000 + "</ul>"  # unclosed items stay flat
    assert html_lines(page)[0]


def test_depth_is_refused_below_the_tag_limit() -> None:
    """20,000 deep is few enough tags to pass the count: the depth limits refuse it."""
    deep = 20_000
    with pytest.raises(ParseError, match="nest more than 256 deep"):
        rss.parse(RSS.replace(b"<item>", b"<item>" + b"<a>" * deep + b"</a>" * deep), "s")
    with pytest.raises(ParseError, match="nests its elements more than 256 deep"):
        html_lines("<body>" + "<div>" * deep + "x" + "</div>" * deep)


def test_calendar_depth_is_refused_below_the_event_and_line_limits() -> None:
    deep = 500  # 500 events in 1,000 lines: within both counts
    calendar = (b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * deep + b"END:VEVENT\r\n" * deep
                + b"END:VCALENDAR\r\n")
    with pytest.raises(ParseError, match="nest more than 10 deep"):
        ical.parse(calendar, "s", timezone="UTC", now=datetime(2026, 11, 23, tzinfo=UTC))


def test_a_document_of_countless_tags_is_refused_before_parsing() -> None:
    started = time.process_time()
    with pytest.raises(ParseError, match="1500008 tags, more than the 100000 any feed"):
        rss.parse(RSS.replace(b"<item>", b"<a/>" * 1_499_995 + b"<item>"), "s")
    with pytest.raises(ParseError, match="tags, more than the 100000 a seminar page"):
        html_lines("<p>" * 200_000)
    assert time.process_time() - started < 1.0


def test_hostile_markdown_is_refused_or_read_within_its_budget() -> None:
    """Brackets and nesting are markdown's costly inputs: a post over 256 KiB is refused
    before rendering, and one under it renders in well under the 2 s a document may take."""
    from jobs.sources import seminar_page

    now = datetime(2026, 11, 23, tzinfo=UTC)
    started = time.process_time()
    with pytest.raises(ParseError, match="more than the 256 KiB a seminar post"):
        seminar_page.parse(b"---\ntitle: x\n---\n" + b"[" * 200_000 + b"]" * 200_000, "s",
                           timezone="UTC", now=now)
    nested = b"---\ntitle: x\n---\n" + b"> " * 25_000 + b"x\n" + b"[a](" * 25_000
    assert seminar_page.parse(nested, "s", timezone="UTC", now=now).talks == []
    assert time.process_time() - started < 2.0


@pytest.mark.parametrize("front", [
    b"---\ndate: 2026-02-30\n---\n",  # a typo PyYAML cannot make a date of
    b"---\nspeaker: " + b"9" * 5000 + b"\n---\n",  # past Python's int-digits limit
    b"+++\nspeaker = " + b"9" * 60000 + b"\n+++\n",
])
def test_front_matter_a_parser_cannot_build_is_read_as_text_not_a_crash(front) -> None:
    from jobs.sources import seminar_page

    body = b"Time: 2026-12-03 10:00\nSpeaker: Jane Doe\nTitle: Sparse Transformers\n"
    result = seminar_page.parse(front + body, "s", timezone="UTC",
                                now=datetime(2026, 11, 23, tzinfo=UTC))
    assert [t.title for t in result.talks] == ["Sparse Transformers"]


def test_a_document_of_countless_lines_is_refused_within_its_budget() -> None:
    """Every line is tried as a heading, a time and a slot (about 0.15 ms): past 10,000
    lines a document is refused whole, before the reading could take seconds."""
    from jobs.sources import seminar_page

    started = time.process_time()
    with pytest.raises(ParseError, match="more than the 10000 a seminar page"):
        seminar_page.parse(b"12:00 Talk by Someone\n" * 22_727, "s", timezone="UTC",
                           now=datetime(2026, 11, 23, tzinfo=UTC))
    assert time.process_time() - started < 2.0

