"""An agent backed by any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, SGLang, providers).

Spec: ``openai:model=qwen3-8b,base_url=http://127.0.0.1:8000/v1,api_key=...`` — ``base_url`` and
``api_key`` default to ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``. Other options: ``temperature`` (0),
``top_p``, ``max_tokens``, ``seed``, ``timeout`` (seconds per request, 120), ``max_retries`` (5),
``backoff`` (first retry delay in seconds, 1; doubled each retry, capped by ``max_backoff``, 30),
``tool_choice`` (auto) and ``parallel_tool_calls`` (true/false; unset leaves the server's default).

Before a run, :meth:`OpenAIAgent.preflight` makes one request (``GET {base_url}/models``): an endpoint that
cannot be reached, or that refuses the key, stops the run at once with one line instead of retrying every
episode.

The episode's tools go out as OpenAI function tools; the reply's assistant message (with its
``tool_calls``) is the action, handed to the environment as is. Rate limits (429), server errors (5xx),
timeouts and dropped connections are retried with exponential backoff (``Retry-After`` honoured); when
retries run out the agent raises :class:`AgentTransportError` and the runner leaves the episode unscored
for a later resume. HTTP 500 is *not* retried: servers answer it for a model output they cannot parse
(``transformers serve``), and the same request would get the same output again. It becomes a failed agent
turn, as does anything else the *model* gets wrong — tool arguments that are not JSON, an empty reply, no
choices: an action the environment reports back as an error, counted in the record's ``usage``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from typing import Any

import httpx

from envfactory_gym.agents.base import Agent, AgentConfigError, register_agent
from envfactory_gym.tasks import Task

DEFAULT_BASE_URL = "https://api.openai.com/v1"
RETRY_STATUS = frozenset({408, 409, 429, 502, 503, 504})
# Deterministic server failures: the same request gets the same answer; a failed agent turn, not a retry.
FAILED_TURN_STATUS = frozenset({500})
# Keys the chat-completions API defines per message role; the env's transcript carries a few more
# (a tool message's ``name``) that strict servers reject.
ALLOWED_KEYS = {
    "system": ("role", "content"),
    "user": ("role", "content"),
    "assistant": ("role", "content", "tool_calls"),
    "tool": ("role", "content", "tool_call_id"),
}


class AgentTransportError(RuntimeError):
    """The endpoint could not be reached or kept failing after every retry: no model reply exists."""


def _flag(value: str | bool | None) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"Expected true or false, got {value!r}.")


def chat_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The transcript in the strict chat-completions shape (unknown keys dropped, empty content as null)."""
    cleaned = []
    for message in messages:
        role = message.get("role")
        keep = ALLOWED_KEYS.get(role, ("role", "content"))  # type: ignore[arg-type]
        item = {k: message[k] for k in keep if k in message}
        if role == "assistant":
            if not item.get("tool_calls"):
                item.pop("tool_calls", None)
            elif not item.get("content"):
                item["content"] = None
        cleaned.append(item)
    return cleaned


