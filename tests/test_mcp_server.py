"""The MCP server, driven with FastMCP's client in memory, over stdio and over streamable HTTP on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fastmcp import Client
from fastmcp.client.transports import StdioTransport
from mcp.shared.exceptions import MCPError

from envfactory_gym.agents.baselines import OracleAgent
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.mcp_server import EnvfactoryMCP, EpisodeStore, SessionLimitError
from envfactory_gym.tasks import Task, write_tasks
from tests.conftest import bank_read_task, bank_task

REPO = Path(__file__).resolve().parents[1]
TRANSFER = {"source_id": "A0001", "target_id": "A0002", "amount": 50}


def tasks() -> list[Task]:
    return [bank_task(), bank_read_task()]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def read_json(client: Client, uri: str) -> Any:
    contents = await client.read_resource(uri)
    return json.loads(contents[0].text)  # type: ignore[union-attr]


async def solve_with_oracle(client: Client, task: Task) -> dict[str, Any]:
    """The harness loop: start the task, replay the oracle's calls as MCP tool calls, answer, read the score."""
    opening = await client.get_prompt("start_episode", {"task_id": task.task_id})
    assert opening.messages[0].content.text == task.query  # type: ignore[union-attr]
    tools = [
        {"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.input_schema}}
        for t in await client.list_tools()
    ]
    oracle = OracleAgent(style="openai")
    oracle.start(task, tools)
    while True:
        action = oracle.act([])
        if isinstance(action, str):
            await client.get_prompt("send_message", {"content": action})
            break
        for call in action["tool_calls"]:
            result = await client.call_tool(call["function"]["name"], json.loads(call["function"]["arguments"]))
            assert not result.is_error
    return await read_json(client, "envfactory://episode/score")


# -- in memory -----------------------------------------------------------------------------------------------


@pytest.fixture
def server() -> EnvfactoryMCP:
    return EnvfactoryMCP("test_bank", tasks=tasks(), max_sessions=4)


def test_tool_list_is_exactly_the_gym_schemas_and_hides_the_harness(server: EnvfactoryMCP) -> None:
    gym_env = ToolUseEnv(["test_bank"], tasks=tasks())
    _, info = gym_env.reset(options={"task_id": "bank-transfer"})

    async def scenario() -> None:
        async with Client(server.mcp, mode="legacy") as client:
            listed = [
                {
                    "type": "function",
                    "function": {"name": t.name, "description": t.description, "parameters": t.input_schema},
                }
                for t in await client.list_tools()
            ]
            assert listed == info["tools"]
            prompts = {p.name for p in await client.list_prompts()}
            resources = {str(r.uri) for r in await client.list_resources()}
            assert prompts == {"start_episode", "send_message"}
            assert "envfactory://episode/score" in resources and "envfactory://episode/state" in resources
            assert not ({t["function"]["name"] for t in listed} & (prompts | {"reset", "score", "load_task"}))

    run(scenario())


def test_calls_malformed_calls_and_isolation_between_concurrent_sessions(server: EnvfactoryMCP) -> None:
    async def scenario() -> None:
        async with Client(server.mcp, mode="legacy") as a, Client(server.mcp, mode="legacy") as b:
            await a.get_prompt("start_episode", {"task_id": "bank-transfer"})
            await b.get_prompt("start_episode", {"task_id": "bank-transfer"})
            before = json.loads((await b.call_tool("get_account", {"account_id": "A0001"})).content[0].text)
            done = await a.call_tool("transfer", TRANSFER)
            assert not done.is_error and json.loads(done.content[0].text)["amount"] == 50
            after_a = json.loads((await a.call_tool("get_account", {"account_id": "A0001"})).content[0].text)
            after_b = json.loads((await b.call_tool("get_account", {"account_id": "A0001"})).content[0].text)
            assert after_a["balance"] == before["balance"] - 50 and after_b == before
            assert (await read_json(b, "envfactory://episode/changes")) == {"test_bank": []}
            state_a = await read_json(a, "envfactory://episode/state")
            state_b = await read_json(b, "envfactory://episode/state")
            assert state_a["state_hash"] != state_b["state_hash"]

            malformed = [
                ("transfer", {"source_id": "A0001", "amount": "lots"}, "Invalid arguments"),
                ("transfer", {"source_id": "A0001", "target_id": "A0002", "amount": 10**9}, "insufficient funds"),
                ("no_such_tool", {}, "unknown tool"),
                ("buggy_lookup", {"account_id": "A0001"}, "failed"),
            ]
            for name, arguments, message in malformed:
                result = await b.call_tool(name, arguments, raise_on_error=False)
                assert result.is_error and message in result.content[0].text, name
            assert (await read_json(b, "envfactory://episode/changes")) == {"test_bank": []}
            episode = await read_json(b, "envfactory://episode")
            assert episode["malformed_calls"] == 2  # bad arguments and unknown tool, as the gym counts them

    run(scenario())


def test_oracle_solves_tasks_through_mcp(server: EnvfactoryMCP) -> None:
    async def scenario() -> None:
        async with Client(server.mcp, mode="legacy") as client:
            for task in tasks():
                score = await solve_with_oracle(client, task)
                assert score["done"] and score["score"]["reward"] == 1.0, task.task_id
            # After the episode ends, tools refuse until the harness starts a new one.
            late = await client.call_tool("get_account", {"account_id": "A0001"}, raise_on_error=False)
            assert late.is_error and "ended" in late.content[0].text
            await client.get_prompt("start_episode", {"task_id": "bank-transfer"})
            assert not (await client.call_tool("get_account", {"account_id": "A0001"})).is_error

    run(scenario())


def test_unknown_task_is_an_error_and_keeps_the_episode(server: EnvfactoryMCP) -> None:
    async def scenario() -> None:
        async with Client(server.mcp, mode="legacy") as client:
            await client.get_prompt("start_episode", {"task_id": "bank-transfer"})
            await client.call_tool("transfer", TRANSFER)
            with pytest.raises(MCPError, match="No task 'nope'"):
                await client.get_prompt("start_episode", {"task_id": "nope"})
            episode = await read_json(client, "envfactory://episode")
            assert episode["task_id"] == "bank-transfer" and episode["tool_calls"] == 1
            assert await read_json(client, "envfactory://tasks") == {
                "train": ["bank-transfer", "bank-read"],
                "test": [],
            }
            drawn = await client.get_prompt("start_episode", {"seed": 3})
            assert drawn.messages[0].content.text in {t.query for t in tasks()}  # type: ignore[union-attr]

    run(scenario())


def test_session_limit_is_a_clear_error() -> None:
    server = EnvfactoryMCP("test_bank", tasks=tasks(), max_sessions=1)

    async def scenario() -> None:
        async with Client(server.mcp, mode="legacy") as first:
            await first.list_tools()
            async with Client(server.mcp, mode="legacy") as second:
                with pytest.raises(MCPError, match=r"Session limit reached: .* at most 1"):
                    await second.list_tools()
            assert await first.list_tools()
        # A closed session releases its episode at once: a new session fits again.
        async with Client(server.mcp, mode="legacy") as third:
            assert await third.list_tools()
        assert server.store.episodes == {}

    run(scenario())


def test_sessionless_protocol_is_refused_off_stdio(server: EnvfactoryMCP) -> None:
    async def scenario() -> None:
        async with Client(server.mcp) as client:  # negotiates the 2026-07-28 protocol
            with pytest.raises(MCPError, match="stateful"):
                await client.list_tools()

    run(scenario())


def test_idle_episodes_are_reclaimed() -> None:
    now = [0.0]
    store = EpisodeStore(
        lambda: ToolUseEnv(["test_bank"], tasks=tasks()), max_sessions=2, idle_timeout=10, clock=lambda: now[0]
    )
    store.get("a")
    now[0] = 5.0
    store.get("b")
    with pytest.raises(SessionLimitError):
        store.get("c")
    now[0] = 12.0  # a is idle for 12 s, b for 7 s
    store.get("c")
    assert set(store.episodes) == {"b", "c"} and store.reclaimed == 1
    with pytest.raises(ValueError):
        EpisodeStore(lambda: ToolUseEnv(["test_bank"]), max_sessions=0)


def test_conversational_server_routes_messages_to_the_user() -> None:
    from tests.test_conversation import conversational_bank_task

    task = conversational_bank_task(hidden="amount to send")
    assert task is not None
    server = EnvfactoryMCP("test_bank", tasks=[task], conversational=True)

    async def scenario() -> None:
        async with Client(server.mcp, mode="legacy") as client:
            await client.get_prompt("start_episode", {"task_id": task.task_id})
            reply = await client.get_prompt("send_message", {"content": "What amount should I send?"})
            assert "50" in reply.messages[0].content.text  # type: ignore[union-attr]
            await client.call_tool("transfer", TRANSFER)
            await client.get_prompt("send_message", {"content": "Your request is complete."})
            score = await read_json(client, "envfactory://episode/score")
            assert score["done"] and score["score"]["reward"] == 1.0

    run(scenario())


# -- stdio and HTTP (subprocesses) ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def task_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mcp") / "bank.jsonl"
    write_tasks(path, tasks())
    return path


def serve_args(task_file: Path, *extra: str) -> list[str]:
    return [
        "-m",
        "envfactory_gym.cli",
        "serve",
        "test_bank",
        "--module",
        "tests.fixtures.bank",
        "--tasks",
        str(task_file),
        *extra,
    ]


def subprocess_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "FASTMCP_SHOW_SERVER_BANNER": "false"}


