"""Serving an environment (or a domain) over MCP with FastMCP: one MCP session, one episode.

**Agent surface — tools.** ``tools/list`` returns exactly the gym's tool schemas for the session's current
episode (names, descriptions and JSON schemas taken from :class:`~envfactory_gym.authoring.ToolSpec`, not
re-derived; the user's own tools of a dual-control task are hidden, as in the gym). ``tools/call`` is one
gym step with that single call: results, malformed calls and business-rule refusals come back exactly as
the gym reports them, refusals and malformed calls as MCP error results (``isError``). Nothing an agent
sends raises out of the server or reaches another session.

**Harness surface — prompts and resources.** The operations a harness needs and an agent must not reach
are not tools at all, so they can never appear in an agent's tool list nor be called by a model, whose
only channel is ``tools/call``:

* prompt ``start_episode(task_id?, seed?, split?)`` — start a fresh episode in this session (a task by id,
  or drawn from the split with the seed; new databases) and return its opening message. Getting it again
  is a reset.
* prompt ``send_message(content)`` — the assistant's message without tool calls. It ends the episode (the
  final answer), or in conversational mode returns the simulated user's reply.
* resources ``envfactory://episode`` (task, system prompt, tools, transcript, status),
  ``envfactory://episode/state`` (the index of every table's pages; see below), ``envfactory://episode/changes``
  (the change set), ``envfactory://episode/score`` (the rubric's breakdown) and ``envfactory://tasks`` (task
  ids by split).

**State export.** A seeded database is up to a few MiB as JSON, more than an MCP client takes in one
message (FastMCP's client refuses server-sent events over 1 MiB). So ``envfactory://episode/state`` is an
index — the state hash and, per environment and table, the row count and the number of pages — and
``envfactory://episode/state/{env_id}/{table}/{page}`` is one page: consecutive rows of one table, at most
:data:`STATE_PAGE_BYTES` of JSON (a single larger row is a page of its own). Every page carries the state
hash, so a reader knows the pages belong together; :func:`read_state` does the whole read and returns what
:meth:`~envfactory_gym.env.ToolUseEnv.export_state` returns.

**Sessions.** An episode is keyed by the MCP session: the negotiated session id on handshake-era
connections (streamable HTTP's ``Mcp-Session-Id``; one per connection on stdio and in memory). The
2026-07-28 protocol has no sessions — every request stands alone — so it can carry an episode only over
stdio, where the process serves one client; elsewhere such requests get a clear error asking for a
stateful session (``fastmcp.Client(..., mode="legacy")``). Episodes idle longer than ``idle_timeout``
are reclaimed (checked whenever a session is looked up); every later request of that session gets an
error saying so, until it starts a new episode (``start_episode``) — a reclaimed episode is never silently
replaced. At most ``max_sessions`` episodes live at once: one more is refused with an error saying so.

**Concurrency.** Environment work (steps, resets, exports, scoring) runs in worker threads, never on the
event loop, and one episode's work is serialised by its own lock; so a slow request holds up only its own
session.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
import mcp_types
from fastmcp import FastMCP
from fastmcp.exceptions import ToolError
from fastmcp.prompts import Message
from fastmcp.server.context import Context
from fastmcp.server.dependencies import get_context
from fastmcp.server.middleware import CallNext, Middleware, MiddlewareContext
from fastmcp.server.providers import Provider
from fastmcp.tools.base import Tool, ToolResult
from mcp.shared.exceptions import MCPError

from envfactory_gym import registry
from envfactory_gym.env import ToolUseEnv, system_prompt
from envfactory_gym.scenario import TABLES_FORMAT

STDIO_EPISODE = "stdio"
DEFAULT_MAX_SESSIONS = 64
DEFAULT_IDLE_TIMEOUT = 1800.0
DEFAULT_MAX_STEPS = 200
STATE_PAGE_BYTES = 256 * 1024  # of JSON per state page: with JSON-RPC's escaping, well under a 1 MiB message
STATE_URI = "envfactory://episode/state"
_CLEANUP_KEY = "envfactory_release_episode"
# Streamable HTTP answers each request with one JSON body rather than an SSE stream: the tools never
# stream or notify mid-request, every streamable-HTTP client accepts both (the spec requires it), and
# skipping the event-stream framing makes served calls markedly cheaper (see benchmarks/bench_mcp.py).
HTTP_JSON_RESPONSE = True


class SessionLimitError(MCPError):
    """More live sessions than the server allows."""


class EpisodeReclaimedError(MCPError):
    """The session's episode was reclaimed after idling; the session must start a new one."""


