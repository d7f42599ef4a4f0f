"""From an environment (or domain) and a seed to a file of verified tasks.

For each task: pick goals (coverage-driven, so every tool is exercised), sample and execute a grounded
chain, render the request, re-execute the gold calls on a fresh episode to get the gold change set (and
to prove the chain replays), then keep the task only if it is new, leaks nothing and — for write goals —
changes the state. Splits are fixed by a hash of the task id (20 % test). Same seed, same file.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from envfactory_gym import registry
from envfactory_gym.authoring import ToolSpec
from envfactory_gym.database import get_snapshot
from envfactory_gym.gold import GoldExecutionError, open_runtime, with_gold_changes
from envfactory_gym.rubric import _normalise_text, fact_found
from envfactory_gym.synthesis.graph import build_graph
from envfactory_gym.synthesis.knowledge import StateIndex
from envfactory_gym.synthesis.render import read_question, render_query
from envfactory_gym.synthesis.sampler import MAX_CHAIN, Chain, ChainSampler, SamplingFailed, _scalar_leaves
from envfactory_gym.tasks import GoldCall, Task

TEST_FRACTION_PERCENT = 20
FORCED_GOAL_TRIES = 20  # attempts at a never-used tool before coverage gives up on it
YES_NO = frozenset({"yes", "no"})


@dataclass
class SynthesisConfig:
    n: int = 150
    seed: int = 0
    data_seed: int | None = None
    read_rate: float = 0.45
    compound_rate: float = 0.6
    read_compound_rate: float = 0.8
    multi_env_rate: float = 0.65
    max_calls: int = MAX_CHAIN
    max_attempts_per_task: int = 60


@dataclass
class SynthesisReport:
    tasks: list[Task]
    attempts: int
    failures: Counter[str]
    tool_usage: Counter[str]


def synthesis_record(seed: int, n: int) -> dict[str, int]:
    """What a task file records about how it was made, so `envfactory verify` can remake it exactly."""
    return {"synth_seed": seed, "synth_n": n}


def split_for(task_id: str) -> str:
    bucket = int(hashlib.sha256(task_id.encode()).hexdigest(), 16) % 100
    return "test" if bucket < TEST_FRACTION_PERCENT else "train"


def synthesize(
    name: str,
    config: SynthesisConfig | None = None,
    *,
    refiner: Any = None,
    progress: Callable[[int], None] | None = None,
) -> SynthesisReport:
    """Synthesize ``config.n`` tasks for an environment or a domain (deterministic for ``config.seed``).

    Environments with stories (``<env_id>/stories.py``) are synthesized scenario-first from them; the
    graph sampler below serves environments without stories (custom ones, new skeletons).
    """
    config = config or SynthesisConfig()
    from envfactory_gym.synthesis.stories import has_stories

    if has_stories(name):
        return _from_stories(name, config, progress)
    domain, env_ids = registry.resolve(name)
    definitions = {e: registry.load_definition(e) for e in env_ids}
    for env_id in env_ids:
        load_synthesis_hints(env_id)
    data_seeds = {e: definitions[e].default_seed if config.data_seed is None else config.data_seed for e in env_ids}
    indexes = {e: StateIndex(definitions[e], get_snapshot(definitions[e], data_seeds[e])) for e in env_ids}
    graph = build_graph(definitions.values())
    specs: dict[tuple[str, str], ToolSpec] = {(e, t): s for e, d in definitions.items() for t, s in d.tools.items()}
    rng = random.Random(f"synth:{name}:{config.seed}")
    usage: Counter[str] = Counter()
    goal_usage: Counter[str] = Counter()
    goal_failures: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    tasks: list[Task] = []
    seen: set[str] = set()
    attempts = 0
    budget = config.n * config.max_attempts_per_task
    # Tool coverage first: terminal tools (hand-offs) are goals only, never steps of longer chains.
    while len(tasks) < config.n and attempts < budget:
        attempts += 1
        task_envs = _choose_envs(env_ids, domain is not None, config, rng)
        # The last tasks go to tools no task has used yet, so coverage is complete whenever it is possible.
        unused = [
            (e, t)
            for e in env_ids
            for t, spec in definitions[e].tools.items()
            if spec.coverage and usage[f"{e}.{t}"] == 0 and goal_failures[f"{e}.{t}"] < FORCED_GOAL_TRIES
        ]
        forced = unused[0] if unused and config.n - len(tasks) <= len(unused) else None
        if forced is not None:
            task_envs = [forced[0]]
        if domain is not None and rng.random() < 0.8:
            # Coverage across the domain: lead with the environment whose least-used tool is least used.
            def neglect(env_id: str) -> float:
                tools = [t for t, s in definitions[env_id].tools.items() if s.coverage]
                return min(goal_usage[f"{env_id}.{t}"] + 0.5 * goal_failures[f"{env_id}.{t}"] for t in tools)

            lead = min(sorted(env_ids), key=neglect)
            if forced is None:
                task_envs = [lead, *[e for e in task_envs if e != lead]][: len(task_envs)]
        read_only = rng.random() < config.read_rate
        if forced is not None:
            read_only = definitions[forced[0]].tools[forced[1]].kind == "read"
        # Someone with questions often has several; someone with a change to make, sometimes.
        compound = config.read_compound_rate if read_only else config.compound_rate
        if len(task_envs) == 1 and rng.random() < compound:
            goal_count = 3 if rng.random() < 0.4 else 2  # a customer with several requests
        else:
            goal_count = len(task_envs)
        # Read-only tasks ask only questions; write tasks may end with a question about the result.
        kinds = (
            ["read"] * goal_count
            if read_only
            else (["write"] * (goal_count - 1) + ["read" if goal_count > 1 and rng.random() < 0.3 else "write"])
        )
        task_id = f"{name}-{config.seed}-{len(tasks):04d}"
        picked: list[str] = []
        runtime = open_runtime(task_envs, data_seeds[task_envs[0]], None, task_id, prefix=True)
        try:
            sampler = ChainSampler([definitions[e] for e in task_envs], indexes, graph, runtime, rng)
            chain = Chain()
            context: dict[str, Any] = {}
            goal_envs = [task_envs[i % len(task_envs)] for i in range(goal_count)]
            for position, env_id in enumerate(goal_envs):
                is_read = kinds[position] == "read"
                taken = {g.tool for g in chain.goals if g.env_id == env_id}
                if forced is not None and position == 0:
                    tool = forced[1]
                else:
                    tool = _choose_goal(
                        definitions[env_id].tools, env_id, is_read, goal_usage, rng, taken, goal_failures
                    )
                picked.append(f"{env_id}.{tool}")
                state_before = runtime.state_hash()
                goal = sampler.add_goal(chain, env_id, tool, context, budget=config.max_calls)
                if len(chain.steps) > config.max_calls:
                    raise SamplingFailed("chain too long")
                spec = specs[(env_id, tool)]
                # A write must change the state; comparing content, not row counts (a second write to a row
                # an earlier goal changed is a change too).
                if spec.is_write and runtime.state_hash() == state_before and not spec.terminal:
                    raise SamplingFailed(f"{tool} changed nothing")
                for key, value in _scalar_leaves(goal.arguments):
                    context.setdefault(key, value)
                if spec.kind == "read":
                    facts, question = read_question(goal.output, chain, rng, indexes[env_id].is_user_known)
                    if set(facts) & YES_NO and set(chain.facts) & YES_NO:
                        raise SamplingFailed("one yes/no question per request")
                    chain.facts.extend(facts)
                    chain.questions[len(chain.goals) - 1] = question
                if spec.terminal:
                    break
            query = render_query(chain, specs, rng)
            if refiner is not None:
                query = refiner.refine(query, chain) or query
            # yes/no facts are exempt: their question says "yes or no" (the rubric rejects an answer saying both).
            if any(fact_found(fact, _normalise_text(query)) for fact in chain.facts if fact not in YES_NO):
                raise SamplingFailed("a required fact is stated in the request")
        except SamplingFailed as exc:
            failures[re.sub(r"'[^']*'|\S+=\S+", "…", str(exc))[:70]] += 1
            # Goals that keep failing yield their turn (coverage must not starve the other tools).
            for goal_name in picked:
                goal_failures[goal_name] += 1
            continue
        finally:
            runtime.close()
        task = _to_task(task_id, domain or definitions[task_envs[0]].domain, chain, query, data_seeds[task_envs[0]])
        signature = repr([(c.env_id, c.tool, sorted(c.arguments.items(), key=str)) for c in task.gold_calls])
        if signature in seen:
            failures["duplicate"] += 1
            continue
        try:
            task = with_gold_changes(task)
        except GoldExecutionError:
            failures["gold replay failed"] += 1
            continue
        if task.goal == "write" and not task.gold_changes and not _has_terminal(task, specs):
            failures["no change on replay"] += 1
            continue
        seen.add(signature)
        for goal in chain.goals:
            goal_usage[f"{goal.env_id}.{goal.tool}"] += 1
        for step in chain.steps:
            usage[f"{step.env_id}.{step.tool}"] += 1
        tasks.append(task)
        if progress is not None:
            progress(len(tasks))
    return SynthesisReport(tasks, attempts, failures, usage)


def _from_stories(name: str, config: SynthesisConfig, progress: Callable[[int], None] | None) -> SynthesisReport:
    from envfactory_gym.synthesis.lint import lint_task, vocabulary
    from envfactory_gym.synthesis.stories import synthesize_stories

    vocabularies: dict[tuple[str, ...], Any] = {}

    def lint(task: Task) -> list[str]:
        key = tuple(task.env_ids)
        if key not in vocabularies:
            vocabularies[key] = vocabulary(key)
        return lint_task(task, vocabularies[key])

    report = synthesize_stories(name, config.n, config.seed, progress=progress, check=lint)
    usage: Counter[str] = Counter(f"{c.env_id}.{c.tool}" for t in report.tasks for c in t.gold_calls)
    return SynthesisReport(report.tasks, report.attempts, report.failures, usage)


def load_synthesis_hints(env_id: str) -> None:
    """Import ``domains/<domain>/<env_id>/synthesis.py`` if it exists: argument samplers for the
    environment's structured tools live there, beside (not inside) the module that reads like the API."""
    domain = registry.implemented().get(env_id)
    if domain is None:
        return
    module = f"envfactory_gym.domains.{domain}.{env_id}.synthesis"
    if importlib.util.find_spec(module) is not None:
        importlib.import_module(module)


