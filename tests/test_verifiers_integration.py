"""The suite as a verifiers environment, with the real verifiers package and its OpenAI client.

verifiers pins ``mcp<2``, which the project's FastMCP cannot share, so it lives in its own environment
(``.venv-verifiers``, built by ``make setup``). Collected in the main environment, this module runs itself there
and fails with that run; collected where verifiers is importable, it runs the checks below. The model is a
scripted OpenAI-compatible HTTP server on a loopback port, reached through ``openai.AsyncOpenAI``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
VERIFIERS_PYTHON = Path(os.environ.get("VERIFIERS_PYTHON", ROOT / ".venv-verifiers" / "bin" / "python"))

if importlib.util.find_spec("verifiers") is None:

    def test_verifiers_integration_in_its_own_environment() -> None:
        if not VERIFIERS_PYTHON.exists():
            pytest.fail(f"{VERIFIERS_PYTHON} is missing: `make setup` builds the verifiers environment.")
        result = subprocess.run(
            [str(VERIFIERS_PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(Path(__file__))],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
        assert " passed" in result.stdout and " failed" not in result.stdout

else:
    import asyncio

    import verifiers as vf
    from openai import AsyncOpenAI

    from envfactory_gym.env import ToolUseEnv
    from envfactory_gym.export import select_tasks
    from envfactory_gym.integrations.verifiers import EnvfactoryToolEnv, load_environment
    from envfactory_gym.tasks import Task

    Script = Callable[[Task, list[dict[str, Any]]], dict[str, Any]]

    def oracle(task: Task, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """The gold calls, one per turn, then the required facts."""
        turn = sum(1 for m in messages if m["role"] == "assistant")
        if turn < len(task.gold_calls):
            call = task.gold_calls[turn]
            arguments = json.dumps(call.arguments)
            tool_call = {"id": f"c{turn}", "type": "function", "function": {"name": call.tool, "arguments": arguments}}
            return {"role": "assistant", "content": None, "tool_calls": [tool_call]}
        facts = "; ".join(task.required_facts)
        return {"role": "assistant", "content": f"Done. {facts}".strip()}

    def noop(task: Task, messages: list[dict[str, Any]]) -> dict[str, Any]:
        return {"role": "assistant", "content": "I cannot help with that."}

    @pytest.fixture(scope="module")
    def tasks() -> list[Task]:
        return [t for t in select_tasks("airline", split="test") if len(t.gold_calls) >= 2][:2]

    @pytest.fixture
    def model(tasks: list[Task]) -> Iterator[Callable[[Script], str]]:
        """Start a scripted chat-completions server; returns its base URL."""
        servers: list[ThreadingHTTPServer] = []
        by_query = {t.query: t for t in tasks}

        def start(script: Script) -> str:
            class Handler(BaseHTTPRequestHandler):
                def do_POST(self) -> None:
                    body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                    task = by_query[next(m["content"] for m in body["messages"] if m["role"] == "user")]
                    assert {t["function"]["name"] for t in body["tools"]} >= {c.tool for c in task.gold_calls}
                    message = script(task, body["messages"])
                    reason = "tool_calls" if message.get("tool_calls") else "stop"
                    reply = {
                        "id": "r",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body["model"],
                        "choices": [{"index": 0, "message": message, "finish_reason": reason}],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                    }
                    data = json.dumps(reply).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

                def log_message(self, format: str, *args: Any) -> None:
                    pass

            server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            return f"http://127.0.0.1:{server.server_address[1]}/v1"

        yield start
        for server in servers:
            server.shutdown()

    def evaluate(env: EnvfactoryToolEnv, base_url: str) -> list[Any]:
        client = vf.OpenAIChatCompletionsClient(AsyncOpenAI(base_url=base_url, api_key="local", max_retries=0))

        async def run() -> Any:
            return await env.evaluate(client=client, model="scripted", on_progress=lambda *a, **k: None)

        return asyncio.run(run())["outputs"]

    def test_rows_carry_the_prompt_the_task_and_the_episode_tools(tasks: list[Task]) -> None:
        env = load_environment("airline", split="test")
        rows = env.get_dataset()
        assert len(rows) == len(select_tasks("airline", split="test"))
        row = rows[0]
        info = json.loads(row["info"])
        task = next(t for t in select_tasks("airline", split="test") if t.task_id == info["task_id"])
        assert [m["role"] for m in row["prompt"]] == ["system", "user"] and row["prompt"][1]["content"] == task.query
        _, episode = ToolUseEnv(env_ids=task.env_ids, tasks=[], prefix_tools=False).reset(options={"task": task})
        engine = {t["function"]["name"]: t["function"]["parameters"] for t in episode["tools"]}
        assert {d["name"]: d["parameters"] for d in info["tool_defs"]} == engine
        assert isinstance(env, vf.MultiTurnEnv)

    def test_a_scripted_rollout_scores_one_and_a_noop_zero(tasks: list[Task], model: Any) -> None:
        env = EnvfactoryToolEnv(tasks)
        solved = evaluate(env, model(oracle))
        assert [o["reward"] for o in solved] == [1.0] * len(tasks)
        # The tool results the model saw came from the episode: one tool message per gold call.
        tools_seen = [sum(1 for m in o["completion"] if m["role"] == "tool") for o in solved]
        assert tools_seen == [len(t.gold_calls) for t in tasks]
        assert [o["reward"] for o in evaluate(env, model(noop))] == [0.0] * len(tasks)
        assert not env._episodes  # every episode was closed

    def test_a_malformed_call_is_an_observation(tasks: list[Task], model: Any) -> None:
        def bad_then_quit(task: Task, messages: list[dict[str, Any]]) -> dict[str, Any]:
            if any(m["role"] == "tool" for m in messages):
                return {"role": "assistant", "content": "Sorry."}
            call = {"id": "c0", "type": "function", "function": {"name": "no_such_tool", "arguments": "{}"}}
            return {"role": "assistant", "content": None, "tool_calls": [call]}

        (output, *_) = evaluate(EnvfactoryToolEnv(tasks[:1]), model(bad_then_quit))
        tool = next(m for m in output["completion"] if m["role"] == "tool")
        assert tool["content"].startswith("Error") and output["reward"] == 0.0 and output["error"] is None