@dataclass
class Episode:
    env: ToolUseEnv
    last_used: float
    done: bool = False
    reward: float | None = None
    calls: int = 0
    info: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # held while its env works
    closed: bool = False


class EpisodeStore:
    """The live episodes of a server, by session key: created on first use, reclaimed when idle.

    Thread-safe: sessions are looked up from the event loop and from worker threads. A reclaimed session's
    key is remembered (the most recent :attr:`max_remembered` of them) so that its next request is an
    :class:`EpisodeReclaimedError`, not a fresh episode.
    """

    def __init__(
        self,
        make_env: Callable[[], ToolUseEnv],
        *,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_sessions < 1:
            raise ValueError("max_sessions must be at least 1")
        if idle_timeout <= 0:
            raise ValueError("idle_timeout must be positive")
        self.make_env = make_env
        self.max_sessions = max_sessions
        self.idle_timeout = idle_timeout
        self.clock = clock
        self.episodes: dict[str, Episode] = {}
        self.reclaimed = 0
        self.reclaimed_keys: OrderedDict[str, None] = OrderedDict()
        self.max_remembered = max(4096, 16 * max_sessions)
        self._lock = threading.RLock()

    def reclaim_idle(self) -> int:
        with self._lock:
            now = self.clock()
            reclaimed = 0
            for key, episode in list(self.episodes.items()):
                if now - episode.last_used <= self.idle_timeout:
                    continue
                if not episode.lock.acquire(blocking=False):
                    continue  # working on a request right now: not idle
                try:
                    del self.episodes[key]
                    episode.closed = True
                    episode.env.close()
                finally:
                    episode.lock.release()
                self.reclaimed_keys[key] = None
                reclaimed += 1
            while len(self.reclaimed_keys) > self.max_remembered:
                self.reclaimed_keys.popitem(last=False)
            self.reclaimed += reclaimed
            return reclaimed

    def reclaimed_error(self) -> EpisodeReclaimedError:
        return EpisodeReclaimedError(
            code=mcp_types.INVALID_REQUEST,
            message=(
                f"This session's episode was reclaimed after more than {self.idle_timeout:g} s without requests: "
                "its tool calls and changes are gone. Start a new episode (the start_episode prompt) to go on."
            ),
        )

    def get(self, key: str, *, revive: bool = False) -> Episode:
        """The session's episode, created on first use. A reclaimed session gets :class:`EpisodeReclaimedError`
        unless ``revive`` (starting a new episode) is set."""
        with self._lock:
            self.reclaim_idle()
            episode = self.episodes.get(key)
            if episode is None:
                if key in self.reclaimed_keys:
                    if not revive:
                        raise self.reclaimed_error()
                    del self.reclaimed_keys[key]
                if len(self.episodes) >= self.max_sessions:
                    raise SessionLimitError(
                        code=mcp_types.INTERNAL_ERROR,
                        message=(
                            f"Session limit reached: this server holds at most {self.max_sessions} episodes at "
                            f"once. Close another MCP session, or wait for idle ones to be reclaimed "
                            f"(after {self.idle_timeout:g} s without requests)."
                        ),
                    )
                env = self.make_env()
                episode = Episode(env, self.clock())
                episode.info = self._start(episode, {})
                self.episodes[key] = episode
            episode.last_used = self.clock()
            return episode

    @contextmanager
    def use(self, key: str, *, revive: bool = False) -> Iterator[Episode]:
        """The session's episode, held for one request's environment work (see :meth:`get`)."""
        episode = self.get(key, revive=revive)
        with episode.lock:
            if episode.closed:  # reclaimed between the lookup and the lock
                raise self.reclaimed_error()
            try:
                yield episode
            finally:
                episode.last_used = self.clock()

    def restart(self, key: str, options: dict[str, Any], seed: int | None) -> Episode:
        with self.use(key, revive=True) as episode:
            try:
                episode.info = self._start(episode, options, seed)
            except (KeyError, ValueError) as exc:
                # A bad task id or split leaves the session's previous episode exactly as it was.
                raise MCPError(code=mcp_types.INVALID_PARAMS, message=str(exc).strip("'\"")) from None
            return episode

    @staticmethod
    def _start(episode: Episode, options: dict[str, Any], seed: int | None = 0) -> dict[str, Any]:
        _, info = episode.env.reset(seed=seed, options=options)
        episode.done = False
        episode.reward = None
        episode.calls = 0
        return info

    def close(self, key: str) -> None:
        """Release a session's episode (its connection closed); the session is gone, so nothing is remembered."""
        with self._lock:
            episode = self.episodes.pop(key, None)
            self.reclaimed_keys.pop(key, None)
        if episode is not None:
            with episode.lock:
                episode.closed = True
                episode.env.close()

    def close_all(self) -> None:
        for key in list(self.episodes):
            self.close(key)


def episode_key(ctx: Context) -> str:
    """The session an MCP request belongs to (see the module docstring)."""
    if not ctx._is_modern_protocol():
        return ctx.session_id
    if ctx.transport == "stdio":
        return STDIO_EPISODE
    raise MCPError(
        code=mcp_types.INVALID_REQUEST,
        message=(
            "envfactory episodes are stateful and the 2026-07-28 MCP protocol has no sessions: connect with a "
            "handshake-era (stateful) session, e.g. fastmcp.Client(url, mode='legacy')."
        ),
    )


class EpisodeTool(Tool):
    """One environment tool, executed as a gym step in the calling session's episode."""

    server_state: Any = None

    async def run(self, arguments: dict[str, Any]) -> ToolResult:
        state: EnvfactoryMCP = self.server_state
        key = episode_key(get_context())
        return await anyio.to_thread.run_sync(self._step, state.store, key, arguments)

    def _step(self, store: EpisodeStore, key: str, arguments: dict[str, Any]) -> ToolResult:
        with store.use(key) as episode:
            if episode.done:
                return ToolResult(
                    content="Error: this episode has ended. Start a new one to keep going.",
                    is_error=True,
                )
            episode.calls += 1
            action = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": f"mcp_{episode.calls}",
                        "type": "function",
                        "function": {"name": self.name, "arguments": arguments},
                    }
                ],
            }
            observation, reward, terminated, truncated, info = episode.env.step(action)
            if terminated or truncated:
                episode.done = True
                episode.reward = float(reward)
            ok = all(result["ok"] for result in info["tool_results"])
            return ToolResult(content=observation or "(no output)", is_error=not ok)


