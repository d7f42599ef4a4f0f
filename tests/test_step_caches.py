"""What the per-call and per-step fast paths cache or skip, and that it never goes stale or leaks.

Tool schemas are built once per runtime and set of hidden tools, the system prompt and the hidden user
tools once per runtime; a reset onto a task with other environments, other user tools or a prefixed
multi-environment tool set must still show exactly that task's tools. Usual assistant messages are parsed
without the checked copy that other actions get, with the same result.
"""

from __future__ import annotations

import dataclasses
import json
from collections import OrderedDict
from typing import Any

import pytest

import envfactory_gym  # noqa: F401 - registers the environments
from envfactory_gym import registry
from envfactory_gym.actions import MAX_ACTION_CHARS, ToolCall, parse_action
from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.runtime import PREFIX_SEPARATOR, ErrorKind, ToolResult, ToolRuntime
from envfactory_gym.tasks import Task, UserProfile

OTHER_ENV = "hk_bus"


def _task(task_id: str, env_ids: list[str], user_tools: list[str] | None = None) -> Task:
    return Task(
        task_id=task_id,
        domain="finance",
        env_ids=env_ids,
        goal="write",
        query=f"Query of {task_id}.",
        gold_calls=[],
        user=UserProfile(user_tools=user_tools or []),
    )


def _expected_tools(env_ids: list[str], user_tools: list[str]) -> tuple[list[str], set[str]]:
    """The names the assistant must see, in order, and the hidden ones, from the definitions alone."""
    prefix = len(env_ids) > 1
    shown, hidden = [], set()
    for env_id in env_ids:
        for tool in registry.load_definition(env_id).tools:
            name = f"{env_id}{PREFIX_SEPARATOR}{tool}" if prefix else tool
            (hidden.add(name) if tool in user_tools else shown.append(name))
    return shown, hidden


def _call(name: str, **arguments: Any) -> dict[str, Any]:
    function = {"name": name, "arguments": json.dumps(arguments)}
    return {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "function": function}]}


def test_openai_tools_are_the_specs_schemas_and_every_caller_gets_its_own_copy() -> None:
    definition = registry.load_definition("test_bank")
    runtime = ToolRuntime([EpisodeDatabase(get_snapshot(definition))])
    try:
        everything = [spec.openai_schema(name) for name, spec in definition.tools.items()]
        assert runtime.openai_tools() == everything
        assert runtime.openai_tools(exclude={"freeze_account"}) == [
            s for s in everything if s["function"]["name"] != "freeze_account"
        ]
        first = runtime.openai_tools()
        first[0]["type"] = "tampered"
        first[0]["function"]["description"] = "tampered"
        first[1]["function"].pop("name")
        first.append({"type": "function", "function": {"name": "injected"}})
        assert runtime.openai_tools() == everything  # the cache is untouched by what a caller does to its copy
        assert runtime.openai_tools(exclude=set()) == everything and runtime.openai_tools(exclude=None) == everything
        # Another set of hidden tools is its own entry, not the last one served.
        assert len(runtime.openai_tools(exclude={"freeze_account", "transfer"})) == len(everything) - 2
        assert runtime.openai_tools(exclude={"freeze_account"})[-1]["function"]["name"] != "freeze_account"
    finally:
        runtime.close()


def test_resets_show_each_tasks_own_tools_prompt_and_hidden_user_tools() -> None:
    tasks = [
        _task("hidden-freeze", ["test_bank"], ["freeze_account"]),
        _task("no-user-tools", ["test_bank"]),
        _task("hidden-transfer", ["test_bank"], ["transfer", "freeze_account"]),
        _task("other-environment", [OTHER_ENV]),
        _task("two-environments", ["test_bank", OTHER_ENV], ["freeze_account"]),
    ]
    env = ToolUseEnv(["test_bank"], tasks=tasks)
    # Every transition between the kinds: same runtime with other user tools, another environment (a new
    # runtime), a prefixed multi-environment runtime, and back.
    order = [0, 1, 0, 2, 1, 3, 0, 4, 1, 4, 3, 2, 0]
    for index in order:
        task = tasks[index]
        _, info = env.reset(options={"task": task})
        shown, hidden = _expected_tools(task.env_ids, task.user.user_tools)
        assert [t["function"]["name"] for t in info["tools"]] == shown, task.task_id
        assert env.runtime is not None and env.runtime.hidden == hidden
        headings = [line[2:] for line in info["messages"][0]["content"].splitlines() if line.startswith("# ")]
        assert headings == task.env_ids
        for name in hidden:  # hidden from the assistant, named nowhere it can see, callable by the user
            result = env.runtime.call(name, {"account_id": "A0001"})
            assert result.error == ErrorKind.UNKNOWN_TOOL and name not in result.content.split("Available tools:")[1]
            assert env.runtime.call(name, {}, as_user=True).error != ErrorKind.UNKNOWN_TOOL
        # A caller changing what it was given (or the runtime's hidden set) changes no later episode.
        info["tools"].clear()
        env.runtime.hidden.clear()
    env.close()


