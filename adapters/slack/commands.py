"""Slack slash commands and buttons -> the neutral command registry.

Every listener acks first (Slack wants an answer within 3 s), then runs the command and
answers through `respond`: ephemeral where the Reply is private, in the channel otherwise.
`/lectern <command> ...` reaches every command, so a workspace where another app owns
`/settings` can still use it, and `/remind` (Slack's own) is `/lectern remind`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import LINK_PREFIX, REMIND_PREFIX, VOTE_PREFIX, render
from bot.chat import ChannelRef, Invocation, Message, Reply, UserRef
from bot.commands.registry import Registry

log = logging.getLogger(__name__)
UMBRELLA = "lectern"  # `/lectern papers latest` == `/papers latest`
# Slack's own slash commands, which an app cannot take: reached as `/lectern remind ...`.
BUILT_IN = frozenset({"remind"})
MANAGER_TTL = timedelta(minutes=5)
FAILED_REPLY = ("Sorry, lectern could not answer that just now; the operator can see why in "
                "the log. Please try again.")


class Managers:
    """Who may manage a channel: configured user ids, and workspace admins and owners
    (users.info, remembered for a few minutes)."""

    def __init__(self, client: AsyncWebClient, configured: Iterable[str],
                 now: Callable[[], datetime]) -> None:
        self.client, self.configured, self.now = client, frozenset(configured), now
        self._cache: dict[str, tuple[bool, datetime]] = {}

    async def is_manager(self, user_id: str) -> bool:
        if user_id in self.configured:
            return True
        cached = self._cache.get(user_id)
        if cached and cached[1] > self.now():
            return cached[0]
        try:
            response = await self.client.users_info(user=user_id)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("users.info for %s failed (%s); treating them as a member", user_id,
                        getattr(getattr(error, "response", None), "data", error))
            return False
        user = response.get("user") or {}
        allowed = any(bool(user.get(flag)) for flag in ("is_admin", "is_owner",
                                                         "is_primary_owner"))
        self._cache[user_id] = (allowed, self.now() + MANAGER_TTL)
        return allowed


def clicked(body: dict, command: str, args: str) -> Invocation | None:
    """A button's command, run for the member who clicked it, in the channel it is in;
    None for a click that names no channel or member (nothing to run it for)."""
    user, channel = body.get("user") or {}, body.get("channel") or {}
    if not user.get("id") or not channel.get("id"):
        return None
    return Invocation(command, args, ChannelRef("slack", str(channel["id"])),
                      UserRef(str(user["id"]), str(user.get("username") or "")))


def register(app: AsyncApp, registry: Registry, managers: Managers) -> None:
    """Attach lectern's listeners to the bolt app."""

    async def on_command(ack, command: dict, respond) -> None:
        async with registry.foreground.serving():
            await ack()
            try:
                invocation = await to_invocation(command, registry, managers)
                reply = await registry.dispatch(invocation)
            except Exception:  # never leave the member without an answer
                log.exception("slash command %s failed", command.get("command"))
                reply = Reply(Message(text=FAILED_REPLY))
            await answer(respond, reply)

    async def on_remind(ack, body: dict, action: dict, respond) -> None:
        await ack()
        invocation = clicked(body, "remind", str(action.get("value") or ""))
        if invocation is not None:  # the core's /remind, for the member who clicked
            async with registry.foreground.serving():
                await answer(respond, await registry.dispatch(invocation))

    async def on_vote(ack, body: dict, action: dict, respond) -> None:
        await ack()  # a 👍/👎 button or a list's menu: the core's /papers vote
        chosen = (action.get("selected_option") or {}).get("value") or action.get("value")
        way, _, paper_id = str(chosen or "").partition(" ")
        invocation = clicked(body, "papers", "")
        if way not in ("up", "down") or invocation is None:
            return  # the menu's link (the browser opens it), or a click from nowhere
        async with registry.foreground.serving():
            await answer(respond, await registry.dispatch(replace(
                invocation, subcommand="vote", values={"id": paper_id, "vote": way})))

    async def on_link(ack) -> None:
        await ack()  # a link button opens its URL in the browser; nothing else to do

    app.command(re.compile(r"^/"))(on_command)
    app.action(re.compile("^" + re.escape(REMIND_PREFIX)))(on_remind)
    app.action(re.compile("^" + re.escape(LINK_PREFIX)))(on_link)
    app.action(re.compile("^" + re.escape(VOTE_PREFIX)))(on_vote)


async def to_invocation(command: dict, registry: Registry, managers: Managers) -> Invocation:
    """A slash command payload as the registry's Invocation."""
    name = str(command.get("command", "")).lstrip("/").lower()
    args = typed_text(str(command.get("text") or "")).strip()
    if name == UMBRELLA:
        word, args = (args.split(maxsplit=1) + ["", ""])[:2]
        name, args = (word.lower() or "help"), args.strip()
    user_id = str(command.get("user_id", ""))
    is_manager = (user_id in managers.configured or
                  (needs_manager(registry, name, args) and await managers.is_manager(user_id)))
    return Invocation(name, args, ChannelRef("slack", str(command.get("channel_id", ""))),
                      UserRef(user_id, str(command.get("user_name") or "")), is_manager)


# Slack's markup in what a member typed: links (`<https://…|label>`, `<mailto:…|a@b>`),
# and with "escape channels, users, and links" on, members and channels (`<@U1|ada>`).
_MARKUP = re.compile(r"<(https?://[^|<>\s]+)(?:\|[^<>]*)?>|<mailto:[^|<>]*\|([^<>]*)>"
                     r"|<([@#])[A-Z0-9]+\|([^<>]*)>")


def typed_text(text: str) -> str:
    """A command's text as the member typed it: Slack sends `&`, `<` and `>` as entities
    (`R&amp;D`, `?a=1&amp;b=2`) and may wrap links in its markup; read back, so a feed's
    address or a title holding `&` is stored as typed (the adapters escape it again)."""
    def plain(found: re.Match[str]) -> str:
        if found[1] or found[2] is not None:
            return found[1] or found[2]
        return found[3] + found[4]
    text = _MARKUP.sub(plain, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def needs_manager(registry: Registry, name: str, args: str) -> bool:
    """Whether the subcommand typed is for managers only (so members' commands need no
    users.info call)."""
    sub = registry.subcommand(name, args)
    return bool(sub and sub.manager_only)


async def answer(respond, reply: Reply) -> None:
    """Post the reply through the command's response_url."""
    text, blocks = render(reply.message)
    kind = "ephemeral" if reply.ephemeral else "in_channel"
    try:
        result = await respond(text=text, blocks=blocks, response_type=kind,
                               replace_original=False)
    except (aiohttp.ClientError, TimeoutError) as error:
        log.warning("answering a Slack command failed: %s", error)
        return
    if getattr(result, "status_code", 200) != 200:
        log.warning("Slack refused a command answer: %s %s", result.status_code, result.body)
