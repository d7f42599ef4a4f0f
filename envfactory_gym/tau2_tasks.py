"""tau2-bench tasks as suite tasks, graded the way tau2 grades them.

:func:`import_tau2_tasks` reads a tau2 domain's own ``tasks.json`` and ``db.json`` (files the user supplies;
none ship with this suite) for an environment that reads tau2's database format (its ``scenario_io``) and
has a ``tau2`` fidelity mode (its tools as tau2's behave). Every task becomes a :class:`~.tasks.Task` with
the database as its initial state and ``task.checks`` (see :mod:`.checks`) doing tau2's grading:

* ``DB`` → the **state** check: tau2 replays the task's gold actions on the initial database and compares
  the final databases; the importer does that replay here, in the fidelity mode, and stores the expected
  final state's hash (and its change set, for diagnostics);
* ``COMMUNICATE`` → **communicate**: each ``communicate_info`` string in an assistant message;
* ``ACTION`` → **actions**: each gold action, with its ``compare_args``, among the trajectory's calls;
* ``NL_ASSERTION`` needs an LLM judge: it is not evaluated, and the task says so in
  ``checks.not_evaluated`` (and so does every score); ``ENV_ASSERTION`` is refused.

:func:`import_tau2_files` writes the database once, beside the task file, and every task references it
(an ``envfactory.file/v1`` scenario checked by its hash), rather than a copy of it per task.

A gold action that fails in the replay is skipped, as tau2 skips it; the task lists it in
``metadata["tau2"]["gold_failures"]``. Everything is checked before anything is written: a malformed file
raises :class:`Tau2ImportError` naming the task and the field.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from envfactory_gym import registry
from envfactory_gym.authoring import EnvironmentDefinition
from envfactory_gym.checks import native_state_hash
from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.runtime import ToolRuntime
from envfactory_gym.scenario import ScenarioError, file_scenario
from envfactory_gym.tasks import (
    GoldCall,
    GoldChange,
    RequiredAction,
    Task,
    TaskChecks,
    read_tasks,
    write_tasks,
)

FIDELITY = "tau2"
# tau2's reward components and the suite's checks they become (NL_ASSERTION: none, see not_evaluated).
BASIS = {"DB": "state", "COMMUNICATE": "communicate", "ACTION": "actions"}
REWARD_TYPES = ("DB", "ENV_ASSERTION", "NL_ASSERTION", "ACTION", "COMMUNICATE")
DEFAULT_BASIS = ("DB", "COMMUNICATE")  # tau2's default when a task names none


class Tau2ImportError(ValueError):
    """A tau2 file that cannot be imported; the message names the task and the field."""


# -- the parts of tau2's task format the import reads (other fields, like annotations, are ignored) ----------
class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Instructions(_Loose):
    task_instructions: str
    reason_for_call: str
    domain: str | None = None
    known_info: str | None = None
    unknown_info: str | None = None


class _UserScenario(_Loose):
    persona: str | None = None
    instructions: _Instructions | str


class _Action(_Loose):
    action_id: str
    requestor: Literal["assistant", "user"] = "assistant"
    name: str
    arguments: dict[str, Any]
    info: str | None = None
    compare_args: list[str] | None = None


class _Criteria(_Loose):
    actions: list[_Action] | None = None
    env_assertions: list[Any] | None = None
    communicate_info: list[str] | None = None
    nl_assertions: list[str] | None = None
    reward_basis: list[Literal["DB", "ENV_ASSERTION", "NL_ASSERTION", "ACTION", "COMMUNICATE"]] = Field(
        default_factory=lambda: list(DEFAULT_BASIS)
    )


class _Tau2Task(_Loose):
    id: str
    description: dict[str, Any] | None = None
    user_scenario: _UserScenario
    initial_state: Any = None
    evaluation_criteria: _Criteria | None


def _field_path(loc: Sequence[Any]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _parse_task(index: int, raw: Any) -> _Tau2Task:
    name = f"task #{index}" + (f" (id {raw.get('id')!r})" if isinstance(raw, dict) and "id" in raw else "")
    if not isinstance(raw, dict):
        raise Tau2ImportError(f"{name}: a task must be a JSON object, not {type(raw).__name__}.")
    try:
        task = _Tau2Task.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise Tau2ImportError(f"{name}: field '{_field_path(error['loc'])}': {error['msg']}.") from None
    if task.evaluation_criteria is None:
        raise Tau2ImportError(f"{name}: field 'evaluation_criteria' is missing or null; nothing would grade it.")
    if task.initial_state not in (None, {}) and any(v is not None for v in dict(task.initial_state).values()):
        raise Tau2ImportError(
            f"{name}: field 'initial_state' is not supported (tasks must start from the database given with --db)."
        )
    if task.evaluation_criteria.env_assertions:
        raise Tau2ImportError(f"{name}: field 'evaluation_criteria.env_assertions' is not supported.")
    return task


def _check_actions(name: str, task: _Tau2Task, definition: EnvironmentDefinition) -> None:
    assert task.evaluation_criteria is not None
    for position, action in enumerate(task.evaluation_criteria.actions or []):
        where = f"{name}: field 'evaluation_criteria.actions[{position}]"
        if action.name not in definition.tools:
            raise Tau2ImportError(f"{where}.name': {action.name!r} is no tool of {definition.env_id!r}.")
        is_user_tool = action.name in definition.user_tool_names
        if (action.requestor == "user") != is_user_tool:
            raise Tau2ImportError(
                f"{where}.requestor': {action.name!r} is a tool of the "
                f"{'user' if is_user_tool else 'assistant'}, not of the {action.requestor}."
            )
        unknown = [a for a in action.compare_args or () if a not in definition.tools[action.name].arg_names]
        if unknown:
            raise Tau2ImportError(f"{where}.compare_args': {unknown} are no arguments of {action.name!r}.")


def _query(scenario: _UserScenario) -> str:
    """The person's opening request: why they call and what they know (the rest is for a user simulator)."""
    if isinstance(scenario.instructions, str):
        return scenario.instructions.strip()
    parts = [scenario.instructions.reason_for_call, scenario.instructions.known_info or ""]
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _not_evaluated(criteria: _Criteria) -> list[str]:
    notes = []
    if criteria.nl_assertions:
        listed = "; ".join(criteria.nl_assertions)
        if "NL_ASSERTION" in criteria.reward_basis:
            notes.append(
                "NL_ASSERTION is part of this task's tau2 reward basis but needs an LLM judge: NOT evaluated, so "
                f"the reward here omits it. Assertions: {listed}"
            )
        else:
            notes.append(f"nl_assertions (not in this task's tau2 reward basis, so tau2 does not grade them): {listed}")
    elif "NL_ASSERTION" in criteria.reward_basis:
        notes.append("NL_ASSERTION is in the reward basis but the task has no nl_assertions: nothing to evaluate.")
    return notes


