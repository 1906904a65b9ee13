"""What Slack refuses in a message, as the fake Slack (tests/fake_slack.py) checks it: Block
Kit's documented limits on blocks, texts, buttons and overflow menus (and lectern's own: a
fallback text under 4,000 characters); and which of a message's texts Slack parses as mrkdwn."""

from __future__ import annotations


def size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # Slack counts UTF-16 code units


def block_kit_problems(payload: dict) -> list[str]:
    """What in a message breaks Slack's documented limits (and lectern's own: a fallback
    text under 4,000 characters); empty when the message is fine."""
    problems: list[str] = []
    text, blocks = payload.get("text") or "", payload.get("blocks") or []
    if size(text) >= 4000:
        problems.append(f"fallback text has {size(text)} characters")
    if not text and not blocks:
        problems.append("neither text nor blocks")
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks (at most 50)")
    action_ids: list[str] = []
    for number, block in enumerate(blocks):
        where = f"block {number} ({block.get('type')})"
        problems += [f"{where}: {p}" for p in _block(block, action_ids)]
    if len(action_ids) != len(set(action_ids)):
        problems.append(f"action_ids repeat: {action_ids}")
    return problems


def _block(block: dict, action_ids: list[str]) -> list[str]:
    kind, problems = block.get("type"), []
    if len(block.get("block_id", "")) > 255:
        problems.append("block_id over 255")
    if kind == "section":
        if "text" not in block and "fields" not in block:
            problems.append("a section needs text or fields")
        if "text" in block:
            problems += _text(block["text"], 3000)
        fields = block.get("fields", [])
        if len(fields) > 10:
            problems.append(f"{len(fields)} fields (at most 10)")
        for item in fields:
            problems += _text(item, 2000)
        if "accessory" in block:
            problems += _element(block["accessory"], action_ids)
    elif kind == "header":
        problems += _text(block.get("text"), 150, ("plain_text",))
    elif kind == "context":
        elements = block.get("elements", [])
        if not 1 <= len(elements) <= 10:
            problems.append(f"{len(elements)} context elements (1 to 10)")
        for element in elements:
            problems += _text(element, 3000)
    elif kind == "actions":
        elements = block.get("elements", [])
        if not 1 <= len(elements) <= 25:
            problems.append(f"{len(elements)} actions (1 to 25)")
        for element in elements:
            problems += _button(element, action_ids)
    elif kind != "divider":
        problems.append("unknown block type")
    return problems


def _text(obj, limit: int, kinds=("plain_text", "mrkdwn")) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in kinds:
        return [f"text object {obj!r} is not one of {kinds}"]
    text = obj.get("text")
    if not isinstance(text, str) or not 1 <= size(text) <= limit:
        length = size(text) if isinstance(text, str) else text
        return [f"{obj['type']} text of {length} characters (1 to {limit})"]
    return []


def _element(element: dict, action_ids: list[str]) -> list[str]:
    """A section's accessory: a button or an overflow menu."""
    if element.get("type") != "overflow":
        return _button(element, action_ids)
    options = element.get("options") or []
    problems = [] if 2 <= len(options) <= 5 else [f"{len(options)} overflow options (2 to 5)"]
    for option in options:
        problems += _text(option.get("text"), 75, ("plain_text",))
        if not 1 <= len(option.get("value", "")) <= 150 or len(option.get("url", "")) > 3000:
            problems.append("overflow option value not 1 to 150 or url over 3000")
    action_id = element.get("action_id", "")
    action_ids.append(action_id)
    if not action_id or len(action_id) > 255:
        problems.append(f"action_id {action_id!r} (1 to 255 characters)")
    return problems


def _button(element: dict, action_ids: list[str]) -> list[str]:
    if element.get("type") != "button":
        return [f"element type {element.get('type')} is not a button"]
    problems = _text(element.get("text"), 75, ("plain_text",))
    action_id = element.get("action_id", "")
    action_ids.append(action_id)
    if not action_id or len(action_id) > 255:
        problems.append(f"action_id {action_id!r} (1 to 255 characters)")
    if len(element.get("url", "")) > 3000 or len(element.get("value", "")) > 2000:
        problems.append("button url over 3000 or value over 2000")
    if "url" in element and not element["url"].startswith(("http://", "https://")):
        problems.append(f"button url {element['url']!r} is not http(s)")
    return problems


def mrkdwn_texts(blocks: list[dict]) -> list[str]:
    """Every mrkdwn text in the blocks (plain_text is never parsed by Slack)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found
