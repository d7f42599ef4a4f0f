"""Executing a gold solution on a task's initial state: the gold change set and the tool outputs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from envfactory_gym import registry
from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.runtime import PREFIX_SEPARATOR, ToolRuntime
from envfactory_gym.tasks import GoldCall, GoldChange, Task


class GoldExecutionError(RuntimeError):
    """A gold call failed: the chain is not a valid solution."""


@dataclass
class GoldRun:
    changes: list[GoldChange]
    outputs: list[Any]


def open_runtime(
    env_ids: Sequence[str],
    seed: int,
    scenario: dict[str, Any] | None,
    id_seed: Any,
    prefix: bool,
    fidelity: str | None = None,
) -> ToolRuntime:
    definitions = [registry.load_definition(e) for e in env_ids]
    for definition in definitions:
        definition.tool_specs(fidelity)  # an unknown mode fails before any snapshot is built
    databases = [EpisodeDatabase(get_snapshot(d, seed, (scenario or {}).get(d.env_id))) for d in definitions]
    return ToolRuntime(databases, id_seed=id_seed, prefix=prefix, fidelity=fidelity)


def exposed_name(call: GoldCall, prefix: bool) -> str:
    return f"{call.env_id}{PREFIX_SEPARATOR}{call.tool}" if prefix else call.tool


def execute_gold(
    env_ids: Sequence[str],
    calls: Sequence[GoldCall],
    *,
    seed: int = 0,
    scenario: dict[str, Any] | None = None,
    id_seed: Any = 0,
    fidelity: str | None = None,
) -> GoldRun:
    """Run the calls in order on a fresh episode (tools in ``fidelity`` mode, if given); raise
    GoldExecutionError if any call fails."""
    runtime = open_runtime(env_ids, seed, scenario, id_seed, prefix=True, fidelity=fidelity)
    try:
        outputs = []
        for call in calls:
            result = runtime.call(exposed_name(call, True), call.arguments)
            if not result.ok:
                raise GoldExecutionError(f"{call.env_id}.{call.tool}({call.arguments}) failed: {result.content}")
            try:
                outputs.append(json.loads(result.content))
            except json.JSONDecodeError:
                outputs.append(result.content)
        changes = [
            GoldChange(env_id=env_id, table=c.table, op=c.op, key=c.key, before=c.before, after=c.after)  # type: ignore[arg-type]
            for env_id, rows in runtime.change_sets().items()
            for c in rows
        ]
        return GoldRun(changes, outputs)
    finally:
        runtime.close()


def with_gold_changes(task: Task) -> Task:
    """The task with its gold change set recomputed from its gold calls (task ids seed the new ids)."""
    run = execute_gold(task.env_ids, task.gold_calls, seed=task.seed, scenario=task.scenario, id_seed=task.task_id)
    return task.model_copy(update={"gold_changes": run.changes})