def _replay(
    definition: EnvironmentDefinition, scenario: dict[str, Any], actions: Sequence[_Action], task_id: str
) -> tuple[list[GoldCall], list[GoldChange], str, list[dict[str, Any]]]:
    """Run the gold actions in the fidelity mode, as tau2's evaluator does (failures skipped)."""
    snapshot = get_snapshot(definition, None, scenario)
    runtime = ToolRuntime([EpisodeDatabase(snapshot)], id_seed=task_id, prefix=False, fidelity=FIDELITY)
    try:
        calls, failures = [], []
        for action in actions:
            result = runtime.call(action.name, action.arguments, as_user=action.requestor == "user")
            if result.ok:
                calls.append(GoldCall(env_id=definition.env_id, tool=action.name, arguments=action.arguments))
            else:
                failures.append({"action_id": action.action_id, "tool": action.name, "error": result.content})
        changes = [
            GoldChange(env_id=env_id, table=c.table, op=c.op, key=c.key, before=c.before, after=c.after)  # type: ignore[arg-type]
            for env_id, rows in runtime.change_sets().items()
            for c in rows
        ]
        expected = native_state_hash(definition, runtime.databases[definition.env_id])
        return calls, changes, expected, failures
    finally:
        runtime.close()


def import_tau2_tasks(env_id: str, tasks_data: Any, db_data: Any, *, split: str = "test") -> list[Task]:
    """tau2 tasks (the parsed ``tasks.json``) on a tau2 database (the parsed ``db.json``) as suite tasks."""
    try:
        definition = registry.load_definition(env_id)
    except KeyError as exc:
        raise Tau2ImportError(str(exc.args[0])) from None
    if definition.scenario_io is None or FIDELITY not in definition.fidelity_modes:
        raise Tau2ImportError(
            f"Environment {env_id!r} cannot play tau2 tasks: it needs tau2's database format (scenario_io) and a "
            f"{FIDELITY!r} fidelity mode."
        )
    if split not in ("train", "test"):
        raise Tau2ImportError(f"Unknown split {split!r}; the splits are: train, test.")
    if not isinstance(tasks_data, list) or not tasks_data:
        raise Tau2ImportError("tasks.json must be a non-empty JSON list of tasks.")
    if not isinstance(db_data, dict):
        raise Tau2ImportError("db.json must be a JSON object (a tau2 database).")
    parsed: list[_Tau2Task] = []
    seen: set[str] = set()
    for index, raw in enumerate(tasks_data):
        task = _parse_task(index, raw)
        name = f"task #{index} (id {task.id!r})"
        if task.id in seen:
            raise Tau2ImportError(f"{name}: field 'id': the id is used by an earlier task too.")
        seen.add(task.id)
        _check_actions(name, task, definition)
        parsed.append(task)
    try:
        get_snapshot(definition, None, db_data)
    except ScenarioError as exc:
        raise Tau2ImportError(f"db.json: {exc}") from None

    tasks = []
    for item in parsed:
        criteria = item.evaluation_criteria
        assert criteria is not None
        actions = criteria.actions or []
        task_id = f"tau2_{env_id}_{item.id}"
        calls, changes, expected, failures = _replay(definition, db_data, actions, task_id)
        checks = TaskChecks(
            basis=[BASIS[b] for b in dict.fromkeys(criteria.reward_basis) if b in BASIS],  # type: ignore[misc]
            expected_state={env_id: expected},
            communicate=list(criteria.communicate_info or []),
            actions=[
                RequiredAction(env_id=env_id, tool=a.name, arguments=a.arguments, compare_args=a.compare_args)
                for a in actions
            ],
            not_evaluated=_not_evaluated(criteria),
            fidelity=FIDELITY,
        )
        tasks.append(
            Task(
                task_id=task_id,
                domain=definition.domain,
                env_ids=[env_id],
                split=split,  # type: ignore[arg-type]
                goal="write" if changes else "read",
                query=_query(item.user_scenario),
                scenario={env_id: db_data},
                gold_calls=calls,
                gold_changes=changes,
                checks=checks,
                metadata={
                    "tau2": {
                        "id": item.id,
                        "description": item.description,
                        "user_scenario": item.user_scenario.model_dump(mode="json"),
                        "reward_basis": list(criteria.reward_basis),
                        "nl_assertions": list(criteria.nl_assertions or []),
                        "gold_failures": failures,
                    }
                },
            )
        )
    return tasks


