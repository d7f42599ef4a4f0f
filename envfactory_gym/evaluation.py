"""The evaluation runner: play every (task, trial) of a task set with an agent, concurrently and resumably.

Episodes run as asyncio tasks on one event loop, at most ``concurrency`` at a time: each worker owns an
agent (built from the spec, so per-episode agent state never leaks between concurrent episodes) and
awaits ``agent.aact`` for every turn. Environment code (reset, step, scoring: tens to hundreds of
microseconds a call, see ``benchmarks/bench_eval.py``) runs directly on the loop, which keeps the
runner single-threaded and every episode's database private to it.

Each finished episode is appended to the output JSONL as one :class:`~envfactory_gym.results.EpisodeRecord`
and flushed at once. A run that is killed resumes from its file: finished (task_id, trial) pairs are
skipped, a torn last line is dropped. A summary with the metrics is written beside the records. A run
holds a lock on its output file: a second run on the same file is refused instead of duplicating records.
An episode that cannot be played or recorded is reported as failed; it never stops the run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from pydantic import ValidationError
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from envfactory_gym import __version__, registry
from envfactory_gym.agents.base import Agent, make_agent, parse_spec
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.metrics import run_metrics
from envfactory_gym.results import (
    EpisodeRecord,
    RunSummary,
    redact_spec,
    summary_path,
    task_hash,
    tasks_hash,
)
from envfactory_gym.tasks import Task, load_tasks, read_tasks, task_file, task_file_hash
from envfactory_gym.text import valid_text

MODEL_OPTIONS = ("model", "model_name", "path")


class EvaluationError(ValueError):
    """Bad input to the runner (unknown environment, no tasks, an output file from another run)."""


# -- task selection ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvalTask:
    """A task and how to open its environment (the same way ``gym.make`` would for its source)."""

    task: Task
    env_kwargs: dict[str, Any]
    task_hash: str


@dataclass
class TaskSet:
    tasks: list[EvalTask]
    environments: list[str]
    task_files: dict[str, str] = field(default_factory=dict)

    @property
    def hash(self) -> str:
        return tasks_hash([t.task_hash for t in self.tasks])


def _packaged(
    domain: str, name: str, split: str, limit: int | None, env_kwargs: dict[str, Any], files: dict, conversational: bool
) -> list:
    # Conversational runs play the conversational variants (a detail only the user knows) where packaged.
    if conversational and load_tasks(domain, name + "_conversational", split):
        name += "_conversational"
    tasks = load_tasks(domain, name, split)[:limit]
    path = task_file(domain, name)
    if tasks and path.exists():
        files[f"{domain}/tasks/{name}.jsonl"] = task_file_hash(path)
    return [EvalTask(t, env_kwargs, task_hash(t)) for t in tasks]


def select_tasks(
    envs: Sequence[str] | None = None,
    domain: str | None = None,
    split: str = "test",
    *,
    tasks_path: str | Path | None = None,
    tasks: Sequence[Task] | None = None,
    limit: int | None = None,
    task_ids: Sequence[str] | None = None,
    conversational: bool = False,
) -> TaskSet:
    """The tasks to evaluate.

    ``envs`` names environments (their own tasks) or domains; ``domain`` is one domain; a domain means
    every environment of it plus its cross-environment tasks. With neither, every implemented
    environment and domain. ``tasks_path`` (a task JSONL file) or ``tasks`` replace the packaged tasks.
    ``limit`` keeps the first N tasks of each environment (and of each domain's cross-environment set).
    ``task_ids`` keeps only those tasks (each must be in the selection). ``conversational`` picks the
    packaged conversational variants where they exist.
    """
    task_set = _select(envs, domain, split, tasks_path, tasks, limit, conversational)
    if task_ids is None:
        return task_set
    wanted = list(dict.fromkeys(task_ids))
    by_id = {item.task.task_id: item for item in task_set.tasks}
    unknown = [task_id for task_id in wanted if task_id not in by_id]
    if unknown:
        raise EvaluationError(
            f"Unknown task id(s) for the {split!r} split of {', '.join(task_set.environments)}: "
            f"{', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''} "
            f"(see: envfactory tasks sample NAME --split {split})."
        )
    kept = [by_id[task_id] for task_id in wanted]
    environments = [e for e in task_set.environments if any(_in_source(item, e) for item in kept)]
    return _checked(TaskSet(kept, environments or task_set.environments, task_set.task_files), split)


def _in_source(item: EvalTask, name: str) -> bool:
    return name in item.task.env_ids or name == item.task.domain


def _select(
    envs: Sequence[str] | None,
    domain: str | None,
    split: str,
    tasks_path: str | Path | None,
    tasks: Sequence[Task] | None,
    limit: int | None,
    conversational: bool,
) -> TaskSet:
    if limit is not None and limit < 1:
        raise EvaluationError("--limit must be at least 1.")
    if tasks_path is not None or tasks is not None:
        if tasks_path is not None:
            try:
                custom = read_tasks(tasks_path)
            except (OSError, ValidationError, ValueError) as exc:
                raise EvaluationError(f"Could not read tasks from {tasks_path}: {exc}") from None
        else:
            custom = list(tasks or [])
        by_env: dict[str, list[Task]] = {}
        for task in custom:
            if task.split == split:
                by_env.setdefault("+".join(task.env_ids), []).append(task)
        # An empty custom task list: the env plays the task it is handed in reset(options={"task": ...}); a
        # task imported from a benchmark plays in the fidelity mode its expected state was computed in.
        selected = [
            EvalTask(t, {"env_ids": list(t.env_ids), "tasks": [], **_fidelity_kwargs(t)}, task_hash(t))
            for group in by_env.values()
            for t in group[:limit]
        ]
        files = {Path(tasks_path).name: task_file_hash(tasks_path)} if tasks_path is not None else {}
        return _checked(TaskSet(selected, sorted(by_env), files), split)
    if envs and domain:
        raise EvaluationError("Give --envs or --domain, not both.")
    explicit = list(envs) if envs else ([domain] if domain else [])
    sources: list[tuple[str, list[str], str | None]] = []  # (name, environments, domain of cross-env tasks)
    if explicit:
        for name in explicit:
            try:
                domain_name, env_ids = registry.resolve(name)
            except KeyError as exc:
                raise EvaluationError(str(exc.args[0])) from None
            sources.append((name, env_ids, domain_name))
    else:
        sources = [(env_id, [env_id], None) for env_id in registry.implemented()]
        sources += [(d, [], d) for d in registry.domains() if registry.domain_envs(d)]
    selected = []
    files: dict[str, str] = {}
    environments: list[str] = []
    seen: set[str] = set()  # environments and domains already added (``--envs airline,travel`` adds each once)
    for name, env_ids, domain_name in sources:
        found = []
        for env_id in env_ids:
            env_domain = registry.implemented().get(env_id)
            if env_domain is None:
                raise EvaluationError(f"{env_id!r} has no packaged tasks (it is not a suite environment).")
            if env_id not in seen:
                seen.add(env_id)
                found += _packaged(env_domain, env_id, split, limit, {"env_ids": [env_id]}, files, conversational)
        if domain_name is not None and f"domain:{domain_name}" not in seen:
            seen.add(f"domain:{domain_name}")
            found += _packaged(domain_name, "domain", split, limit, {"domain": domain_name}, files, conversational)
        if not found and explicit:
            raise EvaluationError(f"{name!r} has no {split!r} tasks: synthesize tasks first (envfactory synth).")
        if found:
            environments.append(name)
            selected += found
    return _checked(TaskSet(selected, environments, files), split)


def _fidelity_kwargs(task: Task) -> dict[str, Any]:
    return {"fidelity": task.checks.fidelity} if task.checks is not None and task.checks.fidelity else {}


def _checked(task_set: TaskSet, split: str) -> TaskSet:
    if not task_set.tasks:
        where = ", ".join(task_set.environments) or "the selection"
        raise EvaluationError(f"No {split!r} tasks for {where}: synthesize tasks first (envfactory synth).")
    seen: set[str] = set()
    for item in task_set.tasks:
        if item.task.task_id in seen:
            raise EvaluationError(f"Task id {item.task.task_id!r} appears twice in the selection.")
        seen.add(item.task.task_id)
    return task_set


# -- the results file --------------------------------------------------------------------------------------


def read_records(path: str | Path) -> tuple[list[EpisodeRecord], int]:
    """The complete records of a results file, and the byte length of its complete lines.

    A last line without its newline is a write torn by a kill: it is not a record. Any other line that
    is not a valid record means the file is not a results file, which is an error.
    """
    path = Path(path)
    if not path.exists():
        return [], 0
    data = path.read_bytes()
    complete = data.rfind(b"\n") + 1
    records = []
    for number, line in enumerate(data[:complete].splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(EpisodeRecord.model_validate_json(line))
        except ValidationError as exc:
            raise EvaluationError(f"{path}:{number} is not an episode record: {exc.errors()[0]['msg']}") from None
    return records, complete


def _check_resumable(records: Sequence[EpisodeRecord], agent: str, task_set: TaskSet, path: Path) -> None:
    hashes = {t.task.task_id: t.task_hash for t in task_set.tasks}
    for record in records:
        if record.agent != agent:
            raise EvaluationError(
                f"{path} holds results of agent {record.agent!r}, not {agent!r}: choose another --output."
            )
        expected = hashes.get(record.task_id)
        if expected is not None and record.task_hash != expected:
            raise EvaluationError(
                f"{path} holds results for a different version of task {record.task_id!r} "
                "(the tasks changed since): choose another --output."
            )


# -- playing episodes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvalConfig:
    agent: str
    split: str = "test"
    trials: int = 1
    concurrency: int = 1
    max_steps: int = 30
    seed: int = 0
    label: str | None = None
    progress: bool = True
    user_simulator: str | None = None  # conversational evaluation: "rule" or "llm:base_url=...,model=..."


@dataclass
class EpisodeFailure:
    task_id: str
    trial: int
    error: str


@dataclass
class RunOutcome:
    summary: RunSummary
    records: list[EpisodeRecord]  # every record of the task set, resumed ones included
    played: list[EpisodeRecord]  # the episodes played by this invocation
    failures: list[EpisodeFailure]
    skipped: int


def default_label(spec: str) -> str:
    kind, options = parse_spec(spec)
    for key in MODEL_OPTIONS:
        if options.get(key):
            return options[key]
    return kind


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


async def play_episode_async(
    agent: Agent, env: ToolUseEnv, item: EvalTask, trial: int, *, seed: int, spec: str
) -> EpisodeRecord:
    """Play one episode; the agent's turns are awaited, environment code runs on the loop."""
    seconds_env = seconds_agent = 0.0
    usage: dict[str, int] = {}
    tick = time.perf_counter()
    try:
        _, info = env.reset(seed=seed, options={"task": item.task})
        tools = info["tools"]
        tock = time.perf_counter()
        seconds_env += tock - tick
        agent.start(env.task, tools, seed)
        seconds_agent += time.perf_counter() - tock
        messages = info["messages"]
        reward, terminated, truncated, steps = 0.0, False, False, 0
        while not (terminated or truncated):
            tick = time.perf_counter()
            action = await agent.aact(messages)
            for key, value in (agent.usage or {}).items():
                if isinstance(value, int) and not isinstance(value, bool):
                    usage[key] = usage.get(key, 0) + value
            tock = time.perf_counter()
            _, reward, terminated, truncated, info = env.step(action)
            seconds_agent += tock - tick
            seconds_env += time.perf_counter() - tock
            messages = info["messages"]
            steps += 1
        return EpisodeRecord(
            agent=spec,
            task_id=item.task.task_id,
            trial=trial,
            seed=seed,
            split=item.task.split,
            domain=item.task.domain,
            env_ids=list(item.task.env_ids),
            task_hash=item.task_hash,
            reward=float(reward),
            success=bool(info.get("success", False)),
            terminated=terminated,
            truncated=truncated,
            steps=steps,
            reward_breakdown=info.get("reward_breakdown", {}),
            errors=info.get("errors", {}),
            state_hash=info.get("state_hash", ""),
            seconds_env=seconds_env,
            seconds_agent=seconds_agent,
            prompt_tokens=usage.get("prompt_tokens"),
            completion_tokens=usage.get("completion_tokens"),
            usage=usage,
            messages=messages,
            tools=tools,
            finished_at=_now(),
        )
    finally:
        env.close()  # frees the episode's databases; the env object is reused for the worker's next episode


async def _close_agent(agent: Agent) -> None:
    closer = getattr(agent, "aclose", None)
    if closer is not None:
        await closer()
    else:
        agent.close()


async def evaluate_async(
    task_set: TaskSet,
    config: EvalConfig,
    output: str | Path,
    agent_factory: Callable[[], Agent] | None = None,
) -> RunOutcome:
    """Run (or resume) an evaluation; see the module docstring. Returns the summary and the records."""
    if config.trials < 1:
        raise EvaluationError("--trials must be at least 1.")
    if config.concurrency < 1:
        raise EvaluationError("--concurrency must be at least 1.")
    output = Path(output)
    if output.suffix != ".jsonl":
        raise EvaluationError(f"--output must be a .jsonl file, got {output}.")
    output.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path(output))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise EvaluationError(
            f"Another envfactory eval is writing {output} (it holds the lock {lock.lock_file}): wait for it to "
            "finish, or choose another --output."
        ) from None
    try:
        return await _evaluate_locked(task_set, config, output, agent_factory)
    finally:
        lock.release()


