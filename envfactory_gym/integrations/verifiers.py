"""The suite as a ``verifiers`` multi-turn tool environment (Prime Intellect's environments for prime-rl).

:func:`load_environment` follows verifiers' environment-module convention and returns an
:class:`EnvfactoryToolEnv`: a ``vf.MultiTurnEnv`` whose dataset rows are the tasks' opening prompts (system
prompt and request) with the task id and the episode's tool schemas in ``info``, whose tool calls are executed by
the engine in one episode per rollout, and whose reward is the rubric's score of the episode — from its final
state and final answer, never from a judge model. Malformed calls are error observations, as in the gym env.

    from envfactory_gym.integrations.verifiers import load_environment
    env = load_environment("airline", split="test", limit=50)
    results = env.evaluate_sync(client=AsyncOpenAI(base_url=...), model="Qwen/Qwen3-8B")

This is verifiers' classic ("v0") environment API, the one ``prime-rl`` trains on: verifiers 0.1.9 up to 0.3.x
(tested with 0.3.1, where it lives in ``verifiers.legacy`` and answers at ``verifiers``). verifiers 0.4 removed it
for its task-set/harness stack, which this module does not target. verifiers pins its own ``mcp`` (below 2), which
FastMCP 3+/4 (this project's MCP server) cannot share, so it is installed in an environment of its own: see
docs/TRAINING.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from envfactory_gym.env import ToolUseEnv
from envfactory_gym.export import environment_key, prompt_messages, select_tasks
from envfactory_gym.tasks import Task

VERIFIERS_MISSING = (
    "verifiers is not installed: pip install 'verifiers>=0.1.9,<0.4' in an environment without the mcp extra "
    "(verifiers pins mcp<2); see docs/TRAINING.md."
)

try:
    import verifiers as vf
except ImportError as exc:  # pragma: no cover - exercised only without the optional dependency
    raise ImportError(VERIFIERS_MISSING) from exc

__all__ = ["EnvfactoryToolEnv", "load_environment", "verifiers_rows"]


def _tool_defs(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """OpenAI function schemas as verifiers' provider-agnostic tool definitions."""
    return [
        {
            "name": tool["function"]["name"],
            "description": tool["function"].get("description", ""),
            "parameters": tool["function"].get("parameters", {"type": "object", "properties": {}}),
        }
        for tool in tools
    ]


def _opening(task: Task, max_steps: int) -> tuple[ToolUseEnv, dict[str, Any]]:
    env = ToolUseEnv(env_ids=task.env_ids, tasks=[], max_steps=max_steps, prefix_tools=False)
    _, info = env.reset(options={"task": task})
    return env, info


def verifiers_rows(tasks: Sequence[Task], max_steps: int = 30) -> list[dict[str, Any]]:
    """One dataset row per task: ``prompt`` (chat messages) and ``info`` (JSON: task id, environments, tool_defs)."""
    rows = []
    for task in tasks:
        env, info = _opening(task, max_steps)
        env.close()
        details = {
            "task_id": task.task_id,
            "env_ids": list(task.env_ids),
            "environment": environment_key(task.env_ids),
            "tool_defs": _tool_defs(info["tools"]),
        }
        rows.append(
            {
                "prompt": prompt_messages(task),
                "answer": "",
                # A JSON string: rows of different environments have different tool schemas.
                "info": json.dumps(details),
            }
        )
    return rows


def _field(message: Any, name: str) -> Any:
    """A message field, whether verifiers hands messages over as models (0.2+) or dicts (0.1)."""
    return message.get(name) if isinstance(message, dict) else getattr(message, name, None)


def _openai_turn(message: Any) -> dict[str, Any]:
    """An assistant message of the rollout as the OpenAI-style turn the gym env takes."""
    content = _field(message, "content") or ""
    if isinstance(content, list):
        content = "".join(str(_field(part, "text") or "") for part in content)
    calls = []
    for call in _field(message, "tool_calls") or []:
        function = _field(call, "function")
        name = _field(function, "name") if function is not None else _field(call, "name")
        arguments = _field(function, "arguments") if function is not None else _field(call, "arguments")
        calls.append(
            {"id": _field(call, "id") or "", "type": "function", "function": {"name": name, "arguments": arguments}}
        )
    return {"role": "assistant", "content": str(content), "tool_calls": calls}


