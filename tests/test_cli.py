"""The `envfactory` command line: list, describe, play, graph, synth and verify (run in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envfactory_gym import registry
from envfactory_gym.cli import app
from envfactory_gym.tasks import read_tasks

runner = CliRunner()


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, env={"COLUMNS": "200"})


def test_list_in_a_pipe_json_and_bad_domain() -> None:
    result = invoke("list")  # CliRunner is not a terminal: one tab-separated line per environment
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split("\t")[:3] == ["domain", "environment", "gym_id"]
    assert sum("envfactory/travel_booking-v0" in line for line in lines) == 1
    data = json.loads(invoke("list", "--json").output)
    airline = next(row for row in data["environments"] if row["environment"] == "airline")
    assert airline["tools"] == 14 and airline["tasks"] == 160 and data["domains"][0]["gym_id"] == "envfactory/travel-v0"
    bad = invoke("list", "--domain", "nosuch")
    assert bad.exit_code == 2 and "unknown domain 'nosuch'" in bad.output
    assert invoke("list", "--domain", "finance").exit_code == 1  # planned only: nothing implemented
    described = json.loads(invoke("describe", "airline", "--json").output)
    assert described["env_id"] == "airline" and len(described["tools"]) == 14 and described["tables"]
    assert invoke("--version").output.startswith("envfactory-gym ")


def test_synth_never_overwrites_the_packaged_tasks_without_the_flag() -> None:
    from envfactory_gym.tasks import task_file

    before = task_file("travel", "airline").read_bytes()
    result = invoke("synth", "airline", "--n", "5", "--seed", "1")
    assert result.exit_code == 2 and "--write-packaged" in result.output
    assert task_file("travel", "airline").read_bytes() == before


def test_list_shows_the_travel_environments_with_tool_and_task_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from envfactory_gym.commands import explore

    for width in (80, 200):  # ids never wrap or get cut, at any terminal width
        monkeypatch.setattr(explore, "console", Console(force_terminal=True, width=width, color_system=None))
        result = invoke("list")
        assert result.exit_code == 0, result.output
        # Every implemented environment is counted (the suite grows as environments land).
        implemented = f"{len(registry.implemented())} / {len(registry.catalog())}"
        assert implemented in result.output and "environments implemented" in result.output
        airline_row = next(line for line in result.output.splitlines() if " airline " in line)
        assert "│ 14 " in airline_row and "│ 160 " in airline_row
        cells = "".join(line.split("│")[3].strip() for line in result.output.splitlines() if line.count("│") > 3)
        assert "envfactory/airline-v0" in cells and "envfactory/car_price-v0" in cells
        assert "…" not in result.output.split("Domain environments")[0]


def test_describe_lists_tools_and_tables() -> None:
    result = invoke("describe", "airline")
    assert result.exit_code == 0, result.output
    assert "book_reservation" in result.output and "reservations" in result.output
    assert invoke("describe", "no_such_env").exit_code != 0


def test_play_calls_tools_by_hand() -> None:
    script = "tools\nget_user_details user_id=nobody\nlist_all_airports\nchanges\nquit\n"
    result = invoke("play", "airline", input=script)
    assert result.exit_code == 0, result.output
    assert "User nobody not found" in result.output
    assert '"iata"' in result.output


def test_graph_writes_graphml_and_png(tmp_path: Path) -> None:
    result = invoke("graph", "airline", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "airline.graphml").exists()
    assert (tmp_path / "airline.png").read_bytes()[:4] == b"\x89PNG"


def test_synth_writes_a_task_file_with_its_recipe(tmp_path: Path) -> None:
    output = tmp_path / "bank.jsonl"
    result = invoke("synth", "test_bank", "--n", "6", "--seed", "2", "--output", str(output))
    assert result.exit_code == 0, result.output
    tasks = read_tasks(output)
    assert len(tasks) == 6 and all(t.metadata["synth_seed"] == 2 and t.metadata["synth_n"] == 6 for t in tasks)
    assert json.loads(output.read_text().splitlines()[0])["task_id"] == tasks[0].task_id


def test_verify_exits_non_zero_when_a_check_fails() -> None:
    # The fixture bank has no packaged tasks (and a deliberately buggy tool): verify must fail loudly.
    result = invoke("verify", "test_bank", "--fuzz", "50")
    assert result.exit_code == 1
    assert "FAILED" in result.output


def test_verify_passes_on_a_verified_environment() -> None:
    result = invoke("verify", "hk_bus", "--fuzz", "200")
    assert result.exit_code == 0, result.output
    assert "verify hk_bus: PASSED" in result.output


def test_tasks_sample_prints_requests_and_lint_reports_the_mix() -> None:
    from envfactory_gym.tasks import load_tasks

    result = invoke("tasks", "sample", "travel", "--n", "5", "--seed", "3", "--answers")
    assert result.exit_code == 0, result.output
    queries = {t.query for t in load_tasks("travel", "domain")}
    printed = [line.strip() for line in result.output.splitlines() if line.startswith("    ") and "facts:" not in line]
    assert len(printed) == 5 and set(printed) <= queries  # whole requests, one line each
    assert result.output == invoke("tasks", "sample", "travel", "--n", "5", "--seed", "3", "--answers").output
    lint = invoke("tasks", "lint", "airline")
    assert lint.exit_code == 0 and "no flags" in lint.output and "implicit intent" in lint.output
    assert invoke("tasks", "sample", "travel", "--split", "tset").exit_code != 0
    assert invoke("tasks", "sample", "no_such_env").exit_code != 0


def _read_task_with_facts(domain: str, name: str, multi_env: bool = False):  # type: ignore[no-untyped-def]
    from envfactory_gym.tasks import load_tasks

    return next(
        t
        for t in load_tasks(domain, name)
        if t.goal == "read" and t.required_facts and (len(t.env_ids) > 1) == multi_env
    )


def test_play_a_task_to_its_reward_with_the_gold_calls_typed_in() -> None:
    task = _read_task_with_facts("travel", "airline")
    calls = "".join(f"{c.tool} {json.dumps(c.arguments)}\n" for c in task.gold_calls)  # `<tool> {json}` lines
    right = invoke("play", "airline", "--task", task.task_id, input=calls + "answer " + "; ".join(task.required_facts))
    assert right.exit_code == 0, right.output
    assert task.query.split()[0] in right.output and "Unknown tool" not in right.output
    assert "reward 1 (success)" in right.output and "state: matches" in right.output
    assert all(f"matched: {fact}" in right.output for fact in task.required_facts)
    wrong = invoke("play", "airline", "--task", task.task_id, input=calls + "answer Sorry, I could not find it.\n")
    assert wrong.exit_code == 0, wrong.output
    assert "reward 0 (not a success)" in wrong.output and "reward 1" not in wrong.output
    assert all(f"missing: {fact}" in wrong.output for fact in task.required_facts)


def test_play_refuses_escape_sequences_and_help_lists_tools_and_commands() -> None:
    result = invoke("play", "airline", input="\x1b[A\nhelp\nanswer hello\nquit\n")
    assert result.exit_code == 0, result.output
    assert "terminal escape sequence" in result.output
    assert "unknown tool" not in result.output.lower() and "[A" not in result.output
    help_output = result.output.split("\n> ")[2]
    assert "get_user_details" in help_output  # `help` lists the tools and the commands
    assert all(word in help_output for word in ("answer", "done", "quit", "help <tool>"))
    assert "'answer' needs a task" in result.output  # the sandbox has no task to answer


def test_play_a_domain_task_with_prefixed_tools_and_json_calls() -> None:
    task = _read_task_with_facts("travel", "domain", multi_env=True)
    calls = "".join(
        json.dumps({"name": f"{c.env_id}__{c.tool}", "arguments": c.arguments}) + "\n" for c in task.gold_calls
    )
    result = invoke("play", "travel", "--task", task.task_id, input=calls + "answer " + "; ".join(task.required_facts))
    assert result.exit_code == 0, result.output
    assert "Unknown tool" not in result.output and "reward 1 (success)" in result.output
    drawn = invoke("play", "travel", "--split", "test", "--seed", "3", input="done\n")  # a domain draws a task
    assert drawn.exit_code == 0, drawn.output
    assert "task travel-" in drawn.output and "reward " in drawn.output


def test_play_an_unknown_task_or_name_is_one_error_line() -> None:
    for args in (("airline", "--task", "airline-no-such"), ("travel", "--task", "nope"), ("no_such_env",)):
        result = invoke("play", *args, input="quit\n")
        assert result.exit_code != 0
        assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("error:"), result.output
        assert "Traceback" not in result.output


def test_graph_png_is_bounded_and_the_output_summarizes_unless_all_edges(tmp_path: Path) -> None:
    import matplotlib.image
    import networkx as nx

    result = invoke("graph", "travel", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    edges = nx.read_graphml(tmp_path / "travel.graphml").number_of_edges()
    height, width = matplotlib.image.imread(tmp_path / "travel.png").shape[:2]
    assert max(height, width) <= 4000 and (tmp_path / "travel.png").stat().st_size < 10_000_000
    assert edges > 1000 and len(result.stdout.splitlines()) <= 80  # a summary, not one line per edge
    assert "top producer" in result.stdout and "--all-edges" in result.stdout
    assert "graph travel: PNG" in result.stderr  # progress goes to stderr
    full = invoke("graph", "weather", "--output", str(tmp_path), "--no-png", "--all-edges")
    assert full.exit_code == 0, full.output
    weather_edges = nx.read_graphml(tmp_path / "weather.graphml").number_of_edges()
    assert len(full.stdout.splitlines()) >= weather_edges


def test_verify_reports_each_check_as_progress_on_stderr() -> None:
    from envfactory_gym.verify import verify

    seen: list[str] = []
    report = verify("test_bank", fuzz_actions=10, probes=False, progress=seen.append)
    assert seen == [c.name for c in report.checks] and "probes" not in seen
    result = invoke("verify", "test_bank", "--fuzz", "10", "--no-probes")
    for check in seen:
        assert f"verify test_bank: running check {check}" in result.stderr
    assert "running check" not in result.stdout
