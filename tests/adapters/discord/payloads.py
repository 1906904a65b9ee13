"""Interaction payloads in the shape Discord sends them over the gateway
(INTERACTION_CREATE): slash commands, autocomplete, button clicks and form submits."""

from __future__ import annotations

import itertools
from typing import Any

from tests.fake_discord import APP_ID, BOT_USER

GUILD, CHANNEL, MEMBER_ID = "1200000000000000001", "1200000000000000002", "1200000000000000003"
_VIEW, _SEND, _HISTORY, _COMMANDS = 1 << 10, 1 << 11, 1 << 16, 1 << 31
MEMBER = _VIEW | _SEND | _HISTORY | _COMMANDS
MANAGER = MEMBER | 1 << 4  # MANAGE_CHANNELS
ADMIN = MEMBER | 1 << 3  # ADMINISTRATOR
_ids = itertools.count(1700000000000000001)
STRING, INTEGER = 3, 4


def _base(kind: int, data: dict, permissions: int, channel: str) -> dict[str, Any]:
    interaction_id = str(next(_ids))
    return {
        "id": interaction_id, "application_id": APP_ID, "type": kind, "data": data,
        "token": f"token-{interaction_id}", "version": 1,
        "guild_id": GUILD, "guild": {"id": GUILD, "locale": "en-US", "features": []},
        "channel_id": channel,
        "channel": {"id": channel, "type": 0, "guild_id": GUILD, "name": "ml-papers",
                    "position": 3, "permission_overwrites": [], "nsfw": False,
                    "parent_id": None, "flags": 0, "last_message_id": None,
                    "rate_limit_per_user": 0, "topic": None},
        "member": {"user": {"id": MEMBER_ID, "username": "ada", "discriminator": "0",
                            "global_name": "Ada Lovelace", "avatar": None},
                   "roles": [], "joined_at": "2025-02-01T10:00:00.000000+00:00",
                   "deaf": False, "mute": False, "flags": 0, "nick": None,
                   "pending": False, "permissions": str(permissions),
                   "premium_since": None, "avatar": None,
                   "communication_disabled_until": None},
        "app_permissions": str(MEMBER | 1 << 14), "locale": "en-GB", "guild_locale": "en-US",
        "entitlements": [], "authorizing_integration_owners": {"0": GUILD}, "context": 0,
        "attachment_size_limit": 26214400,
    }


def option(name: str, value: Any, *, focused: bool = False) -> dict[str, Any]:
    kind = INTEGER if isinstance(value, int) else STRING
    result = {"name": name, "type": kind, "value": value}
    if focused:
        result["focused"] = True
    return result


def slash(path: str, options: list[dict] | None = None, *, permissions: int = MEMBER,
          channel: str = CHANNEL, autocomplete: bool = False) -> dict[str, Any]:
    """`slash("sources add", [option("kind", "rss"), ...])`: a command as Discord sends it."""
    name, *sub = path.split()
    inner = options or []
    if sub:
        inner = [{"name": sub[0], "type": 1, "options": inner}]
    data = {"id": str(next(_ids)), "name": name, "type": 1, "options": inner,
            "guild_id": GUILD}
    return _base(4 if autocomplete else 2, data, permissions, channel)


def button(custom_id: str, message: dict, *, permissions: int = MEMBER) -> dict[str, Any]:
    payload = _base(3, {"custom_id": custom_id, "component_type": 2}, permissions, CHANNEL)
    payload["message"] = message
    return payload


def form(callback_data: dict, values: list[str], *, permissions: int = MEMBER) -> dict:
    """The submit of a modal lectern opened (`callback_data` is the modal it sent)."""
    filled, fields = [], iter(values)
    for row in callback_data["components"]:
        inner = row.get("components") or [row["component"]]
        typed = [{"type": 4, "custom_id": c["custom_id"], "value": next(fields)}
                 for c in inner]
        filled.append({"type": row["type"], "components": typed} if row["type"] == 1
                      else {"type": row["type"], "component": typed[0]})
    data = {"custom_id": callback_data["custom_id"], "components": filled}
    return _base(5, data, permissions, CHANNEL)


def posted(channel: str = CHANNEL, **fields: Any) -> dict[str, Any]:
    """A message lectern posted earlier, as a button click carries it."""
    return {"id": str(next(_ids)), "channel_id": channel, "author": BOT_USER, "content": "",
            "timestamp": "2026-11-23T09:00:00+00:00", "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": [], "components": [], "pinned": False, "type": 0,
            "flags": 0, **fields}