class EnvfactoryToolEnv(vf.MultiTurnEnv):
    """Tasks of the suite as a multi-turn tool environment; the episode's rubric score is the reward."""

    def __init__(self, tasks: Sequence[Task], *, max_steps: int = 30, **kwargs: Any) -> None:
        from datasets import Dataset

        if not tasks:
            raise ValueError("No tasks: cannot build the verifiers environment.")
        self.tasks = {task.task_id: task for task in tasks}
        self.max_steps = int(max_steps)
        self._episodes: dict[str, ToolUseEnv] = {}
        rubric = vf.Rubric(funcs=[self.envfactory_reward], weights=[1.0])
        kwargs.setdefault("max_turns", self.max_steps)
        rows = Dataset.from_list(verifiers_rows(tasks, self.max_steps))
        # The chosen split serves training and evaluation alike (vf-eval reads eval_dataset).
        super().__init__(dataset=rows, eval_dataset=rows, rubric=rubric, **kwargs)

    # -- episode lifecycle ------------------------------------------------------------------------------
    def _key(self, state: Any) -> str:
        return str(state["trajectory_id"])

    async def setup_state(self, state: Any) -> Any:
        info = state["info"] if isinstance(state["info"], dict) else json.loads(state["info"])
        task = self.tasks[info["task_id"]]
        env, _ = _opening(task, self.max_steps)
        self._episodes[self._key(state)] = env
        state["envfactory"] = {"task_id": task.task_id, "reward": None, "success": False, "breakdown": None}
        return state

    def _finish(self, state: Any, reward: float, info: dict[str, Any]) -> None:
        state["envfactory"].update(
            reward=float(reward), success=bool(info.get("success", False)), breakdown=info.get("reward_breakdown")
        )

    async def env_response(self, messages: Any, state: Any, **kwargs: Any) -> Any:
        env = self._episodes[self._key(state)]
        seen = len(env.messages)
        _, reward, terminated, truncated, info = env.step(_openai_turn(messages[-1]))
        results = [
            {"role": "tool", "content": m["content"], "tool_call_id": m.get("tool_call_id") or ""}
            for m in info["messages"][seen + 1 :]
        ]
        if terminated or truncated:
            # A terminal tool or the step limit ended the episode: it is scored now, and the rollout stops.
            self._finish(state, reward, info)
            state["final_env_response"] = results
        return results

    @vf.stop
    async def episode_over(self, state: Any, **kwargs: Any) -> bool:
        """The model answered without a tool call: that answer ends the episode and is scored."""
        if state.get("envfactory", {}).get("reward") is not None:
            return True
        if not state["trajectory"]:
            return False
        last = state["trajectory"][-1]["completion"][-1]
        if _field(last, "role") != "assistant" or _field(last, "tool_calls"):
            return False
        self._score_answer(state, _openai_turn(last)["content"])
        return True

    def _score_answer(self, state: Any, answer: str) -> None:
        env = self._episodes.get(self._key(state))
        if env is None or env.runtime is None or state["envfactory"]["reward"] is not None:
            return
        _, reward, _, _, info = env.step(answer)
        self._finish(state, reward, info)

    async def envfactory_reward(self, state: Any, **kwargs: Any) -> float:
        """The rubric's score of the episode (an episode cut short by verifiers is scored as it stands)."""
        if state.get("envfactory", {}).get("reward") is None and "envfactory" in state:
            self._score_answer(state, "")
        return float(state.get("envfactory", {}).get("reward") or 0.0)

    @vf.cleanup
    async def close_episode(self, state: Any, **kwargs: Any) -> None:
        if "envfactory" in state and state["envfactory"]["reward"] is None:
            self._score_answer(state, "")
        env = self._episodes.pop(self._key(state), None)
        if env is not None:
            env.close()


def load_environment(
    name: str = "travel",
    split: str = "train",
    tasks_file: str | None = None,
    limit: int | None = None,
    max_steps: int = 30,
    **kwargs: Any,
) -> EnvfactoryToolEnv:
    """verifiers' entry point: the tasks of an environment id or domain (or a task file) as a tool environment."""
    tasks = select_tasks(name if not tasks_file else None, split=split, tasks_file=tasks_file, limit=limit)
    return EnvfactoryToolEnv(tasks, max_steps=max_steps, **kwargs)