class OpenAIAgent(Agent):
    """Chat completions with function calling over HTTP (httpx), sync and async."""

    name = "openai"

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        temperature: float | str = 0.0,
        top_p: float | str | None = None,
        max_tokens: int | str | None = None,
        seed: int | str | None = None,
        timeout: float | str = 120.0,
        max_retries: int | str = 5,
        backoff: float | str = 1.0,
        max_backoff: float | str = 30.0,
        tool_choice: str = "auto",
        parallel_tool_calls: bool | str | None = None,
    ) -> None:
        if not model:
            raise ValueError("The openai agent needs a model: openai:model=<name>.")
        self.model = model
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        self.temperature = float(temperature)
        self.top_p = float(top_p) if top_p is not None else None
        self.max_tokens = int(max_tokens) if max_tokens is not None else None
        self.seed = int(seed) if seed is not None else None
        self.timeout = float(timeout)
        self.max_retries = int(max_retries)
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.tool_choice = tool_choice
        self.parallel_tool_calls = _flag(parallel_tool_calls)
        self.tools: list[dict[str, Any]] = []
        self._usage: dict[str, int] = {}
        self._jitter = random.Random(0)
        self._client: httpx.Client | None = None
        self._async_client: httpx.AsyncClient | None = None
        self._async_loop: asyncio.AbstractEventLoop | None = None

    # -- episode ------------------------------------------------------------------------------------------
    def start(self, task: Task | None, tools: list[dict[str, Any]], seed: int | None = None) -> None:
        self.tools = tools
        self._usage = {}

    @property
    def usage(self) -> dict[str, int]:
        return dict(self._usage)

    # -- request ------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"{self.base_url}/chat/completions"

    @property
    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def payload(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": chat_messages(messages),
            "temperature": self.temperature,
        }
        if self.tools:
            body["tools"] = self.tools
            body["tool_choice"] = self.tool_choice
            if self.parallel_tool_calls is not None:
                body["parallel_tool_calls"] = self.parallel_tool_calls
        for key, value in (("top_p", self.top_p), ("max_tokens", self.max_tokens), ("seed", self.seed)):
            if value is not None:
                body[key] = value
        return body

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            retry_after = response.headers.get("retry-after")
            try:
                if retry_after is not None:
                    return min(self.max_backoff, max(0.0, float(retry_after)))
            except ValueError:
                pass  # an HTTP date: fall back to our own schedule
        base = min(self.max_backoff, self.backoff * 2**attempt)
        return base * (0.5 + self._jitter.random() / 2)

    def _give_up(self, reason: str) -> AgentTransportError:
        return AgentTransportError(f"{self.url}: {reason} (after {self.max_retries} retries)")

    @staticmethod
    def _fatal(response: httpx.Response) -> AgentTransportError:
        return AgentTransportError(
            f"{response.request.url} answered {response.status_code}: {response.text[:500]}".rstrip()
        )

    def act(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout)
        body = self.payload(messages)
        for attempt in range(self.max_retries + 1):
            response = None
            try:
                response = self._client.post(self.url, json=body, headers=self.headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt == self.max_retries:
                    raise self._give_up(f"{type(exc).__name__}: {exc}") from exc
            else:
                if response.status_code < 300:
                    return self._action(response)
                if response.status_code in FAILED_TURN_STATUS:
                    return self._server_failed(response)
                if response.status_code not in RETRY_STATUS:
                    raise self._fatal(response)
                if attempt == self.max_retries:
                    raise self._give_up(f"HTTP {response.status_code}")
            time.sleep(self._delay(attempt, response))
        raise AssertionError("unreachable")

    async def aact(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        if self._async_client is None or self._async_loop is not loop:
            # A client belongs to the loop it was first used on; a new evaluation gets a new one.
            self._async_client = httpx.AsyncClient(timeout=self.timeout)
            self._async_loop = loop
        body = self.payload(messages)
        for attempt in range(self.max_retries + 1):
            response = None
            try:
                response = await self._async_client.post(self.url, json=body, headers=self.headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt == self.max_retries:
                    raise self._give_up(f"{type(exc).__name__}: {exc}") from exc
            else:
                if response.status_code < 300:
                    return self._action(response)
                if response.status_code in FAILED_TURN_STATUS:
                    return self._server_failed(response)
                if response.status_code not in RETRY_STATUS:
                    raise self._fatal(response)
                if attempt == self.max_retries:
                    raise self._give_up(f"HTTP {response.status_code}")
            await asyncio.sleep(self._delay(attempt, response))
        raise AssertionError("unreachable")

    # -- reply ----------------------------------------------------------------------------------------------
    def _action(self, response: httpx.Response) -> dict[str, Any]:
        """The reply's assistant message; a reply that has none becomes an action the env reports as an error."""
        self._usage = {}
        try:
            data = response.json()
        except ValueError:
            return self._malformed("the reply was not JSON")
        if not isinstance(data, dict):
            return self._malformed("the reply was not a JSON object")
        usage = data.get("usage")
        if isinstance(usage, dict):
            for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
                if isinstance(usage.get(key), int):
                    self._usage[key] = usage[key]
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            return self._malformed("the reply had no choices")
        message = choices[0].get("message")
        if not isinstance(message, dict):
            return self._malformed("the reply's choice had no message")
        action: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
        if message.get("tool_calls"):
            action["tool_calls"] = message["tool_calls"]
        if not action["content"] and "tool_calls" not in action:
            return self._malformed("the reply was empty")
        return action

    def _server_failed(self, response: httpx.Response) -> dict[str, Any]:
        self._usage = {"server_errors": 1}
        return self._malformed(f"the server answered {response.status_code}: {response.text[:300]}")

    async def preflight(self) -> None:
        """One ``GET {base_url}/models``: fail at once when nothing answers or the key is refused."""
        try:
            async with httpx.AsyncClient(timeout=min(self.timeout, 10.0)) as client:
                response = await client.get(f"{self.base_url}/models", headers=self.headers)
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise AgentConfigError(
                f"Cannot reach the model server at {self.base_url} ({type(exc).__name__}: {exc or 'no answer'}); "
                "is it running, and is base_url right?"
            ) from None
        if response.status_code in (401, 403):
            raise AgentConfigError(
                f"{self.base_url} refused the request ({response.status_code}): check api_key / OPENAI_API_KEY."
            )

    def _malformed(self, reason: str) -> dict[str, Any]:
        # A call without a name is a parse problem for the env: an error observation, a malformed-call
        # count, and another turn for the model, exactly like any other unusable reply.
        self._usage["malformed_replies"] = self._usage.get("malformed_replies", 0) + 1
        return {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"type": "function", "function": {"name": "", "arguments": json.dumps({"error": reason})}}],
        }

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        self.close()
        if self._async_client is not None:
            await self._async_client.aclose()
            self._async_client = None


register_agent("openai", OpenAIAgent)
