"""A pool of Ray actors that host episodes, for trainers and evaluations that scale past one machine.

Each :class:`EpisodeHost` actor holds many episodes (one :class:`~envfactory_gym.env.ToolUseEnv` each, keyed by
an episode id); :class:`EnvPool` is the driver-side handle that opens episodes on the least-loaded actor and
steps them with async calls (``await episode.step(action)``), so an asyncio trainer — verl's agent loop, the
evaluation loop in :func:`play_episodes` — drives thousands of episodes from one event loop.

- **Back-pressure**: at most ``num_actors * episodes_per_actor`` episodes are open at once; ``open()`` waits
  for a free slot instead of overloading an actor.
- **Failures**: actors restart (``max_restarts=-1``) and calls are never retried by Ray itself
  (``max_task_retries=0``: a step is not idempotent). The pool keeps each episode's acknowledged actions; when
  its actor died or restarted, the episode is rebuilt on the restarted actor (or another one) by resetting the
  task with the same seed and replaying those actions — environments are deterministic — and the step that
  failed is sent once more. An episode is never lost, and no action is applied twice.
- **Placement**: actors are spread over the cluster's nodes (``strategy="SPREAD"``), or placed in a placement
  group (``placement_group="STRICT_SPREAD"`` for one actor per node, ``"PACK"``, ...).

Named pools (``name=...``) are shared: every process that builds an ``EnvPool`` with the same name and
namespace attaches to the same actors (verl's agent-loop workers do this through the agent loop's
``env_pool`` option). Ray is optional: ``pip install 'envfactory-gym[ray]'``.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from envfactory_gym.tasks import Task

__all__ = ["EnvPool", "EpisodeHost", "EpisodeLost", "PooledEpisode", "play_episodes"]

RAY_MISSING = (
    "Ray is not installed: pip install 'envfactory-gym[ray]' (or pip install ray) to use "
    "envfactory_gym.integrations.ray."
)
DEFAULT_EPISODES_PER_ACTOR = 64
PLACEMENT_STRATEGIES = ("PACK", "SPREAD", "STRICT_PACK", "STRICT_SPREAD")


def import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ImportError(RAY_MISSING) from exc
    return ray


class EpisodeLost(KeyError):
    """The actor does not hold the episode (it restarted since): the pool rebuilds the episode and retries."""


def _import_setup(targets: Sequence[str]) -> None:
    """Import ``module`` or ``module:attribute`` targets; an attribute that is an environment is registered."""
    from envfactory_gym import registry
    from envfactory_gym.authoring import EnvironmentDefinition

    for target in targets:
        module_name, _, attribute = target.partition(":")
        module = importlib.import_module(module_name)
        if attribute:
            value = getattr(module, attribute)
            if isinstance(value, EnvironmentDefinition):
                registry.register_environment(value, gym_register=False)


class EpisodeHost:
    """Many episodes in one process. ``EnvPool`` runs it as a Ray actor; it is a plain class otherwise.

    ``setup`` names modules to import in the actor first (``"pkg.module"``) or environment definitions to
    register (``"pkg.module:env"``), for environments that are not part of the installed suite.
    """

    def __init__(self, *, max_steps: int = 30, capacity: int = DEFAULT_EPISODES_PER_ACTOR, setup: Sequence[str] = ()):
        _import_setup(setup)
        self.max_steps = int(max_steps)
        self.capacity = int(capacity)
        self.episodes: dict[str, Any] = {}

    def _env(self, episode_id: str) -> Any:
        env = self.episodes.get(episode_id)
        if env is None:
            raise EpisodeLost(episode_id)
        return env

    def reset(self, episode_id: str, task: dict[str, Any], seed: int | None = None) -> tuple[str, dict[str, Any]]:
        from envfactory_gym.env import ToolUseEnv

        if episode_id not in self.episodes and len(self.episodes) >= self.capacity:
            raise RuntimeError(f"This actor already holds {self.capacity} episodes.")
        parsed = Task.model_validate(task)
        env = self.episodes.get(episode_id)
        if env is None:
            env = ToolUseEnv(env_ids=parsed.env_ids, tasks=[], max_steps=self.max_steps, prefix_tools=False)
            self.episodes[episode_id] = env
        return env.reset(seed=seed, options={"task": parsed})

    def restore(
        self, episode_id: str, task: dict[str, Any], seed: int | None, actions: Sequence[Any]
    ) -> tuple[str, dict[str, Any]]:
        """Rebuild an episode from its task, seed and acknowledged actions (after this actor restarted)."""
        observation, info = self.reset(episode_id, task, seed)
        for action in actions:
            observation, _, _, _, info = self.step(episode_id, action)
        return observation, info

    def step(self, episode_id: str, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
        return self._env(episode_id).step(action)

    def close(self, episode_id: str) -> None:
        env = self.episodes.pop(episode_id, None)
        if env is not None:
            env.close()

    def warm(self, tasks: Sequence[dict[str, Any]]) -> int:
        """Build the seeded snapshots these tasks start from (the first episode of an environment pays for it)."""
        for index, task in enumerate(tasks):
            key = f"warm-{index}"
            self.reset(key, task)
            self.close(key)
        return len(tasks)

    def describe(self) -> dict[str, Any]:
        """Where the actor runs and how many episodes it holds."""
        node_id = None
        with contextlib.suppress(ImportError, AttributeError, RuntimeError):
            node_id = import_ray().get_runtime_context().get_node_id()
        return {"pid": os.getpid(), "node_id": node_id, "episodes": len(self.episodes), "capacity": self.capacity}


@dataclass
class PooledEpisode:
    """One episode held by a pool actor. ``observation``/``info`` are those of the last reset or step."""

    pool: EnvPool
    episode_id: str
    task: Task
    seed: int | None
    actor: int
    observation: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    actions: list[Any] = field(default_factory=list)
    done: bool = False
    closed: bool = False
    recoveries: int = 0

    async def step(self, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
        result = await self.pool._call(self, "step", action)
        self.actions.append(action)  # acknowledged: part of the episode from now on
        self.observation, _, terminated, truncated, self.info = result
        self.done = terminated or truncated
        return result

    async def close(self) -> None:
        await self.pool._release(self)


class EnvPool:
    """Ray actors holding episodes; see the module docstring. ``start()`` (or the first ``open``) creates them."""

    def __init__(
        self,
        num_actors: int = 2,
        episodes_per_actor: int = DEFAULT_EPISODES_PER_ACTOR,
        *,
        max_steps: int = 30,
        num_cpus: float = 1.0,
        strategy: str = "SPREAD",
        placement_group: str | None = None,
        name: str | None = None,
        namespace: str | None = None,
        detached: bool = False,
        setup: Sequence[str] = (),
        max_recoveries: int = 3,
    ) -> None:
        if num_actors < 1 or episodes_per_actor < 1:
            raise ValueError("num_actors and episodes_per_actor must be at least 1.")
        if placement_group is not None and placement_group.upper() not in PLACEMENT_STRATEGIES:
            raise ValueError(f"placement_group must be one of {PLACEMENT_STRATEGIES}, got {placement_group!r}.")
        self.num_actors = int(num_actors)
        self.episodes_per_actor = int(episodes_per_actor)
        self.max_steps = int(max_steps)
        self.num_cpus = float(num_cpus)
        self.strategy = strategy
        self.placement_group_strategy = placement_group.upper() if placement_group else None
        self.name = name
        self.namespace = namespace
        self.detached = detached
        self.setup = list(setup)
        self.max_recoveries = int(max_recoveries)
        self.actors: list[Any] = []
        self.placement_group: Any = None
        self._open = [0] * self.num_actors
        self._slots: asyncio.Semaphore | None = None
        self._slots_loop: asyncio.AbstractEventLoop | None = None

    @property
    def capacity(self) -> int:
        return self.num_actors * self.episodes_per_actor

    # -- actors ---------------------------------------------------------------------------------------
    def start(self) -> EnvPool:
        """Create (or, for a named pool, attach to) the actors. Ray must be initialised (``ray.init``)."""
        if self.actors:
            return self
        ray = import_ray()
        if not ray.is_initialized():
            raise RuntimeError("Ray is not initialised: call ray.init() (or ray.init(address='auto')) first.")
        remote = ray.remote(EpisodeHost)
        if self.placement_group_strategy is not None:
            from ray.util.placement_group import placement_group

            self.placement_group = placement_group(
                [{"CPU": self.num_cpus}] * self.num_actors, strategy=self.placement_group_strategy
            )
            ray.get(self.placement_group.ready())
        self.actors = [
            remote.options(**self._actor_options(index)).remote(**self._host_kwargs())
            for index in range(self.num_actors)
        ]
        return self

    def _host_kwargs(self) -> dict[str, Any]:
        return {"max_steps": self.max_steps, "capacity": self.episodes_per_actor, "setup": self.setup}

    def _actor_options(self, index: int) -> dict[str, Any]:
        options: dict[str, Any] = {"num_cpus": self.num_cpus, "max_restarts": -1, "max_task_retries": 0}
        if self.placement_group is not None:
            from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy

            options["scheduling_strategy"] = PlacementGroupSchedulingStrategy(
                self.placement_group, placement_group_bundle_index=index
            )
        else:
            options["scheduling_strategy"] = self.strategy
        if self.name:
            options.update(name=f"{self.name}-{index}", get_if_exists=True)
            if self.namespace:
                options["namespace"] = self.namespace
            if self.detached:
                options["lifetime"] = "detached"
        return options

    def warm(self, tasks: Sequence[Task]) -> EnvPool:
        """Have every actor build the seeded snapshots of these tasks' environments now (blocking), so that the
        first episodes do not pay for it. One task per environment and seed is enough."""
        ray = import_ray()
        payload = [task.model_dump(mode="json") for task in tasks]
        ray.get([actor.warm.remote(payload) for actor in self.start().actors])
        return self

    def describe(self) -> list[dict[str, Any]]:
        """Each actor's pid, node and episode count (a blocking call, for logs and tests)."""
        ray = import_ray()
        return ray.get([actor.describe.remote() for actor in self.start().actors])

    def shutdown(self) -> None:
        """Kill the actors (a named pool's too) and remove the placement group."""
        ray = import_ray()
        for actor in self.actors:
            with contextlib.suppress(Exception):
                ray.kill(actor, no_restart=True)
        self.actors = []
        self._open = [0] * self.num_actors
        if self.placement_group is not None:
            from ray.util.placement_group import remove_placement_group

            with contextlib.suppress(Exception):
                remove_placement_group(self.placement_group)
            self.placement_group = None

    # -- episodes -------------------------------------------------------------------------------------
    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots_loop is not loop:
            self._slots = asyncio.Semaphore(self.capacity)
            self._slots_loop = loop
        return self._slots

    @property
    def open_episodes(self) -> int:
        return sum(self._open)

    async def open(self, task: Task, seed: int | None = None) -> PooledEpisode:
        """Start an episode of ``task`` on the least-loaded actor, waiting for a free slot (back-pressure)."""
        self.start()
        await self._semaphore().acquire()
        actor = min(range(self.num_actors), key=lambda i: self._open[i])
        self._open[actor] += 1
        episode = PooledEpisode(self, uuid4().hex, task, seed, actor)
        try:
            episode.observation, episode.info = await self._call(episode, "reset", task.model_dump(mode="json"), seed)
        except BaseException:
            await self._release(episode)
            raise
        return episode

    @contextlib.asynccontextmanager
    async def episode(self, task: Task, seed: int | None = None) -> AsyncIterator[PooledEpisode]:
        """``async with pool.episode(task) as episode:`` — the episode is closed, and its slot freed, on exit."""
        opened = await self.open(task, seed)
        try:
            yield opened
        finally:
            await opened.close()

    async def _release(self, episode: PooledEpisode) -> None:
        if episode.closed:
            return
        episode.closed = True
        self._open[episode.actor] -= 1
        self._semaphore().release()
        with contextlib.suppress(Exception):  # a dead actor has nothing left to free
            await self.actors[episode.actor].close.remote(episode.episode_id)

    async def _call(self, episode: PooledEpisode, method: str, *args: Any) -> Any:
        from ray.exceptions import RayActorError

        for attempt in range(self.max_recoveries + 1):
            try:
                return await getattr(self.actors[episode.actor], method).remote(episode.episode_id, *args)
            except (RayActorError, EpisodeLost):
                if attempt == self.max_recoveries:
                    raise
                if method != "reset":
                    await self._recover(episode)
        raise AssertionError("unreachable")

    async def _recover(self, episode: PooledEpisode) -> None:
        """Rebuild the episode from its acknowledged actions, on its restarted actor or, failing that, another."""
        from ray.exceptions import RayActorError

        task = episode.task.model_dump(mode="json")
        candidates = [episode.actor] + [i for i in range(self.num_actors) if i != episode.actor]
        for index in candidates:
            try:
                await self.actors[index].restore.remote(episode.episode_id, task, episode.seed, list(episode.actions))
            except RayActorError:
                continue
            if index != episode.actor:
                self._open[episode.actor] -= 1
                self._open[index] += 1
                episode.actor = index
            episode.recoveries += 1
            return
        raise RuntimeError(f"No actor of the pool could restore episode {episode.episode_id}.")


