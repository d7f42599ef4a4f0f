"""``envfactory list``, ``describe`` and ``play``: see what the suite holds and try an environment by hand."""

from __future__ import annotations

import json
import shlex
from collections import Counter

import typer
from rich.console import Console
from rich.table import Table

from envfactory_gym import registry
from envfactory_gym.commands import fail
from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.tasks import load_tasks

console = Console()


def _task_count(env_id: str) -> int:
    domain = registry.implemented().get(env_id)
    return len(load_tasks(domain, env_id)) if domain else 0


def _catalog_rows(domain: str | None, all_planned: bool) -> list[dict[str, object]]:
    implemented = registry.implemented()
    rows: list[dict[str, object]] = []
    for entry in registry.catalog().values():
        if domain and entry.domain != domain:
            continue
        if entry.env_id not in implemented and not all_planned:
            continue
        row: dict[str, object] = {
            "domain": entry.domain,
            "environment": entry.env_id,
            "implemented": entry.env_id in implemented,
            "gym_id": None,
            "tools": None,
            "tasks": None,
            "planned_tools": len(entry.reference_tools),
            "modeled_on": entry.modeled_on,
            "compatible_with": (entry.compatible_with or "").split(" (")[0] or None,
        }
        if entry.env_id in implemented:
            row.update(
                gym_id=registry.gym_id(entry.env_id),
                tools=len(registry.load_definition(entry.env_id).tools),
                tasks=_task_count(entry.env_id),
            )
        rows.append(row)
    return rows


