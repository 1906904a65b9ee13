"""What Discord refuses, as the fake Discord (tests/fake_discord.py) checks it: message
payloads over the platform's limits or mentioning anyone, and registered commands that break
its rules for names, descriptions, options and choices."""

from __future__ import annotations

import re

EMBED_LIMITS = {"title": 256, "description": 4096}


def problems(body: dict, *, create: bool) -> list[str]:
    """What Discord (or lectern's own rules) would refuse in a message payload."""
    found = []
    if len(body.get("content") or "") > 2000:
        found.append("content over 2000")
    embeds = body.get("embeds") or []
    total = 0
    for embed in embeds:
        for key, limit in EMBED_LIMITS.items():
            if len(embed.get(key) or "") > limit:
                found.append(f"embed {key} over {limit}")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            found.append("over 25 fields")
        if any(len(f["name"]) > 256 or len(f["value"]) > 1024 or not f["value"]
               for f in fields):
            found.append("a field over its limits or empty")
        footer = (embed.get("footer") or {}).get("text") or ""
        if len(footer) > 2048:
            found.append("footer over 2048")
        total += sum(len(embed.get(k) or "") for k in EMBED_LIMITS) + len(footer) + sum(
            len(f["name"]) + len(f["value"]) for f in fields)
    if total > 6000:
        found.append(f"embeds total {total} over 6000")
    if not (body.get("content") or embeds or body.get("components")) and create:
        found.append("empty message")
    found += component_problems(body.get("components") or [])
    mentions = body.get("allowed_mentions")
    if mentions is None or mentions.get("parse") != [] or mentions.get("users") \
            or mentions.get("roles") or mentions.get("replied_user"):
        found.append(f"allowed_mentions not empty: {mentions}")
    return found


def component_problems(rows: list[dict]) -> list[str]:
    """Discord's rules for a message's buttons and menus: at most 5 action rows, each of
    up to 5 buttons or one menu; custom_ids of 1 to 100 characters, unique; button labels
    up to 80; a menu's 1 to 25 options with labels and values up to 100."""
    found = [] if len(rows) <= 5 else [f"{len(rows)} action rows (at most 5)"]
    ids = []
    for row in rows:
        items = row.get("components") or []
        menus = [c for c in items if c.get("type") == 3]
        if not 1 <= len(items) <= 5 or (menus and len(items) != 1):
            found.append(f"a row of {len(items)} components, {len(menus)} of them menus")
        for item in items:
            if "custom_id" in item:
                ids.append(item["custom_id"])
                if not 1 <= len(item["custom_id"]) <= 100:
                    found.append(f"custom_id of {len(item['custom_id'])} characters")
            if len(item.get("label") or "") > 80:
                found.append("button label over 80")
            options = item.get("options") or []
            if item.get("type") == 3 and not 1 <= len(options) <= 25:
                found.append(f"a menu of {len(options)} options (1 to 25)")
            if any(len(o["label"]) > 100 or len(o["value"]) > 100 for o in options):
                found.append("a menu option's label or value over 100")
    if len(ids) != len(set(ids)):
        found.append(f"custom_ids repeat: {ids}")
    return found


def command_problems(command: dict, depth: int = 0) -> list[str]:
    """Discord's rules for registered commands, options and choices."""
    found = []
    if not re.fullmatch(r"[-_a-z0-9]{1,32}", command["name"]):
        found.append(f"bad name {command['name']!r}")
    if not 1 <= len(command.get("description") or "") <= 100:
        found.append(f"{command['name']}: description must be 1-100 characters")
    options = command.get("options") or []
    if len(options) > 25 or len(command.get("choices") or []) > 25:
        found.append(f"{command['name']}: over 25 options or choices")
    required_seen_optional = False
    for option in options:
        if option.get("required") and required_seen_optional:
            found.append(f"{command['name']}: a required option after an optional one")
        required_seen_optional |= option.get("type", 1) > 2 and not option.get("required")
        found += command_problems(option, depth + 1)
    return found