def test_changing_info_tools_deeply_does_not_touch_the_next_episode() -> None:
    task = _task("no-user-tools", ["test_bank"])
    env = ToolUseEnv(["test_bank"], tasks=[task])
    _, info = env.reset(options={"task": task})
    expected = json.loads(json.dumps(info["tools"]))
    for tool in info["tools"]:
        tool["function"]["name"] = "renamed"
        tool["function"].pop("description")
        tool["extra"] = True
    _, info = env.reset(options={"task": task})
    assert info["tools"] == expected
    env.close()


def test_results_and_calls_stay_frozen_dataclasses() -> None:
    result = ToolResult("get", "text")
    assert (result.error, result.terminal, result.ok) == (None, False, True)
    assert result == ToolResult(name="get", content="text", error=None, terminal=False)
    assert hash(result) == hash(ToolResult("get", "text"))
    assert dataclasses.replace(result, content="other") == ToolResult("get", "other")
    call = ToolCall(name="get", arguments={"a": 1}, call_id="c1")
    assert call == ToolCall("get", {"a": 1}, "c1") and dataclasses.astuple(call) == ("get", {"a": 1}, "c1")
    for frozen, field_name in ((result, "content"), (call, "name")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(frozen, field_name, "changed")


class _Message(dict):  # type: ignore[type-arg]
    """A dict subclass: parse_action copies and checks it (the general path) instead of reading it in place."""


def _turn(action: Any) -> tuple[Any, ...]:
    turn = parse_action(action, 3)
    calls = [(c.name, c.arguments, c.call_id, c.to_openai()) for c in turn.calls]
    return turn.content, calls, [(p.message, p.call_id) for p in turn.problems], turn.overflow


MESSAGES: list[dict[str, Any]] = [
    _call("get_account", account_id="A0001"),
    {"role": "assistant", "content": "Looking.", "tool_calls": [{"id": None, "function": {"name": "f"}}]},
    {"content": None, "tool_calls": [{"type": "function", "function": {"name": "", "arguments": "{}"}}]},
    {"content": None, "tool_calls": [{"function": {"name": "f", "arguments": '{"a": NaN}'}}]},
    {"content": None, "tool_calls": [{"function": {"name": "f", "arguments": "{not json"}}]},
    {"content": None, "tool_calls": [{"function": {"name": "f", "arguments": ' {"a": 1} '}}]},
    {"content": None, "tool_calls": [{"function": {"name": "f", "arguments": '{"a": 1} {"b": 2}'}}]},
    {"content": None, "tool_calls": [{"function": {"name": "f", "arguments": '"text"'}}]},
    {"content": None, "tool_calls": [{"function": {"name": "f\udc00", "arguments": "{}"}, "id": "i\ud800"}]},
    {"content": '<tool_call>{"name": "f", "arguments": {}}</tool_call>', "tool_calls": []},
    {"content": None, "tool_calls": [{"function": {"name": f"f{i}", "arguments": "{}"}} for i in range(20)]},
    {"content": "x" * (MAX_ACTION_CHARS - 4 * 2)},  # exactly the size limit
    {"content": "x" * (MAX_ACTION_CHARS - 4 * 2 + 1)},  # one character over it
    {"content": None, "tool_calls": [{"function": {"name": "f", "arguments": "{}", "x": "y" * MAX_ACTION_CHARS}}]},
]


@pytest.mark.parametrize("message", MESSAGES, ids=range(len(MESSAGES)))
def test_messages_read_in_place_parse_as_their_checked_copies_do(message: dict[str, Any]) -> None:
    assert _turn(message) == _turn(_Message(message))


def test_a_parsed_turn_shares_nothing_mutable_with_the_action() -> None:
    message = _call("transfer", source_id="A0001", target_id="A0002", amount=5)
    turn = parse_action(message)
    message["tool_calls"][0]["function"]["arguments"] = json.dumps({"amount": 999})
    message["tool_calls"].append({"function": {"name": "injected", "arguments": "{}"}})
    assert [(c.name, c.arguments) for c in turn.calls] == [
        ("transfer", {"source_id": "A0001", "target_id": "A0002", "amount": 5})
    ]
    # Arguments given as an object are not a plain message's text: they are copied, not shared.
    arguments = {"nested": {"amount": 5}}
    object_turn = parse_action({"content": None, "tool_calls": [{"function": {"name": "f", "arguments": arguments}}]})
    arguments["nested"]["amount"] = 999
    assert object_turn.calls[0].arguments == {"nested": {"amount": 5}}
    ordered = OrderedDict(message)  # a subclass is copied to a plain dict like any other
    assert _turn(ordered) == _turn(dict(message))