def lock_path(output: Path) -> Path:
    """The lock a run holds on its results file, so that two runs never write the same file at once.

    An OS-level lock (``filelock``): the kernel drops it when the process dies, even by SIGKILL. Its file
    lives in the temporary directory, named by the output's resolved path (any spelling of the same file
    gets the same lock), so results directories hold only results.
    """
    digest = hashlib.sha256(str(output.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    user = f"-{os.getuid()}" if hasattr(os, "getuid") else ""
    directory = Path(tempfile.gettempdir()) / f"envfactory-eval-locks{user}"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory / f"{output.name[:64]}-{digest}.lock"


async def _evaluate_locked(
    task_set: TaskSet, config: EvalConfig, output: Path, agent_factory: Callable[[], Agent] | None
) -> RunOutcome:
    spec = redact_spec(config.agent)
    existing, complete_bytes = read_records(output)
    _check_resumable(existing, spec, task_set, output)
    done = {(r.task_id, r.trial) for r in existing}
    pending = [
        (item, trial)
        for trial in range(config.trials)
        for item in task_set.tasks
        if (item.task.task_id, trial) not in done
    ]
    factory = agent_factory or (lambda: make_agent(config.agent))
    agents = [factory() for _ in range(min(config.concurrency, len(pending)))]
    if agents:
        try:
            await agents[0].preflight()  # one request: a dead endpoint stops the run here, not per episode
        except BaseException:
            for agent in agents:
                await _close_agent(agent)
            raise

    if output.exists() and output.stat().st_size != complete_bytes:
        with output.open("r+b") as handle:  # drop the torn last line of a killed run
            handle.truncate(complete_bytes)
    queue: asyncio.Queue[tuple[EvalTask, int]] = asyncio.Queue()
    for entry in pending:
        queue.put_nowait(entry)
    new_records: list[EpisodeRecord] = []
    failures: list[EpisodeFailure] = []
    started = time.perf_counter()
    label = config.label or default_label(config.agent)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("success {task.fields[success]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        disable=not config.progress,
    )

    with output.open("a", encoding="utf-8") as handle, progress:
        bar = progress.add_task(label, total=len(pending), success="-")

        async def worker(agent: Agent) -> None:
            envs: dict[str, ToolUseEnv] = {}  # one per task source, reused: building an env costs ~0.4 ms
            while not queue.empty():
                item, trial = queue.get_nowait()
                source = json.dumps(item.env_kwargs, sort_keys=True)
                if source not in envs:
                    envs[source] = ToolUseEnv(
                        **item.env_kwargs,
                        split=config.split,
                        max_steps=config.max_steps,
                        conversational=config.user_simulator is not None,
                        user_simulator=config.user_simulator,
                    )
                try:
                    record = await play_episode_async(
                        agent, envs[source], item, trial, seed=config.seed + trial, spec=spec
                    )
                    line = record.model_dump_json() + "\n"  # serialised whole before anything is written
                except Exception as exc:  # noqa: BLE001 - one episode (agent transport, recording) never stops the run
                    # The episode is not scored (it says nothing about the model) and a resumed run retries it.
                    detail = valid_text("".join(traceback.format_exception_only(exc)).strip())
                    failures.append(EpisodeFailure(item.task.task_id, trial, detail[:2000]))
                else:
                    handle.write(line)
                    handle.flush()
                    new_records.append(record)
                successes = sum(r.success for r in new_records)
                progress.update(bar, advance=1, success=f"{successes}/{len(new_records)}")

        try:
            await asyncio.gather(*(worker(agent) for agent in agents))
        finally:
            for agent in agents:
                await _close_agent(agent)

    wall = time.perf_counter() - started
    summary, records = _summarise(task_set, config, spec, label, output, existing + new_records, failures, wall)
    path = summary_path(output)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return RunOutcome(summary, records, new_records, failures, skipped=len(done))


def _summarise(
    task_set: TaskSet,
    config: EvalConfig,
    spec: str,
    label: str,
    output: Path,
    all_records: list[EpisodeRecord],
    failures: list[EpisodeFailure],
    wall: float,
) -> tuple[RunSummary, list[EpisodeRecord]]:
    wanted = {t.task.task_id for t in task_set.tasks}
    unique: dict[tuple[str, int], EpisodeRecord] = {}
    for record in all_records:
        if record.task_id in wanted and record.trial < config.trials:
            unique.setdefault((record.task_id, record.trial), record)
    records = sorted(unique.values(), key=lambda r: (r.task_id, r.trial))
    expected = len(task_set.tasks) * config.trials
    summary = RunSummary(
        label=label,
        agent=spec,
        split=config.split,
        trials=config.trials,
        environments=task_set.environments,
        tasks=len(task_set.tasks),
        tasks_hash=task_set.hash,
        task_files=task_set.task_files,
        episodes_expected=expected,
        episodes_completed=len(records),
        episodes_failed=len(failures),
        complete=len(records) == expected,
        wall_seconds=wall,  # of the last invocation; the seconds below sum over every record
        seconds_env=sum(r.seconds_env for r in records),
        seconds_agent=sum(r.seconds_agent for r in records),
        concurrency=config.concurrency,
        max_steps=config.max_steps,
        user_simulator=redact_spec(config.user_simulator) if config.user_simulator else None,
        results_file=output.name,
        envfactory_version=__version__,
        created_at=_now(),
        metrics=run_metrics(records),
    )
    return summary, records


def evaluate(
    task_set: TaskSet,
    config: EvalConfig,
    output: str | Path,
    agent_factory: Callable[[], Agent] | None = None,
) -> RunOutcome:
    """Synchronous :func:`evaluate_async` (runs its own event loop)."""
    return asyncio.run(evaluate_async(task_set, config, output, agent_factory))


def load_summary(path: str | Path) -> RunSummary:
    return RunSummary.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
