"""Hostile input, as an attacker sends it, against every registered environment and domain.

For every kind of action a model or a caller can send — the README's list of what is malformed, values no
schema means (non-finite and out-of-range numbers, lone surrogates), Python objects that are not JSON,
pathological text at the maximum size, actions of any type — the suite asserts that ``step`` and ``reset``
raise nothing, that a rejected call changes nothing and is counted as malformed (never an internal error),
and that every observation and the whole transcript are valid UTF-8, strict JSON text.

Hostile values are put into calls that would otherwise succeed (gold calls of the environment's own tasks,
on their own initial state), so a value that slipped past validation would reach the tool and show.
Parse time is measured by ``benchmarks/bench_parse.py``, not here (the pathological texts carry only a hang
guard).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envfactory_gym import registry
from envfactory_gym.actions import MAX_ACTION_CHARS, MAX_CALLS_PER_TURN
from envfactory_gym.authoring import MAX_ARGUMENT_STRING
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.runtime import PREFIX_SEPARATOR, ErrorKind
from envfactory_gym.tasks import Task

TARGETS = sorted(registry.implemented()) + [d for d in registry.domains() if registry.domain_envs(d)]
TEMPLATES_PER_TARGET = 12  # gold calls used as templates (distinct tools), to keep the suite fast


def make_env(target: str) -> ToolUseEnv:
    if target in registry.implemented():
        return ToolUseEnv([target], max_steps=100_000)
    return ToolUseEnv(domain=target, max_steps=100_000)


# -- checks ------------------------------------------------------------------------------------------------------


def _no_constants(name: str) -> Any:
    raise AssertionError(f"{name} is not JSON")


def assert_valid_text(observation: Any, info: dict[str, Any]) -> None:
    """The observation and the whole transcript are valid UTF-8 JSON text (as a results file stores them)."""
    assert isinstance(observation, str)
    observation.encode("utf-8")
    if observation.startswith(("{", "[")) and not observation.startswith("[" + "invalid_call]"):
        try:
            json.loads(observation, parse_constant=_no_constants)
        except json.JSONDecodeError:
            pass  # several results joined, or a truncated one: text, not one JSON document
    json.dumps(info["messages"], allow_nan=False, ensure_ascii=False).encode("utf-8")
    json.dumps({k: v for k, v in info.items() if k != "messages"}, allow_nan=False, default=str).encode("utf-8")


def send_rejected(env: ToolUseEnv, action: Any, malformed: int) -> str:
    """Step with an action that must be refused whole: nothing raises, nothing changes, and exactly
    ``malformed`` malformed calls are counted, none of them an internal error."""
    state, counted = env.state_hash(), env.malformed_calls
    observation, reward, terminated, _, info = env.step(action)
    assert_valid_text(observation, info)
    assert env.state_hash() == state, f"a rejected action changed the state: {str(action)[:200]}"
    assert info["tool_results"] and not any(r["ok"] for r in info["tool_results"]), str(action)[:200]
    assert ErrorKind.INTERNAL not in info["errors"], observation[:300]
    assert info["malformed_calls"] - counted == malformed, (observation[:300], str(action)[:200])
    assert reward == 0 and not terminated
    return observation


# -- templates: calls that succeed on their task's initial state ------------------------------------------------


@dataclass(frozen=True)
class Template:
    task: Task
    setup: tuple[tuple[str, dict[str, Any]], ...]  # the task's gold calls before this one
    name: str  # the tool's exposed name in the task's episode
    arguments: dict[str, Any]
    properties: dict[str, Any]  # the tool's parameter schemas
    required: tuple[str, ...]
    is_write: bool

    def prepare(self, env: ToolUseEnv) -> None:
        """A fresh episode of the task, with the gold calls before this one made: the call would succeed now."""
        env.reset(options={"task": self.task})
        for name, arguments in self.setup:
            assert env.step(as_message((name, arguments)))[4]["tool_results"][0]["ok"]


def exposed_name(env: ToolUseEnv, env_id: str, tool: str) -> str:
    assert env.runtime is not None
    for name, binding in env.runtime.bindings.items():
        if binding.env_id == env_id and binding.spec.name == tool:
            return name
    raise AssertionError(f"{env_id}{PREFIX_SEPARATOR}{tool} is not exposed")


def templates(target: str) -> list[Template]:
    """Gold calls of distinct tools, each checked to succeed after the gold calls before it on a fresh episode
    of its task; writes first (those are the calls whose state a slipped value would change), at most
    TEMPLATES_PER_TARGET."""
    env = make_env(target)
    found: dict[str, Template] = {}
    for task in env.task_pool("train") + env.task_pool("test"):
        env.reset(options={"task": task})
        assert env.runtime is not None
        setup: list[tuple[str, dict[str, Any]]] = []
        for call in task.gold_calls:
            name = exposed_name(env, call.env_id, call.tool)
            spec = env.runtime.spec(name)
            assert spec is not None
            before = env.state_hash()
            if not env.runtime.call(name, dict(call.arguments)).ok:
                break
            changed = env.state_hash() != before
            parameters = spec.parameters
            if name not in found and parameters["properties"] and (changed or not spec.is_write):
                found[name] = Template(
                    task,
                    tuple(setup),
                    name,
                    dict(call.arguments),
                    parameters["properties"],
                    tuple(parameters["required"]),
                    spec.is_write,
                )
            setup.append((name, dict(call.arguments)))
    env.close()
    ordered = sorted(found.values(), key=lambda t: (not t.is_write, t.name))
    return ordered[:TEMPLATES_PER_TARGET]


@pytest.fixture(scope="module", params=TARGETS)
def target(request: pytest.FixtureRequest) -> Iterator[tuple[str, ToolUseEnv, list[Template]]]:
    env = make_env(request.param)
    yield request.param, env, templates(request.param)
    env.close()


def _kinds(schema: dict[str, Any]) -> set[str]:
    if "anyOf" in schema:
        return set().union(*(_kinds(s) for s in schema["anyOf"]))
    return {schema.get("type", "any")}


NUMBERS: dict[str, Any] = {
    "NaN": math.nan,
    "Infinity": math.inf,
    "-Infinity": -math.inf,
    "1e308": 1e308,
    "2^63": 2**63,
    "2^64": 2**64,
    "-2^63-1": -(2**63) - 1,
    "text NaN": "NaN",
    "text 1e400": "1e400",
    "text 2^70": str(2**70),
}
NOT_JSON: dict[str, Any] = {
    "bytes": b"A0001",
    "set": {"a", "b"},
    "object": object(),
    "numpy integer": np.int64(3),
    "int keys": {1: "a"},
}


def hostile_variants(template: Template) -> Iterator[tuple[str, dict[str, Any]]]:
    """The template's arguments with one value (or name) replaced by something the schema cannot mean."""
    for parameter, schema in template.properties.items():
        kinds = _kinds(schema)
        if kinds & {"number", "integer"}:
            for label, value in NUMBERS.items():
                yield f"{parameter}={label}", {**template.arguments, parameter: value}
        if "string" in kinds:
            original = template.arguments.get(parameter)
            text = original if isinstance(original, str) else "x"
            yield f"{parameter} with a lone surrogate", {**template.arguments, parameter: text + "\ud83d"}
            yield f"{parameter} with a lone low surrogate", {**template.arguments, parameter: "\udc00" + text}
            yield f"{parameter} oversized", {**template.arguments, parameter: "x" * (MAX_ARGUMENT_STRING + 1)}
        if "array" in kinds:
            yield f"{parameter} holding NaN", {**template.arguments, parameter: [math.nan]}
        yield f"{parameter} nested too deeply", {**template.arguments, parameter: [[[[[[[[[[1]]]]]]]]]]}
    first = next(iter(template.properties))
    rest = {k: v for k, v in template.arguments.items() if k != first}
    yield "argument name with a lone surrogate", {**rest, first + "\ud83d": template.arguments.get(first, "x")}
    yield "extra argument", {**template.arguments, "unexpected_argument": 1}


