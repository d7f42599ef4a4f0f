"""``envfactory eval``, ``leaderboard`` and ``demo``: rank agents on the suite's test split."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from envfactory_gym import registry
from envfactory_gym.commands import fail
from envfactory_gym.evaluation import (
    EvalConfig,
    EvaluationError,
    RunOutcome,
    TaskSet,
    evaluate,
    select_tasks,
)
from envfactory_gym.results import GroupMetrics, RunSummary, summary_path

console = Console()
BASELINES = ("noop", "random", "oracle")


def _percent(value: float) -> str:
    return f"{100 * value:.1f}"


def metrics_table(summary: RunSummary) -> Table:
    """One row per environment and per domain, then the overall row."""
    metrics = summary.metrics
    ks = list(metrics.overall.pass_hat_k)
    table = Table(title=f"{summary.label} on the {summary.split} split ({summary.trials} trial(s))")
    for column in ("group", "tasks", "episodes", "success % [95% CI]", "mean reward %", *(f"pass^{k} %" for k in ks)):
        table.add_column(column, justify="left" if column == "group" else "right")

    def add(name: str, group: GroupMetrics) -> None:
        rate = group.success_rate
        table.add_row(
            name,
            str(group.tasks),
            str(group.episodes),
            f"{_percent(rate.value)} [{_percent(rate.low)}, {_percent(rate.high)}]",
            _percent(group.mean_reward.value),
            *(_percent(group.pass_hat_k[k].value) if k in group.pass_hat_k else "–" for k in ks),
        )

    for name, group in metrics.by_environment.items():
        add(f"env {name}", group)
    for name, group in metrics.by_domain.items():
        add(f"domain {name}", group)
    add("overall", metrics.overall)
    return table


def _report(outcome: RunOutcome, output: Path) -> None:
    summary = outcome.summary
    console.print(metrics_table(summary))
    seconds_env = sum(r.seconds_env for r in outcome.played)
    env_share = seconds_env / summary.wall_seconds if summary.wall_seconds > 0 else 0.0
    console.print(
        f"{summary.episodes_completed}/{summary.episodes_expected} episodes "
        f"({outcome.skipped} resumed from {output.name}); {summary.wall_seconds:.1f}s wall, "
        f"{100 * env_share:.0f}% of it in environment code. Records: {output}; summary: {summary_path(output)}",
        soft_wrap=True,
    )
    for failure in outcome.failures[:5]:
        console.print(f"[red]episode {failure.task_id} trial {failure.trial} failed:[/red] {failure.error}")
    if outcome.failures:
        console.print(
            f"[red]{len(outcome.failures)} episode(s) failed in the agent and were not scored; "
            "run the same command again to retry them.[/red]"
        )


def _split_list(value: str | None, option: str = "--envs") -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise typer.BadParameter(f"{option} needs at least one name.")
    return names


def check_user_simulator(spec: str) -> str:
    """``rule`` or ``llm:base_url=...,model=...``: anything else is one clear error before the run."""
    kind, _, rest = spec.partition(":")
    options = dict(part.partition("=")[::2] for part in rest.split(",") if part.strip())
    if kind == "rule":
        return spec
    if kind == "llm":
        missing = [key for key in ("base_url", "model") if not options.get(key)]
        if missing:
            raise EvaluationError(f"--user llm needs {' and '.join(missing)}: --user 'llm:base_url=URL,model=NAME'.")
        return spec
    raise EvaluationError(f"Unknown user simulator {kind!r}: use --user rule or --user 'llm:base_url=URL,model=NAME'.")


AGENT_HELP = (
    "Agent spec: noop, random, oracle, dump, spray, format, helpful; "
    "openai:model=NAME[,base_url=URL][,api_key=KEY][,temperature=0][,max_tokens=N][,timeout=120]"
    "[,max_retries=5][,tool_choice=auto]; transformers:model=PATH; vllm:model=NAME (GPU)."
)


def eval_command(
    agent: str = typer.Option(..., "--agent", "-a", help=AGENT_HELP),
    output: Path = typer.Option(..., "--output", "-o", help="Results file (.jsonl); an existing one is resumed."),
    envs: str | None = typer.Option(None, "--envs", help="Comma-separated environments or domains."),
    domain: str | None = typer.Option(None, "--domain", help="One domain: its environments and cross-env tasks."),
    tasks: Path | None = typer.Option(None, "--tasks", help="A task JSONL file instead of the packaged tasks."),
    task_ids: str | None = typer.Option(None, "--task-ids", help="Comma-separated task ids: only these tasks."),
    split: str = typer.Option("test", "--split", help="Task split: test or train."),
    trials: int = typer.Option(1, "--trials", "-k", min=1, help="Trials per task (pass^k for k = 1..trials)."),
    concurrency: int = typer.Option(4, "--concurrency", "-c", min=1, help="Episodes played at the same time."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N tasks per environment."),
    max_steps: int = typer.Option(30, "--max-steps", min=1, help="Assistant turns before an episode is cut."),
    seed: int = typer.Option(0, "--seed", help="Base seed; trial t uses seed + t."),
    label: str | None = typer.Option(None, "--label", help="Name on the leaderboard (default: the model)."),
    user: str | None = typer.Option(
        None,
        "--user",
        help="Conversational evaluation with a user simulator: rule, or llm:base_url=URL,model=NAME. Plays the "
        "conversational task variants where packaged.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be evaluated and exit."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
) -> None:
    """Evaluate an agent on a task split: concurrent, resumable, one JSONL record per episode plus a summary."""
    from envfactory_gym.agents.base import make_agent

    try:
        if user is not None:
            check_user_simulator(user)
        task_set = select_tasks(
            _split_list(envs),
            domain,
            split,
            tasks_path=tasks,
            limit=limit,
            task_ids=_split_list(task_ids, "--task-ids"),
            conversational=user is not None,
        )
        config = EvalConfig(
            agent=agent,
            split=split,
            trials=trials,
            concurrency=concurrency,
            max_steps=max_steps,
            seed=seed,
            label=label,
            progress=progress,
            user_simulator=user,
        )
        make_agent(agent).close()  # a bad spec is one line here, before any file is touched
        if dry_run:
            _print_plan(task_set, config, output)
            return
        outcome = evaluate(task_set, config, output)
    except (EvaluationError, ValueError, ImportError) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    _report(outcome, output)
    if outcome.failures:
        raise typer.Exit(1)


def _print_plan(task_set: TaskSet, config: EvalConfig, output: Path) -> None:
    from collections import Counter

    from envfactory_gym.evaluation import read_records

    done = {(r.task_id, r.trial) for r in read_records(output)[0]} if output.exists() else set()
    episodes = len(task_set.tasks) * config.trials
    resumed = sum((t.task.task_id, k) in done for t in task_set.tasks for k in range(config.trials))
    table = Table(title=f"dry run: {config.agent} on the {config.split} split")
    for column in ("environments", "tasks", "task ids"):
        table.add_column(column, overflow="fold")
    groups = Counter("+".join(t.task.env_ids) for t in task_set.tasks)
    for key, count in groups.items():
        ids = [t.task.task_id for t in task_set.tasks if "+".join(t.task.env_ids) == key]
        table.add_row(key, str(count), ", ".join(ids[:6]) + (" …" if len(ids) > 6 else ""))
    console.print(table)
    mode = f"conversational (user: {config.user_simulator})" if config.user_simulator else "single request"
    console.print(
        f"{len(task_set.tasks)} tasks × {config.trials} trial(s) = {episodes} episodes ({resumed} already in "
        f"{output}); {mode}; concurrency {config.concurrency}, max {config.max_steps} steps; "
        f"task set {task_set.hash[:12]}. Nothing was run.",
        soft_wrap=True,
        highlight=False,
    )


def default_results_dirs() -> list[Path]:
    """The packaged baselines and ``runs/`` in the working directory, where ``envfactory eval`` runs go."""
    from envfactory_gym.leaderboard import RESULTS_DIR

    return [RESULTS_DIR, Path("runs")]


def leaderboard_command(
    results: list[Path] = typer.Option(
        [],
        "--results",
        help="A directory of runs (searched recursively; repeatable). Default: the packaged baselines and ./runs.",
    ),
    output_dir: Path | None = typer.Option(
        None, "--output-dir", help="Where LEADERBOARD.md and index.html go (default: runs/leaderboard)."
    ),
    write_packaged: bool = typer.Option(
        False,
        "--write-packaged",
        help="Re-render the packaged leaderboard/LEADERBOARD.md and index.html from the packaged results only.",
    ),
) -> None:
    """Render LEADERBOARD.md and index.html from run summaries: the baselines, ./runs, and any --results."""
    from envfactory_gym.leaderboard import LEADERBOARD_DIR, RESULTS_DIR
    from envfactory_gym.leaderboard.render import LeaderboardError, load_runs, render_runs

    if write_packaged and (results or output_dir):
        raise fail("--write-packaged renders the packaged results into the package: give no --results/--output-dir.")
    try:
        if write_packaged:
            runs = load_runs(RESULTS_DIR)
        elif results:
            runs = load_runs(RESULTS_DIR, *results)
        else:
            runs = load_runs(RESULTS_DIR) + load_runs(Path("runs"), required=False)
        destination = LEADERBOARD_DIR if write_packaged else (output_dir or Path("runs") / "leaderboard")
        named = [r for r in results if not any(run.path and run.path.is_relative_to(r.resolve()) for run in runs)]
        if named:
            raise LeaderboardError(f"no run summaries (*.summary.json) under {named[0]}.")
        markdown, page = render_runs(runs, destination)
    except LeaderboardError as exc:
        raise fail(str(exc)) from None
    console.print(leaderboard_table([run.summary for run in runs]))
    console.print(f"{len(runs)} run(s): wrote {markdown} and {page}", soft_wrap=True, highlight=False)


MAX_TERMINAL_ENV_COLUMNS = 6
# Short headers for the terminal (the pages keep the full ones and the intervals).
TERMINAL_TITLES = {"Mean reward %": "Reward", "Tokens / episode": "Tokens / ep", "Agent s / episode": "s / ep",
                   "2–3 envs success %": "2–3 envs"}  # fmt: skip


def leaderboard_table(summaries: Sequence[RunSummary]) -> Any:
    """One rich table per task set (rows on different tasks are never ranked together).

    The terminal gets what fits beside the names: per-environment columns only while there are a few, no
    column that is empty for every run, no pass^1 (the success rate itself); LEADERBOARD.md and index.html
    keep every column with its interval.
    """
    from rich import box
    from rich.console import Group as Renderables

    from envfactory_gym.leaderboard.render import comparable_groups
    from envfactory_gym.leaderboard.render import table as leaderboard_rows

    tables = []
    environments = set(registry.implemented())
    for group in comparable_groups(summaries):
        columns, rows = leaderboard_rows(group.runs)
        # The title gives the split, the task count and the task set.
        hidden = {"Agent", "Task set", "Split", "Tasks", "Transcripts", "Complete", "Date", "pass^1 % [95% CI]"}
        hidden |= {c.title for i, c in enumerate(columns) if all(row[i][0] == "–" for row in rows)}
        if all(r.summary.trials == 1 for r in group.runs):
            hidden.add("Trials")
        per_env = {c.title for c in columns if c.title.removesuffix(" success %") in environments}
        caption = "Success and reward in % of episodes."
        if len(per_env) > MAX_TERMINAL_ENV_COLUMNS:
            # Dozens of one-number columns leave no room for the names in a terminal; the pages keep them all.
            hidden |= per_env
            caption += f" Success per environment ({len(per_env)}): LEADERBOARD.md and index.html."
        shown = Table(title=group.title, caption=caption, box=box.SIMPLE_HEAD, collapse_padding=True, pad_edge=False)
        keep = [i for i, c in enumerate(columns) if c.title not in hidden]
        longest_label = max((len(r.summary.label) for r in group.runs), default=5)
        for i in keep:
            title = columns[i].title.replace(" [95% CI]", "")
            title = TERMINAL_TITLES.get(title, title.removesuffix(" %").removesuffix(" success"))
            if title == "Model":
                shown.add_column(title, min_width=min(longest_label, 40), no_wrap=True)
            else:  # headers wrap between words, never inside one
                widest = max(len(word) for word in title.split())
                shown.add_column(title, justify="right" if columns[i].numeric else "left", min_width=widest)
        for row in rows:
            shown.add_row(*(row[i][0].split(" [")[0] for i in keep))  # intervals are in LEADERBOARD.md
        tables.append(shown)
    return Renderables(*tables)


def demo_command(
    trials: int = typer.Option(1, "--trials", "-k", min=1, help="Trials per task."),
    concurrency: int = typer.Option(4, "--concurrency", "-c", min=1),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N tasks per environment."),
    results_dir: Path = typer.Option(Path("runs/demo"), "--results", help="Where the baseline runs go."),
    output_dir: Path = typer.Option(
        Path("runs/leaderboard"), "--output-dir", help="Where LEADERBOARD.md and index.html go."
    ),
) -> None:
    """Run the baselines (no-op, random, oracle) on the test split of every environment, render the leaderboard.

    Everything is written under ``runs/`` (ignored by git): the packaged results and pages are never touched.
    """
    from envfactory_gym.leaderboard.render import LeaderboardError, load_runs, render_runs

    try:
        task_set = select_tasks(split="test", limit=limit)
    except EvaluationError as exc:
        raise fail(f"no baseline runs: {exc}") from None
    console.print(f"{len(task_set.tasks)} test tasks from {', '.join(task_set.environments)}.", soft_wrap=True)
    for number, agent in enumerate(BASELINES, 1):
        output = results_dir / f"baseline-{agent}.jsonl"
        console.print(f"[{number}/{len(BASELINES)}] playing the {agent} baseline → {output}", highlight=False)
        config = EvalConfig(agent=agent, trials=trials, concurrency=concurrency, label=agent)
        # Baselines take seconds: the demo plays them afresh every time (it is a demo, not a resume).
        try:
            output.unlink(missing_ok=True)
            summary_path(output).unlink(missing_ok=True)
            outcome = evaluate(task_set, config, output)
        except (EvaluationError, OSError) as exc:
            raise fail(str(exc)) from None
        overall = outcome.summary.metrics.overall
        console.print(
            f"{agent}: success {_percent(overall.success_rate.value)}%, "
            f"{outcome.summary.episodes_completed} episodes ({outcome.skipped} already in {output.name})",
            soft_wrap=True,
        )
    try:
        runs = load_runs(results_dir)
        markdown, page = render_runs(runs, output_dir)
    except (LeaderboardError, OSError) as exc:
        raise fail(str(exc)) from None
    console.print(leaderboard_table([run.summary for run in runs]))
    console.print(f"Wrote {markdown} and {page} (open the page in a browser).", soft_wrap=True, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
    app.command("leaderboard")(leaderboard_command)
    app.command("demo")(demo_command)
