"""The Slack manifest and README section match the code: every command is registered with
Slack, the scopes the adapter uses are asked for, and the set-up steps are documented."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.slack.commands import BUILT_IN, UMBRELLA

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = (ROOT / "examples" / "slack-manifest.yml").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_a_slash_command_in_the_manifest(registry):
    listed = re.findall(r"^\s+- command: /(\S+)$", MANIFEST, re.MULTILINE)
    wanted = [name for name in registry.commands
              if name != "help" and name not in BUILT_IN] + [UMBRELLA]
    assert sorted(listed) == sorted(wanted)
    assert "remind" in registry.commands and "lectern remind" in MANIFEST  # the way in


def test_the_manifest_asks_for_the_scopes_used_and_socket_mode():
    scopes = re.findall(r"^\s+- ([a-z:.]+)\s", MANIFEST.split("scopes:")[1], re.MULTILINE)
    assert set(scopes) == {"commands", "chat:write", "users:read", "channels:history",
                           "groups:history", "im:write", "im:history"}
    assert "socket_mode_enabled: true" in MANIFEST
    assert re.search(r"interactivity:\s+is_enabled: true", MANIFEST)


def test_the_manifest_lets_the_app_send_direct_messages():
    """Slack refuses an app's DMs (messages_tab_disabled) unless its Messages tab is on;
    members need not type there, so it is read-only."""
    home = re.search(r"^  app_home:\n((?:    .*\n)+)", MANIFEST, re.MULTILINE)
    assert home, "features: app_home is missing"
    settings = dict(re.findall(r"^    (\w+): (\w+)", home.group(1), re.MULTILINE))
    assert settings["messages_tab_enabled"] == "true"
    assert settings["messages_tab_read_only_enabled"] == "true"
    assert re.search(r"^features:\n(?:  .*\n|\s*\n)*?  app_home:", MANIFEST, re.MULTILINE)


def test_the_readme_walks_through_the_set_up():
    section = README.split("## Setting up Slack")[1].split("\n## ")[0]
    assert README.index("## Two commands") < README.index("## Setting up Slack")
    for needed in ("examples/slack-manifest.yml", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
                   "SLACK_SIGNING_SECRET", "LECTERN_HTTP_HOST", "LECTERN_HTTP_PORT",
                   "SLACK_API_URL", "slack.managers", "connections:write", "lectern run",
                   "/slack/events", "/invite @lectern", "im:write", "im:history",
                   "Messages Tab"):
        assert needed in section, needed
