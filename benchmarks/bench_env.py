"""Environment speed and memory: every registered environment, then the airline in detail beside raw sqlite3.

Every environment (one row each; its packaged tasks' gold calls give a read and a write that succeed on
the initial state). Episodes run in blocks of 10 per environment, round-robin, each one: ``reset`` with the task,
the read as the **first call**, the same read again ``--reads`` times (**later calls**), the write, and
the **state hash**. Steps are ``ToolUseEnv.step`` with an OpenAI-style tool call. The last column is the
first call's p50 over the later calls' p50 (target ≤ 1.5: an episode's first call pays no cold cache).

Then the full seeded airline database in detail:
  reset            ToolUseEnv.reset (task load, the episode's slot rolled back, tool schemas)
  custom reset     the same with the seeded state given as the task's own scenario (native format)
  read step        ToolUseEnv.step with a <tool_call> for get_reservation_details (parse + execute + observation)
  write step       ToolUseEnv.step with a <tool_call> for send_certificate (parse + validate + write + savepoint)
  hash+changes     state hash plus net change set after an episode with 5 writes
  read steps/s     single process, one core
  memory/episode   RSS growth per live episode with 1,000 episodes open
Floors: the same operations written directly against sqlite3 (deserialize; SELECT by key + json.dumps;
UPDATE + COMMIT; hashing the whole serialized database, as a rebuild-and-hash design has to).

Usage: python benchmarks/bench_env.py [--episodes 300] [--reads 4] [--env airline] [--repeat 2000] [--only-all]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

import envfactory_gym  # noqa: F401 - registers the environments
from envfactory_gym import registry
from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.scenario import dump_scenario
from envfactory_gym.tasks import GoldCall, Task

EPISODE_STEPS = 20
BLOCK = 10  # episodes of one environment in a row, in the every-environment table


def timings(run: Callable[[int], object], repeat: int, between: Callable[[], object] | None = None) -> list[float]:
    """Time ``run`` ``repeat`` times; ``between`` runs untimed every EPISODE_STEPS (a fresh episode)."""
    samples = []
    for i in range(repeat):
        if between is not None and i % EPISODE_STEPS == 0:
            between()
        start = time.perf_counter()
        run(i)
        samples.append(time.perf_counter() - start)
    return samples


def p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] if len(samples) > 1 else samples[0]


def rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def call(name: str, **arguments: object) -> str:
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


def openai_call(call: GoldCall) -> dict[str, Any]:
    function = {"name": call.tool, "arguments": json.dumps(call.arguments)}
    return {"role": "assistant", "content": None, "tool_calls": [{"id": "bench", "function": function}]}


def pick_calls(env_id: str) -> tuple[Task, GoldCall, GoldCall] | None:
    """A task, one of its environment's read gold calls and a write gold call that succeed on its state."""
    definition = registry.load_definition(env_id)
    tasks = ToolUseEnv([env_id]).task_pool("train") + ToolUseEnv([env_id]).task_pool("test")
    for task in tasks:
        if task.scenario:
            continue
        reads = [c for c in task.gold_calls if definition.tools[c.tool].kind == "read"]
        writes = [
            c
            for other in tasks
            if other.seed == task.seed and not other.scenario
            for i, c in enumerate(other.gold_calls)
            if definition.tools[c.tool].kind == "write"
            and all(definition.tools[g.tool].kind == "read" for g in other.gold_calls[:i])
        ]
        for read in reads:
            for write in writes:
                env = ToolUseEnv([env_id], tasks=[task], max_steps=10**9)
                env.reset(options={"task": task})
                ok = all(r["ok"] for action in (read, write) for r in env.step(openai_call(action))[4]["tool_results"])
                env.close()
                if ok:
                    return task, read, write
    return None