class SessionMiddleware(Middleware):
    """Resolves the calling session's episode before any request that uses it.

    Providers' errors are logged and swallowed by FastMCP's provider aggregation (a failing provider must
    not break listing), so the session limit and the missing-session error are raised here, where they
    reach the client as the request's error.
    """

    def __init__(self, store: EpisodeStore) -> None:
        self.store = store

    async def _resolve(self, context: MiddlewareContext[Any]) -> None:
        ctx = context.fastmcp_context
        if ctx is None:
            return
        key = episode_key(ctx)
        # Starting an episode is the one request a reclaimed session may make. Creating an episode can
        # build a snapshot (seconds, once per process): off the event loop.
        revive = getattr(context.message, "name", None) == "start_episode" and context.method == "prompts/get"
        await anyio.to_thread.run_sync(functools.partial(self.store.get, key, revive=revive))
        # Release the episode when its MCP connection closes (client exit, HTTP DELETE, transport idle
        # timeout), so ended sessions do not hold a slot until the idle sweep.
        # (A 2026-07-28 "connection" is a single request: its episode lives on, keyed by the stdio process.)
        request = ctx.request_context
        stateful = request is not None and not ctx._is_modern_protocol()
        connection = getattr(request.session, "_connection", None) if stateful else None
        if connection is not None and not connection.state.get(_CLEANUP_KEY):
            connection.state[_CLEANUP_KEY] = True
            connection.exit_stack.callback(self.store.close, key)

    async def on_list_tools(self, context: MiddlewareContext[Any], call_next: CallNext[Any, Any]) -> Any:
        await self._resolve(context)
        return await call_next(context)

    async def on_call_tool(self, context: MiddlewareContext[Any], call_next: CallNext[Any, Any]) -> Any:
        await self._resolve(context)
        return await call_next(context)

    async def on_get_prompt(self, context: MiddlewareContext[Any], call_next: CallNext[Any, Any]) -> Any:
        await self._resolve(context)
        return await call_next(context)

    async def on_read_resource(self, context: MiddlewareContext[Any], call_next: CallNext[Any, Any]) -> Any:
        await self._resolve(context)
        return await call_next(context)


