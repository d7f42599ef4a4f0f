"""``envfactory new``: start an environment package, from the example service or from an OpenAPI spec."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from envfactory_gym.commands import fail
from envfactory_gym.scaffold.first_tasks import FIRST_TASKS

console = Console()


def new(
    name: str = typer.Argument(..., help="<domain>/<env_id>, such as shopping/my_store or demo/parcel_lockers."),
    from_openapi: Path | None = typer.Option(
        None,
        "--from-openapi",
        help="An OpenAPI 3.x spec (JSON or YAML): its schemas become models, its operations tool stubs.",
    ),
    directory: Path = typer.Option(Path("."), "--dir", help="Where to run from (default: the working directory)."),
    tasks: int = typer.Option(
        FIRST_TASKS, "--tasks", min=0, help="Tasks to synthesize into the new package's task file (0: none)."
    ),
) -> None:
    """Write a working environment package (models, seed, tools, synthesis hints, stories, tests, wiring).

    Inside an envfactory-gym checkout it goes to domains/<domain>/<env_id>/ and joins the suite; anywhere else
    it goes to ./<env_id>/ with an envfactory.toml that makes the command line find it.
    """
    from envfactory_gym.scaffold.first_tasks import load_new_environment, write_first_tasks
    from envfactory_gym.scaffold.skeleton import SKELETON_MODELED_ON, SKELETON_TOOLS, skeleton_files
    from envfactory_gym.scaffold.target import ScaffoldError, plan_wiring, resolve_target, write_all

    if not directory.is_dir():
        raise fail(f"--dir {directory} is not a directory.")
    try:
        target = resolve_target(name, directory)
        if from_openapi is not None:
            from envfactory_gym.scaffold.openapi import OpenAPIError, openapi_files

            try:
                files, tool_names, modeled_on = openapi_files(target, from_openapi)
            except OpenAPIError as exc:
                raise fail(f"{from_openapi}: {exc}; nothing was written.") from None
        else:
            files, tool_names, modeled_on = skeleton_files(target), SKELETON_TOOLS, SKELETON_MODELED_ON
        plan_wiring(target, tool_names, modeled_on)
        written = write_all(files, target.edits)
    except ScaffoldError as exc:
        raise fail(str(exc)) from None
    console.print(f"[green]{target.env_id}[/green]: wrote {len(written)} files ({target.mode} mode):", highlight=False)
    for path in written:
        console.print(f"  {_shown(path, target.root)}", highlight=False, soft_wrap=True)
    where = "from this directory" if target.mode == "project" else "in the repository"
    try:
        load_new_environment(target)
    except ScaffoldError as exc:
        console.print(f"[yellow]{exc}[/yellow]", highlight=False, soft_wrap=True)
        return
    if tasks:
        try:
            path, made = write_first_tasks(target, tasks)
        except Exception as exc:  # noqa: BLE001 - the package is written; synthesis is the author's next step
            made, path = 0, target.tasks_path
            console.print(f"[yellow]Synthesis failed: {type(exc).__name__}: {exc}[/yellow]", highlight=False)
        else:
            console.print(f"{made} tasks → {_shown(path, target.root)}", highlight=False, soft_wrap=True)
        if not made:
            console.print(
                "[yellow]No task could be synthesized yet: write stories in stories.py, then "
                f"`envfactory synth {target.env_id} --n {FIRST_TASKS} --write-packaged`.[/yellow]",
                highlight=False,
            )
    console.print(
        f"Next, {where}: `envfactory verify {target.env_id}` and `pytest {_shown(target.test_path, target.root)}`; "
        "docs/AUTHORING.md walks through the rest.",
        highlight=False,
        soft_wrap=True,
    )


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def register(app: typer.Typer) -> None:
    app.command("new")(new)
