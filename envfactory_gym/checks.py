"""A benchmark's own grading of a task (``task.checks``), from the final state and the transcript.

Imported benchmark tasks are graded the way the benchmark grades them, not by the default rubric:

* **state** — the final state of each environment, dumped in its native interchange format (the
  environment's ``scenario_io``), hashes exactly to the expected one: the state the gold solution reaches,
  new ids, seat counts and payment records included. Nothing is normalised: a write the gold solution
  does not make (a cancellation the policy forbids, say) is a different state.
* **communicate** — every required string occurs in some assistant message, case-insensitive, with the
  message's commas removed (so "1,628" in a message matches "1628").
* **actions** — every required action is matched by some call of the trajectory: the same tool, and the
  same values for the compared arguments (all the call's arguments when none are named).

The task's reward is the product of the checks in ``checks.basis`` (each 1 or 0), scaled down by the
suite's penalty for malformed calls. Criteria the task could not check (``checks.not_evaluated``: an
LLM-judged assertion, say) are reported in every breakdown.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from envfactory_gym.authoring import EnvironmentDefinition
from envfactory_gym.database import RowChange, _canonical
from envfactory_gym.runtime import PREFIX_SEPARATOR
from envfactory_gym.tasks import GoldChange, RequiredAction, Task, TaskChecks

__all__ = [
    "TrajectoryCall",
    "action_matches",
    "communicated",
    "native_state_hash",
    "trajectory_calls",
]


def native_state_hash(definition: EnvironmentDefinition, state: Any) -> str:
    """sha256 of an environment's state in its native format (``state``: a database, session or connection)."""
    if definition.scenario_io is None:
        raise ValueError(f"Environment {definition.env_id!r} has no native state format (scenario_io) to compare.")
    dumped = definition.scenario_io.dump(state)
    text = json.dumps(dumped, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class TrajectoryCall:
    env_id: str | None
    tool: str
    arguments: dict[str, Any]


def _resolve_name(name: str, definitions: Mapping[str, EnvironmentDefinition]) -> tuple[str | None, str]:
    """(env_id, tool) of an exposed tool name, prefixed (``airline__cancel``) or not."""
    env_id, separator, tool = name.partition(PREFIX_SEPARATOR)
    if separator and env_id in definitions:
        return env_id, tool
    owners = [e for e, d in definitions.items() if name in d.tools]
    return (owners[0] if len(owners) == 1 else None), name


def trajectory_calls(
    transcript: Sequence[Mapping[str, Any]], definitions: Mapping[str, EnvironmentDefinition]
) -> list[TrajectoryCall]:
    """Every tool call the assistant made, as sent (refused ones included), in order."""
    calls = []
    for message in transcript:
        if message.get("role") != "assistant":
            continue
        for call in message.get("tool_calls") or ():
            function = call.get("function") or {}
            name, arguments = function.get("name"), function.get("arguments", "{}")
            if not isinstance(name, str):
                continue
            if isinstance(arguments, str):
                try:
                    arguments = json.loads(arguments)
                except (json.JSONDecodeError, RecursionError):
                    continue  # a call whose arguments are not JSON matches nothing
            if not isinstance(arguments, dict):
                continue
            env_id, tool = _resolve_name(name, definitions)
            calls.append(TrajectoryCall(env_id, tool, arguments))
    return calls


def action_matches(action: RequiredAction, call: TrajectoryCall) -> bool:
    """Whether a call performs the required action (tau2-bench's comparison of the compared arguments)."""
    if call.tool != action.tool or (call.env_id is not None and call.env_id != action.env_id):
        return False
    compared = list(call.arguments) if action.compare_args is None else action.compare_args
    return {k: v for k, v in call.arguments.items() if k in compared} == {
        k: v for k, v in action.arguments.items() if k in compared
    }


def _assistant_texts(transcript: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    for message in transcript:
        content = message.get("content")
        if message.get("role") == "assistant" and isinstance(content, str) and content:
            yield content.lower().replace(",", "")


def communicated(required: str, transcript: Sequence[Mapping[str, Any]]) -> bool:
    """Whether some assistant message contains the string (case-insensitive, the message's commas removed)."""
    needle = required.lower()
    return any(needle in text for text in _assistant_texts(transcript))


def describe_action(action: RequiredAction) -> str:
    shown = (
        action.arguments
        if action.compare_args is None
        else {k: v for k, v in action.arguments.items() if k in action.compare_args}
    )
    return f"{action.tool}({json.dumps(shown, sort_keys=True, ensure_ascii=False)})"


def _row_counter(rows: Iterator[tuple[str, str, str, Any, Any, Any]]) -> Counter[str]:
    return Counter(
        _canonical([env_id, table, op, key, before if op == "delete" else None, after if op != "delete" else None])
        for env_id, table, op, key, before, after in rows
    )


def state_difference(changes: Mapping[str, Sequence[RowChange]], gold: Sequence[GoldChange]) -> tuple[int, int]:
    """(missing, extra) rows between the episode's change set and the gold one, compared exactly."""
    episode = _row_counter((e, c.table, c.op, c.key, c.before, c.after) for e, rows in changes.items() for c in rows)
    expected = _row_counter((g.env_id, g.table, g.op, g.key, g.before, g.after) for g in gold)
    return sum((expected - episode).values()), sum((episode - expected).values())


@dataclass(frozen=True)
class CheckOutcome:
    """Each check's result (None: not part of the basis) and what made it pass or fail."""

    state: bool | None
    communicate: bool | None
    actions: bool | None
    communicated: tuple[str, ...]
    not_communicated: tuple[str, ...]
    actions_matched: tuple[str, ...]
    actions_missing: tuple[str, ...]
    states_mismatched: tuple[str, ...]

    @property
    def success(self) -> bool:
        return all(result is not False for result in (self.state, self.communicate, self.actions))


def evaluate_checks(
    checks: TaskChecks,
    transcript: Sequence[Mapping[str, Any]],
    definitions: Mapping[str, EnvironmentDefinition],
    databases: Mapping[str, Any] | None,
) -> CheckOutcome:
    """Run the task's checks on the episode's final state (``databases``: env_id -> its state) and transcript."""
    mismatched: list[str] = []
    state: bool | None = None
    if "state" in checks.basis:
        if databases is None:
            raise ValueError("A task with a state check is scored on the episode's final databases.")
        for env_id, expected in checks.expected_state.items():
            if env_id not in databases or native_state_hash(definitions[env_id], databases[env_id]) != expected:
                mismatched.append(env_id)
        state = not mismatched
    said = tuple(text for text in checks.communicate if communicated(text, transcript))
    unsaid = tuple(text for text in checks.communicate if text not in said)
    calls = trajectory_calls(transcript, definitions)
    matched, missing = [], []
    for action in checks.actions:
        (matched if any(action_matches(action, call) for call in calls) else missing).append(describe_action(action))
    return CheckOutcome(
        state=state,
        communicate=(not unsaid) if "communicate" in checks.basis else None,
        actions=(not missing) if "actions" in checks.basis else None,
        communicated=said,
        not_communicated=unsaid,
        actions_matched=tuple(matched),
        actions_missing=tuple(missing),
        states_mismatched=tuple(mismatched),
    )


def checks_report(task: Task, outcome: CheckOutcome) -> dict[str, Any]:
    """The breakdown's ``checks`` entry: the basis, each result and the criteria left unchecked."""
    assert task.checks is not None
    return {
        "basis": list(task.checks.basis),
        "state": outcome.state,
        "communicate": outcome.communicate,
        "actions": outcome.actions,
        "communicated": list(outcome.communicated),
        "not_communicated": list(outcome.not_communicated),
        "actions_matched": list(outcome.actions_matched),
        "actions_missing": list(outcome.actions_missing),
        "states_mismatched": list(outcome.states_mismatched),
        "not_evaluated": list(task.checks.not_evaluated),
        "fidelity": task.checks.fidelity,
    }
