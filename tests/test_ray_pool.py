"""The Ray rollout pool on a local Ray cluster (one per module, 2 CPUs): episodes, back-pressure, an actor killed
mid-episode, placement, and verl's agent loop playing its episodes on the pool."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import ray

from envfactory_gym.agents.base import make_agent
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.export import select_tasks
from envfactory_gym.integrations.ray import EnvPool, EpisodeHost, play_episodes
from envfactory_gym.integrations.verl import verl_records
from envfactory_gym.rollout import play_episode
from envfactory_gym.tasks import Task, write_tasks
from tests.fixtures.counter import counter_task
from tests.test_verl_integration import (  # noqa: F401 - stock_model and tokenizer are fixtures
    RIGHT,
    ScriptedModel,
    generate,
    loop_config,
    stock_model,
    tokenizer,
)

pytestmark = pytest.mark.xdist_group("ray")  # one local cluster: all of this module on one xdist worker


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def tasks() -> list[Task]:
    return select_tasks("airline", split="test")[:6]


@pytest.fixture(scope="module")
def pool(cluster: None) -> Iterator[EnvPool]:
    pool = EnvPool(num_actors=2, episodes_per_actor=2, num_cpus=0.5, placement_group="SPREAD").start()
    try:
        yield pool
    finally:
        pool.shutdown()


def in_process(task: Task, agent: str) -> Any:
    return play_episode(
        ToolUseEnv(env_ids=task.env_ids, tasks=[], prefix_tools=False), make_agent(agent), options={"task": task}
    )


def test_episodes_on_the_pool_match_the_in_process_runner(pool: EnvPool, tasks: list[Task]) -> None:
    # Twelve agents on four slots: the pool holds at most its capacity open, the others wait their turn.
    peak = 0

    class Watching:
        def __init__(self) -> None:
            self.agent = make_agent("oracle")

        def start(self, *args: Any) -> None:
            nonlocal peak
            peak = max(peak, pool.open_episodes)
            self.agent.start(*args)

        async def aact(self, messages: list[dict[str, Any]]) -> Any:
            return await self.agent.aact(messages)

    results = asyncio.run(play_episodes(pool, Watching, tasks * 2, concurrency=12))
    assert [r["task_id"] for r in results] == [t.task_id for t in tasks * 2]
    assert all(r["reward"] == 1.0 for r in results)
    assert 1 <= peak <= pool.capacity == 4 and pool.open_episodes == 0
    reference = {t.task_id: in_process(t, "oracle").state_hash for t in tasks}
    assert all(r["state_hash"] == reference[r["task_id"]] for r in results)  # the same episodes, step for step
    noop = asyncio.run(play_episodes(pool, lambda: make_agent("noop"), tasks, concurrency=3))
    assert [r["reward"] for r in noop] == [0.0] * len(tasks)


def test_an_actor_killed_mid_episode_loses_and_duplicates_nothing(pool: EnvPool, tasks: list[Task]) -> None:
    task = next(t for t in tasks if len(t.gold_calls) >= 2)
    expected = in_process(task, "oracle")

    async def play() -> tuple[float, str, int, list[dict[str, Any]]]:
        agent = make_agent("oracle")
        async with pool.episode(task) as episode:
            agent.start(task, episode.info["tools"], None)
            info, reward, steps = episode.info, 0.0, 0
            while not episode.done:
                action = await agent.aact(info["messages"])
                if steps == 1:  # after one acknowledged write or read: the actor dies and Ray restarts it
                    ray.kill(pool.actors[episode.actor], no_restart=False)
                _, reward, _, _, info = await episode.step(action)
                steps += 1
            return reward, info["state_hash"], episode.recoveries, info["messages"]

    reward, state_hash, recoveries, messages = asyncio.run(play())
    assert recoveries == 1 and reward == 1.0
    # Same final state and transcript as an undisturbed episode: no step lost, none applied twice.
    assert state_hash == expected.state_hash and messages == expected.messages
    assert {d["pid"] for d in pool.describe()}  # both actors answer again


def test_actors_are_placed_by_the_placement_group(pool: EnvPool) -> None:
    from ray.util.placement_group import placement_group_table

    table = placement_group_table(pool.placement_group)
    assert table["strategy"] == "SPREAD" and len(table["bundles"]) == pool.num_actors
    nodes = {d["node_id"] for d in pool.describe()}
    assert nodes <= {n["NodeID"] for n in ray.nodes() if n["Alive"]}
    with pytest.raises(ValueError, match="placement_group"):
        EnvPool(placement_group="EVERYWHERE")


def test_a_host_is_usable_without_ray(tasks: list[Task]) -> None:
    host = EpisodeHost(capacity=1)
    observation, info = host.reset("e1", tasks[0].model_dump(mode="json"))
    assert observation == tasks[0].query and info["tools"]
    with pytest.raises(RuntimeError, match="already holds"):
        host.reset("e2", tasks[0].model_dump(mode="json"))
    host.close("e1")
    assert host.warm([tasks[0].model_dump(mode="json")]) == 1  # builds the snapshot, keeps no episode
    assert host.describe()["episodes"] == 0


def test_verls_agent_loop_plays_its_episodes_on_the_pool(
    cluster: None,
    stock_model: Path,  # noqa: F811
    tokenizer: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    tasks_file = tmp_path / "tasks.jsonl"
    write_tasks(tasks_file, [counter_task()])
    # The actor registers the test environment itself (it is not part of the installed suite).
    options = {"num_actors": 1, "num_cpus": 0.5, "name": "verl-test-pool", "setup": ["tests.fixtures.counter:env"]}
    config = loop_config(stock_model, tmp_path, tasks_file=str(tasks_file), env_pool=options)
    output = generate(config, ScriptedModel(tokenizer, [RIGHT]), verl_records([counter_task()]))
    assert output.batch["rm_scores"].sum(-1).tolist() == [1.0]
    pool = EnvPool(**{**options, "max_steps": 30}).start()  # attaches to the named actor the loop created
    try:
        (actor,) = pool.describe()
        assert actor["episodes"] == 0 and actor["pid"] != os.getpid()  # played there, and closed
    finally:
        pool.shutdown()
