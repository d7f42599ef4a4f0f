"""``envfactory verify``: everything "verified" means (DESIGN.md), for one environment or a domain.

Checks, each a row of the report:

* **schemas** — every tool schema is valid JSON Schema, in OpenAI function format, with a valid name;
* **check_env** — Gymnasium's env checker passes;
* **determinism** — the seeded state hashes identically in a fresh process, and re-synthesizing the task
  file's first tasks with its recorded seed reproduces them exactly;
* **tasks** — the environment has tasks and every tool is exercised by some task's gold solution;
* **oracle** — the gold-replaying oracle scores 1.0 on every task;
* **probes** — no-op, random, dump and spray agents succeed on at most 2 % of tasks; the format probe (the
  gold solution with facts restated in other natural formats) and the helpful probe (full sentences with
  the identifying context) succeed wherever the oracle does;
* **conversational** — where conversational tasks are packaged (``<name>_conversational.jsonl``): the
  conversational oracle, asking the user for each hidden detail and telling them to make each of their own
  calls (dual control), solves every one through the conversational gym env; the same oracle that never
  asks the user solves none; the tasks an environment's builders make are in the file as they are now;
  and the requests pass the lint below;
* **lint** — no packaged request has a raw field path, unit suffix, doubled label, reference dump, tool
  name, unmarked mixed identity, or stored-format timestamp, date or coordinates the person does not hold;
* **fuzz** — thousands of fuzzed actions (hypothesis) never raise, never change state unless a write call
  succeeded, never produce an internal error, and leave SQLite's integrity check clean;
* **isolation** — two live episodes never see each other's writes.
"""

from __future__ import annotations

import json
import os
import string
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envfactory_gym import registry
from envfactory_gym.agents import make_agent
from envfactory_gym.authoring import TOOL_NAME_PATTERN
from envfactory_gym.database import build_snapshot
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.rollout import play_episode
from envfactory_gym.runtime import ErrorKind
from envfactory_gym.tasks import Task

PROBE_MAX_SUCCESS = 0.02
DEFAULT_FUZZ_ACTIONS = 2000


@dataclass
class CheckResult:
    name: str
    passed: bool
    detail: str
    seconds: float = 0.0


@dataclass
class VerifyReport:
    target: str
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


def _timed(name: str, check: Callable[[], tuple[bool, str]]) -> CheckResult:
    started = time.perf_counter()
    try:
        passed, detail = check()
    except Exception as exc:  # noqa: BLE001 - a crashing check is a failed check, reported with its reason
        passed, detail = False, f"{type(exc).__name__}: {exc}"
    return CheckResult(name, passed, detail, time.perf_counter() - started)


def make_env(
    name: str, tasks: Sequence[Task] | None = None, max_steps: int = 30, conversational: bool = False
) -> ToolUseEnv:
    domain, env_ids = registry.resolve(name)
    if domain is not None:
        return ToolUseEnv(domain=domain, tasks=tasks, max_steps=max_steps, conversational=conversational)
    return ToolUseEnv(env_ids, tasks=tasks, max_steps=max_steps, conversational=conversational)


def all_tasks(name: str) -> list[Task]:
    env = make_env(name)
    return env.task_pool("train") + env.task_pool("test")


# -- checks -------------------------------------------------------------------------------------------------
def check_schemas(env_ids: Sequence[str]) -> tuple[bool, str]:
    count = 0
    for env_id in env_ids:
        for spec in registry.load_definition(env_id).tools.values():
            schema = spec.openai_schema()
            jsonschema.Draft202012Validator.check_schema(schema["function"]["parameters"])
            if schema["type"] != "function" or not TOOL_NAME_PATTERN.match(schema["function"]["name"]):
                return False, f"{env_id}.{spec.name}: not a valid OpenAI function schema"
            if schema["function"]["parameters"].get("type") != "object" or not schema["function"]["description"]:
                return False, f"{env_id}.{spec.name}: parameters must be an object schema with a description"
            count += 1
    return True, f"{count} tool schemas valid"


def check_gym(name: str) -> tuple[bool, str]:
    from gymnasium.utils.env_checker import check_env

    env = make_env(name)
    check_env(env, skip_render_check=True)
    env.close()
    return True, "gymnasium check_env passed"


