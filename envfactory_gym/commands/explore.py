"""``envfactory list``, ``describe`` and ``play``: see what the suite holds and try an environment by hand."""

from __future__ import annotations

import contextlib
import json
import shlex
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from envfactory_gym import registry
from envfactory_gym.commands import fail
from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.tasks import Task, load_environment_tasks, load_tasks

if TYPE_CHECKING:
    from envfactory_gym.env import ToolUseEnv
    from envfactory_gym.rubric import RewardBreakdown

console = Console()


def _task_count(env_id: str) -> int:
    return len(load_environment_tasks(env_id))


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
        # The ids are what people copy from this table and the counts what they read: these never wrap or
        # get cut, other columns fold.
        no_wrap = column in {"environment", "gym_id", "tools", "tasks"}
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
  <tool> key=value ...      call a tool (values are JSON when they parse)
  <tool> {"key": ...}       call a tool with a JSON object of arguments
  {"name": "<tool>", "arguments": {...}}   the same, as one JSON tool call
  tools                     list the tools;  help <tool>  one tool's schema
  changes                   what you have changed so far;  reset  start over
  quit                      leave"""

PLAY_TASK_HELP = """  request                   show the task's request again
  answer <text>             reply <text> to the person: the episode is scored
  done                      end without a reply (a write task) and score it"""

ESCAPE_HINT = (
    "That line holds a terminal escape sequence (an arrow or function key?), not a command: "
    "type the command again. Line editing and history need an interactive terminal."
)
HISTORY_FILE = Path.home() / ".envfactory_history"


class _LineReader:
    """Reads play's command lines: readline editing and history on a terminal, plain lines otherwise."""

    def __init__(self) -> None:
        self.readline = None
        if sys.stdin.isatty():
            try:
                import readline
            except ImportError:  # Windows without pyreadline: plain input still works
                readline = None
            if readline is not None:
                readline.set_history_length(1000)
                with contextlib.suppress(OSError):
                    readline.read_history_file(HISTORY_FILE)
            self.readline = readline

    def read(self, prompt: str) -> str:
        """One line, stripped; raises EOFError at the end of the input."""
        if self.readline is not None:
            return console.input(prompt).strip()  # input() under readline: arrows, editing, history
        console.print(prompt, end="")
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()

    def close(self) -> None:
        if self.readline is not None:
            with contextlib.suppress(OSError):
                self.readline.write_history_file(HISTORY_FILE)


def _print_result(content: str, ok: bool) -> None:
    if not ok:
        console.print(content, style="red", markup=False, highlight=False)
        return
    try:
        console.print_json(content)
    except json.JSONDecodeError:
        console.print(content, markup=False, highlight=False)


def _print_breakdown(task: Task, breakdown: RewardBreakdown) -> None:
    verdict = "success" if breakdown.success else "not a success"
    console.print(f"[bold]reward {breakdown.reward:g}[/bold] ({verdict})", highlight=False)
    if breakdown.state_match:
        state = f"matches ({breakdown.matched_change_set or 'no changes expected'})"
    else:
        state = f"does not match: {breakdown.missing_changes} missing, {breakdown.extra_changes} extra change(s)"
    lines = [f"  state: {state}"]
    if breakdown.facts_required:
        lines.append(f"  facts: {breakdown.facts_found}/{breakdown.facts_required} found")
        lines += [f"    matched: {fact}" for fact in breakdown.facts_matched]
        lines += [f"    missing: {fact}" for fact in breakdown.facts_missing]
        lines.append(
            f"  distractors: {breakdown.distractor_count} (allowed {breakdown.distractor_allowance})"
            + (f": {', '.join(breakdown.distractors)}" if breakdown.distractors else "")
        )
        lines.append(
            f"  answer: {breakdown.answer_length}/{breakdown.answer_budget} characters"
            + ("" if breakdown.answer_within_budget else " (over budget)")
            + ("; pasted tool output" if breakdown.pasted_tool_output else "")
            + f"; fact credit: {'yes' if breakdown.fact_credit else 'no'}"
        )
    lines.append(f"  malformed calls: {breakdown.malformed_calls}; penalty {breakdown.penalty:g}")
    console.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)


def _start_task(
    name: str, domain: str | None, task_id: str | None, split: str | None, seed: int | None
) -> tuple[ToolUseEnv, Task]:
    """A task episode of ``name`` (an environment or a domain), or one ``error:`` line and a non-zero exit."""
    from envfactory_gym.env import ToolUseEnv

    # A person takes many turns: never truncate the episode under them.
    env = ToolUseEnv(domain=domain, max_steps=1_000_000) if domain else ToolUseEnv([name], max_steps=1_000_000)
    options: dict[str, object] = {"task_id": task_id} if task_id else {"split": split or "train"}
    try:
        env.reset(seed=None if task_id else seed, options=options)
    except KeyError:
        env.close()
        raise fail(f"unknown task {task_id!r} for {name}; see the ids with 'envfactory tasks sample {name}'.") from None
    except ValueError as exc:
        env.close()
        raise fail(str(exc)) from None
    if env.task is None:
        env.close()
        raise fail(f"{name} has no {options['split']} tasks; try --split train or test, or pick one with --task.")
    return env, env.task


