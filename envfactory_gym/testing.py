"""Helpers for testing environments: open an episode of one environment and call its tools directly."""

from __future__ import annotations

import json
import random
from functools import cache
from typing import Any

from envfactory_gym.authoring import EnvironmentDefinition
from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.runtime import ErrorKind, ToolResult, ToolRuntime
from envfactory_gym.tasks import Task, load_tasks


class EpisodeHarness:
    """``h = EpisodeHarness(definition); h.ok("get_user_details", user_id=...)`` → the decoded result."""

    def __init__(
        self, definition: EnvironmentDefinition, seed: int | None = None, scenario: dict[str, Any] | None = None
    ) -> None:
        self.database = EpisodeDatabase(get_snapshot(definition, seed, scenario))
        self.runtime = ToolRuntime([self.database])

    # Positional-only tool names: a tool may have a parameter called ``name``.
    def call(self, tool: str, /, **arguments: Any) -> ToolResult:
        return self.runtime.call(tool, arguments)

    def ok(self, tool: str, /, **arguments: Any) -> Any:
        result = self.call(tool, **arguments)
        assert result.ok, f"{tool}({arguments}) failed: {result.content}"
        try:
            return json.loads(result.content)
        except json.JSONDecodeError:
            return result.content

    def error(self, tool: str, /, **arguments: Any) -> str:
        """Call a tool that must be refused; asserts the state did not change and returns the message."""
        before = self.database.state_hash()
        result = self.call(tool, **arguments)
        assert not result.ok, f"{tool}({arguments}) should have failed but returned {result.content[:300]}"
        assert self.database.state_hash() == before, f"{tool} failed but changed the state"
        return result.content

    def rows(self, sql: str, /, *params: Any) -> list[dict[str, Any]]:
        """Rows of the episode's current state for a read-only query, as dicts."""
        cursor = self.database.raw.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self.runtime.close()


@cache
def _seeded_harness(env_id: str) -> EpisodeHarness:
    from envfactory_gym import registry  # the registry imports the environments, which import this module

    return EpisodeHarness(registry.load_definition(env_id))


def seeded_rows(env_id: str, sql: str, /, *params: Any) -> list[dict[str, Any]]:
    """Rows of an environment's seeded state for a read-only query (one episode per environment, reused: for
    tests that only read the seed, such as the links a domain's cross-service stories join by)."""
    return _seeded_harness(env_id).rows(sql, *params)


@cache
def _domain_tasks(domain: str) -> tuple[Task, ...]:
    return tuple(load_tasks(domain, "domain"))


def story_tasks(domain: str, story: str) -> list[Task]:
    """The domain's packaged tasks told by one story, named without its environments ('buy_where_it_is_cheaper')."""
    return [t for t in _domain_tasks(domain) if t.metadata.get("story", "").split(".")[-1] == story]


def oracle_and_noop_rewards(task: Task) -> tuple[float, float]:
    """The rewards of the gold-replaying oracle and of the no-op agent on one task, through the gym env."""
    from envfactory_gym.agents import NoOpAgent, OracleAgent
    from envfactory_gym.env import ToolUseEnv
    from envfactory_gym.rollout import play_episode

    env = ToolUseEnv(task.env_ids, tasks=[task])
    try:
        oracle = play_episode(env, OracleAgent(), options={"task": task}).reward
        noop = play_episode(env, NoOpAgent(), options={"task": task}).reward
    finally:
        env.close()
    return oracle, noop


ODD_VALUES: tuple[Any, ...] = (None, -1, 0, "", "x" * 60, 10**9, 1e308, "2024-13-45", "lat,lng")


def random_calls_stay_contained(harness: EpisodeHarness, calls: int = 400, seed: int = 7) -> None:
    """Schema-shaped calls with seeded values and odd edge values: every one is an answer or a refusal,
    never an internal error, and SQLite's integrity check stays clean."""
    rng = random.Random(seed)
    snapshot = harness.database.snapshot
    seen = [v for t in snapshot.tables for r in harness.database.rows(t)[:20] for v in r.values() if isinstance(v, str)]

    def value(schema: dict[str, Any]) -> Any:
        if rng.random() < 0.1:
            return rng.choice(ODD_VALUES)
        if "enum" in schema:
            return rng.choice(schema["enum"])
        if "anyOf" in schema:
            return value(rng.choice([s for s in schema["anyOf"] if s.get("type") != "null"] or [{}]))
        kind = schema.get("type")
        if kind == "array":
            return [value(schema.get("items", {})) for _ in range(rng.randint(0, 3))]
        if kind == "object":
            return {k: value(v) for k, v in schema.get("properties", {}).items()}
        generators = {
            "integer": lambda: rng.choice([rng.randint(0, 30), rng.randint(2018, 2025), rng.randint(1, 90_000)]),
            "number": lambda: rng.uniform(-130, 130),
            "boolean": lambda: rng.random() < 0.5,
        }
        return generators.get(kind, lambda: rng.choice(seen) if seen else "x")()

    specs = list(snapshot.definition.tools.values())
    for _ in range(calls):
        spec = rng.choice(specs)
        arguments = {name: value(s) for name, s in spec.parameters["properties"].items() if rng.random() < 0.8}
        result = harness.call(spec.name, **arguments)
        assert result.error != ErrorKind.INTERNAL, (spec.name, arguments, result.content)
    assert harness.database.integrity_ok()


def samplers_make_calls_that_succeed(definition: Any, seeds: int = 4) -> list[str]:
    """Every synthesis argument sampler of an environment proposes calls that succeed on a fresh episode
    (prerequisites first), and writes that change the state. Returns the tools checked."""
    from envfactory_gym.synthesis.pipeline import load_synthesis_hints

    load_synthesis_hints(definition.env_id)
    checked = []
    for tool, sampler in sorted(definition.argument_samplers.items()):
        proposed = 0
        for seed in range(seeds):
            harness = EpisodeHarness(definition)
            arguments = sampler(harness.runtime.bindings[tool].context, random.Random(seed))
            if arguments is None:
                harness.close()
                continue
            proposed += 1
            arguments = dict(arguments)
            for prerequisite in arguments.pop("__prerequisites__", []):
                harness.ok(prerequisite["tool"], **prerequisite.get("arguments", {}))
            before = harness.database.state_hash()
            harness.ok(tool, **arguments)
            if definition.tools[tool].is_write:
                assert harness.database.state_hash() != before, f"{tool}({arguments}) changed nothing"
            harness.close()
        assert proposed, f"the sampler for {tool} proposed nothing on a fresh episode"
        checked.append(tool)
    return checked
