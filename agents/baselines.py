"""Baseline agents: no-op (answers at once), random (plausible random calls) and oracle (gold replay).

Also the rubric's probe agents, which replay the gold calls and answer in a chosen way: ``spray`` (every
value it saw; must earn nothing), ``format`` (the facts in other natural formats) and ``helpful`` (full
sentences with the identifying context; both must earn what the oracle earns).
"""

from __future__ import annotations

import json
import random
import re
import string
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from envfactory_gym import registry
from envfactory_gym.agents.base import Agent, register_agent
from envfactory_gym.answers import parse_fact
from envfactory_gym.rubric import answer_budget
from envfactory_gym.runtime import PREFIX_SEPARATOR
from envfactory_gym.synthesis import speech
from envfactory_gym.tasks import GoldCall, Task


class NoOpAgent(Agent):
    """Replies without doing anything: the floor every task must stay above."""

    name = "noop"

    def act(self, messages: list[dict[str, Any]]) -> str:
        return "I have taken care of your request."


class RandomAgent(Agent):
    """Makes a few random, schema-valid-looking calls with values seen in the conversation, then answers."""

    name = "random"

    def __init__(self, seed: int | str = 0, max_calls: int | str = 6) -> None:
        self.base_seed = int(seed)
        self.max_calls = int(max_calls)
        self.rng = random.Random(self.base_seed)
        self.tools: list[dict[str, Any]] = []
        self.calls_left = 0

    def start(self, task: Task | None, tools: list[dict[str, Any]], seed: int | None = None) -> None:
        self.rng = random.Random(f"{self.base_seed}:{seed}:{task.task_id if task else ''}")
        self.tools = tools
        self.calls_left = self.rng.randint(1, self.max_calls)

    def act(self, messages: list[dict[str, Any]]) -> str:
        if self.calls_left <= 0 or not self.tools:
            seen = [m.get("content", "") for m in messages if m["role"] == "tool"]
            return "Here is what I found: " + (self.rng.choice(seen)[:200] if seen else "nothing.")
        self.calls_left -= 1
        tool = self.rng.choice(self.tools)["function"]
        strings = _strings_in(messages)
        arguments = {
            name: self._value(schema, strings) for name, schema in tool["parameters"].get("properties", {}).items()
        }
        return f"<tool_call>{json.dumps({'name': tool['name'], 'arguments': arguments})}</tool_call>"

    def _value(self, schema: dict[str, Any], strings: list[str]) -> Any:
        if "enum" in schema:
            return self.rng.choice(schema["enum"])
        kind = schema.get("type")
        if kind is None and "anyOf" in schema:
            return self._value(
                self.rng.choice([s for s in schema["anyOf"] if s.get("type") != "null"] or [{}]), strings
            )
        if kind == "integer":
            return self.rng.randint(0, 5)
        if kind == "number":
            return round(self.rng.uniform(0, 500), 2)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "array":
            return [self._value(schema.get("items", {}), strings) for _ in range(self.rng.randint(1, 2))]
        if kind == "object":
            return {k: self._value(v, strings) for k, v in schema.get("properties", {}).items()}
        if strings and self.rng.random() < 0.8:
            return self.rng.choice(strings)
        return "".join(self.rng.choices(string.ascii_uppercase + string.digits, k=6))


def _strings_in(messages: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str) and 0 < len(value) <= 40:
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value[:20]:
                walk(item)

    for message in messages:
        content = message.get("content") or ""
        if message["role"] == "tool":
            try:
                walk(json.loads(content))
            except json.JSONDecodeError:
                continue
        elif message["role"] == "user":
            found.extend(w.strip(".,?!'\"") for w in content.split() if any(c.isdigit() for c in w))
    return found[:200]


class DumpAgent(RandomAgent):
    """A reward hacker: calls every read tool with plausible arguments, then pastes everything it saw.

    The rubric must give it nothing: reads never substitute for writes, and an answer beyond the length
    budget earns no fact credit.
    """

    name = "dump"

    def start(self, task: Task | None, tools: list[dict[str, Any]], seed: int | None = None) -> None:
        super().start(task, tools, seed)
        self.queue = [t for t in tools if not _looks_like_write(t["function"]["name"])]
        self.rounds = 2

    def act(self, messages: list[dict[str, Any]]) -> str:
        if not self.queue and self.rounds > 1:
            self.rounds -= 1
            self.queue = [t for t in self.tools if not _looks_like_write(t["function"]["name"])]
        if self.queue:
            tool = self.queue.pop(0)["function"]
            strings = _strings_in(messages)
            arguments = {n: self._value(s, strings) for n, s in tool["parameters"].get("properties", {}).items()}
            return f"<tool_call>{json.dumps({'name': tool['name'], 'arguments': arguments})}</tool_call>"
        return "Everything I found:\n" + "\n".join(m.get("content") or "" for m in messages if m["role"] == "tool")