class EpisodeToolProvider(Provider):
    """Lists and resolves the calling session's agent-visible tools (they depend on its task's environments)."""

    def __init__(self, state: EnvfactoryMCP) -> None:
        super().__init__()
        self.state = state
        self._tools: dict[str, EpisodeTool] = {}

    def _tool(self, schema: dict[str, Any]) -> EpisodeTool:
        function = schema["function"]
        tool = self._tools.get(function["name"])
        if tool is None:
            tool = EpisodeTool(
                name=function["name"],
                description=function["description"],
                parameters=function["parameters"],
                server_state=self.state,
            )
            self._tools[function["name"]] = tool
        return tool

    def _schemas(self) -> list[dict[str, Any]]:
        try:
            ctx = get_context()
        except RuntimeError:
            return []  # FastMCP also lists components outside requests (e.g. task discovery); no episode there
        if ctx.request_context is None:
            return []
        return list(self.state.store.get(episode_key(ctx)).info["tools"])

    async def _list_tools(self) -> list[Tool]:
        return [self._tool(schema) for schema in self._schemas()]

    async def _get_tool(self, name: str, version: Any = None) -> Tool | None:
        schemas = self._schemas()
        for schema in schemas:
            if schema["function"]["name"] == name:
                return self._tool(schema)
        if not schemas:
            return None
        # A name the episode does not list still goes to the gym, which answers it as an unknown tool and
        # counts it as a malformed call, exactly as for an agent playing through the gym API.
        return EpisodeTool(
            name=name[:64] or "unknown", description="", parameters={"type": "object"}, server_state=self.state
        )


