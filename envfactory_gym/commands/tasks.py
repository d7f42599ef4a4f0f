"""``envfactory synth``, ``verify`` and ``graph``: tasks, the verification harness, the dependency graph."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.status import Status
from rich.table import Table

from envfactory_gym import registry
from envfactory_gym.commands import errors, fail
from envfactory_gym.synthesis.pipeline import synthesis_record
from envfactory_gym.tasks import Task, environment_task_file, task_file, write_tasks

if TYPE_CHECKING:
    import networkx as nx

console = Console()


def _resolve(name: str) -> tuple[str | None, list[str]]:
    try:
        return registry.resolve(name)
    except KeyError as exc:
        raise typer.BadParameter(str(exc)) from None


def synth(
    name: str = typer.Argument(..., help="Environment id or domain."),
    n: int = typer.Option(150, "--n", min=1, help="Number of tasks."),
    seed: int = typer.Option(0, "--seed", help="Synthesis seed (same seed, same tasks)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="JSONL path to write the tasks to."),
    write_packaged: bool = typer.Option(
        False, "--write-packaged", help="Replace the packaged task file (domains/<domain>/tasks/) instead of -o."
    ),
    refine_url: str | None = typer.Option(None, help="OpenAI-compatible base URL of an optional LLM refiner."),
    refine_model: str = typer.Option("", help="Model name for the refiner."),
    conversational: bool = typer.Option(
        False, help="Also write conversational variants (a detail only the user knows) beside the task file."
    ),
) -> None:
    """Synthesize grounded tasks with gold solutions for an environment or a domain."""
    from envfactory_gym.synthesis.pipeline import SynthesisConfig, synthesize

    domain, env_ids = _resolve(name)
    if (output is None) == (not write_packaged):
        message = (
            "Give --output PATH, or --write-packaged to replace the packaged task file."
            if output is None
            else "Give --output or --write-packaged, not both."
        )
        raise fail(message)
    path = output or (task_file(domain, "domain") if domain else environment_task_file(env_ids[0]))
    if path is None:
        raise fail(f"{name} keeps no packaged task file (its definition sets no tasks_file): give --output PATH.")
    refiner = None
    if refine_url:
        from envfactory_gym.synthesis.refine import LLMRefiner

        refiner = LLMRefiner(base_url=refine_url, model=refine_model)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        bar = progress.add_task(f"synthesizing {name}", total=n)
        report = synthesize(
            name,
            SynthesisConfig(n=n, seed=seed),
            refiner=refiner,
            progress=lambda done: progress.update(bar, completed=done),
        )
    tasks = [t.model_copy(update={"metadata": {**t.metadata, **synthesis_record(seed, n)}}) for t in report.tasks]
    digest = write_tasks(path, tasks)
    splits = Counter(t.split for t in tasks)
    reads = sum(t.goal == "read" for t in tasks)
    long = sum(len(t.gold_calls) >= 3 for t in tasks)
    multi = sum(len(t.env_ids) >= 2 for t in tasks)
    console.print(
        f"{len(tasks)} tasks → {path} (sha256 {digest[:12]}): train {splits['train']}, test {splits['test']}, "
        f"read-only {reads}, ≥3 calls {long}, multi-env {multi}; {report.attempts} attempts."
    )
    if conversational:
        from envfactory_gym.conversational_tasks import built_conversational_tasks, conversational_variants

        variants = conversational_variants(tasks, seed)
        # An environment's own conversational tasks (dual control) join its variants; a domain's file holds
        # cross-service variants only.
        built = built_conversational_tasks(env_ids) if domain is None else []
        variant_path = path.with_name(path.stem + "_conversational.jsonl")
        write_tasks(variant_path, [*variants, *built])
        console.print(
            f"{len(variants) + len(built)} conversational tasks → {variant_path}: {len(variants)} variants hiding "
            f"a detail, {len(built)} from the environment's builders (the user acts on their side)"
        )
    if len(tasks) < n:
        console.print(
            f"[yellow]Only {len(tasks)} of {n} tasks; most common rejections: {report.failures.most_common(5)}[/yellow]"
        )


class _Reporter:
    """Progress on stderr: a live status line on a terminal, otherwise one plain line per step."""

    def __init__(self) -> None:
        self._status: Status | None = None

    def __enter__(self) -> _Reporter:
        if errors.is_terminal:
            self._status = errors.status("starting…")
            self._status.start()
        return self

    def __call__(self, message: str) -> None:
        if self._status is not None:
            self._status.update(message)
        else:
            errors.print(message, soft_wrap=True, highlight=False, markup=False)

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()


def verify(
    name: str = typer.Argument(..., help="Environment id, domain, or 'all'."),
    fuzz: int = typer.Option(2000, "--fuzz", min=0, help="Fuzzed actions per environment."),
    no_probes: bool = typer.Option(False, "--no-probes", help="Skip the no-op/random/dump probes."),
    checks: str | None = typer.Option(
        None, "--checks", help="Run only these checks, comma-separated (e.g. check_env,fuzz,isolation)."
    ),
) -> None:
    """Run every verification check; exit non-zero if any fails (progress goes to stderr)."""
    from envfactory_gym.verify import check_names
    from envfactory_gym.verify import verify as run_verify

    only = None
    if checks is not None:
        try:
            only = check_names([c.strip() for c in checks.split(",") if c.strip()])
        except ValueError as exc:
            raise fail(str(exc)) from None

    if name == "all":
        domains = [d for d in registry.domains() if registry.domain_envs(d)]
        targets = list(registry.implemented())
    else:
        domain, env_ids = _resolve(name)
        domains, targets = ([domain] if domain else []), list(env_ids)
    for domain in domains:
        # A domain is a target of its own once its cross-service tasks are written; until then its
        # environments are verified one by one.
        if task_file(domain, "domain").exists():
            targets.append(domain)
        else:
            console.print(f"{domain}: no cross-service task file yet; verifying its environments only.")
    failed = []
    for number, target in enumerate(targets, 1):
        prefix = f"[{number}/{len(targets)}] verify {target}" if len(targets) > 1 else f"verify {target}"
        with _Reporter() as report_progress:
            report = run_verify(
                target,
                fuzz_actions=fuzz,
                probes=not no_probes,
                only=only,
                progress=lambda check, prefix=prefix: report_progress(f"{prefix}: running check {check}…"),
            )
        table = Table(title=f"verify {target}: {'PASSED' if report.passed else 'FAILED'}")
        for column in ("check", "result", "detail", "seconds"):
            table.add_column(column)
        for check in report.checks:
            table.add_row(
                check.name,
                "[green]pass[/green]" if check.passed else "[red]FAIL[/red]",
                check.detail,
                f"{check.seconds:.1f}",
            )
        console.print(table)
        if not report.passed:
            failed.append(target)
    implemented = len(registry.implemented())
    verified = sum(1 for t in targets if t in registry.implemented() and t not in failed)
    # Environments of a project of yours are not the suite's: counted apart from the catalog's.
    own = [t for t in targets if t not in registry.implemented() and t not in registry.domains()]
    mine = f"; yours: {sum(t not in failed for t in own)} / {len(own)} verified" if own else ""
    console.print(
        f"{verified} / {len(registry.catalog())} environments verified "
        f"({implemented} implemented; targets checked: {len(targets)}, failed: {len(failed)}{mine})."
    )
    if failed:
        raise typer.Exit(code=1)


_TOP_ROWS = 10


def _graph_summary(name: str, dependency_graph: nx.MultiDiGraph) -> Table:
    """Counts, then the busiest producers, consumers and fields (at most ~40 rows in all)."""
    nodes = dependency_graph.nodes
    edges = list(dependency_graph.edges(data=True))
    writes = sum(1 for n in nodes if nodes[n]["kind"] == "write")
    envs = {nodes[n]["env_id"] for n in nodes}
    across = sum(1 for u, v, _ in edges if nodes[u]["env_id"] != nodes[v]["env_id"])
    fields = Counter(data["field"] for _, _, data in edges)
    out_edges = Counter(u for u, _, _ in edges)
    in_edges = Counter(v for _, v, _ in edges)
    isolated = sum(1 for n in nodes if not out_edges[n] and not in_edges[n])
    table = Table(title=f"{name}: {len(nodes)} tools, {len(edges)} edges (summary)")
    for column in ("item", "value", "edges out", "edges in"):
        table.add_column(column)
    table.add_row("environments", str(len(envs)), "", "")
    table.add_row("tools", f"{len(nodes) - writes} read, {writes} write, {isolated} unlinked", "", "")
    table.add_row("edges", f"{len({(u, v) for u, v, _ in edges})} tool pairs, {across} across envs", "", "")
    table.add_row("fields", f"{len(fields)} distinct output fields", "", "")
    table.add_section()
    for label, counter in (("top producer", out_edges), ("top consumer", in_edges)):
        for node, _ in counter.most_common(_TOP_ROWS):
            table.add_row(label, node, str(out_edges[node]), str(in_edges[node]))
        table.add_section()
    for field_name, count in fields.most_common(_TOP_ROWS):
        table.add_row("top field", field_name, str(count), "")
    return table


def graph(
    name: str = typer.Argument(..., help="Environment id or domain."),
    output: Path = typer.Option(Path("graphs"), "--output", "-o", help="Folder for the GraphML and PNG files."),
    png: bool = typer.Option(True, help="Also draw a PNG (needs matplotlib)."),
    all_edges: bool = typer.Option(False, "--all-edges", help="Print every edge instead of a summary table."),
) -> None:
    """Build the tool dependency graph; print a summary (or every edge) and export GraphML (and a PNG)."""
    from envfactory_gym.synthesis.graph import build_graph, draw_png, export_graphml

    _, env_ids = _resolve(name)
    with _Reporter() as step:
        definitions = []
        for number, env_id in enumerate(env_ids, 1):
            step(f"graph {name}: loading {env_id} ({number}/{len(env_ids)})…")
            definitions.append(registry.load_definition(env_id))
        step(f"graph {name}: linking output fields to parameters…")
        dependency_graph = build_graph(definitions)
        step(f"graph {name}: writing GraphML…")
        written = [export_graphml(dependency_graph, output / f"{name}.graphml")]
        if png:
            written.append(
                draw_png(
                    dependency_graph,
                    output / f"{name}.png",
                    title=f"{name} tool dependency graph",
                    progress=lambda stage: step(f"graph {name}: PNG: {stage}…"),
                )
            )
    if all_edges:
        table = Table(
            title=f"{name}: {dependency_graph.number_of_nodes()} tools, {dependency_graph.number_of_edges()} edges"
        )
        for column in ("producer", "field", "consumer"):
            table.add_column(column)
        for producer, consumer, data in sorted(
            dependency_graph.edges(data=True), key=lambda e: (e[0], e[2]["field"], e[1])
        ):
            table.add_row(producer, data["field"], consumer)
    else:
        table = _graph_summary(name, dependency_graph)
    console.print(table)
    if not all_edges:
        console.print("Pass --all-edges to list every edge; the GraphML has them all with their field paths.")
    console.print("Wrote " + ", ".join(str(p) for p in written), soft_wrap=True, highlight=False)


tasks_app = typer.Typer(help="Read packaged task files: sample requests, lint their text.", no_args_is_help=True)


def _packaged(name: str, split: str | None) -> list[Task]:
    from envfactory_gym.verify import make_env

    _resolve(name)
    env = make_env(name)
    if split is not None and split not in ("train", "test"):
        raise typer.BadParameter(f"unknown split {split!r}; valid: train, test")
    return env.task_pool(split) if split else env.task_pool("train") + env.task_pool("test")


@tasks_app.command("sample")
def sample(
    name: str = typer.Argument(..., help="Environment id or domain."),
    n: int = typer.Option(20, "--n", min=1, help="How many requests to print."),
    seed: int = typer.Option(0, "--seed", help="Which random draw (same seed, same requests)."),
    split: str | None = typer.Option(None, "--split", help="train or test (default: both)."),
    answers: bool = typer.Option(False, "--answers", help="Also print each task's required facts and calls."),
) -> None:
    """Print randomly drawn requests of a packaged task file, as the agent receives them."""
    import random

    tasks = _packaged(name, split)
    if not tasks:
        console.print(f"[red]{name} has no packaged tasks.[/red]")
        raise typer.Exit(code=1)
    drawn = random.Random(seed).sample(tasks, min(n, len(tasks)))
    for number, task in enumerate(drawn, 1):
        envs = "+".join(task.env_ids)
        console.print(f"[bold]{number:>2}.[/bold] [dim]{task.task_id} ({envs}, {task.goal})[/dim]", highlight=False)
        console.print(f"    {task.query}", highlight=False, markup=False, soft_wrap=True)
        if answers:
            calls = ", ".join(c.tool for c in task.gold_calls)
            console.print(f"    [dim]facts: {task.required_facts}; calls: {calls}[/dim]", highlight=False)


@tasks_app.command("lint")
def lint(name: str = typer.Argument(..., help="Environment id or domain.")) -> None:
    """Report the task-text lint flags of a packaged task file; exit non-zero on any hard flag."""
    from envfactory_gym.synthesis.lint import lint_report

    tasks = _packaged(name, None)
    if not tasks:
        console.print(f"[red]{name} has no packaged tasks.[/red]")
        raise typer.Exit(code=1)
    report = lint_report(tasks)
    console.print(report.summary(), highlight=False)
    for flag, example in report.examples.items():
        console.print(f"  {flag}: {example}", highlight=False, markup=False, soft_wrap=True)
    if report.hard_flags:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    app.add_typer(tasks_app, name="tasks")
    app.command("synth")(synth)
    app.command("verify")(verify)
    app.command("graph")(graph)
