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
    mentions = body.get("allowed_mentions")
    if mentions is None or mentions.get("parse") != [] or mentions.get("users") \
            or mentions.get("roles") or mentions.get("replied_user"):
        found.append(f"allowed_mentions not empty: {mentions}")
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
