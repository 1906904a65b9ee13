"""/sources: the sources lectern polls and their health; managers add and remove them."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from bot.addresses import AddressRefused, check_member_url, parse_ranges
from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.declare import CHOICE, SOURCE, URL, WORD, Group, Param, UsageError
from bot.commands.registry import channel_key, who
from bot.health import HealthPolicy, assess
from bot.models import Source
from bot.redact import redact_url
from bot.render import source_health
from bot.sourcekinds import SOURCE_KINDS, reserved_source_name

TRY_SECONDS = 20.0  # a first poll waited for before answering; within every platform's window
_TRYING: set[asyncio.Future[str]] = set()  # first polls that outlive their command
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_ADD_EXAMPLE = "/sources add rss https://www.nature.com/nature.rss nature"
_ADD_HINT = f"give a kind, a URL and optionally a name, e.g. {_ADD_EXAMPLE}"


def source_slug(url: str) -> str:
    """A default name from the URL's host and path: `rss.arxiv.org-rss-cs.LG`."""
    parts = urlsplit(url)
    try:  # an international host as its ASCII name (пример.рф: xn--e1afmkfd.xn--p1ai)
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except UnicodeError:
        host = parts.hostname or ""
    stem = host + parts.path
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")
    return slug[:64].rstrip("-._") or "source"


def check_url(url: str, allow_ranges: Iterable[str] = ()) -> str:
    """A member's URL, refused at once when it cannot be a public feed (bot.addresses: no
    DNS here; a name resolving to a private address is refused when it is polled)."""
    hidden = next((c for c in url if unicodedata.category(c) in ("Cf", "Zs", "Zl", "Zp")),
                  None)
    if hidden is not None:  # a zero-width space shows `example​.org` as example.org
        raise UsageError(f"the address holds an invisible character (U+{ord(hidden):04X}); "
                         f"type it again without it, e.g. {_ADD_EXAMPLE}")
    try:
        parts = urlsplit(url)
    except ValueError as error:  # `http://[127.0.0.1]/` and other unparsable hosts
        raise UsageError(f"{url[:200]!r} is not a valid web address ({error}); give one "
                         f"starting with https://, e.g. {_ADD_EXAMPLE}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url!r} is not a web address; give one starting with https://, "
                         f"e.g. {_ADD_EXAMPLE}")
    try:
        return check_member_url(url, parse_ranges(allow_ranges))
    except AddressRefused as error:
        raise UsageError(str(error)) from None


sources = Group("sources", "the sources lectern polls", default="list")


@sources.sub("list", "every source with its health")
async def list_sources(ctx: BotContext, invocation: Invocation) -> Reply:
    known = ctx.store.list_sources()
    if not known:
        return Reply(Message(text="No sources yet: the operator adds them to the config "
                                  f"file, or a manager types e.g. {_ADD_EXAMPLE}"))
    lines = ["Sources"]
    for s in known:
        origin = "" if not s.from_chat else f", added by {s.added_by} in chat"
        health = source_health(s, assess(s, HealthPolicy.from_settings(ctx.settings)))
        lines.append(f"• {s.name} [{s.kind}{origin}]: {health}")
    return Reply(Message(text="\n".join(lines), title="Sources"))


@sources.sub("add", f"poll a new source ({', '.join(SOURCE_KINDS)})", Param(
    "kind", CHOICE, "the kind of source", choices=SOURCE_KINDS, example="rss",
    missing=_ADD_HINT, invalid="{value!r} is not a source kind; use one of "
    f"{', '.join(SOURCE_KINDS)}, e.g. {_ADD_EXAMPLE}"), Param(
    "url", URL, "the source's address (http or https)", max_length=2000,
    example="https://example.org/feed.xml", missing=_ADD_HINT), Param(
    "name", WORD, "a name for it (default: made from the address)", required=False,
    example="lab-feed"), manager_only=True, slow=True, extra=_ADD_HINT)
async def add(ctx: BotContext, invocation: Invocation, kind: str, url: str,
              name: str = "") -> Reply:
    url = check_url(url, ctx.settings.allow_ranges)
    name = name or source_slug(url)
    if not _NAME.match(name):
        raise UsageError(f"{name!r} cannot be a source name: use up to 64 letters, digits, "
                         "'.', '_' or '-', e.g. nature-news")
    if reserved := reserved_source_name(name):  # the talks members paste live there
        raise UsageError(f"{reserved}, e.g. feed-{name}")
    source = Source(name=name, kind=kind, location=url, added_by=invocation.user.id,
                    added_in=channel_key(invocation))
    await ctx.store.transaction_when_free(lambda: _save_new(ctx, source))
    found = await _first_try(ctx, name)
    ctx.hooks.sources_changed()
    shown = redact_url(url)  # the channel sees it; a key in it stays private
    text = (f"Source {name} [{kind}] added by {who(invocation)}: {shown}\n{found}\n"
            f"It is polled every {source.interval_minutes} minutes; /sources shows its "
            f"health and /sources remove {name} undoes this.")
    return Reply(Message(text=text, title=f"Source {name} added",
                         link=None if shown != url else url), ephemeral=False)


def _save_new(ctx: BotContext, source: Source) -> None:
    """Keep a source no other has the name of (checked where it is kept: another manager's
    /sources add may wait for the write lock too)."""
    if ctx.store.get_source(source.name) is not None:
        raise UsageError(f"a source named {source.name} exists; pick another name, e.g. "
                         f"/sources add {source.kind} {source.location} {source.name}-2")
    ctx.store.save_source(source, ctx.clock.now())


async def _first_try(ctx: BotContext, name: str) -> str:
    """Poll the new source at once, so a wrong address is said now, not after three
    failed polls; a slow one goes on in the background and reports through /sources."""
    trying = asyncio.ensure_future(ctx.hooks.try_source(name))
    _TRYING.add(trying)
    trying.add_done_callback(_TRYING.discard)
    try:
        async with asyncio.timeout(TRY_SECONDS):  # not wait_for: it can drop a cancel (3.11)
            return await asyncio.shield(trying)
    except TimeoutError:
        return "It is slow to answer and is still being read; /sources shows what it found."


_WHICH = "say which source to remove, e.g. /sources remove nature; /sources lists them"


@sources.sub("remove", "stop polling a source added in chat", Param(
    "name", SOURCE, "the source's name", example="lab-feed", missing=_WHICH),
    manager_only=True, extra=_WHICH)
async def remove(ctx: BotContext, invocation: Invocation, name: str) -> Reply:
    source = await ctx.store.transaction_when_free(lambda: _remove(ctx, name))
    ctx.hooks.sources_changed()
    return Reply(Message(text=f"Source {name} [{source.kind}] removed by "
                              f"{who(invocation)}; its papers and talks stay stored."),
                 ephemeral=False)


def _remove(ctx: BotContext, name: str) -> Source:
    """Remove a source added in chat; the one removed."""
    source = ctx.store.get_source(name)
    if source is None:
        known = ", ".join(s.name for s in ctx.store.list_sources()) or "none"
        raise UsageError(f"there is no source named {name}; these exist: {known}")
    if not source.from_chat:
        raise UsageError(f"{name} comes from the config file; the operator removes it there")
    ctx.store.remove_source(name)
    return source
