"""Playing one episode with an agent: the loop every harness shares (verify, demo, export, eval)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from envfactory_gym.env import ToolUseEnv


@dataclass
class EpisodeResult:
    task_id: str | None
    env_ids: list[str]
    reward: float
    success: bool
    terminated: bool
    truncated: bool
    steps: int
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    breakdown: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    state_hash: str = ""
    seconds_env: float = 0.0
    seconds_agent: float = 0.0


def play_episode(
    env: ToolUseEnv, agent: Any, *, seed: int | None = None, options: dict[str, Any] | None = None
) -> EpisodeResult:
    """Run ``agent`` on one episode of ``env`` until it ends; time spent in the env and the agent is kept."""
    started = time.perf_counter()
    _, info = env.reset(seed=seed, options=options)
    env_seconds = time.perf_counter() - started
    agent_seconds = 0.0
    agent.start(env.task, info["tools"], seed)
    messages = info["messages"]
    reward, terminated, truncated, steps = 0.0, False, False, 0
    while not (terminated or truncated):
        tick = time.perf_counter()
        action = agent.act(messages)
        tock = time.perf_counter()
        _, reward, terminated, truncated, info = env.step(action)
        agent_seconds += tock - tick
        env_seconds += time.perf_counter() - tock
        messages = info["messages"]
        steps += 1
    return EpisodeResult(
        task_id=env.task.task_id if env.task else None,
        env_ids=list(env.runtime.databases) if env.runtime else [],
        reward=float(reward),
        success=bool(info.get("success", False)),
        terminated=terminated,
        truncated=truncated,
        steps=steps,
        messages=messages,
        # The tools the assistant had: the user's own (dual control) stay hidden, in exported trajectories too.
        tools=env.runtime.openai_tools(exclude=env.runtime.hidden) if env.runtime else [],
        breakdown=info.get("reward_breakdown", {}),
        errors=info.get("errors", {}),
        state_hash=info.get("state_hash", ""),
        seconds_env=env_seconds,
        seconds_agent=agent_seconds,
    )