def check_determinism(env_ids: Sequence[str], name: str, tasks: Sequence[Task]) -> tuple[bool, str]:
    for env_id in env_ids:
        definition = registry.load_definition(env_id)
        here = build_snapshot(definition, definition.default_seed).content_hash
        # The fresh process imports the module that defines the environment (suite or custom).
        module = definition.seed_function.__module__ if definition.seed_function else ""
        code = (
            f"import importlib; from envfactory_gym.authoring import EnvironmentDefinition; "
            f"from envfactory_gym.database import build_snapshot; m = importlib.import_module({module!r}); "
            f"d = next(v for v in vars(m).values() "
            f"if isinstance(v, EnvironmentDefinition) and v.env_id == {env_id!r}); "
            f"print(build_snapshot(d, d.default_seed).content_hash)"
        )
        # The child sees this process's import path: a project's package is importable wherever verify runs.
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        there = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment
        ).stdout.strip()
        if here != there:
            return False, f"{env_id}: state hash differs across processes"
    recorded = [t for t in tasks if "synth_seed" in t.metadata and "synth_n" in t.metadata]
    if not recorded:
        return True, "state deterministic across processes (no synthesized tasks to replay)"
    from envfactory_gym.synthesis.pipeline import SynthesisConfig, synthesis_record, synthesize

    seed, n = recorded[0].metadata["synth_seed"], recorded[0].metadata["synth_n"]
    # The whole file is remade: coverage makes the last tasks depend on how many there are.
    again = synthesize(name, SynthesisConfig(n=n, seed=seed)).tasks
    remade = {t.task_id: t.model_copy(update={"metadata": {**t.metadata, **synthesis_record(seed, n)}}) for t in again}
    mismatched = [t.task_id for t in recorded if remade.get(t.task_id) != t]
    if mismatched:
        return False, f"re-synthesis differs for {mismatched[:5]}"
    return True, f"state and all {len(recorded)} tasks reproduce exactly"


def check_tasks(env_ids: Sequence[str], tasks: Sequence[Task]) -> tuple[bool, str]:
    if not tasks:
        return False, "no tasks"
    used = {(c.env_id, c.tool) for t in tasks for c in t.gold_calls}
    specs = [(e, spec) for e in env_ids for spec in registry.load_definition(e).tools.values()]
    missing = [f"{e}.{s.name}" for e, s in specs if s.coverage and (e, s.name) not in used]
    if missing:
        return False, f"tools never used by a task: {', '.join(missing)}"
    exempt = [f"{e}.{s.name}" for e, s in specs if not s.coverage and (e, s.name) not in used]
    reads = sum(t.goal == "read" for t in tasks)
    long = sum(len(t.gold_calls) >= 3 for t in tasks)
    note = f" (declared uncheckable: {', '.join(exempt)})" if exempt else ""
    return True, f"{len(tasks)} tasks, {reads} read-only, {long} with ≥3 calls, every tool used{note}"


def packaged_conversational_tasks(name: str) -> list[Task]:
    """The packaged conversational tasks of an environment or domain (both splits; none when not packaged)."""
    from envfactory_gym.tasks import load_environment_tasks, load_tasks

    domain, env_ids = registry.resolve(name)
    if domain is not None:
        return load_tasks(domain, "domain_conversational")
    return [t for env_id in env_ids for t in load_environment_tasks(env_id, None, "_conversational")]


def run_agent(name: str, tasks: Sequence[Task], spec: str, conversational: bool = False) -> tuple[int, int, list[str]]:
    """(successes, episodes, task ids that failed) for an agent over the tasks."""
    env = make_env(name, tasks=tasks, conversational=conversational)
    successes, failed = 0, []
    for task in tasks:
        agent = make_agent(spec)
        result = play_episode(env, agent, seed=0, options={"task": task})
        internal = result.errors.get(ErrorKind.INTERNAL, 0)
        if internal:
            raise RuntimeError(f"{spec} hit {internal} internal error(s) on {task.task_id}: a tool has a bug")
        if result.success:
            successes += 1
        else:
            failed.append(task.task_id)
    env.close()
    return successes, len(tasks), failed


def check_oracle(name: str, tasks: Sequence[Task]) -> tuple[bool, str]:
    successes, total, failed = run_agent(name, tasks, "oracle")
    if successes != total:
        return False, f"oracle solved {successes}/{total}; failed: {', '.join(failed[:5])}"
    return True, f"oracle 100% ({total}/{total})"


ADVERSARIAL_PROBES = ("noop", "random:seed=0", "dump:seed=0", "spray")
# Agents that solve the task and only answer differently: they must pass wherever the oracle does.
FAITHFUL_PROBES = ("format", "helpful")


def check_probes(name: str, tasks: Sequence[Task]) -> tuple[bool, str]:
    if not tasks:
        return False, "no tasks to probe"
    parts, passed = [], True
    for spec in ADVERSARIAL_PROBES:
        successes, total, _ = run_agent(name, tasks, spec)
        rate = successes / total if total else 0.0
        parts.append(f"{spec.split(':')[0]} {rate:.1%}")
        passed &= rate <= PROBE_MAX_SUCCESS
    for spec in FAITHFUL_PROBES:
        successes, total, failed = run_agent(name, tasks, spec)
        parts.append(f"{spec} {successes / total:.1%}" + (f" (failed: {', '.join(failed[:3])})" if failed else ""))
        passed &= successes == total
    return passed, ", ".join(parts)


