"""The suite served over OpenEnv with the real openenv-core package: its FastAPI server on a loopback port, its
typed WebSocket client driving whole episodes, one episode per session."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from envfactory_gym.agents.base import make_agent
from envfactory_gym.export import select_tasks
from envfactory_gym.integrations.openenv import (
    EnvfactoryAction,
    EnvfactoryEnvClient,
    EnvfactoryObservation,
    EnvfactoryOpenEnv,
    create_app,
)
from envfactory_gym.tasks import Task


def serve(app: object) -> Iterator[str]:
    """Run an app with uvicorn on a free loopback port in a thread; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the OpenEnv server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    yield from serve(create_app("airline", split="test", max_sessions=4))


@pytest.fixture(scope="module")
def task() -> Task:
    return next(t for t in select_tasks("airline", split="test") if t.goal == "write")


async def play(base_url: str, task: Task, agent_spec: str) -> EnvfactoryObservation:
    """OpenEnv's client plays one episode with one of the suite's agents."""
    agent = make_agent(agent_spec)
    async with EnvfactoryEnvClient(base_url=base_url) as client:
        result = await client.reset(task_id=task.task_id)
        observation = result.observation
        assert observation.text == task.query and observation.tools and not result.done
        agent.start(task, observation.tools, None)
        while not result.done:
            action = agent.act(observation.messages)
            turn = (
                EnvfactoryAction(content=action.get("content") or "", tool_calls=action.get("tool_calls") or [])
                if isinstance(action, dict)
                else EnvfactoryAction(content=action)
            )
            result = await client.step(turn)
            observation = result.observation
        state = await client.state()
        assert state.done and state.task_id == task.task_id and state.step_count >= 1
        return observation


def test_openenv_client_plays_an_episode_scored_by_the_rubric(base_url: str, task: Task) -> None:
    oracle = asyncio.run(play(base_url, task, "oracle"))
    assert oracle.reward == 1.0 and oracle.reward_breakdown and oracle.reward_breakdown["success"]
    noop = asyncio.run(play(base_url, task, "noop"))
    assert noop.reward == 0.0


def test_each_session_is_its_own_episode(base_url: str, task: Task) -> None:
    async def both() -> list[EnvfactoryObservation]:
        # Concurrent sessions on one task: one solves it, the other does nothing; neither sees the other's writes.
        return await asyncio.gather(play(base_url, task, "oracle"), play(base_url, task, "noop"))

    solved, untouched = asyncio.run(both())
    assert (solved.reward, untouched.reward) == (1.0, 0.0)


def test_malformed_actions_are_observations_not_errors(base_url: str, task: Task) -> None:
    async def run() -> list[EnvfactoryObservation]:
        async with EnvfactoryEnvClient(base_url=base_url) as client:
            await client.reset(task_id=task.task_id)
            bad = await client.step(EnvfactoryAction(content='<tool_call>{"name": "no_such_tool"}</tool_call>'))
            assert not bad.done
            after = await client.step(EnvfactoryAction(content="I could not do it."))
            return [bad.observation, after.observation]

    bad, after = asyncio.run(run())
    assert bad.text.startswith("Error") and sum(bad.errors.values()) == 1
    assert after.done and after.reward == 0.0


def test_a_domain_is_served_too() -> None:
    environment = EnvfactoryOpenEnv("travel", split="test")
    observation = environment.reset(seed=0)
    assert observation.task_id and len(observation.env_ids) >= 1
    assert environment.state.task_id == observation.task_id
    environment.close()
    with pytest.raises(KeyError):
        create_app("no_such_environment")
