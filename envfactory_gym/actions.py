"""Parsing an assistant turn into tool calls.

An action is what a policy emits for one assistant turn, in any of the forms models produce:

* raw text with Qwen/Hermes ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>`` blocks (several
  allowed, with free text around them);
* raw text that is only JSON: one call ``{"name", "arguments"}``, a list of calls, or
  ``{"tool_calls": [...]}``;
* an OpenAI-style assistant message dict ``{"role": "assistant", "content": ..., "tool_calls": [...]}``
  whose ``function.arguments`` is a JSON string (or already an object);
* plain text with no call: a message to the user (the final answer in single-agent mode).

Parsing never raises: anything malformed becomes a :class:`ParseProblem` the engine reports to the agent.
It is linear in the size of the action (plain string scans, no backtracking patterns), so no text can make
a step slow. A Python-object action (a dict or list) is checked whole before anything of it is used: it
must be JSON data (dicts with string keys, lists, strings, numbers, booleans, None), at most
:data:`MAX_ACTION_DEPTH` levels deep and no larger than a text action may be; otherwise the whole turn is
one problem and none of its calls runs. Text that reaches the transcript is valid Unicode
(:func:`valid_text`), so every observation and record serialises as UTF-8 JSON.
"""

from __future__ import annotations

import json
import json.encoder as json_encoder
import math
from dataclasses import dataclass, field
from typing import Any

from envfactory_gym.text import valid_text

MAX_ACTION_CHARS = 200_000
MAX_CALLS_PER_TURN = 16
MAX_ACTION_DEPTH = 64

OPEN_TAG = "<tool_call>"
CLOSE_TAG = "</tool_call>"
FENCE = "```"


# json.dumps(value, allow_nan=False) builds an encoder on every call; this is the same encoder (its C
# version where there is one), built once. Without a circular-reference table: arguments are parsed JSON or
# a checked copy, never circular (a circular value still fails, with RecursionError, as json.dumps's fallback
# below does).
_STRICT_ENCODER = json.JSONEncoder(allow_nan=False)
_STRICT_CHUNKS = (
    json_encoder.c_make_encoder(
        None,
        _STRICT_ENCODER.default,
        json_encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        False,
    )
    if json_encoder.c_make_encoder is not None
    else None
)


def _dumps_strict(value: Any) -> str:
    if _STRICT_CHUNKS is None or isinstance(value, str):
        return _STRICT_ENCODER.encode(value)
    return "".join(_STRICT_CHUNKS(value, 0))


def _strict_json(value: Any) -> str:
    """JSON text for data that may hold non-finite floats (spelled as strings, since JSON has no NaN)."""
    try:
        return _dumps_strict(value)
    except ValueError:
        return _dumps_strict(_spell_non_finite(value))


