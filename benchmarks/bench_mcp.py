"""Tool-call latency and throughput: served over MCP (in memory, streamable HTTP) and the lean JSON API,
against the direct gym step.

For 1, 10 and 100 concurrent sessions, every session starts the bank fixture's transfer task, makes one
transfer of a session-specific amount and then ``--calls`` reads. Checked for every session: no call
failed, and its change set holds only its own transfer (no cross-session leakage). Paths:

* gym step (direct)          ``ToolUseEnv.step`` in this process, the floor;
* MCP in memory              FastMCP's client and server in one process (no transport);
* MCP HTTP (JSON, default)   ``envfactory serve --transport http``: streamable HTTP answering with JSON
                             bodies, on uvicorn with uvloop and httptools;
* MCP HTTP (previous default) the same with ``--sse --loop asyncio --http h11``: every response an SSE
                             stream, on asyncio's loop and the h11 parser (what ``serve`` ran before);
* lean JSON HTTP             ``envfactory serve --transport json``: POST /reset, POST /step (httpx client).

Servers run in their own processes on loopback; the clients share this process (and the same 2 cores).
Every loop is bounded. Run from the repository root::

    python benchmarks/bench_mcp.py [--calls 20] [--sessions 1 10 100] [--rounds 3] [--no-http]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from fastmcp import Client  # noqa: E402

from envfactory_gym import registry  # noqa: E402
from envfactory_gym.env import ToolUseEnv  # noqa: E402
from envfactory_gym.mcp_server import EnvfactoryMCP  # noqa: E402
from envfactory_gym.tasks import GoldCall, Task, write_tasks  # noqa: E402
from tests.fixtures import bank  # noqa: E402

ACCOUNT = "A0001"


def transfer_task() -> Task:
    from envfactory_gym.gold import with_gold_changes

    return with_gold_changes(
        Task(
            task_id="bench-transfer",
            domain="finance",
            env_ids=["test_bank"],
            goal="write",
            query="Please send 1 from A0001 to A0002.",
            gold_calls=[
                GoldCall(
                    env_id="test_bank",
                    tool="transfer",
                    arguments={"source_id": "A0001", "target_id": "A0002", "amount": 1},
                )
            ],
        )
    )


def amount_for(session: int) -> int:
    return session + 1


def check_changes(changes: dict[str, list[dict[str, Any]]], session: int) -> bool:
    """Only this session's transfer: the two balance updates and one transfer row with its own amount."""
    rows = changes["test_bank"]
    inserted = [r["after"]["amount"] for r in rows if r["table"] == "transfers"]
    return len(rows) == 3 and inserted == [amount_for(session)]


# -- direct gym ----------------------------------------------------------------------------------------------


def bench_gym(sessions: int, calls: int, task: Task) -> dict[str, Any]:
    envs = [ToolUseEnv(["test_bank"], tasks=[task], max_steps=calls + 10) for _ in range(sessions)]
    for env in envs:
        env.reset(options={"task_id": task.task_id})
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    for index, env in enumerate(envs):
        transfer = {
            "name": "transfer",
            "arguments": {"source_id": ACCOUNT, "target_id": "A0002", "amount": amount_for(index)},
        }
        for call in [transfer] + [{"name": "get_account", "arguments": {"account_id": ACCOUNT}}] * calls:
            tick = time.perf_counter()
            _, _, _, _, info = env.step(json.dumps(call))
            latencies.append(time.perf_counter() - tick)
            errors += sum(not r["ok"] for r in info["tool_results"])
    elapsed = time.perf_counter() - started
    leaks = sum(not check_changes(env.change_sets(), i) for i, env in enumerate(envs))
    for env in envs:
        env.close()
    return summary("gym step (direct)", sessions, latencies, elapsed, errors, leaks)


# -- MCP -----------------------------------------------------------------------------------------------------


async def run_session(
    target: Any, index: int, calls: int, latencies: list[float], auth: str | None
) -> tuple[int, bool]:
    errors = 0
    async with Client(target, mode="legacy", auth=auth) as client:
        await client.get_prompt("start_episode", {"task_id": "bench-transfer"})
        plan = [("transfer", {"source_id": ACCOUNT, "target_id": "A0002", "amount": amount_for(index)})]
        plan += [("get_account", {"account_id": ACCOUNT})] * calls
        for name, arguments in plan:
            tick = time.perf_counter()
            result = await client.call_tool(name, arguments, raise_on_error=False)
            latencies.append(time.perf_counter() - tick)
            errors += int(result.is_error)
        contents = await client.read_resource("envfactory://episode/changes")
        changes = json.loads(contents[0].text)  # type: ignore[union-attr]
    return errors, check_changes(changes, index)


async def bench_mcp(label: str, target: Any, sessions: int, calls: int, auth: str | None = None) -> dict[str, Any]:
    latencies: list[float] = []
    started = time.perf_counter()
    results = await asyncio.gather(*(run_session(target, i, calls, latencies, auth) for i in range(sessions)))
    elapsed = time.perf_counter() - started
    errors = sum(e for e, _ in results)
    leaks = sum(not ok for _, ok in results)
    return summary(label, sessions, latencies, elapsed, errors, leaks)


# -- the lean JSON API ----------------------------------------------------------------------------------------


async def run_lean_session(url: str, index: int, calls: int, latencies: list[float]) -> tuple[int, bool]:
    # One client (one keep-alive connection) per session, as for the MCP sessions: a shared pool of 100
    # connections makes httpx's own pool bookkeeping the bottleneck.
    headers = {"Authorization": "Bearer bench"}
    async with httpx.AsyncClient(headers=headers, timeout=60) as client:
        return await _lean_session(client, url, index, calls, latencies)


