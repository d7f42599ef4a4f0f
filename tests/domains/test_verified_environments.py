"""Every implemented environment, and every domain with cross-service tasks, passes `envfactory verify`
with enough tasks of the right mix. New environments join these checks by existing."""

from __future__ import annotations

import pytest

from envfactory_gym import registry
from envfactory_gym.database import build_snapshot, get_snapshot
from envfactory_gym.synthesis.pipeline import load_synthesis_hints
from envfactory_gym.tasks import load_tasks
from envfactory_gym.testing import EpisodeHarness, random_calls_stay_contained, samplers_make_calls_that_succeed
from envfactory_gym.verify import CHECKS, check_conversational, packaged_conversational_tasks, verify

TRAVEL = registry.domain_envs("travel")
ENVS = sorted(registry.implemented())
# Domains whose cross-service task file is written (a domain still being built plays its environments' tasks).
DOMAINS = [d for d in registry.domains() if registry.domain_envs(d) and load_tasks(d, "domain")]


def test_all_eleven_travel_environments_exist() -> None:
    assert sorted(TRAVEL) == sorted(e.env_id for e in registry.catalog().values() if e.domain == "travel")
    assert len(TRAVEL) == 11


@pytest.mark.parametrize("name", [*ENVS, *DOMAINS])
def test_verify_passes(name: str) -> None:
    # The conversational check runs once per packaged file, in test_conversational_tasks_need_the_user.
    report = verify(name, only=[check for check in CHECKS if check != "conversational"])
    assert report.passed, [(c.name, c.detail) for c in report.checks if not c.passed]


@pytest.mark.parametrize("env_id", ENVS)
def test_every_tool_has_intents_and_the_service_has_writes(env_id: str) -> None:
    """Intents (their placeholders are checked when a tool is defined) feed task synthesis; every service
    keeps state a user can change, informational ones included (saved places, alerts, orders)."""
    definition = registry.load_definition(env_id)
    assert all(1 <= len(spec.intents) <= 3 for spec in definition.tools.values())
    assert len(definition.write_tools) >= 4


@pytest.mark.parametrize("env_id", ENVS)
def test_seed_is_deterministic_and_compact(env_id: str) -> None:
    """Same seed, same state (a rebuild equals the cached snapshot); another seed, another state; under
    the authoring guide's 1.5 MB."""
    definition = registry.load_definition(env_id)
    cached = get_snapshot(definition, 0)
    assert build_snapshot(definition, 0).content_hash == cached.content_hash
    assert build_snapshot(definition, 1).content_hash != cached.content_hash
    assert cached.size_bytes < 1_500_000


@pytest.mark.parametrize("env_id", ENVS)
def test_random_calls_stay_contained(env_id: str) -> None:
    random_calls_stay_contained(EpisodeHarness(registry.load_definition(env_id)))


@pytest.mark.parametrize("env_id", ENVS)
def test_argument_samplers_propose_calls_that_succeed(env_id: str) -> None:
    definition = registry.load_definition(env_id)
    assert samplers_make_calls_that_succeed(definition) == sorted(definition.argument_samplers)


@pytest.mark.parametrize("env_id", ENVS)
def test_tools_with_samplers_are_used_by_packaged_tasks(env_id: str) -> None:
    """The argument samplers exist for tools with structured arguments: every such tool is in some story's
    gold solution, so those arguments are exercised by the packaged tasks too."""
    definition = registry.load_definition(env_id)
    load_synthesis_hints(env_id)
    used = {c.tool for t in load_tasks(definition.domain, env_id) for c in t.gold_calls}
    assert set(definition.argument_samplers) - used == set()


@pytest.mark.parametrize("env_id", ENVS)
def test_environment_has_enough_tasks_with_a_healthy_mix(env_id: str) -> None:
    tasks = load_tasks(registry.implemented()[env_id], env_id)
    assert len(tasks) >= 100
    reads = sum(task.goal == "read" for task in tasks)
    assert 0.25 * len(tasks) <= reads <= 0.5 * len(tasks)
    assert sum(len(task.gold_calls) >= 3 for task in tasks) >= 0.3 * len(tasks)


@pytest.mark.parametrize("domain", DOMAINS)
def test_domain_tasks_span_environments(domain: str) -> None:
    tasks = load_tasks(domain, "domain")
    assert len(tasks) >= 240
    assert sum(len(t.env_ids) >= 2 for t in tasks) >= 0.6 * len(tasks)
    assert {e for t in tasks for e in t.env_ids} == set(registry.domain_envs(domain))
    # Episodes of the domain env expose only the task's environments' tools, prefixed.
    from envfactory_gym.env import ToolUseEnv

    env = ToolUseEnv(domain=domain)
    task = next(t for t in tasks if len(t.env_ids) >= 2)
    _, info = env.reset(options={"task": task})
    names = {t["function"]["name"] for t in info["tools"]}
    assert {n.split("__")[0] for n in names} == set(task.env_ids)
    assert all("__" in n for n in names)


# Environments and domains with packaged conversational tasks: variants hiding a detail only the simulated
# user knows, and dual-control tasks where only the user can make some of the gold calls (telecom's phone).
CONVERSATIONAL = [
    name
    for name, domain in [*registry.implemented().items(), *((d, d) for d in DOMAINS)]
    if load_tasks(domain, ("domain" if name == domain else name) + "_conversational")
]


@pytest.mark.parametrize("name", CONVERSATIONAL)
def test_conversational_tasks_need_the_user(name: str) -> None:
    """verify's conversational check: the asking oracle (which asks for hidden details and tells the user to
    make the user's own calls) solves every task through the conversational gym env; the same oracle never
    asking the user solves none; an environment's builders still make its dual-control tasks as packaged."""
    passed, detail = check_conversational(name, packaged_conversational_tasks(name))
    assert passed and "never asking 0/" in detail, detail