def check_conversational(name: str, tasks: Sequence[Task]) -> tuple[bool, str]:
    """The asking oracle solves every conversational task, the never-asking one none, and the environments'
    builders (dual control) still make the tasks the file holds."""
    from envfactory_gym.conversational_tasks import built_conversational_tasks
    from envfactory_gym.synthesis.lint import lint_report

    if not tasks:
        return True, "no conversational tasks packaged"
    domain, env_ids = registry.resolve(name)
    packaged = {t.task_id: t for t in tasks}
    built = built_conversational_tasks(env_ids) if domain is None else []
    stale = [t.task_id for t in built if packaged.get(t.task_id) != t]
    asking, total, failed = run_agent(name, tasks, "conversational-oracle", conversational=True)
    never, _, _ = run_agent(name, tasks, "conversational-oracle:ask=false", conversational=True)
    lint = lint_report(tasks)
    user_acts = sum(any(c.tool in t.user.user_tools for c in t.gold_calls) for t in tasks)
    detail = (
        f"{total} tasks ({user_acts} where the user acts): asking oracle {asking}/{total}, never asking {never}/{total}"
    )
    if failed:
        detail += f"; the asking oracle failed {', '.join(failed[:3])}"
    if lint.hard_flags:
        detail += "; lint: " + " | ".join(lint.examples.values())[:300]
    if stale:
        detail += f"; the builders now make other tasks for {', '.join(stale[:3])} (run synth --conversational)"
    return asking == total and never == 0 and not stale and not lint.hard_flags, detail


def check_lint(tasks: Sequence[Task]) -> tuple[bool, str]:
    from envfactory_gym.synthesis.lint import lint_report

    if not tasks:
        return False, "no tasks to lint"
    report = lint_report(tasks)
    detail = report.summary()
    if report.hard_flags:
        detail += "; e.g. " + " | ".join(report.examples.values())[:300]
    return report.hard_flags == 0, detail


def _fuzz_value(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    junk = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True),
        st.text(max_size=30),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    )
    kind = schema.get("type")
    if "enum" in schema:
        typed: st.SearchStrategy[Any] = st.sampled_from(schema["enum"])
    elif kind == "string":
        typed = st.one_of(
            st.text(max_size=40),
            st.text(string.ascii_uppercase + string.digits, min_size=2, max_size=8),
            st.just("x" * 9000),
        )
    elif kind == "integer":
        typed = st.one_of(st.integers(-5, 20), st.integers())
    elif kind == "number":
        typed = st.floats(allow_nan=True, allow_infinity=True)
    elif kind == "array":
        typed = st.lists(_fuzz_value(schema.get("items", {})), max_size=3)
    elif kind == "object":
        typed = st.fixed_dictionaries({k: _fuzz_value(v) for k, v in schema.get("properties", {}).items()})
    else:
        typed = junk
    return st.one_of(typed, typed, typed, junk)


def _action_strategy(tools: list[dict[str, Any]]) -> st.SearchStrategy[Any]:
    calls = []
    for tool in tools:
        function = tool["function"]
        properties = function["parameters"].get("properties", {})
        arguments = st.fixed_dictionaries(
            {}, optional={k: _fuzz_value(v) for k, v in properties.items()} | {"unexpected": st.integers()}
        )
        calls.append(st.builds(lambda n, a: {"name": n, "arguments": a}, st.just(function["name"]), arguments))
    call = st.one_of(*calls) if calls else st.nothing()
    hermes = st.lists(call, min_size=1, max_size=3).map(
        lambda cs: "".join(f"<tool_call>{json.dumps(c, default=str)}</tool_call>" for c in cs)
    )
    openai = st.lists(call, min_size=1, max_size=3).map(
        lambda cs: {
            "role": "assistant",
            "tool_calls": [
                {
                    "id": f"f{i}",
                    "type": "function",
                    "function": {"name": c["name"], "arguments": json.dumps(c["arguments"], default=str)},
                }
                for i, c in enumerate(cs)
            ],
        }
    )
    broken = st.one_of(
        st.text(max_size=200).map(lambda t: f"<tool_call>{t}</tool_call>"),
        st.text(max_size=100).map(lambda t: '{"name": "' + t),
        st.builds(lambda n: f'<tool_call>{{"name": "{n}", "arguments": {{}}}}</tool_call>', st.text(max_size=70)),
        st.one_of(st.integers(), st.none(), st.lists(st.integers(), max_size=2)),
    )
    return st.one_of(hermes, hermes, hermes, openai, broken)