class EnvfactoryMCP:
    """A FastMCP server for one environment or domain, with its episode store.

    Args:
        name: an environment id or a domain (``envfactory serve <name>``).
        tasks / split / conversational / user_simulator / max_steps: passed to each session's
            :class:`~envfactory_gym.env.ToolUseEnv`.
        max_sessions / idle_timeout: the session limit and the idle time after which an episode is reclaimed.
        auth: a FastMCP auth provider (see :func:`bearer_auth`), for HTTP.
    """

    def __init__(
        self,
        name: str,
        *,
        tasks: list[Any] | None = None,
        split: str = "train",
        conversational: bool = False,
        user_simulator: Any = None,
        max_steps: int = DEFAULT_MAX_STEPS,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        auth: Any = None,
    ) -> None:
        domain, env_ids = registry.resolve(name)
        self.name = name

        def make_env() -> ToolUseEnv:
            return ToolUseEnv(
                None if domain else env_ids,
                domain,
                split=split,
                tasks=tasks,
                max_steps=max_steps,
                conversational=conversational,
                user_simulator=user_simulator,
            )

        self.store = EpisodeStore(make_env, max_sessions=max_sessions, idle_timeout=idle_timeout)
        self._task_env = make_env()  # for listing tasks only; never reset
        definitions = [registry.load_definition(e) for e in env_ids]
        self.mcp: FastMCP = FastMCP(
            f"envfactory-{name}",
            instructions=system_prompt(definitions),
            providers=[EpisodeToolProvider(self)],
            middleware=[SessionMiddleware(self.store)],
            auth=auth,
        )
        self._register_harness()

    def http_app(
        self, path: str = "/mcp", *, idle_timeout: float | None = None, json_response: bool = HTTP_JSON_RESPONSE
    ) -> Any:
        """The streamable-HTTP ASGI app. JSON responses by default (see ``HTTP_JSON_RESPONSE``)."""
        return self.mcp.http_app(path=path, session_idle_timeout=idle_timeout, json_response=json_response)

    # -- harness surface ---------------------------------------------------------------------------------
    def _register_harness(self) -> None:
        mcp = self.mcp
        store = self.store

        # Sync functions: FastMCP runs them in worker threads; each holds its episode while it works.
        @mcp.prompt(name="start_episode", tags={"harness"})
        def start_episode(
            ctx: Context, task_id: str | None = None, seed: int | None = None, split: str | None = None
        ) -> list[Message]:
            """Start a fresh episode in this session (a task by id, or drawn with the seed); returns its opening."""
            options: dict[str, Any] = {}
            if task_id:
                options["task_id"] = task_id
            if split is not None:
                options["split"] = split
            episode = store.restart(episode_key(ctx), options, int(seed) if seed is not None else None)
            return [Message(episode.env.messages[1]["content"], role="user")]

        @mcp.prompt(name="send_message", tags={"harness"})
        def send_message(ctx: Context, content: str) -> list[Message]:
            """The assistant's message without tool calls: ends the episode, or gets the simulated user's reply."""
            with store.use(episode_key(ctx)) as episode:
                if episode.done:
                    raise MCPError(code=mcp_types.INVALID_PARAMS, message="This episode has ended; start a new one.")
                _, reward, terminated, truncated, _ = episode.env.step(content)
                if terminated or truncated:
                    episode.done = True
                    episode.reward = float(reward)
                last = episode.env.messages[-1]
                reply = str(last["content"]) if last["role"] == "user" else ""
            return [Message(reply or "(the conversation has ended)", role="user")]

        @mcp.resource("envfactory://episode", mime_type="application/json", tags={"harness"})
        def episode_resource(ctx: Context) -> str:
            with store.use(episode_key(ctx)) as episode:
                env = episode.env
                return _dumps(
                    {
                        "task_id": env.task.task_id if env.task else None,
                        "env_ids": episode.info.get("env_ids"),
                        "split": episode.info.get("split"),
                        "done": episode.done,
                        "reward": episode.reward,
                        "tool_calls": env._tool_calls,
                        "malformed_calls": env.malformed_calls,
                        "tools": episode.info.get("tools"),
                        "messages": env.messages,
                    }
                )

        @mcp.resource(STATE_URI, mime_type="application/json", tags={"harness"})
        def state_resource(ctx: Context) -> str:
            with store.use(episode_key(ctx)) as episode:
                return _dumps(state_index(episode.env))

        @mcp.resource(STATE_URI + "/{env_id}/{table}/{page}", mime_type="application/json", tags={"harness"})
        def state_page_resource(env_id: str, table: str, page: int, ctx: Context) -> str:
            with store.use(episode_key(ctx)) as episode:
                return state_page(episode.env, env_id, table, page)

        @mcp.resource("envfactory://episode/changes", mime_type="application/json", tags={"harness"})
        def changes_resource(ctx: Context) -> str:
            with store.use(episode_key(ctx)) as episode:
                return _dumps(episode.env.change_sets())

        @mcp.resource("envfactory://episode/score", mime_type="application/json", tags={"harness"})
        def score_resource(ctx: Context) -> str:
            with store.use(episode_key(ctx)) as episode:
                breakdown = episode.env.last_breakdown if episode.done else episode.env._score()
                return _dumps({"done": episode.done, "score": breakdown.to_dict() if breakdown else None})

        @mcp.resource("envfactory://tasks", mime_type="application/json", tags={"harness"})
        def tasks_resource() -> str:
            return _dumps({split: [t.task_id for t in self._task_env.task_pool(split)] for split in ("train", "test")})


# -- state export in pages ---------------------------------------------------------------------------------------


def _table_pages(rows: list[dict[str, Any]]) -> list[list[str]]:
    """A table's rows as JSON texts, cut into consecutive pages of at most STATE_PAGE_BYTES (at least one page)."""
    pages: list[list[str]] = [[]]
    size = 0
    for row in rows:
        text = _dumps(row)
        length = len(text.encode("utf-8")) + 1
        if pages[-1] and size + length > STATE_PAGE_BYTES:
            pages.append([])
            size = 0
        pages[-1].append(text)
        size += length
    return pages


