"""The suite's environments inside verl's Ray trainer, as an agent loop (GRPO or PPO).

verl (``verl.experimental.agent_loop``) runs one ``AgentLoopBase`` instance per sample: ``AgentLoopWorker`` builds
it with ``hydra.utils.instantiate(entry, trainer_config=..., server_manager=..., tokenizer=..., processor=...,
...)`` — ``entry`` is this loop's item in the agent-loop YAML, so its extra keys (``tasks_file``,
``max_episode_steps``, ``env_pool``) arrive as constructor keyword arguments — and awaits ``run(sampling_params,
**row)`` with the dataset row's fields (``raw_prompt``, ``extra_info``, ...). ``run`` generates through
``server_manager.generate(request_id=..., prompt_ids=..., sampling_params=...)`` and returns an
``AgentLoopOutput``: prompt and response token ids, a response mask (1 for model tokens, 0 for tool results)
and the rubric's score as ``reward_score``, which verl uses as the trajectory's reward.

:class:`EnvfactoryAgentLoop` plays one episode per ``run``, in the loop's process or, with ``env_pool``, on a
Ray actor of :class:`envfactory_gym.integrations.ray.EnvPool`. (verl's ``BaseTool`` route creates and releases
a tool instance per call, keyed by ``create_kwargs`` that all ``n`` rollouts of a prompt share, so it cannot
keep a GRPO group's episodes apart; the agent loop can.)

Token accounting follows the chat template exactly: the prompt is the template's rendering of the episode's
opening (with the tools and ``data.apply_chat_template_kwargs``); the model's tokens are kept as generated; a
tool turn is what the template writes after an assistant turn — the text after the model's end-of-turn token
(Qwen's ``"\\n"`` after ``<|im_end|>``), the tool messages and the next generation prompt — rendered against a
fixed synthetic history, so templates that rewrite earlier assistant turns (Qwen3 drops their ``<think>``
blocks) cannot shift it. Prompts are capped at ``rollout.prompt_length`` and responses at
``rollout.response_length`` (each turn's ``max_tokens`` is what is left): a prompt that does not fit is not
played (reward 0, fully masked) — :class:`EnvfactoryRLDataset` (``data.custom_cls``) filters such rows out
beforehand, counting the tools the loop will render.

Works with verl 0.5–0.9 (the versions whose agent loop has this interface); verl is optional and imported on
first use of :class:`EnvfactoryAgentLoop` / :class:`EnvfactoryRLDataset`.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from uuid import uuid4

from envfactory_gym.env import ToolUseEnv
from envfactory_gym.export import environment_key, prompt_messages, select_tasks
from envfactory_gym.tasks import Task, read_tasks

log = logging.getLogger(__name__)

AGENT_NAME = "envfactory_agent"
DEFAULT_PROMPT_LENGTH = 4096
DEFAULT_RESPONSE_LENGTH = 4096
DEFAULT_MAX_TURNS = 16
DEFAULT_MAX_EPISODE_STEPS = 30
SUPPORTED_VERL = ">=0.5,<0.10"
_THINK_BLOCK = re.compile(r"<think>.*?</think>", re.DOTALL)
_SYNTHETIC_HISTORY = [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]

VERL_MISSING = (
    "verl is not installed. Install it on the training cluster (pip install 'envfactory-gym[verl]' plus verl's "
    "rollout engine, vLLM or SGLang; see docs/TRAINING.md) to use envfactory_gym.integrations.verl."
)


def verl_records(tasks: Iterable[Task]) -> list[dict[str, Any]]:
    """Task prompts in verl's RLHFDataset layout, routed to :class:`EnvfactoryAgentLoop` by ``agent_name``."""
    return [
        {
            "data_source": f"envfactory/{environment_key(task.env_ids)}",
            "prompt": prompt_messages(task),
            "agent_name": AGENT_NAME,
            "ability": "tool_use",
            "reward_model": {"style": "rule", "ground_truth": task.task_id},
            "extra_info": {"index": index, "task_id": task.task_id, "env_ids": list(task.env_ids), "split": task.split},
        }
        for index, task in enumerate(tasks)
    ]


def _setting(config: Any, path: str, default: Any) -> Any:
    """A nested config value (OmegaConf DictConfig, dict or attributes), or the default when absent or null."""
    node = config
    for part in path.split("."):
        if node is None:
            return default
        node = node.get(part) if isinstance(node, Mapping) or hasattr(node, "get") else getattr(node, part, None)
    return default if node is None else node


