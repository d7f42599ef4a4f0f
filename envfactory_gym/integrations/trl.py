"""The suite's environments as ``environment_factory`` for TRL's ``GRPOTrainer``.

TRL's contract (``trl.GRPOTrainer``, ``environment_factory``): the factory is called once per concurrent rollout
and the instances are pooled and reused; before each rollout TRL calls ``reset(**row)`` with the dataset row;
every public method of the instance's *class* is a tool, whose JSON schema TRL derives from the method's
signature and Google-style docstring and whose return value, as text, is the tool message; a ``get_reward()``
method makes the environment a reward source, called once per finished rollout. With a dict of factories, each
row's ``environment`` column picks the factory, and only that environment's tools appear in the row's prompt.

Here each set of environments (one environment, or the 2–3 of a cross-environment task) gets one generated
class whose methods are the episode's tools, built from the engine's :class:`~envfactory_gym.authoring.ToolSpec`
(the names the model sees, the descriptions, parameter types and docstrings). A tool method forwards the call
to a :class:`~envfactory_gym.env.ToolUseEnv` episode, so arguments are validated by the engine and a malformed
call is an error observation that the rubric penalises — never an exception.

The rubric needs the final answer for read goals, which TRL does not hand to ``get_reward``. Pass
:func:`record_final_answers` first in ``reward_funcs``: TRL runs reward functions in order, then the
environments' ``get_reward``, so each episode is scored with its rollout's last assistant message::

    from trl import GRPOConfig, GRPOTrainer
    from envfactory_gym.export import rl_records, select_tasks, to_dataset
    from envfactory_gym.integrations.trl import environment_factories, record_final_answers

    tasks = select_tasks("airline", split="train")
    trainer = GRPOTrainer(
        model="Qwen/Qwen3-8B",
        args=GRPOConfig(output_dir="out", max_tool_calling_iterations=12),
        train_dataset=to_dataset(rl_records(tasks)),
        reward_funcs=[record_final_answers],
        environment_factory=environment_factories(tasks),
    )
"""

from __future__ import annotations

import functools
import inspect
import keyword
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, Union

from envfactory_gym import registry
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.export import environment_ids, environment_key
from envfactory_gym.rubric import RewardBreakdown
from envfactory_gym.runtime import PREFIX_SEPARATOR
from envfactory_gym.tasks import Task

__all__ = [
    "EnvfactoryEnvironment",
    "EnvironmentFactory",
    "environment_class",
    "environment_factories",
    "final_answer_of",
    "record_final_answers",
    "trl_tool_schemas",
]

RESERVED_METHODS = frozenset({"reset", "get_reward"})
DEFAULT_MAX_EPISODE_STEPS = 256
# Compact tool rendering (``compact=True``) for small models with short contexts: a tool's description is cut to
# its first sentence and at most this many words, a parameter's to fewer; names, types, enums and required
# parameters are kept, so every call the full schemas allow is still described. Only the prose shrinks (airline's
# tools: 11.7k -> 7.1k characters; a weather prompt: 1.9k -> 1.7k tiny-tokenizer tokens): the JSON structure stays.
COMPACT_DESCRIPTION_WORDS = 12
COMPACT_PARAMETER_WORDS = 6
_THINK_BLOCK = re.compile(r"<think>.*?</think>", re.DOTALL)

# Called with a finished episode's breakdown and its number of tool calls (see train.diagnostics).
ScoredCallback = Callable[[RewardBreakdown, int], None]

_JSON_SCALARS: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool}


