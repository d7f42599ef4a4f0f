"""``envfactory tau2 import``: a tau2-bench domain's own tasks.json + db.json as suite tasks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer

from envfactory_gym.commands import fail

tau2_app = typer.Typer(help="tau2-bench interoperability: import its tasks, graded as tau2 grades.")


@tau2_app.command("import")
def import_tasks(
    domain: str = typer.Option(..., "--domain", help="The tau2 domain, as this suite's environment id (airline)."),
    tasks: Path = typer.Option(..., "--tasks", help="tau2's tasks.json for the domain."),
    db: Path = typer.Option(..., "--db", help="tau2's db.json for the domain (the initial database)."),
    output: Path = typer.Option(..., "--output", "-o", help="The task JSONL file to write."),
    split: str = typer.Option("test", "--split", help="The split the imported tasks belong to: test or train."),
) -> None:
    """Import tau2 tasks; play them with ``fidelity="tau2"`` (``envfactory eval --tasks`` does)."""
    from envfactory_gym.tau2_tasks import Tau2ImportError, import_tau2_files

    try:
        imported = import_tau2_files(domain, tasks, db, output, split=split)
    except Tau2ImportError as exc:
        raise fail(str(exc)) from None
    skipped = sum(len(t.metadata["tau2"]["gold_failures"]) for t in imported)
    unchecked = Counter(bool(t.checks and t.checks.not_evaluated) for t in imported)[True]
    typer.echo(
        f"Wrote {len(imported)} tasks to {output} ({skipped} gold action(s) failed in the replay and were skipped; "
        f"{unchecked} task(s) have criteria that are not evaluated, listed in checks.not_evaluated)."
    )


tau2_app.info.no_args_is_help = True


def register(app: typer.Typer) -> None:
    app.add_typer(tau2_app, name="tau2")