def as_text(name: str, arguments: dict[str, Any]) -> str:
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


def as_message(*calls: tuple[str, Any]) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": f"c{i}", "type": "function", "function": {"name": name, "arguments": arguments}}
            for i, (name, arguments) in enumerate(calls)
        ],
    }


# -- the suite ---------------------------------------------------------------------------------------------------


def test_every_target_has_templates_including_a_write(target: tuple[str, ToolUseEnv, list[Template]]) -> None:
    _, _, found = target
    assert found and found[0].is_write


def test_values_no_schema_means_are_malformed_calls_that_change_nothing(
    target: tuple[str, ToolUseEnv, list[Template]],
) -> None:
    _, env, found = target
    for template in found:
        template.prepare(env)
        for label, arguments in hostile_variants(template):
            observation = send_rejected(env, as_message((template.name, arguments)), malformed=1)
            assert observation.startswith("Error"), (label, observation[:200])
            send_rejected(env, as_text(template.name, arguments), malformed=1)  # as JSON text (NaN as a literal)
        # Still executable afterwards: the template itself goes through (and may write).
        assert env.step(as_message((template.name, template.arguments)))[4]["tool_results"][0]["ok"]


def test_python_object_actions_are_refused_whole_before_any_call_runs(
    target: tuple[str, ToolUseEnv, list[Template]],
) -> None:
    _, env, found = target
    write = found[0]
    deep: Any = []
    for _ in range(5_000):
        deep = [deep]
    first = next(iter(write.properties))
    for label, value in {**NOT_JSON, "5,000 deep": deep}.items():
        write.prepare(env)
        broken = {**write.arguments, first: value}
        # The valid write comes first: validation of the whole action must stop it as well.
        action = as_message((write.name, write.arguments), (write.name, broken))
        observation = send_rejected(env, action, malformed=1)
        assert "not executed" in observation, label
        assert len(env.messages[-2]["tool_calls"]) == 1  # the transcript holds the refused turn
    state = env.state_hash()
    assert env.step(as_message((write.name, write.arguments)))[4]["tool_results"][0]["ok"]
    assert env.state_hash() != state  # the write was real: refusing the whole action is what kept it out


