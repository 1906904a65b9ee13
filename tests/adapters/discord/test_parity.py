"""Every registry command and subcommand is a Discord app command with the same options:
the structure is checked against the declared parameters, and each subcommand, invoked
through the CommandTree with each parameter's example, reaches the same handler with the
same values as the same command typed as text."""

from __future__ import annotations

from dataclasses import replace

import pytest
from discord import app_commands

from adapters.discord import DiscordAdapter
from bot.chat import ChannelRef, Invocation, Message, Reply, UserRef
from tests.adapters.discord.conftest import interact
from tests.adapters.discord.payloads import CHANNEL, MANAGER, option, slash


def pairs(registry):
    return [(spec, sub) for spec in registry.commands.values()
            for sub in spec.subcommands.values()]


@pytest.fixture
def recording(registry):
    """The real registry with every handler replaced by one that records what it got."""
    registry.calls = []
    for spec, sub in pairs(registry):
        async def handler(ctx, invocation, _key=(spec.name, sub.name), **values):
            registry.calls.append((_key, values))
            return Reply(Message(text="ok"))
        spec.subcommands[sub.name] = replace(sub, handler=handler)
    return registry


def located(tree, spec, sub):
    """The Discord command for a registry subcommand, and the choice that selects it."""
    top = tree.get_command(spec.name)
    assert top is not None, f"/{spec.name} is not exposed"
    if isinstance(top, app_commands.Group):
        leaf = top.get_command(sub.name)
        assert leaf is not None, f"/{spec.name} {sub.name} is not exposed"
        return leaf, None
    choice = next((p for p in top.parameters if p.choices), None) \
        if len(spec.subcommands) > 1 else None
    if choice is not None:
        assert sub.name in [c.value for c in choice.choices]
    return top, choice


async def test_every_subcommand_is_exposed_with_its_declared_options(adapter, registry):
    for spec, sub in pairs(registry):
        leaf, choice = located(adapter.tree, spec, sub)
        params = own_parameters(leaf, choice)
        assert [p.name for p in params] == [p.name for p in sub.params], sub.usage
        for param, declared in zip(params, sub.params, strict=True):
            expected = declared.required and not declared.multiline  # a form asks instead
            assert param.required == expected, (sub.usage, param.name)
            assert param.description and len(param.description) <= 100
        assert 1 <= len(leaf.description) <= 100


async def test_commands_only_managers_use_default_to_manage_channels(adapter, registry):
    for spec in registry.commands.values():
        top = adapter.tree.get_command(spec.name)
        managers_only = all(s.manager_only for s in spec.subcommands.values())
        assert (top.default_permissions is not None) == managers_only, spec.name
        if managers_only:
            assert top.default_permissions.manage_channels
        assert top.guild_only


def own_parameters(leaf, choice) -> list:
    """A command's options, less the choice that stands for the subcommand."""
    return [p for p in leaf.parameters if choice is None or p.name != choice.name]


def sample(param):
    """The declared example, typed as Discord sends it."""
    return param.kind.python(param.example)


async def test_each_subcommand_reaches_the_same_handler_with_the_same_arguments(
        fake, recording):
    adapter = DiscordAdapter(recording, token="t", api_url=fake.api_url)
    await adapter.login()
    try:
        for spec, sub in pairs(recording):
            leaf, choice = located(adapter.tree, spec, sub)
            text = " ".join([sub.path, *(p.example for p in sub.params)])
            command, _, args = text[1:].partition(" ")
            await recording.dispatch(Invocation(command, args, ChannelRef("discord", CHANNEL),
                                                UserRef("u"), is_manager=True))
            by_text = recording.calls[-1]
            assert by_text[0] == (spec.name, sub.name), text
            assert set(by_text[1]) == {p.name for p in sub.params}, text
            options = [option(p.name, sample(p)) for p in sub.params]
            if choice is not None:
                options.append(option(choice.name, sub.name))
            path = spec.name if leaf.parent is None else f"{spec.name} {sub.name}"
            await interact(adapter, fake, slash(path, options, permissions=MANAGER))
            assert recording.calls[-1] == by_text, text
        assert len(recording.calls) == 2 * len(pairs(recording))
    finally:
        await adapter.stop()
