"""The OpenAI-compatible agent against a real HTTP server on 127.0.0.1 speaking chat completions, end to end
through the evaluation runner: tool calls, malformed replies, retries on 429/5xx/timeouts, token usage."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from envfactory_gym.agents.base import make_agent
from envfactory_gym.agents.openai_agent import AgentTransportError, OpenAIAgent, chat_messages
from envfactory_gym.evaluation import EvalConfig, RunOutcome, evaluate, select_tasks
from tests.test_evaluation import bank_test_tasks

Reply = tuple[int, Any, dict[str, str], float]  # status, body (dict → JSON, str → raw), headers, delay (s)


@dataclass
class ScriptedServer:
    """A chat-completions endpoint whose replies come from a script: ``script(request_body, attempt)``."""

    script: Callable[[dict[str, Any], int], Reply]
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""


@pytest.fixture
def server() -> Iterator[Callable[[Callable[[dict[str, Any], int], Reply]], ScriptedServer]]:
    servers: list[ThreadingHTTPServer] = []

    def start(script: Callable[[dict[str, Any], int], Reply]) -> ScriptedServer:
        state = ScriptedServer(script)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with state.lock:
                    state.requests.append(body)
                    state.headers.append(dict(self.headers))
                    attempt = len(state.requests)
                status, reply, headers, delay = state.script(body, attempt)
                if delay:
                    time.sleep(delay)
                data = reply.encode() if isinstance(reply, str) else json.dumps(reply).encode()
                try:
                    self.send_response(status)
                    for key, value in {"Content-Type": "application/json", **headers}.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and left

            def log_message(self, format: str, *args: Any) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(httpd)
        state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        return state

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def completion(message: dict[str, Any], prompt_tokens: int = 10, completion_tokens: int = 5) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "scripted",
        "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def tool_call(name: str, arguments: dict[str, Any] | str, call_id: str = "call_1") -> dict[str, Any]:
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {
        "content": None,
        "tool_calls": [{"id": call_id, "type": "function", "function": {"name": name, "arguments": text}}],
    }


def competent_model(body: dict[str, Any]) -> dict[str, Any]:
    """A model that reads the request and calls the right tool, then answers with what the tool returned."""
    last = body["messages"][-1]
    if last["role"] == "user":
        query = last["content"]
        account = re.search(r"account (A\d+)", query)
        if account:
            return completion(tool_call("get_account", {"account_id": account.group(1)}))
        amount, source, target = re.search(r"send (\d+) from (A\d+) to (A\d+)", query).groups()  # type: ignore[union-attr]
        return completion(tool_call("transfer", {"source_id": source, "target_id": target, "amount": int(amount)}))
    if last["role"] == "tool" and last["content"].startswith("Error"):
        return competent_model({"messages": [m for m in body["messages"] if m["role"] in {"system", "user"}]})
    result = json.loads(last["content"])
    return completion({"content": f"Done. The balance is {result['balance']}." if "balance" in result else "Done."})


def spec(url: str, **options: Any) -> str:
    settings = {"model": "scripted", "base_url": url, "api_key": "sk-test", "backoff": 0.001, **options}
    return "openai:" + ",".join(f"{k}={v}" for k, v in settings.items())


def run(
    url: str, tmp_path: Path, *, tasks: int = 1, trials: int = 1, concurrency: int = 1, **options: Any
) -> RunOutcome:
    task_set = select_tasks(tasks=bank_test_tasks()[:tasks], split="test")
    config = EvalConfig(agent=spec(url, **options), trials=trials, concurrency=concurrency, progress=False)
    return evaluate(task_set, config, tmp_path / "run.jsonl")


def test_end_to_end_through_the_runner(server: Any, tmp_path: Path) -> None:
    endpoint = server(lambda body, attempt: (200, competent_model(body), {}, 0.0))
    outcome = run(endpoint.url, tmp_path, tasks=3, trials=2, concurrency=3)
    assert outcome.summary.complete and all(r.success and r.reward == 1.0 for r in outcome.records)
    assert all(r.prompt_tokens == 20 and r.completion_tokens == 10 and r.steps == 2 for r in outcome.records)
    assert outcome.summary.metrics.overall.prompt_tokens == 20 * 6
    assert len(endpoint.requests) == 12 and all(h["Authorization"] == "Bearer sk-test" for h in endpoint.headers)
    first = endpoint.requests[0]
    assert first["model"] == "scripted" and first["tool_choice"] == "auto" and first["temperature"] == 0.0
    assert {t["function"]["name"] for t in first["tools"]} >= {"transfer", "get_account"}
    follow_up = next(r for r in endpoint.requests if r["messages"][-1]["role"] == "tool")
    assistant, tool = follow_up["messages"][-2:]
    assert assistant["content"] is None and assistant["tool_calls"][0]["id"] == tool["tool_call_id"]
    assert set(tool) == {"role", "content", "tool_call_id"}  # the transcript's extra 'name' is not sent
    assert "sk-test" not in (tmp_path / "run.jsonl").read_text()


def test_bad_json_in_tool_arguments_is_an_error_observation(server: Any, tmp_path: Path) -> None:
    def script(body: dict[str, Any], attempt: int) -> Reply:
        if attempt == 1:
            return 200, completion(tool_call("transfer", '{"source_id": "A0001", "amount": ')), {}, 0.0
        return 200, competent_model(body), {}, 0.0

    endpoint = server(script)
    (record,) = run(endpoint.url, tmp_path).records
    error = endpoint.requests[1]["messages"][-1]
    assert error["role"] == "tool" and "not valid JSON" in error["content"]
    assert record.errors == {"parse_error": 1} and record.success and record.reward == pytest.approx(0.95)


@pytest.mark.parametrize(
    "reply",
    [{"choices": []}, "this is not json", {"choices": [{"index": 0}]}, completion({"content": ""})],
    ids=["no-choices", "not-json", "no-message", "empty-message"],
)
def test_unusable_replies_become_errors_the_model_sees(server: Any, tmp_path: Path, reply: Any) -> None:
    def script(body: dict[str, Any], attempt: int) -> Reply:
        return (200, reply, {}, 0.0) if attempt == 1 else (200, competent_model(body), {}, 0.0)

    endpoint = server(script)
    (record,) = run(endpoint.url, tmp_path).records
    assert endpoint.requests[1]["messages"][-1]["role"] == "tool"
    assert endpoint.requests[1]["messages"][-1]["content"].startswith("Error")
    assert record.usage["malformed_replies"] == 1 and record.errors == {"parse_error": 1}
    assert record.success and record.steps == 3


@pytest.mark.parametrize(("status", "headers"), [(503, {}), (429, {"Retry-After": "0"})], ids=["503", "429"])
def test_server_errors_and_rate_limits_are_retried(server: Any, tmp_path: Path, status: int, headers: dict) -> None:
    def script(body: dict[str, Any], attempt: int) -> Reply:
        if attempt == 1:
            return status, {"error": {"message": "try again"}}, headers, 0.0
        return 200, competent_model(body), {}, 0.0

    endpoint = server(script)
    (record,) = run(endpoint.url, tmp_path).records
    assert record.success and len(endpoint.requests) == 3
    assert endpoint.requests[0] == endpoint.requests[1]  # the same request, sent again


def test_a_500_is_a_failed_agent_turn_not_a_retry(server: Any, tmp_path: Path) -> None:
    # transformers serve answers 500 for a model output it cannot parse: the same request would fail again.
    def script(body: dict[str, Any], attempt: int) -> Reply:
        if attempt == 1:
            return 500, {"error": {"message": "could not parse the tool call"}}, {}, 0.0
        return 200, competent_model(body), {}, 0.0

    endpoint = server(script)
    (record,) = run(endpoint.url, tmp_path).records
    assert endpoint.requests[0] != endpoint.requests[1]  # not resent: the model saw an error and went on
    assert endpoint.requests[1]["messages"][-1]["role"] == "tool"
    assert record.usage["server_errors"] == 1 and record.success


def test_an_unreachable_server_fails_before_any_episode(tmp_path: Path) -> None:
    import socket

    from envfactory_gym.agents.base import AgentConfigError

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(AgentConfigError, match="Cannot reach the model server"):
        run(f"http://127.0.0.1:{port}/v1", tmp_path)
    assert not (tmp_path / "run.jsonl").exists() and not (tmp_path / "run.summary.json").exists()


def test_a_timeout_is_retried(server: Any, tmp_path: Path) -> None:
    def script(body: dict[str, Any], attempt: int) -> Reply:
        return 200, competent_model(body), {}, (1.0 if attempt == 1 else 0.0)

    endpoint = server(script)
    (record,) = run(endpoint.url, tmp_path, timeout=0.2).records
    assert record.success and len(endpoint.requests) == 3


def test_exhausted_retries_leave_the_episode_unscored(server: Any, tmp_path: Path) -> None:
    endpoint = server(lambda body, attempt: (503, "overloaded", {}, 0.0))
    outcome = run(endpoint.url, tmp_path, max_retries=2)
    assert outcome.records == [] and len(endpoint.requests) == 3
    assert "AgentTransportError" in outcome.failures[0].error and "HTTP 503" in outcome.failures[0].error
    assert not outcome.summary.complete


def test_client_errors_are_not_retried(server: Any) -> None:
    endpoint = server(lambda body, attempt: (401, {"error": {"message": "bad key"}}, {}, 0.0))
    agent = OpenAIAgent(model="scripted", base_url=endpoint.url, api_key="wrong", backoff=0.001)
    agent.start(None, [], 0)
    with pytest.raises(AgentTransportError, match=r"401.*bad key"):
        agent.act([{"role": "user", "content": "hi"}])
    assert len(endpoint.requests) == 1
    agent.close()


def test_sync_act_with_environment_settings(server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def script(body: dict[str, Any], attempt: int) -> Reply:
        if attempt == 1:
            return 502, "bad gateway", {}, 0.0
        return 200, completion(tool_call("get_account", {"account_id": "A0003"}), 7, 3), {}, 0.0

    endpoint = server(script)
    monkeypatch.setenv("OPENAI_BASE_URL", endpoint.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    agent = make_agent("openai:model=scripted,backoff=0.001,max_tokens=64,seed=5")
    agent.start(None, [{"type": "function", "function": {"name": "get_account", "parameters": {}}}], 0)
    action = agent.act([{"role": "user", "content": "balance of A0003?"}])
    assert isinstance(action, dict) and action["tool_calls"][0]["function"]["name"] == "get_account"
    assert agent.usage == {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}
    assert endpoint.headers[-1]["Authorization"] == "Bearer sk-env"
    assert endpoint.requests[-1]["max_tokens"] == 64 and endpoint.requests[-1]["seed"] == 5
    agent.close()


def test_chat_messages_follow_the_strict_protocol() -> None:
    messages = [
        {"role": "system", "content": "s"},
        {"role": "assistant", "content": "", "tool_calls": [{"id": "c", "type": "function", "function": {}}]},
        {"role": "tool", "tool_call_id": "c", "name": "t", "content": "r"},
        {"role": "assistant", "content": "done", "tool_calls": []},
    ]
    assert chat_messages(messages) == [
        {"role": "system", "content": "s"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c", "type": "function", "function": {}}]},
        {"role": "tool", "content": "r", "tool_call_id": "c"},
        {"role": "assistant", "content": "done"},
    ]
