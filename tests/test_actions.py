"""Action parsing: every form models produce, and no input that makes it raise."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envfactory_gym.actions import MAX_ACTION_CHARS, MAX_ACTION_DEPTH, MAX_CALLS_PER_TURN, ToolCall, parse_action
from envfactory_gym.text import valid_text


def test_hermes_blocks_with_text_around() -> None:
    text = (
        'Let me check.\n<tool_call>\n{"name": "get_account", "arguments": {"account_id": "A1"}}\n</tool_call>'
        '<tool_call>{"name": "get_account", "arguments": {"account_id": "A2"}}</tool_call>'
    )
    turn = parse_action(text)
    assert turn.content == "Let me check."
    assert [(c.name, c.arguments) for c in turn.calls] == [
        ("get_account", {"account_id": "A1"}),
        ("get_account", {"account_id": "A2"}),
    ]
    assert len({c.call_id for c in turn.calls}) == 2


def test_plain_json_forms() -> None:
    assert parse_action('{"name": "f", "arguments": {"x": 1}}').calls[0].arguments == {"x": 1}
    assert len(parse_action('[{"name": "f", "arguments": {}}, {"name": "g", "arguments": {}}]').calls) == 2
    assert parse_action('```json\n{"name": "f", "parameters": {"x": 2}}\n```').calls[0].arguments == {"x": 2}
    fenced = parse_action(json.dumps({"tool_calls": [{"id": "c1", "function": {"name": "f", "arguments": "{}"}}]}))
    assert fenced.calls[0].call_id == "c1"


def test_openai_message_dict() -> None:
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call_a", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}},
            {"id": "call_b", "type": "function", "function": {"name": "g", "arguments": {"y": 2}}},
        ],
    }
    turn = parse_action(message)
    assert [(c.call_id, c.name, c.arguments) for c in turn.calls] == [
        ("call_a", "f", {"x": 1}),
        ("call_b", "g", {"y": 2}),
    ]


def test_plain_text_is_a_message_not_a_call() -> None:
    turn = parse_action("Your balance is 120 dollars. {not json}")
    assert not turn.has_calls and turn.content.startswith("Your balance")


def test_malformed_forms_become_problems() -> None:
    assert parse_action("<tool_call>{not json}</tool_call>").problems
    assert parse_action('<tool_call>{"arguments": {}}</tool_call>').problems  # no name
    assert parse_action({"tool_calls": [{"function": {"name": "f", "arguments": "{bad"}}]}).problems
    assert parse_action({"tool_calls": "f"}).problems
    assert parse_action(42).problems
    assert parse_action(None).problems
    assert parse_action("x" * 300_000).problems
    assert parse_action("<tool_call>" + "[" * 50_000 + "</tool_call>").problems


def test_too_many_calls_are_capped() -> None:
    text = "".join('<tool_call>{"name": "f", "arguments": {}}</tool_call>' for _ in range(MAX_CALLS_PER_TURN + 5))
    turn = parse_action(text)
    assert len(turn.calls) == MAX_CALLS_PER_TURN
    assert "Too many tool calls" in turn.problems[-1].message


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=300),
        json_values,
        json_values.map(lambda v: f"<tool_call>{json.dumps(v)}</tool_call>"),
        st.dictionaries(st.sampled_from(["content", "tool_calls", "role"]), json_values, max_size=3),
    )
)
def test_parser_never_raises(action: object) -> None:
    turn = parse_action(action)
    assert len(turn.calls) + len(turn.problems) <= MAX_CALLS_PER_TURN + 1


# -- hostile input: linear parsing, whole-action validation, valid text ------------------------------------------

N = MAX_ACTION_CHARS - 16
PATHOLOGICAL_TEXT = {  # kind: (text, whether it opens tool-call blocks)
    "fence, spaces, one character": ("```" + " " * N + "x", False),
    "fence, newlines, one character": ("```" + "\n" * N + "x", False),
    "json fence, whitespace, no close": ("```json" + " \n\t" * (N // 3), False),
    "fence, braces": ("```json\n" + "{" * N, False),
    "fences only": ("`" * N, False),
    "closing tags only": ("</tool_call>" * (N // 12), False),
    "half tags": ("<tool_call" * (N // 10), False),
    "opening tags only": ("<tool_call>" * (N // 11), True),
    "opening tag, whitespace": ("<tool_call>" + " " * N, True),
    "nested brackets in a block": ("<tool_call>" + "[" * N, True),
}


# A hang guard, not a speed check (benchmarks/bench_parse.py measures): each of these parses in about a
# millisecond, while the old backtracking fence pattern needed hours at this size.
@pytest.mark.timeout(300)
@pytest.mark.parametrize("kind", list(PATHOLOGICAL_TEXT))
def test_pathological_text_at_the_maximum_size_parses(kind: str) -> None:
    text, opens_blocks = PATHOLOGICAL_TEXT[kind]
    assert len(text) <= MAX_ACTION_CHARS
    turn = parse_action(text)
    assert not turn.calls
    if opens_blocks:
        assert turn.problems  # blocks that are not JSON calls: error observations
    else:
        assert turn.content == text and not turn.problems  # not a call: a message to the user


def test_fences_still_unwrap_calls() -> None:
    assert parse_action('```json {"name": "f", "arguments": {}}```').calls[0].name == "f"
    assert parse_action('```\n{"name": "f", "arguments": {}}\n```').calls[0].name == "f"
    assert not parse_action("```").has_calls and parse_action("``````").content == "``````"
    unclosed = parse_action('I will check. <tool_call>{"name": "f", "arguments": {"x": 1}}')
    assert unclosed.content == "I will check." and unclosed.calls[0].arguments == {"x": 1}


def _nested(depth: int) -> dict[str, object]:
    value: dict[str, object] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


class _Opaque:
    pass


NOT_JSON = {
    "bytes": ({"account_id": b"A0001"}, "account_id is of type bytes"),
    "set": ({"ids": {1, 2}}, "ids is of type set"),
    "object": ({"account_id": _Opaque()}, "account_id is of type _Opaque"),
    "int key": ({1: "A0001"}, "has a key of type int"),
    "numpy integer": ({"amount": np.int64(5)}, "amount is of type int64"),
    "5,000 deep": (_nested(5_000), f"nested more than {MAX_ACTION_DEPTH} levels deep"),
    "too large": ({"ids": ["x"] * MAX_ACTION_CHARS}, "larger than"),
}


@pytest.mark.parametrize("kind", list(NOT_JSON))
def test_python_object_actions_are_checked_whole_before_any_call_is_used(kind: str) -> None:
    arguments, message = NOT_JSON[kind]
    good = {"id": "ok", "function": {"name": "get_account", "arguments": {"account_id": "A0001"}}}
    bad = {"id": "bad", "function": {"name": "transfer", "arguments": arguments}}
    for action in ({"role": "assistant", "tool_calls": [good, bad]}, [{"name": "f", "arguments": arguments}]):
        turn = parse_action(action)
        assert not turn.calls and len(turn.problems) == 1, kind  # the good call is not executed either
        assert "not executed" in turn.problems[0].message and message in turn.problems[0].message


def test_json_subclasses_become_plain_json() -> None:
    class Text(str):
        pass

    turn = parse_action({"tool_calls": [{"function": {"name": Text("f"), "arguments": {Text("x"): (1, 2.5)}}}]})
    (call,) = turn.calls
    assert call.arguments == {"x": [1, 2.5]} and type(call.name) is str


def test_transcript_text_is_valid_unicode_and_strict_json() -> None:
    assert parse_action("Here \ud83d you go").content == "Here \ufffd you go"
    assert parse_action({"content": "split pair \ud83d\ude00"}).content == "split pair \U0001f600"
    call = ToolCall(name="f\udc00", arguments={"x": math.nan, "y": [math.inf, -math.inf], "k\ud83d": 1}, call_id="c")
    shown = call.to_openai()
    shown["function"]["name"].encode("utf-8")
    assert json.loads(shown["function"]["arguments"], parse_constant=pytest.fail) == {
        "x": "NaN",
        "y": ["Infinity", "-Infinity"],
        "k\ud83d": 1,
    }
    assert valid_text("\ud83d" * 1000 + "é") == "\ufffd" * 1000 + "é"