def python_hint(schema: dict[str, Any]) -> Any:
    """A Python type hint for a JSON schema, in the subset ``transformers.utils.get_json_schema`` understands.

    Object-valued parameters become ``dict`` (their fields stay described in the parameter's docstring line);
    the engine validates the full schema when the call is executed.
    """
    if "enum" in schema and schema["enum"] and all(isinstance(v, str | int | float | bool) for v in schema["enum"]):
        return Literal[tuple(schema["enum"])]
    if "const" in schema and isinstance(schema["const"], str | int | float | bool):
        return Literal[schema["const"]]
    variants = schema.get("anyOf") or schema.get("oneOf")
    if variants:
        hints = [python_hint(v) for v in variants]
        return Union[tuple(dict.fromkeys(hints))]  # noqa: UP007 - built from a runtime list
    kind = schema.get("type")
    if isinstance(kind, list):
        return Union[tuple(dict.fromkeys(python_hint({**schema, "type": k}) for k in kind))]  # noqa: UP007
    if kind == "null":
        return type(None)
    if kind == "array":
        items = schema.get("items")
        return list[python_hint(items)] if isinstance(items, dict) and items else list
    if kind == "object":
        return dict
    if kind in _JSON_SCALARS:
        return _JSON_SCALARS[kind]
    return str


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _compact(text: str, max_words: int) -> str:
    """The first sentence of ``text``, cut to ``max_words`` words (compact tool rendering)."""
    sentence = re.split(r"(?<=[.!?])\s", _one_line(text), maxsplit=1)[0]
    words = sentence.split()
    return " ".join(words[:max_words]).rstrip(".,;:") if len(words) > max_words else sentence


def _tool_docstring(description: str, parameters: dict[str, Any], compact: bool = False) -> str:
    summary = _compact(description, COMPACT_DESCRIPTION_WORDS) if compact else _one_line(description)
    lines = [summary or "A tool.", ""]
    properties = parameters.get("properties", {})
    if properties:
        lines.append("Args:")
        for name, schema in properties.items():
            text = schema.get("description", "")
            text = _compact(text, COMPACT_PARAMETER_WORDS) if compact else _one_line(text)
            lines.append(f"    {name}: {text or name}")
    return "\n".join(lines)


def _make_tool_method(exposed_name: str, description: str, parameters: dict[str, Any], compact: bool = False) -> Any:
    """A method named like the tool, with its parameters as a real signature, forwarding to the episode."""

    def tool(self: EnvfactoryEnvironment, **arguments: Any) -> str:
        # Arguments are not bound by Python: a wrong or missing argument reaches the engine, which answers with
        # an error observation and counts it as a malformed call.
        return self._call_tool(exposed_name, arguments)

    required = set(parameters.get("required", []))
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    annotations: dict[str, Any] = {}
    for name, schema in parameters.get("properties", {}).items():
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(f"Tool {exposed_name!r}: parameter {name!r} is not a Python identifier.")
        hint = python_hint(schema)
        annotations[name] = hint
        default = inspect.Parameter.empty if name in required else schema.get("default")
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint))
    tool.__name__ = exposed_name
    tool.__qualname__ = exposed_name
    tool.__doc__ = _tool_docstring(description, parameters, compact)
    tool.__annotations__ = annotations
    # No return annotation: TRL would render it into the schema, and tool results are always text anyway.
    tool.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return tool


