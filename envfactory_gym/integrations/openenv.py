"""The suite's environments over OpenEnv's reset/step protocol, with the real ``openenv-core`` package.

OpenEnv (``openenv.core``) serves an ``Environment`` subclass through FastAPI: its WebSocket endpoint ``/ws``
gives each connection its own environment instance, so **each OpenEnv session is one episode** here;
``EnvClient`` subclasses are the typed clients. TRL, AgileRL and other trainers reach environments this way.

- :class:`EnvfactoryOpenEnv` — one episode per instance: ``reset(task_id=..., split=..., seed=...)`` loads a task
  (a random one of the split when no id is given), ``step(EnvfactoryAction)`` plays an assistant turn.
- :class:`EnvfactoryAction` — the assistant turn: ``content`` (raw text, e.g. Qwen/Hermes ``<tool_call>``
  blocks) and/or OpenAI-style ``tool_calls``; anything malformed is an error observation, as in the gym env.
- :class:`EnvfactoryObservation` — ``text`` (the user's request after reset, the tool results after a step),
  ``messages`` (the chat history), ``tools`` (OpenAI schemas), ``task_id``, ``reward``/``done`` and, at the end,
  ``reward_breakdown``.
- :func:`create_app` — the FastAPI app for an environment id or a domain (``envfactory_gym.integrations.openenv
  NAME --port 8000`` runs it with uvicorn); :class:`EnvfactoryEnvClient` is the typed client::

      async with EnvfactoryEnvClient(base_url="http://127.0.0.1:8000") as client:
          result = await client.reset(task_id="airline-0-0002")
          result = await client.step(EnvfactoryAction(content='<tool_call>{"name": ...}</tool_call>'))

OpenEnv is optional: ``pip install 'envfactory-gym[openenv]'``.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Sequence
from typing import Any

from pydantic import Field

from envfactory_gym import registry
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.tasks import Task, read_tasks

OPENENV_MISSING = (
    "openenv-core is not installed: pip install 'envfactory-gym[openenv]' (or pip install openenv-core) to use "
    "envfactory_gym.integrations.openenv."
)

try:
    from openenv.core.client_types import StepResult
    from openenv.core.env_client import EnvClient
    from openenv.core.env_server import Action, Environment, Observation, State
    from openenv.core.env_server import create_fastapi_app as _create_fastapi_app
except ImportError as exc:  # pragma: no cover - exercised only without the optional dependency
    raise ImportError(OPENENV_MISSING) from exc

__all__ = [
    "EnvfactoryAction",
    "EnvfactoryEnvClient",
    "EnvfactoryObservation",
    "EnvfactoryOpenEnv",
    "EnvfactoryState",
    "create_app",
]
DEFAULT_MAX_SESSIONS = 64


class EnvfactoryAction(Action):
    """An assistant turn: raw model text, OpenAI-style tool calls, or both (text first)."""

    content: str = Field(default="", description="The assistant's text; <tool_call> blocks in it are executed.")
    tool_calls: list[dict[str, Any]] = Field(default_factory=list, description="OpenAI-style tool calls.")

    def as_turn(self) -> str | dict[str, Any]:
        if self.tool_calls:
            return {"role": "assistant", "content": self.content, "tool_calls": self.tool_calls}
        return self.content


class EnvfactoryObservation(Observation):
    """What the agent sees after a reset or a step, plus what a harness needs (history, tools, breakdown)."""

    text: str = Field(default="", description="The user's request after reset; the tool results after a step.")
    messages: list[dict[str, Any]] = Field(default_factory=list, description="The chat history so far.")
    tools: list[dict[str, Any]] = Field(default_factory=list, description="The episode's tools (OpenAI schemas).")
    task_id: str | None = None
    env_ids: list[str] = Field(default_factory=list)
    errors: dict[str, int] = Field(default_factory=dict, description="Malformed or refused calls, by kind.")
    reward_breakdown: dict[str, Any] | None = Field(default=None, description="The rubric's breakdown, at the end.")


class EnvfactoryState(State):
    """The episode's bookkeeping: task, environments, whether it ended, and the state hash at the end."""

    task_id: str | None = None
    env_ids: list[str] = Field(default_factory=list)
    done: bool = False
    state_hash: str | None = None