def list_environments(
    domain: str | None = typer.Option(None, "--domain", "-d", help="Only this domain."),
    all_planned: bool = typer.Option(False, "--all", help="Also list catalog environments not implemented yet."),
    as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON (one object per environment)."),
) -> None:
    """List environments and domains with their tool and task counts."""
    if domain is not None and domain not in registry.domains():
        raise fail(f"unknown domain {domain!r}; domains: {', '.join(registry.domains())}.")
    rows = _catalog_rows(domain, all_planned)
    if not rows:
        raise fail(f"no implemented environments in {domain!r}; add --all for the planned ones.", 1)
    implemented = registry.implemented()
    domain_rows = [d for d in registry.domains() if registry.domain_envs(d) and (domain is None or d == domain)]
    if as_json:
        domains = [
            {"domain": d, "gym_id": registry.gym_id(d), "tasks": len(load_tasks(d, "domain"))} for d in domain_rows
        ]
        typer.echo(json.dumps({"environments": rows, "domains": domains}, indent=2))
        return
    columns = ("domain", "environment", "gym_id", "tools", "tasks", "modeled_on", "compatible_with")
    if not console.is_terminal:
        # A pipe or a file: one tab-separated line per environment, never wrapped, for grep, cut and awk.
        typer.echo("\t".join(columns))
        for row in rows:
            tools = row["tools"] if row["implemented"] else f"({row['planned_tools']} planned)"
            cells = {**row, "tools": tools}
            typer.echo("\t".join("-" if cells[c] is None else str(cells[c]) for c in columns))
        return
    table = Table(title="envfactory-gym environments")
    for column in columns:
        # The ids are what people copy from this table: they never wrap or get cut, other columns fold.
        no_wrap = column in {"environment", "gym_id"}
        table.add_column(column.replace("_", " "), no_wrap=no_wrap, overflow="ignore" if no_wrap else "fold")
    for row in rows:
        tools = str(row["tools"]) if row["implemented"] else f"({row['planned_tools']} planned)"
        table.add_row(*(tools if c == "tools" else "-" if row[c] is None else str(row[c]) for c in columns))
    console.print(table)
    per_domain = Counter(implemented.values())
    summary = ", ".join(
        f"{d}: {per_domain.get(d, 0)}/{n}" for d, n in Counter(e.domain for e in registry.catalog().values()).items()
    )
    console.print(f"{len(implemented)} / {len(registry.catalog())} environments implemented ({summary}).")
    if domain_rows:
        console.print(
            "Domain environments: "
            + ", ".join(f"{registry.gym_id(d)} ({len(load_tasks(d, 'domain'))} tasks)" for d in domain_rows)
        )


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def describe(
    env_id: str = typer.Argument(..., help="Environment id, e.g. airline."),
    schemas: bool = typer.Option(False, "--schemas", help="Print every tool's full JSON schema."),
    seed: int | None = typer.Option(None, help="Seed of the database to describe."),
    as_json: bool = typer.Option(False, "--json", help="Print tools (full schemas) and tables as JSON."),
) -> None:
    """Show an environment's tools (with schemas) and its tables with row counts."""
    try:
        definition = registry.load_definition(env_id)
    except KeyError as exc:
        raise fail(str(exc.args[0])) from None
    snapshot = get_snapshot(definition, seed)
    database = EpisodeDatabase(snapshot)
    try:
        tables = [
            {
                "table": name,
                "rows": database.raw.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0],
                "columns": list(info.columns),
            }
            for name, info in snapshot.tables.items()
        ]
    finally:
        database.close()
    if as_json:
        payload = {
            "env_id": definition.env_id,
            "domain": definition.domain,
            "description": definition.description,
            "seed": snapshot.seed,
            "tools": [{"kind": spec.kind, **spec.openai_schema()} for spec in definition.tools.values()],
            "tables": tables,
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    console.print(
        f"[bold]{definition.env_id}[/bold] ({definition.domain}) — {definition.description.splitlines()[0]}",
        soft_wrap=True,
    )
    tool_table = Table(title="tools")
    for column in ("tool", "kind", "parameters", "description"):
        # Descriptions wrap at word boundaries, never cut mid-word.
        tool_table.add_column(
            column, no_wrap=column == "tool", overflow="fold" if column == "parameters" else "ellipsis"
        )
    for spec in definition.tools.values():
        required = set(spec.parameters.get("required", []))
        params = ", ".join(p + ("" if p in required else "?") for p in spec.parameters.get("properties", {}))
        tool_table.add_row(spec.name, spec.kind, params, _first_paragraph(spec.description))
    console.print(tool_table)
    if schemas:
        for spec in definition.tools.values():
            console.print_json(json.dumps(spec.openai_schema()))
    table = Table(title=f"tables (seed {snapshot.seed}, {snapshot.size_bytes / 1024:.0f} KiB)")
    table.add_column("table", no_wrap=True)
    table.add_column("rows", justify="right")
    table.add_column("columns", overflow="fold")
    for row in tables:
        table.add_row(str(row["table"]), str(row["rows"]), ", ".join(row["columns"]))  # type: ignore[arg-type]
    console.print(table)


PLAY_HELP = """Commands:
  <tool> key=value ...      call a tool (values are JSON when they parse, text otherwise)
  <tool> {"key": ...}       call a tool with a JSON object of arguments
  tools                     list the tools;  help <tool>  show one tool's schema
  changes                   show what you have changed so far;  reset  start over;  quit"""


def play(
    env_id: str = typer.Argument(..., help="Environment id, e.g. airline."),
    seed: int | None = typer.Option(None, help="Seed of the database."),
) -> None:
    """Call an environment's tools by hand and see the results (the quickest way to explore it)."""
    from envfactory_gym.runtime import ToolRuntime

    try:
        definition = registry.load_definition(env_id)
    except KeyError as exc:
        raise typer.BadParameter(str(exc)) from None

    def fresh() -> ToolRuntime:
        return ToolRuntime([EpisodeDatabase(get_snapshot(definition, seed))])

    runtime = fresh()
    console.print(f"[bold]{env_id}[/bold]: {len(definition.tools)} tools. {PLAY_HELP}")
    while True:
        try:
            line = console.input("[bold cyan]> [/bold cyan]").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not line:
            continue
        if line in {"quit", "exit"}:
            break
        if line == "tools":
            console.print(", ".join(runtime.tool_names()))
            continue
        if line == "reset":
            runtime.close()
            runtime = fresh()
            console.print("Started a fresh episode.")
            continue
        if line == "changes":
            changes = runtime.change_sets()[env_id]
            console.print_json(json.dumps([c.to_dict() for c in changes], default=str))
            continue
        if line.startswith("help"):
            spec = runtime.spec(line[4:].strip())
            console.print_json(json.dumps(spec.openai_schema())) if spec else console.print(PLAY_HELP)
            continue
        name, _, rest = line.partition(" ")
        arguments = _parse_arguments(rest.strip())
        if isinstance(arguments, str):
            console.print(f"[red]{arguments}[/red]")
            continue
        result = runtime.call(name, arguments)
        if result.ok:
            try:
                console.print_json(result.content)
            except json.JSONDecodeError:
                console.print(result.content)
        else:
            console.print(f"[red]{result.content}[/red]")
    runtime.close()


def _parse_arguments(text: str) -> dict | str:
    if not text:
        return {}
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            return f"Arguments are not valid JSON: {exc}"
        return value if isinstance(value, dict) else "Arguments must be a JSON object."
    arguments = {}
    try:
        parts = shlex.split(text)
    except ValueError as exc:
        return f"Could not read the arguments: {exc}"
    for part in parts:
        key, sep, raw = part.partition("=")
        if not sep:
            return f"Write arguments as key=value (got {part!r})."
        try:
            arguments[key] = json.loads(raw)
        except json.JSONDecodeError:
            arguments[key] = raw
    return arguments


def register(app: typer.Typer) -> None:
    app.command("list")(list_environments)
    app.command("describe")(describe)
    app.command("play")(play)
