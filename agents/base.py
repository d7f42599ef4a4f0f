"""The agent interface and the registry of agent kinds."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from envfactory_gym.tasks import Task


class Agent(ABC):
    """Maps the conversation so far to the next assistant turn.

    ``start`` is called once per episode with the task (privileged agents such as the oracle use it;
    model-backed agents must not) and the OpenAI-format tool schemas. ``act`` receives the chat history
    (system, user, assistant, tool messages) and returns an action the gym env accepts: raw text or an
    OpenAI-style assistant message dict.
    """

    name: str = "agent"

    def start(self, task: Task | None, tools: list[dict[str, Any]], seed: int | None = None) -> None:
        """Begin an episode (default: nothing to prepare)."""

    @abstractmethod
    def act(self, messages: list[dict[str, Any]]) -> str | dict[str, Any]:
        """The next assistant turn."""

    async def aact(self, messages: list[dict[str, Any]]) -> str | dict[str, Any]:
        """Asynchronous ``act``; the default runs ``act`` in a worker thread."""
        return await asyncio.to_thread(self.act, messages)

    @property
    def usage(self) -> dict[str, int]:
        """Token counts of the last ``act`` when the agent knows them (prompt_tokens, completion_tokens)."""
        return {}

    def close(self) -> None:
        """Release clients, models or threads."""

    async def preflight(self) -> None:
        """Check once, before a run, that the agent can answer at all (a model server is reachable).

        Raises :class:`AgentConfigError` with one line saying what is wrong; the default checks nothing.
        """


class AgentConfigError(ValueError):
    """A bad agent spec or an agent that cannot work at all (unknown kind or option, no server)."""


AgentFactory = Callable[..., Agent]
_FACTORIES: dict[str, AgentFactory] = {}


def register_agent(kind: str, factory: AgentFactory) -> None:
    _FACTORIES[kind] = factory


def parse_spec(spec: str) -> tuple[str, dict[str, str]]:
    """``"kind:key=value,key=value"`` → (kind, {key: value})."""
    kind, _, rest = spec.partition(":")
    options: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"Agent option {part!r} must be key=value (in spec {spec!r}).")
        options[key.strip().replace("-", "_")] = value.strip()
    return kind.strip(), options


def make_agent(spec: str) -> Agent:
    """Build an agent from a spec such as ``"oracle"``, ``"random:seed=3"``, ``"openai:model=m,base_url=u"``."""
    _load_builtin_kinds()
    kind, options = parse_spec(spec)
    factory = _FACTORIES.get(kind)
    if factory is None:
        raise AgentConfigError(f"Unknown agent kind {kind!r}; known: {', '.join(sorted(_FACTORIES))}.")
    check_options(kind, factory, options)
    try:
        return factory(**options)
    except AgentConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise AgentConfigError(f"Bad option for agent {kind!r}: {exc}") from None


def agent_options(factory: AgentFactory) -> tuple[list[str], list[str]]:
    """(required, optional) option names of an agent kind, from its constructor's signature."""
    import inspect

    required, optional = [], []
    for name, parameter in inspect.signature(factory).parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD) or name == "self":
            continue
        (required if parameter.default is parameter.empty else optional).append(name)
    return required, optional


def check_options(kind: str, factory: AgentFactory, options: dict[str, str]) -> None:
    """An unknown option (a typo) or a missing required one is one clear error, never a traceback."""
    import difflib
    import inspect

    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        return
    if any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
        return
    required, optional = agent_options(factory)
    known = required + optional
    for key in options:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise AgentConfigError(
                f"Unknown option {key!r} for agent {kind!r}.{hint} Options: {', '.join(known) or 'none'}."
            )
    missing = [name for name in required if name not in options]
    if missing:
        example = ",".join(f"{name}=..." for name in missing)
        raise AgentConfigError(f"Agent {kind!r} needs {', '.join(missing)}: {kind}:{example}.")


def _load_builtin_kinds() -> None:
    import importlib
    import pkgutil

    import envfactory_gym.agents as package

    # The conversational oracle lives beside the conversational tasks it solves.
    importlib.import_module("envfactory_gym.conversational_tasks")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name not in {"base"}:
            try:
                importlib.import_module(f"envfactory_gym.agents.{info.name}")
            except ImportError:
                # Agents whose optional dependencies are missing register nothing; using them says why.
                continue