def check_fuzz(name: str, tasks: Sequence[Task], actions: int) -> tuple[bool, str]:
    env = make_env(name, tasks=list(tasks) or None, max_steps=40)
    _, info = env.reset(seed=0)
    strategy = _action_strategy(info["tools"])
    stats = {"actions": 0, "errors": 0, "writes": 0, "episodes": 1}
    problems: list[str] = []

    @settings(
        max_examples=actions, database=None, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.data())
    def fuzz(data: st.DataObject) -> None:
        if env.runtime is None or env._done:
            env.reset(seed=stats["episodes"])
            stats["episodes"] += 1
        action = data.draw(strategy)
        before = env.state_hash()
        _, _, terminated, truncated, step_info = env.step(action)
        stats["actions"] += 1
        results = step_info["tool_results"]
        stats["errors"] += sum(not r["ok"] for r in results)
        if any(r["error"] == ErrorKind.INTERNAL for r in results):
            problems.append(f"internal error on {str(action)[:120]}")
        wrote = any(
            r["ok"] and env.runtime is not None and (spec := env.runtime.spec(r["name"])) is not None and spec.is_write
            for r in results
        )
        stats["writes"] += wrote
        if not wrote and not (terminated or truncated) and env.state_hash() != before:
            problems.append(f"state changed without a successful write: {str(action)[:120]}")

    fuzz()
    integrity = all(db.integrity_ok() for db in env.runtime.databases.values()) if env.runtime else True
    env.close()
    if problems or not integrity:
        return False, (problems[:1] or ["integrity check failed"])[0]
    return True, (
        f"{stats['actions']} actions over {stats['episodes']} episodes: {stats['errors']} error observations, "
        f"{stats['writes']} successful writes, integrity ok"
    )


def check_isolation(name: str, tasks: Sequence[Task]) -> tuple[bool, str]:
    writers = [t for t in tasks if t.gold_changes]
    if not writers:
        return True, "no write tasks to check"
    task = writers[0]
    first, second = make_env(name, tasks=[task]), make_env(name, tasks=[task])
    first.reset(options={"task": task})
    second.reset(options={"task": task})
    untouched = second.state_hash()
    play_episode(first, make_agent("oracle"), options={"task": task})
    if second.state_hash() != untouched or first.state_hash() == untouched:
        return False, "a write in one episode was visible in another"
    third = make_env(name, tasks=[task])
    third.reset(options={"task": task})
    if third.state_hash() != untouched:
        return False, "a new episode did not start from the initial state"
    return True, "episodes isolated; new episodes start clean"


CHECKS = (
    "schemas",
    "check_env",
    "determinism",
    "tasks",
    "oracle",
    "lint",
    "probes",
    "conversational",
    "fuzz",
    "isolation",
)


def check_names(names: Sequence[str]) -> list[str]:
    """The checks named (in the report's order); a name that is no check is a ValueError listing them."""
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise ValueError(f"Unknown check(s) {', '.join(map(repr, unknown))}; the checks are: {', '.join(CHECKS)}.")
    if not names:
        raise ValueError(f"Name at least one check; the checks are: {', '.join(CHECKS)}.")
    return [c for c in CHECKS if c in names]


def verify(
    name: str,
    *,
    fuzz_actions: int = DEFAULT_FUZZ_ACTIONS,
    probes: bool = True,
    tasks: Sequence[Task] | None = None,
    progress: Callable[[str], None] | None = None,
    only: Sequence[str] | None = None,
) -> VerifyReport:
    """Run every check for an environment or domain (on its packaged tasks unless ``tasks`` is given).

    ``only`` runs the named checks alone (see :data:`CHECKS`); ``progress``, when given, is called with each
    check's name just before that check runs.
    """
    wanted = check_names(only) if only is not None else list(CHECKS)
    _, env_ids = registry.resolve(name)
    tasks = list(tasks) if tasks is not None else all_tasks(name)
    report = VerifyReport(name)
    checks: list[tuple[str, Callable[[], tuple[bool, str]]]] = [
        ("schemas", lambda: check_schemas(env_ids)),
        ("check_env", lambda: check_gym(name)),
        ("determinism", lambda: check_determinism(env_ids, name, tasks)),
        ("tasks", lambda: check_tasks(env_ids, tasks)),
        ("oracle", lambda: check_oracle(name, tasks)),
        ("lint", lambda: check_lint(tasks)),
    ]
    if probes:
        checks.append(("probes", lambda: check_probes(name, tasks)))
    checks.append(("conversational", lambda: check_conversational(name, packaged_conversational_tasks(name))))
    checks.append(("fuzz", lambda: check_fuzz(name, tasks, fuzz_actions)))
    checks.append(("isolation", lambda: check_isolation(name, tasks)))
    for check_name, check in checks:
        if check_name not in wanted:
            continue
        if progress is not None:
            progress(check_name)
        report.checks.append(_timed(check_name, check))
    return report