def _spell_non_finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _spell_non_finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_spell_non_finite(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class ToolCall:
    name: str
    arguments: Any
    call_id: str

    def __init__(self, name: str, arguments: Any, call_id: str) -> None:
        # One per call a model makes: slots filled through their descriptors (a frozen dataclass's generated
        # __init__ goes through object.__setattr__ per field, about twice as slow).
        _SET_CALL_NAME(self, name)
        _SET_CALL_ARGUMENTS(self, arguments)
        _SET_CALL_ID(self, call_id)

    def to_openai(self) -> dict[str, Any]:
        """The call as the transcript records it (strict JSON arguments, valid text): never raises."""
        # Strict JSON is ASCII (every other character escaped): only text given as the arguments needs checking.
        arguments = valid_text(self.arguments) if isinstance(self.arguments, str) else _strict_json(self.arguments)
        return {
            "id": valid_text(self.call_id),
            "type": "function",
            "function": {"name": valid_text(self.name), "arguments": arguments},
        }


_SET_CALL_NAME = ToolCall.name.__set__  # type: ignore[attr-defined]
_SET_CALL_ARGUMENTS = ToolCall.arguments.__set__  # type: ignore[attr-defined]
_SET_CALL_ID = ToolCall.call_id.__set__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ParseProblem:
    message: str
    call_id: str


@dataclass
class ParsedTurn:
    """One assistant turn: its text, the well-formed calls and the problems found."""

    content: str
    calls: list[ToolCall] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    overflow: int = 0  # calls beyond MAX_CALLS_PER_TURN, counted but not parsed

    @property
    def has_calls(self) -> bool:
        return bool(self.calls or self.problems)


def parse_action(action: Any, turn_index: int = 0) -> ParsedTurn:
    """Parse one assistant turn. Never raises."""
    ids = _CallIds(turn_index)
    try:
        if isinstance(action, str):
            return _parse_text(str.__str__(action), ids)
        if type(action) is dict and _is_plain_message(action):
            return _parse_message(action, ids)
        if isinstance(action, dict | list | tuple):
            try:
                data = as_json_data(action)
            except NotJSONData as exc:
                return _rejected(f"The action was not executed: {exc}", ids)
            if isinstance(data, dict):
                return _parse_message(data, ids)
            if all(isinstance(item, dict) for item in data):
                turn = ParsedTurn(content="")
                for item in data:
                    _add_call(turn, item, ids)
                return _enforce_limit(turn)
        return _rejected(
            f"Unsupported action of type {type(action).__name__}: send text, a JSON tool call, "
            "or an assistant message with tool_calls.",
            ids,
        )
    except RecursionError:
        return _rejected("The action is nested too deeply to parse.", ids)


def _rejected(message: str, ids: _CallIds) -> ParsedTurn:
    return ParsedTurn(content="", problems=[ParseProblem(message, ids.next())])


class NotJSONData(ValueError):
    """A Python-object action that is not plain JSON data; ``path`` is where (keys and list indexes)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path: list[str | int] = []

    def __str__(self) -> str:
        def spell(parts: list[str | int]) -> str:
            return "".join(f"[{p}]" if isinstance(p, int) else f".{valid_text(p)[:40]}" for p in parts)

        where = spell(self.path) if len(self.path) <= 8 else f"{spell(self.path[:4])}…{spell(self.path[-3:])}"
        return f"the action{where} {self.reason}"


# What one value costs against the size limit besides its characters: about what JSON text spends on it.
_VALUE_COST = 4
_SCALARS = (int, float, bool, type(None))


def as_json_data(value: Any, max_depth: int = MAX_ACTION_DEPTH, max_size: int = MAX_ACTION_CHARS) -> Any:
    """A plain copy of ``value`` if it is JSON data no larger than a ``max_size``-character message, else
    :class:`NotJSONData` saying where and why. Subclasses of str, int and float become the plain type.

    One pass over the value, with no work per value beyond the copy; the path of a failure is collected
    only while the error unwinds.
    """
    # [characters left, max_depth, max_size], shared by the recursion (a module-level function: a nested
    # recursive closure would be a reference cycle left to the garbage collector on every call).
    return _convert(value, 0, [max_size, max_depth, max_size])


def _is_plain_message(message: dict[Any, Any]) -> bool:
    """True for the usual message, whose copy by :func:`as_json_data` would succeed and equal it: plain dicts
    with string keys, a plain ``tool_calls`` list, and otherwise only strings and None (arguments as JSON
    text), within the size limit. Parsing it reads only strings, so it needs no copy; anything else is
    copied and checked by as_json_data."""
    cost = _VALUE_COST
    for key, value in message.items():
        kind = type(value)
        if type(key) is not str:
            return False
        if kind is str:
            cost += _VALUE_COST + len(value)
        elif value is None:
            cost += _VALUE_COST
        elif kind is list and key == "tool_calls":
            cost += _VALUE_COST
            for call in value:
                if type(call) is not dict:
                    return False
                cost += _VALUE_COST
                for field_name, field_value in call.items():
                    if type(field_name) is not str:
                        return False
                    if type(field_value) is dict and field_name == "function":
                        cost += _VALUE_COST + _text_fields_cost(field_value)
                    elif type(field_value) is str:
                        cost += _VALUE_COST + len(field_value)
                    elif field_value is None:
                        cost += _VALUE_COST
                    else:
                        return False
        else:
            return False
    return cost <= MAX_ACTION_CHARS


def _text_fields_cost(fields: dict[Any, Any]) -> int:
    """What as_json_data charges for a dict of strings and None; more than any budget if it holds anything
    else."""
    cost = 0
    for key, value in fields.items():
        if type(key) is not str:
            return MAX_ACTION_CHARS + 1
        if type(value) is str:
            cost += _VALUE_COST + len(value)
        elif value is None:
            cost += _VALUE_COST
        else:
            return MAX_ACTION_CHARS + 1
    return cost


def _too_large(limits: list[int]) -> NotJSONData:
    return NotJSONData(f"is larger than a {limits[2]:,}-character message")


def _convert(item: Any, depth: int, limits: list[int]) -> Any:
    kind = type(item)
    if kind is str:
        limits[0] -= _VALUE_COST + len(item)
        if limits[0] < 0:
            raise _too_large(limits)
        return item
    limits[0] -= _VALUE_COST
    if limits[0] < 0:
        raise _too_large(limits)
    if kind in _SCALARS:
        return item
    if depth >= limits[1] and isinstance(item, dict | list | tuple):
        raise NotJSONData(f"is nested more than {limits[1]} levels deep")
    if kind is dict or kind is list or kind is tuple:
        # One loop for both kinds (a list's copy is collected by index, then listed). Strings and scalars
        # inside are taken in place (what _convert would do with them, in the same order), so a message costs
        # one call per container rather than one per value.
        is_dict = kind is dict
        plain: dict[Any, Any] = {}
        for key, element in item.items() if is_dict else enumerate(item):
            if is_dict and type(key) is not str:
                if not isinstance(key, str):
                    raise NotJSONData(f"has a key of type {type(key).__name__}; JSON object keys are strings")
                key = str.__str__(key)
            try:
                element_kind = type(element)
                if element_kind is str:
                    limits[0] -= _VALUE_COST + len(element)
                elif element_kind in _SCALARS:
                    limits[0] -= _VALUE_COST
                else:
                    plain[key] = _convert(element, depth + 1, limits)
                    continue
                if limits[0] < 0:
                    raise _too_large(limits)
                plain[key] = element
            except NotJSONData as exc:
                exc.path.insert(0, key)
                raise
        return plain if is_dict else list(plain.values())
    # Subclasses (str enums, numpy floats, OrderedDict, ...) become their plain JSON type.
    if isinstance(item, str):
        limits[0] += _VALUE_COST
        return _convert(str.__str__(item), depth, limits)
    if isinstance(item, bool):
        return bool(item)
    if isinstance(item, int):
        return int.__int__(item)
    if isinstance(item, float):
        return float.__float__(item)
    if isinstance(item, dict):
        limits[0] += _VALUE_COST
        return _convert(dict(item), depth, limits)
    if isinstance(item, list | tuple):
        limits[0] += _VALUE_COST
        return _convert(list(item), depth, limits)
    raise NotJSONData(f"is of type {type(item).__name__}, which is not JSON data")


class _CallIds:
    def __init__(self, turn_index: int) -> None:
        self.turn_index = turn_index
        self.count = 0

    def next(self, given: Any = None) -> str:
        self.count += 1
        if isinstance(given, str) and 0 < len(given) <= 64:
            return valid_text(given)
        return f"call_{self.turn_index}_{self.count}"


def _tool_call_blocks(text: str) -> tuple[list[str], str] | None:
    """The ``<tool_call>`` blocks of a text and the text around them, by plain scanning (linear time).

    A block runs to its ``</tool_call>``, or to the end of the text when the model stopped before closing it.
    """
    start = text.find(OPEN_TAG)
    if start < 0:
        return None
    blocks: list[str] = []
    outside: list[str] = []
    position = 0
    while start >= 0:
        outside.append(text[position:start])
        body = start + len(OPEN_TAG)
        end = text.find(CLOSE_TAG, body)
        if end < 0:
            blocks.append(text[body:])
            position = len(text)
            break
        blocks.append(text[body:end])
        position = end + len(CLOSE_TAG)
        start = text.find(OPEN_TAG, position)
    outside.append(text[position:])
    return blocks, "".join(outside)


def _unfence(text: str) -> str:
    """The body of a Markdown code fence (```json ... ```) around the whole text, or the text itself."""
    if len(text) >= 2 * len(FENCE) and text.startswith(FENCE) and text.endswith(FENCE):
        body = text[len(FENCE) : -len(FENCE)]
        return body.removeprefix("json").strip()
    return text


def _parse_text(text: str, ids: _CallIds) -> ParsedTurn:
    if len(text) > MAX_ACTION_CHARS:
        return _rejected(f"The message is too long ({len(text)} characters; the limit is {MAX_ACTION_CHARS}).", ids)
    text = valid_text(text)
    found = _tool_call_blocks(text)
    if found is not None:
        blocks, outside = found
        turn = ParsedTurn(content=outside.strip())
        for block in blocks:
            payload, error = _loads(block.strip())
            if error:
                turn.problems.append(ParseProblem(f"Could not parse the tool call as JSON: {error}", ids.next()))
            elif isinstance(payload, list):
                for item in payload:
                    _add_call(turn, item, ids)
            else:
                _add_call(turn, payload, ids)
        return _enforce_limit(turn)
    candidate = _unfence(text.strip())
    if candidate.startswith(("{", "[")):
        payload, error = _loads(candidate)
        if error is None and _looks_like_calls(payload):
            turn = ParsedTurn(content="")
            if isinstance(payload, dict) and "tool_calls" in payload:
                return _parse_message({"content": payload.get("content") or "", **payload}, ids)
            for item in payload if isinstance(payload, list) else [payload]:
                _add_call(turn, item, ids)
            return _enforce_limit(turn)
    return ParsedTurn(content=text)


def _looks_like_calls(payload: Any) -> bool:
    if isinstance(payload, dict):
        return "tool_calls" in payload or ("name" in payload and ("arguments" in payload or "parameters" in payload))
    if isinstance(payload, list):
        return bool(payload) and all(isinstance(p, dict) and "name" in p for p in payload)
    return False


def _parse_message(message: dict[str, Any], ids: _CallIds) -> ParsedTurn:
    content = message.get("content")
    if content is None:
        content = ""
    if not isinstance(content, str):
        # Content parts (OpenAI's list form): keep the text parts.
        if isinstance(content, list):
            content = "".join(
                p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
            )
        else:
            content = json.dumps(content)
    content = valid_text(content)
    tool_calls = message.get("tool_calls")
    if not tool_calls:
        if content and OPEN_TAG in content:
            return _parse_text(content, ids)
        return ParsedTurn(content=content)
    turn = ParsedTurn(content=content)
    if not isinstance(tool_calls, list):
        turn.problems.append(ParseProblem("'tool_calls' must be a list.", ids.next()))
        return turn
    for item in tool_calls:
        function = item.get("function") if isinstance(item, dict) else None
        if isinstance(function, dict):
            _add_call_parts(turn, function.get("name"), function.get("arguments", {}), item.get("id"), ids)
        else:
            _add_call(turn, item, ids)
    return _enforce_limit(turn)


def _add_call(turn: ParsedTurn, item: Any, ids: _CallIds) -> None:
    if len(turn.calls) + len(turn.problems) >= MAX_CALLS_PER_TURN:
        turn.overflow += 1  # never executed: not worth parsing (a turn may list thousands)
        return
    if not isinstance(item, dict):
        turn.problems.append(ParseProblem("A tool call must be an object with 'name' and 'arguments'.", ids.next()))
        return
    _add_call_parts(turn, item.get("name"), item.get("arguments", item.get("parameters", {})), item.get("id"), ids)


def _add_call_parts(turn: ParsedTurn, name: Any, arguments: Any, given_id: Any, ids: _CallIds) -> None:
    """Add one call (a problem if it is malformed) from its name, arguments and the id the model gave."""
    if len(turn.calls) + len(turn.problems) >= MAX_CALLS_PER_TURN:
        turn.overflow += 1  # never executed: not worth parsing (a turn may list thousands)
        return
    call_id = ids.next(given_id)
    if not isinstance(name, str) or not name:
        turn.problems.append(ParseProblem("A tool call is missing its 'name'.", call_id))
        return
    name = valid_text(name)
    if arguments is None:
        arguments = {}
    if isinstance(arguments, str):
        if len(arguments) > MAX_ACTION_CHARS:
            turn.problems.append(ParseProblem(f"The arguments of '{name[:64]}' are too long.", call_id))
            return
        parsed, error = _loads(arguments) if arguments.strip() else ({}, None)
        if error:
            turn.problems.append(ParseProblem(f"The arguments of '{name[:64]}' are not valid JSON: {error}", call_id))
            return
        arguments = parsed
    turn.calls.append(ToolCall(name=name, arguments=arguments, call_id=call_id))


def _enforce_limit(turn: ParsedTurn) -> ParsedTurn:
    if len(turn.calls) + len(turn.problems) + turn.overflow > MAX_CALLS_PER_TURN:
        dropped = len(turn.calls) + len(turn.problems) + turn.overflow - MAX_CALLS_PER_TURN
        turn.calls = turn.calls[:MAX_CALLS_PER_TURN]
        turn.problems = turn.problems[: max(0, MAX_CALLS_PER_TURN - len(turn.calls))]
        turn.problems.append(
            ParseProblem(
                f"Too many tool calls in one turn: {dropped} call(s) beyond the limit of {MAX_CALLS_PER_TURN} "
                "were not executed.",
                f"call_limit_{len(turn.calls)}",
            )
        )
    return turn


# The scanner json.loads ends in: a text that is one JSON object with nothing around it (what models send as
# arguments) is scanned directly, without loads' two frames and whitespace matches; anything else, and any
# failure, goes through json.loads, so values and error messages are json.loads's own.
_SCAN_ONCE = json.JSONDecoder().scan_once


def _loads(text: str) -> tuple[Any, str | None]:
    if text[:1] == "{" and text[-1:] == "}":
        try:
            value, end = _SCAN_ONCE(text, 0)
        except (StopIteration, ValueError, RecursionError):
            pass
        else:
            if end == len(text):
                return value, None
    try:
        return json.loads(text), None
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        return None, valid_text(str(exc))[:200]