def _read_json(path: Path, what: str) -> tuple[Any, bytes]:
    try:
        content = path.read_bytes()
        return json.loads(content), content
    except FileNotFoundError:
        raise Tau2ImportError(f"{what} {path} does not exist.") from None
    except OSError as exc:
        raise Tau2ImportError(f"{what} {path} cannot be read: {exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise Tau2ImportError(f"{what} {path} is not valid JSON: {exc}") from None


def import_tau2_files(
    env_id: str, tasks_path: str | Path, db_path: str | Path, output: str | Path, *, split: str = "test"
) -> list[Task]:
    """Import tau2's ``tasks.json`` and ``db.json``; write the tasks as JSON Lines to ``output`` and the
    database once beside it (``<output stem>.db.json``, which every task references), and return the tasks
    as read back. Nothing is written unless every task imports."""
    tasks_data, _ = _read_json(Path(tasks_path), "tasks file")
    db_data, db_bytes = _read_json(Path(db_path), "database file")
    tasks = import_tau2_tasks(env_id, tasks_data, db_data, split=split)
    output = Path(output)
    database = output.with_name(f"{output.stem}.db.json")
    shared = {env_id: file_scenario(database.name, db_bytes)}
    output.parent.mkdir(parents=True, exist_ok=True)
    database.write_bytes(db_bytes)
    write_tasks(output, [task.model_copy(update={"scenario": shared}) for task in tasks])
    return read_tasks(output)
