"""CLI command groups; every module defines ``register(app: typer.Typer)``."""

from __future__ import annotations

import typer
from rich.console import Console

errors = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one ``error: ...`` line on stderr (never wrapped) and return the exit to raise."""
    errors.print(f"[red]error:[/red] {message}", soft_wrap=True, highlight=False, markup=True)
    return typer.Exit(code)