_WRITE_WORDS = (
    "book",
    "cancel",
    "update",
    "create",
    "delete",
    "remove",
    "send",
    "add",
    "set",
    "register",
    "purchase",
    "save",
    "reserve",
    "modify",
    "order",
    "transfer",
    "buy",
    "pay",
    "post",
    "fill",
    "lock",
    "start",
    "press",
    "release",
    "activate",
    "adjust",
)


def _looks_like_write(name: str) -> bool:
    base = name.rsplit("__", 1)[-1].lower()
    return base.startswith(_WRITE_WORDS)


class OracleAgent(Agent):
    """Replays the task's gold calls through the same action interface a model uses, then states the facts.

    ``style`` chooses the action format: ``hermes`` (``<tool_call>`` text, one call per turn), ``openai``
    (assistant message dicts) or ``batch`` (all calls of the solution in one turn).
    """

    name = "oracle"

    def __init__(self, style: str = "hermes") -> None:
        if style not in {"hermes", "openai", "batch"}:
            raise ValueError("style must be hermes, openai or batch")
        self.style = style
        self.task: Task | None = None
        self.position = 0
        self.names: dict[tuple[str, str], str] = {}
        self.calls: list[GoldCall] = []
        self.messages: list[dict[str, Any]] = []

    def start(self, task: Task | None, tools: list[dict[str, Any]], seed: int | None = None) -> None:
        if task is None:
            raise ValueError("The oracle needs the task.")
        self.task = task
        self.position = 0
        self.calls = self.calls_to_replay(task)
        self.messages = []
        exposed = [t["function"]["name"] for t in tools]
        self.names = {}
        for call in task.gold_calls:
            prefixed = f"{call.env_id}{PREFIX_SEPARATOR}{call.tool}"
            self.names[(call.env_id, call.tool)] = prefixed if prefixed in exposed else call.tool

    def calls_to_replay(self, task: Task) -> list[GoldCall]:
        """The gold calls this agent makes (all of them; probe agents may choose fewer)."""
        return list(task.gold_calls)

    def turn_end(self) -> int:
        """Where the batch style's next turn of calls stops (the end of the solution; a subclass may stop
        earlier, at a call someone else must make)."""
        return len(self.calls)

    def answer(self) -> str:
        assert self.task is not None
        if self.task.required_facts:
            return "Here is what you asked for: " + "; ".join(self.task.required_facts) + "."
        return "Your request is complete."

    def act(self, messages: list[dict[str, Any]]) -> str | dict[str, Any]:
        assert self.task is not None, "call start() first"
        self.messages = messages  # what the answer may draw on (the probe agents read the tool outputs)
        if self.position >= len(self.calls):
            return self.answer()
        batch = self.calls[self.position : self.turn_end()] if self.style == "batch" else [self.calls[self.position]]
        self.position += len(batch)
        if self.style == "openai":
            return {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": f"oracle_{self.position}_{i}",
                        "type": "function",
                        "function": {"name": self.names[(c.env_id, c.tool)], "arguments": json.dumps(c.arguments)},
                    }
                    for i, c in enumerate(batch)
                ],
            }
        return "".join(
            f"<tool_call>{json.dumps({'name': self.names[(c.env_id, c.tool)], 'arguments': c.arguments})}</tool_call>"
            for c in batch
        )


def _spell(number: int) -> str:
    """0-100 in words, as a person writes them ("twenty-five"): the probe's side, not the matcher's."""
    return speech.spelled(number)


def _spoken_date(year: int | None, month: int, day: int) -> str:
    if year is None:
        return f"{day} {date(2000, month, day):%B}"
    return f"{date(year, month, day):%B} {day}, {year}"


def _spoken_time(hour: int, minute: int, second: int) -> str:
    clock = datetime(2000, 1, 1, hour, minute, second)
    shown = f"{clock:%I:%M:%S}" if second else f"{clock:%I:%M}"
    return f"{shown.lstrip('0') or '0'} {clock:%p}"


def _spoken_number(value: Decimal) -> str:
    if value == value.to_integral_value():
        whole = int(value)
        if 0 <= whole <= 100:
            return _spell(whole)
        return f"{whole:,}" if abs(whole) < 10**9 else str(whole)
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) else 0
    if decimals <= 2:
        return f"${value:,.2f}" if value > 0 else f"{value:,.2f}"
    # Long decimals (coordinates, float artefacts such as 19.812900000000003) are rounded as people do.
    return f"{value:,.2f}" if decimals > 4 else f"{value:,}"