def _plain(value: Any) -> Any:
    """An OmegaConf container as plain dicts and lists (other values unchanged)."""
    if isinstance(value, Mapping) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple) or type(value).__name__ == "ListConfig":
        return [_plain(v) for v in value]
    return value


# -- tasks -------------------------------------------------------------------------------------------------
_TASKS: dict[str, dict[str, Task]] = {}


def find_task(task_id: str, env_ids: list[str] | None, tasks_file: str | None = None) -> Task:
    """A row's task: from ``tasks_file`` when given, else from the packaged tasks of its environments."""
    source = tasks_file or environment_key(env_ids or [])
    if source not in _TASKS:
        if tasks_file:
            if not Path(tasks_file).is_file():
                raise FileNotFoundError(f"tasks_file {tasks_file} of the {AGENT_NAME} agent loop does not exist.")
            tasks = read_tasks(tasks_file)
        elif env_ids:
            tasks = [t for env_id in env_ids for t in select_tasks(env_id, split=None)]
            if len(env_ids) > 1:
                tasks += [t for e in env_ids for t in _domain_tasks(e)]
        else:
            raise ValueError("A row without extra_info.env_ids needs the agent loop's tasks_file.")
        _TASKS[source] = {t.task_id: t for t in tasks}
    task = _TASKS[source].get(task_id)
    if task is None:
        raise KeyError(f"Task {task_id!r} not found in {source}.")
    return task


def _domain_tasks(env_id: str) -> list[Task]:
    from envfactory_gym import registry

    domain = registry.load_definition(env_id).domain
    try:
        return select_tasks(domain, split=None)
    except KeyError:
        return []


def _row_task(row: Mapping[str, Any], tasks_file: str | None) -> Task:
    extra = row.get("extra_info") or {}
    task_id = extra.get("task_id", row.get("task_id"))
    if not isinstance(task_id, str):
        raise ValueError("Each row needs extra_info.task_id (export rows with 'envfactory export rl --verl').")
    env_ids = extra.get("env_ids", row.get("env_ids"))
    return find_task(task_id, list(env_ids) if env_ids is not None else None, tasks_file)