def _has_terminal(task: Task, specs: dict[tuple[str, str], ToolSpec]) -> bool:
    return any(specs[(c.env_id, c.tool)].terminal for c in task.gold_calls)


def _choose_envs(env_ids: list[str], is_domain: bool, config: SynthesisConfig, rng: random.Random) -> list[str]:
    if not is_domain or len(env_ids) == 1 or rng.random() >= config.multi_env_rate:
        return [rng.choice(env_ids)]
    k = 3 if (len(env_ids) >= 3 and rng.random() < 0.25) else 2
    return rng.sample(env_ids, k)


def _choose_goal(
    tools: dict[str, ToolSpec],
    env_id: str,
    read: bool,
    usage: Counter[str],
    rng: random.Random,
    taken: set[str],
    failures: Counter[str] | None = None,
) -> str:
    kind = "read" if read else "write"
    eligible = {t: s for t, s in tools.items() if s.coverage and t not in taken}
    pool = [t for t, s in eligible.items() if s.kind == kind] or list(eligible)
    if not pool:
        raise SamplingFailed("no goal left for a compound task")
    failures = failures or Counter()

    def weight(tool: str) -> float:
        # Coverage first, but every failed attempt counts as half a use.
        return usage[f"{env_id}.{tool}"] + 0.5 * failures[f"{env_id}.{tool}"]

    least = min(weight(t) for t in pool)
    # Mostly the least-used goals (coverage), sometimes any (variety).
    candidates = [t for t in pool if weight(t) == least] if rng.random() < 0.7 else pool
    return rng.choice(sorted(candidates))


def _to_task(task_id: str, domain: str, chain: Chain, query: str, seed: int) -> Task:
    return Task(
        task_id=task_id,
        domain=domain,
        env_ids=chain.env_ids,
        split=split_for(task_id),  # type: ignore[arg-type]
        goal="read" if chain.facts and not _writes(chain) else "write",
        query=query,
        seed=seed,
        gold_calls=[GoldCall(env_id=s.env_id, tool=s.tool, arguments=s.arguments) for s in chain.steps],
        required_facts=chain.facts,
        metadata={
            "goals": [f"{g.env_id}.{g.tool}" for g in chain.goals],
            "num_calls": len(chain.steps),
            "generator": "envfactory.synthesis/1",
        },
    )


def _writes(chain: Chain) -> bool:
    return any(registry.load_definition(g.env_id).tools[g.tool].is_write for g in chain.goals)
