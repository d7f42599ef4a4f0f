"""The MCP server, driven with FastMCP's client in memory, over stdio and over streamable HTTP on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastmcp import Client
from fastmcp.client.transports import StdioTransport
from mcp.shared.exceptions import MCPError

from envfactory_gym import registry
from envfactory_gym.actions import MAX_ACTION_CHARS
from envfactory_gym.agents.baselines import OracleAgent
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.mcp_server import (
    STATE_PAGE_BYTES,
    EnvfactoryMCP,
    EpisodeStore,
    SessionLimitError,
    read_state,
    state_index,
    state_page,
)
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


def test_unknown_task_or_split_is_an_error_and_keeps_the_episode(server: EnvfactoryMCP) -> None:
    async def scenario() -> None:
        async with Client(server.mcp, mode="legacy") as client:
            await client.get_prompt("start_episode", {"task_id": "bank-transfer"})
            await client.call_tool("transfer", TRANSFER)
            with pytest.raises(MCPError, match="No task 'nope'"):
                await client.get_prompt("start_episode", {"task_id": "nope"})
            with pytest.raises(MCPError, match=r"Unknown options\[\"split\"\] 'bogus'; the splits are: train, test"):
                await client.get_prompt("start_episode", {"split": "bogus"})
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


def test_a_reclaimed_session_gets_a_clear_error_until_it_starts_a_new_episode() -> None:
    server = EnvfactoryMCP("test_bank", tasks=tasks(), idle_timeout=10)
    now = [0.0]
    server.store.clock = lambda: now[0]
    reclaimed = r"reclaimed after more than 10 s without requests.*Start a new episode \(the start_episode prompt\)"

    async def scenario() -> None:
        async with Client(server.mcp, mode="legacy") as client:
            await client.get_prompt("start_episode", {"task_id": "bank-transfer"})
            assert not (await client.call_tool("transfer", TRANSFER)).is_error
            now[0] = 11.0  # the session pauses longer than the idle timeout
            with pytest.raises(MCPError, match=reclaimed):
                await client.read_resource("envfactory://episode")
            with pytest.raises(MCPError, match=reclaimed):
                await client.call_tool("get_account", {"account_id": "A0001"})
            with pytest.raises(MCPError, match=reclaimed):
                await client.list_tools()
            with pytest.raises(MCPError, match=reclaimed):
                await client.get_prompt("send_message", {"content": "Done."})
            assert server.store.reclaimed == 1
            await client.get_prompt("start_episode", {"task_id": "bank-transfer"})
            episode = await read_json(client, "envfactory://episode")
            assert episode["task_id"] == "bank-transfer" and episode["tool_calls"] == 0
            assert not (await client.call_tool("transfer", TRANSFER)).is_error
        assert server.store.episodes == {} and not server.store.reclaimed_keys

    run(scenario())


def test_a_slow_step_in_one_session_does_not_hold_up_another(server: EnvfactoryMCP) -> None:
    """Environment work runs off the event loop: while one session's step is held, another session's calls
    complete (synchronised by events, no timing)."""
    other_done = threading.Event()
    held_until_other_done: list[bool] = []

    async def scenario() -> None:
        async with Client(server.mcp, mode="legacy") as a, Client(server.mcp, mode="legacy") as b:
            await a.get_prompt("start_episode", {"task_id": "bank-read"})
            (episode_a,) = server.store.episodes.values()
            step = episode_a.env.step

            def held_step(action: Any) -> Any:
                # Bounded: the other session sets the event as soon as its calls are done.
                held_until_other_done.append(other_done.wait(timeout=REQUEST_LIMIT))
                return step(action)

            episode_a.env.step = held_step  # type: ignore[method-assign]

            async def other_session() -> None:
                await b.get_prompt("start_episode", {"task_id": "bank-read"})
                for _ in range(3):
                    assert not (await b.call_tool("get_account", {"account_id": "A0003"})).is_error
                other_done.set()

            held, _ = await asyncio.gather(a.call_tool("get_account", {"account_id": "A0001"}), other_session())
            assert not held.is_error

    run(scenario())
    assert held_until_other_done == [True]


@pytest.mark.parametrize("env_id", sorted(registry.implemented()))
def test_state_pages_rebuild_the_export_and_each_fits_a_client_message(env_id: str) -> None:
    """Every environment at its seeded size: the pages hold exactly the exported tables, and each page, as
    JSON-RPC carries it (a JSON string inside the response), stays far below the client's 1 MiB limit."""
    env = ToolUseEnv([env_id])
    env.reset(seed=0)
    index = state_index(env)
    rebuilt: dict[str, list[Any]] = {}
    for uri in index["pages"]:
        _, _, table, page = uri.removeprefix("envfactory://").rsplit("/", 3)
        text = state_page(env, env_id, table, int(page))
        assert len(json.dumps(text, ensure_ascii=False).encode()) < 2**20 // 2
        payload = json.loads(text)
        assert len(payload["rows"]) == 1 or len(text.encode()) <= STATE_PAGE_BYTES + 1024
        assert (
            payload["state_hash"] == index["state_hash"]
            and payload["pages"] == index["environments"][env_id]["tables"][table]["pages"]
        )
        rebuilt.setdefault(table, []).extend(payload["rows"])
    exported = json.loads(json.dumps(env.export_state()[env_id]["tables"], default=str, ensure_ascii=False))
    assert rebuilt == exported
    with pytest.raises(MCPError, match="no page 99"):
        state_page(env, env_id, next(iter(exported)), 99)
    env.close()


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