class EnvfactoryEnvironment:
    """One rollout's episode. Subclasses generated by :func:`environment_class` add the tools as methods.

    Everything that is not a tool is private or a property: TRL exposes every public function of the class.
    """

    env_ids: tuple[str, ...] = ()
    tool_names: tuple[str, ...] = ()

    def __init__(
        self,
        tasks: Sequence[Task] | None = None,
        *,
        max_episode_steps: int = DEFAULT_MAX_EPISODE_STEPS,
        on_scored: ScoredCallback | None = None,
    ) -> None:
        self._tasks = _task_index(self.env_ids, tasks)
        self._on_scored = on_scored
        self._env = ToolUseEnv(env_ids=list(self.env_ids), tasks=[], max_steps=max_episode_steps, prefix_tools=False)
        self._task: Task | None = None
        self._final_answer: str | None = None
        self._reward: float | None = None
        self._tool_calls = 0

    # -- TRL's interface ------------------------------------------------------------------------------
    def reset(self, **row: Any) -> str | None:
        """Start the episode of the row's task (``task_id``); other columns are ignored.

        Returns nothing when the row carries the prompt, else the user's request (TRL appends it to the prompt).
        """
        task_id = row.get("task_id")
        if not isinstance(task_id, str) or not task_id:
            raise ValueError("Each dataset row needs a 'task_id' column (export rows with 'envfactory export rl').")
        task = self._tasks.get(task_id)
        if task is None:
            raise KeyError(
                f"Task {task_id!r} is not among the tasks of {environment_key(self.env_ids)}; "
                "give the factory the task file the dataset was exported from."
            )
        self._env.reset(options={"task": task})
        self._task = task
        self._final_answer = None
        self._reward = None
        self._tool_calls = 0
        return None if row.get("prompt") else task.query

    def get_reward(self) -> float:
        """The rubric's score of the episode: its final state and final answer against the task's gold."""
        if self._task is None:
            raise RuntimeError("get_reward() before reset(): no episode to score.")
        if self._reward is None:
            # Ending the episode with the rollout's final answer is what scores it (the gym env's contract).
            _, reward, *_ = self._env.step(self._final_answer or "")
            self._scored(float(reward))
        assert self._reward is not None
        return self._reward

    # -- helpers (private: not tools) ------------------------------------------------------------------
    def _call_tool(self, name: str, arguments: dict[str, Any]) -> str:
        if self._task is None:
            return "Error: no episode is running (reset was not called)."
        if self._reward is not None:
            return "Error: the episode is over; no more tool calls are executed."
        self._tool_calls += 1
        call = {
            "id": f"call_{self._tool_calls}",
            "type": "function",
            "function": {"name": name, "arguments": arguments},
        }
        observation, reward, terminated, truncated, _ = self._env.step(
            {"role": "assistant", "content": "", "tool_calls": [call]}
        )
        if terminated or truncated:
            # A terminal tool (a transfer to a human) or the step limit ended the episode: it is scored now.
            self._scored(float(reward))
        return observation

    def _scored(self, reward: float) -> None:
        self._reward = reward
        breakdown = self._env.last_breakdown
        if self._on_scored is not None and breakdown is not None:
            self._on_scored(breakdown, self._tool_calls)

    def _record_final_answer(self, text: str) -> None:
        self._final_answer = text

    # -- inspection -----------------------------------------------------------------------------------
    @property
    def task(self) -> Task | None:
        return self._task

    @property
    def num_tool_calls(self) -> int:
        return self._tool_calls

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self._env.messages)

    @property
    def final_answer(self) -> str | None:
        return self._final_answer

    @property
    def reward_breakdown(self) -> RewardBreakdown | None:
        return self._env.last_breakdown


def _task_index(env_ids: Sequence[str], tasks: Sequence[Task] | None) -> dict[str, Task]:
    if tasks is None:
        from envfactory_gym.export import select_tasks

        found: list[Task] = []
        for env_id in env_ids:
            found.extend(select_tasks(env_id, split=None))
        domains = {registry.load_definition(e).domain for e in env_ids}
        if len(env_ids) > 1:
            for domain in domains:
                found.extend(select_tasks(domain, split=None))
        tasks = found
    key = environment_key(env_ids)
    return {t.task_id: t for t in tasks if environment_key(t.env_ids) == key}


def environment_class(key: str, compact: bool = False) -> type[EnvfactoryEnvironment]:
    """The environment class for a set of environments (``environment_key``), created once per process.

    TRL attributes ``get_reward`` columns by exact class, so every instance of a tool set shares one class.
    ``compact`` renders the tools' docstrings (hence the schemas TRL puts in the prompt) in compact form.
    """
    return _environment_class(key, bool(compact))  # one cache key however the flag is passed


@functools.cache
def _environment_class(key: str, compact: bool) -> type[EnvfactoryEnvironment]:
    env_ids = tuple(sorted(environment_ids(key)))
    prefix = len(env_ids) > 1
    namespace: dict[str, Any] = {"env_ids": env_ids, "__module__": __name__}
    names = []
    for env_id in env_ids:
        definition = registry.load_definition(env_id)
        hidden = set(definition.user_tool_names)
        for spec in definition.tools.values():
            if spec.name in hidden:
                continue
            exposed = f"{env_id}{PREFIX_SEPARATOR}{spec.name}" if prefix else spec.name
            if exposed in RESERVED_METHODS or exposed.startswith("_") or exposed in namespace:
                raise ValueError(f"Tool name {exposed!r} collides with the TRL environment interface.")
            namespace[exposed] = _make_tool_method(exposed, spec.description, spec.parameters, compact)
            names.append(exposed)
    namespace["tool_names"] = tuple(names)
    class_name = "Envfactory_" + re.sub(r"\W", "_", key) + ("_compact" if compact else "")
    return type(class_name, (EnvfactoryEnvironment,), namespace)


