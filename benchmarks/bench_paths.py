"""Episodes per second through every path a trainer can reach the environments by, side by side.

The same airline test tasks, played by the gold-replaying oracle (a zero-latency "model"), through:

- **in-process**: ``play_episode`` on one ``ToolUseEnv`` (what the eval runner does per worker);
- **Ray pool**: ``EnvPool`` actors on a local Ray cluster, driven by async calls at ``--concurrency``;
- **MCP**: FastMCP in memory, one MCP session per episode (``start_episode``, tool calls, ``send_message``);
- **OpenEnv**: openenv-core's FastAPI server over loopback WebSockets, one session per episode.

Every path must score every episode 1.0 (checked). Numbers are printed, never asserted; served paths are
dominated by their protocol machinery (making them fast is a separate piece of work). Run from the repository
root::

    python benchmarks/bench_paths.py [--tasks 64] [--concurrency 16] [--actors 2] [--skip ray mcp openenv]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from envfactory_gym.agents.base import make_agent  # noqa: E402
from envfactory_gym.env import ToolUseEnv  # noqa: E402
from envfactory_gym.export import select_tasks  # noqa: E402
from envfactory_gym.rollout import play_episode  # noqa: E402
from envfactory_gym.tasks import Task  # noqa: E402

Timed = tuple[list[float], float]  # each episode's reward, and the seconds the episodes took (setup excluded)


def timed(run: Callable[[], list[float]]) -> Timed:
    started = time.perf_counter()
    rewards = run()
    return rewards, time.perf_counter() - started


def bench_in_process(tasks: list[Task]) -> Timed:
    env = ToolUseEnv(env_ids=["airline"], tasks=[], prefix_tools=False)
    return timed(lambda: [play_episode(env, make_agent("oracle"), options={"task": task}).reward for task in tasks])


def bench_ray(tasks: list[Task], concurrency: int, actors: int) -> Timed:
    from envfactory_gym.integrations.ray import EnvPool, play_episodes

    pool = EnvPool(actors, max(1, concurrency // actors + 1), num_cpus=0.5).start()
    try:
        pool.warm(tasks[:1])  # the actors are up, with the airline snapshot built, before the clock starts
        play = play_episodes(pool, lambda: make_agent("oracle"), tasks, concurrency=concurrency)
        return timed(lambda: [r["reward"] for r in asyncio.run(play)])
    finally:
        pool.shutdown()


async def _mcp_episode(server: Any, task: Task) -> float:
    from fastmcp import Client

    agent = make_agent("oracle:style=openai")
    async with Client(server, mode="legacy") as client:
        await client.get_prompt("start_episode", {"task_id": task.task_id})
        tools = [{"type": "function", "function": {"name": t.name}} for t in await client.list_tools()]
        agent.start(task, tools, None)
        while True:
            action = agent.act([])
            if isinstance(action, str):
                state = await client.read_resource("envfactory://episode/score")
                if not json.loads(state[0].text)["done"]:  # type: ignore[union-attr] # a terminal tool ends it
                    await client.get_prompt("send_message", {"content": action})
                break
            for call in action["tool_calls"]:
                arguments = json.loads(call["function"]["arguments"])
                await client.call_tool(call["function"]["name"], arguments, raise_on_error=False)
        contents = await client.read_resource("envfactory://episode/score")
        return float(json.loads(contents[0].text)["score"]["reward"])  # type: ignore[union-attr]


def bench_mcp(tasks: list[Task], concurrency: int) -> Timed:
    from envfactory_gym.mcp_server import EnvfactoryMCP

    server = EnvfactoryMCP("airline", tasks=tasks, split="test", max_sessions=concurrency + 1).mcp
    return timed(lambda: asyncio.run(gathered(tasks, concurrency, lambda task: _mcp_episode(server, task))))


async def _openenv_episode(base_url: str, task: Task) -> float:
    from envfactory_gym.integrations.openenv import EnvfactoryAction, EnvfactoryEnvClient

    agent = make_agent("oracle")
    async with EnvfactoryEnvClient(base_url=base_url) as client:
        result = await client.reset(task_id=task.task_id)
        agent.start(task, result.observation.tools, None)
        while not result.done:
            result = await client.step(EnvfactoryAction(content=str(agent.act(result.observation.messages))))
        return float(result.reward or 0.0)


def bench_openenv(tasks: list[Task], concurrency: int) -> Timed:
    import uvicorn

    from envfactory_gym.integrations.openenv import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app("airline", split="test", max_sessions=concurrency + 1), port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(600):  # bounded wait for the server to listen
        if server.started:
            break
        time.sleep(0.05)
    try:
        base_url = f"http://127.0.0.1:{port}"
        return timed(lambda: asyncio.run(gathered(tasks, concurrency, lambda task: _openenv_episode(base_url, task))))
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def gathered(tasks: list[Task], concurrency: int, play: Callable[[Task], Any]) -> list[float]:
    limit = asyncio.Semaphore(concurrency)

    async def one(task: Task) -> float:
        async with limit:
            return await play(task)

    return list(await asyncio.gather(*(one(task) for task in tasks)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=64, help="airline test tasks per path")
    parser.add_argument("--concurrency", type=int, default=16, help="episodes in flight (served and Ray paths)")
    parser.add_argument("--actors", type=int, default=2, help="Ray pool actors")
    parser.add_argument("--skip", nargs="*", default=[], choices=["ray", "mcp", "openenv"])
    options = parser.parse_args()
    tasks = select_tasks("airline", split="test")[: options.tasks]
    bench_in_process(tasks[:2])  # build the seeded snapshot once, as every long-running process has it
    paths: list[tuple[str, Callable[[], Timed]]] = [("in-process", lambda: bench_in_process(tasks))]
    if "ray" not in options.skip:
        import ray

        ray.init(num_cpus=max(2, options.actors), include_dashboard=False, log_to_driver=False)
        paths.append(
            (f"Ray pool ({options.actors} actors)", lambda: bench_ray(tasks, options.concurrency, options.actors))
        )
    if "mcp" not in options.skip:
        paths.append(("MCP (in memory)", lambda: bench_mcp(tasks, options.concurrency)))
    if "openenv" not in options.skip:
        paths.append(("OpenEnv (WebSocket)", lambda: bench_openenv(tasks, options.concurrency)))
    print(f"{len(tasks)} airline test episodes, oracle agent, concurrency {options.concurrency} on served/Ray paths")
    print(f"{'path':<24}{'episodes/s':>12}{'ms/episode':>12}{'all solved':>12}")
    for label, run in paths:
        rewards, elapsed = run()
        solved = len(rewards) == len(tasks) and all(r == 1.0 for r in rewards)
        print(f"{label:<24}{len(tasks) / elapsed:>12.1f}{1000 * elapsed / len(tasks):>12.2f}{solved!s:>12}")


if __name__ == "__main__":
    main()