def _tables(env: ToolUseEnv) -> dict[str, dict[str, list[dict[str, Any]]]]:
    return {env_id: scenario["tables"] for env_id, scenario in env.export_state().items()}


def state_index(env: ToolUseEnv) -> dict[str, Any]:
    """What ``envfactory://episode/state`` returns: the state hash, the tables' row and page counts, the pages."""
    environments: dict[str, Any] = {}
    uris: list[str] = []
    for env_id, tables in _tables(env).items():
        counts = {}
        for table, rows in tables.items():
            pages = len(_table_pages(rows))
            counts[table] = {"rows": len(rows), "pages": pages}
            uris += [f"{STATE_URI}/{env_id}/{table}/{page}" for page in range(pages)]
        environments[env_id] = {"tables": counts}
    return {
        "state_hash": env.state_hash(),
        "format": TABLES_FORMAT,
        "page_bytes": STATE_PAGE_BYTES,
        "environments": environments,
        "pages": uris,
    }


def state_page(env: ToolUseEnv, env_id: str, table: str, page: int) -> str:
    """One page of one table (``envfactory://episode/state/{env_id}/{table}/{page}``), as JSON text."""
    tables = _tables(env)
    if env_id not in tables:
        raise MCPError(
            code=mcp_types.INVALID_PARAMS,
            message=f"This episode has no environment {env_id!r}; it has {', '.join(tables)}.",
        )
    if table not in tables[env_id]:
        raise MCPError(
            code=mcp_types.INVALID_PARAMS,
            message=f"{env_id} has no table {table!r}; its tables are {', '.join(tables[env_id])}.",
        )
    pages = _table_pages(tables[env_id][table])
    if not 0 <= page < len(pages):
        raise MCPError(
            code=mcp_types.INVALID_PARAMS,
            message=f"{env_id}/{table} has {len(pages)} page(s), numbered from 0; there is no page {page}.",
        )
    head = _dumps({"state_hash": env.state_hash(), "env_id": env_id, "table": table, "page": page, "pages": len(pages)})
    return f'{head[:-1]}, "rows": [{",".join(pages[page])}]}}'


async def read_state(client: Any) -> dict[str, Any]:
    """The session's whole state through a connected ``fastmcp.Client``: the index, then every page.

    Returns ``{"state_hash": ..., "state": {env_id: {"format", "env_id", "tables"}}}``, the tables as
    :meth:`~envfactory_gym.env.ToolUseEnv.export_state` gives them. Raises RuntimeError when the state
    changed between pages (another request of the same session wrote meanwhile).
    """
    index = json.loads((await client.read_resource(STATE_URI))[0].text)
    state: dict[str, Any] = {
        env_id: {"format": index["format"], "env_id": env_id, "tables": {table: [] for table in entry["tables"]}}
        for env_id, entry in index["environments"].items()
    }
    for uri in index["pages"]:
        page = json.loads((await client.read_resource(uri))[0].text)
        if page["state_hash"] != index["state_hash"]:
            raise RuntimeError("The episode's state changed while it was being read; read it again.")
        state[page["env_id"]]["tables"][page["table"]].extend(page["rows"])
    return {"state_hash": index["state_hash"], "state": state}


def _dumps(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def bearer_auth(token: str) -> Any:
    """An auth provider accepting exactly one static bearer token (for a local HTTP server)."""
    from fastmcp.server.auth.providers.jwt import StaticTokenVerifier

    return StaticTokenVerifier(tokens={token: {"client_id": "envfactory-harness", "scopes": []}})


def build_server(name: str, *, token: str | None = None, **kwargs: Any) -> EnvfactoryMCP:
    """The server for ``envfactory serve``: an :class:`EnvfactoryMCP`, with bearer auth when a token is given."""
    return EnvfactoryMCP(name, auth=bearer_auth(token) if token else None, **kwargs)


__all__ = [
    "STATE_PAGE_BYTES",
    "EnvfactoryMCP",
    "EpisodeReclaimedError",
    "EpisodeStore",
    "SessionLimitError",
    "ToolError",
    "bearer_auth",
    "build_server",
    "episode_key",
    "read_state",
    "state_index",
    "state_page",
]