def trl_tool_schemas(key: str, compact: bool = False) -> list[dict[str, Any]]:
    """The tool schemas TRL renders into GRPO prompts for a tool set, in TRL's order (sorted by name)."""
    from transformers.utils import get_json_schema

    cls = environment_class(key, compact)
    return [get_json_schema(getattr(cls, name)) for name in sorted(cls.tool_names)]


class EnvironmentFactory:
    """A picklable ``environment_factory`` for one set of environments: each call is a fresh episode holder."""

    def __init__(
        self,
        env_ids: Sequence[str] | str,
        tasks: Sequence[Task] | None = None,
        *,
        max_episode_steps: int = DEFAULT_MAX_EPISODE_STEPS,
        compact_tools: bool = False,
        on_scored: ScoredCallback | None = None,
    ) -> None:
        ids = [env_ids] if isinstance(env_ids, str) else list(env_ids)
        for env_id in ids:
            registry.load_definition(env_id)  # fail now, with the registry's message, on an unknown id
        self.key = environment_key(ids)
        self.tasks = list(tasks) if tasks is not None else None
        self.max_episode_steps = max_episode_steps
        self.compact_tools = compact_tools
        self.on_scored = on_scored

    def __call__(self) -> EnvfactoryEnvironment:
        return environment_class(self.key, self.compact_tools)(
            self.tasks, max_episode_steps=self.max_episode_steps, on_scored=self.on_scored
        )

    def __repr__(self) -> str:
        return f"EnvironmentFactory({self.key!r})"


def environment_factories(
    tasks: Iterable[Task],
    *,
    max_episode_steps: int = DEFAULT_MAX_EPISODE_STEPS,
    compact_tools: bool = False,
    on_scored: ScoredCallback | None = None,
) -> dict[str, EnvironmentFactory]:
    """The dict form for TRL: one factory per tool set the tasks need, keyed like the rows' ``environment``.

    ``compact_tools`` renders the tool schemas in compact form; ``on_scored`` is called with each finished
    episode's reward breakdown and tool-call count (training diagnostics).
    """
    by_key: dict[str, list[Task]] = {}
    for task in tasks:
        by_key.setdefault(environment_key(task.env_ids), []).append(task)
    if not by_key:
        raise ValueError("No tasks: cannot build environment factories.")
    return {
        key: EnvironmentFactory(
            environment_ids(key),
            group,
            max_episode_steps=max_episode_steps,
            compact_tools=compact_tools,
            on_scored=on_scored,
        )
        for key, group in by_key.items()
    }


def final_answer_of(completion: Any) -> str:
    """The final answer of a rollout: its last assistant message when that message calls no tool."""
    if isinstance(completion, str):
        return _THINK_BLOCK.sub("", completion).strip()
    for message in reversed(list(completion or [])):
        if not isinstance(message, dict) or message.get("role") != "assistant":
            continue
        if message.get("tool_calls"):
            return ""
        content = message.get("content") or ""
        if isinstance(content, list):
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        return _THINK_BLOCK.sub("", str(content)).strip()
    return ""


def record_final_answers(
    completions: Sequence[Any], environments: Sequence[Any] | None = None, **kwargs: Any
) -> list[float | None]:
    """A TRL reward function that scores nothing: it hands each rollout's final answer to its environment.

    Put it in ``reward_funcs``; TRL then calls the environments' ``get_reward``, which needs the answer for
    read goals. Returns ``None`` for every rollout, which TRL leaves out of the reward sum.
    """
    for completion, environment in zip(completions, environments or [], strict=False):
        if isinstance(environment, EnvfactoryEnvironment):
            environment._record_final_answer(final_answer_of(completion))
    return [None] * len(completions)
