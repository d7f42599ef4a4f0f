"""BFCL multi-turn tasks for the BFCL-compatible environments: read them, and replay their ground truth here.

A BFCL multi-turn task names its ``involved_classes``, gives each class's ``initial_config`` and, in a
separate ``possible_answer`` file, the ground truth: one list of call strings per user turn. Tasks whose
classes all have an environment here (``TravelAPI`` → ``travel_booking``, ``VehicleControlAPI`` →
``vehicle_control``, ``MessageAPI`` → ``message``, ``TicketAPI`` → ``ticket_management``, ``TwitterAPI``
→ ``posting``) can be replayed: each class's ``initial_config`` becomes that environment's initial state
(through its ``scenario_io``), each call runs as a tool call, and the final state is dumped back to
``initial_config`` form for comparison with BFCL's own classes.

Long-context tasks load each class's config in BFCL's long-context mode (see ``bfcl.long_context``):
BFCL's padding is read from the installed ``bfcl-eval`` package when such a task is replayed.

:func:`installed_tasks` reads the tasks shipped in the ``bfcl-eval`` package when it is installed (it is
optional); :func:`read_task_file` reads tasks kept in BFCL's format with the ground truth inline.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from envfactory_gym import registry
from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.runtime import ToolResult, ToolRuntime

from .calls import ParsedCall, bind_arguments, parse_call
from .long_context import long_context_config

BFCL_CLASS_ENVIRONMENTS: dict[str, str] = {
    "TravelAPI": "travel_booking",
    "VehicleControlAPI": "vehicle_control",
    "MessageAPI": "message",
    "TicketAPI": "ticket_management",
    "TwitterAPI": "posting",
}
LONG_CONTEXT = "long_context"
REPLAYABLE_CATEGORIES: tuple[str, ...] = ("base", "miss_param", "miss_func", LONG_CONTEXT)
_EMPTY_CONFIG: dict[str, Any] = {}  # one object, so that tasks without a config share one snapshot key


@dataclass(frozen=True)
class BfclTask:
    task_id: str
    involved_classes: tuple[str, ...]
    initial_config: dict[str, Any]
    ground_truth: tuple[tuple[str, ...], ...]
    question: list[Any] = field(default_factory=list)
    expected_final_config: dict[str, Any] = field(default_factory=dict)
    long_context: bool = False  # BFCL loads its classes in long-context mode for this task

    @property
    def calls(self) -> list[str]:
        return [call for turn in self.ground_truth for call in turn]

    @functools.cached_property
    def parsed_calls(self) -> tuple[ParsedCall, ...]:
        """The ground truth's calls, parsed once (replays reuse them)."""
        return tuple(parse_call(text) for text in self.calls)

    @functools.cached_property
    def scenarios(self) -> dict[str, dict[str, Any]]:
        """Each class's initial_config as this suite loads it: in long-context mode, with BFCL's padding (read
        once per task from the installed bfcl-eval; :class:`BfclEvalMissingError` when it is absent)."""
        configs = {c: self.initial_config.get(c, _EMPTY_CONFIG) for c in self.involved_classes}
        if self.long_context:
            configs = {c: long_context_config(c, config) for c, config in configs.items()}
        return configs


def is_replayable(involved_classes: Iterable[str]) -> bool:
    classes = set(involved_classes)
    return bool(classes) and classes <= set(BFCL_CLASS_ENVIRONMENTS)


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def installed_tasks(categories: Sequence[str] = REPLAYABLE_CATEGORIES) -> list[BfclTask]:
    """The replayable multi-turn tasks of the installed ``bfcl-eval`` package ([] when it is absent)."""
    if importlib.util.find_spec("bfcl_eval") is None:
        return []
    data = resources.files("bfcl_eval").joinpath("data")
    tasks = []
    for category in categories:
        questions = sorted(
            (p for p in data.iterdir() if p.name.endswith(f"_multi_turn_{category}.json")), key=lambda p: p.name
        )
        for question_file in questions[-1:]:  # the newest BFCL version shipped
            answers = {
                entry["id"]: entry["ground_truth"]
                for entry in _json_lines(data.joinpath("possible_answer", question_file.name).read_text("utf-8"))
            }
            for entry in _json_lines(question_file.read_text("utf-8")):
                if not is_replayable(entry["involved_classes"]) or entry["id"] not in answers:
                    continue
                tasks.append(_task(entry, answers[entry["id"]], long_context=category == LONG_CONTEXT))
    return tasks


def read_task_file(path: str | Path) -> list[BfclTask]:
    """Tasks in BFCL's question format with ``ground_truth`` (and optionally ``expected_final_config``) inline."""
    entries = json.loads(Path(path).read_text("utf-8"))
    return [_task(entry, entry["ground_truth"]) for entry in entries]


def _task(entry: dict[str, Any], ground_truth: list[list[str]], *, long_context: bool = False) -> BfclTask:
    return BfclTask(
        task_id=entry["id"],
        involved_classes=tuple(entry["involved_classes"]),
        initial_config=entry.get("initial_config", {}),
        ground_truth=tuple(tuple(turn) for turn in ground_truth),
        question=entry.get("question", []),
        expected_final_config=entry.get("expected_final_config", {}),
        long_context=long_context,
    )


@dataclass
class ReplayStep:
    call: str
    bfcl_class: str
    arguments: dict[str, Any]
    result: ToolResult

    @property
    def output(self) -> Any:
        return json.loads(self.result.content) if self.result.ok else self.result.content


@dataclass
class Replay:
    steps: list[ReplayStep]
    final_config: dict[str, dict[str, Any]]  # BFCL class -> its state in initial_config form


def replay(task: BfclTask) -> Replay:
    """Run the task's ground truth on the environments, from its initial_config; never raises on a refusal."""
    if not is_replayable(task.involved_classes):
        raise ValueError(f"Task {task.task_id} involves classes without an environment: {task.involved_classes}")
    databases: dict[str, EpisodeDatabase] = {}
    runtimes: dict[str, ToolRuntime] = {}
    try:
        for bfcl_class in task.involved_classes:
            definition = registry.load_definition(BFCL_CLASS_ENVIRONMENTS[bfcl_class])
            # Loaders never change their input, and the snapshot is keyed once per config object.
            scenario = task.scenarios[bfcl_class]
            databases[bfcl_class] = EpisodeDatabase(get_snapshot(definition, scenario=scenario))
            runtimes[bfcl_class] = ToolRuntime([databases[bfcl_class]])
        steps = []
        for text, parsed in zip(task.calls, task.parsed_calls, strict=True):
            owners = [c for c, runtime in runtimes.items() if runtime.spec(parsed.name) is not None]
            if len(owners) != 1:
                raise ValueError(f"{task.task_id}: no single environment has the tool {parsed.name!r}")
            runtime = runtimes[owners[0]]
            arguments = bind_arguments(parsed, runtime.spec(parsed.name).arg_names)  # type: ignore[union-attr]
            steps.append(ReplayStep(text, owners[0], arguments, runtime.call(parsed.name, arguments)))
        final = {
            c: database.definition.scenario_io.dump(database)  # type: ignore[union-attr]
            for c, database in databases.items()
        }
        return Replay(steps, final)
    finally:
        for runtime in runtimes.values():
            runtime.close()