class EnvfactoryOpenEnv(Environment[EnvfactoryAction, EnvfactoryObservation, EnvfactoryState]):
    """One episode of an environment or domain, served by OpenEnv (one instance per WebSocket session)."""

    SUPPORTS_CONCURRENT_SESSIONS = True

    def __init__(
        self, name: str, *, tasks: Sequence[Task] | None = None, split: str = "train", max_steps: int = 30
    ) -> None:
        super().__init__()
        domain, env_ids = registry.resolve(name)
        self.env = (
            ToolUseEnv(domain=domain, split=split, tasks=tasks, max_steps=max_steps)
            if domain is not None
            else ToolUseEnv(env_ids=env_ids, split=split, tasks=tasks, max_steps=max_steps)
        )
        self._state = EnvfactoryState()
        self._tools: list[dict[str, Any]] = []

    def reset(
        self,
        seed: int | None = None,
        episode_id: str | None = None,
        task_id: str | None = None,
        split: str | None = None,
        **kwargs: Any,
    ) -> EnvfactoryObservation:
        options: dict[str, Any] = {}
        if task_id is not None:
            options["task_id"] = task_id
        if split is not None:
            options["split"] = split
        observation, info = self.env.reset(seed=seed, options=options)
        self._tools = info["tools"]
        self._state = EnvfactoryState(episode_id=episode_id, task_id=info["task_id"], env_ids=info["env_ids"])
        return EnvfactoryObservation(
            text=observation,
            messages=info["messages"],
            tools=self._tools,
            task_id=info["task_id"],
            env_ids=info["env_ids"],
        )

    def step(self, action: EnvfactoryAction, timeout_s: float | None = None, **kwargs: Any) -> EnvfactoryObservation:
        if self.env.runtime is None or self._state.done:
            return EnvfactoryObservation(text="Error: the episode is over (or was not started); call reset.", done=True)
        observation, reward, terminated, truncated, info = self.env.step(action.as_turn())
        done = bool(terminated or truncated)
        self._state.step_count += 1
        self._state.done = done
        if done:
            self._state.state_hash = info.get("state_hash")
        return EnvfactoryObservation(
            text=observation,
            messages=info["messages"],
            tools=self._tools,
            task_id=self._state.task_id,
            env_ids=self._state.env_ids,
            errors=info.get("errors", {}),
            reward_breakdown=info.get("reward_breakdown"),
            reward=float(reward),
            done=done,
        )

    @property
    def state(self) -> EnvfactoryState:
        return self._state

    def close(self) -> None:
        self.env.close()


def create_app(
    name: str,
    *,
    tasks_file: str | None = None,
    split: str = "train",
    max_steps: int = 30,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
) -> Any:
    """OpenEnv's FastAPI app serving ``name`` (an environment id or a domain); one episode per session."""
    registry.resolve(name)  # an unknown name fails now, with the registry's message
    tasks = read_tasks(tasks_file) if tasks_file else None
    factory = functools.partial(EnvfactoryOpenEnv, name, tasks=tasks, split=split, max_steps=max_steps)
    return _create_fastapi_app(factory, EnvfactoryAction, EnvfactoryObservation, max_concurrent_envs=max_sessions)


class EnvfactoryEnvClient(EnvClient[EnvfactoryAction, EnvfactoryObservation, EnvfactoryState]):
    """OpenEnv's WebSocket client, typed for the suite (``async with``, or ``.sync()`` for blocking calls)."""

    def _step_payload(self, action: EnvfactoryAction) -> dict[str, Any]:
        return action.model_dump(exclude={"metadata"})

    def _parse_result(self, payload: dict[str, Any]) -> StepResult[EnvfactoryObservation]:
        observation = EnvfactoryObservation(
            **payload.get("observation", {}), reward=payload.get("reward"), done=bool(payload.get("done", False))
        )
        return StepResult(observation=observation, reward=payload.get("reward"), done=observation.done)

    def _parse_state(self, payload: dict[str, Any]) -> EnvfactoryState:
        return EnvfactoryState.model_validate(payload)


def main(argv: list[str] | None = None) -> None:
    """``python -m envfactory_gym.integrations.openenv NAME [--host H] [--port P]``: serve with uvicorn."""
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve an environment or domain over OpenEnv.")
    parser.add_argument("name", help="An environment id (airline) or a domain (travel).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--tasks-file", default=None)
    parser.add_argument("--split", default="train")
    parser.add_argument("--max-steps", type=int, default=30)
    parser.add_argument("--max-sessions", type=int, default=DEFAULT_MAX_SESSIONS)
    args = parser.parse_args(argv)
    app = create_app(
        args.name,
        tasks_file=args.tasks_file,
        split=args.split,
        max_steps=args.max_steps,
        max_sessions=args.max_sessions,
    )
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