def episode_opening(task: Task) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The messages and tool schemas an episode of ``task`` starts with (what the loop renders as the prompt)."""
    env = ToolUseEnv(env_ids=task.env_ids, tasks=[], prefix_tools=False)
    try:
        _, info = env.reset(options={"task": task})
        return info["messages"], info["tools"]
    finally:
        env.close()


# -- tokens ------------------------------------------------------------------------------------------------
def _input_ids(encoded: Any) -> list[int]:
    if isinstance(encoded, Mapping) or hasattr(encoded, "keys"):
        encoded = encoded["input_ids"]
    if encoded and isinstance(encoded[0], list):
        encoded = encoded[0]
    return [int(t) for t in encoded]


class ChatTokens:
    """Token ids of an episode exactly as the tokenizer's chat template writes the conversation."""

    def __init__(self, tokenizer: Any, chat_template_kwargs: Mapping[str, Any] | None = None) -> None:
        self.tokenizer = tokenizer
        self.chat_template_kwargs = dict(chat_template_kwargs or {})
        self.special_ids = set(getattr(tokenizer, "all_special_ids", []) or [])

    def render(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None, generation: bool) -> str:
        return self.tokenizer.apply_chat_template(
            messages, tools=tools, add_generation_prompt=generation, tokenize=False, **self.chat_template_kwargs
        )

    def encode(self, text: str) -> list[int]:
        # The template writes its own special tokens (BOS included): adding them again would double them.
        return _input_ids(self.tokenizer(text, add_special_tokens=False))

    def prompt_ids(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None) -> list[int]:
        return self.encode(self.render(messages, tools, generation=True))

    def decode_action(self, token_ids: list[int]) -> str:
        """The model's turn as the action text: tool-call markers kept, end-of-turn/padding and thinking dropped."""
        text = self.tokenizer.decode(token_ids, skip_special_tokens=False)
        for token in {self.tokenizer.eos_token, self.tokenizer.pad_token} - {None}:
            text = text.replace(token, "")
        return _THINK_BLOCK.sub("", text).strip()

    def tool_turn_ids(
        self, results: list[dict[str, Any]], tools: list[dict[str, Any]] | None, last_model_token: int | None
    ) -> list[int]:
        """What the template writes after the model's turn: tool messages, then the next generation prompt.

        Rendered after a synthetic history ending in an assistant turn that calls the same tools (with a
        reasoning block, so that templates which show thinking only for some turns render it the same way in
        both renders). When the model's turn ended with an end-of-turn token, the template's text after that
        token (``"\\n"`` for ChatML) comes first: the model stops at the token, the template goes on.
        """
        for history in self._synthetic_histories(results):
            before = self.render(history, tools, generation=False)
            after = self.render(history + results, tools, generation=True)
            if after.startswith(before):
                delta = after[len(before) :]
                break
        else:
            # A template that rewrites history whatever we do: the new messages alone, as verl's older loops did.
            before, delta = "", self.render(results, None, generation=True)
        tail = ""
        if last_model_token is not None and last_model_token in self.special_ids:
            stop = self.tokenizer.decode([last_model_token], skip_special_tokens=False)
            if stop and stop in before:
                tail = before.rsplit(stop, 1)[1]
        return self.encode(tail + delta)

    @staticmethod
    def _synthetic_histories(results: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        calls = [
            {
                "id": message.get("tool_call_id") or f"call_{index}",
                "type": "function",
                "function": {"name": message.get("name") or "tool", "arguments": {}},
            }
            for index, message in enumerate(results)
        ]
        assistant = {"role": "assistant", "content": "", "tool_calls": calls}
        return [
            [*_SYNTHETIC_HISTORY, {**assistant, "reasoning_content": "R"}],
            [*_SYNTHETIC_HISTORY, assistant],
        ]


# -- episodes ----------------------------------------------------------------------------------------------
class _LocalEpisode:
    """An episode in this process, with the pool episode's async interface."""

    def __init__(self, task: Task, max_steps: int) -> None:
        self.env = ToolUseEnv(env_ids=task.env_ids, tasks=[], max_steps=max_steps, prefix_tools=False)
        _, self.info = self.env.reset(options={"task": task})

    async def step(self, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
        return self.env.step(action)

    async def close(self) -> None:
        self.env.close()


_POOLS: dict[str, Any] = {}


def shared_pool(options: Mapping[str, Any], max_steps: int) -> Any:
    """The process's :class:`~envfactory_gym.integrations.ray.EnvPool` for an ``env_pool`` option (named pools
    are shared across verl's agent-loop workers)."""
    from envfactory_gym.integrations.ray import EnvPool

    settings = {"name": "envfactory_env_pool", "max_steps": max_steps, **_plain(dict(options))}
    key = repr(sorted(settings.items()))
    if key not in _POOLS:
        _POOLS[key] = EnvPool(**settings).start()
    return _POOLS[key]


# -- the loop ----------------------------------------------------------------------------------------------
class EpisodeAgentLoop:
    """The agent-loop logic, independent of verl's base class (which :func:`agent_loop_class` mixes in).

    Takes its options as constructor keywords — the extra keys of its agent-loop YAML entry, which verl's
    worker passes to ``hydra.utils.instantiate`` — and leaves the rest to ``AgentLoopBase.__init__``, which
    sets ``self.config`` (the trainer config), ``self.server_manager`` and ``self.tokenizer``.
    """

    config: Any
    server_manager: Any
    tokenizer: Any

    def __init__(
        self,
        *args: Any,
        tasks_file: str | None = None,
        max_episode_steps: int = DEFAULT_MAX_EPISODE_STEPS,
        env_pool: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if tasks_file is not None and not Path(tasks_file).is_file():
            raise FileNotFoundError(f"tasks_file {tasks_file} of the {AGENT_NAME} agent loop does not exist.")
        self.tasks_file = tasks_file
        self.max_episode_steps = int(max_episode_steps)
        self.env_pool = env_pool
        super().__init__(*args, **kwargs)

    async def _open(self, task: Task) -> Any:
        if self.env_pool is None:
            return _LocalEpisode(task, self.max_episode_steps)
        return await shared_pool(self.env_pool, self.max_episode_steps).open(task)

    async def run(self, sampling_params: dict[str, Any], **kwargs: Any) -> Any:
        task = _row_task(kwargs, self.tasks_file)
        rollout = _setting(self.config, "actor_rollout_ref.rollout", {})
        prompt_length = int(_setting(rollout, "prompt_length", DEFAULT_PROMPT_LENGTH))
        response_length = int(_setting(rollout, "response_length", DEFAULT_RESPONSE_LENGTH))
        max_turns = int(_setting(rollout, "multi_turn.max_assistant_turns", DEFAULT_MAX_TURNS))
        tokens = ChatTokens(self.tokenizer, _plain(_setting(self.config, "data.apply_chat_template_kwargs", {})))
        request_id = uuid4().hex
        metrics = {"generate_sequences": 0.0, "tool_calls": 0.0}
        started = time.perf_counter()
        episode = await self._open(task)
        metrics["tool_calls"] += time.perf_counter() - started
        try:
            info = episode.info
            tools = info["tools"]
            prompt_ids = tokens.prompt_ids(info["messages"], tools)
            if len(prompt_ids) > prompt_length:
                return self._overlong(task, prompt_ids, prompt_length, metrics, bool(sampling_params.get("logprobs")))
            response_ids: list[int] = []
            response_mask: list[int] = []
            logprobs: list[float] = []
            reward, done, turns = 0.0, False, 0
            while not done:
                budget = response_length - len(response_ids)
                started = time.perf_counter()
                output = await self.server_manager.generate(
                    request_id=request_id,
                    prompt_ids=prompt_ids + response_ids,
                    sampling_params={**sampling_params, "max_tokens": budget} if caps_turns() else sampling_params,
                )
                metrics["generate_sequences"] += time.perf_counter() - started
                token_ids, token_logprobs = _token_output(output)
                token_ids, token_logprobs = token_ids[:budget], (token_logprobs or [0.0] * len(token_ids))[:budget]
                response_ids += token_ids
                response_mask += [1] * len(token_ids)
                logprobs += token_logprobs
                turns += 1
                seen = len(info["messages"])
                started = time.perf_counter()
                _, reward, terminated, truncated, info = await episode.step(tokens.decode_action(token_ids))
                metrics["tool_calls"] += time.perf_counter() - started
                done = terminated or truncated
                if done or len(response_ids) >= response_length or turns >= max_turns:
                    break
                tool_ids = tokens.tool_turn_ids(
                    info["messages"][seen + 1 :], tools, token_ids[-1] if token_ids else None
                )
                if len(response_ids) + len(tool_ids) >= response_length:
                    break  # the last turn must be the model's, or the reward cannot reach its tokens
                response_ids += tool_ids
                response_mask += [0] * len(tool_ids)
                logprobs += [0.0] * len(tool_ids)
            if not done:
                # Out of turns or tokens: the episode ends without an answer and is scored as it stands.
                _, reward, _, _, info = await episode.step("")
        finally:
            await episode.close()
        return self._output(
            prompt_ids=prompt_ids,
            response_ids=response_ids,
            response_mask=response_mask,
            # verl stacks the batch's log-probs: every sample has them when the rollout asks for them, none else.
            response_logprobs=logprobs if sampling_params.get("logprobs") else None,
            reward_score=float(reward),
            num_turns=2 * turns + 1,
            metrics=metrics,
            extra_fields={
                "task_id": task.task_id,
                "success": bool(info.get("success", False)),
                "malformed_calls": int(info.get("malformed_calls", 0)),
                "overlong_prompt": False,
            },
        )

    def _overlong(
        self, task: Task, prompt_ids: list[int], prompt_length: int, metrics: dict[str, float], logprobs: bool
    ) -> Any:
        """A prompt over ``rollout.prompt_length``: not played; one masked token, reward 0 (no gradient)."""
        log.warning(
            "Task %s: prompt of %d tokens exceeds rollout.prompt_length=%d; not played (filter such rows with "
            "data.custom_cls = EnvfactoryRLDataset, or raise data.max_prompt_length).",
            task.task_id,
            len(prompt_ids),
            prompt_length,
        )
        filler = self.tokenizer.eos_token_id if self.tokenizer.eos_token_id is not None else 0
        return self._output(
            prompt_ids=prompt_ids[-prompt_length:],
            response_ids=[filler],
            response_mask=[0],
            response_logprobs=[0.0] if logprobs else None,
            reward_score=0.0,
            num_turns=1,
            metrics=metrics,
            extra_fields={"task_id": task.task_id, "success": False, "malformed_calls": 0, "overlong_prompt": True},
        )

    def _output(self, **fields: Any) -> Any:
        from verl.experimental.agent_loop.agent_loop import AgentLoopOutput

        return AgentLoopOutput(**fields)


@functools.cache
def caps_turns() -> bool:
    """Whether verl's rollout servers take ``max_tokens`` from the sampling params (verl 0.7 and later; before,
    they set it themselves and a second value is an error — the loop then cuts each turn at the budget)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        major, minor = (int(part) for part in re.findall(r"\d+", version("verl"))[:2])
    except (PackageNotFoundError, ValueError):
        return True
    return (major, minor) >= (0, 7)


def _token_output(output: Any) -> tuple[list[int], list[float] | None]:
    """verl's ``TokenOutput`` (token_ids, log_probs), or a bare id list as older servers return."""
    if hasattr(output, "token_ids"):
        log_probs = getattr(output, "log_probs", None)
        return list(output.token_ids), list(log_probs) if log_probs else None
    return list(output), None


def prompt_token_count(row: Mapping[str, Any], tokens: ChatTokens, tasks_file: str | None = None) -> int:
    """The length of the prompt the agent loop will send for a dataset row (its opening messages and tools)."""
    messages, tools = episode_opening(_row_task(row, tasks_file))
    return len(tokens.prompt_ids(messages, tools))


@functools.cache
def agent_loop_class() -> type:
    """verl's agent loop for the suite: :class:`EpisodeAgentLoop` on verl's ``AgentLoopBase``, registered."""
    try:
        from verl.experimental.agent_loop.agent_loop import AgentLoopBase, register
    except ImportError as exc:
        raise ImportError(VERL_MISSING) from exc
    from verl.experimental.agent_loop import agent_loop as verl_agent_loop

    cls = type("EnvfactoryAgentLoop", (EpisodeAgentLoop, AgentLoopBase), {"__module__": __name__})
    cls.__qualname__ = "EnvfactoryAgentLoop"
    # The worker puts the YAML entry (with tasks_file, max_episode_steps, env_pool) into verl's registry
    # under our name; building the class lazily (hydra resolving its _target_) must not reset that entry to
    # a bare one, or later trajectories would lose the options.
    registry = getattr(verl_agent_loop, "_agent_loop_registry", {})
    configured = registry.get(AGENT_NAME)
    registered = register(AGENT_NAME)(cls)
    if configured is not None and len(configured) > 1:
        registry[AGENT_NAME] = configured
    return registered


@functools.cache
def dataset_class() -> type:
    """verl's ``RLHFDataset`` whose overlong-prompt filter counts the tools and system prompt the loop renders.

    verl's own filter renders the row's messages with the globally configured tools only; the suite's rows get
    their tools from their environments. Set ``data.custom_cls.path: pkg://envfactory_gym.integrations.verl``
    and ``data.custom_cls.name: EnvfactoryRLDataset``; ``data.tasks_file`` names a synthesized task file.
    """
    try:
        from verl.utils.dataset.rl_dataset import RLHFDataset
    except ImportError as exc:
        raise ImportError(VERL_MISSING) from exc

    def maybe_filter_out_long_prompts(self: Any, dataframe: Any = None) -> Any:
        dataframe = self.dataframe if dataframe is None else dataframe
        if not getattr(self, "filter_overlong_prompts", True):
            return dataframe
        config = self.config
        tokens = ChatTokens(self.tokenizer, _plain(config.get("apply_chat_template_kwargs", {}) or {}))
        tasks_file = config.get("tasks_file", None)
        limit = int(self.max_prompt_length)
        before = len(dataframe)
        dataframe = dataframe.filter(
            lambda row: prompt_token_count(row, tokens, tasks_file) <= limit,
            desc=f"Filtering episodes whose prompt (tools included) exceeds {limit} tokens",
        )
        log.info("kept %d of %d rows whose prompt fits in %d tokens", len(dataframe), before, limit)
        return dataframe

    cls = type(
        "EnvfactoryRLDataset",
        (RLHFDataset,),
        {"__module__": __name__, "maybe_filter_out_long_prompts": maybe_filter_out_long_prompts},
    )
    cls.__qualname__ = "EnvfactoryRLDataset"
    return cls


def __getattr__(name: str) -> Any:
    # Built on first access so that importing this module never needs verl (hydra's _target_ resolves here).
    if name == "EnvfactoryAgentLoop":
        return agent_loop_class()
    if name == "EnvfactoryRLDataset":
        return dataset_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