def play(
    name: str = typer.Argument(..., help="Environment id (airline) or domain (travel)."),
    task_id: str | None = typer.Option(None, "--task", help="Play this task: see its request, answer, get the reward."),
    split: str | None = typer.Option(None, "--split", help="Play a task drawn from this split (train or test)."),
    seed: int | None = typer.Option(
        None, help="Seed of the database (sandbox), or of the draw with --split (a task brings its own)."
    ),
) -> None:
    """Call an environment's tools by hand and see the results; with --task (or a domain), play a task to its reward."""
    from envfactory_gym.runtime import ToolRuntime

    try:
        domain, _ = registry.resolve(name)
    except KeyError as exc:
        raise fail(str(exc.args[0])) from None
    env: ToolUseEnv | None = None
    task: Task | None = None
    if domain is not None or task_id is not None or split is not None:
        env, task = _start_task(name, domain, task_id, split, seed)
        assert env.runtime is not None
        runtime = env.runtime
        env_id = name
    else:
        definition = registry.load_definition(name)
        env_id = name

        def fresh() -> ToolRuntime:
            return ToolRuntime([EpisodeDatabase(get_snapshot(definition, seed))])

        runtime = fresh()

    def tool_names() -> list[str]:
        return [n for n in runtime.tool_names() if n not in runtime.hidden]

    help_text = PLAY_HELP + ("\n" + PLAY_TASK_HELP if task else "\n  answer, done              need a task: --task ID")
    if task is not None:
        console.print(
            f"[bold]{env_id}[/bold], task [bold]{task.task_id}[/bold] ({task.goal}, {task.split}; "
            f"{', '.join(task.env_ids)}): {len(tool_names())} tools. {help_text}",
            highlight=False,
        )
        console.print(f"\n[bold]Request:[/bold] {escape(task.query)}\n", highlight=False)
    else:
        console.print(f"[bold]{env_id}[/bold]: {len(tool_names())} tools. {help_text}", highlight=False)
    reader = _LineReader()
    try:
        while True:
            try:
                line = reader.read("> ")
            except (EOFError, KeyboardInterrupt):
                break
            if not line:
                continue
            if "\x1b" in line:
                console.print(ESCAPE_HINT, style="yellow", markup=False, highlight=False)
                continue
            command, _, rest = line.partition(" ")
            rest = rest.strip()
            if line in {"quit", "exit"}:
                break
            if line == "tools":
                console.print(", ".join(tool_names()), markup=False, highlight=False)
                continue
            if line == "reset":
                if env is not None:
                    env.reset(options={"task": task})
                    assert env.runtime is not None
                    runtime = env.runtime
                else:
                    runtime.close()
                    runtime = fresh()
                console.print("Started a fresh episode.")
                continue
            if line == "changes":
                changes = [c.to_dict() for per_env in runtime.change_sets().values() for c in per_env]
                console.print_json(json.dumps(changes, default=str))
                continue
            if command == "help":
                spec = runtime.spec(rest) if rest else None
                if spec is not None:
                    console.print_json(json.dumps(spec.openai_schema()))
                else:
                    if rest:
                        console.print(f"No tool {rest!r}.", style="red", markup=False, highlight=False)
                    console.print(help_text, markup=False, highlight=False)
                    console.print("Tools: " + ", ".join(tool_names()), markup=False, highlight=False)
                continue
            if command in {"request", "answer", "done"}:
                if env is None or task is None:
                    console.print(
                        f"'{command}' needs a task: play one with 'envfactory play {env_id} --task ID' "
                        f"(or --split train).",
                        style="yellow",
                        markup=False,
                        highlight=False,
                    )
                    continue
                if command == "request":
                    console.print(task.query, markup=False, highlight=False)
                    continue
                if command == "answer" and not rest:
                    console.print("Write the reply after it: answer <text>.", style="red", markup=False)
                    continue
                if command == "done" and rest:
                    console.print("'done' takes nothing after it; to reply, use: answer <text>.", style="red")
                    continue
                _, _, _, _, info = env.step({"role": "assistant", "content": rest})
                if "reward_breakdown" in info:
                    _print_breakdown(task, env.last_breakdown)  # type: ignore[arg-type]
                break
            if line.startswith(("{", "[")):
                call = _parse_json_call(line)
                if isinstance(call, str):
                    console.print(call, style="red", markup=False, highlight=False)
                    continue
                name_called, arguments = call
            else:
                arguments = _parse_arguments(rest)
                if isinstance(arguments, str):
                    console.print(arguments, style="red", markup=False, highlight=False)
                    continue
                name_called = command
            if name_called not in tool_names():
                console.print(
                    f"Unknown tool {name_called!r}: type 'tools' for the tools, 'help' for the commands.",
                    style="red",
                    markup=False,
                    highlight=False,
                )
                continue
            if env is not None:
                observation, _, terminated, truncated, info = env.step([{"name": name_called, "arguments": arguments}])
                _print_result(observation, bool(info["tool_results"]) and info["tool_results"][0]["ok"])
                if terminated or truncated:
                    console.print("The tool ended the episode.")
                    if env.last_breakdown is not None and task is not None:
                        _print_breakdown(task, env.last_breakdown)
                    break
            else:
                result = runtime.call(name_called, arguments)
                _print_result(result.content, result.ok)
    finally:
        reader.close()
        if env is not None:
            env.close()
        else:
            runtime.close()


def _parse_json_call(text: str) -> tuple[str, dict] | str:
    """``{"name": ..., "arguments": {...}}`` (as a model writes a call) → (name, arguments), or a message."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"The call is not valid JSON: {exc}"
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return 'Write one JSON call as {"name": "<tool>", "arguments": {...}}.'
    arguments = value.get("arguments", value.get("parameters", {}))
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError as exc:
            return f"The arguments are not valid JSON: {exc}"
    if not isinstance(arguments, dict):
        return "Arguments must be a JSON object."
    return value["name"], arguments


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