def test_the_readmes_malformed_calls_are_counted_and_change_nothing(
    target: tuple[str, ToolUseEnv, list[Template]],
) -> None:
    _, env, found = target
    template = found[0]
    template.prepare(env)
    name, first = template.name, next(iter(template.properties))
    cases: dict[str, tuple[Any, int]] = {
        "bad JSON": (f'<tool_call>{{"name": "{name}", "arguments": {{oops}}}}</tool_call>', 1),
        "unknown tool": (as_text("drop_database", {}), 1),
        "unknown tool with a lone surrogate": (as_message(("drop\ud83d", {})), 1),
        "wrong type": (as_message((name, {**template.arguments, first: {"not": ["a", "value"]}})), 1),
        "extra argument": (as_message((name, {**template.arguments, "memo": "x"})), 1),
        "oversized string": (as_message((name, {**template.arguments, first: "x" * 150_000})), 1),
        "arguments not an object": (as_message((name, [1, 2])), 1),
        "arguments not JSON": (as_message((name, "{oops")), 1),
        "no name": ('<tool_call>{"arguments": {}}</tool_call>', 1),
        "call not an object": ({"role": "assistant", "tool_calls": [7]}, 1),
        "tool_calls not a list": ({"role": "assistant", "tool_calls": "x"}, 1),
        "too many calls": (as_message(*[("drop_database", {})] * (MAX_CALLS_PER_TURN + 3)), MAX_CALLS_PER_TURN + 1),
        "message too long": ("x" * (MAX_ACTION_CHARS + 1), 1),
        "an integer": (42, 1),
        "None": (None, 1),
        "NaN": (math.nan, 1),
        "bytes": (b'{"name": "x"}', 1),
        "a list of numbers": ([1, 2], 1),
        "a set": ({1, 2}, 1),
        "an object": (object(), 1),
    }
    if template.required:
        cases["missing arguments"] = (as_message((name, {})), 1)
    for kind, (action, malformed) in cases.items():
        assert send_rejected(env, action, malformed), kind


