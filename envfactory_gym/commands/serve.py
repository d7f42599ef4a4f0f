"""``envfactory serve``: an environment or domain over MCP (stdio, or streamable HTTP on loopback)."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

import typer

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
TOKEN_ENV = "ENVFACTORY_MCP_TOKEN"


def _register_module(module_name: str) -> None:
    """Import a module defining ``env`` (an EnvironmentDefinition) and register it as a custom environment."""
    from envfactory_gym import registry
    from envfactory_gym.authoring import EnvironmentDefinition

    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise typer.BadParameter(f"Cannot import {module_name!r}: {exc}", param_hint="--module") from None
    definition = getattr(module, "env", None)
    if not isinstance(definition, EnvironmentDefinition):
        raise typer.BadParameter(f"{module_name!r} defines no 'env' EnvironmentDefinition.", param_hint="--module")
    if definition.env_id not in registry._CUSTOM:
        registry.register_environment(definition)


def serve(
    name: str = typer.Argument(..., help="Environment id or domain, e.g. airline or travel."),
    transport: str = typer.Option(
        "stdio", help="stdio, http (MCP over streamable HTTP), or json (the lean reset/step JSON API over HTTP)."
    ),
    host: str = typer.Option("127.0.0.1", help="Address to bind for HTTP (loopback by default)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port for HTTP."),
    path: str = typer.Option("/mcp", help="HTTP path of the MCP endpoint."),
    token: str | None = typer.Option(
        None, help=f"Bearer token HTTP clients must send (or set {TOKEN_ENV}; keeps it out of the process list)."
    ),
    max_sessions: int = typer.Option(64, min=1, help="Episodes (MCP sessions) held at once; more are refused."),
    idle_timeout: float = typer.Option(1800.0, min=1.0, help="Seconds without requests before a session is reclaimed."),
    max_steps: int = typer.Option(200, min=1, help="Tool calls per episode before it is truncated."),
    split: str = typer.Option("train", help="Task split episodes draw from."),
    tasks: Path | None = typer.Option(None, exists=True, dir_okay=False, help="A JSONL task file to serve instead."),
    module: list[str] = typer.Option(
        [], "--module", help="Import a module defining 'env' and serve it as a custom environment (repeatable)."
    ),
    conversational: bool = typer.Option(False, help="Assistant messages go to a simulated user."),
    user_simulator: str | None = typer.Option(None, help="'rule' (default) or 'llm:base_url=...,model=...'."),
    sse: bool = typer.Option(False, help="MCP over HTTP: answer with SSE streams instead of JSON bodies."),
    loop: str = typer.Option("auto", help="uvicorn's event loop: auto (uvloop when installed), asyncio, uvloop."),
    http: str = typer.Option("auto", help="uvicorn's HTTP parser: auto (httptools when installed), h11, httptools."),
) -> None:
    """Serve an environment over MCP (or the lean JSON API): one session is one episode with its own databases."""
    import uvicorn

    from envfactory_gym.mcp_server import build_server
    from envfactory_gym.tasks import read_tasks

    if transport not in {"stdio", "http", "json"}:
        raise typer.BadParameter("Use stdio, http or json.", param_hint="--transport")
    for module_name in module:
        _register_module(module_name)
    token = token or os.environ.get(TOKEN_ENV) or None
    if transport == "stdio" and token:
        raise typer.BadParameter("A token only applies to HTTP; stdio is private to the parent process.")
    if transport != "stdio" and host not in LOOPBACK_HOSTS and not token:
        raise typer.BadParameter(
            f"Refusing to serve {host} (not loopback) without a bearer token: pass --token or set {TOKEN_ENV}.",
            param_hint="--host",
        )
    if transport == "json":
        app = _json_app(name, token, tasks, split, max_steps, max_sessions, idle_timeout)
        print(f"envfactory: serving {name} as a JSON API at http://{host}:{port}/", file=sys.stderr, flush=True)
        uvicorn.run(app, host=host, port=port, log_level="warning", loop=loop, http=http)  # type: ignore[arg-type]
        return
    try:
        server = build_server(
            name,
            token=token,
            tasks=read_tasks(tasks) if tasks else None,
            split=split,
            conversational=conversational,
            user_simulator=user_simulator,
            max_steps=max_steps,
            max_sessions=max_sessions,
            idle_timeout=idle_timeout,
        )
    except (KeyError, ValueError) as exc:
        raise typer.BadParameter(str(exc).strip("'\""), param_hint="NAME") from None
    if transport == "stdio":
        server.mcp.run(transport="stdio", show_banner=False)
        return
    # The transport drops idle sessions later than the store reclaims their episodes, so a client coming back
    # after a pause gets the store's error (start a new episode), not a bare "Session terminated".
    app = server.http_app(path, idle_timeout=2 * idle_timeout + 60, json_response=not sse)
    print(f"envfactory: serving {name} over MCP at http://{host}:{port}{path}", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", loop=loop, http=http)  # type: ignore[arg-type]


def _json_app(
    name: str,
    token: str | None,
    tasks: Path | None,
    split: str,
    max_steps: int,
    max_sessions: int,
    idle_timeout: float,
) -> Any:
    """The lean reset/step JSON API (envfactory_gym.http_server)."""
    from envfactory_gym.http_server import build_app
    from envfactory_gym.tasks import read_tasks

    try:
        return build_app(
            name,
            tasks=read_tasks(tasks) if tasks else None,
            split=split,
            max_steps=max_steps,
            max_sessions=max_sessions,
            idle_timeout=idle_timeout,
            token=token,
        )
    except (KeyError, ValueError) as exc:
        raise typer.BadParameter(str(exc).strip("'\""), param_hint="NAME") from None


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
