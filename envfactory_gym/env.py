"""The Gymnasium environment: one episode is one task played through tool calls.

``reset`` loads a task (by ``options["task_id"]``, or drawn from the split with the reset seed), restores
the task's initial state into private in-memory databases and returns the user's opening message.
``step`` takes one assistant turn (raw model text, JSON, or an OpenAI-style message dict), executes its
tool calls and returns their results. A turn without tool calls is the final answer: the episode ends
and the reward is the rubric's score of the final state and answer. In conversational mode such a turn
goes to the user simulator instead, and the episode ends when the user ends the conversation.
"""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Sequence
from typing import Any, ClassVar

import gymnasium as gym
from gymnasium.error import ResetNeeded

from envfactory_gym import registry
from envfactory_gym.actions import MAX_ACTION_CHARS, ParsedTurn, parse_action
from envfactory_gym.database import EpisodeDatabase, Snapshot, get_snapshot
from envfactory_gym.rubric import RewardBreakdown, score
from envfactory_gym.runtime import ErrorKind, ToolResult, ToolRuntime
from envfactory_gym.spaces import UnicodeText
from envfactory_gym.tasks import Task, load_environment_tasks, load_tasks, task_file

MAX_OBSERVATION_CHARS = 400_000
MALFORMED_KINDS = frozenset({ErrorKind.PARSE, ErrorKind.UNKNOWN_TOOL, ErrorKind.INVALID_ARGUMENTS, ErrorKind.LIMIT})

SANDBOX_QUERY = "Hi! I have a few questions about my account."
SPLITS: tuple[str, ...] = typing.get_args(Task.model_fields["split"].annotation)
RESET_OPTIONS = ("task_id", "split", "task")
MAX_PER_RUNTIME_ENTRIES = 64


def check_split(split: Any, where: str = "split") -> str:
    """``split`` if it is a task split; otherwise a ValueError naming the splits (a typo must not silently
    give task-less episodes)."""
    if split not in SPLITS:
        raise ValueError(f"Unknown {where} {split!r}; the splits are: {', '.join(SPLITS)}.")
    return str(split)


def system_prompt(definitions: Sequence[Any], fidelity: str | None = None) -> str:
    """The agent's instructions: the environments' descriptions and, in a fidelity mode, their policies
    (there the tools do not enforce the rules, the agent must)."""
    parts = [
        "You are a helpful assistant that acts on behalf of the user through the tools provided. "
        "Use the tools to look things up and to make changes; never invent data the tools did not return. "
        "When the user's request is complete, reply with a final message that answers them.",
    ]
    for definition in definitions:
        parts.append(f"# {definition.env_id}\n{definition.description.strip()}")
        if fidelity is not None:
            parts.append(f"## {definition.env_id} policy\n{definition.fidelity_modes[fidelity].policy}")
    return "\n\n".join(parts)


