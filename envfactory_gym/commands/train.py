"""``envfactory export sft|rl`` (training data from tasks) and ``envfactory train sft|grpo`` (TRL runs)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

console = Console()

export_app = typer.Typer(
    help="Write training data: oracle trajectories (sft) or task prompts (rl).", no_args_is_help=True
)
train_app = typer.Typer(
    help="Train a model with TRL: SFT on trajectories, GRPO in the environments.", no_args_is_help=True
)

NAME_HELP = "Environment id or domain, e.g. airline or travel (optional with --tasks-file)."
OUTPUT_HELP = "Where to write: a .jsonl/.json or .parquet file, or a folder (datasets' save_to_disk)."


def _check_output(output: Path) -> None:
    from envfactory_gym.commands import fail
    from envfactory_gym.export import dataset_kind

    try:
        dataset_kind(output)
    except (ValueError, FileExistsError) as exc:
        raise fail(str(exc)) from None


def _tasks(name: str | None, split: str, tasks_file: Path | None, limit: int | None) -> list:
    from envfactory_gym.export import select_tasks

    try:
        tasks = select_tasks(name, split=None if split == "all" else split, tasks_file=tasks_file, limit=limit)
    except (KeyError, ValueError, FileNotFoundError) as exc:
        raise typer.BadParameter(str(exc).strip("'\"")) from None
    if not tasks:
        raise typer.BadParameter(f"No {split} tasks for {name or tasks_file}.")
    return tasks


@export_app.command("sft")
def export_sft(
    name: str = typer.Argument(None, help=NAME_HELP),
    output: Path = typer.Option(..., "--output", "-o", help=OUTPUT_HELP),
    split: str = typer.Option("train", help="train, test or all."),
    tasks_file: Path = typer.Option(None, "--tasks-file", help="A task JSONL file instead of the packaged tasks."),
    limit: int = typer.Option(None, help="Only the first N tasks."),
    tool_schemas: str = typer.Option(
        "engine",
        help="engine: the schemas agents see from the env; trl: the schemas TRL renders for GRPO; compact: TRL's, "
        "with descriptions cut to their first words (small models, short contexts).",
    ),
) -> None:
    """Oracle trajectories as a chat dataset (messages with tool calls, plus tools) for TRL's SFTTrainer."""
    from envfactory_gym.export import TOOL_SCHEMAS, ExportReport, sft_records, write_dataset

    if tool_schemas not in TOOL_SCHEMAS:
        raise typer.BadParameter(f"--tool-schemas must be one of {', '.join(TOOL_SCHEMAS)}.")
    _check_output(output)
    tasks = _tasks(name, split, tasks_file, limit)
    report = ExportReport()
    records = sft_records(tasks, tool_schemas=tool_schemas, report=report)  # type: ignore[arg-type]
    if not records:
        raise typer.BadParameter("The oracle solved none of the tasks: nothing to export.")
    path = write_dataset(records, output)
    console.print(f"Wrote {report.written} trajectories to {path}.")
    if report.skipped:
        console.print(f"[yellow]Skipped {len(report.skipped)} task(s) the oracle does not solve: {report.skipped}")


@export_app.command("rl")
def export_rl(
    name: str = typer.Argument(None, help=NAME_HELP),
    output: Path = typer.Option(..., "--output", "-o", help=OUTPUT_HELP),
    split: str = typer.Option("train", help="train, test or all."),
    tasks_file: Path = typer.Option(None, "--tasks-file", help="A task JSONL file instead of the packaged tasks."),
    limit: int = typer.Option(None, help="Only the first N tasks."),
    verl: bool = typer.Option(False, "--verl", help="verl's row layout (agent_name, extra_info, data_source)."),
) -> None:
    """Task prompts with task ids and environment names, for GRPO (TRL, or verl with --verl)."""
    from envfactory_gym.export import rl_records, write_dataset

    _check_output(output)
    tasks = _tasks(name, split, tasks_file, limit)
    if verl:
        from envfactory_gym.integrations.verl import verl_records

        records = verl_records(tasks)
    else:
        records = rl_records(tasks)
    path = write_dataset(records, output)
    console.print(f"Wrote {len(records)} prompt rows to {path}.")


def _run(kind: str, config: Path, overrides: list[str] | None) -> None:
    from envfactory_gym.train.config import ConfigError, GRPORunConfig, SFTRunConfig, load_config

    try:
        if kind == "sft":
            from envfactory_gym.train.sft import run_sft

            result = run_sft(load_config(config, SFTRunConfig, overrides))
        else:
            from envfactory_gym.train.grpo import run_grpo

            result = run_grpo(load_config(config, GRPORunConfig, overrides))
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="--config") from None
    console.print(
        f"Trained {result.global_step} step(s); model in {result.output_dir}"
        + (f", last checkpoint {result.checkpoints[-1]}" if result.checkpoints else "")
        + "."
    )


CONFIG_HELP = "A run configuration, e.g. train/configs/tiny-cpu-sft.yaml."
SET_HELP = "Override a configuration value: --set trainer.max_steps=2 (repeatable)."


@train_app.command("sft")
def train_sft(
    config: Path = typer.Option(..., "--config", "-c", help=CONFIG_HELP),
    overrides: list[str] = typer.Option(None, "--set", help=SET_HELP),
) -> None:
    """Supervised fine-tuning on oracle trajectories (assistant-only loss)."""
    _run("sft", config, overrides)


@train_app.command("grpo")
def train_grpo(
    config: Path = typer.Option(..., "--config", "-c", help=CONFIG_HELP),
    overrides: list[str] = typer.Option(None, "--set", help=SET_HELP),
) -> None:
    """GRPO with rollouts in the environments and the rubric as reward (vLLM on GPUs)."""
    _run("grpo", config, overrides)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.add_typer(train_app, name="train")