def bench_all(episodes: int, reads: int) -> None:
    """One row per registered environment: reset, first call, later calls, write, state hash."""
    cases = {}
    for env_id in sorted(registry.implemented()):
        picked = pick_calls(env_id)
        if picked is None:
            print(f"{env_id}: no read and write gold calls that succeed from a task's initial state; skipped")
            continue
        task, read, write = picked
        env = ToolUseEnv([env_id], tasks=[task], max_steps=10**9)
        cases[env_id] = (env, task, openai_call(read), openai_call(write), read, write)
    samples: dict[str, dict[str, list[float]]] = {e: {} for e in cases}

    def add(env_id: str, name: str, seconds: float) -> None:
        samples[env_id].setdefault(name, []).append(seconds)

    # Blocks of BLOCK episodes per environment, round-robin: interleaved, so machine noise hits every
    # environment alike, but not alternating at every episode, which would measure 11 environments
    # evicting each other from the CPU caches rather than any one of them. The first block only warms up.
    blocks = -(-episodes // BLOCK)
    for block in range(blocks + 1):
        for env_id, (env, task, read, write, _, _) in cases.items():
            for _ in range(BLOCK):
                t0 = time.perf_counter()
                env.reset(options={"task": task})
                t1 = time.perf_counter()
                env.step(read)
                t2 = time.perf_counter()
                later = []
                for _ in range(reads):
                    tick = time.perf_counter()
                    env.step(read)
                    later.append(time.perf_counter() - tick)
                t3 = time.perf_counter()
                env.step(write)
                t4 = time.perf_counter()
                env.state_hash()
                t5 = time.perf_counter()
                if block == 0:
                    continue
                add(env_id, "reset", t1 - t0)
                add(env_id, "first call", t2 - t1)
                samples[env_id].setdefault("later calls", []).extend(later)
                add(env_id, "write step", t4 - t3)
                add(env_id, "state hash", t5 - t4)
    table = Table(title=f"every environment: {blocks * BLOCK} episodes each, in blocks of {BLOCK}, round-robin; p50")
    columns = ("environment", "read / write tool", "reset", "first call", "later calls", "write step", "state hash")
    for column in (*columns, "first / later"):
        table.add_column(column, justify="left" if column in columns[:2] else "right")

    def us(values: list[float]) -> str:
        return f"{statistics.median(values) * 1e6:,.0f} µs"

    worst = 0.0
    for env_id, (env, _, _, _, read_call, write_call) in cases.items():
        s = samples[env_id]
        ratio = statistics.median(s["first call"]) / statistics.median(s["later calls"])
        worst = max(worst, ratio)
        table.add_row(
            env_id,
            f"{read_call.tool} / {write_call.tool}",
            *(us(s[k]) for k in ("reset", "first call", "later calls", "write step", "state hash")),
            f"{ratio:.2f}",
        )
        env.close()
    Console().print(table)
    print(f"largest first-call / later-call ratio: {worst:.2f} (target ≤ 1.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", default="airline")
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--live", type=int, default=1000, help="live episodes for the memory measurement")
    parser.add_argument("--episodes", type=int, default=300, help="episodes per environment in the first table")
    parser.add_argument("--reads", type=int, default=4, help="later read calls per episode")
    parser.add_argument("--only-all", action="store_true", help="only the every-environment table")
    args = parser.parse_args()
    bench_all(args.episodes, args.reads)
    if args.only_all:
        return
    definition = registry.load_definition(args.env)
    snapshot = get_snapshot(definition)
    reservations = [r["reservation_id"] for r in snapshot.query("SELECT reservation_id FROM reservations")]
    users = [r["user_id"] for r in snapshot.query("SELECT user_id FROM users")]
    rng = random.Random(0)
    task = Task(
        task_id="bench",
        domain=definition.domain,
        env_ids=[args.env],
        goal="write",
        query="Benchmark episode.",
        gold_calls=[],
    )
    env = ToolUseEnv([args.env], tasks=[task], max_steps=10**9)
    options = {"task": task}
    env.reset(options=options)

    reset = timings(lambda i: env.reset(options=options), args.repeat)

    # The same state as a custom scenario (the environment's native format, else tables), alternating with
    # packaged resets in one loop; the scenario object is the task's, as for any task list.
    export = EpisodeDatabase(snapshot)
    if definition.scenario_io is not None:
        scenario = definition.scenario_io.dump(export)
    else:
        scenario = dump_scenario(definition, export.export_tables())
    export.close()
    scenario_size = len(json.dumps(scenario))
    custom = task.model_copy(update={"task_id": "bench-custom", "scenario": {args.env: scenario}})
    custom_env = ToolUseEnv([args.env], tasks=[custom], max_steps=10**9)
    started = time.perf_counter()
    custom_env.reset(options={"task": custom})
    custom_cold = time.perf_counter() - started
    custom_resets, packaged_resets = [], []
    for _ in range(args.repeat // 2):
        for target, out, opts in ((custom_env, custom_resets, {"task": custom}), (env, packaged_resets, options)):
            tick = time.perf_counter()
            target.reset(options=opts)
            out.append(time.perf_counter() - tick)
    custom_env.close()

    def fresh() -> object:
        return env.reset(options=options)

    read_actions = [
        call("get_reservation_details", reservation_id=rng.choice(reservations)) for _ in range(args.repeat)
    ]
    read = timings(lambda i: env.step(read_actions[i]), args.repeat, fresh)
    write_actions = [call("send_certificate", user_id=rng.choice(users), amount=50) for _ in range(args.repeat)]
    write = timings(lambda i: env.step(write_actions[i]), args.repeat, fresh)
    env.reset(options=options)
    assert all(r["ok"] for r in env.step(write_actions[0])[4]["tool_results"]), "the write tool must succeed"

    def episode_hash(i: int) -> None:
        runtime = env.runtime
        assert runtime is not None
        runtime.change_sets()
        runtime.state_hash()

    hash_samples = []
    for _ in range(200):
        env.reset(options=options)
        for action in rng.sample(write_actions, 5):
            env.step(action)
        hash_samples.extend(timings(episode_hash, 1))

    # Throughput counts whole episodes: resets included, as in a rollout worker.
    started, steps = time.perf_counter(), 0
    while time.perf_counter() - started < 3.0:
        if steps % EPISODE_STEPS == 0:
            env.reset(options=options)
        env.step(read_actions[steps % len(read_actions)])
        steps += 1
    steps_per_second = steps / (time.perf_counter() - started)

    gc.collect()
    before = rss_bytes()
    live = []
    for _ in range(args.live):
        episode = ToolUseEnv([args.env], tasks=[task])
        episode.reset(options=options)
        episode.step(read_actions[0])
        live.append(episode)
    gc.collect()
    per_episode = (rss_bytes() - before) / args.live
    for episode in live:
        episode.close()

    # -- raw sqlite3 floor ------------------------------------------------------------------------------------
    def raw_reset(i: int) -> None:
        connection = sqlite3.connect(":memory:")
        connection.deserialize(snapshot.data)
        connection.close()

    floor_connection = sqlite3.connect(":memory:", isolation_level=None)
    floor_connection.deserialize(snapshot.data)

    def raw_read(i: int) -> None:
        reservation_id = rng.choice(reservations)
        row = floor_connection.execute(
            "SELECT * FROM reservations WHERE reservation_id = ?", (reservation_id,)
        ).fetchone()
        json.dumps(row)

    def raw_write(i: int) -> None:
        floor_connection.execute("BEGIN")
        floor_connection.execute("UPDATE users SET membership = membership WHERE user_id = ?", (rng.choice(users),))
        floor_connection.execute("COMMIT")

    def raw_hash(i: int) -> None:
        hashlib.sha256(floor_connection.serialize()).hexdigest()

    floors = {
        "reset": timings(raw_reset, args.repeat),
        "read": timings(raw_read, args.repeat),
        "write": timings(raw_write, args.repeat),
        "hash": timings(raw_hash, 200),
    }

    table = Table(
        title=f"{args.env}: {snapshot.size_bytes / 1024:.0f} KiB database, "
        f"{len(users)} users, {len(reservations)} reservations"
    )
    for column in ("operation", "p50", "p95", "raw sqlite3 floor (p50)", "target"):
        table.add_column(column, justify="right" if column != "operation" else "left")

    def ms(value: float) -> str:
        return f"{value * 1e3:.3f} ms"

    table.add_row("reset", ms(p(reset, 50)), ms(p(reset, 95)), ms(p(floors["reset"], 50)) + " (deserialize)", "≤ 1 ms")
    ratio = p(custom_resets, 50) / p(packaged_resets, 50)
    table.add_row(
        f"reset with a custom scenario ({scenario_size / 1e6:.1f} MB JSON)",
        ms(p(custom_resets, 50)),
        ms(p(custom_resets, 95)),
        f"{ratio:.2f}x a packaged reset ({ms(p(packaged_resets, 50))})",
        "≤ 2x packaged",
    )
    table.add_row("  first reset with it (key + build, once)", ms(custom_cold), "", "", "")
    table.add_row(
        "read step", ms(p(read, 50)), ms(p(read, 95)), ms(p(floors["read"], 50)) + " (SELECT+json)", "≤ 0.2 ms"
    )
    table.add_row(
        "write step", ms(p(write, 50)), ms(p(write, 95)), ms(p(floors["write"], 50)) + " (UPDATE+COMMIT)", "≤ 0.4 ms"
    )
    table.add_row(
        "state hash + change set",
        ms(p(hash_samples, 50)),
        ms(p(hash_samples, 95)),
        ms(p(floors["hash"], 50)) + " (sha256 of whole DB)",
        "≤ 5 ms",
    )
    table.add_row("read steps/s (one core)", f"{steps_per_second:,.0f}", "", "", "≥ 3,000")
    table.add_row(
        "memory per live episode",
        f"{per_episode / 1e6:.2f} MB",
        "",
        f"{snapshot.size_bytes / 1e6:.2f} MB (DB bytes)",
        "≤ 2 MB",
    )
    Console().print(table)


if __name__ == "__main__":
    main()