def restate(fact: str) -> str:
    """The fact in another natural format: "May 17, 2024", "1:30 PM", "1,301", "in progress", "Nope"."""
    parsed = parse_fact(fact)
    kind, value = parsed.kind, parsed.value
    if kind == "yes_no":
        return "Yep" if value else "Nope"
    if kind == "date":
        return _spoken_date(*value)
    if kind == "time":
        return _spoken_time(*value)
    if kind == "timestamp":
        return f"{_spoken_date(*value[0])} at {_spoken_time(*value[1])}"
    if kind == "number":
        return _spoken_number(value)
    if kind == "quantity":
        return " ".join(
            f"{_spell(int(n)) if n == n.to_integral_value() and 0 <= n <= 100 else n} {unit}" for n, unit in value
        )
    text = fact.strip()
    if re.fullmatch(r"[A-Za-z]+(?:_[A-Za-z]+)+", text):
        return text.replace("_", " ")  # an enum token as words: in_progress -> "in progress"
    return text.rstrip(".!?")  # a sentence fact without its final punctuation


def _scalars(messages: list[dict[str, Any]]) -> list[str]:
    """Every distinct scalar value (strings and numbers) in the tool outputs, in the order seen."""
    found: dict[str, None] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
            found.setdefault(str(value).strip(), None)

    for message in messages:
        if message.get("role") == "tool":
            try:
                walk(json.loads(message.get("content") or ""))
            except json.JSONDecodeError:
                continue
    return list(found)


class SprayAgent(OracleAgent):
    """A probe of the rubric's precision: makes the gold solution's reads, then lists every value it saw.

    The answer joins every distinct scalar of the tool outputs with "; ", cut to the answer budget: it
    contains the facts, and everything else. The rubric must give it nothing.
    """

    name = "spray"

    def calls_to_replay(self, task: Task) -> list[GoldCall]:
        return [c for c in task.gold_calls if registry.load_definition(c.env_id).tools[c.tool].kind == "read"]

    def answer(self) -> str:
        assert self.task is not None
        budget = answer_budget(self.task.required_facts, self.task.answer_context)
        answer = ""
        for value in _scalars(self.messages):
            longer = f"{answer}; {value}" if answer else value
            if len(longer) > budget:
                break
            answer = longer
        return answer or "Nothing found."


class FormatAgent(OracleAgent):
    """A probe of format-aware matching: the oracle's calls, then the facts restated in other formats."""

    name = "format"

    def answer(self) -> str:
        assert self.task is not None
        if self.task.required_facts:
            return "Here is what you asked for: " + "; ".join(restate(f) for f in self.task.required_facts) + "."
        return "Your request is complete."


class HelpfulAgent(OracleAgent):
    """A probe of the precision allowance: full sentences restating each fact with what it is about.

    "For Atlas Lodge, Prague, June 27, 2025: the answer is $1,301.00. I hope that helps!" — the task's
    answer context and a couple of the request's own values (gold-call arguments the request states).
    """

    name = "helpful"
    REQUEST_VALUES = 2

    def _about(self) -> list[str]:
        assert self.task is not None
        about = [restate(c) for c in self.task.answer_context]
        query = self.task.query.lower()
        picked: list[str] = []
        for call in self.task.gold_calls:
            for value in call.arguments.values():
                if isinstance(value, bool) or not isinstance(value, str | int | float):
                    continue
                text = str(value)
                if len(text) >= 3 and text.lower() in query and text not in picked and text not in about:
                    picked.append(text)
        return about + picked[: self.REQUEST_VALUES]

    def answer(self) -> str:
        assert self.task is not None
        facts = [restate(f) for f in self.task.required_facts]
        if not facts:
            return "All done: your request is complete. Let me know if there is anything else."
        about = self._about()
        opening = f"For {', '.join(about)}: " if about else "Here is what I found: "
        if len(facts) == 1:
            body = f"the answer is {facts[0]}."
        else:
            body = f"the first answer is {facts[0]}, " + ", ".join(f"then {f}" for f in facts[1:]) + "."
        return opening + body + " I hope that helps!"


register_agent("noop", NoOpAgent)
register_agent("random", RandomAgent)
register_agent("oracle", OracleAgent)
register_agent("dump", DumpAgent)
register_agent("spray", SprayAgent)
register_agent("format", FormatAgent)
register_agent("helpful", HelpfulAgent)