# Hang guard only (see the module docstring): each parses in about a millisecond at the maximum size.
@pytest.mark.timeout(300)
def test_pathological_text_at_the_maximum_size_is_an_ordinary_answer(
    target: tuple[str, ToolUseEnv, list[Template]],
) -> None:
    _, env, _ = target
    size = MAX_ACTION_CHARS - 8
    for text in ("```" + " " * size + "x", "```json" + "\n" * size + "}", "\ud83d" * size, "<tool_call>" + "[" * size):
        env.reset(seed=0)
        state = env.state_hash()
        observation, reward, terminated, _, info = env.step(text)
        assert_valid_text(observation, info)
        assert env.state_hash() == state and ErrorKind.INTERNAL not in info["errors"]
        if text.startswith("<tool_call>"):
            assert info["malformed_calls"] == 1 and not terminated
        else:
            assert terminated and reward == 0.0 and info["messages"][-1]["content"].encode("utf-8")


def test_typos_and_bad_resets_are_errors_that_keep_the_episode(target: tuple[str, ToolUseEnv, list[Template]]) -> None:
    _, env, found = target
    template = found[0]
    template.prepare(env)
    env.step(as_message((template.name, template.arguments)))
    state, steps = env.state_hash(), len(env.messages)
    bad: list[dict[str, Any]] = [{"task_id": "no-such-task"}, {"split": "validation"}, {"splt": "test"}, {"seed": 1}]
    for options in bad:
        with pytest.raises((KeyError, ValueError), match=r"No task|the splits are|the options are"):
            env.reset(options=options)
        assert env.state_hash() == state and len(env.messages) == steps and env.task == template.task
    with pytest.raises(ValueError, match="the splits are: train, test"):
        ToolUseEnv(env.env_ids if env.domain is None else None, env.domain, split="tset")


def _any_object() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=2**62),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
        st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3),
        st.binary(max_size=4),
        st.builds(object),
        st.frozensets(st.integers(), max_size=2),
    )
    keys = st.one_of(st.text(max_size=8), st.integers(), st.none(), st.booleans())
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.tuples(inner) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=12,
    )


@settings(max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_actions_of_any_type_never_raise_and_change_nothing_unless_a_call_succeeds(
    target: tuple[str, ToolUseEnv, list[Template]], data: st.DataObject
) -> None:
    _, env, found = target
    template = data.draw(st.sampled_from(found))
    names = st.sampled_from([template.name, "drop_database", "\ud83d"]) | st.text(max_size=6)
    arguments = st.dictionaries(st.sampled_from([*template.properties, "x\ud83d"]) | st.text(max_size=4), _any_object())
    call = st.fixed_dictionaries({"name": names, "arguments": arguments | _any_object()})
    action = data.draw(
        st.one_of(
            _any_object(),
            st.lists(call, max_size=3).map(lambda calls: as_message(*((c["name"], c["arguments"]) for c in calls))),
            call,
            st.dictionaries(st.sampled_from(["role", "content", "tool_calls"]), _any_object(), max_size=3),
        )
    )
    if env.runtime is None or env._done or env.task != template.task:
        template.prepare(env)
    state = env.state_hash()
    observation, _, terminated, truncated, info = env.step(action)
    assert_valid_text(observation, info)
    assert ErrorKind.INTERNAL not in info["errors"]
    wrote = any(r["ok"] and (spec := env.runtime.spec(r["name"])) and spec.is_write for r in info["tool_results"])  # type: ignore[union-attr]
    if not wrote and not (terminated or truncated):
        assert env.state_hash() == state