async def play_episodes(
    pool: EnvPool,
    agent_factory: Callable[[], Any],
    tasks: Sequence[Task],
    *,
    concurrency: int = 8,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Play each task once on the pool with ``concurrency`` agents (each plays its episodes one after another).

    Agents follow the suite's interface (``start(task, tools, seed)``, ``await aact(messages)``). Returns one
    record per task, in task order: ``task_id``, ``reward``, ``success``, ``steps``, ``state_hash``,
    ``recoveries`` and ``messages``.
    """
    queue: asyncio.Queue[tuple[int, Task]] = asyncio.Queue()
    for index, task in enumerate(tasks):
        queue.put_nowait((index, task))
    results: list[dict[str, Any] | None] = [None] * len(tasks)

    async def worker() -> None:
        agent = agent_factory()
        while not queue.empty():
            index, task = queue.get_nowait()
            async with pool.episode(task, seed) as episode:
                agent.start(task, episode.info["tools"], seed)
                reward, steps, info = 0.0, 0, episode.info
                while not episode.done:
                    action = await agent.aact(info["messages"])
                    _, reward, _, _, info = await episode.step(action)
                    steps += 1
                results[index] = {
                    "task_id": task.task_id,
                    "reward": float(reward),
                    "success": bool(info.get("success", False)),
                    "steps": steps,
                    "state_hash": info.get("state_hash", ""),
                    "recoveries": episode.recoveries,
                    "messages": info["messages"],
                }

    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(tasks))))))
    return [r for r in results if r is not None]