class ToolUseEnv(gym.Env[str, Any]):
    """An envfactory environment (or domain) as a Gymnasium env over tool calls.

    Args:
        env_ids: the environments whose tasks are played (one, for ``envfactory/<env_id>-v0``). A single name
            is accepted as well: ``ToolUseEnv("airline")``, or a domain, ``ToolUseEnv("travel")``.
        domain: instead of ``env_ids``, a domain: tasks are the domain's cross-environment tasks.
        split: the task split to draw from when ``reset`` is not given a task id.
        tasks: a custom task list, replacing the packaged tasks.
        max_steps: steps (assistant turns) before the episode is truncated.
        prefix_tools: prefix tool names with the environment id; default: for domains and multi-env tasks.
        conversational: send assistant messages without tool calls to a user simulator.
        user_simulator: the simulator for conversational mode (default: the rule-based one).
        render_mode: ``"ansi"`` (``render()`` returns the transcript) or ``"human"`` (prints it).
        fidelity: a public benchmark's behaviour instead of the default one, for environments that have it
            (``fidelity="tau2"``): the tools act as the benchmark's do, permissive where it is,
            and the policy they leave to the agent is part of the system prompt. An unknown mode is an error.
    """

    metadata: ClassVar[dict[str, Any]] = {"render_modes": ["ansi", "human"], "render_fps": 4}

    def __init__(
        self,
        env_ids: Sequence[str] | None = None,
        domain: str | None = None,
        *,
        split: str = "train",
        tasks: Sequence[Task] | None = None,
        max_steps: int = 30,
        prefix_tools: bool | None = None,
        conversational: bool = False,
        user_simulator: Any = None,
        render_mode: str | None = None,
        fidelity: str | None = None,
    ) -> None:
        if isinstance(env_ids, str):  # one name, not a sequence of one-letter environments
            env_ids, domain = _one_name(env_ids, domain)
        if (env_ids is None) == (domain is None):
            raise ValueError("Give exactly one of env_ids or domain.")
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}")
        self.domain = domain
        self.env_ids = list(env_ids) if env_ids is not None else registry.domain_envs(domain or "")
        if not self.env_ids:
            raise ValueError(f"Domain {domain!r} has no implemented environments yet.")
        for env_id in self.env_ids:
            registry.load_definition(env_id).tool_specs(fidelity)  # an unknown fidelity mode is an error
        self.fidelity = fidelity
        self.split = check_split(split)
        self._custom_tasks = list(tasks) if tasks is not None else None
        self.max_steps = int(max_steps)
        self.prefix_tools = prefix_tools if prefix_tools is not None else (domain is not None)
        self.conversational = conversational
        self._user_simulator_spec = user_simulator
        self.render_mode = render_mode
        self.observation_space = UnicodeText(MAX_OBSERVATION_CHARS)
        self.action_space = UnicodeText(MAX_ACTION_CHARS)
        self.runtime: ToolRuntime | None = None
        self.task: Task | None = None
        self.messages: list[dict[str, Any]] = []
        self._steps = 0
        self._done = False
        self._errors: Counter[str] = Counter()
        self._tool_calls = 0
        self._user: Any = None
        self.last_breakdown: RewardBreakdown | None = None
        # What depends only on the runtime's environments and tools (the system prompt, the hidden names of
        # each set of user tools), computed once per runtime; see _cached.
        self._per_runtime: dict[Any, Any] = {}
        self._per_runtime_owner: ToolRuntime | None = None

    # -- tasks ------------------------------------------------------------------------------------------
    def task_pool(self, split: str | None = None) -> list[Task]:
        split = check_split(split) if split is not None else self.split
        if self._custom_tasks is not None:
            return [t for t in self._custom_tasks if t.split == split]
        # Conversational mode plays the conversational variants (a detail only the user knows) when packaged.
        suffix = "_conversational" if self.conversational else ""
        if self.domain is not None:
            domain_tasks = load_tasks(self.domain, "domain" + suffix, split) or load_tasks(self.domain, "domain", split)
            if domain_tasks or task_file(self.domain, "domain").exists():
                return domain_tasks
            # A domain whose cross-service tasks are not written yet plays its environments' own tasks, so
            # its gym id works from the first environment on.
        tasks: list[Task] = []
        for env_id in self.env_ids:
            own = load_environment_tasks(env_id, split, suffix)
            tasks.extend(own if own or not suffix else load_environment_tasks(env_id, split))
        return tasks

    def _choose_task(self, options: dict[str, Any]) -> Task | None:
        if options.get("task") is not None:
            task = options["task"]
            return task if isinstance(task, Task) else Task.model_validate(task)
        split = options.get("split", self.split)
        if options.get("task_id") is not None:
            wanted = options["task_id"]
            for candidate_split in (split, "train", "test"):
                for task in self.task_pool(candidate_split):
                    if task.task_id == wanted:
                        return task
            raise KeyError(f"No task {wanted!r} for {self.env_ids}.")
        pool = self.task_pool(split)
        if not pool:
            return None
        return pool[int(self.np_random.integers(len(pool)))]

    # -- gym API --------------------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        """Start an episode. Bad options (an unknown key, split or task id) raise a clear error and leave the
        running episode, and the random generator, exactly as they were."""
        options = dict(options or {})
        unknown_options = sorted(str(key) for key in options if key not in RESET_OPTIONS)
        if unknown_options:
            raise ValueError(
                f"Unknown reset option(s) {', '.join(map(repr, unknown_options))}; "
                f"the options are: {', '.join(RESET_OPTIONS)}."
            )
        if options.get("split") is not None:
            check_split(options["split"], 'options["split"]')
        generator = (self._np_random, self._np_random_seed)
        super().reset(seed=seed)
        try:
            task, snapshots = self._next_episode(options)
        except BaseException:
            self._np_random, self._np_random_seed = generator
            raise
        self.task = task
        prefix = self.prefix_tools or len(snapshots) > 1
        id_seed = task.task_id if task is not None else 0
        runtime = self.runtime
        if (
            runtime is not None
            and runtime.prefix == prefix
            # Definitions compare by identity (EnvironmentDefinition has no __eq__).
            and runtime.definitions == [snapshot.definition for snapshot in snapshots]
        ):
            # The same environments: databases with the same initial state are rolled back in place, the
            # others swapped for pooled episodes of the new states; the tool bindings are kept.
            runtime.reopen(snapshots, id_seed=id_seed)
        else:
            self.close()
            databases = [EpisodeDatabase(snapshot) for snapshot in snapshots]
            runtime = self.runtime = ToolRuntime(databases, id_seed=id_seed, prefix=prefix, fidelity=self.fidelity)  # type: ignore[arg-type]
        self._steps = 0
        self._done = False
        self._errors.clear()
        self._tool_calls = 0
        self.last_breakdown = None
        hidden = self._hidden_user_tools()
        runtime.hidden = set(hidden)  # the runtime's own set: nothing shares the cached one
        query = task.query if task is not None else SANDBOX_QUERY
        self.messages = [
            {"role": "system", "content": self._system_prompt()},
            {"role": "user", "content": query},
        ]
        self._user = None
        if self.conversational and task is not None:
            from envfactory_gym.conversation import make_user_simulator

            self._user = make_user_simulator(self._user_simulator_spec, task, self.runtime)
        info = {
            "task_id": task.task_id if task is not None else None,
            "env_ids": [s.definition.env_id for s in snapshots],
            "split": task.split if task is not None else None,
            "tools": runtime.openai_tools(exclude=hidden),
            "messages": self._messages_copy(),
            "sandbox": task is None,
        }
        return query, info

    def _next_episode(self, options: dict[str, Any]) -> tuple[Task | None, tuple[Snapshot, ...]]:
        """The task and initial states of the next episode; raises, having changed nothing, if they cannot be."""
        task = self._choose_task(options)
        env_ids = task.env_ids if task is not None else self.env_ids[:1]
        unknown = [e for e in env_ids if e not in self.env_ids and self.domain is None and self._custom_tasks is None]
        if unknown:
            raise ValueError(f"Task {task.task_id if task else ''} needs environments {unknown} not in this env.")
        definitions = [registry.load_definition(env_id) for env_id in env_ids]
        for definition in definitions:
            definition.tool_specs(self.fidelity)  # a task's other environments too
        if task is None:
            return task, tuple(get_snapshot(definition, None, None) for definition in definitions)
        scenarios = task.scenario or {}
        return task, tuple(
            get_snapshot(definition, task.seed, scenarios.get(env_id))
            for env_id, definition in zip(env_ids, definitions, strict=True)
        )

    def _user_tool_names(self) -> list[str]:
        if self.task is None or self.runtime is None:
            return []
        owned = set(self.task.user.user_tools)
        return [name for name, b in self.runtime.bindings.items() if b.spec.name in owned]

    def _hidden_user_tools(self) -> frozenset[str]:
        """The exposed names of the task's user tools (never shown to the assistant), once per runtime and
        set of user tools."""
        owned = tuple(self.task.user.user_tools) if self.task is not None else ()
        if not owned:
            return frozenset()
        return self._cached(("hidden", owned), lambda: frozenset(self._user_tool_names()))  # type: ignore[no-any-return]

    def _system_prompt(self) -> str:
        runtime = self.runtime
        assert runtime is not None
        return self._cached("system prompt", lambda: system_prompt(runtime.definitions, self.fidelity))  # type: ignore[no-any-return]

    def _cached(self, key: Any, compute: Any) -> Any:
        """``compute()`` for the current runtime, computed once: a new runtime (other environments, prefixes)
        starts an empty cache, and the cache holds a bounded number of entries."""
        if self._per_runtime_owner is not self.runtime or len(self._per_runtime) >= MAX_PER_RUNTIME_ENTRIES:
            self._per_runtime = {}
            self._per_runtime_owner = self.runtime
        try:
            return self._per_runtime[key]
        except KeyError:
            value = self._per_runtime[key] = compute()
            return value

    def step(self, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
        if self.runtime is None or self._done:
            raise ResetNeeded("Call reset() before step(), and again after the episode ends.")
        self._steps += 1
        turn = parse_action(action, self._steps)
        if turn.has_calls:
            observation, terminated, results = self._execute(turn)
        else:
            self.messages.append({"role": "assistant", "content": turn.content})
            observation, terminated, results = self._answer(turn.content)
        truncated = not terminated and self._steps >= self.max_steps
        reward = 0.0
        info: dict[str, Any] = {
            "task_id": self.task.task_id if self.task is not None else None,
            "step": self._steps,
            "tool_results": [{"name": r.name, "ok": r.ok, "error": r.error} for r in results],
            "errors": dict(self._errors),
            "malformed_calls": self.malformed_calls,
            "num_tool_calls": self._tool_calls,
            "messages": self._messages_copy(),
        }
        if terminated or truncated:
            self._done = True
            breakdown = self._score()
            if breakdown is not None:
                reward = breakdown.reward
                info["reward_breakdown"] = breakdown.to_dict()
                info["success"] = breakdown.success
            info["state_hash"] = self.runtime.state_hash()
        if self.render_mode == "human":
            print(self._render_last())
        return observation, reward, terminated, truncated, info

    def _messages_copy(self) -> list[dict[str, Any]]:
        """The transcript for ``info``: callers may change their copy without touching the episode's own.

        One level deep is enough: the episode only reads messages' own fields (content, tool_calls' presence),
        and a deep copy would make every step O(conversation).
        """
        return list(map(dict, self.messages))

    @property
    def malformed_calls(self) -> int:
        return sum(n for kind, n in self._errors.items() if kind in MALFORMED_KINDS)

    def _execute(self, turn: ParsedTurn) -> tuple[str, bool, list[ToolResult]]:
        assert self.runtime is not None
        if not turn.problems and len(turn.calls) == 1:
            return self._execute_one(turn)
        results: list[tuple[str, ToolResult]] = []
        for problem in turn.problems:
            results.append((problem.call_id, ToolResult("invalid_call", f"Error: {problem.message}", ErrorKind.PARSE)))
        for call in turn.calls:
            results.append((call.call_id, self.runtime.call(call.name, call.arguments)))
        self._tool_calls += len(turn.calls)
        for _, result in results:
            if result.error is not None:
                self._errors[result.error] += 1
        tool_calls = [c.to_openai() for c in turn.calls] + [
            {"id": p.call_id, "type": "function", "function": {"name": "invalid_call", "arguments": "{}"}}
            for p in turn.problems
        ]
        order = {c.call_id: i for i, c in enumerate(turn.calls)}
        self.messages.append({"role": "assistant", "content": turn.content, "tool_calls": tool_calls})
        for call_id, result in sorted(results, key=lambda r: order.get(r[0], -1)):
            self.messages.append(
                {"role": "tool", "tool_call_id": call_id, "name": result.name, "content": result.content}
            )
        ordered = [r for _, r in results]
        observation = ordered[0].content if len(ordered) == 1 else "\n".join(f"[{r.name}] {r.content}" for r in ordered)
        terminated = any(r.terminal and r.ok for r in ordered)
        return observation[:MAX_OBSERVATION_CHARS], terminated, ordered

    def _execute_one(self, turn: ParsedTurn) -> tuple[str, bool, list[ToolResult]]:
        """The usual turn, one well-formed call: what _execute does, without its ordering of many results."""
        assert self.runtime is not None
        call = turn.calls[0]
        result = self.runtime.call(call.name, call.arguments)
        self._tool_calls += 1
        if result.error is not None:
            self._errors[result.error] += 1
        recorded = call.to_openai()
        self.messages.append({"role": "assistant", "content": turn.content, "tool_calls": [recorded]})
        self.messages.append(
            {"role": "tool", "tool_call_id": call.call_id, "name": result.name, "content": result.content}
        )
        return result.content[:MAX_OBSERVATION_CHARS], bool(result.terminal) and result.error is None, [result]

    def _answer(self, content: str) -> tuple[str, bool, list[ToolResult]]:
        if self._user is None:
            return "", True, []
        reply = self._user.respond(self.messages)
        self.messages.append({"role": "user", "content": reply.content})
        return reply.content, reply.done, []

    def final_answer(self) -> str:
        """The assistant's messages to the user without tool calls, joined (what facts are checked against)."""
        texts = [
            m["content"]
            for m in self.messages
            if m["role"] == "assistant" and not m.get("tool_calls") and m.get("content")
        ]
        return "\n".join(texts[-1:]) if not self.conversational else "\n".join(texts)

    def _score(self) -> RewardBreakdown | None:
        if self.task is None or self.runtime is None:
            return None
        definitions = {d.env_id: d for d in self.runtime.definitions}
        tool_outputs = [m["content"] for m in self.messages if m["role"] == "tool"]
        self.last_breakdown = score(
            self.task,
            self.runtime.change_sets(),
            self.final_answer(),
            self.malformed_calls,
            definitions,
            tool_outputs,
            transcript=self.messages,
            databases=self.runtime.databases,
        )
        return self.last_breakdown

    # -- state access for harnesses (not for the agent) -----------------------------------------------
    def state_hash(self) -> str:
        if self.runtime is None:
            raise ResetNeeded("No episode: call reset() first.")
        return self.runtime.state_hash()

    def change_sets(self) -> dict[str, list[dict[str, Any]]]:
        if self.runtime is None:
            raise ResetNeeded("No episode: call reset() first.")
        return {env_id: [c.to_dict() for c in changes] for env_id, changes in self.runtime.change_sets().items()}

    def export_state(self) -> dict[str, Any]:
        """The current state of every environment of the episode, as tables scenarios."""
        from envfactory_gym.scenario import dump_scenario

        if self.runtime is None:
            raise ResetNeeded("No episode: call reset() first.")
        return {
            env_id: dump_scenario(db.definition, db.export_tables()) for env_id, db in self.runtime.databases.items()
        }

    # -- rendering --------------------------------------------------------------------------------------
    def _render_last(self) -> str:
        lines = []
        for message in self.messages[-6:]:
            role = message["role"]
            if message.get("tool_calls"):
                for call in message["tool_calls"]:
                    lines.append(f"assistant → {call['function']['name']}({call['function']['arguments']})")
            else:
                lines.append(f"{role}: {message.get('content', '')}")
        return "\n".join(lines)

    def render(self) -> str | None:
        if self.render_mode == "ansi":
            return "\n".join(
                f"{m['role']}: {m.get('content', '')}" + (f" {m['tool_calls']}" if m.get("tool_calls") else "")
                for m in self.messages
            )
        if self.render_mode == "human":
            print(self._render_last())
        return None

    def close(self) -> None:
        self._per_runtime, self._per_runtime_owner = {}, None
        if self.runtime is not None:
            self.runtime.close()
            self.runtime = None


def _one_name(name: str, domain: str | None) -> tuple[list[str] | None, str | None]:
    """``ToolUseEnv("airline")`` → (["airline"], None); ``ToolUseEnv("travel")`` → (None, "travel")."""
    if domain is not None:
        raise ValueError("Give exactly one of env_ids or domain.")
    try:
        domain_name, _ = registry.resolve(name)
    except KeyError as exc:
        raise ValueError(str(exc.args[0])) from None
    return (None, domain_name) if domain_name is not None else ([name], None)