SERVER_START_LIMIT = 300.0  # seconds: a bound for a loaded machine, not an expectation (it starts in a few)


@contextmanager
def serving_http(args: list[str], log_path: Path) -> Iterator[str]:
    """``envfactory serve ... --transport http`` in a subprocess, yielding its URL once it accepts connections.

    The wait is bounded; a server that exits or never listens fails the test with its own log.
    """
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, *args, "--transport", "http", "--port", str(port)],
            cwd=str(REPO),
            env=subprocess_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + SERVER_START_LIMIT
        while True:
            if process.poll() is not None:
                pytest.fail(f"The HTTP server exited ({process.returncode}) before listening:\n{log_path.read_text()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"The HTTP server did not listen within {SERVER_START_LIMIT:g} s:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=60)


@pytest.fixture(scope="module")
def http_server(task_file: Path) -> Iterator[str]:
    with serving_http([*serve_args(task_file), "--token", "t0ken"], task_file.with_name("server.log")) as url:
        yield url


# A bound on each request so that a server that hangs fails the test instead of stalling the suite; requests
# take milliseconds, so no loaded machine comes near it.
REQUEST_LIMIT = 180.0


@asynccontextmanager
async def http_client(url: str, token: str | None = "t0ken") -> AsyncIterator[Client]:
    async with Client(url, auth=token, mode="legacy", timeout=REQUEST_LIMIT) as client:
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


def test_a_pathological_send_message_does_not_block_another_client(http_server: str) -> None:
    """A maximum-size message that once took the parser hours (a code fence, then whitespace) is an ordinary
    final answer, and another client's calls go through meanwhile."""
    hostile = "```" + " " * (MAX_ACTION_CHARS - 4) + "x"

    async def scenario() -> None:
        async with http_client(http_server) as a, http_client(http_server) as b:
            await a.get_prompt("start_episode", {"task_id": "bank-read"})
            await b.get_prompt("start_episode", {"task_id": "bank-read"})

            async def other_client() -> list[Any]:
                return [await b.call_tool("get_account", {"account_id": "A0003"}) for _ in range(5)]

            _, calls = await asyncio.gather(a.get_prompt("send_message", {"content": hostile}), other_client())
            assert not any(call.is_error for call in calls)
            episode = await read_json(a, "envfactory://episode")
            assert episode["done"] and episode["messages"][-1] == {"role": "assistant", "content": hostile}

    run(scenario())


def test_state_of_the_largest_environment_reads_through_the_http_client(tmp_path: Path) -> None:
    largest = "hotel_booking"  # the largest seeded state of the suite (about 2 MiB of JSON)
    local = ToolUseEnv([largest])
    local.reset(seed=0)  # the episode a new session starts with
    expected = json.loads(
        json.dumps({"state_hash": local.state_hash(), "state": local.export_state()}, default=str, ensure_ascii=False)
    )
    assert len(json.dumps(expected, ensure_ascii=False).encode()) > 1.5 * 2**20  # more than one message carries
    with serving_http(["-m", "envfactory_gym.cli", "serve", largest], tmp_path / "server.log") as url:

        async def scenario() -> None:
            async with http_client(url, token=None) as client:
                assert await read_state(client) == expected

        run(scenario())
