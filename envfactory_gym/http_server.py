"""A lean HTTP JSON API over the gym: reset and step, one session one episode, nothing else on the path.

MCP's protocol machinery costs milliseconds per call (sessions, JSON-RPC envelopes, capability
negotiation, SSE framing); a trainer that only needs ``reset`` and ``step`` can skip it. This server is
the OpenEnv shape of the same environments — ``POST /reset``, ``POST /step``, ``GET /state`` — on
Starlette, answering each request directly on the event loop (a step is microseconds of work):

* ``POST /reset`` ``{"session_id"?, "task_id"?, "seed"?, "split"?}`` → ``{"session_id", "observation",
  "info"}`` (``info`` as ``ToolUseEnv.reset`` returns it: tools, messages, task id). Without a session id
  a new session is opened; with one, that session's episode restarts.
* ``POST /step`` ``{"session_id", "action"}`` → ``{"observation", "reward", "terminated", "truncated",
  "done", "info"}``; ``action`` is what ``ToolUseEnv.step`` takes (model text, an assistant message with
  tool calls), or one call as ``{"name": ..., "arguments": {...}}``.
* ``GET /state?session_id=`` → ``{"state_hash", "changes"}``; ``DELETE /sessions/{id}`` ends a session;
  ``GET /health``.

Sessions, their limit and idle reclaim are the MCP server's :class:`~envfactory_gym.mcp_server.EpisodeStore`;
malformed actions are the gym's error observations, never server errors. With a token, every request
but ``/health`` needs ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import AsyncIterator
from typing import Any

from mcp.shared.exceptions import MCPError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from envfactory_gym import registry
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.mcp_server import (
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_SESSIONS,
    DEFAULT_MAX_STEPS,
    EpisodeStore,
    SessionLimitError,
)


class _Response(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def _error(status: int, message: str) -> Response:
    return _Response({"error": message}, status_code=status)


def _as_action(action: Any) -> Any:
    """A single ``{"name", "arguments"}`` call as the assistant message the gym takes; anything else as is."""
    if isinstance(action, dict) and "name" in action and "role" not in action:
        function = {"name": action["name"], "arguments": action.get("arguments", {})}
        return {"role": "assistant", "content": None, "tool_calls": [{"id": "http", "function": function}]}
    return action


def _lifespan(store: EpisodeStore) -> Any:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close_all()

    return lifespan


def build_app(
    name: str,
    *,
    tasks: list[Any] | None = None,
    split: str = "train",
    max_steps: int = DEFAULT_MAX_STEPS,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    token: str | None = None,
) -> Starlette:
    """The ASGI app serving ``name`` (an environment id or a domain); run it with any ASGI server."""
    domain, env_ids = registry.resolve(name)

    def make_env() -> ToolUseEnv:
        return ToolUseEnv(None if domain else env_ids, domain, split=split, tasks=tasks, max_steps=max_steps)

    store = EpisodeStore(make_env, max_sessions=max_sessions, idle_timeout=idle_timeout)
    expected = f"Bearer {token}" if token else None

    async def body(request: Request) -> dict[str, Any] | None:
        try:
            data = json.loads(await request.body() or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None

    def denied(request: Request) -> Response | None:
        if expected is not None and not secrets.compare_digest(request.headers.get("authorization", ""), expected):
            return _error(401, "Missing or wrong bearer token.")
        return None

    async def reset(request: Request) -> Response:
        if (refused := denied(request)) is not None:
            return refused
        data = await body(request)
        if data is None:
            return _error(400, "The body must be a JSON object.")
        session = data.get("session_id") or secrets.token_hex(16)
        if not isinstance(session, str):
            return _error(400, "session_id must be a string.")
        options = {k: data[k] for k in ("task_id", "split") if data.get(k) is not None}
        seed = data.get("seed")
        try:
            episode = store.restart(session, options, int(seed) if seed is not None else None)
        except SessionLimitError as exc:
            return _error(503, str(exc))
        except (MCPError, TypeError, ValueError) as exc:  # an unknown task id, a seed that is no integer
            return _error(400, str(exc))
        return _Response(
            {"session_id": session, "observation": episode.env.messages[1]["content"], "info": episode.info}
        )

    async def step(request: Request) -> Response:
        if (refused := denied(request)) is not None:
            return refused
        data = await body(request)
        if data is None or not isinstance(data.get("session_id"), str) or "action" not in data:
            return _error(400, 'The body must be {"session_id": ..., "action": ...}.')
        episode = store.episodes.get(data["session_id"])
        if episode is None:
            return _error(404, "No such session: POST /reset first.")
        episode.last_used = store.clock()
        if episode.done:
            return _error(409, "This episode has ended; POST /reset to start a new one.")
        observation, reward, terminated, truncated, info = episode.env.step(_as_action(data["action"]))
        if terminated or truncated:
            episode.done = True
            episode.reward = float(reward)
        info.pop("messages", None)  # the transcript grows every step; GET /state has the state
        return _Response(
            {
                "observation": observation,
                "reward": reward,
                "terminated": terminated,
                "truncated": truncated,
                "done": terminated or truncated,
                "info": info,
            }
        )

    async def state(request: Request) -> Response:
        if (refused := denied(request)) is not None:
            return refused
        episode = store.episodes.get(request.query_params.get("session_id", ""))
        if episode is None:
            return _error(404, "No such session.")
        episode.last_used = store.clock()
        return _Response({"state_hash": episode.env.state_hash(), "changes": episode.env.change_sets()})

    async def close(request: Request) -> Response:
        if (refused := denied(request)) is not None:
            return refused
        store.close(request.path_params["session_id"])
        return Response(status_code=204)

    async def health(request: Request) -> Response:
        return _Response({"status": "ok", "sessions": len(store.episodes)})

    app = Starlette(
        routes=[
            Route("/reset", reset, methods=["POST"]),
            Route("/step", step, methods=["POST"]),
            Route("/state", state, methods=["GET"]),
            Route("/sessions/{session_id}", close, methods=["DELETE"]),
            Route("/health", health, methods=["GET"]),
        ],
        lifespan=_lifespan(store),
    )
    app.state.store = store
    return app


__all__ = ["build_app"]
