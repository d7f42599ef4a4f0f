"""The ``envfactory`` command line. Each command group lives in ``envfactory_gym.commands.<name>`` and
adds itself to the app through ``register(app)``."""

from __future__ import annotations

import importlib
import pkgutil

import typer

import envfactory_gym.commands
from envfactory_gym import __version__
from envfactory_gym.commands import fail

app = typer.Typer(
    name="envfactory",
    help="Stateful, executable, verified tool-use environments for LLM agents.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"envfactory-gym {__version__}")
        raise typer.Exit()


# Commands that must run whatever state the project's packages are in (``new`` adds one to a project).
_WITHOUT_PROJECT = frozenset({"new"})


@app.callback()
def _main(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Stateful, executable, verified tool-use environments for LLM agents."""
    if ctx.invoked_subcommand in _WITHOUT_PROJECT:
        return
    from envfactory_gym.project import ProjectError, load_project

    try:
        load_project()
    except ProjectError as exc:
        raise fail(str(exc)) from None


for module_info in sorted(pkgutil.iter_modules(envfactory_gym.commands.__path__), key=lambda m: m.name):
    module = importlib.import_module(f"envfactory_gym.commands.{module_info.name}")
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
