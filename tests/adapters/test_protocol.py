"""Every platform adapter (and the tests' twin) is a bot.chat.Adapter: the lifecycle
`lectern run` drives (start, stop) and the one way out (send), with the same signatures."""

from __future__ import annotations

import inspect

import pytest

from adapters.console import ConsoleAdapter
from adapters.discord import DiscordAdapter
from adapters.slack import SlackAdapter
from bot.chat import Adapter
from tests.fakes import FakeAdapter

ADAPTERS = [ConsoleAdapter, SlackAdapter, DiscordAdapter, FakeAdapter]
LIFECYCLE = ("start", "stop", "send")


def protocol_methods() -> dict[str, inspect.Signature]:
    return {name: inspect.signature(getattr(Adapter, name)) for name in LIFECYCLE}


def test_the_protocol_is_the_lifecycle_and_one_way_out():
    members = {name for name, value in vars(Adapter).items()
               if inspect.isfunction(value) and not name.startswith("_")}
    assert members == set(LIFECYCLE)
    assert "platform" in Adapter.__annotations__


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda cls: cls.__name__)
def test_each_adapter_conforms(adapter):
    for name, expected in protocol_methods().items():
        method = getattr(adapter, name, None)
        assert method is not None, f"{adapter.__name__} has no {name}"
        assert inspect.iscoroutinefunction(method), f"{adapter.__name__}.{name} is not async"
        assert inspect.signature(method) == expected, f"{adapter.__name__}.{name}"


@pytest.mark.parametrize("adapter", [ConsoleAdapter, SlackAdapter, DiscordAdapter],
                         ids=lambda cls: cls.__name__)
def test_each_platform_names_itself(adapter):
    assert adapter.platform == adapter.__name__.removesuffix("Adapter").lower()


async def test_the_console_and_the_twin_are_adapters_at_run_time():
    for adapter in (ConsoleAdapter(None), FakeAdapter()):
        assert isinstance(adapter, Adapter)
        await adapter.start()
        await adapter.stop()
