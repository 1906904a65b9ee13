"""The README is the code's twin: every CLI command, slash command and setting is in it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from bot.app.cli import build_parser
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.settings import SETTINGS_DOC, Settings
from bot.sourcekinds import SOURCE_KINDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _cli_commands() -> list[str]:
    names = []
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
                if nested:
                    names += [f"lectern {name} {n}" for n in nested[0].choices]
                else:
                    names.append(f"lectern {name}")
    return names


@pytest.mark.parametrize("command", _cli_commands())
def test_every_cli_command_is_documented(command):
    assert f"`{command}" in README


def test_every_slash_command_is_documented(store, clock):
    registry = build_registry(BotContext(store=store, clock=clock, settings=Settings()))
    for spec in registry.commands.values():
        for sub in spec.subcommands.values():
            assert f"`{sub.usage}`" in README or (
                spec.default == sub.name and f"`/{spec.name}" in README), sub.usage


@pytest.mark.parametrize("setting", sorted(SETTINGS_DOC))
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in README


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_every_source_kind_is_documented(kind):
    assert f"`{kind}`" in README


def test_readme_shows_the_two_commands_first():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_the_architecture_map_names_files_that_exist():
    """docs/architecture.md names files by path; a move must move the map too."""
    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:bot|jobs|adapters|storage|tests)/[\w/]+\.py)`", text))
    assert len(named) > 20
    assert not {path for path in named if not (root / path).exists()
                and path not in ("bot/serve.py", "bot/main.py")}  # the "before" of the count