def test_stdio_server(task_file: Path) -> None:
    transport = StdioTransport(command=sys.executable, args=serve_args(task_file), cwd=str(REPO), env=subprocess_env())

    async def scenario() -> None:
        async with Client(transport) as client:
            assert [t.name for t in await client.list_tools()] == [
                "get_account",
                "transfer",
                "freeze_account",
                "buggy_lookup",
            ]
            bad = await client.call_tool("transfer", {"amount": "x"}, raise_on_error=False)
            assert bad.is_error
            score = await solve_with_oracle(client, bank_task())
            assert score["score"]["reward"] == 1.0

    run(scenario())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def http_server(task_file: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, *serve_args(task_file, "--transport", "http", "--port", str(port), "--token", "t0ken")],
        cwd=str(REPO),
        env=subprocess_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        for _ in range(200):  # wait (bounded) until the server accepts connections
            if process.poll() is not None:
                raise RuntimeError("the HTTP server exited")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            asyncio.run(asyncio.sleep(0.05))
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@asynccontextmanager
async def http_client(url: str, token: str = "t0ken") -> AsyncIterator[Client]:
    async with Client(url, auth=token, mode="legacy") as client:
        yield client


def test_http_server(http_server: str) -> None:
    async def scenario() -> None:
        async with http_client(http_server) as a, http_client(http_server) as b:
            assert {t.name for t in await a.list_tools()} == {
                "get_account",
                "transfer",
                "freeze_account",
                "buggy_lookup",
            }
            await a.get_prompt("start_episode", {"task_id": "bank-transfer"})
            await b.get_prompt("start_episode", {"task_id": "bank-transfer"})
            await a.call_tool("transfer", TRANSFER)
            assert (await read_json(b, "envfactory://episode/changes")) == {"test_bank": []}
            assert len((await read_json(a, "envfactory://episode/changes"))["test_bank"]) == 3
            bad = await b.call_tool("get_account", {"account": 1}, raise_on_error=False)
            assert bad.is_error and "Unknown argument" in bad.content[0].text
            score = await solve_with_oracle(b, bank_read_task())
            assert score["score"]["reward"] == 1.0

    run(scenario())


def test_http_server_requires_the_token(http_server: str) -> None:
    async def scenario() -> None:
        with pytest.raises(Exception, match=r"error|401|nauthori"):
            async with http_client(http_server, token="wrong") as client:
                await client.list_tools()

    run(scenario())