async def _lean_session(
    client: httpx.AsyncClient, url: str, index: int, calls: int, latencies: list[float]
) -> tuple[int, bool]:
    errors = 0
    session = (await client.post(f"{url}/reset", json={"task_id": "bench-transfer"})).json()["session_id"]
    plan = [("transfer", {"source_id": ACCOUNT, "target_id": "A0002", "amount": amount_for(index)})]
    plan += [("get_account", {"account_id": ACCOUNT})] * calls
    for name, arguments in plan:
        tick = time.perf_counter()
        response = await client.post(
            f"{url}/step", json={"session_id": session, "action": {"name": name, "arguments": arguments}}
        )
        latencies.append(time.perf_counter() - tick)
        errors += int(response.status_code != 200 or not all(r["ok"] for r in response.json()["info"]["tool_results"]))
    changes = (await client.get(f"{url}/state", params={"session_id": session})).json()["changes"]
    await client.delete(f"{url}/sessions/{session}")
    return errors, check_changes(changes, index)


async def bench_lean(url: str, sessions: int, calls: int) -> dict[str, Any]:
    latencies: list[float] = []
    started = time.perf_counter()
    results = await asyncio.gather(*(run_lean_session(url, i, calls, latencies) for i in range(sessions)))
    elapsed = time.perf_counter() - started
    errors, leaks = sum(e for e, _ in results), sum(not ok for _, ok in results)
    return summary("lean JSON HTTP", sessions, latencies, elapsed, errors, leaks)


def summary(
    label: str, sessions: int, latencies: list[float], elapsed: float, errors: int, leaks: int
) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "path": label,
        "sessions": sessions,
        "calls": len(latencies),
        "p50_ms": 1000 * statistics.median(ordered),
        "p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))],
        "calls_per_s": len(latencies) / elapsed,
        "errors": errors,
        "leaks": leaks,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_http_server(
    task_file: Path, max_sessions: int, transport: str = "http", *extra: str
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    args = [
        sys.executable, "-m", "envfactory_gym.cli", "serve", "test_bank", "--module", "tests.fixtures.bank",
        "--tasks", str(task_file), "--transport", transport, "--port", str(port), "--token", "bench",
        "--max-sessions", str(max_sessions), *extra,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(args, cwd=str(REPO), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError("the HTTP server exited at start")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"http://127.0.0.1:{port}" + ("/mcp" if transport == "http" else "")
        time.sleep(0.05)
    process.terminate()
    raise RuntimeError("the HTTP server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=20, help="read calls per session (after one transfer)")
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved repetitions; rows show their medians")
    options = parser.parse_args()
    if "test_bank" not in registry._CUSTOM:
        registry.register_environment(bank.env)
    task = transfer_task()
    most = max(options.sessions)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        task_file = Path(tmp) / "tasks.jsonl"
        write_tasks(task_file, [task])
        servers = {}
        if not options.no_http:
            servers["MCP HTTP (JSON, default)"] = start_http_server(task_file, most)
            servers["MCP HTTP (previous default)"] = start_http_server(
                task_file, most, "http", "--sse", "--loop", "asyncio", "--http", "h11"
            )
            servers["lean JSON HTTP"] = start_http_server(task_file, most, "json")
        try:
            for _ in range(options.rounds):  # every path once per round, so noise hits them alike
                for sessions in options.sessions:
                    rows.append(bench_gym(sessions, options.calls, task))
                    server = EnvfactoryMCP("test_bank", tasks=[task], max_sessions=most)
                    rows.append(asyncio.run(bench_mcp("MCP in memory", server.mcp, sessions, options.calls)))
                    for label, (_, url) in servers.items():
                        if label.startswith("lean"):
                            rows.append(asyncio.run(bench_lean(url, sessions, options.calls)))
                        else:
                            rows.append(asyncio.run(bench_mcp(label, url, sessions, options.calls, auth="bench")))
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=10)
    header = (
        f"{'path':<30}{'sessions':>9}{'calls':>8}{'p50 ms':>9}{'p95 ms':>9}{'calls/s':>10}{'errors':>8}{'leaks':>7}"
    )
    print(f"medians of {options.rounds} interleaved rounds (errors and leaks: totals)")
    print(header)
    print("-" * len(header))
    groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["sessions"], r["path"]), []).append(r)
    for (sessions, path), runs in groups.items():
        median = {k: statistics.median(r[k] for r in runs) for k in ("p50_ms", "p95_ms", "calls_per_s")}
        print(
            f"{path:<30}{sessions:>9}{runs[0]['calls']:>8}{median['p50_ms']:>9.2f}{median['p95_ms']:>9.2f}"
            f"{median['calls_per_s']:>10.0f}{sum(r['errors'] for r in runs):>8}{sum(r['leaks'] for r in runs):>7}"
        )
    for sessions in options.sessions:
        new = groups.get((sessions, "MCP HTTP (JSON, default)"))
        old = groups.get((sessions, "MCP HTTP (previous default)"))
        if new and old:
            ratio = statistics.median(r["calls_per_s"] for r in new) / statistics.median(r["calls_per_s"] for r in old)
            print(f"MCP HTTP at {sessions} session(s): default / previous default calls/s = {ratio:.2f}")
    if any(r["errors"] or r["leaks"] for r in rows):
        raise SystemExit("errors or cross-session leakage found")


if __name__ == "__main__":
    main()
