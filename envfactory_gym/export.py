"""Training data from tasks: oracle trajectories for SFT and prompt rows for RL.

* :func:`sft_records` plays every task with the gold-replaying oracle through the gym env (the same action
  interface a model uses) and keeps the successful episodes as chat transcripts: ``messages`` (system, user,
  assistant turns with OpenAI-style ``tool_calls``, ``tool`` results, the final answer) plus ``tools``, the
  episode's tool schemas. This is the conversational format TRL's ``SFTTrainer`` tokenizes with the model's chat
  template, and assistant-only loss trains on the assistant turns alone.
* :func:`rl_records` writes one prompt row per task: the opening ``prompt`` messages, the ``task_id`` and the
  ``environment`` key that routes the row to its environment (``envfactory_gym.integrations.trl``, verl).

Both keep nested values that vary in shape from row to row as JSON text (tool-call ``arguments``, ``tools``),
because Arrow unifies struct fields across rows and would otherwise add every other row's keys as nulls.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from envfactory_gym import registry
from envfactory_gym.env import ToolUseEnv, system_prompt
from envfactory_gym.tasks import Task, load_tasks, read_tasks

if TYPE_CHECKING:
    from datasets import Dataset

log = logging.getLogger(__name__)

ENVIRONMENT_KEY_SEPARATOR = "+"
DATASET_SUFFIXES = {".jsonl": "json", ".json": "json", ".parquet": "parquet"}


def environment_key(env_ids: Sequence[str]) -> str:
    """The name of the tool set an episode exposes: its environments, sorted, joined by '+'."""
    return ENVIRONMENT_KEY_SEPARATOR.join(sorted(env_ids))


def environment_ids(key: str) -> list[str]:
    return key.split(ENVIRONMENT_KEY_SEPARATOR)


def select_tasks(
    name: str | None = None,
    *,
    split: str | None = "train",
    tasks_file: str | Path | None = None,
    limit: int | None = None,
) -> list[Task]:
    """Tasks of an environment or domain (``name``), or of a task file, optionally one split and the first ``limit``.

    A domain gives its cross-environment tasks and every single-environment task of its environments.
    """
    if tasks_file is not None:
        path = Path(tasks_file)
        if not path.is_file():
            raise FileNotFoundError(f"Task file {path} does not exist.")
        tasks = read_tasks(path)
        if name is not None:
            tasks = [t for t in tasks if name in t.env_ids or t.domain == name]
    elif name is not None:
        domain, env_ids = registry.resolve(name)
        tasks = []
        if domain is not None:
            tasks.extend(load_tasks(domain, "domain"))
        for env_id in env_ids:
            env_domain = registry.implemented().get(env_id)
            if env_domain is not None:
                tasks.extend(load_tasks(env_domain, env_id))
    else:
        raise ValueError("Name an environment or domain, or give a task file.")
    if split is not None:
        tasks = [t for t in tasks if t.split == split]
    if limit is not None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}.")
        tasks = tasks[:limit]
    return tasks


def _episode_env(task: Task, max_steps: int) -> ToolUseEnv:
    # Tools carry an environment prefix only when the episode has several environments, as in the gym env.
    return ToolUseEnv(env_ids=task.env_ids, tasks=[], max_steps=max_steps, prefix_tools=False)


def _clean_message(message: dict[str, Any]) -> dict[str, Any]:
    """One chat message in the exported shape: string content, tool-call arguments as JSON text."""
    cleaned: dict[str, Any] = {"role": message["role"], "content": message.get("content") or ""}
    if message.get("tool_calls"):
        cleaned["tool_calls"] = [
            {
                "id": call.get("id", ""),
                "type": "function",
                "function": {
                    "name": call["function"]["name"],
                    "arguments": call["function"]["arguments"]
                    if isinstance(call["function"]["arguments"], str)
                    else json.dumps(call["function"]["arguments"]),
                },
            }
            for call in message["tool_calls"]
        ]
    if message["role"] == "tool":
        cleaned["tool_call_id"] = message.get("tool_call_id", "")
        cleaned["name"] = message.get("name", "")
    return cleaned


@dataclass
class ExportReport:
    """What an export kept and what it skipped (an oracle episode that fails marks a broken task)."""

    written: int = 0
    skipped: list[str] = field(default_factory=list)


ToolSchemas = Literal["engine", "trl", "compact"]
TOOL_SCHEMAS: tuple[str, ...] = get_args(ToolSchemas)


def sft_records(
    tasks: Iterable[Task],
    *,
    tool_schemas: ToolSchemas = "engine",
    max_steps: int = 64,
    report: ExportReport | None = None,
) -> list[dict[str, Any]]:
    """Oracle trajectories of ``tasks`` as SFT rows; episodes the oracle does not solve are skipped.

    ``tool_schemas`` chooses the ``tools`` column: ``engine`` — the schemas every agent sees from the gym env
    (``info["tools"]``, MCP, evaluation); ``trl`` — the schemas TRL renders for the GRPO environment adapter,
    so that a model trained by SFT then GRPO sees exactly the same prompt in both stages; ``compact`` — TRL's
    schemas in compact form (``environment_factories(..., compact_tools=True)``), for small models.
    """
    from envfactory_gym.agents.baselines import OracleAgent
    from envfactory_gym.rollout import play_episode

    if tool_schemas not in TOOL_SCHEMAS:
        raise ValueError(f"tool_schemas must be one of {', '.join(TOOL_SCHEMAS)}, got {tool_schemas!r}.")
    report = report if report is not None else ExportReport()
    records = []
    for task in tasks:
        env = _episode_env(task, max_steps)
        try:
            result = play_episode(env, OracleAgent(style="openai"), options={"task": task})
        finally:
            env.close()
        if not result.success:
            log.warning("oracle failed task %s (reward %.2f); not exported", task.task_id, result.reward)
            report.skipped.append(task.task_id)
            continue
        records.append(
            {
                "messages": [_clean_message(m) for m in result.messages],
                "tools": json.dumps(
                    result.tools
                    if tool_schemas == "engine"
                    else _trl_schemas(environment_key(task.env_ids), compact=tool_schemas == "compact")
                ),
                "task_id": task.task_id,
                "environment": environment_key(task.env_ids),
                "env_ids": list(task.env_ids),
                "split": task.split,
            }
        )
    report.written = len(records)
    return records


def _trl_schemas(key: str, compact: bool) -> list[dict[str, Any]]:
    from envfactory_gym.integrations.trl import trl_tool_schemas

    return trl_tool_schemas(key, compact)


def prompt_messages(task: Task) -> list[dict[str, str]]:
    """The opening of a task's episode: the system prompt of its environments and the user's request."""
    definitions = [registry.load_definition(env_id) for env_id in task.env_ids]
    return [{"role": "system", "content": system_prompt(definitions)}, {"role": "user", "content": task.query}]


def rl_records(tasks: Iterable[Task]) -> list[dict[str, Any]]:
    """One prompt row per task, routed to its environment by ``environment`` and to its task by ``task_id``."""
    return [
        {
            "prompt": prompt_messages(task),
            "task_id": task.task_id,
            "environment": environment_key(task.env_ids),
            "env_ids": list(task.env_ids),
            "split": task.split,
            "goal": task.goal,
        }
        for task in tasks
    ]


def to_dataset(records: Sequence[dict[str, Any]]) -> Dataset:
    from datasets import Dataset

    if not records:
        raise ValueError("Nothing to export: no task produced a record.")
    return Dataset.from_list(list(records))


def dataset_kind(output: str | Path) -> str:
    """``json``, ``parquet`` or ``folder`` (no suffix: datasets' ``save_to_disk``); any other suffix is an error."""
    path = Path(output)
    kind = DATASET_SUFFIXES.get(path.suffix)
    if kind is None and path.suffix and not path.is_dir():
        raise ValueError(
            f"{path}: unsupported output format {path.suffix!r}; use .jsonl, .json, .parquet, "
            "or a folder name without a suffix (datasets' save_to_disk)."
        )
    if kind is None and path.exists() and not path.is_dir():
        raise FileExistsError(f"{path} exists and is not a dataset folder; use .jsonl, .json or .parquet.")
    return kind or "folder"


def write_dataset(records: Sequence[dict[str, Any]], output: str | Path) -> Path:
    """Write records as JSON Lines (``.jsonl``/``.json``), Parquet (``.parquet``) or a ``save_to_disk`` folder."""
    kind = dataset_kind(output)
    dataset = to_dataset(records)
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "json":
        dataset.to_json(str(path), lines=True, force_ascii=False)
    elif kind == "parquet":
        dataset.to_parquet(str(path))
    else:
        dataset.save_to_disk(str(path))
    return path


def load_dataset_file(path: str | Path) -> Dataset:
    """Load what :func:`write_dataset` wrote."""
    from datasets import Dataset, load_dataset, load_from_disk

    source = Path(path)
    if not source.exists():
        raise FileNotFoundError(f"Dataset {source} does not exist; create it with 'envfactory export'.")
    kind = DATASET_SUFFIXES.get(source.suffix)
    if kind is None:
        loaded = load_from_disk(str(source))
        if not isinstance(loaded, Dataset):
            raise ValueError(f"{source} holds a DatasetDict; point to one split's folder.")
        return loaded
    return load_dataset(kind, data_files=str(source), split="train")
