"""Tasks: a user goal, the environments it involves, its initial state and its gold solution.

Tasks are stored as JSON Lines, one :class:`Task` per line, in ``domains/<domain>/tasks/<name>.jsonl``
(``<env_id>.jsonl`` for one environment, ``domain.jsonl`` for the cross-environment tasks of the domain).
Each file's splits are fixed at synthesis time; :func:`task_file_hash` is the content hash reported with
every evaluation so that results name exactly the tasks they were run on.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TASK_SCHEMA_VERSION = 2


class GoldCall(BaseModel):
    """One call of the gold solution, by environment and the tool's own (unprefixed) name."""

    model_config = ConfigDict(extra="forbid")
    env_id: str
    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class GoldChange(BaseModel):
    """One row of the gold change set (after executing the gold calls on the initial state)."""

    model_config = ConfigDict(extra="forbid")
    env_id: str
    table: str
    op: Literal["insert", "update", "delete"]
    key: dict[str, Any]
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class UserProfile(BaseModel):
    """What the simulated user knows and wants (for the conversational mode)."""

    model_config = ConfigDict(extra="forbid")
    persona: str = ""
    known_facts: dict[str, Any] = Field(default_factory=dict)
    hidden_facts: dict[str, Any] = Field(default_factory=dict)
    user_tools: list[str] = Field(default_factory=list)


class RequiredAction(BaseModel):
    """A call the trajectory must contain: same tool, and equal values for the compared arguments."""

    model_config = ConfigDict(extra="forbid")
    env_id: str
    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    # The arguments compared; None compares every argument the trajectory's call has (as tau2-bench does).
    compare_args: list[str] | None = None


CheckName = Literal["state", "communicate", "actions"]


class TaskChecks(BaseModel):
    """A benchmark's own grading of a task, replacing the change-set-and-facts rubric (see :mod:`.checks`).

    The reward is the product of the checks named in ``basis``, each 1 or 0:

    * ``state`` — the final state of each environment, in its native interchange format, has exactly the
      content hash in ``expected_state`` (the gold solution's final state, ids and all);
    * ``communicate`` — each string is in some assistant message (case-insensitive, commas ignored);
    * ``actions`` — each required action is matched by some call of the trajectory.

    ``not_evaluated`` says, in words, which of the benchmark's criteria are not checked (an LLM-judged
    assertion, say): they are reported with every score, never silently passed.
    """

    model_config = ConfigDict(extra="forbid")
    basis: list[CheckName]
    expected_state: dict[str, str] = Field(default_factory=dict)  # env_id -> sha256 of its final native state
    communicate: list[str] = Field(default_factory=list)
    actions: list[RequiredAction] = Field(default_factory=list)
    not_evaluated: list[str] = Field(default_factory=list)
    # The fidelity mode the expected state was computed in: the one to play the task in.
    fidelity: str | None = None


class Task(BaseModel):
    """A grounded, verifiable user goal."""

    model_config = ConfigDict(extra="forbid")
    schema_version: int = TASK_SCHEMA_VERSION
    task_id: str
    domain: str
    env_ids: list[str]
    split: Literal["train", "test"] = "train"
    goal: Literal["write", "read"]
    query: str
    seed: int = 0
    scenario: dict[str, dict[str, Any]] | None = None  # env_id -> scenario (tables or native format)
    gold_calls: list[GoldCall]
    gold_changes: list[GoldChange] = Field(default_factory=list)
    required_facts: list[str] = Field(default_factory=list)
    # Other change sets that satisfy the request as stated (e.g. any of two equally good flights); the
    # episode succeeds when its change set equals gold_changes or any one of these.
    gold_alternatives: list[list[GoldChange]] = Field(default_factory=list)
    # Values that identify what the answer is about (a hotel's name, a flight's date): a helpful answer
    # restates them, so they never count as distractors.
    answer_context: list[str] = Field(default_factory=list)
    user: UserProfile = Field(default_factory=UserProfile)
    metadata: dict[str, Any] = Field(default_factory=dict)
    # A benchmark's own grading (imported tasks); None: the default rubric.
    checks: TaskChecks | None = None

    @property
    def num_calls(self) -> int:
        return len(self.gold_calls)


def read_tasks(path: str | Path) -> list[Task]:
    """The tasks of a JSONL file; scenario files they reference by a relative path are found beside it."""
    from envfactory_gym.scenario import FILE_FORMAT

    with open(path, encoding="utf-8") as handle:
        tasks = [Task.model_validate_json(line) for line in handle if line.strip()]
    folder = Path(path).resolve().parent
    for task in tasks:
        for scenario in (task.scenario or {}).values():
            if scenario.get("format") == FILE_FORMAT and isinstance(scenario.get("path"), str):
                scenario["path"] = str(folder / scenario["path"])  # an absolute path stays as it is
    return tasks


def write_tasks(path: str | Path, tasks: Iterable[Task]) -> str:
    """Write tasks as JSONL (one canonical line each); returns the file's content hash."""
    # Tasks without a benchmark's checks are written as before the field existed (task files stay unchanged).
    lines = [
        json.dumps(
            t.model_dump(mode="json", exclude=None if t.checks else {"checks"}), sort_keys=True, ensure_ascii=False
        )
        for t in tasks
    ]
    text = "\n".join(lines) + ("\n" if lines else "")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()


def task_file_hash(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def task_file(domain: str, name: str) -> Path:
    """The packaged task file of an environment (``name`` = env_id) or of a domain (``name`` = 'domain')."""
    root = resources.files("envfactory_gym.domains").joinpath(domain, "tasks", f"{name}.jsonl")
    return Path(str(root))


@functools.lru_cache(maxsize=256)
def _load_packaged(domain: str, name: str) -> tuple[Task, ...]:
    path = task_file(domain, name)
    return tuple(read_tasks(path)) if path.exists() else ()


def environment_task_file(env_id: str, suffix: str = "") -> Path | None:
    """The packaged task file of an environment: ``domains/<domain>/tasks/<env_id><suffix>.jsonl`` for a suite
    environment, the definition's ``tasks_file`` (with the suffix before ``.jsonl``) for a registered one."""
    from envfactory_gym import registry

    domain = registry.implemented().get(env_id)
    if domain is not None:
        return task_file(domain, env_id + suffix)
    path = registry.load_definition(env_id).tasks_file
    if path is None:
        return None
    return path.with_name(path.stem + suffix + path.suffix)


@functools.lru_cache(maxsize=64)
def _load_file(path: str, modified_ns: int) -> tuple[Task, ...]:
    return tuple(read_tasks(path))


def load_environment_tasks(env_id: str, split: str | None = None, suffix: str = "") -> list[Task]:
    """The packaged tasks of one environment, suite or registered (none when it has no task file yet)."""
    from envfactory_gym import registry

    domain = registry.implemented().get(env_id)
    if domain is not None:
        return load_tasks(domain, env_id + suffix, split)
    path = environment_task_file(env_id, suffix)
    if path is None or not path.exists():
        return []
    # Keyed on the modification time: a task file rewritten by synth is read again.
    tasks = _load_file(str(path), path.stat().st_mtime_ns)
    return [t for t in tasks if split is None or t.split == split]


def load_tasks(domain: str, name: str, split: str | None = None) -> list[Task]:
    """Packaged tasks of an environment or domain, optionally one split only."""
    tasks = _load_packaged(domain, name)
    return [t for t in tasks if split is None or t.split == split]


def clear_task_cache() -> None:
    _load_packaged.cache_clear()
    _load_file.cache_clear()
